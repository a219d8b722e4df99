import { Readable } from 'node:stream';
import type { AudioFacts, AudioTools, OpenedRange, RecordingCipher } from '../../app/recordings/ports.ts';
import type { AudioProbe, AudioToolkit } from '../audio/index.ts';
import { checkContainer } from '../audio/container-checks.ts';
import {
  type AgeIdentity,
  type AgeOpenedPayload,
  decryptStream,
  encryptStream,
  openRandomAccess,
  parseIdentity,
} from '../crypto/age/index.ts';

/**
 * Recordings encrypted at rest in age v1 for the council's recipient (and an optional offline
 * recovery recipient); decrypted with the council's identity. Every file is bound to its label.
 */
export function ageRecordingCipher(keys: {
  identities: readonly string[];
  recipients: readonly string[];
}): RecordingCipher {
  // The identities are parsed once, at their first use, not again for every Range request of a recording played.
  let parsed: AgeIdentity[] | null = null;
  const identities = () => (parsed ??= keys.identities.map(parseIdentity));
  return {
    encrypt(plaintext, binding) {
      return Readable.from(encryptStream(plaintext, { recipients: keys.recipients, binding }), { objectMode: false });
    },
    decrypt(ciphertext, binding) {
      return Readable.from(decryptStream(ciphertext, { identities: identities(), binding }), { objectMode: false });
    },
    async plaintextSize(readRange, ciphertextSize, binding) {
      const file = await openRandomAccess({ identities: identities(), binding, size: ciphertextSize, readRange });
      return file.plaintextSize;
    },
    async openRange(readRange, ciphertextSize, binding) {
      const file = await openRandomAccess({ identities: identities(), binding, size: ciphertextSize, readRange });
      return {
        plaintextSize: file.plaintextSize,
        read: (start, end) => file.read(start, end),
        reopen: reopener(file.payload),
      };
    },
    async decryptRange(readRange, ciphertextSize, binding, start, end) {
      const file = await openRandomAccess({ identities: identities(), binding, size: ciphertextSize, readRange });
      return file.read(start, end);
    },
  };
}

/**
 * Reading an opened file again through another request's reader. Made apart from the reader that opened it, so
 * what a caller keeps holds the payload only, never that reader's plaintext (its verified final chunk).
 */
function reopener(payload: AgeOpenedPayload): NonNullable<OpenedRange['reopen']> {
  return (readRange) => {
    const file = payload.file(readRange);
    return {
      plaintextSize: file.plaintextSize,
      read: (start, end) => file.read(start, end),
      reopen: reopener(payload),
    };
  };
}

/**
 * The ffmpeg toolkit behind the use cases' port. An unusable file is an `AudioRejectedError` (a
 * DomainError), so ingest records the reason rather than retrying.
 */
export function ffmpegAudioTools(toolkit: AudioToolkit): AudioTools {
  return {
    checkContainer: (path, opts = {}) => checkContainer(path, opts),
    async probe(path, opts = {}): Promise<AudioFacts> {
      return audioFacts(await toolkit.probe(path, opts));
    },
    async makePlaybackCopy(input, output, opts = {}) {
      await toolkit.makePlaybackCopy(input, output, opts);
    },
    computePeaks: (input, opts = {}) => toolkit.computePeaks(input, opts),
    async makePlayable(input, output, opts = {}) {
      const made = await toolkit.makePlayable(input, output, opts);
      return {
        facts: audioFacts(made.probe),
        peaks: made.peaks,
        copy: { sha256: made.copy.sha256, size: made.copy.sizeBytes },
      };
    },
  };
}

function audioFacts(p: AudioProbe): AudioFacts {
  return {
    container: p.container,
    codec: p.codec,
    durationMs: p.durationMs,
    sampleRate: p.sampleRate,
    channels: p.channels,
    hasVideo: p.hasVideo,
    cutEnd: p.cutEnd === true,
  };
}
