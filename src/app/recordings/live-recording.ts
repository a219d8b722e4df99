/**
 * Recording live in the browser: starting, chunks flushed before they are acknowledged, breaks and
 * stopping.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../../domain/access/roles.ts';
import { formatClockTime, parseClockTime } from '../../domain/conferences/meeting.ts';
import {
  MAX_CHUNK_BYTES,
  RECORDING_KINDS,
  assertRecordingMove,
  judgeChunk,
  pauseLive,
  resumeLive,
  stopLive,
  type RecordingKind,
} from '../../domain/recordings/index.ts';
import { InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Repositories } from '../unit-of-work.ts';
import { auditConference, withConferenceAccess } from '../conferences/conference-access.ts';
import type { BreakRecord, RecordingRecord } from './ports.ts';
import { ChunkGapError, RECORDING_ROLES, RecordingError, liveSession, requireRole } from './recording-shared.ts';
import type { LiveStart } from './recording-views.ts';
import { RecordingPart } from './recording-part.ts';
import { conferenceSummaries } from './recording-reading.ts';

export class LiveRecording extends RecordingPart {
  /**
   * The page that starts a live recording: the conference, its parts (a split conference's recording
   * belongs to one) with their times, and the recordings in the browser still open. Audited as a view
   * of the conference's meeting, in one unit of work.
   */
  async liveStart(actor: Actor, ctx: RequestContext, conferenceId: string): Promise<LiveStart> {
    const action = 'conference.meeting.view';
    return withConferenceAccess(this.deps.uow, actor, conferenceId, 'view', action, ctx, async (repos) => {
      const conference = await repos.meeting.findConference(conferenceId);
      if (!conference) throw new NotFoundError('The conference');
      const children = await repos.meeting.listChildren(conferenceId);
      const parts = await repos.meeting.listParts(conferenceId);
      const open = (await conferenceSummaries(repos, conferenceId, this.deps.clock.now())).filter(
        (r) => r.source === 'browser' && r.status === 'receiving',
      );
      await auditConference(repos, ctx, action, conferenceId, {});
      const base = parseClockTime(conference.startTime) ?? 0;
      const { id, type, status, scheduledDate, reminderGivenAt } = conference;
      return {
        conference: { id, type, status, scheduledDate, reminderGivenAt },
        childNames: children.map((c) => `${c.givenNames} ${c.familyName}`.trim()),
        parts: parts.map((p) => ({
          id: p.id,
          label: p.label,
          startsAt: formatClockTime(base + p.startOffsetMinutes),
          endsAt: formatClockTime(base + p.startOffsetMinutes + p.durationMinutes),
        })),
        open,
      };
    });
  }

  async startLive(
    actor: Actor,
    ctx: RequestContext,
    conferenceId: string,
    input: { partId?: string | null; kind?: string },
  ): Promise<RecordingRecord> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const kind = (input.kind ?? 'meeting') as RecordingKind;
    if (!RECORDING_KINDS.includes(kind))
      throw new InvalidDetailsError([{ field: 'kind', message: 'Select what is being recorded' }]);
    return withConferenceAccess(this.deps.uow, actor, conferenceId, 'edit', 'recording.started', ctx, async (repos) => {
      const conference = await repos.meeting.findConference(conferenceId, { lock: true });
      if (!conference) throw new NotFoundError('The conference');
      if (conference.status === 'cancelled')
        throw new RecordingError('CONFERENCE_CANCELLED', 'This conference was cancelled, so it cannot be recorded');
      if (kind === 'dictation' && conference.status !== 'held' && conference.status !== 'in-progress') {
        throw new RecordingError('NOT_HELD', 'The chair’s dictation is recorded after the conference has started');
      }
      const partId = await this.checkPart(repos, conferenceId, input.partId);
      const recording = await repos.recordings.insert({
        conferenceId,
        conferencePartId: partId,
        kind,
        source: 'browser',
        clientSha256: null,
        startedAt: this.deps.clock.now(),
        createdBy: actor.id,
      });
      await this.audit(repos, ctx, 'recording.started', recording.id, { conferenceId, kind, source: 'browser' });
      return recording;
    });
  }

  /**
   * One chunk of a live recording, appended in order and flushed to disk before it is acknowledged, so
   * a failed laptop loses only what was not yet sent. A resend of an acknowledged chunk is harmless.
   */
  async appendChunk(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    input: { seq: number; bytes: Uint8Array; sha256?: string | null },
  ): Promise<{ nextChunk: number; receivedBytes: number; duplicate: boolean }> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    if (!Number.isInteger(input.seq) || input.seq < 0)
      throw new RecordingError('BAD_CHUNK', 'The chunk number is not valid');
    if (input.bytes.byteLength === 0) throw new RecordingError('BAD_CHUNK', 'The chunk is empty');
    if (input.bytes.byteLength > MAX_CHUNK_BYTES) throw new RecordingError('BAD_CHUNK', 'The chunk is too large');
    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    if (input.sha256 && input.sha256.toLowerCase() !== sha256)
      throw new RecordingError('CHUNK_CORRUPT', 'The chunk was damaged on the way; it will be sent again');
    return this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.chunk',
      async (repos, recording) => {
        if (recording.source !== 'browser' || recording.status !== 'receiving' || recording.liveStoppedAt) {
          throw new RecordingError('NOT_RECEIVING', 'This recording is not receiving audio');
        }
        const verdict = judgeChunk(
          recording.nextChunk,
          input.seq,
          sha256,
          input.seq < recording.nextChunk ? await repos.recordings.chunkSha256(recordingId, input.seq) : null,
        );
        if (verdict.kind === 'duplicate')
          return { nextChunk: recording.nextChunk, receivedBytes: recording.receivedBytes, duplicate: true };
        if (verdict.kind === 'gap') throw new ChunkGapError(verdict.expected);
        const receivedBytes = recording.receivedBytes + input.bytes.byteLength;
        if (receivedBytes > this.deps.settings.maxBytes)
          throw new RecordingError('TOO_LARGE', 'The recording has reached the largest size the service accepts');
        await this.deps.staging.append(recordingId, recording.receivedBytes, input.bytes);
        await repos.recordings.insertChunk(recordingId, {
          seq: input.seq,
          sha256,
          size: input.bytes.byteLength,
          receivedAt: this.deps.clock.now(),
        });
        await repos.recordings.update(recordingId, { nextChunk: input.seq + 1, receivedBytes });
        return { nextChunk: input.seq + 1, receivedBytes, duplicate: false };
      },
      { lock: true },
    );
  }

  /** a break, with its reason, at a point in the recording. */
  async pause(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    input: { atMs: number; reason: string },
  ): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    await this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.paused',
      async (repos, recording) => {
        const breaks = await liveBreaks(repos, recording);
        const next = pauseLive(liveSession(recording, breaks), {
          atMs: input.atMs,
          at: this.deps.clock.now(),
          reason: input.reason,
        });
        const b = next.breaks.at(-1)!;
        await repos.recordings.insertBreak(recordingId, { ordinal: breaks.length + 1, ...b });
        await repos.recordings.update(recordingId, {});
        await this.audit(repos, ctx, 'recording.paused', recordingId, { atMs: b.atMs });
      },
      { lock: true },
    );
  }

  /** the end of a break and any change of who is present. */
  async resume(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    input: { participantChanges: string | null },
  ): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    await this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.resumed',
      async (repos, recording) => {
        const breaks = await liveBreaks(repos, recording);
        const next = resumeLive(liveSession(recording, breaks), {
          at: this.deps.clock.now(),
          participantChanges: input.participantChanges,
        });
        const b = next.breaks.at(-1)!;
        await repos.recordings.endBreak(recordingId, breaks.length, b.endedAt!, b.participantChanges);
        await repos.recordings.update(recordingId, {});
        await this.audit(repos, ctx, 'recording.resumed', recordingId);
      },
      { lock: true },
    );
  }

  /**
   * Stops a live recording (also after a crash: whatever arrived is kept) and queues the ingest.
   * Nothing is shown as stored until ingest has stored and hashed it.
   */
  async stop(actor: Actor, ctx: RequestContext, recordingId: string): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    await this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.stopped',
      async (repos, recording) => {
        const breaks = await liveBreaks(repos, recording);
        const now = this.deps.clock.now();
        const next = stopLive(liveSession(recording, breaks), now);
        const last = next.breaks.at(-1);
        if (last && breaks.at(-1)?.endedAt === null)
          await repos.recordings.endBreak(recordingId, breaks.length, last.endedAt!, null);
        if (recording.receivedBytes === 0) {
          assertRecordingMove('receiving', 'rejected');
          await repos.recordings.update(recordingId, {
            liveStoppedAt: now,
            status: 'rejected',
            rejectionReason: 'No audio was received',
          });
          await this.audit(repos, ctx, 'recording.stopped', recordingId, { receivedBytes: 0 }, 'failure');
          return;
        }
        assertRecordingMove('receiving', 'processing');
        await repos.recordings.update(recordingId, {
          liveStoppedAt: now,
          status: 'processing',
          processingStartedAt: now,
        });
        await this.audit(repos, ctx, 'recording.stopped', recordingId, {
          chunks: recording.nextChunk,
          receivedBytes: recording.receivedBytes,
        });
      },
      { lock: true },
    );
    await this.deps.queue.enqueueIngest(recordingId);
  }
}

/** The breaks of a recording still being made live in the browser; any other recording is refused. */
async function liveBreaks(repos: Repositories, recording: RecordingRecord): Promise<BreakRecord[]> {
  if (recording.source !== 'browser' || recording.status !== 'receiving')
    throw new RecordingError('NOT_RECEIVING', 'This recording is not live');
  return repos.recordings.listBreaks(recording.id);
}
