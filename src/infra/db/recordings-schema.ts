import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { conferenceParts, conferences, users } from './schema.ts';

// The audio record (R-1 … R-6). An original's bytes live encrypted (age v1) in the blob store; these
// tables hold what is known about them: hashes, what ffprobe found, the explanatory statement, breaks,
// bookmarks, withheld segments, derived copies and every fixity check.

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const recordings = pgTable(
  'recordings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    /** Which part of a split conference, and so who was present (null: the whole conference). */
    conferencePartId: uuid('conference_part_id').references(() => conferenceParts.id),
    /** 'meeting' or 'dictation'. */
    kind: text('kind').notNull(),
    /** 'browser', 'teams', 'dictaphone', 'other'. */
    source: text('source').notNull(),
    /** receiving → processing → stored | rejected; processing → audio_missing → processing (audio uploaded again). */
    status: text('status').notNull(),
    rejectionReason: text('rejection_reason'),
    /** A short label the chair may give, added to the recording's derived name (at most 80 characters). */
    label: text('label'),
    /** SHA-256 the uploading browser computed, checked against the server's own. */
    clientSha256: text('client_sha256'),
    /** The original as received (plaintext): size, SHA-256 (the evidence hash, R-3) and what ffprobe found. */
    originalSize: bigint('original_size', { mode: 'number' }),
    originalSha256: text('original_sha256'),
    container: text('container'),
    codec: text('codec'),
    durationMs: integer('duration_ms'),
    sampleRate: integer('sample_rate'),
    channels: integer('channels'),
    endsAbruptly: boolean('ends_abruptly').notNull().default(false),
    /** Where the encrypted original lives, and the SHA-256 and size of the encrypted file. */
    originalBlobKey: text('original_blob_key'),
    originalBlobSha256: text('original_blob_sha256'),
    originalBlobSize: bigint('original_blob_size', { mode: 'number' }),
    /** A live recording: how many chunks and bytes have arrived, and when the chair stopped. */
    nextChunk: integer('next_chunk').notNull().default(0),
    receivedBytes: bigint('received_bytes', { mode: 'number' }).notNull().default(0),
    liveStoppedAt: timestamp('live_stopped_at', { withTimezone: true }),
    /** The wall-clock time recording started (browser) or the upload was made. */
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    processingStartedAt: timestamp('processing_started_at', { withTimezone: true }),
    storedAt: timestamp('stored_at', { withTimezone: true }),
    /** When ingest found the acknowledged audio missing from staging (status `audio_missing`). */
    audioMissingAt: timestamp('audio_missing_at', { withTimezone: true }),
    /**
     * Once stored: 'preparing' (its playback copy is being made), 'ready', or 'undecodable' (the encrypted original
     * is kept; the full decode found it cannot be played: why is in `playableProblem`). Null before it is stored.
     */
    playable: text('playable'),
    playableProblem: text('playable_problem'),
    /** Bumped on every change, for optimistic concurrency on the chair's page. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('recordings_conference_idx').on(t.conferenceId),
    check(
      'recordings_status_check',
      sql`${t.status} in ('receiving', 'processing', 'stored', 'rejected', 'audio_missing')`,
    ),
    check(
      'recordings_playable_check',
      sql`${t.playable} is null or ${t.playable} in ('preparing', 'ready', 'undecodable')`,
    ),
    check('recordings_kind_check', sql`${t.kind} in ('meeting', 'dictation')`),
    check('recordings_label_length', sql`${t.label} is null or char_length(${t.label}) between 1 and 80`),
    check(
      'recordings_stored_complete',
      sql`${t.status} <> 'stored' or (${t.originalSha256} is not null and ${t.originalBlobKey} is not null and ${t.originalBlobSha256} is not null and ${t.storedAt} is not null)`,
    ),
  ],
);

/**
 * Encrypted files an ingest has written and not yet committed to its recording: removed once the ingest
 * commits or fails, and by the start-up recovery of an ingest a crash interrupted.
 */
export const recordingPendingBlobs = pgTable(
  'recording_pending_blobs',
  {
    blobKey: text('blob_key').primaryKey(),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id),
    createdAt: createdAt(),
  },
  (t) => [index('recording_pending_blobs_recording_idx').on(t.recordingId)],
);

/** The chunks of a live recording as they arrived: a resend is recognised by its hash. */
export const recordingChunks = pgTable(
  'recording_chunks',
  {
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id),
    seq: integer('seq').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.recordingId, t.seq] })],
);

/** each break during a live recording, with its reason and any change of participants. */
export const recordingBreaks = pgTable(
  'recording_breaks',
  {
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id),
    ordinal: integer('ordinal').notNull(),
    atMs: integer('at_ms').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    reason: text('reason').notNull(),
    participantChanges: text('participant_changes'),
  },
  (t) => [primaryKey({ columns: [t.recordingId, t.ordinal] })],
);

/** Files derived from an original (a playback copy, later disclosure copies): each names its original. */
export const recordingDerivatives = pgTable(
  'recording_derivatives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    originalRecordingId: uuid('original_recording_id')
      .notNull()
      .references(() => recordings.id),
    /** 'playback' now; 'disclosure' for copies made for a request. */
    kind: text('kind').notNull(),
    mediaType: text('media_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    durationMs: integer('duration_ms').notNull(),
    blobKey: text('blob_key').notNull(),
    blobSha256: text('blob_sha256').notNull(),
    blobSize: bigint('blob_size', { mode: 'number' }).notNull(),
    /** For the waveform: peak level per window, 0..1. */
    peaks: jsonb('peaks').$type<{ perSecond: number; values: number[] }>(),
    /** The SHA-256 of the original it was made from (R-3: names its original). */
    originalSha256: text('original_sha256').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('recording_derivatives_original_idx').on(t.originalRecordingId)],
);

/** confirmed explanatory statements; a change is a new version, never an overwrite. */
export const explanatoryStatements = pgTable(
  'explanatory_statements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id),
    version: integer('version').notNull(),
    content: jsonb('content').notNull().$type<Record<string, unknown>>(),
    changeReason: text('change_reason'),
    confirmedBy: uuid('confirmed_by')
      .notNull()
      .references(() => users.id),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('explanatory_statements_version_key').on(t.recordingId, t.version)],
);

export const recordingBookmarks = pgTable(
  'recording_bookmarks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id),
    atMs: integer('at_ms').notNull(),
    kind: text('kind').notNull(),
    label: text('label').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    removedBy: uuid('removed_by').references(() => users.id),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [index('recording_bookmarks_recording_idx').on(t.recordingId, t.atMs)],
);

/** Parts a given person must not hear; a removal is kept (who and when), never deleted. */
export const withheldSegments = pgTable(
  'withheld_segments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id),
    startMs: integer('start_ms').notNull(),
    endMs: integer('end_ms').notNull(),
    reason: text('reason').notNull(),
    explanation: text('explanation').notNull(),
    /** 'all-family' or 'named' (then person_ids). */
    audience: text('audience').notNull(),
    personIds: uuid('person_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    removedBy: uuid('removed_by').references(() => users.id),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    index('withheld_segments_recording_idx').on(t.recordingId),
    check('withheld_segments_range', sql`${t.endMs} > ${t.startMs} and ${t.startMs} >= 0`),
  ],
);

/** Every re-reading of a stored file: on ingest, on the fixity cycle, on demand and before each export. */
export const fixityEvents = pgTable(
  'fixity_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id),
    /** The derivative checked, or null for the original. */
    derivativeId: uuid('derivative_id').references(() => recordingDerivatives.id),
    trigger: text('trigger').notNull(),
    /** 'ok', 'mismatch', 'missing' or 'unreadable'. */
    result: text('result').notNull(),
    detail: text('detail'),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('fixity_events_recording_idx').on(t.recordingId, t.checkedAt)],
);
