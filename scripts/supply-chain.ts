// Supply chain check run by CI: writes a CycloneDX SBOM of what the service ships (production dependencies) to
// .build/sbom.cdx.json, then asks the registry for known vulnerabilities with `npm audit`. A registry that does not
// offer the audit endpoint (some mirrors answer 405) is reported plainly and does not fail the run; a high or
// critical advisory does.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, '.build', 'sbom.cdx.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const fail = (line: string): void => void process.stderr.write(`${line}\n`);

function run(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

mkdirSync(path.dirname(out), { recursive: true });
const sbomBin = path.join(root, 'node_modules', '@cyclonedx', 'cyclonedx-npm', 'bin', 'cyclonedx-npm-cli.js');
const sbom = run(process.execPath, [
  sbomBin,
  '--omit',
  'dev',
  '--output-format',
  'JSON',
  '--output-reproducible',
  '--output-file',
  out,
]);
if (sbom.status !== 0) {
  process.stderr.write(sbom.stderr);
  fail('SBOM: cyclonedx-npm failed; see above.');
  process.exit(1);
}
const doc = JSON.parse(readFileSync(out, 'utf8')) as { specVersion?: string; components?: unknown[] };
const components = doc.components?.length ?? 0;
if (!doc.specVersion || components === 0) {
  fail(`SBOM: ${out} has no components; the dependency tree could not be read.`);
  process.exit(1);
}
say(`SBOM: CycloneDX ${doc.specVersion}, ${components} production components, written to ${path.relative(root, out)}`);

const audit = run(npm, ['audit', '--omit', 'dev', '--audit-level', 'high', '--json']);
const unavailable = /\b405\b|audit endpoint returned an error|ENOAUDIT/i.test(audit.stderr + audit.stdout);
if (audit.status === 0) {
  say('npm audit: no high or critical advisories in production dependencies.');
} else if (unavailable) {
  say(
    'npm audit: NOT RUN: this registry does not offer the audit endpoint (it answered 405). ' +
      'Check the SBOM above against an advisory database instead (for example with a scanner that reads CycloneDX).',
  );
} else {
  let summary: string;
  try {
    const report = JSON.parse(audit.stdout) as { metadata?: { vulnerabilities?: Record<string, number> } };
    summary = JSON.stringify(report.metadata?.vulnerabilities ?? {});
  } catch {
    summary = audit.stderr.trim().split('\n').slice(-3).join(' ');
  }
  fail(`npm audit: high or critical advisories in production dependencies: ${summary}. Run "npm audit".`);
  process.exit(1);
}
