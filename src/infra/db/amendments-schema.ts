import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { StoredAmendmentPoint } from '../../app/documents/amendments-ports.ts';
import type { WrittenDocument } from '../../domain/documents/model.ts';
import { documentDrafts } from './documents-schema.ts';
import { conferenceInvitees, conferences, users } from './schema.ts';

// Amendments to the written record (W-5, T-8): a recipient's request to change an issued document, point by point,
// with the chair's decision on each. The document as it was issued is kept with the request, so the next version
// can say what changed.

/** One request, its points and (once decided) the chair's decision on each. */
export const amendmentRequests = pgTable(
  'amendment_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    draftId: uuid('draft_id')
      .notNull()
      .references(() => documentDrafts.id),
    /** The issue of the document the request is about. */
    issueNumber: integer('issue_number').notNull(),
    requesterInviteeId: uuid('requester_invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id),
    /** letter, email, phone or in-person. */
    channel: text('channel').notNull(),
    /** When the request reached the council. */
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    /** When the requester received the document (T-8 counts from here). */
    recordReceivedOn: date('record_received_on', { mode: 'string' }).notNull(),
    /** T-8: 10 working days from recordReceivedOn. */
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    /** Received after dueOn: still recorded, and flagged. */
    late: boolean('late').notNull(),
    /** The points, in order, each with the chair's decision once decided. */
    points: jsonb('points').$type<StoredAmendmentPoint[]>().notNull(),
    /** The approved document of the issue the request is about. */
    issuedDocument: jsonb('issued_document').$type<WrittenDocument>().notNull(),
    /** waiting-for-chair or decided. */
    status: text('status').notNull(),
    version: integer('version').notNull().default(1),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    decidedByUserId: uuid('decided_by_user_id').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    index('amendment_requests_conf_idx').on(t.conferenceId, t.recordedAt),
    index('amendment_requests_waiting_idx')
      .on(t.dueOn)
      .where(sql`${t.status} = 'waiting-for-chair'`),
    check('amendment_requests_channel_check', sql`${t.channel} in ('letter', 'email', 'phone', 'in-person')`),
    check('amendment_requests_status_check', sql`${t.status} in ('waiting-for-chair', 'decided')`),
    check('amendment_requests_issue_number_check', sql`${t.issueNumber} > 0`),
    check('amendment_requests_version_check', sql`${t.version} > 0`),
    check(
      'amendment_requests_points_check',
      sql`jsonb_typeof(${t.points}) = 'array' and jsonb_array_length(${t.points}) > 0`,
    ),
    check('amendment_requests_decided_check', sql`(${t.status} = 'decided') = (${t.decidedAt} is not null)`),
  ],
);
