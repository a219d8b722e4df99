import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/infra/db/schema.ts', './src/infra/db/recordings-schema.ts'],
  out: './src/infra/db/migrations',
});
