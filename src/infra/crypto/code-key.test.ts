import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeKeyError, loadCodeKey } from './code-key.ts';

describe('the one-time code key file (A-6)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-code-key-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('A-6: outside production a missing key is made: 32 random bytes, base64, mode 0600 in a 0700 folder; then read back', async () => {
    const file = path.join(dir, 'made', 'keys', 'delivery-codes.key');
    const made = await loadCodeKey(file, { create: true });
    expect(made.created).toBe(true);
    expect(made.key).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect((await readFile(file, 'utf8')).trim()).toBe(made.key.toString('base64'));
    const again = await loadCodeKey(file, { create: true });
    expect(again).toEqual({ key: made.key, created: false });
    expect((await loadCodeKey(path.join(dir, 'other.key'), { create: true })).key.equals(made.key)).toBe(false);
  });

  it('A-6: in production a missing key stops the service, naming the file', async () => {
    await expect(loadCodeKey(path.join(dir, 'missing.key'), { create: false })).rejects.toThrow(
      /one-time code key file .*missing\.key does not exist/,
    );
  });

  it('A-6: refuses a key others can read, or one that is not 32 bytes of base64, without repeating it', async () => {
    const file = path.join(dir, 'bad.key');
    const secret = Buffer.alloc(32, 9).toString('base64');
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    await chmod(file, 0o644);
    await expect(loadCodeKey(file, { create: true })).rejects.toThrow(/can be read by others \(mode 644\)/);
    await chmod(file, 0o600);
    await writeFile(file, 'not a key\n');
    const err = await loadCodeKey(file, { create: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodeKeyError);
    expect(String(err)).toMatch(/must hold 32 random bytes in base64/);
    await writeFile(file, `${Buffer.alloc(16, 9).toString('base64')}\n`);
    await expect(loadCodeKey(file, { create: false })).rejects.toThrow(/must hold 32 random bytes/);
    await writeFile(file, `${secret}\n`);
    expect((await loadCodeKey(file, { create: false })).key.toString('base64')).toBe(secret);
  });
});
