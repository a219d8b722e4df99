import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BlobStore, BlobNotFoundError, BlobRangeError, BlobTooLargeError } from '../../app/blobs/blob-store.ts';

/** What the contract needs of one kind of store. `setup` runs before each test, on an empty store. */
export interface BlobStoreHarness {
  store: BlobStore;
  /** The same kind of store pointed where every I/O fails loudly (never with "not found"). */
  unreachable: BlobStore;
  /** Partial writes the backend holds outside any key (the file store's tmp directory); omitted where the backend cannot show them. */
  leftovers?: () => Promise<string[]>;
  cleanup?: () => Promise<void>;
}

const MiB = 1024 * 1024;
/** Larger than two multipart parts of 5 MiB (the S3 minimum), and not a multiple of anything. */
const BIG = 12 * MiB + 123;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NOT_KEYS = [
  '../../etc/passwd',
  'abc',
  '',
  '00000000-0000-4000-8000-000000000000/../x',
  '00000000-0000-4000-8000-00000000000G',
  'A0000000-0000-4000-8000-000000000000',
];

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function listAll(store: BlobStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list()) keys.push(key);
  return keys.sort();
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Irregular chunks (1 byte up to 1 MiB), as a network upload arrives. */
function chunked(content: Buffer): Readable {
  const sizes = [1, 1000, 65_536, MiB, 7];
  const parts: Buffer[] = [];
  for (let at = 0, i = 0; at < content.length; i++) {
    const n = sizes[i % sizes.length]!;
    parts.push(content.subarray(at, at + n));
    at += n;
  }
  return Readable.from(parts);
}

/** A stream that sends `before` bytes and then fails, as a client that goes away mid-upload. */
function failingAfter(before: number, error: Error): Readable & { sent: () => number } {
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= before) {
        this.destroy(error);
        return;
      }
      const n = Math.min(MiB, before - sent);
      sent += n;
      this.push(randomBytes(n));
    },
  });
  return Object.assign(stream, { sent: () => sent });
}

/**
 * The behaviour every BlobStore must have (file system, S3-compatible object store). R-3: the
 * original is kept bit for bit and its SHA-256 is computed from exactly the bytes stored.
 */
export function blobStoreContract(name: string, setup: () => Promise<BlobStoreHarness>): void {
  describe(`${name} (blob store contract)`, () => {
    let h: BlobStoreHarness;
    let store: BlobStore;
    beforeEach(async () => {
      h = await setup();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup?.();
    });

    it('R-3: stores a buffer or a stream of several MiB under a new random key, with the SHA-256 and size of exactly those bytes', async () => {
      const small = Buffer.from('a report\n');
      const a = await store.put(small);
      expect(a).toEqual({ key: expect.stringMatching(UUID_V4), sha256: sha256(small), size: small.length });
      expect((await readAll(await store.get(a.key))).equals(small)).toBe(true);

      const big = randomBytes(BIG);
      const b = await store.put(chunked(big));
      expect(b.key).toMatch(UUID_V4);
      expect(b.key).not.toBe(a.key);
      expect(b.sha256).toBe(sha256(big));
      expect(b.size).toBe(BIG);
      const back = await readAll(await store.get(b.key));
      expect(back.length).toBe(BIG);
      expect(back.equals(big)).toBe(true);
      expect(await store.stat(b.key)).toEqual({ size: BIG, storedAt: expect.any(Date) });
      expect(Math.abs((await store.stat(b.key)).storedAt.getTime() - Date.now())).toBeLessThan(10 * 60_000);
      expect(await store.stat(a.key)).toEqual({ size: small.length, storedAt: expect.any(Date) });

      const empty = await store.put(Buffer.alloc(0));
      expect(empty).toMatchObject({ size: 0, sha256: sha256(Buffer.alloc(0)) });
      expect((await readAll(await store.get(empty.key))).length).toBe(0);
    });

    it('reads any byte range: the start, the middle, the end, single bytes and across part boundaries', async () => {
      const big = randomBytes(BIG);
      const { key } = await store.put(big);
      const ranges: Array<[number, number]> = [
        [0, 0],
        [0, 99],
        [1, 1],
        [5 * MiB - 10, 5 * MiB + 10],
        [6 * MiB, 6 * MiB],
        [1234, 3 * MiB + 4321],
        [BIG - 100, BIG - 1],
        [BIG - 1, BIG - 1],
        [0, BIG - 1],
      ];
      for (const [start, end] of ranges) {
        const got = await readAll(await store.getRange(key, start, end));
        expect({ start, end, length: got.length }).toEqual({ start, end, length: end - start + 1 });
        expect(got.equals(big.subarray(start, end + 1)), `bytes ${start}-${end}`).toBe(true);
      }
    });

    it('refuses a range outside the content, naming its size, and a malformed range before any I/O', async () => {
      const content = randomBytes(1000);
      const { key } = await store.put(content);
      for (const [start, end] of [
        [0, 1000],
        [999, 1000],
        [1000, 1000],
        [5000, 6000],
      ] as const) {
        const err = await store.getRange(key, start, end).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, `bytes ${start}-${end}`).toBeInstanceOf(BlobRangeError);
        expect((err as BlobRangeError).size).toBe(1000);
        expect((err as BlobRangeError).code).toBe('BLOB_RANGE_NOT_SATISFIABLE');
      }
      const valid = '00000000-0000-4000-8000-000000000000';
      for (const [start, end] of [
        [10, 9],
        [-1, 5],
        [0.5, 5],
        [0, Number.NaN],
        [0, Number.POSITIVE_INFINITY],
      ] as const) {
        const err = await h.unreachable.getRange(valid, start, end).catch((e: unknown) => e);
        expect(err, `bytes ${start}-${end}`).toBeInstanceOf(BlobRangeError);
        expect((err as BlobRangeError).size).toBeUndefined();
      }
      const empty = await store.put(Buffer.alloc(0));
      await expect(store.getRange(empty.key, 0, 0)).rejects.toMatchObject({ name: 'BlobRangeError', size: 0 });
      await expect(store.getRange('00000000-0000-4000-8000-000000000000', 0, 0)).rejects.toBeInstanceOf(
        BlobNotFoundError,
      );
    });

    it('answers BlobNotFoundError for a key it does not hold', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      await expect(store.get(missing)).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store.stat(missing)).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store.getRange(missing, 0, 10)).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it('lists exactly the keys it holds, and deleting is idempotent', async () => {
      expect(await listAll(store)).toEqual([]);
      const keys: string[] = [];
      for (let i = 0; i < 5; i++) keys.push((await store.put(Buffer.from(`blob ${i}`))).key);
      expect(await listAll(store)).toEqual([...keys].sort());
      await store.delete(keys[0]!);
      await store.delete(keys[0]!);
      await store.delete('00000000-0000-4000-8000-000000000000');
      await expect(store.get(keys[0]!)).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store.stat(keys[0]!)).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await listAll(store)).toEqual(keys.slice(1).sort());
      expect((await readAll(await store.get(keys[1]!))).toString()).toBe('blob 1');
    });

    it('keeps nothing of content over maxBytes, however it arrives, and accepts content of exactly maxBytes', async () => {
      await expect(store.put(Buffer.alloc(11), { maxBytes: 10 })).rejects.toBeInstanceOf(BlobTooLargeError);
      await expect(
        store.put(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), { maxBytes: 10 }),
      ).rejects.toBeInstanceOf(BlobTooLargeError);
      // Past the first multipart part before the limit is reached.
      const source = chunked(randomBytes(BIG));
      const err = await store.put(source, { maxBytes: 11 * MiB }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BlobTooLargeError);
      expect((err as BlobTooLargeError).maxBytes).toBe(11 * MiB);
      expect(source.destroyed).toBe(true);
      expect(await listAll(store)).toEqual([]);
      if (h.leftovers) expect(await h.leftovers()).toEqual([]);

      const exact = await store.put(Readable.from([Buffer.alloc(6), Buffer.alloc(4)]), { maxBytes: 10 });
      expect(exact.size).toBe(10);
      expect(await listAll(store)).toEqual([exact.key]);
    });

    it('keeps nothing of a stream that fails part-way, and reports the stream’s own error', async () => {
      const early = failingAfter(1000, new Error('client went away'));
      await expect(store.put(early)).rejects.toThrow('client went away');
      const late = failingAfter(11 * MiB, new Error('client went away later'));
      await expect(store.put(late)).rejects.toThrow('client went away later');
      expect(late.sent()).toBe(11 * MiB);
      expect(await listAll(store)).toEqual([]);
      if (h.leftovers) expect(await h.leftovers()).toEqual([]);
    });

    it('replaces the content under an existing key whole; a failed replace keeps the old bytes; no new key appears', async () => {
      const first = await store.put(Buffer.from('the old header and payload'));
      const replaced = await store.replace(
        first.key,
        Readable.from([Buffer.from('the new header '), Buffer.from('and payload')]),
      );
      expect(replaced).toEqual({
        key: first.key,
        sha256: createHash('sha256').update('the new header and payload').digest('hex'),
        size: 26,
      });
      expect((await readAll(await store.get(first.key))).toString()).toBe('the new header and payload');
      // Reading the old content while writing its replacement (how a header is rewritten) works.
      const big = randomBytes(BIG);
      const second = await store.put(big);
      const prefix = Buffer.from('new prefix ');
      const rest = await store.getRange(second.key, 10, BIG - 1);
      const again = await store.replace(second.key, Readable.from(chain(prefix, rest)));
      expect(again.size).toBe(prefix.length + BIG - 10);
      expect((await readAll(await store.get(second.key))).equals(Buffer.concat([prefix, big.subarray(10)]))).toBe(true);

      await expect(store.replace(first.key, failingAfter(1000, new Error('source failed')))).rejects.toThrow(
        'source failed',
      );
      expect((await readAll(await store.get(first.key))).toString()).toBe('the new header and payload');
      await expect(store.replace('00000000-0000-4000-8000-000000000000', Buffer.from('x'))).rejects.toBeInstanceOf(
        BlobNotFoundError,
      );
      await expect(store.replace('../../etc/passwd', Buffer.from('x'))).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await listAll(store)).toEqual([first.key, second.key].sort());
      if (h.leftovers) expect(await h.leftovers()).toEqual([]);
    });

    it('refuses keys it did not make before any I/O', async () => {
      const unreachable = h.unreachable;
      // The unreachable store really fails for a well-formed key, so a refusal below is not I/O failing.
      const wellFormed = '00000000-0000-4000-8000-000000000000';
      const ioError = await unreachable.get(wellFormed).catch((e: unknown) => e);
      expect(ioError).toBeInstanceOf(Error);
      expect(ioError).not.toBeInstanceOf(BlobNotFoundError);
      await expect(unreachable.delete(wellFormed)).rejects.toBeInstanceOf(Error);
      for (const key of NOT_KEYS) {
        await expect(unreachable.get(key), key).rejects.toBeInstanceOf(BlobNotFoundError);
        await expect(unreachable.stat(key), key).rejects.toBeInstanceOf(BlobNotFoundError);
        await expect(unreachable.getRange(key, 0, 0), key).rejects.toBeInstanceOf(BlobNotFoundError);
        await expect(unreachable.delete(key), key).resolves.toBeUndefined();
        await expect(store.get(key), key).rejects.toBeInstanceOf(BlobNotFoundError);
      }
      // Content over the limit that is already in memory is refused without writing anything either.
      await expect(unreachable.put(Buffer.alloc(11), { maxBytes: 10 })).rejects.toBeInstanceOf(BlobTooLargeError);
    });
  });
}

async function* chain(first: Buffer, rest: Readable): AsyncGenerator<Buffer> {
  yield first;
  for await (const piece of rest) yield piece as Buffer;
}
