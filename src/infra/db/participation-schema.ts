import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { attendance, children, conferenceInvitees, conferences, users } from './schema.ts';

// Participation (002 §3.2, 001): migration 0030_participation.sql.

/** Whether each child attends their conference, decided before it (002 §3.2). */
export const childAttendanceDecisions = pgTable(
  'child_attendance_decisions',
  {
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    understands: text('understands').notNull(),
    wishExpressed: text('wish_expressed').notNull(),
    parentsViews: text('parents_views').notNull(),
    benefit: text('benefit').notNull(),
    chairAdvice: text('chair_advice').notNull(),
    socialWorkerAdvice: text('social_worker_advice').notNull(),
    childWish: text('child_wish').notNull(),
    decision: text('decision').notNull(),
    partArrangements: text('part_arrangements'),
    reason: text('reason'),
    viewsRoutes: text('views_routes')
      .array()
      .notNull()
      .default(sql`'{}'`),
    viewsNote: text('views_note'),
    viewsCheckedAt: timestamp('views_checked_at', { withTimezone: true }),
    viewsCheckedByUserId: uuid('views_checked_by_user_id').references(() => users.id),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ name: 'child_attendance_decisions_pkey', columns: [t.conferenceId, t.childId] }),
    check(
      'child_attendance_decisions_refusal_check',
      sql`${t.childWish} <> 'not-attend' or ${t.decision} = 'not-attend'`,
    ),
  ],
);

/** A friend or supporter the chair bars from the conference (002 §3.2). */
export const supporterBars = pgTable(
  'supporter_bars',
  {
    inviteeId: uuid('invitee_id')
      .primaryKey()
      .references(() => conferenceInvitees.id, { onDelete: 'cascade' }),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    detail: text('detail'),
    barredByUserId: uuid('barred_by_user_id').references(() => users.id),
    barredAt: timestamp('barred_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('supporter_bars_conf_idx').on(t.conferenceId)],
);

/** Whom an advocate speaks for, and when they found out that person's view (002 §3.2). */
export const advocateRoles = pgTable(
  'advocate_roles',
  {
    inviteeId: uuid('invitee_id')
      .primaryKey()
      .references(() => conferenceInvitees.id, { onDelete: 'cascade' }),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    speaksForInviteeId: uuid('speaks_for_invitee_id').references(() => conferenceInvitees.id, { onDelete: 'cascade' }),
    speaksForChildId: uuid('speaks_for_child_id').references(() => children.id),
    viewAscertainedOn: date('view_ascertained_on', { mode: 'string' }),
    note: text('note'),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('advocate_roles_conf_idx').on(t.conferenceId)],
);

/** A parent's own report to the conference, kept in the encrypted file store (002 §3.2, 001). */
export const parentReports = pgTable(
  'parent_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    inviteeId: uuid('invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    blobKey: text('blob_key').notNull(),
    fileSha256: text('file_sha256').notNull(),
    format: text('format').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    uploadedByUserId: uuid('uploaded_by_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('parent_reports_conf_idx').on(t.conferenceId)],
);

/** Help offered or arranged so a parent can take part (002 §3.2). */
export const parentHelp = pgTable(
  'parent_help',
  {
    inviteeId: uuid('invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    arrangedBy: text('arranged_by'),
    details: text('details'),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'parent_help_pkey', columns: [t.inviteeId, t.kind] })],
);

/** An exclusion's criteria, the telling of its reasons, and how the excluded person may send their views (002 §3.2). */
export const exclusionDetails = pgTable(
  'exclusion_details',
  {
    partId: uuid('part_id').notNull(),
    inviteeId: uuid('invitee_id').notNull(),
    criteria: text('criteria').array().notNull(),
    otherReason: text('other_reason'),
    toldOrallyOn: date('told_orally_on', { mode: 'string' }),
    toldOrallyBy: text('told_orally_by'),
    toldInWritingOn: date('told_in_writing_on', { mode: 'string' }),
    toldInWritingBy: text('told_in_writing_by'),
    viewsRoutes: text('views_routes').array().notNull(),
    viewsNote: text('views_note'),
    recordedBeforeCriteria: boolean('recorded_before_criteria').notNull().default(false),
  },
  (t) => [
    primaryKey({ name: 'exclusion_details_pkey', columns: [t.partId, t.inviteeId] }),
    foreignKey({
      name: 'exclusion_details_attendance_fk',
      columns: [t.partId, t.inviteeId],
      foreignColumns: [attendance.partId, attendance.inviteeId],
    }).onDelete('cascade'),
  ],
);
