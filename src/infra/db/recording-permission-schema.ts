import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { children, conferenceInvitees, conferences, people, users } from './schema.ts';

// Permission to record a meeting (P-1, P-2, P-3, P-6, T-11): migration 0024_recording_permission.sql.

export const recordingPermissionRequests = pgTable(
  'recording_permission_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The conference, for a request to record a conference; otherwise `childId` and the meeting's details. */
    conferenceId: uuid('conference_id').references(() => conferences.id),
    childId: uuid('child_id').references(() => children.id),
    meetingKind: text('meeting_kind').notNull(),
    meetingDate: date('meeting_date', { mode: 'string' }),
    meetingTime: text('meeting_time'),
    organiser: text('organiser'),
    requesterKind: text('requester_kind').notNull(),
    requesterChildId: uuid('requester_child_id').references(() => children.id),
    requesterPersonId: uuid('requester_person_id').references(() => people.id),
    requesterName: text('requester_name').notNull(),
    askedAt: timestamp('asked_at', { withTimezone: true }).notNull(),
    method: text('method').notNull(),
    purpose: text('purpose').notNull(),
    undertakingMethod: text('undertaking_method').notNull(),
    undertakingBlobKey: text('undertaking_blob_key'),
    undertakingSha256: text('undertaking_sha256'),
    undertakingSize: integer('undertaking_size'),
    undertakingFormat: text('undertaking_format'),
    undertakingSignedAt: timestamp('undertaking_signed_at', { withTimezone: true }),
    undertakingSignedVia: text('undertaking_signed_via'),
    hoursBefore: integer('hours_before').notNull(),
    late: boolean('late').notNull(),
    status: text('status').notNull(),
    notEligibleReason: text('not_eligible_reason'),
    decisionGrounds: jsonb('decision_grounds')
      .$type<Array<{ ground: string; evidence: string }>>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    decisionAlternatives: jsonb('decision_alternatives')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    alternativesNote: text('alternatives_note'),
    decisionReasons: text('decision_reasons'),
    decidedByUserId: uuid('decided_by_user_id').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmedByUserId: uuid('confirmed_by_user_id').references(() => users.id),
    confirmedByEmail: boolean('confirmed_by_email').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdByUserId: uuid('created_by_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('rec_perm_conference_idx')
      .on(t.conferenceId, t.askedAt)
      .where(sql`${t.conferenceId} is not null`),
    index('rec_perm_child_idx')
      .on(t.childId, t.askedAt)
      .where(sql`${t.childId} is not null`),
    index('rec_perm_waiting_idx')
      .on(t.status)
      .where(sql`${t.status} in ('awaiting-undertaking', 'awaiting-decision')`),
    check('rec_perm_hours_check', sql`${t.hoursBefore} >= 0`),
    check('rec_perm_version_check', sql`${t.version} > 0`),
  ],
);

export const recordingPermissionViews = pgTable(
  'recording_permission_views',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => recordingPermissionRequests.id),
    inviteeId: uuid('invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id),
    view: text('view').notNull(),
    reason: text('reason'),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('rec_perm_views_unique').on(t.requestId, t.inviteeId)],
);

export const recordingPermissionLinks = pgTable(
  'recording_permission_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => recordingPermissionRequests.id),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    /** The name the requester typed when confirming the undertaking. */
    confirmedName: text('confirmed_name'),
    codeHash: text('code_hash'),
    codeIssuedAt: timestamp('code_issued_at', { withTimezone: true }),
    codeExpiresAt: timestamp('code_expires_at', { withTimezone: true }),
    codeAttempts: integer('code_attempts').notNull().default(0),
    codesIssued: integer('codes_issued').notNull().default(0),
    codeUsedAt: timestamp('code_used_at', { withTimezone: true }),
    createdByUserId: uuid('created_by_user_id').references(() => users.id),
  },
  (t) => [
    uniqueIndex('rec_perm_links_token_unique').on(t.tokenHash),
    index('rec_perm_links_request_idx').on(t.requestId),
  ],
);
