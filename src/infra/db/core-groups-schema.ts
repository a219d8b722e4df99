import { sql } from 'drizzle-orm';
import {
  check,
  date,
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
import { childPlans, children, conferences, users } from './schema.ts';

// Core groups (002 §3.7, §3.10, §3.11): migration 0029_core_groups.sql.

/** A child's core group meeting under the plan made at `conferenceId`; `sequence` 1 is the first core group. */
export const coreGroupMeetings = pgTable(
  'core_group_meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    sequence: integer('sequence').notNull(),
    meetingDate: date('meeting_date', { mode: 'string' }).notNull(),
    chairUserId: uuid('chair_user_id')
      .notNull()
      .references(() => users.id),
    version: integer('version').notNull().default(1),
    createdByUserId: uuid('created_by_user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('core_group_meetings_sequence_key').on(t.childId, t.sequence),
    index('core_group_meetings_conference_idx').on(t.conferenceId, t.childId),
    check('core_group_meetings_sequence_check', sql`${t.sequence} >= 1`),
  ],
);

/** Each version of a meeting's record: kept as recorded (a trigger refuses changes); a later version gives its reason. */
export const coreGroupRecords = pgTable(
  'core_group_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => coreGroupMeetings.id),
    version: integer('version').notNull(),
    /** The plan version whose members and actions the meeting reviewed. */
    planId: uuid('plan_id')
      .notNull()
      .references(() => childPlans.id),
    attendance: jsonb('attendance').$type<Array<{ inviteeId: string; attendance: string }>>().notNull(),
    progress: jsonb('progress').$type<Array<{ ordinal: number; progress: string; note: string | null }>>().notNull(),
    notes: text('notes'),
    changeReason: text('change_reason'),
    recordedByUserId: uuid('recorded_by_user_id')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('core_group_records_version_key').on(t.meetingId, t.version),
    check('core_group_records_reason_check', sql`${t.version} = 1 OR btrim(coalesce(${t.changeReason}, '')) <> ''`),
  ],
);

/** 002 §3.7: the lead social worker a team manager appointed for the plan made at a conference; the latest counts. */
export const leadSocialWorkerAppointments = pgTable(
  'lead_social_worker_appointments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    appointedByUserId: uuid('appointed_by_user_id')
      .notNull()
      .references(() => users.id),
    appointedAt: timestamp('appointed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('lead_social_worker_appointments_plan_idx').on(t.conferenceId, t.childId, t.appointedAt)],
);

/**
 * 002 §3.7: each reminder that a child's next core group is due, one per child, plan and due date (0033_issue14_links.sql):
 * the key lets only one node send it. No recipient when nobody could be reminded.
 */
export const coreGroupReminders = pgTable(
  'core_group_reminders',
  {
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    sentOn: date('sent_on', { mode: 'string' }).notNull(),
    recipientUserId: uuid('recipient_user_id').references(() => users.id),
    messageId: uuid('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.conferenceId, t.childId, t.dueOn] }),
    check('core_group_reminders_recipient_check', sql`(${t.messageId} is null) = (${t.recipientUserId} is null)`),
  ],
);
