import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { recordingPermissionRequests } from './recording-permission-schema.ts';
import { conferenceInvitees, conferences, users } from './schema.ts';

// The family's recording on the day of a conference (P-1, P-4, P-5, P-6, P-7): migration 0026_recording_consent.sql.
// Every row is written once and never changed.

const HHMM = `'^([01][0-9]|2[0-3]):[0-5][0-9]$'`;

/** P-1, P-5: a request to record made during the meeting by someone present who may ask, the limits accepted (P-7). */
export const recordingMeetingRequests = pgTable(
  'recording_meeting_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    requesterInviteeId: uuid('requester_invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id),
    /** "HH:MM" in England on the conference's date. */
    askedAt: text('asked_at').notNull(),
    purpose: text('purpose').notNull(),
    limitsAccepted: boolean('limits_accepted').notNull(),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('recording_meeting_requests_conference_idx').on(t.conferenceId),
    check('recording_meeting_requests_time_check', sql`${t.askedAt} ~ ${sql.raw(HHMM)}`),
    check('recording_meeting_requests_purpose_not_blank', sql`btrim(${t.purpose}) <> ''`),
    check('recording_meeting_requests_limits_check', sql`${t.limitsAccepted}`),
  ],
);

/** P-4, P-5: one round of asking everyone present, for one request (made beforehand or during the meeting). */
export const recordingConsentRounds = pgTable(
  'recording_consent_rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The order rounds were recorded in: the latest decides who has still to be asked (P-5). */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    permissionRequestId: uuid('permission_request_id').references(() => recordingPermissionRequests.id),
    meetingRequestId: uuid('meeting_request_id').references(() => recordingMeetingRequests.id),
    occasion: text('occasion').notNull(),
    /** "HH:MM" in England on the conference's date. */
    askedAt: text('asked_at').notNull(),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('recording_consent_rounds_conference_idx').on(t.conferenceId, t.seq),
    check(
      'recording_consent_rounds_request_check',
      sql`(${t.permissionRequestId} is null) <> (${t.meetingRequestId} is null)`,
    ),
    check('recording_consent_rounds_occasion_check', sql`${t.occasion} in ('start', 'joined', 'new-request')`),
    check('recording_consent_rounds_time_check', sql`${t.askedAt} ~ ${sql.raw(HHMM)}`),
  ],
);

/** P-4: each person's answer in a round; a refusal says why or what further authorisation is needed. */
export const recordingConsents = pgTable(
  'recording_consents',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => recordingConsentRounds.id),
    inviteeId: uuid('invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id),
    answer: text('answer').notNull(),
    reason: text('reason'),
    furtherAuthorisation: text('further_authorisation'),
  },
  (t) => [
    primaryKey({ columns: [t.roundId, t.inviteeId] }),
    check('recording_consents_answer_check', sql`${t.answer} in ('agrees', 'refuses')`),
    check(
      'recording_consents_refusal_check',
      sql`(${t.answer} = 'agrees' and ${t.reason} is null and ${t.furtherAuthorisation} is null) or (${t.answer} = 'refuses' and (${t.reason} is not null or ${t.furtherAuthorisation} is not null))`,
    ),
  ],
);

/** P-7: a copy of the family's recording handed over on request, encrypted like every recording; never the official record. */
export const familyRecordingCopies = pgTable(
  'family_recording_copies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    permissionRequestId: uuid('permission_request_id').references(() => recordingPermissionRequests.id),
    meetingRequestId: uuid('meeting_request_id').references(() => recordingMeetingRequests.id),
    handedOverOn: date('handed_over_on', { mode: 'string' }).notNull(),
    handedOverBy: text('handed_over_by').notNull(),
    format: text('format').notNull(),
    blobKey: text('blob_key').notNull(),
    /** The plaintext's SHA-256 and length. */
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    encryptedSha256: text('encrypted_sha256').notNull(),
    encryptedSize: bigint('encrypted_size', { mode: 'number' }).notNull(),
    uploadedByUserId: uuid('uploaded_by_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('family_recording_copies_conference_idx').on(t.conferenceId),
    uniqueIndex('family_recording_copies_blob_unique').on(t.blobKey),
    check(
      'family_recording_copies_request_check',
      sql`(${t.permissionRequestId} is null) <> (${t.meetingRequestId} is null)`,
    ),
    check('family_recording_copies_format_check', sql`${t.format} in ('mp3', 'm4a', 'wav', 'ogg', 'webm', 'amr')`),
    check('family_recording_copies_by_not_blank', sql`btrim(${t.handedOverBy}) <> ''`),
    check('family_recording_copies_size_check', sql`${t.size} > 0 and ${t.encryptedSize} > 0`),
  ],
);
