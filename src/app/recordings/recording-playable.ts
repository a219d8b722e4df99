/**
 * Making a stored recording playable, the job after ingest: the full decode check, the playback copy and its
 * waveform. The original is already stored, encrypted and acknowledged; nothing here changes it. Audio that turns
 * out not to decode is shown as stored but not playable, with the reason, and its encrypted original is kept.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { AudioFacts, RecordingPlayable as PlayableState } from './ports.ts';
import { RecordingError, binding } from './recording-shared.ts';
import { RecordingPart } from './recording-part.ts';
import { discardUncommitted, type MadePlayback, makePlayableCopy, playbackDerivative } from './playback-copy.ts';
import { factsChange } from './recording-ingest.ts';

const SYSTEM = { actor: { id: null, label: 'system: recording playback' } };

export class RecordingPlayable extends RecordingPart {
  /**
   * The job: for a stored recording still being prepared, the audio is decoded in full and its playback copy and
   * waveform made, from the staged audio when this node still has it, otherwise from the decrypted original (its
   * SHA-256 compared as it is decrypted). Audio that does not decode is marked `undecodable` with the reason
   * (audited, the fatal alert raised); its encrypted original is kept. Idempotent; an infrastructure failure throws
   * so the job retries. Returns the recording's playable state.
   */
  async makePlayable(recordingId: string, opts: { signal?: AbortSignal } = {}): Promise<PlayableState | null> {
    const recording = await this.deps.uow.run((repos) => repos.recordings.find(recordingId));
    if (!recording) throw new NotFoundError('The recording');
    if (recording.status !== 'stored' || recording.playable !== 'preparing') return recording.playable;
    const staged = await this.deps.staging.size(recordingId);
    let input = this.deps.staging.pathFor(recordingId);
    let decrypted: string | null = null;
    try {
      if (staged !== recording.originalSize) {
        // Another node stored it, or its staged audio is gone: the original is decrypted (every chunk
        // authenticated) into scratch, and must be the audio whose SHA-256 was recorded.
        decrypted = this.deps.staging.scratchPath(`${recordingId}-playable.original`);
        input = decrypted;
        const hash = createHash('sha256');
        await pipeline(
          this.deps.cipher.decrypt(
            await this.deps.blobs.get(recording.originalBlobKey!),
            binding(recordingId, 'original'),
          ),
          new Transform({
            transform(chunk: Buffer, _enc, done) {
              hash.update(chunk);
              done(null, chunk);
            },
          }),
          createWriteStream(decrypted, { mode: 0o600 }),
        );
        if (hash.digest('hex') !== recording.originalSha256)
          throw new Error('The stored original does not decrypt to the SHA-256 recorded: it cannot be made playable');
      }
      const created: string[] = [];
      try {
        // One decode checks the audio in full and makes the playback copy and its waveform.
        let made: { facts: AudioFacts; playback: MadePlayback };
        try {
          made = await makePlayableCopy(this.deps, recordingId, input, created, {
            signal: opts.signal,
            scratchName: `${recordingId}-playback.mp3`,
            acceptCutEnd: recording.source === 'browser',
          });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          await discardUncommitted(this.deps, recordingId, created);
          return await this.markUndecodable(recordingId, err);
        }
        const { facts, playback } = made;
        await this.deps.uow.run(async (repos) => {
          const current = await repos.recordings.find(recordingId, { lock: true });
          if (current?.status !== 'stored' || current.playable !== 'preparing')
            throw new RecordingError('RECORDING_STATE', 'The recording changed while it was being made playable');
          await repos.recordings.update(recordingId, { ...factsChange(facts), playable: 'ready' });
          await repos.recordings.insertDerivative(playbackDerivative(recordingId, playback, recording.originalSha256!));
          // Committed with the recording: no longer pending.
          await repos.recordings.clearPendingBlobs(recordingId, created);
          await this.audit(repos, SYSTEM, 'recording.playable', recordingId, {
            durationMs: facts.durationMs,
            codec: facts.codec,
            container: facts.container,
            endsAbruptly: facts.cutEnd,
            playbackSha256: playback.sha256,
          });
        });
      } catch (err) {
        await discardUncommitted(this.deps, recordingId, created);
        throw err;
      }
    } finally {
      if (decrypted) await rm(decrypted, { force: true });
    }
    await this.deps.staging.remove(recordingId);
    this.deps.logger.info({ recordingId }, 'recording ready to play');
    return 'ready';
  }

  /** The stored audio does not decode: shown as stored but not playable, with the reason; the original is kept. */
  private async markUndecodable(recordingId: string, err: DomainError): Promise<PlayableState | null> {
    const marked = await this.deps.uow.run(async (repos) => {
      const current = await repos.recordings.find(recordingId, { lock: true });
      if (current?.status !== 'stored' || current.playable !== 'preparing') return current?.playable ?? null;
      await repos.recordings.update(recordingId, { playable: 'undecodable', playableProblem: err.message });
      await this.audit(
        repos,
        SYSTEM,
        'recording.undecodable',
        recordingId,
        { code: err.code, reason: err.message },
        'failure',
      );
      return 'undecodable' as const;
    });
    if (marked !== 'undecodable') return marked;
    await this.deps.staging.remove(recordingId);
    this.deps.logger.fatal(
      { alert: 'recording-undecodable', recordingId, code: err.code },
      'a stored recording cannot be decoded, so it cannot be played: its encrypted original is kept',
    );
    return 'undecodable';
  }
}
