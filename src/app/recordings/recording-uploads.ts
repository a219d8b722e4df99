/** Uploads of files made elsewhere: started, the file handed over (tus or a form), cancelled, abandoned. */
import type { Actor } from '../../domain/access/roles.ts';
import {
  RECORDING_KINDS,
  RECORDING_SOURCES,
  assertRecordingMove,
  type RecordingKind,
  type RecordingSource,
} from '../../domain/recordings/index.ts';
import { InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { withConferenceAccess } from '../conferences/conference-access.ts';
import type { RecordingRecord } from './ports.ts';
import {
  ABANDONED_UPLOAD_MS,
  RECORDING_ROLES,
  RecordingError,
  SHA256,
  requireRole,
  waitsForFile,
} from './recording-shared.ts';
import { RecordingPart } from './recording-part.ts';

export class RecordingUploads extends RecordingPart {
  /** Starts an upload of a file made elsewhere; the bytes follow by tus or a plain form. */
  async createUpload(
    actor: Actor,
    ctx: RequestContext,
    conferenceId: string,
    input: { partId?: string | null; kind?: string | null; source?: string | null; clientSha256?: string | null },
  ): Promise<RecordingRecord> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const problems = [];
    const kind = (input.kind ?? '') as RecordingKind;
    if (!RECORDING_KINDS.includes(kind)) problems.push({ field: 'kind', message: 'Select what the recording is of' });
    const source = (input.source ?? '') as RecordingSource;
    if (!RECORDING_SOURCES.includes(source) || source === 'browser')
      problems.push({ field: 'source', message: 'Select where the recording was made' });
    const clientSha256 = input.clientSha256?.trim().toLowerCase() || null;
    if (clientSha256 && !SHA256.test(clientSha256))
      problems.push({ field: 'clientSha256', message: 'The file’s SHA-256 must be 64 hexadecimal characters' });
    if (problems.length) throw new InvalidDetailsError(problems);
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'recording.upload_started',
      ctx,
      async (repos) => {
        const conference = await repos.meeting.findConference(conferenceId, { lock: true });
        if (!conference) throw new NotFoundError('The conference');
        if (conference.status === 'cancelled')
          throw new RecordingError('CONFERENCE_CANCELLED', 'This conference was cancelled, so it has no recording');
        const partId = await this.checkPart(repos, conferenceId, input.partId);
        const recording = await repos.recordings.insert({
          conferenceId,
          conferencePartId: partId,
          kind,
          source,
          clientSha256,
          startedAt: this.deps.clock.now(),
          createdBy: actor.id,
        });
        await this.audit(repos, ctx, 'recording.upload_started', recording.id, { conferenceId, kind, source });
        return recording;
      },
    );
  }

  /** Who may send bytes for this upload: checked when a tus upload is created and at every PATCH. */
  async assertCanUpload(actor: Actor, ctx: RequestContext, recordingId: string): Promise<RecordingRecord> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    return this.withRecording(actor, ctx, recordingId, 'edit', 'recording.upload', async (_repos, recording) => {
      if (!waitsForFile(recording))
        throw new RecordingError('NOT_RECEIVING', 'This recording is not waiting for a file');
      return recording;
    });
  }

  /**
   * The SHA-256 the sender's browser computed for the file, recorded before the bytes are sent so
   * ingest verifies what arrives against it. A different hash from one already given is refused.
   */
  async declareClientSha256(actor: Actor, ctx: RequestContext, recordingId: string, sha256: string): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const value = sha256.trim().toLowerCase();
    if (!SHA256.test(value))
      throw new InvalidDetailsError([
        { field: 'clientSha256', message: 'The file’s SHA-256 must be 64 hexadecimal characters' },
      ]);
    await this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.client_sha256',
      async (repos, recording) => {
        if (!waitsForFile(recording))
          throw new RecordingError('NOT_RECEIVING', 'This recording is not waiting for a file');
        if (recording.clientSha256 === value) return;
        if (recording.clientSha256) {
          throw new RecordingError(
            'SHA256_DIFFERS',
            'The file chosen is not the file whose SHA-256 was given for this upload. Choose that file, or cancel this upload and start again',
            'file',
          );
        }
        await repos.recordings.update(recordingId, { clientSha256: value });
        await this.audit(repos, ctx, 'recording.client_sha256', recordingId, { sha256: value });
      },
      { lock: true },
    );
  }

  /**
   * A finished upload: the file is moved into staging under the recording's id (its name is never
   * used) and ingest is queued. For a recording whose audio went missing before ingest (`audio_missing`),
   * this is the audio uploaded again by staff against the same recording: audited as such, then checked
   * exactly as any upload is (by content, and against the SHA-256 the first sender's browser gave).
   */
  async completeUpload(actor: Actor, ctx: RequestContext, recordingId: string, filePath: string): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const size = await this.deps.staging.sourceSize(filePath);
    await this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.uploaded',
      async (repos, recording) => {
        if (!waitsForFile(recording))
          throw new RecordingError('NOT_RECEIVING', 'This recording is not waiting for a file');
        if (size > this.deps.settings.maxBytes)
          throw new RecordingError('TOO_LARGE', 'The file is larger than the service accepts');
        assertRecordingMove(recording.status, 'processing');
        await this.deps.staging.adopt(recordingId, filePath);
        const now = this.deps.clock.now();
        await repos.recordings.update(recordingId, {
          status: 'processing',
          processingStartedAt: now,
          receivedBytes: size,
        });
        if (recording.status === 'audio_missing')
          await this.audit(repos, ctx, 'recording.audio_reuploaded', recordingId, {
            size,
            previousSize: recording.receivedBytes,
            missingSince: recording.audioMissingAt?.toISOString() ?? null,
          });
        else await this.audit(repos, ctx, 'recording.uploaded', recordingId, { size });
      },
      { lock: true },
    );
    await this.deps.queue.enqueueIngest(recordingId);
  }

  /**
   * Whether a finished tus upload was already handed over: the service stopped between moving the file
   * into staging and answering the sender (or committing). The size handed over when the recording is being
   * stored (or stored), or when it still waits but its staged file is there, complete, in which case the hand-over is
   * finished now (committed and ingest queued) so the sender is told the upload is complete instead of
   * being made to send it all again. Null otherwise (`expectedSize` null: only a hand-over already made counts).
   */
  async resumeHandOver(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    expectedSize: number | null,
  ): Promise<number | null> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const recording = await this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.upload',
      async (_r, rec) => rec,
    );
    if (recording.source === 'browser' && recording.status !== 'audio_missing') return null;
    if (recording.status === 'processing' || recording.status === 'stored') return recording.receivedBytes;
    if (!waitsForFile(recording) || expectedSize === null) return null;
    const staged = await this.deps.staging.size(recordingId);
    if (staged === null || staged !== expectedSize) return null;
    const finished = await this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.uploaded',
      async (repos, current) => {
        if (!waitsForFile(current))
          return current.status === 'processing' || current.status === 'stored' ? current.receivedBytes : null;
        assertRecordingMove(current.status, 'processing');
        await repos.recordings.update(recordingId, {
          status: 'processing',
          processingStartedAt: this.deps.clock.now(),
          receivedBytes: staged,
        });
        await this.audit(
          repos,
          ctx,
          current.status === 'audio_missing' ? 'recording.audio_reuploaded' : 'recording.uploaded',
          recordingId,
          {
            size: staged,
            resumedAfterInterruption: true,
          },
        );
        return staged;
      },
      { lock: true },
    );
    if (finished !== null) await this.deps.queue.enqueueIngest(recordingId);
    return finished;
  }

  /** Business support abandons an upload that never finished (nothing was stored). */
  async cancelUpload(actor: Actor, ctx: RequestContext, recordingId: string): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    await this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.upload_cancelled',
      async (repos, recording) => {
        if (recording.status !== 'receiving')
          throw new RecordingError('NOT_RECEIVING', 'Only a recording that is still receiving audio can be cancelled');
        await repos.recordings.update(recordingId, {
          status: 'rejected',
          rejectionReason: 'Cancelled before any audio was stored',
        });
        await this.audit(repos, ctx, 'recording.upload_cancelled', recordingId);
      },
      { lock: true },
    );
    await this.deps.staging.remove(recordingId);
  }

  /**
   * The daily clean-up: uploads that began more than `olderThanMs` ago and never finished are cancelled
   * (status rejected, with the reason; audited as the system; their staging removed). An upload whose
   * resumable (tus) file is still kept, because bytes arrived for it within the grace period, is one
   * someone is still sending: its recording id is in `activeUploads` and it is left alone. A live
   * recording is cancelled only when no audio ever arrived: audio that did arrive is evidence, kept
   * for the chair to stop, and is returned in `liveWithAudio` for someone to look into.
   */
  async cancelAbandonedUploads(
    opts: { olderThanMs?: number; activeUploads?: ReadonlySet<string> } = {},
  ): Promise<{ cancelled: string[]; liveWithAudio: string[] }> {
    const olderThanMs = opts.olderThanMs ?? ABANDONED_UPLOAD_MS;
    const active = opts.activeUploads ?? new Set<string>();
    const before = new Date(this.deps.clock.now().getTime() - olderThanMs);
    const system = { actor: { id: null, label: 'system: abandoned uploads' } };
    const stalled = await this.deps.uow.run((repos) => repos.recordings.stalled(before));
    const cancelled: string[] = [];
    const liveWithAudio: string[] = [];
    for (const { id, status } of stalled) {
      if (status !== 'receiving' || active.has(id)) continue;
      const outcome = await this.deps.uow.run(async (repos) => {
        const r = await repos.recordings.find(id, { lock: true });
        // Checked again under the lock: the upload may have finished since it was listed.
        if (!r || r.status !== 'receiving' || r.startedAt.getTime() >= before.getTime()) return 'skip' as const;
        if (r.source === 'browser' && r.receivedBytes > 0) return 'live' as const;
        assertRecordingMove('receiving', 'rejected');
        const days = Math.round(olderThanMs / 86_400_000);
        const within = days === 1 ? 'a day' : `${days} days`;
        const reason =
          r.source === 'browser'
            ? `Cancelled: no audio arrived within ${within} of starting`
            : `Cancelled: the upload was not finished within ${within} of starting`;
        await repos.recordings.update(id, {
          status: 'rejected',
          rejectionReason: reason,
          ...(r.source === 'browser' ? { liveStoppedAt: this.deps.clock.now() } : {}),
        });
        await this.audit(repos, system, 'recording.upload_cancelled', id, {
          reason: 'abandoned',
          source: r.source,
          receivedBytes: r.receivedBytes,
          startedAt: r.startedAt.toISOString(),
        });
        return 'cancelled' as const;
      });
      if (outcome === 'live') liveWithAudio.push(id);
      if (outcome !== 'cancelled') continue;
      await this.deps.staging.remove(id);
      cancelled.push(id);
    }
    return { cancelled, liveWithAudio };
  }
}
