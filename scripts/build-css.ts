// Compiles the service's stylesheet (GOV.UK Frontend with the council's settings) into .build/.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = sass.compile(path.join(root, 'src/web/styles/app.scss'), {
  loadPaths: [path.join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
});
await mkdir(path.join(root, '.build'), { recursive: true });
await writeFile(path.join(root, '.build/app.css'), result.css);
process.stdout.write(`Built .build/app.css (${Math.round(result.css.length / 1024)} KiB)\n`);
