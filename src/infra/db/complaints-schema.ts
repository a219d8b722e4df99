import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { conferenceInvitees, conferences, users } from './schema.ts';

// Complaints about a conference (W-7, 002 §3.12): what it is about, who complained, the council's stage, the
// investigator (who may view the conference's written record and recordings while it is open) and the outcome.

export const complaints = pgTable(
  'complaints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    /** One or more of COMPLAINT_SUBJECTS. */
    about: jsonb('about').$type<string[]>().notNull(),
    /** A parent or young person invited to the conference; otherwise `complainantName`. */
    complainantInviteeId: uuid('complainant_invitee_id').references(() => conferenceInvitees.id),
    complainantName: text('complainant_name'),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    summary: text('summary').notNull(),
    /** informal → formal → review-panel. */
    stage: text('stage').notNull(),
    investigatorUserId: uuid('investigator_user_id').references(() => users.id),
    outcome: text('outcome'),
    closedOn: date('closed_on', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdByUserId: uuid('created_by_user_id').references(() => users.id),
    updatedByUserId: uuid('updated_by_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('complaints_conf_idx').on(t.conferenceId, t.receivedOn),
    index('complaints_investigator_idx')
      .on(t.investigatorUserId, t.conferenceId)
      .where(sql`${t.investigatorUserId} is not null`),
    check('complaints_about_check', sql`jsonb_typeof(${t.about}) = 'array' and jsonb_array_length(${t.about}) > 0`),
    check('complaints_complainant_check', sql`(${t.complainantInviteeId} is null) <> (${t.complainantName} is null)`),
    check('complaints_name_not_blank', sql`${t.complainantName} is null or btrim(${t.complainantName}) <> ''`),
    check('complaints_summary_not_blank', sql`btrim(${t.summary}) <> ''`),
    check('complaints_stage_check', sql`${t.stage} in ('informal', 'formal', 'review-panel')`),
    check(
      'complaints_outcome_check',
      sql`${t.outcome} is null or ${t.outcome} in ('upheld', 'partly-upheld', 'not-upheld', 'withdrawn')`,
    ),
    check('complaints_closed_check', sql`(${t.outcome} is null) = (${t.closedOn} is null)`),
    check('complaints_investigator_check', sql`${t.investigatorUserId} is null or ${t.stage} <> 'informal'`),
    check('complaints_version_check', sql`${t.version} > 0`),
  ],
);
