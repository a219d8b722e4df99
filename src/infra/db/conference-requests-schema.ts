import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { children, conferences, professionals, users } from './schema.ts';

// Why a conference is held (002 §1.3, §2.2) and professionals' requests for one (002 §1.1):
// migration 0031_conference_requests.sql.

export const conferenceConveningGrounds = pgTable(
  'conference_convening_grounds',
  {
    conferenceId: uuid('conference_id')
      .primaryKey()
      .references(() => conferences.id),
    preBirthGrounds: text('pre_birth_grounds')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    prematureBirthLikely: boolean('premature_birth_likely').notNull().default(false),
    broughtForwardReason: text('brought_forward_reason'),
    broughtForwardOther: text('brought_forward_other'),
  },
  (t) => [
    check(
      'conference_convening_grounds_pre_birth_check',
      sql`${t.preBirthGrounds} <@ ARRAY['assessment-significant-harm', 'previous-children-removed', 'historical-knowledge', 'risk-in-household']::text[]`,
    ),
    check(
      'conference_convening_grounds_reason_check',
      sql`${t.broughtForwardReason} is null or ${t.broughtForwardReason} in ('new-incident', 'plan-difficulties', 'birth-into-household', 'offender-contact', 'family-changes', 'plan-no-longer-needed', 'other')`,
    ),
    check(
      'conference_convening_grounds_other_check',
      sql`(${t.broughtForwardReason} = 'other') = (${t.broughtForwardOther} is not null and btrim(${t.broughtForwardOther}) <> '')`,
    ),
  ],
);

export const conferenceRequests = pgTable(
  'conference_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    professionalId: uuid('professional_id').references(() => professionals.id),
    requesterName: text('requester_name').notNull(),
    requesterAgency: text('requester_agency').notNull(),
    requesterRole: text('requester_role').notNull(),
    requesterEmail: text('requester_email'),
    reasons: text('reasons').notNull(),
    support: text('support').notNull(),
    supporterName: text('supporter_name'),
    status: text('status').notNull().default('awaiting-decision'),
    declineReasons: text('decline_reasons'),
    discussion: text('discussion'),
    exceptionReason: text('exception_reason'),
    decidedByUserId: uuid('decided_by_user_id').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    requesterToldMessageId: uuid('requester_told_message_id'),
    // 002 §1.1: the conference convened from the agreed request (0033_issue14_links.sql), and the email giving its date.
    conferenceId: uuid('conference_id').references(() => conferences.id),
    convenedToldMessageId: uuid('convened_told_message_id'),
    recordedByUserId: uuid('recorded_by_user_id')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('conference_requests_child_idx').on(t.childId),
    index('conference_requests_waiting_idx')
      .on(t.recordedAt)
      .where(sql`${t.status} = 'awaiting-decision'`),
    check(
      'conference_requests_support_check',
      sql`${t.support} in ('none', 'senior-manager', 'named-professional', 'designated-professional')`,
    ),
    check('conference_requests_supporter_check', sql`(${t.support} = 'none') = (${t.supporterName} is null)`),
    check('conference_requests_status_check', sql`${t.status} in ('awaiting-decision', 'agreed', 'declined')`),
    check('conference_requests_decided_check', sql`(${t.status} = 'awaiting-decision') = (${t.decidedAt} is null)`),
    check(
      'conference_requests_declined_check',
      sql`${t.status} <> 'declined' or (${t.declineReasons} is not null and ${t.discussion} is not null)`,
    ),
    index('conference_requests_conference_idx')
      .on(t.conferenceId)
      .where(sql`${t.conferenceId} is not null`),
    check('conference_requests_convened_check', sql`${t.conferenceId} is null or ${t.status} = 'agreed'`),
    check(
      'conference_requests_exception_check',
      sql`${t.status} <> 'declined' or ${t.support} = 'none' or ${t.exceptionReason} is not null`,
    ),
  ],
);
