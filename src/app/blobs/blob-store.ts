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

/**
 * Where files (agencies' reports now, recordings later) are kept. Keys are random UUIDs chosen by
 * the store, so nothing a person typed or uploaded (a file name) ever becomes part of a path.
 * `put` is all or nothing: content is only visible under its key once it is completely and durably
 * written; a failed or refused put leaves nothing behind.
 */
export interface BlobStore {
  put(content: Readable | Uint8Array, opts?: PutOptions): Promise<StoredBlob>;
  /** The content as a stream; BlobNotFoundError when there is no such key. */
  get(key: string): Promise<Readable>;
  /** Removes the content; removing a key that is not there is not an error. */
  delete(key: string): Promise<void>;
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

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Keys are the store's own random UUIDs (v4, lower case); anything else is refused before any file-system call. */
export function isBlobKey(key: unknown): key is string {
  return typeof key === 'string' && KEY.test(key);
}
