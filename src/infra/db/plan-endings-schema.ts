import { boolean, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { children, conferences, professionals, users } from './schema.ts';

// Plans ending, stepping down and moving away (002 §3.8, §3.9, T-4): migration 0028_plan_endings.sql.

export const planStepDowns = pgTable(
  'plan_step_downs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    version: integer('version').notNull(),
    kind: text('kind').notNull(),
    leadProfessional: text('lead_professional').notNull(),
    services: text('services').notNull(),
    firstMeetingDate: date('first_meeting_date', { mode: 'string' }),
    changeReason: text('change_reason'),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('plan_step_downs_version_key').on(t.conferenceId, t.childId, t.version)],
);

export const planTransfers = pgTable(
  'plan_transfers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    planConferenceId: uuid('plan_conference_id')
      .notNull()
      .references(() => conferences.id),
    authorityName: text('authority_name').notNull(),
    contactEmail: text('contact_email').notNull(),
    noticeOn: date('notice_on', { mode: 'string' }).notNull(),
    conferenceDue: date('conference_due', { mode: 'string' }).notNull(),
    packText: text('pack_text').notNull(),
    packMessageId: uuid('pack_message_id'),
    receivingConferenceOn: date('receiving_conference_on', { mode: 'string' }),
    confirmationReceivedOn: date('confirmation_received_on', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('plan_transfers_plan_key').on(t.childId, t.planConferenceId)],
);

export const planEndings = pgTable(
  'plan_endings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    planConferenceId: uuid('plan_conference_id')
      .notNull()
      .references(() => conferences.id),
    reason: text('reason').notNull(),
    endedOn: date('ended_on', { mode: 'string' }).notNull(),
    details: text('details'),
    lookedAfterCriterion: text('looked_after_criterion'),
    modToldOn: date('mod_told_on', { mode: 'string' }),
    modResourcesConfirmed: boolean('mod_resources_confirmed').notNull().default(false),
    authorisedByUserId: uuid('authorised_by_user_id').references(() => users.id),
    authorisedOn: date('authorised_on', { mode: 'string' }),
    transferId: uuid('transfer_id').references(() => planTransfers.id),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('plan_endings_plan_key').on(t.childId, t.planConferenceId)],
);

export const planEndingNotices = pgTable(
  'plan_ending_notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endingId: uuid('ending_id')
      .notNull()
      .references(() => planEndings.id),
    professionalId: uuid('professional_id').references(() => professionals.id),
    recipientName: text('recipient_name').notNull(),
    recipientRole: text('recipient_role'),
    agencyName: text('agency_name'),
    method: text('method').notNull(),
    outboxMessageId: uuid('outbox_message_id'),
    letterText: text('letter_text'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    postedByUserId: uuid('posted_by_user_id').references(() => users.id),
  },
  (t) => [index('plan_ending_notices_ending_idx').on(t.endingId)],
);
