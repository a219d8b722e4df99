/**
 * The seal pass's second thread (started beside seal-worker.ts by sealed-original.ts): the two SHA-256s of ingest's
 * one pass, the plaintext's and the encrypted file's, taken from shared memory the seal worker names over `port`, in
 * the order it sends them, each piece acknowledged once hashed so the seal worker may reuse its buffers. While this
 * hashes, the seal worker encrypts the next pieces, so the pass uses both cores.
 */
import { createHash } from 'node:crypto';
import { type MessagePort, workerData } from 'node:worker_threads';
import type { HashReply, HashRequest } from './seal-worker.ts';

const port = (workerData as { port: MessagePort }).port;
const plaintext = createHash('sha256');
const ciphertext = createHash('sha256');
port.on('message', (m: HashRequest) => {
  if (m.kind === 'end') {
    const reply: HashReply = {
      kind: 'digests',
      plaintext: plaintext.digest('hex'),
      ciphertext: ciphertext.digest('hex'),
    };
    port.postMessage(reply);
    port.close();
    return;
  }
  plaintext.update(new Uint8Array(m.plaintext.buffer, m.plaintext.offset, m.plaintext.length));
  ciphertext.update(new Uint8Array(m.ciphertext.buffer, m.ciphertext.offset, m.ciphertext.length));
  port.postMessage({ kind: 'hashed', seq: m.seq } satisfies HashReply);
});
