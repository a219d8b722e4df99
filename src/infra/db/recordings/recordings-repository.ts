import { and, asc, eq, getTableColumns, inArray, isNull, lt, notExists, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type {
  BookmarkRecord,
  BreakRecord,
  DerivativeRecord,
  FixityEventRecord,
  FixityResult,
  FixityTrigger,
  RecordingRecord,
  RecordingsRepository,
  StatementRecord,
  WithheldRecord,
} from '../../../app/recordings/ports.ts';
import {
  BOOKMARK_KINDS,
  type ExplanatoryStatement,
  RECORDING_KINDS,
  RECORDING_SOURCES,
  RECORDING_STATUSES,
  WITHHOLDING_REASONS,
} from '../../../domain/recordings/index.ts';
import { RECORDING_PLAYABLE } from '../../../app/recordings/ports.ts';
import { type IsoDate, isIsoDate } from '../../../domain/calendar/index.ts';
import type { DbOrTx } from '../client.ts';
import { oneOf } from '../checked-values.ts';
import {
  explanatoryStatements,
  fixityEvents,
  recordingBookmarks,
  recordingBreaks,
  recordingChunks,
  recordingDerivatives,
  recordingPendingBlobs,
  recordings,
  withheldSegments,
} from '../recordings-schema.ts';
import { auditEvents, users } from '../schema.ts';
import { lastPlayQuery, playbackLookup } from './playback-lookup.ts';

type RecordingRow = typeof recordings.$inferSelect;

function toRecording(r: RecordingRow): RecordingRecord {
  return {
    ...r,
    kind: oneOf(RECORDING_KINDS, r.kind, 'recording kind'),
    source: oneOf(RECORDING_SOURCES, r.source, 'recording source'),
    status: oneOf(RECORDING_STATUSES, r.status, 'recording status'),
    playable: r.playable === null ? null : oneOf(RECORDING_PLAYABLE, r.playable, 'recording playable state'),
  };
}

/** A confirmed explanatory statement read back: checked against its shape, never assumed. */
const storedStatement = z.object({
  location: z.string(),
  recordedOn: z.custom<IsoDate>(isIsoDate, 'The statement’s date is not a real date'),
  startedAt: z.string(),
  endedAt: z.string(),
  context: z.string(),
  speakers: z.array(z.object({ name: z.string(), role: z.string() })),
  breaks: z.array(
    z.object({ startedAt: z.string(), endedAt: z.string(), reason: z.string(), participantChanges: z.string() }),
  ),
}) satisfies z.ZodType<ExplanatoryStatement>;

const FIXITY_TRIGGERS: readonly FixityTrigger[] = ['ingest', 'scheduled', 'on-demand', 'export'];
const FIXITY_RESULTS: readonly FixityResult[] = ['ok', 'mismatch', 'missing', 'unreadable'];

export function recordingsRepository(db: DbOrTx): RecordingsRepository {
  return {
    async insert(recording) {
      const [row] = await db
        .insert(recordings)
        .values({ ...recording, status: 'receiving' })
        .returning();
      return toRecording(row!);
    },

    async find(id, opts = {}) {
      const q = db.select().from(recordings).where(eq(recordings.id, id));
      const [row] = opts.lock ? await q.for('update') : await q;
      return row ? toRecording(row) : null;
    },

    async listForConference(conferenceId) {
      const rows = await db
        .select()
        .from(recordings)
        .where(eq(recordings.conferenceId, conferenceId))
        .orderBy(asc(recordings.startedAt), asc(recordings.createdAt));
      return rows.map(toRecording);
    },

    async listForConferences(conferenceIds) {
      const out = new Map<string, RecordingRecord[]>();
      if (conferenceIds.length === 0) return out;
      const rows = await db
        .select()
        .from(recordings)
        .where(inArray(recordings.conferenceId, [...conferenceIds]))
        .orderBy(asc(recordings.startedAt), asc(recordings.createdAt));
      for (const row of rows) out.set(row.conferenceId, [...(out.get(row.conferenceId) ?? []), toRecording(row)]);
      return out;
    },

    async update(id, change) {
      await db
        .update(recordings)
        .set({ ...change, version: sql`${recordings.version} + 1` })
        .where(eq(recordings.id, id));
    },

    async chunkSha256(recordingId, seq) {
      const [row] = await db
        .select({ sha256: recordingChunks.sha256 })
        .from(recordingChunks)
        .where(and(eq(recordingChunks.recordingId, recordingId), eq(recordingChunks.seq, seq)));
      return row?.sha256 ?? null;
    },

    async insertChunk(recordingId, chunk) {
      await db.insert(recordingChunks).values({ recordingId, ...chunk });
    },

    async listBreaks(recordingId) {
      const rows = await db
        .select()
        .from(recordingBreaks)
        .where(eq(recordingBreaks.recordingId, recordingId))
        .orderBy(asc(recordingBreaks.ordinal));
      return rows.map(({ recordingId: _r, ...b }): BreakRecord => b);
    },

    async insertBreak(recordingId, b) {
      await db.insert(recordingBreaks).values({ recordingId, ...b });
    },

    async endBreak(recordingId, ordinal, endedAt, participantChanges) {
      await db
        .update(recordingBreaks)
        .set({ endedAt, participantChanges })
        .where(and(eq(recordingBreaks.recordingId, recordingId), eq(recordingBreaks.ordinal, ordinal)));
    },

    async insertDerivative(d) {
      const [row] = await db.insert(recordingDerivatives).values(d).returning({ id: recordingDerivatives.id });
      return row!.id;
    },

    async listDerivatives(recordingId, opts = {}) {
      // A two-hour recording's waveform is some 72,000 numbers: read only when asked for.
      const { peaks, ...withoutPeaks } = getTableColumns(recordingDerivatives);
      const rows = await db
        .select({ ...withoutPeaks, peaks: opts.withPeaks === false ? sql<null>`null` : peaks })
        .from(recordingDerivatives)
        .where(eq(recordingDerivatives.originalRecordingId, recordingId))
        .orderBy(asc(recordingDerivatives.createdAt));
      return rows.map((r): DerivativeRecord => ({
        ...r,
        kind: oneOf(['playback', 'disclosure'] as const, r.kind, 'derivative kind'),
        peaks: r.peaks ?? null,
        details: r.details ?? null,
      }));
    },

    async listStatements(recordingId) {
      const rows = await db
        .select({ s: explanatoryStatements, name: users.name })
        .from(explanatoryStatements)
        .innerJoin(users, eq(users.id, explanatoryStatements.confirmedBy))
        .where(eq(explanatoryStatements.recordingId, recordingId))
        .orderBy(asc(explanatoryStatements.version));
      return rows.map(({ s, name }): StatementRecord => ({
        version: s.version,
        content: storedStatement.parse(s.content),
        changeReason: s.changeReason,
        confirmedBy: s.confirmedBy,
        confirmedByName: name,
        confirmedAt: s.confirmedAt,
      }));
    },

    async insertStatement(recordingId, s) {
      await db.insert(explanatoryStatements).values({ recordingId, ...s, content: { ...s.content } });
    },

    async listBookmarks(recordingId) {
      const rows = await db
        .select({ b: recordingBookmarks, name: users.name })
        .from(recordingBookmarks)
        .innerJoin(users, eq(users.id, recordingBookmarks.createdBy))
        .where(and(eq(recordingBookmarks.recordingId, recordingId), isNull(recordingBookmarks.removedAt)))
        .orderBy(asc(recordingBookmarks.atMs), asc(recordingBookmarks.createdAt));
      return rows.map(({ b, name }): BookmarkRecord => ({
        id: b.id,
        atMs: b.atMs,
        kind: oneOf(BOOKMARK_KINDS, b.kind, 'bookmark kind'),
        label: b.label,
        createdBy: b.createdBy,
        createdByName: name,
        createdAt: b.createdAt,
      }));
    },

    async insertBookmark(recordingId, b) {
      const [row] = await db
        .insert(recordingBookmarks)
        .values({ recordingId, ...b })
        .returning({ id: recordingBookmarks.id });
      return row!.id;
    },

    async removeBookmark(recordingId, bookmarkId, by, at) {
      const rows = await db
        .update(recordingBookmarks)
        .set({ removedBy: by, removedAt: at })
        .where(
          and(
            eq(recordingBookmarks.id, bookmarkId),
            eq(recordingBookmarks.recordingId, recordingId),
            isNull(recordingBookmarks.removedAt),
          ),
        )
        .returning({ id: recordingBookmarks.id });
      return rows.length > 0;
    },

    async listWithheld(recordingId) {
      const rows = await db
        .select({ w: withheldSegments, name: users.name })
        .from(withheldSegments)
        .innerJoin(users, eq(users.id, withheldSegments.createdBy))
        .where(and(eq(withheldSegments.recordingId, recordingId), isNull(withheldSegments.removedAt)))
        .orderBy(asc(withheldSegments.startMs));
      return rows.map(({ w, name }): WithheldRecord => ({
        id: w.id,
        startMs: w.startMs,
        endMs: w.endMs,
        reason: oneOf(WITHHOLDING_REASONS, w.reason, 'withholding reason'),
        explanation: w.explanation,
        withheldFrom: w.audience === 'named' ? { kind: 'named', personIds: w.personIds } : { kind: 'all-family' },
        createdBy: w.createdBy,
        createdByName: name,
        createdAt: w.createdAt,
      }));
    },

    async insertWithheld(recordingId, w) {
      const [row] = await db
        .insert(withheldSegments)
        .values({
          recordingId,
          startMs: w.startMs,
          endMs: w.endMs,
          reason: w.reason,
          explanation: w.explanation,
          audience: w.withheldFrom.kind,
          personIds: w.withheldFrom.kind === 'named' ? w.withheldFrom.personIds : [],
          createdBy: w.createdBy,
        })
        .returning({ id: withheldSegments.id });
      return row!.id;
    },

    async removeWithheld(recordingId, segmentId, by, at) {
      const rows = await db
        .update(withheldSegments)
        .set({ removedBy: by, removedAt: at })
        .where(
          and(
            eq(withheldSegments.id, segmentId),
            eq(withheldSegments.recordingId, recordingId),
            isNull(withheldSegments.removedAt),
          ),
        )
        .returning({ id: withheldSegments.id });
      return rows.length > 0;
    },

    async insertFixityEvent(e) {
      await db.insert(fixityEvents).values(e);
    },

    async listFixityEvents(recordingId) {
      const rows = await db
        .select()
        .from(fixityEvents)
        .where(eq(fixityEvents.recordingId, recordingId))
        .orderBy(asc(fixityEvents.checkedAt), asc(fixityEvents.id));
      return rows.map((r): FixityEventRecord => ({
        ...r,
        trigger: oneOf(FIXITY_TRIGGERS, r.trigger, 'fixity trigger'),
        result: oneOf(FIXITY_RESULTS, r.result, 'fixity result'),
      }));
    },

    async dueForFixity(before, limit, opts = {}) {
      const last = sql<Date | null>`(select max(${fixityEvents.checkedAt}) from ${fixityEvents} where ${fixityEvents.recordingId} = ${recordings.id} and ${fixityEvents.derivativeId} is null)`;
      const since = sql`coalesce(${last}, ${recordings.storedAt})`;
      // The latest check failed: the original or the playback copy played now (the newest: one replaced after it
      // was found damaged is not counted) checked at the latest moment was not ok.
      const lastFailed = sql`exists (select 1 from fixity_events fe where fe.recording_id = ${recordings.id} and fe.result <> 'ok'
        and (fe.derivative_id is null or fe.derivative_id = (select d.id from recording_derivatives d
          where d.original_recording_id = ${recordings.id} and d.kind = 'playback' order by d.created_at desc limit 1))
        and fe.checked_at = (select max(fe2.checked_at) from fixity_events fe2 where fe2.recording_id = ${recordings.id}))`;
      const due = opts.failedBefore
        ? or(lt(since, before), and(lastFailed, lt(since, opts.failedBefore)))
        : lt(since, before);
      const rows = await db
        .select({ id: recordings.id })
        .from(recordings)
        .where(and(eq(recordings.status, 'stored'), due))
        .orderBy(asc(since))
        .limit(limit);
      return rows.map((r) => r.id);
    },

    async stalled(before) {
      const rows = await db
        .select({ id: recordings.id, status: recordings.status })
        .from(recordings)
        .where(
          or(
            and(eq(recordings.status, 'processing'), lt(recordings.processingStartedAt, before)),
            // When the upload (or live recording) began, by the service's clock.
            and(eq(recordings.status, 'receiving'), lt(recordings.startedAt, before)),
          ),
        );
      return rows.map((r) => ({ id: r.id, status: oneOf(RECORDING_STATUSES, r.status, 'recording status') }));
    },

    async awaitingPlayable(storedBefore) {
      const rows = await db
        .select({ id: recordings.id })
        .from(recordings)
        .where(
          and(
            eq(recordings.status, 'stored'),
            eq(recordings.playable, 'preparing'),
            storedBefore ? lt(recordings.storedAt, storedBefore) : undefined,
          ),
        )
        .orderBy(asc(recordings.storedAt));
      return rows.map((r) => r.id);
    },

    async listByStatus(statuses) {
      if (!statuses.length) return [];
      const rows = await db
        .select()
        .from(recordings)
        .where(inArray(recordings.status, [...statuses]))
        .orderBy(asc(recordings.startedAt), asc(recordings.createdAt));
      return rows.map(toRecording);
    },

    async addPendingBlob(recordingId, blobKey) {
      await db.insert(recordingPendingBlobs).values({ recordingId, blobKey });
    },

    async pendingBlobs(recordingId) {
      const rows = await db
        .select({ key: recordingPendingBlobs.blobKey })
        .from(recordingPendingBlobs)
        .where(eq(recordingPendingBlobs.recordingId, recordingId))
        .orderBy(asc(recordingPendingBlobs.createdAt));
      return rows.map((r) => r.key);
    },

    async clearPendingBlobs(recordingId, blobKeys) {
      if (blobKeys && !blobKeys.length) return;
      await db
        .delete(recordingPendingBlobs)
        .where(
          and(
            eq(recordingPendingBlobs.recordingId, recordingId),
            blobKeys ? inArray(recordingPendingBlobs.blobKey, [...blobKeys]) : undefined,
          ),
        );
    },

    async referencedBlobKeys() {
      const a = await db.select({ key: recordings.originalBlobKey }).from(recordings);
      // A damaged playback copy a repaired one replaces is retired: its row is kept, its file is not.
      const successor = alias(recordingDerivatives, 'successor');
      const b = await db
        .select({ key: recordingDerivatives.blobKey })
        .from(recordingDerivatives)
        .where(
          notExists(
            db
              .select({ one: sql`1` })
              .from(successor)
              .where(
                and(
                  eq(successor.originalRecordingId, recordingDerivatives.originalRecordingId),
                  sql`${successor.details}->>'replaces' = ${recordingDerivatives.id}::text`,
                ),
              ),
          ),
        );
      return [...a.map((r) => r.key), ...b.map((r) => r.key)].filter((k): k is string => k !== null);
    },

    async auditEvents(recordingId) {
      const rows = await db
        .select({
          seq: auditEvents.seq,
          at: auditEvents.at,
          action: auditEvents.action,
          actorLabel: auditEvents.actorLabel,
          outcome: auditEvents.outcome,
          details: auditEvents.details,
        })
        .from(auditEvents)
        .where(and(eq(auditEvents.subjectType, 'recording'), eq(auditEvents.subjectId, recordingId)))
        .orderBy(asc(auditEvents.seq));
      return rows;
    },

    async lastPlay(recordingId, userId, since) {
      const [row] = await lastPlayQuery(db, recordingId, userId, since);
      return row?.at ?? null;
    },

    playbackLookup: (recordingId, userId, since) => playbackLookup(db, recordingId, userId, since),
  };
}
