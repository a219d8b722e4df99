import { write } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { beginEncryption } from '../crypto/age/encrypt.ts';
import { CHUNK_SIZE, ENCRYPTED_CHUNK_SIZE } from '../crypto/age/payload.ts';

/**
 * The one pass over a staged recording (R-3), as the seal worker runs it (seal-worker.ts): the file read once in
 * 1 MiB pieces and each piece encrypted into age v1's 64 KiB chunks and written at the end of the new encrypted file
 * through the descriptor it was given. Both SHA-256s (the plaintext's and the encrypted file's, from the bytes as they
 * are written) are taken by `hashing`, on another thread (hash-worker.ts), while the next pieces are encrypted, so
 * the pass uses both cores; reads and writes run on the file system's thread pool meanwhile. The buffers are made
 * once, in shared memory, and reused for the whole file. Flushing, naming and removing the file are the caller's
 * (FsBlobStore.putWritten), which holds the descriptor open until this has finished.
 */
export interface SealPassInput {
  /** The staged plaintext. */
  readonly input: string;
  /** An open, empty file to write the encrypted file to, from offset 0. */
  readonly fd: number;
  readonly recipients: readonly string[];
  readonly binding: string;
  /** Set to non-zero (by another thread) to stop at the next piece; the pass then fails with an `AbortError`. */
  readonly cancel?: Int32Array;
}

export interface SealPassResult {
  /** The staged file's SHA-256 and length: what was read and encrypted. */
  readonly plaintext: { readonly sha256: string; readonly size: number };
  /** The encrypted file's, from the bytes as they were written. */
  readonly ciphertext: { readonly sha256: string; readonly size: number };
}

/** Takes the two SHA-256s of bytes in shared memory, each in the order given. */
export interface PassHashing {
  /** Resolves once a piece and its encrypted batch have been hashed (and their buffers may be reused). */
  update(plaintext: Buffer, ciphertext: Buffer): Promise<void>;
  /** Both digests, once every update has been hashed. */
  digests(): Promise<{ plaintext: string; ciphertext: string }>;
}

/** Plaintext read at once: a whole number of age chunks, so chunks never straddle two reads. */
export const READ_SIZE = 16 * CHUNK_SIZE;
/** Pieces (and their encrypted batches) in flight at once: being read, encrypted, written or hashed. */
const SLOTS = 8;
const writeAt = promisify(write);
const ignore = () => undefined;

/**
 * Runs the pass. Settles only once no read or write it started is still in flight, so the caller may close the
 * descriptor (and remove the file) as soon as it has. Errors are the file system's own (ENOENT on the staged file,
 * ENOSPC on the new one, …), or an `AbortError` when cancelled.
 */
export async function sealPass(job: SealPassInput, hashing: PassHashing): Promise<SealPassResult> {
  const { prologue, payload } = beginEncryption({ recipients: job.recipients, binding: job.binding });
  const shared = (size: number) => Buffer.from(new SharedArrayBuffer(size));
  const inputs = Array.from({ length: SLOTS }, () => shared(READ_SIZE));
  // A piece's sixteen sealed chunks, and the header and nonce in the first batch.
  const outputs = Array.from({ length: SLOTS }, () =>
    shared((READ_SIZE / CHUNK_SIZE) * ENCRYPTED_CHUNK_SIZE + prologue.length),
  );
  // When each slot (a piece and its batch) may be used again: once the batch is written and both are hashed.
  const free: Promise<unknown>[] = inputs.map(() => Promise.resolve());
  let reading: Promise<number> = Promise.resolve(0);
  const source = await open(job.input, 'r');
  try {
    let size = 0;
    let written = 0;
    let length = await readFully(source, inputs[0]!);
    for (let k = 0; ; k++) {
      const slot = k % SLOTS;
      const piece = inputs[slot]!;
      const out = outputs[slot]!;
      // A full piece may be followed by more: the next is read (into the next slot, once free) while this is sealed.
      const nextSlot = (k + 1) % SLOTS;
      reading =
        length === READ_SIZE ? free[nextSlot]!.then(() => readFully(source, inputs[nextSlot]!)) : Promise.resolve(0);
      reading.catch(ignore);
      let filled = k === 0 ? prologue.copy(out, 0) : 0;
      const chunks = Math.max(1, Math.ceil(length / CHUNK_SIZE));
      for (let i = 0; i < chunks - 1; i++)
        filled += payload.sealInto(piece.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE), false, out, filled);
      // The piece's last chunk is the file's final one exactly when nothing follows it.
      const next = await reading;
      // Checked once the next piece is in, so a cancelled pass never goes on to complete the file.
      if (job.cancel && Atomics.load(job.cancel, 0) !== 0) throw abortError();
      filled += payload.sealInto(piece.subarray((chunks - 1) * CHUNK_SIZE, length), next === 0, out, filled);
      free[slot] = Promise.all([
        writeFully(job.fd, out, filled, written),
        hashing.update(piece.subarray(0, length), out.subarray(0, filled)),
      ]);
      free[slot].catch(ignore);
      size += length;
      written += filled;
      if (next === 0) break;
      length = next;
    }
    await Promise.all(free);
    const digests = await hashing.digests();
    return {
      plaintext: { sha256: digests.plaintext, size },
      ciphertext: { sha256: digests.ciphertext, size: written },
    };
  } finally {
    // Nothing may still be writing to the descriptor (or reading into a buffer) once this settles.
    await Promise.allSettled([...free, reading]);
    await source.close();
  }
}

/**
 * Fills `buffer` with what follows in the file unless it ends first; returns the bytes read (0 at the end). Reads
 * follow one another (one at a time), from the file's own position.
 */
async function readFully(source: FileHandle, buffer: Buffer): Promise<number> {
  let length = 0;
  while (length < buffer.length) {
    const { bytesRead } = await source.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return length;
}

/** Writes `length` bytes of `buffer` at `position` (a write may take fewer: the rest follows). */
async function writeFully(fd: number, buffer: Buffer, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await writeAt(fd, buffer, done, length - done, position + done);
    done += bytesWritten;
  }
}

function abortError(): Error {
  return new DOMException('The encryption of the recording was cancelled', 'AbortError');
}
