/**
 * Ranges of one stored file read for one request (a Range response over an encrypted copy). A read that
 * starts where the one before it ended is taken from the stream that one came from, so a response's pieces come
 * from one open file (or one ranged GET from an object store) read straight through, not a fresh open per piece.
 * Any other read is a ranged read of its own; a read of neither the file's first bytes (an encrypted file's header)
 * nor its last (its final chunk) starts the stream, from where it begins to the end of the file, so a response whose
 * first read is of the data (its file opened by an earlier request) reads the file through one open only. `close`
 * ends the stream (call it when the response ends).
 */
import type { Readable } from 'node:stream';
import type { BlobStore } from './blob-store.ts';

export interface SequentialReader {
  read(start: number, endInclusive: number): Promise<Buffer>;
  close(): void;
  /** Whether `close` was called: a read cut short by it tells nothing about the file. */
  readonly closed: boolean;
}

export class ReaderClosedError extends Error {
  constructor() {
    super('The stored file was closed: the response it was read for has ended');
    this.name = 'ReaderClosedError';
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export function sequentialReader(blobs: BlobStore, key: string, size: number): SequentialReader {
  let open: { at: number; source: Readable; parts: AsyncIterator<Buffer>; left: Buffer } | null = null;
  let closed = false;
  const drop = () => {
    open?.source.destroy();
    open = null;
  };
  const close = () => {
    closed = true;
    drop();
  };
  return {
    get closed() {
      return closed;
    },
    async read(start, endInclusive) {
      if (closed) throw new ReaderClosedError();
      if (open === null || open.at !== start) {
        drop();
        if (start === 0 || endInclusive === size - 1) return readAll(await blobs.getRange(key, start, endInclusive));
        const source = await blobs.getRange(key, start, size - 1);
        open = {
          at: start,
          source,
          parts: source[Symbol.asyncIterator]() as AsyncIterator<Buffer>,
          left: Buffer.alloc(0),
        };
      }
      const current = open;
      const wanted = endInclusive - start + 1;
      const parts = [current.left];
      let have = current.left.length;
      while (have < wanted) {
        const next = await current.parts.next();
        // A file shorter than it was stored: what there is, for the reader to find short (a damaged file).
        if (next.done) break;
        parts.push(next.value);
        have += next.value.length;
      }
      const all = Buffer.concat(parts, have);
      current.left = all.subarray(Math.min(wanted, have));
      current.at = endInclusive + 1;
      return all.subarray(0, wanted);
    },
    close,
  };
}
