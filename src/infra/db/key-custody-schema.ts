import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Each rewrite of an encrypted file's header when the recordings key is rotated or an old key retired:
 * the file's SHA-256 before and after, and its payload's, the same on both sides.
 */
export const keyCustodyRewraps = pgTable(
  'key_custody_rewraps',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    blobKey: text('blob_key').notNull(),
    /** 'rotate' (a new recipient added) or 'retire' (an old one removed). */
    phase: text('phase').notNull(),
    /** 'pending' while the file may or may not have been replaced; 'done' once the records follow it; 'abandoned'. */
    status: text('status').notNull(),
    oldSha256: text('old_sha256').notNull(),
    oldSize: bigint('old_size', { mode: 'number' }).notNull(),
    newSha256: text('new_sha256').notNull(),
    newSize: bigint('new_size', { mode: 'number' }).notNull(),
    /** The payload (nonce and chunks) after the header: unchanged by the rewrite. */
    payloadSha256: text('payload_sha256').notNull(),
    /** The public recipients the new header is addressed to. */
    recipients: text('recipients').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    index('key_custody_rewraps_blob_idx').on(t.blobKey, t.id),
    uniqueIndex('key_custody_rewraps_one_pending')
      .on(t.blobKey)
      .where(sql`${t.status} = 'pending'`),
    check('key_custody_rewraps_phase_check', sql`${t.phase} in ('rotate', 'retire')`),
    check('key_custody_rewraps_status_check', sql`${t.status} in ('pending', 'done', 'abandoned')`),
    check('key_custody_rewraps_completed_check', sql`(${t.status} = 'pending') = (${t.completedAt} is null)`),
  ],
);
