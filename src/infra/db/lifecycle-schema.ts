import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { outboxMessages } from './mail-schema.ts';
import { conferenceInvitees, conferences, invitationIssues, users } from './schema.ts';

// A conference's life after convening: rearranged, cancelled or recorded afterwards; invitations
// emailed or posted by the service; and the notice each invitee gets when a conference is cancelled.

/** What changed on a conference, from what to what, who, when and why. Rows are never changed (a trigger refuses it). */
export const conferenceChanges = pgTable(
  'conference_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    /** rearranged, cancelled or recorded-afterwards. */
    kind: text('kind').notNull(),
    /** [{ field, label, from, to }] in plain words, for the record. */
    changes: jsonb('changes')
      .notNull()
      .default(sql`'[]'::jsonb`),
    reason: text('reason').notNull(),
    /** T-1 … T-4: a new date outside the timescale, agreed by a senior manager. */
    lateAgreedBy: text('late_agreed_by'),
    lateReason: text('late_reason'),
    changedByUserId: uuid('changed_by_user_id').references(() => users.id),
    changedByLabel: text('changed_by_label').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('conference_changes_conf_idx').on(t.conferenceId, t.changedAt),
    check(
      'conference_changes_kind_check',
      sql`${t.kind} in ('rearranged', 'cancelled', 'recorded-afterwards', 'chair-changed')`,
    ),
    check('conference_changes_reason_not_blank', sql`btrim(${t.reason}) <> ''`),
  ],
);

/** How an issued invitation left the service: emailed (with its outbox message), or to be posted. */
export const invitationDispatches = pgTable(
  'invitation_dispatches',
  {
    issueId: uuid('issue_id')
      .primaryKey()
      .references(() => invitationIssues.id),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    inviteeId: uuid('invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id),
    method: text('method').notNull(),
    outboxMessageId: uuid('outbox_message_id').references(() => outboxMessages.id),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    postedByUserId: uuid('posted_by_user_id').references(() => users.id),
    postedByLabel: text('posted_by_label'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('invitation_dispatches_conf_idx').on(t.conferenceId),
    check('invitation_dispatches_method_check', sql`${t.method} in ('email', 'post')`),
    check('invitation_dispatches_email_check', sql`(${t.method} = 'email') = (${t.outboxMessageId} is not null)`),
    check(
      'invitation_dispatches_posted_check',
      sql`(${t.postedAt} is null or ${t.method} = 'post') and (${t.postedAt} is null) = (${t.postedByLabel} is null)`,
    ),
  ],
);

/** The notice each invitee is given when a conference is cancelled: emailed where they have an address, else posted. */
export const cancellationNotices = pgTable(
  'cancellation_notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    inviteeId: uuid('invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id),
    method: text('method').notNull(),
    recipientEmail: text('recipient_email'),
    outboxMessageId: uuid('outbox_message_id').references(() => outboxMessages.id),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    issuedByUserId: uuid('issued_by_user_id').references(() => users.id),
    issuedByLabel: text('issued_by_label').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    postedByUserId: uuid('posted_by_user_id').references(() => users.id),
    postedByLabel: text('posted_by_label'),
  },
  (t) => [
    uniqueIndex('cancellation_notices_invitee_key').on(t.conferenceId, t.inviteeId),
    check('cancellation_notices_method_check', sql`${t.method} in ('email', 'post')`),
    check(
      'cancellation_notices_email_check',
      sql`(${t.method} = 'email') = (${t.outboxMessageId} is not null) and (${t.method} = 'email') = (${t.recipientEmail} is not null)`,
    ),
    check(
      'cancellation_notices_posted_check',
      sql`(${t.postedAt} is null or ${t.method} = 'post') and (${t.postedAt} is null) = (${t.postedByLabel} is null)`,
    ),
  ],
);
