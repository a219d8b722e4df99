/**
 * The layer rules in eslint.config.js bite: each snippet is linted as if it were a file at the given path,
 * and only the layer rule's findings are looked at.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });
const RULE = '@typescript-eslint/no-restricted-imports';

/** The layer rule's messages for `import { x } from '<from>'` in a file at `file` (relative to the repository). */
async function layerFindings(file: string, from: string, opts: { typeOnly?: boolean } = {}): Promise<string[]> {
  const code = opts.typeOnly
    ? `import type { X } from '${from}';\nexport type Y = X;\n`
    : `import { x } from '${from}';\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('layers enforced by lint', () => {
  it('src/app imports only src/domain and src/app (its own ports)', async () => {
    expect(await layerFindings('src/app/recordings/example.ts', '../../infra/db/schema.ts')).toEqual([
      expect.stringContaining('src/app may import only src/domain and src/app (its own ports); not src/infra.'),
    ]);
    expect(await layerFindings('src/app/example.ts', '../infra/db/schema.ts')).toHaveLength(1);
    expect(await layerFindings('src/app/recordings/example.ts', '../../web/forms.ts')).toEqual([
      expect.stringContaining('not src/web'),
    ]);
    expect(await layerFindings('src/app/recordings/example.ts', '../../api/v1/schemas.ts')).toEqual([
      expect.stringContaining('not src/api'),
    ]);
    expect(await layerFindings('src/app/recordings/example.ts', '../../composition.ts')).toHaveLength(1);
    expect(await layerFindings('src/app/recordings/example.ts', '../../domain/shared/ids.ts')).toEqual([]);
    expect(await layerFindings('src/app/recordings/example.ts', './ports.ts')).toEqual([]);
    expect(await layerFindings('src/app/recordings/example.ts', '../audit/audit-log.ts')).toEqual([]);
    // A deeper folder than any today is covered too.
    expect(await layerFindings('src/app/recordings/parts/example.ts', '../../../infra/db/schema.ts')).toHaveLength(1);
  });

  it('src/api never imports src/web, and src/web never imports src/api', async () => {
    expect(await layerFindings('src/api/v1/example.ts', '../../web/features/recordings/list-view.ts')).toEqual([
      expect.stringContaining('src/api must not import src/web.'),
    ]);
    expect(await layerFindings('src/web/features/recordings/example.ts', '../../../api/v1/schemas.ts')).toEqual([
      expect.stringContaining('src/web must not import src/api.'),
    ]);
    expect(await layerFindings('src/web/plugins/example.ts', '../../api/v1/index.ts')).toHaveLength(1);
    // Only the app shell mounts the API plugin (a listed exception); nowhere else in src/web may.
    expect(await layerFindings('src/web/app.ts', '../api/v1/index.ts')).toEqual([]);
    expect(await layerFindings('src/web/app.ts', '../api/v1/schemas.ts')).toHaveLength(1);
  });

  it('src/web and src/api reach src/infra only through the services the composition root hands them', async () => {
    expect(
      await layerFindings('src/web/features/recordings/example.ts', '../../../infra/recordings/upload-files.ts'),
    ).toEqual([
      expect.stringContaining('src/web reaches src/infra only through the services the composition root hands it.'),
    ]);
    expect(await layerFindings('src/api/v1/example.ts', '../../infra/recordings/upload-tus.ts')).toEqual([
      expect.stringContaining('src/api reaches src/infra only through the services'),
    ]);
    expect(await layerFindings('src/web/app.ts', '../infra/audit/audit-repository.ts')).toHaveLength(1);
    // Naming the Services type is allowed; calling into the composition root is not.
    expect(await layerFindings('src/web/features/example.ts', '../../composition.ts', { typeOnly: true })).toEqual([]);
    expect(await layerFindings('src/web/features/example.ts', '../../composition.ts')).toHaveLength(1);
    expect(await layerFindings('src/api/v1/example.ts', '../../app/recordings/ports.ts')).toEqual([]);
  });

  it('tests may wire real infrastructure but still never cross between the delivery layers', async () => {
    expect(await layerFindings('src/app/recordings/example.test.ts', '../../infra/db/schema.ts')).toEqual([]);
    expect(await layerFindings('src/app/recordings/example.test.ts', '../../web/forms.ts')).toHaveLength(1);
    expect(await layerFindings('src/api/v1/example.test.ts', '../../web/forms.ts')).toHaveLength(1);
    expect(
      await layerFindings('src/web/features/recordings/example.test.ts', '../../../api/v1/schemas.ts'),
    ).toHaveLength(1);
    expect(await layerFindings('src/api/v1/example.test.ts', '../../../test/support/people.ts')).toEqual([]);
  });

  it('production code never imports test support', async () => {
    expect(await layerFindings('src/app/recordings/example.ts', '../../../test/support/people.ts')).toEqual([
      expect.stringContaining('Production code must not import test support.'),
    ]);
    expect(
      await layerFindings('src/web/features/recordings/example.ts', '../../../../test/support/web.ts'),
    ).toHaveLength(1);
  });
});
