import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { conferences, users } from './schema.ts';

// Requests for copies of conference recordings (A-1 … A-10). The whole domain record (CopyRequest) is
// kept as JSON; the columns the work queue filters and sorts on are copied out of it on every save.
// The requester's personal data (name, email address, the reply to A-5) lives only inside `data`:
// never in a column that might be logged, and never in a URL.

const REQUEST_STATES_SQL = sql.raw(
  `'received', 'referred', 'queries-resolved', 'recording-checked', 'verification-requested', 'verified', 'verification-failed', 'copy-prepared', 'copy-approved', 'sent', 'notified', 'closed', 'refused', 'withdrawn'`,
);

export const copyRequests = pgTable(
  'copy_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** A running number for the reference staff and emails use ("CR-2026-0007"): no personal data. */
    number: serial('number').notNull().unique(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    /** The chair responsible ("chairs see theirs"). */
    chairId: uuid('chair_id').references(() => users.id),
    state: text('state').notNull(),
    requesterType: text('requester_type').notNull(),
    /** the day the request was received starts the clock. */
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    /** the date the copy must be sent by (extended when an extension is recorded). */
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    extended: boolean('extended').notNull().default(false),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** The domain record, CopyRequest, with its times as ISO strings. */
    data: jsonb('data').notNull(),
    /** Things that could not be done and must be seen (a role with nobody to notify), oldest first. */
    warnings: jsonb('warnings')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Bumped on every change: a form posted with an older version is refused as a conflict. */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('copy_requests_queue_idx').on(t.state, t.dueOn),
    index('copy_requests_chair_idx').on(t.chairId, t.state),
    index('copy_requests_conference_idx').on(t.conferenceId),
    check('copy_requests_state_check', sql`${t.state} in (${REQUEST_STATES_SQL})`),
    check('copy_requests_version_check', sql`${t.version} >= 1`),
  ],
);

/** The request's timeline: every step, who took it and when. Append-only (a trigger refuses UPDATE and DELETE). */
export const copyRequestSteps = pgTable(
  'copy_request_steps',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => copyRequests.id),
    /** The step: 'receive', 'refer', … (the domain's RequestAction), or 'warning'. */
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    /** Ids, counts and staff-entered reasons only: never the requester's contact details or reply values. */
    details: jsonb('details')
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [index('copy_request_steps_request_idx').on(t.requestId, t.seq)],
);
