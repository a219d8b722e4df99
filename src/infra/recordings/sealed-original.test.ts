// ingest's one pass on a worker thread: the staged recording read once, its SHA-256 taken, encrypted in age v1,
// written into a new blob and flushed, the main thread only waiting. The file is one the `age` tool opens; errors
// come back as the pass would have thrown them in process, and nothing of the new file is left after one.
// the original is stored encrypted, and retrievable with the council's key alone.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../blobs/fs-blob-store.ts';
import { CHUNK_SIZE, generateIdentity } from '../crypto/age/index.ts';
import { READ_SIZE } from './seal-pass.ts';
import { runSealWorker, workerOriginalSealer } from './sealed-original.ts';

const BINDING = 'recording:6f1d2c3b-8a4e-4f5d-9c6b-7a8e9f0a1b2c:original';
const council = generateIdentity();
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let dir: string;
let store: FsBlobStore;
let identityFile: string;

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true }).catch(() => []))
    if (entry.isFile()) out.push(path.relative(root, path.join(entry.parentPath, entry.name)));
  return out.sort();
}

/** The stored file opened with the standard `age` tool and the council's identity. */
function ageDecrypt(key: string): Buffer {
  const file = path.join(dir, 'blobs', key.slice(0, 2), key);
  const age = spawnSync('age', ['-d', '-i', identityFile, file], { maxBuffer: 64 << 20 });
  expect(age.stderr.toString()).toBe('');
  expect(age.status).toBe(0);
  return age.stdout;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-sealed-original-'));
  store = new FsBlobStore(path.join(dir, 'blobs'));
  identityFile = path.join(dir, 'identity.txt');
  await writeFile(identityFile, `${council.identity}\n`, { mode: 0o600 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the original sealed on a worker thread', () => {
  const sealer = () => workerOriginalSealer(store, [council.recipient]);

  // Empty; one final full chunk; a whole read (16 chunks, the last full); one byte past it; several reads, ending
  // part-way through a chunk.
  it.each([0, CHUNK_SIZE, READ_SIZE, READ_SIZE + 1, 3 * READ_SIZE + 12_345])(
    'stores %i bytes: the hashes and sizes are the files’, and `age` opens it to the same bytes',
    async (size) => {
      const staged = path.join(dir, `staged-${size}.wav`);
      const audio = randomBytes(size);
      await writeFile(staged, audio);
      const sealed = await sealer().sealStaged(staged, BINDING);
      expect(sealed).toMatchObject({ sha256: sha(audio), size });
      const file = await readFile(path.join(dir, 'blobs', sealed.blob.key.slice(0, 2), sealed.blob.key));
      expect(sealed.blob).toMatchObject({ sha256: sha(file), size: file.length });
      expect(file.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
      expect(sha(ageDecrypt(sealed.blob.key))).toBe(sha(audio));
      await store.delete(sealed.blob.key);
      expect(await filesUnder(path.join(dir, 'blobs'))).toEqual([]);
    },
  );

  it('loads its worker in a plain `node` process too (the service runs its .ts sources directly)', async () => {
    const staged = path.join(dir, 'staged-plain-node.wav');
    const audio = randomBytes(READ_SIZE + 7);
    await writeFile(staged, audio);
    const script = [
      `import { FsBlobStore } from ${JSON.stringify(pathToFileURL(path.resolve('src/infra/blobs/fs-blob-store.ts')).href)};`,
      `import { workerOriginalSealer } from ${JSON.stringify(pathToFileURL(path.resolve('src/infra/recordings/sealed-original.ts')).href)};`,
      `const store = new FsBlobStore(${JSON.stringify(path.join(dir, 'blobs'))});`,
      `const sealed: object = await workerOriginalSealer(store, [${JSON.stringify(council.recipient)}]).sealStaged(${JSON.stringify(staged)}, ${JSON.stringify(BINDING)});`,
      'console.log(JSON.stringify(sealed));',
    ].join('\n');
    const file = path.join(dir, 'plain-node.mts');
    await writeFile(file, script);
    // As the service starts: Node's own type stripping, none of the test runner's loaders or options.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NODE_OPTIONS|VITEST)/.test(k)));
    const child = spawnSync(process.execPath, [file], { encoding: 'utf8', env });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const sealed = JSON.parse(child.stdout) as { blob: { key: string }; sha256: string; size: number };
    expect(sealed).toMatchObject({ sha256: sha(audio), size: audio.length });
    expect(ageDecrypt(sealed.blob.key).equals(audio)).toBe(true);
    await store.delete(sealed.blob.key);
  });

  it('fails as the pass would in process on a staged file that is missing or is not a file, leaving nothing', async () => {
    const missing = path.join(dir, 'never-staged.wav');
    await expect(sealer().sealStaged(missing, BINDING)).rejects.toMatchObject({
      name: 'Error',
      code: 'ENOENT',
      syscall: 'open',
      path: missing,
      message: expect.stringContaining('ENOENT: no such file or directory'),
    });
    const folder = path.join(dir, 'a-folder.wav');
    await mkdir(folder);
    await expect(sealer().sealStaged(folder, BINDING)).rejects.toMatchObject({ code: 'EISDIR', syscall: 'read' });
    await expect(sealer().sealStaged(folder, '')).rejects.toBeInstanceOf(TypeError);
    expect(await filesUnder(path.join(dir, 'blobs'))).toEqual([]);
  });

  it('fails with the file system’s own error when the disk is full, and the store keeps nothing', async () => {
    const staged = path.join(dir, 'staged-full-disk.wav');
    await writeFile(staged, randomBytes(2 * READ_SIZE));
    // The new file's writes go to /dev/full instead, which refuses every write with ENOSPC as a full disk does.
    const full = await open('/dev/full', 'w');
    try {
      const failed = store.putWritten(async () => {
        const sealed = await runSealWorker({
          input: staged,
          fd: full.fd,
          recipients: [council.recipient],
          binding: BINDING,
        });
        return sealed.ciphertext;
      });
      await expect(failed).rejects.toBeInstanceOf(Error);
      await expect(failed).rejects.toMatchObject({
        code: 'ENOSPC',
        syscall: 'write',
        message: expect.stringContaining('ENOSPC: no space left on device'),
      });
    } finally {
      await full.close();
    }
    expect(await filesUnder(path.join(dir, 'blobs'))).toEqual([]);
  });

  it('stops when cancelled, with the signal’s AbortError once the worker has stopped, leaving nothing', async () => {
    // Audio still arriving through a pipe: the pass cannot reach the end before the pipe closes, which is after the
    // cancel, so it is cancelled part-way whatever the machine's speed.
    const arriving = path.join(dir, 'arriving.wav');
    execFileSync('mkfifo', [arriving]);
    const controller = new AbortController();
    const sealing = sealer().sealStaged(arriving, BINDING, { signal: controller.signal });
    sealing.catch(() => undefined);
    const pipe = await open(arriving, 'w');
    await pipe.write(randomBytes(3 * READ_SIZE));
    controller.abort();
    await pipe.close();
    await expect(sealing).rejects.toBe(controller.signal.reason);
    await expect(sealing).rejects.toMatchObject({ name: 'AbortError' });
    expect(await filesUnder(path.join(dir, 'blobs'))).toEqual([]);
    await expect(sealer().sealStaged(arriving, BINDING, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
