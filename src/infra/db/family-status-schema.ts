import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { copyRequests } from './requests-schema.ts';
import { conferences, users } from './schema.ts';

// The chair (002 §4.1) and advice on a request for a copy: migration 0032_family_status.sql, which also adds
// the family record's columns (schema.ts: people, children) and each user's line manager (schema.ts: users).

/** 002 §4.1: the recorded reason a chair who is not independent of the case chairs it. Append-only. */
export const chairIndependenceReasons = pgTable(
  'chair_independence_reasons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    chairUserId: uuid('chair_user_id')
      .notNull()
      .references(() => users.id),
    occasion: text('occasion').notNull(),
    concerns: text('concerns').array().notNull(),
    reason: text('reason').notNull(),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('chair_independence_reasons_conference_idx').on(t.conferenceId),
    check('chair_independence_reasons_occasion_check', sql`${t.occasion} in ('convened', 'chair-changed')`),
    check('chair_independence_reasons_concerns_check', sql`cardinality(${t.concerns}) > 0`),
  ],
);

/** 002 §4.1: the chair meeting the child and family before the conference, or why they did not. */
export const chairFamilyMeetings = pgTable('chair_family_meetings', {
  conferenceId: uuid('conference_id')
    .primaryKey()
    .references(() => conferences.id, { onDelete: 'cascade' }),
  met: boolean('met').notNull(),
  metOn: date('met_on', { mode: 'string' }),
  whoMet: text('who_met'),
  notMetReason: text('not_met_reason'),
  recordedBy: uuid('recorded_by')
    .notNull()
    .references(() => users.id),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  version: integer('version').notNull().default(1),
});

/** advice asked of the information management team on a complex request, and its answer. */
export const copyRequestAdvice = pgTable(
  'copy_request_advice',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => copyRequests.id, { onDelete: 'cascade' }),
    question: text('question').notNull(),
    askedBy: uuid('asked_by')
      .notNull()
      .references(() => users.id),
    askedOn: date('asked_on', { mode: 'string' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    answer: text('answer'),
    answeredBy: text('answered_by'),
    answeredOn: date('answered_on', { mode: 'string' }),
    answerRecordedBy: uuid('answer_recorded_by').references(() => users.id),
    answerRecordedAt: timestamp('answer_recorded_at', { withTimezone: true }),
  },
  (t) => [index('copy_request_advice_request_idx').on(t.requestId)],
);
