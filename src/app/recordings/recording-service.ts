/**
 * The audio record's use cases (R-1 … R-6): recording live in the browser, uploading files made
 * elsewhere, ingest (check by content, hash, encrypt, store durably, derive a playback copy), the
 * explanatory statement, bookmarks and withheld segments, listening (audited, with a reason), and
 * fixity checks that prove a stored original is still exactly what was received.
 */
import { isId, parseId } from '../../domain/shared/ids.ts';
import { cipherHashHolds } from '../blobs/key-custody.ts';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { canViewChild } from '../../domain/access/child-access.ts';
import { hasAnyRole, type Actor, type Role } from '../../domain/access/roles.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import { formatClockTime, parseClockTime } from '../../domain/conferences/meeting.ts';
import { englandClockTime, londonDateOf } from '../../domain/calendar/index.ts';
import { nameRecordings, validateRecordingLabel } from '../../domain/recordings/naming.ts';
import {
  assertRecordingMove,
  type BookmarkInput,
  type ExplanatoryStatement,
  judgeChunk,
  type LiveSession,
  liveStateOf,
  MAX_CHUNK_BYTES,
  pauseLive,
  type RecordingKind,
  RECORDING_KINDS,
  RECORDING_SOURCES,
  type RecordingSource,
  type RecordingStatus,
  resumeLive,
  type StatementInput,
  stopLive,
  validateBookmark,
  validateStatement,
  validateWithheldSegment,
  type WithheldSegmentInput,
} from '../../domain/recordings/index.ts';
import { AccessDeniedError, DomainError, NotFoundError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { BlobRangeError, type BlobStore } from '../blobs/blob-store.ts';
import {
  auditConference,
  auditConferenceDenial,
  checkConferenceChildren,
  withConferenceAccess,
} from '../conferences/conference-access.ts';
import type { MeetingConference } from '../conferences/meeting-ports.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type {
  AudioTools,
  BookmarkRecord,
  BreakRecord,
  DerivativeRecord,
  FixityEventRecord,
  FixityResult,
  FixityTrigger,
  IngestQueue,
  RecordingAuditEvent,
  RecordingCipher,
  RecordingRecord,
  RecordingStaging,
  StatementRecord,
  WithheldRecord,
} from './ports.ts';

/** Who makes and manages recordings: the chair records; business support uploads and looks after them. */
const RECORDING_ROLES: readonly Role[] = ['chair', 'business_support'];
/** Who may take away a copy of an original (an export, fixity-checked first). */
const EXPORT_ROLES: readonly Role[] = ['chair', 'business_support', 'access_to_records', 'qa_manager'];
/** A reason given to listen lets that person play the recording for this long. */
export const LISTENING_WINDOW_MS = 3 * 3_600_000;
export const LISTEN_REASON_MAX = 500;

export interface RecordingLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  fatal(obj: object, msg: string): void;
}

export interface RecordingServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  blobs: BlobStore;
  cipher: RecordingCipher;
  audio: AudioTools;
  staging: RecordingStaging;
  queue: IngestQueue;
  logger: RecordingLogger;
  settings: { maxBytes: number; fixityCycleDays: number; fixityRecheckFailedDays?: number };
}

/**
 * A recording whose latest fixity check failed is checked again after this many days (not the whole
 * cycle), raising the alert each time, until the failure has been dealt with (R-3).
 */
export const FIXITY_FAILED_RECHECK_DAYS = 1;
/** Uploads (and live recordings with no audio) still receiving after this long are cancelled. */
export const ABANDONED_UPLOAD_MS = 7 * 86_400_000;

export class RecordingError extends DomainError {
  constructor(code: string, message: string, field?: string) {
    super(code, message, field);
    this.name = 'RecordingError';
  }
}

/** A chunk ahead of the next one expected: the sender must resend from `expected` (nothing is appended out of order). */
export class ChunkGapError extends RecordingError {
  readonly expected: number;
  constructor(expected: number) {
    super('CHUNK_GAP', `Chunk ${expected} is needed next`);
    this.name = 'ChunkGapError';
    this.expected = expected;
  }
}

export interface RecordingSummary extends RecordingRecord {
  /** What tells it apart from the conference's other recordings: type, date, part, number and where it was made. */
  name: string;
  partLabel: string | null;
  createdByName: string | null;
  liveState: 'recording' | 'paused' | 'stopped' | null;
  statementConfirmed: boolean;
}

export interface ConferenceRecordings {
  conference: RecordingDetail['conference'];
  parts: Array<{ id: string; label: string }>;
  recordings: RecordingSummary[];
  can: { manage: boolean; export: boolean };
}

/** What the page that starts a live recording shows: the conference, its parts with their times, and live recordings still open. */
export interface LiveStart {
  conference: Pick<MeetingConference, 'id' | 'type' | 'status' | 'scheduledDate' | 'reminderGivenAt'>;
  childNames: string[];
  parts: Array<{ id: string; label: string; startsAt: string; endsAt: string }>;
  /** Recordings in the browser still receiving audio, to go back to. */
  open: RecordingSummary[];
}

/** A recording on business support's list of those needing someone to act. */
export interface RecordingNeedingAttention {
  id: string;
  conferenceId: string;
  name: string;
  source: RecordingSource;
  receivedBytes: number;
  /** When the audio was found missing, or when the live recording began. */
  since: Date;
}

export interface RecordingsNeedingAttention {
  /** The audio was acknowledged but went missing before it was stored: upload it again. */
  audioMissing: RecordingNeedingAttention[];
  /** Live recordings with audio, still not stopped a week after they began: stop or discard. */
  liveUnfinished: RecordingNeedingAttention[];
}

export interface RecordingDetail {
  recording: RecordingRecord;
  /** What tells it apart from the conference's other recordings (see domain/recordings/naming.ts). */
  name: string;
  /** `reminderGivenAt`: R-1, when the chair recorded telling those present, on starting the conference. */
  conference: {
    id: string;
    title: string;
    status: string;
    scheduledDate: string;
    childNames: string[];
    reminderGivenAt: Date | null;
  };
  partLabel: string | null;
  breaks: BreakRecord[];
  liveState: 'recording' | 'paused' | 'stopped' | null;
  playback: DerivativeRecord | null;
  /** The playback copy's latest integrity check failed (found by the cycle or while being played): it is not played. */
  playbackDamaged: boolean;
  /**
   * For a damaged playback copy: a new one is being made from the original (`repairing`), nobody has asked for
   * one yet (`needed`), or the original failed its check too, so none can be made (`impossible`). Null otherwise.
   */
  playbackRepair: PlaybackRepairState | null;
  statements: StatementRecord[];
  bookmarks: BookmarkRecord[];
  withheld: WithheldRecord[];
  fixity: FixityEventRecord[];
  /** People who may be named as not to hear a part: the conference's family, children and network. */
  people: Array<{ id: string; name: string }>;
  can: { manage: boolean; export: boolean };
}

export type PlaybackRepairState = 'repairing' | 'needed' | 'impossible';

/** Who queues a repair the service finds it needs, and runs it. */
const REPAIR_SYSTEM: RequestContext = { actor: { id: null, label: 'system: playback repair' } };

/**
 * The playback copy played and checked: the newest. A copy found damaged is kept (rows are never changed) and
 * a repaired one added after it, so older copies are superseded, never played or checked again.
 */
function latestPlayback(derivatives: readonly DerivativeRecord[]): DerivativeRecord | null {
  return derivatives.filter((d) => d.kind === 'playback').at(-1) ?? null;
}

/** Whether the original's latest check failed (nothing can be made from it). */
function originalFailedCheck(events: readonly FixityEventRecord[]): boolean {
  const last = events.filter((e) => e.derivativeId === null).at(-1);
  return last !== undefined && last.result !== 'ok';
}

/**
 * Whether a repair of this (damaged) copy is queued: by the service when it found the damage, or by staff, and
 * not since found never to have reached the queue.
 */
function repairQueuedFor(events: readonly RecordingAuditEvent[], derivativeId: string): boolean {
  const last = events
    .filter(
      (e) =>
        (e.action === 'recording.playback_repair_queued' || e.action === 'recording.playback_repair_not_queued') &&
        e.details['derivativeId'] === derivativeId,
    )
    .at(-1);
  return last?.action === 'recording.playback_repair_queued';
}

const binding = (recordingId: string, what: 'original' | 'playback') => `recording:${recordingId}:${what}`;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * W-7: what an open complaint's investigator may do with the conference's recordings without access to its
 * children: see them and listen (with the usual reason). Never change, export or see the evidence.
 */
const INVESTIGATOR_ACTIONS: ReadonlySet<string> = new Set([
  'recording.list',
  'recording.view',
  'recording.played',
  'recording.play',
  'recording.status',
]);

/**
 * Whether a recording takes a file now: an upload still waiting for its file, or any recording whose
 * acknowledged audio went missing before ingest (staff upload the audio again against it).
 */
function waitsForFile(recording: Pick<RecordingRecord, 'source' | 'status'>): boolean {
  return recording.status === 'audio_missing' || (recording.status === 'receiving' && recording.source !== 'browser');
}

/** Whether the latest check of this derived copy failed (it is not played until it is dealt with). */
function copyFailedCheck(events: readonly FixityEventRecord[], derivativeId: string): boolean {
  const last = events.filter((e) => e.derivativeId === derivativeId).at(-1);
  return last !== undefined && last.result !== 'ok';
}

const copyDamaged = (originalDamaged = false) =>
  originalDamaged
    ? new RecordingError(
        'COPY_DAMAGED',
        'This recording cannot be played: the copy made for listening and the original both failed their integrity checks. The council’s IT team has been told.',
      )
    : new RecordingError(
        'COPY_DAMAGED',
        'This recording is being repaired: the copy made for listening failed its integrity check and a new one is being made from the original. Try again later.',
      );

function requireRole(actor: Actor, roles: readonly Role[], what: string): void {
  if (!hasAnyRole(actor, roles)) throw new AccessDeniedError(`Only ${what} can do this`);
}

function liveSession(recording: RecordingRecord, breaks: BreakRecord[]): LiveSession {
  const state = liveStateOf({ breaks: breaks.map((b) => ({ ...b })) }, recording.liveStoppedAt !== null);
  return {
    state,
    breaks: breaks.map((b) => ({
      atMs: b.atMs,
      startedAt: b.startedAt,
      endedAt: b.endedAt,
      reason: b.reason,
      participantChanges: b.participantChanges,
    })),
  };
}

async function sha256OfFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

export class RecordingService {
  private readonly deps: RecordingServiceDeps;

  constructor(deps: RecordingServiceDeps) {
    this.deps = deps;
  }

  // ---------------------------------------------------------------- access

  /**
   * Runs `fn` with the recording, after checking the actor's access to every child in its conference,
   * all in one unit of work: the recording is looked up, the access checked and `fn` run (with its
   * audit entry) in the same transaction. A denial is audited in a transaction of its own, as the
   * refused one is rolled back; the rule is the conferences' (canViewChild / canEditChild).
   */
  private async withRecording<T>(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    access: 'view' | 'edit',
    action: string,
    fn: (repos: Repositories, recording: RecordingRecord) => Promise<T>,
    opts: { lock?: boolean } = {},
  ): Promise<T> {
    if (!isId(recordingId)) throw new NotFoundError('The recording');
    let denial: { conferenceId: string; reason: string; complaintId?: string } | null = null;
    try {
      return await this.deps.uow.run(async (repos) => {
        const recording = await repos.recordings.find(recordingId, { lock: opts.lock ?? false });
        if (!recording) throw new NotFoundError('The recording');
        const childIds = await repos.convening.conferenceChildIds(recording.conferenceId);
        if (!childIds) throw new NotFoundError('The conference');
        const refused = await checkConferenceChildren(
          repos,
          actor,
          recording.conferenceId,
          childIds,
          access,
          action,
          ctx,
          { investigatorMayView: INVESTIGATOR_ACTIONS.has(action) },
        );
        if (refused) {
          denial = { conferenceId: recording.conferenceId, ...refused };
          throw new AccessDeniedError();
        }
        return fn(repos, recording);
      });
    } catch (err) {
      if (denial !== null) {
        const { conferenceId, reason, complaintId }: { conferenceId: string; reason: string; complaintId?: string } =
          denial;
        await auditConferenceDenial(this.deps.uow, ctx, action, conferenceId, reason, complaintId);
      }
      throw err;
    }
  }

  private async audit(
    repos: Repositories,
    ctx: RequestContext,
    action: string,
    recordingId: string,
    details: Record<string, unknown> = {},
    outcome: 'success' | 'failure' = 'success',
  ) {
    await repos.audit.record({
      action,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'recording', id: recordingId },
      outcome,
      details,
    });
  }

  private async checkPart(
    repos: Repositories,
    conferenceId: string,
    partId: string | null | undefined,
  ): Promise<string | null> {
    if (!partId) return null;
    const parts = await repos.meeting.listParts(conferenceId);
    if (!parts.some((p) => p.id === partId))
      throw new InvalidDetailsError([{ field: 'partId', message: 'Select a part of this conference' }]);
    return partId;
  }

  // ---------------------------------------------------------------- reading

  async listForConference(actor: Actor, ctx: RequestContext, conferenceId: string): Promise<RecordingSummary[]> {
    return withConferenceAccess(this.deps.uow, actor, conferenceId, 'view', 'recording.list', ctx, (repos) =>
      this.summaries(repos, conferenceId),
    );
  }

  private async summaries(repos: Repositories, conferenceId: string): Promise<RecordingSummary[]> {
    // One transaction is one connection: its queries run one after another (never Promise.all).
    const conference = await repos.meeting.findConference(conferenceId);
    if (!conference) throw new NotFoundError('The conference');
    const rows = await repos.recordings.listForConference(conferenceId);
    const parts = await repos.meeting.listParts(conferenceId);
    const names = nameRecordings(conference, parts, rows);
    const out: RecordingSummary[] = [];
    for (const r of rows) {
      const breaks = r.source === 'browser' ? await repos.recordings.listBreaks(r.id) : [];
      const statements = await repos.recordings.listStatements(r.id);
      out.push({
        ...r,
        name: names.get(r.id)!,
        partLabel: parts.find((p) => p.id === r.conferencePartId)?.label ?? null,
        createdByName: null,
        liveState: r.source === 'browser' && r.status === 'receiving' ? liveSession(r, breaks).state : null,
        statementConfirmed: statements.length > 0,
      });
    }
    return out;
  }

  /**
   * R-4: the recordings on a child's record, named, newest conference first, from every conference the
   * child was in that this person may see (one with a sibling they may not see is left out, as the
   * conference itself is). Recordings not stored are left out: nothing of them is kept. Audited as a view.
   */
  async listForChild(
    actor: Actor,
    ctx: RequestContext,
    childId: string,
  ): Promise<
    Array<{ id: string; conferenceId: string; name: string; status: RecordingStatus; durationMs: number | null }>
  > {
    let denied = false;
    try {
      return await this.deps.uow.run(async (repos) => {
        const mayView = async (id: string) => {
          const facts = await repos.people.childAccessFacts(id);
          return facts !== null && canViewChild(actor, facts).allowed;
        };
        if (!(await mayView(childId))) {
          denied = true;
          throw new AccessDeniedError();
        }
        const out: Array<{
          id: string;
          conferenceId: string;
          name: string;
          status: RecordingStatus;
          durationMs: number | null;
        }> = [];
        for (const c of await repos.convening.listConferencesForChildren([childId])) {
          let all = true;
          for (const id of c.childIds) if (id !== childId && !(await mayView(id))) all = false;
          if (!all) continue;
          const rows = await repos.recordings.listForConference(c.id);
          if (!rows.length) continue;
          const names = nameRecordings(c, await repos.meeting.listParts(c.id), rows);
          for (const r of rows)
            if (r.status !== 'rejected')
              out.push({
                id: r.id,
                conferenceId: c.id,
                name: names.get(r.id)!,
                status: r.status,
                durationMs: r.durationMs,
              });
        }
        await repos.audit.record({
          action: 'recording.list',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: 'child', id: childId },
          outcome: 'success',
          details: { recordingIds: out.map((r) => r.id) },
        });
        return out;
      });
    } catch (err) {
      if (denied)
        await this.deps.uow.run(({ audit }) =>
          audit.record({
            action: 'recording.list',
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            subject: { type: 'child', id: childId },
            outcome: 'denied',
          }),
        );
      throw err;
    }
  }

  /**
   * A conference's recordings with what a page about them needs: the conference, its parts (each
   * recording belongs to one, so to who was present) and what this person may do. Audited as a view.
   */
  async conferenceRecordings(actor: Actor, ctx: RequestContext, conferenceId: string): Promise<ConferenceRecordings> {
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'view',
      'recording.list',
      ctx,
      async (repos) => {
        const conference = await repos.meeting.findConference(conferenceId);
        if (!conference) throw new NotFoundError('The conference');
        const children = await repos.meeting.listChildren(conferenceId);
        const parts = await repos.meeting.listParts(conferenceId);
        const recordings = await this.summaries(repos, conferenceId);
        await repos.audit.record({
          action: 'recording.list',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: 'conference', id: conferenceId },
          outcome: 'success',
        });
        return {
          conference: {
            id: conference.id,
            title: CONFERENCE_TYPE_LABELS[conference.type],
            status: conference.status,
            scheduledDate: conference.scheduledDate,
            childNames: children.map((c) => `${c.givenNames} ${c.familyName}`.trim()),
            reminderGivenAt: conference.reminderGivenAt,
          },
          parts: parts.map((p) => ({ id: p.id, label: p.label })),
          recordings,
          can: { manage: hasAnyRole(actor, RECORDING_ROLES), export: hasAnyRole(actor, EXPORT_ROLES) },
        };
      },
      { investigatorMayView: true },
    );
  }

  async detail(actor: Actor, ctx: RequestContext, recordingId: string): Promise<RecordingDetail> {
    return this.withRecording(actor, ctx, recordingId, 'view', 'recording.view', (repos, recording) =>
      this.readDetail(repos, actor, ctx, recording),
    );
  }

  /**
   * The listening page: the recording (its view audited, as on its page) and when this person may play
   * it until, or null when they must give a reason first; in one unit of work.
   */
  async listening(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<{ detail: RecordingDetail; until: Date | null }> {
    return this.withRecording(actor, ctx, recordingId, 'view', 'recording.view', async (repos, recording) => {
      const detail = await this.readDetail(repos, actor, ctx, recording);
      return { detail, until: await this.playableUntil(repos, actor, recordingId) };
    });
  }

  /**
   * The explanatory statement's form (R-2): the recording (its view audited, as on its page) with the
   * statement pre-filled from the conference and its breaks, or the latest confirmed one; in one unit of work.
   */
  async statementForm(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<{ detail: RecordingDetail; draft: ExplanatoryStatement; confirmed: StatementRecord | null }> {
    return this.withRecording(actor, ctx, recordingId, 'view', 'recording.view', async (repos, recording) => {
      const detail = await this.readDetail(repos, actor, ctx, recording);
      const confirmed = detail.statements.at(-1) ?? null;
      const draft = confirmed ? confirmed.content : await this.prefill(repos, recording);
      return { detail, draft, confirmed };
    });
  }

  /** Everything a page about the recording shows, with its view audited, in the caller's unit of work. */
  private async readDetail(
    repos: Repositories,
    actor: Actor,
    ctx: RequestContext,
    recording: RecordingRecord,
  ): Promise<RecordingDetail> {
    const recordingId = recording.id;
    const conference = await repos.meeting.findConference(recording.conferenceId);
    if (!conference) throw new NotFoundError('The conference');
    // Sequential: queries in one transaction share its connection (node-postgres warns on concurrent ones).
    const children = await repos.meeting.listChildren(recording.conferenceId);
    const parts = await repos.meeting.listParts(recording.conferenceId);
    const invitees = await repos.meeting.listInvitees(recording.conferenceId);
    const breaks = await repos.recordings.listBreaks(recordingId);
    const derivatives = await repos.recordings.listDerivatives(recordingId);
    const statements = await repos.recordings.listStatements(recordingId);
    const bookmarks = await repos.recordings.listBookmarks(recordingId);
    const withheld = await repos.recordings.listWithheld(recordingId);
    const fixity = await repos.recordings.listFixityEvents(recordingId);
    const name = nameRecordings(
      conference,
      parts,
      await repos.recordings.listForConference(recording.conferenceId),
    ).get(recordingId)!;
    const playback = latestPlayback(derivatives);
    const playbackDamaged = playback !== null && copyFailedCheck(fixity, playback.id);
    const playbackRepair: PlaybackRepairState | null = !playbackDamaged
      ? null
      : originalFailedCheck(fixity)
        ? 'impossible'
        : repairQueuedFor(await repos.recordings.auditEvents(recordingId), playback.id)
          ? 'repairing'
          : 'needed';
    await this.audit(repos, ctx, 'recording.view', recordingId);
    const people = [
      ...children.map((c) => ({ id: c.childId, name: `${c.givenNames} ${c.familyName}`.trim() })),
      ...invitees.filter((i) => i.personId).map((i) => ({ id: i.personId!, name: i.name })),
    ];
    return {
      recording,
      name,
      conference: {
        id: conference.id,
        title: CONFERENCE_TYPE_LABELS[conference.type],
        status: conference.status,
        scheduledDate: conference.scheduledDate,
        childNames: children.map((c) => `${c.givenNames} ${c.familyName}`.trim()),
        reminderGivenAt: conference.reminderGivenAt,
      },
      partLabel: parts.find((p) => p.id === recording.conferencePartId)?.label ?? null,
      breaks,
      liveState:
        recording.source === 'browser' && recording.status === 'receiving'
          ? liveSession(recording, breaks).state
          : null,
      playback,
      playbackDamaged,
      playbackRepair,
      statements,
      bookmarks,
      withheld,
      fixity,
      people: [...new Map(people.map((p) => [p.id, p])).values()],
      can: { manage: hasAnyRole(actor, RECORDING_ROLES), export: hasAnyRole(actor, EXPORT_ROLES) },
    };
  }

  /** The evidence page: hashes and every event about the recording from the audit trail. */
  async evidence(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<{
    recording: RecordingRecord;
    name: string;
    derivatives: DerivativeRecord[];
    fixity: FixityEventRecord[];
    events: RecordingAuditEvent[];
  }> {
    return this.withRecording(
      actor,
      ctx,
      recordingId,
      'view',
      'recording.evidence_viewed',
      async (repos, recording) => {
        const conference = await repos.meeting.findConference(recording.conferenceId);
        if (!conference) throw new NotFoundError('The conference');
        const parts = await repos.meeting.listParts(recording.conferenceId);
        const name = nameRecordings(
          conference,
          parts,
          await repos.recordings.listForConference(recording.conferenceId),
        ).get(recordingId)!;
        const derivatives = await repos.recordings.listDerivatives(recordingId);
        const fixity = await repos.recordings.listFixityEvents(recordingId);
        const events = await repos.recordings.auditEvents(recordingId);
        await this.audit(repos, ctx, 'recording.evidence_viewed', recordingId);
        return { recording, name, derivatives, fixity, events };
      },
    );
  }

  /**
   * The chair's short label, added to the recording's derived name so a referral can tell it apart
   * (blank takes it away). It describes the recording and is not part of the original (R-3), so it may
   * change after the recording is stored; each change is audited with the label given. Answers the
   * label as saved (spaces tidied, null when taken away).
   */
  async setLabel(actor: Actor, ctx: RequestContext, recordingId: string, input: string | null): Promise<string | null> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const label = validateRecordingLabel(input);
    await this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.labelled',
      async (repos, recording) => {
        if (recording.status === 'rejected')
          throw new RecordingError('NOT_STORED', 'This recording was not stored, so it cannot be labelled');
        if (recording.label === label) return;
        await repos.recordings.update(recordingId, { label });
        await this.audit(repos, ctx, 'recording.labelled', recordingId, { label });
      },
      { lock: true },
    );
    return label;
  }

  /**
   * Whether a recording is still being checked and stored, for the page that waits for it. Checked
   * exactly as the recording page is (a denial is audited), but a successful poll is not audited:
   * it tells only the state of ingest, which the audited view of the recording page already showed,
   * and a page polling every few seconds would bury that view in the trail.
   */
  async status(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<Pick<RecordingRecord, 'status' | 'rejectionReason'>> {
    return this.withRecording(actor, ctx, recordingId, 'view', 'recording.status', async (_repos, recording) => ({
      status: recording.status,
      rejectionReason: recording.rejectionReason,
    }));
  }

  // ---------------------------------------------------------------- recording live in the browser

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
      const open = (await this.summaries(repos, conferenceId)).filter(
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

  /** R-2: a break, with its reason, at a point in the recording. */
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
        if (recording.source !== 'browser' || recording.status !== 'receiving')
          throw new RecordingError('NOT_RECEIVING', 'This recording is not live');
        const breaks = await repos.recordings.listBreaks(recordingId);
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

  /** R-2: the end of a break and any change of who is present. */
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
        if (recording.source !== 'browser' || recording.status !== 'receiving')
          throw new RecordingError('NOT_RECEIVING', 'This recording is not live');
        const breaks = await repos.recordings.listBreaks(recordingId);
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
        if (recording.source !== 'browser' || recording.status !== 'receiving')
          throw new RecordingError('NOT_RECEIVING', 'This recording is not live');
        const breaks = await repos.recordings.listBreaks(recordingId);
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

  // ---------------------------------------------------------------- uploads

  /** Starts an upload of a file made elsewhere (R-5); the bytes follow by tus or a plain form. */
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
    const { size } = await stat(filePath);
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
   * for the chair to stop (R-3), and is returned in `liveWithAudio` for someone to look into.
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

  // ---------------------------------------------------------------- ingest (a background job)

  /**
   * Checks the received bytes by content, hashes them, encrypts and stores the original, reads it back
   * to prove it decrypts to the same hash, derives the playback copy and only then marks it stored.
   * Unusable audio is rejected with the reason; an infrastructure failure throws so the job retries.
   */
  async ingest(recordingId: string, opts: { signal?: AbortSignal } = {}): Promise<RecordingRecord['status']> {
    const system = { actor: { id: null, label: 'system: recording ingest' } };
    const recording = await this.deps.uow.run((repos) => repos.recordings.find(recordingId));
    if (!recording) throw new NotFoundError('The recording');
    if (recording.status !== 'processing') return recording.status;
    const staged = this.deps.staging.pathFor(recordingId);
    const reject = async (reason: string, details: Record<string, unknown> = {}) => {
      await this.deps.uow.run(async (repos) => {
        const current = await repos.recordings.find(recordingId, { lock: true });
        if (current?.status !== 'processing') return;
        assertRecordingMove('processing', 'rejected');
        await repos.recordings.update(recordingId, { status: 'rejected', rejectionReason: reason });
        await this.audit(repos, system, 'recording.rejected', recordingId, { reason, ...details }, 'failure');
      });
      // An upload's sender still has their file; a live recording's bytes are kept for an administrator.
      if (recording.source !== 'browser') await this.deps.staging.remove(recordingId);
      return 'rejected' as const;
    };
    const size = await this.deps.staging.size(recordingId);
    // Audio was acknowledged (an upload finished, chunks were received) but its staged file is gone or
    // shorter (a restore without the staging folder, a disk swap): never "no audio was received".
    if (recording.receivedBytes > 0 && (size === null || size < recording.receivedBytes))
      return this.markAudioMissing(recordingId, recording.receivedBytes, size);
    if (size === null || size === 0) return reject('No audio was received');

    const { sha256, size: hashedSize } = await sha256OfFile(staged);
    if (recording.clientSha256 && recording.clientSha256 !== sha256) {
      return reject('The file that arrived is not the file that was sent (its SHA-256 differs); upload it again', {
        expected: recording.clientSha256,
        actual: sha256,
      });
    }
    let facts;
    try {
      facts = await this.deps.audio.probe(staged, {
        ...(opts.signal ? { signal: opts.signal } : {}),
        acceptCutEnd: recording.source === 'browser',
      });
    } catch (err) {
      if (err instanceof DomainError) return reject(err.message, { code: err.code });
      throw err;
    }

    const created: string[] = [];
    const scratch = this.deps.staging.scratchPath(`${recordingId}-playback.mp3`);
    try {
      const original = await this.deps.blobs.put(
        this.deps.cipher.encrypt(createReadStream(staged), binding(recordingId, 'original')),
      );
      created.push(original.key);
      await this.notePending(recordingId, original.key);
      const readBack = await this.checkBlob(original.key, binding(recordingId, 'original'), sha256, original.sha256);
      if (readBack.result !== 'ok')
        throw new Error(`The stored original did not read back correctly: ${readBack.detail}`);

      const made = await this.makePlayback(recordingId, staged, scratch, opts);
      const playback = made.blob;
      const playbackHash = { size: made.size, sha256: made.sha256 };
      const playbackFacts = { durationMs: made.durationMs };
      const peaks = made.peaks;
      created.push(playback.key);
      await this.notePending(recordingId, playback.key);

      const now = this.deps.clock.now();
      await this.deps.uow.run(async (repos) => {
        const current = await repos.recordings.find(recordingId, { lock: true });
        if (current?.status !== 'processing')
          throw new RecordingError('RECORDING_STATE', 'The recording changed while it was being stored');
        assertRecordingMove('processing', 'stored');
        await repos.recordings.update(recordingId, {
          status: 'stored',
          storedAt: now,
          originalSize: hashedSize,
          originalSha256: sha256,
          originalBlobKey: original.key,
          originalBlobSha256: original.sha256,
          originalBlobSize: original.size,
          container: facts.container,
          codec: facts.codec,
          durationMs: facts.durationMs,
          sampleRate: facts.sampleRate,
          channels: facts.channels,
          endsAbruptly: facts.cutEnd,
        });
        await repos.recordings.insertDerivative({
          originalRecordingId: recordingId,
          kind: 'playback',
          mediaType: 'audio/mpeg',
          size: playbackHash.size,
          sha256: playbackHash.sha256,
          durationMs: playbackFacts.durationMs,
          blobKey: playback.key,
          blobSha256: playback.sha256,
          blobSize: playback.size,
          peaks: { perSecond: 10, values: peaks },
          originalSha256: sha256,
          details: null,
        });
        // Committed with the recording: no longer pending.
        await repos.recordings.clearPendingBlobs(recordingId, created);
        await repos.recordings.insertFixityEvent({
          recordingId,
          derivativeId: null,
          trigger: 'ingest',
          result: 'ok',
          detail: null,
          checkedAt: now,
        });
        await this.audit(repos, system, 'recording.stored', recordingId, {
          sha256,
          size: hashedSize,
          durationMs: facts.durationMs,
          codec: facts.codec,
          container: facts.container,
          endsAbruptly: facts.cutEnd,
          encryptedSha256: original.sha256,
        });
      });
    } catch (err) {
      for (const key of created) await this.deps.blobs.delete(key).catch(() => undefined);
      await this.deps.uow
        .run((repos) => repos.recordings.clearPendingBlobs(recordingId, created))
        .catch(() => undefined);
      throw err;
    } finally {
      await rm(scratch, { force: true });
    }
    await this.deps.staging.remove(recordingId);
    this.deps.logger.info({ recordingId }, 'recording stored');
    return 'stored';
  }

  /**
   * The playback copy (MP3, ffmpeg) and its waveform made from the plaintext audio at `input`, encrypted and
   * stored: at ingest from the staged audio, in a repair from the decrypted original. `scratch` is the caller's.
   */
  private async makePlayback(
    recordingId: string,
    input: string,
    scratch: string,
    opts: { signal?: AbortSignal },
  ): Promise<{
    size: number;
    sha256: string;
    durationMs: number;
    peaks: number[];
    blob: Awaited<ReturnType<BlobStore['put']>>;
  }> {
    await this.deps.audio.makePlaybackCopy(input, scratch, { signal: opts.signal });
    const hash = await sha256OfFile(scratch);
    const facts = await this.deps.audio.probe(scratch, { signal: opts.signal });
    const peaks = await this.deps.audio.computePeaks(scratch, { peaksPerSecond: 10, signal: opts.signal });
    const blob = await this.deps.blobs.put(
      this.deps.cipher.encrypt(createReadStream(scratch), binding(recordingId, 'playback')),
    );
    return { size: hash.size, sha256: hash.sha256, durationMs: facts.durationMs, peaks, blob };
  }

  /**
   * Notes an encrypted file this ingest wrote, before anything else can fail, so a crash before the commit
   * leaves a record of it for the start-up recovery to remove (never a second, unreferenced copy).
   */
  private async notePending(recordingId: string, blobKey: string): Promise<void> {
    try {
      await this.deps.uow.run((repos) => repos.recordings.addPendingBlob(recordingId, blobKey));
    } catch (err) {
      await this.deps.blobs.delete(blobKey).catch(() => undefined);
      throw err;
    }
  }

  /**
   * The acknowledged audio of a recording being stored is not in staging. The recording is kept, marked
   * `audio_missing` (audited as the system), and the fatal `recording-audio-missing` alert raised: staff
   * upload the audio again against the same recording. Staging is left as it is for whoever looks into it.
   */
  private async markAudioMissing(
    recordingId: string,
    receivedBytes: number,
    stagedBytes: number | null,
  ): Promise<RecordingStatus> {
    const system = { actor: { id: null, label: 'system: recording ingest' } };
    const marked = await this.deps.uow.run(async (repos) => {
      const current = await repos.recordings.find(recordingId, { lock: true });
      if (current?.status !== 'processing') return current?.status ?? null;
      assertRecordingMove('processing', 'audio_missing');
      await repos.recordings.update(recordingId, { status: 'audio_missing', audioMissingAt: this.deps.clock.now() });
      await this.audit(
        repos,
        system,
        'recording.audio_missing',
        recordingId,
        { receivedBytes, stagedBytes },
        'failure',
      );
      return 'audio_missing' as const;
    });
    if (marked !== 'audio_missing') return marked ?? 'processing';
    this.deps.logger.fatal(
      { alert: 'recording-audio-missing', recordingId, receivedBytes, stagedBytes },
      'the audio of an acknowledged recording is missing from staging: upload it again on the recording’s page',
    );
    return 'audio_missing';
  }

  /**
   * At start-up, before any job runs: ingests this node was running when it stopped (a crash, a kill) are
   * resumed at once instead of waiting for their job to expire. "This node's" are the recordings being
   * stored whose staged audio is in this node's staging (`stagedHere`). Encrypted files the interrupted
   * ingest wrote but never committed are removed first (never one the recording refers to), so the new
   * run leaves no second copy; then (after `beforeRequeue`, which cancels the stopped run's job) ingest is
   * queued again (it is idempotent). Returns the recordings
   * requeued and how many files were removed.
   */
  async recoverInterruptedIngests(
    stagedHere: ReadonlySet<string>,
    opts: { beforeRequeue?: (recordingId: string) => Promise<unknown> } = {},
  ): Promise<{ requeued: string[]; removed: number }> {
    const processing = await this.deps.uow.run((repos) => repos.recordings.listByStatus(['processing']));
    const requeued: string[] = [];
    let removed = 0;
    for (const r of processing) {
      if (!stagedHere.has(r.id)) continue;
      const { pending, referenced } = await this.deps.uow.run(async (repos) => ({
        pending: await repos.recordings.pendingBlobs(r.id),
        referenced: new Set(
          [
            (await repos.recordings.find(r.id))?.originalBlobKey ?? null,
            ...(await repos.recordings.listDerivatives(r.id, { withPeaks: false })).map((d) => d.blobKey),
          ].filter((k): k is string => k !== null),
        ),
      }));
      const orphans = pending.filter((k) => !referenced.has(k));
      for (const key of orphans) await this.deps.blobs.delete(key);
      await this.deps.uow.run((repos) => repos.recordings.clearPendingBlobs(r.id, pending));
      removed += orphans.length;
      await opts.beforeRequeue?.(r.id);
      await this.deps.queue.enqueueIngest(r.id);
      requeued.push(r.id);
    }
    if (requeued.length)
      this.deps.logger.warn({ recordingIds: requeued, filesRemoved: removed }, 'resumed ingests interrupted by a stop');
    return { requeued, removed };
  }

  /**
   * Business support's list of recordings needing someone to act, from the conferences this person may
   * see (every child in the conference): recordings whose audio went missing before they were stored
   * (upload the audio again), and live recordings still receiving, with audio, a week or more after they
   * began (stop it to store what arrived, or discard it with a reason). Audited as a view, with the ids.
   */
  async needingAttention(actor: Actor, ctx: RequestContext): Promise<RecordingsNeedingAttention> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const cutoff = this.deps.clock.now().getTime() - ABANDONED_UPLOAD_MS;
    return this.deps.uow.run(async (repos) => {
      const out: RecordingsNeedingAttention = { audioMissing: [], liveUnfinished: [] };
      const mayView = new Map<string, boolean>();
      const conferenceVisible = async (conferenceId: string) => {
        const cached = mayView.get(conferenceId);
        if (cached !== undefined) return cached;
        let ok = true;
        for (const childId of (await repos.convening.conferenceChildIds(conferenceId)) ?? []) {
          const facts = await repos.people.childAccessFacts(childId);
          if (!facts || !canViewChild(actor, facts).allowed) ok = false;
        }
        mayView.set(conferenceId, ok);
        return ok;
      };
      for (const r of await repos.recordings.listByStatus(['audio_missing', 'receiving'])) {
        const live = r.status === 'receiving';
        if (live && !(r.source === 'browser' && r.receivedBytes > 0 && r.startedAt.getTime() <= cutoff)) continue;
        if (!(await conferenceVisible(r.conferenceId))) continue;
        const conference = await repos.meeting.findConference(r.conferenceId);
        if (!conference) continue;
        const names = nameRecordings(
          conference,
          await repos.meeting.listParts(r.conferenceId),
          await repos.recordings.listForConference(r.conferenceId),
        );
        const item = {
          id: r.id,
          conferenceId: r.conferenceId,
          name: names.get(r.id)!,
          source: r.source,
          receivedBytes: r.receivedBytes,
          since: live ? r.startedAt : (r.audioMissingAt ?? r.processingStartedAt ?? r.startedAt),
        };
        (live ? out.liveUnfinished : out.audioMissing).push(item);
      }
      await repos.audit.record({
        action: 'recording.list',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        details: {
          needingAttention: true,
          recordingIds: [...out.audioMissing, ...out.liveUnfinished].map((i) => i.id),
        },
      });
      return out;
    });
  }

  /**
   * Discards a live recording that was never stopped, with the reason (a week or more old, say, or made in
   * error): it is not stored, the reason is kept as why, it is audited with the reason and the amount of
   * audio discarded, and its staged audio is removed. A recording still wanted is stopped instead.
   */
  async discardLive(actor: Actor, ctx: RequestContext, recordingId: string, reason: string): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const why = reason.trim();
    if (!why) throw new InvalidDetailsError([{ field: 'reason', message: 'Enter why the recording is discarded' }]);
    if (why.length > LISTEN_REASON_MAX)
      throw new InvalidDetailsError([
        { field: 'reason', message: `The reason must be ${LISTEN_REASON_MAX} characters or fewer` },
      ]);
    await this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.discarded',
      async (repos, recording) => {
        if (recording.source !== 'browser' || recording.status !== 'receiving')
          throw new RecordingError('NOT_RECEIVING', 'Only a live recording that was never stopped can be discarded');
        assertRecordingMove('receiving', 'rejected');
        await repos.recordings.update(recordingId, {
          status: 'rejected',
          rejectionReason: `Discarded: ${why}`,
          liveStoppedAt: recording.liveStoppedAt ?? this.deps.clock.now(),
        });
        await this.audit(repos, ctx, 'recording.discarded', recordingId, {
          reason: why,
          receivedBytes: recording.receivedBytes,
          chunks: recording.nextChunk,
        });
      },
      { lock: true },
    );
    await this.deps.staging.remove(recordingId);
  }

  /** Recordings stuck in processing after a crash are queued again (ingest is idempotent). */
  async requeueStalled(olderThanMs = 30 * 60_000): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - olderThanMs);
    const stalled = await this.deps.uow.run((repos) => repos.recordings.stalled(before));
    let n = 0;
    for (const s of stalled) {
      if (s.status === 'processing') {
        await this.deps.queue.enqueueIngest(s.id);
        n++;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- fixity

  /** Decrypts the whole blob (every chunk authenticated) and compares both hashes with those recorded. */
  private async checkBlob(
    key: string,
    bindingLabel: string,
    plainSha256: string,
    blobSha256: string,
  ): Promise<{ result: FixityResult; detail: string | null }> {
    let cipherStream: Readable;
    try {
      cipherStream = await this.deps.blobs.get(key);
    } catch (err) {
      if (err instanceof NotFoundError) return { result: 'missing', detail: 'The stored file is missing' };
      return { result: 'unreadable', detail: (err as Error).message };
    }
    const cipherHash = createHash('sha256');
    const plainHash = createHash('sha256');
    cipherStream.on('data', (c: Buffer) => cipherHash.update(c));
    try {
      await pipeline(this.deps.cipher.decrypt(cipherStream, bindingLabel), async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) plainHash.update(chunk);
      });
    } catch (err) {
      return { result: 'mismatch', detail: `The stored file does not decrypt: ${(err as Error).message}` };
    }
    const c = cipherHash.digest('hex');
    const p = plainHash.digest('hex');
    // A header rewritten for a new key changes the encrypted file's hash, never its payload: the rotation's audited
    // rewrap events lead from the recorded hash to the file's (R-3).
    if (!(await cipherHashHolds(this.deps.uow, key, blobSha256, c)))
      return { result: 'mismatch', detail: 'The encrypted file’s SHA-256 has changed' };
    if (p !== plainSha256) return { result: 'mismatch', detail: 'The recording’s SHA-256 has changed' };
    return { result: 'ok', detail: null };
  }

  /** Re-reads the original (and its playback copy), records fixity events and raises an alert on a mismatch. */
  async checkFixity(
    recordingId: string,
    trigger: FixityTrigger,
    ctx: RequestContext = { actor: { id: null, label: 'system: fixity' } },
  ): Promise<FixityResult> {
    // The cipher binds each file to its recording's id as stored (lower case): any other spelling would
    // fail to decrypt an intact file and raise a false alert.
    recordingId = parseId(recordingId) ?? recordingId;
    const { recording, derivatives } = await this.deps.uow.run(async (repos) => ({
      recording: await repos.recordings.find(recordingId),
      derivatives: await repos.recordings.listDerivatives(recordingId, { withPeaks: false }),
    }));
    if (!recording) throw new NotFoundError('The recording');
    if (recording.status !== 'stored') throw new RecordingError('NOT_STORED', 'Only a stored recording can be checked');
    const original = await this.checkBlob(
      recording.originalBlobKey!,
      binding(recordingId, 'original'),
      recording.originalSha256!,
      recording.originalBlobSha256!,
    );
    const results: Array<{ derivativeId: string | null; result: FixityResult; detail: string | null }> = [
      { derivativeId: null, ...original },
    ];
    // Only the copy that is played: one found damaged before and replaced is not checked (nor alerted) again.
    const playback = latestPlayback(derivatives);
    if (playback) {
      results.push({
        derivativeId: playback.id,
        ...(await this.checkBlob(
          playback.blobKey,
          binding(recordingId, 'playback'),
          playback.sha256,
          playback.blobSha256,
        )),
      });
    }
    const now = this.deps.clock.now();
    await this.deps.uow.run(async (repos) => {
      for (const r of results) {
        await repos.recordings.insertFixityEvent({
          recordingId,
          derivativeId: r.derivativeId,
          trigger,
          result: r.result,
          detail: r.detail,
          checkedAt: now,
        });
      }
      const failed = results.filter((r) => r.result !== 'ok');
      await this.audit(
        repos,
        ctx,
        'recording.fixity_checked',
        recordingId,
        { trigger, results: results.map((r) => ({ derivativeId: r.derivativeId, result: r.result })) },
        failed.length ? 'failure' : 'success',
      );
    });
    const worst = results.find((r) => r.result !== 'ok');
    if (worst)
      this.deps.logger.fatal(
        { alert: 'recording-fixity', recordingId, result: worst.result },
        worst.detail ?? 'fixity check failed',
      );
    // A damaged playback copy of a sound original is made again from it (once per damaged copy).
    const copy = results.find((r) => r.derivativeId !== null);
    if (original.result === 'ok' && copy && copy.result !== 'ok')
      await this.queueRepair(recordingId, copy.derivativeId!);
    return original.result === 'ok' ? (worst?.result ?? 'ok') : original.result;
  }

  /** When a check is due: the cycle for a recording that passed, a day for one whose latest check failed. */
  private fixityDue(): { before: Date; failedBefore: Date } {
    const now = this.deps.clock.now().getTime();
    const recheckDays = this.deps.settings.fixityRecheckFailedDays ?? FIXITY_FAILED_RECHECK_DAYS;
    return {
      before: new Date(now - this.deps.settings.fixityCycleDays * 86_400_000),
      failedBefore: new Date(now - recheckDays * 86_400_000),
    };
  }

  /**
   * The scheduled cycle: every stored original not checked within the cycle (default 90 days), and
   * every one whose latest check failed again after a day (so the alert is raised again).
   */
  async fixitySweep(limit = 100): Promise<{ checked: number; failed: number }> {
    const { before, failedBefore } = this.fixityDue();
    const due = await this.deps.uow.run((repos) => repos.recordings.dueForFixity(before, limit, { failedBefore }));
    let failed = 0;
    for (const id of due) if ((await this.checkFixity(id, 'scheduled')) !== 'ok') failed++;
    return { checked: due.length, failed };
  }

  /** Every stored recording, for `cpcr fixity verify`. */
  async fixityAll(onEach?: (id: string, result: FixityResult) => void): Promise<{ checked: number; failed: number }> {
    // Any moment after every check: the last one PostgreSQL reads from an ISO string (JS's largest date
    // prints as `+275760-…`, which it refuses).
    const ids = await this.deps.uow.run((repos) =>
      repos.recordings.dueForFixity(new Date('9999-12-31T23:59:59Z'), 1_000_000),
    );
    let failed = 0;
    for (const id of ids) {
      const result = await this.checkFixity(id, 'on-demand', { actor: { id: null, label: 'cli: fixity verify' } });
      if (result !== 'ok') failed++;
      onEach?.(id, result);
    }
    return { checked: ids.length, failed };
  }

  /**
   * A check the chair or business support runs now (the API): the same check as the cycle, audited
   * as theirs. Returns the events it recorded: the original's first, then each derived copy's.
   */
  async checkFixityNow(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<{ result: FixityResult; events: FixityEventRecord[] }> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const lastBefore = await this.withRecording(
      actor,
      ctx,
      recordingId,
      'view',
      'recording.fixity_checked',
      async (repos, recording) => {
        if (recording.status !== 'stored')
          throw new RecordingError('NOT_STORED', 'Only a stored recording can be checked');
        return Math.max(0, ...(await repos.recordings.listFixityEvents(recordingId)).map((e) => e.id));
      },
    );
    const result = await this.checkFixity(recordingId, 'on-demand', ctx);
    const events = await this.deps.uow.run((repos) => repos.recordings.listFixityEvents(recordingId));
    return {
      result,
      events: events
        .filter((e) => e.id > lastBefore && e.trigger === 'on-demand')
        .sort((a, b) => Number(a.derivativeId !== null) - Number(b.derivativeId !== null) || a.id - b.id),
    };
  }

  /** Stored recordings whose original was last checked (or stored) longer ago than the cycle, oldest first. */
  async fixityOverdue(): Promise<{
    cycleDays: number;
    overdue: Array<{ id: string; storedAt: Date | null; lastCheckedAt: Date | null; lastResult: FixityResult | null }>;
  }> {
    const cycleDays = this.deps.settings.fixityCycleDays;
    const { before, failedBefore } = this.fixityDue();
    const overdue = await this.deps.uow.run(async (repos) => {
      const out = [];
      for (const id of await repos.recordings.dueForFixity(before, 1_000_000, { failedBefore })) {
        const recording = await repos.recordings.find(id);
        const events = await repos.recordings.listFixityEvents(id);
        const last = events.filter((e) => e.derivativeId === null).at(-1) ?? null;
        out.push({
          id,
          storedAt: recording?.storedAt ?? null,
          lastCheckedAt: last?.checkedAt ?? null,
          lastResult: last?.result ?? null,
        });
      }
      return out;
    });
    return { cycleDays, overdue };
  }

  // ---------------------------------------------------------------- explanatory statement (R-2)

  /** The statement pre-filled from the conference and the recording's breaks, or the latest confirmed one. */
  async draftStatement(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<{ draft: ExplanatoryStatement; confirmed: StatementRecord | null }> {
    return this.withRecording(
      actor,
      ctx,
      recordingId,
      'view',
      'recording.statement_viewed',
      async (repos, recording) => {
        const statements = await repos.recordings.listStatements(recordingId);
        const latest = statements.at(-1) ?? null;
        if (latest) return { draft: latest.content, confirmed: latest };
        return { draft: await this.prefill(repos, recording), confirmed: null };
      },
    );
  }

  private async prefill(repos: Repositories, recording: RecordingRecord): Promise<ExplanatoryStatement> {
    const conference = await repos.meeting.findConference(recording.conferenceId);
    if (!conference) throw new NotFoundError('The conference');
    const children = await repos.meeting.listChildren(recording.conferenceId);
    const invitees = await repos.meeting.listInvitees(recording.conferenceId);
    const attendance = await repos.meeting.listAttendance(recording.conferenceId);
    const breaks = await repos.recordings.listBreaks(recording.id);
    const present = new Set(
      attendance
        .filter(
          (a) => a.status === 'attended' && (!recording.conferencePartId || a.partId === recording.conferencePartId),
        )
        .map((a) => a.inviteeId),
    );
    const speakers = [
      ...(conference.chairName ? [{ name: conference.chairName, role: 'Conference chair' }] : []),
      ...invitees
        .filter((i) => present.has(i.id))
        .map((i) => ({ name: i.name, role: [i.roleTitle, i.agencyName].filter(Boolean).join(', ') || roleOf(i.kind) })),
    ];
    const names = children.map((c) => c.givenNames).join(' and ');
    const venue =
      conference.venueKind === 'online'
        ? 'Online (Microsoft Teams)'
        : conference.venueKind === 'hybrid'
          ? `${conference.venueDetails ?? 'In person'} and online (hybrid)`
          : (conference.venueDetails ?? 'In person');
    return {
      location: venue.slice(0, 200),
      recordedOn: londonDateOf(recording.startedAt),
      startedAt: conference.actualStartTime ?? conference.startTime,
      endedAt: conference.actualEndTime ?? '',
      context:
        recording.kind === 'dictation'
          ? `The chair’s dictation of the decisions, recommendations and summary of the ${CONFERENCE_TYPE_LABELS[conference.type].toLowerCase()} for ${names}.`
          : `${CONFERENCE_TYPE_LABELS[conference.type]} for ${names}.`,
      speakers,
      breaks: breaks.map((b) => ({
        startedAt: englandClockTime(b.startedAt),
        endedAt: b.endedAt ? englandClockTime(b.endedAt) : '',
        reason: b.reason,
        participantChanges: b.participantChanges ?? '',
      })),
    };
  }

  /** The chair confirms the statement; a later change is a new version with its reason. */
  async confirmStatement(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    input: StatementInput & { changeReason?: string | null },
  ): Promise<number> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const content = validateStatement(input);
    return this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.statement_confirmed',
      async (repos, recording) => {
        if (recording.status === 'rejected') throw new RecordingError('NOT_STORED', 'This recording was not stored');
        const statements = await repos.recordings.listStatements(recordingId);
        const version = (statements.at(-1)?.version ?? 0) + 1;
        const changeReason = input.changeReason?.trim() || null;
        if (version > 1 && !changeReason)
          throw new InvalidDetailsError([
            { field: 'changeReason', message: 'Give the reason for changing the confirmed statement' },
          ]);
        await repos.recordings.insertStatement(recordingId, {
          version,
          content,
          changeReason,
          confirmedBy: actor.id,
          confirmedAt: this.deps.clock.now(),
        });
        await this.audit(repos, ctx, 'recording.statement_confirmed', recordingId, { version });
        return version;
      },
      { lock: true },
    );
  }

  // ---------------------------------------------------------------- bookmarks and withheld parts

  async addBookmark(actor: Actor, ctx: RequestContext, recordingId: string, input: BookmarkInput): Promise<string> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    return this.withRecording(actor, ctx, recordingId, 'edit', 'recording.bookmark_added', async (repos, recording) => {
      if (recording.status === 'rejected') throw new RecordingError('NOT_STORED', 'This recording was not stored');
      const bookmark = validateBookmark(input, recording.status === 'stored' ? recording.durationMs : null);
      const id = await repos.recordings.insertBookmark(recordingId, { ...bookmark, createdBy: actor.id });
      await this.audit(repos, ctx, 'recording.bookmark_added', recordingId, {
        bookmarkId: id,
        kind: bookmark.kind,
        atMs: bookmark.atMs,
      });
      return id;
    });
  }

  async removeBookmark(actor: Actor, ctx: RequestContext, recordingId: string, bookmarkId: string): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    await this.withRecording(actor, ctx, recordingId, 'edit', 'recording.bookmark_removed', async (repos) => {
      if (!(await repos.recordings.removeBookmark(recordingId, bookmarkId, actor.id, this.deps.clock.now())))
        throw new NotFoundError('The bookmark');
      await this.audit(repos, ctx, 'recording.bookmark_removed', recordingId, { bookmarkId });
    });
  }

  async addWithheld(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    input: WithheldSegmentInput,
  ): Promise<string> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    return this.withRecording(actor, ctx, recordingId, 'edit', 'recording.withheld_added', async (repos, recording) => {
      if (recording.status !== 'stored' || recording.durationMs === null)
        throw new RecordingError('NOT_STORED', 'Parts can be marked as withheld once the recording is stored');
      const children = await repos.meeting.listChildren(recording.conferenceId);
      const invitees = await repos.meeting.listInvitees(recording.conferenceId);
      const named = new Set<string>([
        ...children.map((c) => c.childId),
        ...invitees.flatMap((i) => (i.personId ? [i.personId] : [])),
      ]);
      const segment = validateWithheldSegment(input, recording.durationMs, named);
      const id = await repos.recordings.insertWithheld(recordingId, { ...segment, createdBy: actor.id });
      await this.audit(repos, ctx, 'recording.withheld_added', recordingId, {
        segmentId: id,
        reason: segment.reason,
        startMs: segment.startMs,
        endMs: segment.endMs,
        audience: segment.withheldFrom.kind,
      });
      return id;
    });
  }

  async removeWithheld(actor: Actor, ctx: RequestContext, recordingId: string, segmentId: string): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    await this.withRecording(actor, ctx, recordingId, 'edit', 'recording.withheld_removed', async (repos) => {
      if (!(await repos.recordings.removeWithheld(recordingId, segmentId, actor.id, this.deps.clock.now())))
        throw new NotFoundError('The withheld part');
      await this.audit(repos, ctx, 'recording.withheld_removed', recordingId, { segmentId });
    });
  }

  // ---------------------------------------------------------------- listening and exports

  /** Gives the reason to listen; audited. Lets this person play the recording for the next few hours. */
  async startListening(actor: Actor, ctx: RequestContext, recordingId: string, reason: string): Promise<void> {
    const why = reason.trim();
    if (!why)
      throw new InvalidDetailsError([{ field: 'reason', message: 'Enter why you need to listen to the recording' }]);
    if (why.length > LISTEN_REASON_MAX)
      throw new InvalidDetailsError([
        { field: 'reason', message: `The reason must be ${LISTEN_REASON_MAX} characters or fewer` },
      ]);
    await this.withRecording(actor, ctx, recordingId, 'view', 'recording.played', async (repos, recording) => {
      if (recording.status !== 'stored') throw new RecordingError('NOT_STORED', 'This recording is not stored yet');
      await this.audit(repos, ctx, 'recording.played', recordingId, { reason: why });
    });
  }

  /** When this person may play the recording until, or null when they must give a reason first. */
  private async playableUntil(repos: Repositories, actor: Actor, recordingId: string): Promise<Date | null> {
    const now = this.deps.clock.now();
    const last = await repos.recordings.lastPlay(recordingId, actor.id, new Date(now.getTime() - LISTENING_WINDOW_MS));
    return last ? new Date(last.getTime() + LISTENING_WINDOW_MS) : null;
  }

  /**
   * The playback copy's size and a reader of plaintext byte ranges, for HTTP Range requests. Only for
   * someone who has given a reason to listen within the window (so every play is audited).
   */
  async playback(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<{ size: number; mediaType: string; read(start: number, end: number): Promise<Buffer> }> {
    recordingId = parseId(recordingId) ?? recordingId;
    const { derivative, until, damaged, originalDamaged } = await this.withRecording(
      actor,
      ctx,
      recordingId,
      'view',
      'recording.play',
      async (repos, recording) => {
        if (recording.status !== 'stored') throw new RecordingError('NOT_STORED', 'This recording is not stored yet');
        const now = this.deps.clock.now();
        const last = await repos.recordings.lastPlay(
          recordingId,
          actor.id,
          new Date(now.getTime() - LISTENING_WINDOW_MS),
        );
        // Every Range request comes here: the waveform's peaks are not read.
        const derivative = latestPlayback(await repos.recordings.listDerivatives(recordingId, { withPeaks: false }));
        const fixity = derivative ? await repos.recordings.listFixityEvents(recordingId) : [];
        const damaged = derivative ? copyFailedCheck(fixity, derivative.id) : false;
        return { derivative, until: last, damaged, originalDamaged: damaged && originalFailedCheck(fixity) };
      },
    );
    if (!until)
      throw new RecordingError('REASON_NEEDED', 'Give the reason you need to listen before playing the recording');
    if (!derivative) throw new NotFoundError('The playback copy');
    if (damaged) throw copyDamaged(originalDamaged);
    const key = derivative.blobKey;
    const readRange = async (start: number, end: number): Promise<Buffer> => {
      const chunks: Buffer[] = [];
      for await (const c of await this.deps.blobs.getRange(key, start, end)) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    };
    const label = binding(recordingId, 'playback');
    return {
      size: derivative.size,
      mediaType: derivative.mediaType,
      read: async (start, end) => {
        try {
          return await this.deps.cipher.decryptRange(readRange, derivative.blobSize, label, start, end);
        } catch (err) {
          if (err instanceof BlobRangeError) throw err;
          await this.reportDamagedPlayback(recordingId, derivative.id, err, ctx);
          throw copyDamaged();
        }
      },
    };
  }

  /**
   * A playback copy that failed while being played (missing, unreadable, or not decrypting): recorded as a
   * failed fixity check of that copy and alerted exactly as the fixity cycle does (the `recording-fixity`
   * alert, audited as a failed check), so the daily re-check keeps raising it until it is dealt with.
   */
  private async reportDamagedPlayback(
    recordingId: string,
    derivativeId: string,
    err: unknown,
    ctx: RequestContext,
  ): Promise<void> {
    const result: FixityResult =
      err instanceof NotFoundError ? 'missing' : err instanceof DomainError ? 'unreadable' : 'mismatch';
    const detail =
      result === 'missing'
        ? 'The stored file is missing (found while playing)'
        : `The stored file does not decrypt (found while playing): ${(err as Error).message}`;
    await this.deps.uow.run(async (repos) => {
      await repos.recordings.insertFixityEvent({
        recordingId,
        derivativeId,
        trigger: 'on-demand',
        result,
        detail,
        checkedAt: this.deps.clock.now(),
      });
      await this.audit(
        repos,
        ctx,
        'recording.fixity_checked',
        recordingId,
        { trigger: 'on-demand', results: [{ derivativeId, result }], while: 'playing' },
        'failure',
      );
    });
    this.deps.logger.fatal({ alert: 'recording-fixity', recordingId, result }, detail);
    // The job checks the original before making anything from it.
    await this.queueRepair(recordingId, derivativeId);
  }

  // ---------------------------------------------------------------- repairing a damaged playback copy (R-3)

  /**
   * Queues a new playback copy for a damaged one, once per damaged copy (audited as the system). A failure to
   * queue is logged, never thrown: the copy stays damaged and alerted, and staff can ask again from the page.
   */
  private async queueRepair(recordingId: string, derivativeId: string): Promise<void> {
    try {
      const queued = await this.deps.uow.run(async (repos) => {
        await repos.recordings.find(recordingId, { lock: true });
        if (repairQueuedFor(await repos.recordings.auditEvents(recordingId), derivativeId)) return false;
        await this.audit(repos, REPAIR_SYSTEM, 'recording.playback_repair_queued', recordingId, {
          derivativeId,
          requestedBy: 'system',
        });
        return true;
      });
      if (queued) await this.enqueueRepair(recordingId, derivativeId);
    } catch (err) {
      this.deps.logger.error(
        { recordingId, err: (err as Error).message },
        'could not queue the repair of a damaged playback copy: ask for it on the recording’s page',
      );
    }
  }

  /**
   * Queues the job after the queuing was audited (never inside that transaction); when the queue cannot take
   * it, that is audited too, so the page offers the repair again instead of saying it is under way.
   */
  private async enqueueRepair(recordingId: string, derivativeId: string): Promise<void> {
    try {
      await this.deps.queue.enqueuePlaybackRepair(recordingId);
    } catch (err) {
      await this.deps.uow.run((repos) =>
        this.audit(
          repos,
          REPAIR_SYSTEM,
          'recording.playback_repair_not_queued',
          recordingId,
          { derivativeId, error: (err as Error).message },
          'failure',
        ),
      );
      throw err;
    }
  }

  /**
   * The chair or business support ask for a damaged playback copy to be made again from the original, when no
   * repair has started (audited). Refused when the copy is not damaged, or the original failed its check too.
   */
  async requestPlaybackRepair(actor: Actor, ctx: RequestContext, recordingId: string): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const derivativeId = await this.withRecording(
      actor,
      ctx,
      recordingId,
      'view',
      'recording.playback_repair_queued',
      async (repos, recording) => {
        if (recording.status !== 'stored') throw new RecordingError('NOT_STORED', 'This recording is not stored yet');
        const playback = latestPlayback(await repos.recordings.listDerivatives(recording.id, { withPeaks: false }));
        const fixity = await repos.recordings.listFixityEvents(recording.id);
        if (!playback || !copyFailedCheck(fixity, playback.id))
          throw new RecordingError('NOT_DAMAGED', 'The copy of this recording made for listening is not damaged');
        if (originalFailedCheck(fixity))
          throw new RecordingError(
            'ORIGINAL_DAMAGED',
            'The original failed its integrity check too, so no new copy can be made from it. The council’s IT team has been told.',
          );
        if (repairQueuedFor(await repos.recordings.auditEvents(recording.id), playback.id))
          throw new RecordingError('REPAIR_STARTED', 'The copy is already being repaired');
        await this.audit(repos, ctx, 'recording.playback_repair_queued', recording.id, {
          derivativeId: playback.id,
          requestedBy: 'staff',
        });
        return playback.id;
      },
      // One request at a time: the service's own queuing locks the recording too.
      { lock: true },
    );
    await this.enqueueRepair(parseId(recordingId) ?? recordingId, derivativeId);
  }

  /**
   * The job: when the newest playback copy is damaged and the original passes its check (decrypts, SHA-256 as
   * recorded), a new playback copy and waveform are made from the original as at ingest and stored as a new
   * copy, which is played and checked from then on; audited with both copies' SHA-256s. When the original fails
   * too, nothing is made: the failure is recorded and the fatal alert raised. Returns what it did; an
   * infrastructure failure throws so the job retries.
   */
  async repairPlayback(
    recordingId: string,
    opts: { signal?: AbortSignal } = {},
  ): Promise<'repaired' | 'not-needed' | 'original-damaged'> {
    recordingId = parseId(recordingId) ?? recordingId;
    const { recording, damaged } = await this.deps.uow.run(async (repos) => {
      const recording = await repos.recordings.find(recordingId);
      const playback = latestPlayback(await repos.recordings.listDerivatives(recordingId, { withPeaks: false }));
      const fixity = await repos.recordings.listFixityEvents(recordingId);
      return { recording, damaged: playback && copyFailedCheck(fixity, playback.id) ? playback : null };
    });
    if (!recording) throw new NotFoundError('The recording');
    if (recording.status !== 'stored' || !damaged) return 'not-needed';

    const originalLabel = binding(recordingId, 'original');
    const original = await this.checkBlob(
      recording.originalBlobKey!,
      originalLabel,
      recording.originalSha256!,
      recording.originalBlobSha256!,
    );
    if (original.result !== 'ok') {
      await this.deps.uow.run(async (repos) => {
        await repos.recordings.insertFixityEvent({
          recordingId,
          derivativeId: null,
          trigger: 'on-demand',
          result: original.result,
          detail: original.detail,
          checkedAt: this.deps.clock.now(),
        });
        await this.audit(
          repos,
          REPAIR_SYSTEM,
          'recording.fixity_checked',
          recordingId,
          { trigger: 'on-demand', results: [{ derivativeId: null, result: original.result }], while: 'repairing' },
          'failure',
        );
      });
      this.deps.logger.fatal(
        { alert: 'recording-fixity', recordingId, result: original.result },
        `the original failed its check, so its damaged playback copy cannot be made again: ${original.detail ?? ''}`,
      );
      return 'original-damaged';
    }

    const created: string[] = [];
    const source = this.deps.staging.scratchPath(`${recordingId}-repair.original`);
    const scratch = this.deps.staging.scratchPath(`${recordingId}-repair.mp3`);
    try {
      await pipeline(
        this.deps.cipher.decrypt(await this.deps.blobs.get(recording.originalBlobKey!), originalLabel),
        createWriteStream(source, { mode: 0o600 }),
      );
      const made = await this.makePlayback(recordingId, source, scratch, opts);
      created.push(made.blob.key);
      await this.notePending(recordingId, made.blob.key);
      const now = this.deps.clock.now();
      await this.deps.uow.run(async (repos) => {
        await repos.recordings.find(recordingId, { lock: true });
        const current = latestPlayback(await repos.recordings.listDerivatives(recordingId, { withPeaks: false }));
        if (current?.id !== damaged.id)
          throw new RecordingError('RECORDING_STATE', 'The playback copy changed while it was being repaired');
        const newId = await repos.recordings.insertDerivative({
          originalRecordingId: recordingId,
          kind: 'playback',
          mediaType: 'audio/mpeg',
          size: made.size,
          sha256: made.sha256,
          durationMs: made.durationMs,
          blobKey: made.blob.key,
          blobSha256: made.blob.sha256,
          blobSize: made.blob.size,
          peaks: { perSecond: 10, values: made.peaks },
          originalSha256: recording.originalSha256!,
          details: { replaces: damaged.id },
        });
        await repos.recordings.clearPendingBlobs(recordingId, created);
        // The original just passed its check, and the new copy was checked as it was made.
        await repos.recordings.insertFixityEvent({
          recordingId,
          derivativeId: null,
          trigger: 'on-demand',
          result: 'ok',
          detail: null,
          checkedAt: now,
        });
        await repos.recordings.insertFixityEvent({
          recordingId,
          derivativeId: newId,
          trigger: 'ingest',
          result: 'ok',
          detail: null,
          checkedAt: now,
        });
        await this.audit(repos, REPAIR_SYSTEM, 'recording.playback_repaired', recordingId, {
          damagedDerivativeId: damaged.id,
          derivativeId: newId,
          oldSha256: damaged.sha256,
          newSha256: made.sha256,
          oldEncryptedSha256: damaged.blobSha256,
          newEncryptedSha256: made.blob.sha256,
          originalSha256: recording.originalSha256,
          durationMs: made.durationMs,
        });
      });
    } catch (err) {
      for (const key of created) await this.deps.blobs.delete(key).catch(() => undefined);
      await this.deps.uow
        .run((repos) => repos.recordings.clearPendingBlobs(recordingId, created))
        .catch(() => undefined);
      throw err;
    } finally {
      await rm(source, { force: true });
      await rm(scratch, { force: true });
    }
    this.deps.logger.info({ recordingId }, 'damaged playback copy made again from the original');
    return 'repaired';
  }

  /**
   * A copy of the original exactly as received (R-3), checked for fixity first and audited with the
   * reason. Refused when the check fails.
   */
  async exportOriginal(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    reason: string,
  ): Promise<{ stream: Readable; size: number; sha256: string; container: string | null; startedAt: Date }> {
    requireRole(actor, EXPORT_ROLES, 'the chair, business support, access to records or quality assurance');
    const why = reason.trim();
    if (!why)
      throw new InvalidDetailsError([{ field: 'reason', message: 'Enter why you need a copy of the original' }]);
    if (why.length > LISTEN_REASON_MAX)
      throw new InvalidDetailsError([
        { field: 'reason', message: `The reason must be ${LISTEN_REASON_MAX} characters or fewer` },
      ]);
    const recording = await this.withRecording(
      actor,
      ctx,
      recordingId,
      'view',
      'recording.exported',
      async (_repos, r) => {
        if (r.status !== 'stored') throw new RecordingError('NOT_STORED', 'This recording is not stored yet');
        return r;
      },
    );
    const result = await this.checkFixity(recordingId, 'export', ctx);
    if (result !== 'ok') {
      throw new RecordingError(
        'FIXITY_FAILED',
        'The stored recording failed its integrity check, so no copy was made. The failure has been reported.',
      );
    }
    await this.deps.uow.run((repos) =>
      this.audit(repos, ctx, 'recording.exported', recordingId, { reason: why, sha256: recording.originalSha256 }),
    );
    const cipherStream = await this.deps.blobs.get(recording.originalBlobKey!);
    return {
      stream: this.deps.cipher.decrypt(cipherStream, binding(recordingId, 'original')),
      size: recording.originalSize!,
      sha256: recording.originalSha256!,
      container: recording.container,
      startedAt: recording.startedAt,
    };
  }
}

function roleOf(kind: string): string {
  return kind.replace(/[-_]/g, ' ').replace(/^./, (c) => c.toUpperCase());
}
