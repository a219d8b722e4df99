// age encryption at rest: streaming encrypt and decrypt throughput, random-access reads, and the
// raw ChaCha20-Poly1305 of node:crypto for comparison. `node bench/age.ts` or `npm run bench`;
// BENCH_AGE_MIB sets the size (default 256).
import { createCipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { report } from './report.ts';
import {
  CHUNK_SIZE,
  decryptStream,
  encryptStream,
  generateIdentity,
  openRandomAccess,
} from '../src/infra/crypto/age/index.ts';

const MiB = 1024 * 1024;

export async function benchAge(mebibytes = Number(process.env['BENCH_AGE_MIB'] ?? 256)): Promise<void> {
  const total = mebibytes * MiB;
  const { identity, recipient } = generateIdentity();
  // 16 MiB of random plaintext, streamed repeatedly in 64 KiB pieces as a file stream would give it.
  const block = randomBytes(16 * MiB);
  function* plaintext(): Generator<Buffer> {
    for (let sent = 0; sent < total; sent += CHUNK_SIZE) {
      const at = sent % block.length;
      yield block.subarray(at, at + Math.min(CHUNK_SIZE, total - sent));
    }
  }

  const options = { recipients: [recipient], binding: 'bench' };
  // Warm up (JIT, OpenSSL contexts) on 16 MiB.
  for await (const piece of decryptStream(encryptStream([block], options), {
    identities: [identity],
    binding: 'bench',
  }))
    void piece;

  // Timed with the output counted and dropped, as when piped to a file.
  let encrypted = 0;
  let e0 = performance.now();
  for await (const piece of encryptStream(plaintext(), options)) encrypted += piece.length;
  const encryptMs = performance.now() - e0;

  const ciphertext: Buffer[] = [];
  for await (const piece of encryptStream(plaintext(), options)) ciphertext.push(piece);
  const file = Buffer.concat(ciphertext);
  ciphertext.length = 0;
  if (file.length !== encrypted) throw new Error('the two encryptions differ in size');

  // Ciphertext in 64 KiB pieces: misaligned with the 65,552-byte chunks, as reading a file would be.
  function* stored(): Generator<Buffer> {
    for (let at = 0; at < file.length; at += CHUNK_SIZE) yield file.subarray(at, at + CHUNK_SIZE);
  }
  let decrypted = 0;
  const d0 = performance.now();
  for await (const piece of decryptStream(stored(), { identities: [identity], binding: 'bench' }))
    decrypted += piece.length;
  const decryptMs = performance.now() - d0;
  if (decrypted !== total) throw new Error(`decrypted ${decrypted} bytes, expected ${total}`);

  const reads = 2_000;
  const r0 = performance.now();
  const opened = await openRandomAccess({
    size: file.length,
    readRange: async (start, end) => file.subarray(start, end + 1),
    identities: [identity],
    binding: 'bench',
  });
  const openMs = performance.now() - r0;
  const s0 = performance.now();
  for (let i = 0; i < reads; i++) {
    const start = Math.floor(Math.random() * (total - CHUNK_SIZE));
    await opened.read(start, start + CHUNK_SIZE - 1);
  }
  const readsMs = performance.now() - s0;

  // The primitive alone: one cipher per 64 KiB chunk, as the format needs.
  const key = randomBytes(32);
  const nonce = Buffer.alloc(12);
  e0 = performance.now();
  for (const piece of plaintext()) {
    const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    cipher.update(piece);
    cipher.final();
    cipher.getAuthTag();
  }
  const rawMs = performance.now() - e0;

  const rate = (ms: number) => `${(mebibytes / (ms / 1000)).toFixed(0)} MiB/s`;
  console.log(`age encryption at rest (${mebibytes} MiB, in memory, 64 KiB pieces; ${rate(rawMs)} raw)`);
  const anchor = { what: 'raw ChaCha20-Poly1305 per 64 KiB chunk (node:crypto)', value: rawMs };
  report({ what: `encrypt stream (${rate(encryptMs)})`, value: encryptMs, unit: 'ms', anchor });
  report({ what: `decrypt stream (${rate(decryptMs)})`, value: decryptMs, unit: 'ms', anchor });
  report({ what: 'random access: open the header', value: openMs, unit: 'ms' });
  report({ what: `random access: one 64 KiB read (mean of ${reads})`, value: readsMs / reads, unit: 'ms' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await benchAge();
}
