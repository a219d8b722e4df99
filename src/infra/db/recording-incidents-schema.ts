import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { children, conferenceInvitees, conferences, users } from './schema.ts';

// When recording goes wrong (001, 004): someone without parental responsibility recording a conference against the
// parents' wishes (P-8), and a covert recording discovered afterwards (P-9) with the chair's actions and closure.

const HHMM = `'^([01][0-9]|2[0-3]):[0-5][0-9]$'`;

/** P-8: written once by the chair, with the time of each step; never changed. */
export const unpermittedRecordings = pgTable(
  'unpermitted_recordings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    /** Someone on the conference's register; otherwise `personDescription`. */
    personInviteeId: uuid('person_invitee_id').references(() => conferenceInvitees.id),
    personDescription: text('person_description'),
    /** "HH:MM" in England on the conference's date. */
    askedToStopAt: text('asked_to_stop_at').notNull(),
    meetingHaltedAt: text('meeting_halted_at'),
    askedToLeaveAt: text('asked_to_leave_at'),
    outcome: text('outcome').notNull(),
    outcomeAt: text('outcome_at').notNull(),
    notes: text('notes'),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('unpermitted_recordings_conf_idx').on(t.conferenceId, t.askedToStopAt),
    check(
      'unpermitted_recordings_person_check',
      sql`(${t.personInviteeId} is null) <> (${t.personDescription} is null)`,
    ),
    check(
      'unpermitted_recordings_description_not_blank',
      sql`${t.personDescription} is null or btrim(${t.personDescription}) <> ''`,
    ),
    check(
      'unpermitted_recordings_times_check',
      sql`${t.askedToStopAt} ~ ${sql.raw(HHMM)} and ${t.outcomeAt} ~ ${sql.raw(HHMM)} and (${t.meetingHaltedAt} is null or ${t.meetingHaltedAt} ~ ${sql.raw(HHMM)}) and (${t.askedToLeaveAt} is null or ${t.askedToLeaveAt} ~ ${sql.raw(HHMM)})`,
    ),
    check(
      'unpermitted_recordings_order_check',
      sql`${t.askedToStopAt} <= coalesce(${t.meetingHaltedAt}, ${t.askedToStopAt}) and coalesce(${t.meetingHaltedAt}, ${t.askedToStopAt}) <= coalesce(${t.askedToLeaveAt}, ${t.meetingHaltedAt}, ${t.askedToStopAt}) and coalesce(${t.askedToLeaveAt}, ${t.meetingHaltedAt}, ${t.askedToStopAt}) <= ${t.outcomeAt}`,
    ),
    check(
      'unpermitted_recordings_leave_after_halt',
      sql`${t.askedToLeaveAt} is null or ${t.meetingHaltedAt} is not null`,
    ),
    check('unpermitted_recordings_outcome_check', sql`${t.outcome} in ('stopped', 'left', 'adjourned')`),
    check('unpermitted_recordings_left_check', sql`${t.outcome} <> 'left' or ${t.askedToLeaveAt} is not null`),
    check(
      'unpermitted_recordings_adjourned_check',
      sql`${t.outcome} <> 'adjourned' or ${t.meetingHaltedAt} is not null`,
    ),
  ],
);

/** P-9: a covert recording discovered; closed by the chair with its outcome. */
export const covertRecordingIncidents = pgTable(
  'covert_recording_incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    foundOn: date('found_on', { mode: 'string' }).notNull(),
    foundBy: text('found_by').notNull(),
    howFound: text('how_found').notNull(),
    /** yes | no | not-known. */
    published: text('published').notNull(),
    publishedWhere: text('published_where'),
    publishedOn: date('published_on', { mode: 'string' }),
    takenDown: text('taken_down'),
    takenDownOn: date('taken_down_on', { mode: 'string' }),
    /** The conference's chair, told by email (the outbox message) when it was recorded; null when none was named. */
    chairUserId: uuid('chair_user_id').references(() => users.id),
    chairMessageId: uuid('chair_message_id'),
    outcome: text('outcome'),
    closedOn: date('closed_on', { mode: 'string' }),
    closedByUserId: uuid('closed_by_user_id').references(() => users.id),
    reportedByUserId: uuid('reported_by_user_id').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('covert_recording_incidents_conf_idx').on(t.conferenceId, t.foundOn),
    index('covert_recording_incidents_open_idx')
      .on(t.foundOn)
      .where(sql`${t.closedOn} is null`),
    check('covert_recording_incidents_found_by_not_blank', sql`btrim(${t.foundBy}) <> ''`),
    check('covert_recording_incidents_how_not_blank', sql`btrim(${t.howFound}) <> ''`),
    check('covert_recording_incidents_published_check', sql`${t.published} in ('yes', 'no', 'not-known')`),
    check(
      'covert_recording_incidents_publication_check',
      sql`(${t.published} = 'yes') = (${t.publishedWhere} is not null and ${t.takenDown} is not null) and (${t.published} = 'yes' or ${t.publishedOn} is null)`,
    ),
    check(
      'covert_recording_incidents_taken_down_check',
      sql`(${t.takenDown} is null or ${t.takenDown} in ('yes', 'no', 'not-known')) and (${t.takenDownOn} is null or ${t.takenDown} = 'yes')`,
    ),
    check(
      'covert_recording_incidents_closed_check',
      sql`(${t.outcome} is null) = (${t.closedOn} is null) and (${t.outcome} is null or btrim(${t.outcome}) <> '')`,
    ),
    check('covert_recording_incidents_version_check', sql`${t.version} > 0`),
  ],
);

/** P-9: the incident is on each affected child's record. */
export const covertRecordingIncidentChildren = pgTable(
  'covert_recording_incident_children',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => covertRecordingIncidents.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.childId] }),
    index('covert_recording_incident_children_child_idx').on(t.childId),
  ],
);

/** P-9: each action the chair considered: done or decided against, with date, who and outcome. */
export const covertRecordingActions = pgTable(
  'covert_recording_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => covertRecordingIncidents.id),
    action: text('action').notNull(),
    description: text('description'),
    /** taken | not-taken. */
    decision: text('decision').notNull(),
    doneOn: date('done_on', { mode: 'string' }).notNull(),
    doneBy: text('done_by').notNull(),
    outcome: text('outcome'),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('covert_recording_actions_incident_idx').on(t.incidentId, t.doneOn),
    check(
      'covert_recording_actions_action_check',
      sql`${t.action} in ('inform-network', 'inform-legal', 'legal-advice', 'injunction', 'other')`,
    ),
    check(
      'covert_recording_actions_other_check',
      sql`${t.action} <> 'other' or btrim(coalesce(${t.description}, '')) <> ''`,
    ),
    check('covert_recording_actions_decision_check', sql`${t.decision} in ('taken', 'not-taken')`),
    check(
      'covert_recording_actions_reason_check',
      sql`${t.decision} <> 'not-taken' or btrim(coalesce(${t.outcome}, '')) <> ''`,
    ),
    check('covert_recording_actions_by_not_blank', sql`btrim(${t.doneBy}) <> ''`),
  ],
);

/**
 * P-9: each reminder of an open incident, one per incident per day it fell due: the key lets only one node send it
 * when two run the scheduled job at once. The email is in the outbox; no recipient when no chair could be reminded.
 */
export const covertRecordingReminders = pgTable(
  'covert_recording_reminders',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => covertRecordingIncidents.id),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    sentOn: date('sent_on', { mode: 'string' }).notNull(),
    recipientUserId: uuid('recipient_user_id').references(() => users.id),
    messageId: uuid('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.dueOn] }),
    check('covert_recording_reminders_sent_check', sql`${t.sentOn} >= ${t.dueOn}`),
    check('covert_recording_reminders_recipient_check', sql`(${t.messageId} is null) = (${t.recipientUserId} is null)`),
  ],
);
