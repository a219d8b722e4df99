/**
 * The seal worker's entry (run by sealed-original.ts in a worker_thread): one pass, given as `workerData`, its hashing
 * done by the hash worker at the other end of `hashPort`, and its result or error posted back once it writes no more. Errors go back as plain fields (name, message, and the file system's code, errno,
 * syscall and path) for the main thread to rebuild.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { type PassHashing, type SealPassInput, sealPass } from './seal-pass.ts';

/** What the seal worker asks of the hash worker: bytes in shared memory to hash, then both digests. */
export type HashRequest =
  { kind: 'piece'; seq: number; plaintext: SharedBytes; ciphertext: SharedBytes } | { kind: 'end' };
interface SharedBytes {
  buffer: SharedArrayBuffer;
  offset: number;
  length: number;
}
const shared = (bytes: Buffer): SharedBytes => ({
  buffer: bytes.buffer as SharedArrayBuffer,
  offset: bytes.byteOffset,
  length: bytes.byteLength,
});
export type HashReply = { kind: 'hashed'; seq: number } | { kind: 'digests'; plaintext: string; ciphertext: string };

/** The hashing of the pass, on the thread at the other end of `port`. Fails if that thread stops before it is done. */
function hashingOver(port: MessagePort): PassHashing & { close(): void } {
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let digests: { resolve: (d: { plaintext: string; ciphertext: string }) => void; reject: (e: Error) => void } | null =
    null;
  let seq = 0;
  port.on('message', (m: HashReply) => {
    if (m.kind === 'digests') digests?.resolve({ plaintext: m.plaintext, ciphertext: m.ciphertext });
    else {
      waiting.get(m.seq)?.resolve();
      waiting.delete(m.seq);
    }
  });
  port.on('close', () => {
    const stopped = new Error('The thread hashing the recording stopped');
    for (const w of waiting.values()) w.reject(stopped);
    waiting.clear();
    digests?.reject(stopped);
  });
  return {
    update(plaintext, ciphertext) {
      const request: HashRequest = {
        kind: 'piece',
        seq: seq++,
        plaintext: shared(plaintext),
        ciphertext: shared(ciphertext),
      };
      return new Promise((resolve, reject) => {
        waiting.set(request.seq, { resolve, reject });
        port.postMessage(request);
      });
    },
    digests() {
      return new Promise((resolve, reject) => {
        digests = { resolve, reject };
        port.postMessage({ kind: 'end' } satisfies HashRequest);
      });
    },
    close: () => port.close(),
  };
}

if (!parentPort) throw new Error('seal-worker.ts runs as a worker thread');
const port = parentPort;
const { hashPort, ...job } = workerData as SealPassInput & { hashPort: MessagePort };
const hashing = hashingOver(hashPort);
try {
  port.postMessage({ ok: true, result: await sealPass(job, hashing) });
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  const { code, errno, syscall, path } = e as NodeJS.ErrnoException;
  port.postMessage({ ok: false, error: { name: e.name, message: e.message, code, errno, syscall, path } });
} finally {
  hashing.close();
}
