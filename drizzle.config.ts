import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './src/infra/db/schema.ts',
    './src/infra/db/recordings-schema.ts',
    './src/infra/db/mail-schema.ts',
    './src/infra/db/requests-schema.ts',
    './src/infra/db/disclosure-schema.ts',
    './src/infra/db/delivery-schema.ts',
    './src/infra/db/lifecycle-schema.ts',
    './src/infra/db/documents-schema.ts',
    './src/infra/db/distribution-schema.ts',
    './src/infra/db/settings-schema.ts',
    './src/infra/db/sending-schema.ts',
    './src/infra/db/complaints-schema.ts',
    './src/infra/db/amendments-schema.ts',
    './src/infra/db/recording-incidents-schema.ts',
    './src/infra/db/recording-consent-schema.ts',
    './src/infra/db/participation-schema.ts',
    './src/infra/db/core-groups-schema.ts',
    './src/infra/db/conference-requests-schema.ts',
    './src/infra/db/plan-endings-schema.ts',
    './src/infra/db/oidc-schema.ts',
    './src/infra/db/key-custody-schema.ts',
  ],
  out: './src/infra/db/migrations',
});
