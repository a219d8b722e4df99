import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { recordings } from './recordings-schema.ts';
import { copyRequests } from './requests-schema.ts';
import { conferences, users } from './schema.ts';

// Disclosure copies: MP3s derived from the originals for one request, with everything
// the requester must not hear replaced by silence or a tone. The originals are only read. Each file's
// bytes live age-encrypted in the blob store; these tables hold what is known about them and the
// withheld-content log. The explanations in the plan and the log are staff-written and may name
// people: they are read only through the service's access check, never logged.

export const disclosureCopies = pgTable(
  'disclosure_copies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => copyRequests.id),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    /** queued → running → ready | failed. */
    state: text('state').notNull(),
    percent: integer('percent').notNull().default(0),
    /** Why it failed (or why the last attempt failed, while a retry waits), in plain English. */
    error: text('error'),
    /** 'silence' or 'tone'. */
    fill: text('fill').notNull(),
    /** What the job needs to make the copy again after a crash: recordings, withheld ranges, statements, notice. */
    plan: jsonb('plan').notNull().$type<Record<string, unknown>>(),
    attempts: integer('attempts').notNull().default(0),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('disclosure_copies_request_idx').on(t.requestId),
    index('disclosure_copies_state_idx').on(t.state, t.updatedAt),
    check('disclosure_copies_state_check', sql`${t.state} in ('queued', 'running', 'ready', 'failed')`),
    check('disclosure_copies_fill_check', sql`${t.fill} in ('silence', 'tone')`),
    check('disclosure_copies_percent_check', sql`${t.percent} between 0 and 100`),
  ],
);

/** One MP3 per recording of a copy; written once, when the file is stored and checked (never changed). */
export const disclosureCopyFiles = pgTable(
  'disclosure_copy_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    copyId: uuid('copy_id')
      .notNull()
      .references(() => disclosureCopies.id),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id),
    ordinal: integer('ordinal').notNull(),
    /** The explanatory statement (R-2) kept as text beside the MP3 (it is also in the MP3's ID3 tag). */
    statementId: uuid('statement_id').notNull().defaultRandom(),
    statementText: text('statement_text').notNull(),
    /** the SHA-256 of the original it was made from, checked as it was read. */
    originalSha256: text('original_sha256').notNull(),
    /** The MP3 as the requester receives it (plaintext): SHA-256, size, length. */
    sha256: text('sha256').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** Length of the spoken notice put before the recording; every range moved later by this much. */
    noticeMs: integer('notice_ms').notNull(),
    blobKey: text('blob_key').notNull(),
    blobSha256: text('blob_sha256').notNull(),
    blobSize: bigint('blob_size', { mode: 'number' }).notNull(),
    /** Each withheld range: where, why, who approved it, and where it is in the copy (measured). */
    withheldLog: jsonb('withheld_log').notNull().$type<Array<Record<string, unknown>>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('disclosure_copy_files_recording_key').on(t.copyId, t.recordingId),
    uniqueIndex('disclosure_copy_files_statement_key').on(t.statementId),
    check(
      'disclosure_copy_files_sha256_check',
      sql`${t.sha256} ~ '^[0-9a-f]{64}$' and ${t.originalSha256} ~ '^[0-9a-f]{64}$'`,
    ),
  ],
);
