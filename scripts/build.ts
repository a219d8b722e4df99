// Builds what the service serves and starts from, each only when what it is made from has changed:
// the stylesheet (scripts/build-css.ts) and the migrated template new embedded databases start from
// (src/infra/db/pglite-template.ts). Run by `npm run build`, before `npm start` and by ./scripts/start.
import { buildPgliteTemplate } from '../src/infra/db/pglite-template.ts';

await import('./build-css.ts');
const template = await buildPgliteTemplate();
process.stdout.write(
  template === 'built' ? 'Built the embedded database template\n' : 'The embedded database template is up to date\n',
);
