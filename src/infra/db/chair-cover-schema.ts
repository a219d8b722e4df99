import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { conferences, users } from './schema.ts';

/**
 * 002 §4.1: a cover chair recorded for a conference, with the reason, by the assigned chair, a team manager or
 * business support. At most one is current (ended_at null); recording another ends it. Kept, never deleted.
 */
export const conferenceCoverChairs = pgTable(
  'conference_cover_chairs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    coverChairUserId: uuid('cover_chair_user_id')
      .notNull()
      .references(() => users.id),
    reason: text('reason').notNull(),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    index('conference_cover_chairs_conference_idx').on(t.conferenceId),
    uniqueIndex('conference_cover_chairs_one_current')
      .on(t.conferenceId)
      .where(sql`${t.endedAt} is null`),
    check('conference_cover_chairs_reason_check', sql`char_length(btrim(${t.reason})) between 1 and 1000`),
  ],
);
