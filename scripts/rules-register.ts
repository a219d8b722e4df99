// Writes docs/rules.md, the rule register: for every rule in the domain reference, the source files and
// the tests that name it (see scripts/rules-register/register.ts). `--check` writes nothing and exits 1,
// naming the difference, when the committed docs/rules.md is not what the rules, sources and tests give
// now. The domain reference is ../shared/DOMAIN.md beside the repository, or the file DOMAIN_MD names.
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DomainReferenceError,
  type SourceFile,
  buildRegister,
  describeDifference,
  parseDomainRules,
  renderRegister,
} from './rules-register/register.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const registerFile = path.join(root, 'docs/rules.md');
const check = process.argv.includes('--check');

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const domainPath = process.env.DOMAIN_MD
  ? path.resolve(process.env.DOMAIN_MD)
  : path.resolve(root, '../shared/DOMAIN.md');
if (!existsSync(domainPath)) {
  fail(
    `The rule register needs the domain reference, and there is none at ${domainPath}.\n` +
      `Put the shared folder beside this repository (../shared/DOMAIN.md) or set DOMAIN_MD to the file's path.`,
  );
}

/** Every file under `dir` (relative to the repository), skipping binary files. */
async function filesUnder(dir: string): Promise<SourceFile[]> {
  const names = (await readdir(path.join(root, dir), { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  const files: SourceFile[] = [];
  for (const name of names) {
    const bytes = await readFile(path.join(root, name));
    if (bytes.includes(0)) continue;
    files.push({ path: name, text: bytes.toString('utf8') });
  }
  return files;
}

let rendered: string;
try {
  const rules = parseDomainRules(await readFile(domainPath, 'utf8'));
  // The register's own tests use rule IDs as examples: they test the register, not those rules.
  const files = [...(await filesUnder('src')), ...(await filesUnder('test'))].filter(
    (f) => !f.path.startsWith('test/scripts/rules-register'),
  );
  rendered = renderRegister(buildRegister(rules, files));
} catch (error) {
  if (error instanceof DomainReferenceError) fail(`The rule register cannot read ${domainPath}: ${error.message}`);
  throw error;
}

const relative = path.relative(root, registerFile);
if (check) {
  const committed = await readFile(registerFile, 'utf8').catch(() => undefined);
  if (committed === undefined) fail(`${relative} does not exist. Run \`npm run rules\` and commit it.`);
  const difference = describeDifference(committed, rendered);
  if (difference.length > 0) {
    fail(
      [
        `${relative} is out of date: the rules in ${domainPath}, the sources or the test names have changed.`,
        `Lines marked - are in the committed file, lines marked + are what it should now say:`,
        ...difference.map((line) => `  ${line}`),
        `Run \`npm run rules\` and commit ${relative}.`,
      ].join('\n'),
    );
  }
  process.stdout.write(`${relative} is up to date\n`);
} else {
  await writeFile(registerFile, rendered);
  process.stdout.write(`Wrote ${relative}\n`);
}
