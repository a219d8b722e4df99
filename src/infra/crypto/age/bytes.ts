/**
 * Byte sources for the streaming functions: a Node `Readable` (without an encoding), any async
 * iterable of `Uint8Array`s (an async generator, `fs.createReadStream`, a web stream), or an
 * iterable such as an array of buffers. A producer must not modify a buffer once it has yielded
 * it (Node's streams never do): decryption may hold it until a whole chunk has arrived.
 */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(
    `Expected bytes (Buffer or Uint8Array) from the stream but got ${typeof value}: do not set an encoding on it`,
  );
}

/** Pulls from a {@link ByteSource} on demand, keeping what has not been taken yet. */
export class ByteReader {
  private readonly iterator: AsyncIterator<unknown> | Iterator<unknown>;
  private parts: Buffer[] = [];
  private ended = false;
  /** Bytes held and not yet taken. */
  length = 0;

  constructor(source: ByteSource) {
    if (source !== null && typeof source === 'object' && Symbol.asyncIterator in source) {
      this.iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    } else if (source !== null && typeof source === 'object' && Symbol.iterator in source) {
      this.iterator = (source as Iterable<unknown>)[Symbol.iterator]();
    } else {
      throw new TypeError('Expected a Readable, an async iterable or an iterable of bytes');
    }
  }

  /** Pulls one more piece; false at the end of the source. */
  async pull(): Promise<boolean> {
    if (this.ended) return false;
    const result = await this.iterator.next();
    if (result.done) {
      this.ended = true;
      return false;
    }
    const bytes = toBuffer(result.value);
    if (bytes.length > 0) {
      this.parts.push(bytes);
      this.length += bytes.length;
    }
    return true;
  }

  /** Pulls until at least `n` bytes are held or the source ends. */
  async fill(n: number): Promise<void> {
    while (this.length < n && (await this.pull()));
  }

  /** Everything held, as one buffer (not taken). */
  peek(): Buffer {
    if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts, this.length)];
    return this.parts[0] ?? Buffer.alloc(0);
  }

  /** Takes up to `n` bytes. The result may share memory with the source's buffers. */
  take(n: number): Buffer {
    const count = Math.min(n, this.length);
    const first = this.parts[0];
    let out: Buffer;
    if (first !== undefined && first.length >= count) {
      out = first.subarray(0, count);
      if (first.length === count) this.parts.shift();
      else this.parts[0] = first.subarray(count);
    } else {
      out = Buffer.allocUnsafe(count);
      let at = 0;
      while (at < count) {
        const part = this.parts[0]!;
        const used = part.copy(out, at, 0, Math.min(part.length, count - at));
        at += used;
        if (used === part.length) this.parts.shift();
        else this.parts[0] = part.subarray(used);
      }
    }
    this.length -= count;
    return out;
  }

  /** Releases the source (destroys a Readable) when reading stops before its end. */
  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.iterator.return?.();
    }
  }
}
