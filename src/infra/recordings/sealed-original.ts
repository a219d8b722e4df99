import { MessageChannel, Worker } from 'node:worker_threads';
import type { OriginalSealer } from '../../app/recordings/ports.ts';
import type { FsBlobStore } from '../blobs/fs-blob-store.ts';
import { parseRecipient } from '../crypto/age/index.ts';
import { bindingBytes } from '../crypto/age/binding.ts';
import type { SealPassInput, SealPassResult } from './seal-pass.ts';

/**
 * a staged recording stored encrypted in one pass on worker threads of its own (seal-worker.ts encrypting and
 * writing, hash-worker.ts taking both SHA-256s beside it), for the file system blob store: read once, its SHA-256
 * taken, encrypted in age v1 for `recipients`, written into a new blob file and flushed. The main thread only waits
 * for the result, so neither the pass's allocations (a new buffer per 64 KiB chunk from node:crypto) nor its CPU time
 * share the main thread's heap and event loop with the database and requests, and the pass uses both cores. A bad
 * recipient throws `AgeKeyError` here, at start-up; a bad binding `TypeError` before any work.
 */
export function workerOriginalSealer(blobs: FsBlobStore, recipients: readonly string[]): OriginalSealer {
  const parsed = recipients.map((r) => parseRecipient(r).recipient);
  return {
    async sealStaged(file, binding, opts = {}) {
      bindingBytes(binding);
      opts.signal?.throwIfAborted();
      let plaintext: SealPassResult['plaintext'] | undefined;
      const blob = await blobs.putWritten(async (fd) => {
        const result = await runSealWorker({ input: file, fd, recipients: parsed, binding }, opts.signal);
        plaintext = result.plaintext;
        return result.ciphertext;
      });
      return { blob, sha256: plaintext!.sha256, size: plaintext!.size };
    },
  };
}

/**
 * Runs one pass on two new worker threads, one encrypting and writing, the other hashing, and waits for them to
 * finish. The worker's errors come back as they were thrown there: a file system error keeps its message, code,
 * errno, syscall and path (ENOENT, ENOSPC, …). When `signal` is aborted the pass is asked to stop at its next piece and
 * this rejects with the signal's reason (an `AbortError`), but only once the thread writing has stopped: no write of
 * its lands after this settles.
 */
export async function runSealWorker(job: Omit<SealPassInput, 'cancel'>, signal?: AbortSignal): Promise<SealPassResult> {
  signal?.throwIfAborted();
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // Both threads start at once (each takes a moment to load); they talk over the channel, not through this thread.
  // Small heaps: the pass's buffers are shared memory made once; what it allocates per chunk is short-lived.
  const resourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 };
  const hasher = new Worker(new URL('./hash-worker.ts', import.meta.url), {
    workerData: { port: port2 },
    transferList: [port2],
    resourceLimits,
  });
  hasher.on('error', () => undefined);
  const sealer = new Worker(new URL('./seal-worker.ts', import.meta.url), {
    workerData: { ...job, cancel, hashPort: port1 },
    transferList: [port1],
    resourceLimits,
  });
  const onAbort = () => Atomics.store(cancel, 0, 1);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      let replied: WorkerReply | undefined;
      sealer.on('message', (m: WorkerReply) => (replied = m));
      sealer.on('error', reject);
      // Settled only when the thread has ended, so nothing it started can still be writing to the descriptor.
      sealer.on('exit', (code) =>
        replied ? resolve(replied) : reject(new Error(`The recording seal worker stopped (exit code ${code})`)),
      );
    });
    if (reply.ok) return reply.result;
    if (reply.error.name === 'AbortError' && signal?.aborted) throw signal.reason;
    throw rebuild(reply.error);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all([sealer.terminate(), hasher.terminate()]);
  }
}

type WorkerReply = { ok: true; result: SealPassResult } | { ok: false; error: WorkerError };

interface WorkerError {
  name: string;
  message: string;
  code?: string;
  errno?: number;
  syscall?: string;
  path?: string;
}

/** The worker's error as the main thread would have seen it, had the pass run there. */
function rebuild(e: WorkerError): Error {
  const Kind = e.name === 'TypeError' ? TypeError : e.name === 'RangeError' ? RangeError : Error;
  const err: NodeJS.ErrnoException = new Kind(e.message);
  if (e.name !== err.name) err.name = e.name;
  if (e.code !== undefined) err.code = e.code;
  if (e.errno !== undefined) err.errno = e.errno;
  if (e.syscall !== undefined) err.syscall = e.syscall;
  if (e.path !== undefined) err.path = e.path;
  return err;
}
