import type { Readable } from 'node:stream';
import { DomainError, NotFoundError } from '../../domain/shared/errors.ts';

/** What a stored file is known by: a random key, its SHA-256 (hex) and its length in bytes. */
export interface StoredBlob {
  key: string;
  sha256: string;
  size: number;
}

export interface PutOptions {
  /** Refuse (and keep nothing of) content longer than this many bytes. */
  maxBytes?: number;
}

export interface BlobStat {
  /** Length in bytes. */
  size: number;
  /** When the content was stored (the file's modification time, the object's Last-Modified). */
  storedAt: Date;
}

/**
 * Where files (agencies' reports, recordings) are kept: on the local file system or in an
 * S3-compatible object store. Keys are random UUIDs chosen by the store, so nothing a person typed
 * or uploaded (a file name) ever becomes part of a path. `put` is all or nothing: content is only
 * visible under its key once it is completely and durably written; a failed or refused put leaves
 * nothing behind. The SHA-256 is computed from the bytes as they are written (R-3: the original is
 * kept bit for bit, and its digest is what later fixity checks compare against).
 *
 * A key that is not one of the store's own (not a v4 UUID) is refused before any I/O: `get`,
 * `getRange` and `stat` answer BlobNotFoundError, `delete` does nothing.
 */
export interface BlobStore {
  put(content: Readable | Uint8Array, opts?: PutOptions): Promise<StoredBlob>;
  /** The content as a stream; BlobNotFoundError when there is no such key. */
  get(key: string): Promise<Readable>;
  /**
   * Bytes `start` to `endInclusive` (both counted from 0, as in an HTTP Range header), for range
   * requests and random-access decryption. BlobRangeError (with the blob's size when known) when the
   * range is not whole numbers with start ≤ end, or ends at or beyond the end of the content;
   * BlobNotFoundError when there is no such key.
   */
  getRange(key: string, start: number, endInclusive: number): Promise<Readable>;
  /** The size of the content; BlobNotFoundError when there is no such key. */
  stat(key: string): Promise<BlobStat>;
  /** Every key the store holds, in no particular order (for orphan sweeps and fixity checks). */
  list(): AsyncIterable<string>;
  /**
   * Writes new content under a key that exists, all or nothing: a reader sees the old bytes or the
   * new ones, never a mix, and a failed replace leaves the old bytes. BlobNotFoundError when there is
   * no such key. Only for rewriting an encrypted file's header when the recordings key is rotated
   * (the payload is unchanged); stored content is otherwise never changed in place.
   */
  replace(key: string, content: Readable | Uint8Array): Promise<StoredBlob>;
  /** Removes the content; removing a key that is not there is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Throws when the store cannot be reached or written to now (the folder is missing or read-only, the bucket
   * does not answer): for readiness probes. Reads and writes nothing of the content.
   */
  checkReachable?(): Promise<void>;
}

export class BlobTooLargeError extends DomainError {
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super('BLOB_TOO_LARGE', `The file is larger than the limit of ${maxBytes} bytes`);
    this.name = 'BlobTooLargeError';
    this.maxBytes = maxBytes;
  }
}

export class BlobNotFoundError extends NotFoundError {
  constructor() {
    super('The stored file');
    this.name = 'BlobNotFoundError';
  }
}

/**
 * A byte range that cannot be served. `size` is the content's length when the range was refused
 * because it reaches past the end (an HTTP layer answers 416 with `Content-Range: bytes *\/size`);
 * it is undefined when the range itself is malformed.
 */
export class BlobRangeError extends DomainError {
  readonly size: number | undefined;
  constructor(start: number, endInclusive: number, size?: number) {
    super(
      'BLOB_RANGE_NOT_SATISFIABLE',
      size === undefined
        ? `The byte range ${start}-${endInclusive} is not valid: it needs whole numbers with 0 ≤ start ≤ end`
        : `The byte range ${start}-${endInclusive} is outside the stored file of ${size} bytes`,
    );
    this.name = 'BlobRangeError';
    this.size = size;
  }
}

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Keys are the store's own random UUIDs (v4, lower case); anything else is refused before any I/O. */
export function isBlobKey(key: unknown): key is string {
  return typeof key === 'string' && KEY.test(key);
}

/** Checks the arguments of `getRange` before any I/O; throws BlobRangeError when they are malformed. */
export function assertValidRange(start: number, endInclusive: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endInclusive) || start < 0 || endInclusive < start) {
    throw new BlobRangeError(start, endInclusive);
  }
}
