import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
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

// Tables for accounts, the audit trail and people. The whole planned model (conferences,
// recordings, requests, documents) is described in docs/data-model.md; later migrations add it.

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    roles: text('roles').array().notNull(),
    passwordHash: text('password_hash'),
    /** Set by an administrator or operator: the person must choose their own password before anything else. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** 002 §4.1: their line manager, set by an administrator (migration 0032). */
    lineManagerId: uuid('line_manager_id').references((): AnyPgColumn => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    // Staff by role without reading every account (0047).
    index('users_roles_idx').using('gin', t.roles),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** Started with a password: used for nothing but the second factor until that is given (migration 0036). */
    secondFactorDue: boolean('second_factor_due').notNull().default(false),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/** One-time links: the first administrator (no user) or a password reset for `userId`. */
export const setupTokens = pgTable(
  'setup_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('setup_tokens_user_idx').on(t.userId)],
);

/** Failed sign-ins by client address (a keyed hash, never the address) and account, for lock-outs. */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    addressKey: text('address_key').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('sign_in_attempts_address_idx').on(t.addressKey, t.at),
    index('sign_in_attempts_user_idx').on(t.userId, t.at),
  ],
);

/** A form posted after its session ended, kept briefly for the same person to send again after signing in. */
export const keptForms = pgTable(
  'kept_forms',
  {
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    fields: jsonb('fields').$type<Record<string, string | string[]>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('kept_forms_expires_idx').on(t.expiresAt)],
);

/** Append-only, hash-chained. A trigger refuses UPDATE and DELETE (see the migration). */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: uuid('actor_user_id'),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    requestId: text('request_id'),
    outcome: text('outcome').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_subject_idx').on(t.subjectType, t.subjectId),
    index('audit_actor_idx').on(t.actorUserId),
    index('audit_action_idx').on(t.action, t.seq),
    index('audit_at_idx').on(t.at),
  ],
);

export const agencies = pgTable(
  'agencies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('agencies_name_key').on(sql`lower(${t.name})`)],
);

export const children = pgTable(
  'children',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    givenNames: text('given_names').notNull(),
    familyName: text('family_name').notNull(),
    dateOfBirth: date('date_of_birth', { mode: 'string' }),
    expectedDeliveryDate: date('expected_delivery_date', { mode: 'string' }),
    address: text('address').notNull(),
    localReference: text('local_reference').notNull(),
    nationality: text('nationality'),
    immigrationStatus: text('immigration_status'),
    /** 002 §3.10: the child's legal status (domain/people/legal-status.ts); null until recorded (migration 0032). */
    legalStatus: text('legal_status'),
    legalStatusDetails: text('legal_status_details'),
    allocatedSocialWorkerId: uuid('allocated_social_worker_id').references(() => users.id),
    restricted: boolean('restricted').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('children_local_reference_key').on(sql`lower(${t.localReference})`),
    index('children_family_name_idx').on(sql`lower(${t.familyName})`),
    index('children_sw_idx').on(t.allocatedSocialWorkerId),
  ],
);

/** Named staff who may see a restricted child. */
export const childAccessGrants = pgTable(
  'child_access_grants',
  {
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.childId, t.userId] })],
);

/** Family and network members. Relationship and parental responsibility are per child. */
export const people = pgTable('people', {
  id: uuid('id').primaryKey().defaultRandom(),
  givenNames: text('given_names').notNull(),
  familyName: text('family_name').notNull(),
  dateOfBirth: date('date_of_birth', { mode: 'string' }),
  address: text('address'),
  email: text('email'),
  phone: text('phone'),
  language: text('language'),
  interpreterNeeded: boolean('interpreter_needed').notNull().default(false),
  accessibilityNeeds: text('accessibility_needs'),
  /** 002 §1.1 (migration 0032). */
  nationality: text('nationality'),
  immigrationStatus: text('immigration_status'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const childRelationships = pgTable(
  'child_relationships',
  {
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    relationship: text('relationship').notNull(),
    parentalResponsibility: boolean('parental_responsibility').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.childId, t.personId] }), index('child_rel_person_idx').on(t.personId)],
);

export const professionals = pgTable('professionals', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  roleTitle: text('role_title').notNull(),
  agencyId: uuid('agency_id')
    .notNull()
    .references(() => agencies.id),
  email: text('email'),
  phone: text('phone'),
  userId: uuid('user_id').references(() => users.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Professionals working with a child (used for invitations and quoracy later). */
export const childProfessionals = pgTable(
  'child_professionals',
  {
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id, { onDelete: 'cascade' }),
    professionalId: uuid('professional_id')
      .notNull()
      .references(() => professionals.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.childId, t.professionalId] })],
);

export const caseNotes = pgTable(
  'case_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id, { onDelete: 'cascade' }),
    authorUserId: uuid('author_user_id').references(() => users.id),
    authorLabel: text('author_label').notNull(),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('case_notes_child_idx').on(t.childId, t.createdAt)],
);

// ---------------------------------------------------------------------------------------------
// Conferences (002): convening, invitations, parts and attendance, reports, decisions, plans.

export const conferences = pgTable(
  'conferences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: text('type').notNull(),
    status: text('status').notNull().default('planned'),
    scheduledDate: date('scheduled_date', { mode: 'string' }).notNull(),
    /** Local time in England, HH:MM. */
    startTime: text('start_time').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    venueKind: text('venue_kind').notNull(),
    venueDetails: text('venue_details'),
    onlineLink: text('online_link'),
    chairUserId: uuid('chair_user_id').references(() => users.id),
    minuteTakerUserId: uuid('minute_taker_user_id').references(() => users.id),
    strategyDiscussionDate: date('strategy_discussion_date', { mode: 'string' }),
    expectedDeliveryDate: date('expected_delivery_date', { mode: 'string' }),
    previousConferenceId: uuid('previous_conference_id').references((): AnyPgColumn => conferences.id),
    noticeOfMoveDate: date('notice_of_move_date', { mode: 'string' }),
    /** The statutory rule and due date when convened, kept for dashboards and the record. */
    dueRule: text('due_rule').notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    lateAgreedBy: text('late_agreed_by'),
    lateReason: text('late_reason'),
    /** What happened on the day: actual times (HH:MM, England) and when the R-1 reminder was given. */
    actualStartTime: text('actual_start_time'),
    actualEndTime: text('actual_end_time'),
    reminderGivenAt: timestamp('reminder_given_at', { withTimezone: true }),
    proceededInquorateReason: text('proceeded_inquorate_reason'),
    adjournmentSafetySteps: text('adjournment_safety_steps'),
    /** the date set for the reconvened conference when an inquorate one is adjourned. */
    reconveneDate: date('reconvene_date', { mode: 'string' }),
    reconvenedConferenceId: uuid('reconvened_conference_id').references((): AnyPgColumn => conferences.id),
    cancelledReason: text('cancelled_reason'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('conferences_date_idx').on(t.scheduledDate),
    index('conferences_chair_idx').on(t.chairUserId),
    index('conferences_status_idx').on(t.status),
    // Q-1 / D-1: a conference reconvenes at most one earlier conference, and never itself.
    uniqueIndex('conferences_reconvened_key').on(t.reconvenedConferenceId),
    check('conferences_reconvened_not_self', sql`${t.reconvenedConferenceId} <> ${t.id}`),
  ],
);

/** The children the conference is about (a sibling group); outcomes are per child. */
export const conferenceChildren = pgTable(
  'conference_children',
  {
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** The child's views, recorded whether or not they attend (002 §3.2). */
    childViews: text('child_views'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.conferenceId, t.childId] }), index('conference_children_child_idx').on(t.childId)],
);

/** A split conference's parts; an unsplit conference has one part. */
export const conferenceParts = pgTable(
  'conference_parts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    label: text('label').notNull(),
    /** Minutes after the conference's start time, and length, for the "two places at once" check. */
    startOffsetMinutes: integer('start_offset_minutes').notNull().default(0),
    durationMinutes: integer('duration_minutes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('conference_parts_ordinal_key').on(t.conferenceId, t.ordinal)],
);

/** Everyone invited: family members, the child, supporters, professionals, interpreters. */
export const conferenceInvitees = pgTable(
  'conference_invitees',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    personId: uuid('person_id').references(() => people.id),
    childId: uuid('child_id').references(() => children.id),
    professionalId: uuid('professional_id').references(() => professionals.id),
    /** Children's social care staff invited from their accounts: the allocated social worker, a team manager. */
    userId: uuid('user_id').references(() => users.id),
    /** With `userId`: 'social-worker' or 'team-manager'. */
    staffRole: text('staff_role'),
    agencyId: uuid('agency_id').references(() => agencies.id),
    /** Whether the professional's agency has had direct contact with the child and family. */
    directContact: boolean('direct_contact').notNull().default(false),
    /**
     * The language an interpreter is needed in (null: no interpreter needed); for an interpreter
     * invited to the conference, the language they interpret.
     */
    interpreterLanguage: text('interpreter_language'),
    invitationMethod: text('invitation_method'),
    invitedAt: timestamp('invited_at', { withTimezone: true }),
    /** W-4: when an agency said it has no current or planned involvement (it is then not sent the record). */
    noInvolvementOn: date('no_involvement_on', { mode: 'string' }),
    noInvolvementNote: text('no_involvement_note'),
    noInvolvementByUserId: uuid('no_involvement_by_user_id').references(() => users.id),
    noInvolvementRecordedAt: timestamp('no_involvement_recorded_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('conference_invitees_conf_idx').on(t.conferenceId),
    // Nobody is invited twice to one conference; the service says so first, by name.
    uniqueIndex('conference_invitees_person_key').on(t.conferenceId, t.personId),
    uniqueIndex('conference_invitees_child_key').on(t.conferenceId, t.childId),
    uniqueIndex('conference_invitees_professional_key').on(t.conferenceId, t.professionalId),
    uniqueIndex('conference_invitees_user_key').on(t.conferenceId, t.userId),
    check(
      'conference_invitees_staff_role_check',
      sql`(${t.userId} is null) = (${t.staffRole} is null) and (${t.staffRole} is null or ${t.staffRole} in ('social-worker', 'team-manager'))`,
    ),
    check(
      'conference_invitees_language_not_blank',
      sql`${t.interpreterLanguage} is null or btrim(${t.interpreterLanguage}) <> ''`,
    ),
  ],
);

/**
 * Each invitation as it was issued: the text sent, exactly, whatever changes afterwards. Issuing again
 * adds a row with the next number; rows are never changed or deleted (a trigger refuses it).
 */
export const invitationIssues = pgTable(
  'invitation_issues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    inviteeId: uuid('invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id),
    /** 1, 2, … for each invitee. */
    issueNumber: integer('issue_number').notNull(),
    /** How it went: letter, email, letter-and-email or by-hand. */
    channel: text('channel').notNull(),
    /** The letter's address block (name, role, agency, postal address) as issued. */
    recipientLines: text('recipient_lines').array().notNull(),
    /** The address an emailed invitation went to. */
    recipientEmail: text('recipient_email'),
    subject: text('subject').notNull(),
    /** The invitation as plain text: the letter, and the body of the email. */
    body: text('body').notNull(),
    bodySha256: text('body_sha256').notNull(),
    /** When it was sent (the day given, for one sent earlier). */
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    issuedByUserId: uuid('issued_by_user_id').references(() => users.id),
    issuedByLabel: text('issued_by_label').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invitation_issues_number_key').on(t.inviteeId, t.issueNumber),
    index('invitation_issues_conf_idx').on(t.conferenceId),
    check('invitation_issues_sha256_hex', sql`${t.bodySha256} ~ '^[0-9a-f]{64}$'`),
  ],
);

export const attendance = pgTable(
  'attendance',
  {
    partId: uuid('part_id')
      .notNull()
      .references(() => conferenceParts.id, { onDelete: 'cascade' }),
    inviteeId: uuid('invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    joinedAtMinutes: integer('joined_at_minutes'),
    leftAtMinutes: integer('left_at_minutes'),
    exclusionExtent: text('exclusion_extent'),
    exclusionReason: text('exclusion_reason'),
    howViewsHeard: text('how_views_heard'),
    interpreterUsed: boolean('interpreter_used').notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.partId, t.inviteeId] })],
);

/** Agencies' reports; police reports are never shared with the family automatically (002 §3.4). */
export const conferenceReports = pgTable(
  'conference_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    blobKey: text('blob_key'),
    fileSha256: text('file_sha256'),
    mediaType: text('media_type'),
    sizeBytes: integer('size_bytes'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    sharedWithFamilyOn: date('shared_with_family_on', { mode: 'string' }),
    withheldFromFamily: boolean('withheld_from_family').notNull().default(false),
    withheldReason: text('withheld_reason'),
    uploadedByUserId: uuid('uploaded_by_user_id').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('conference_reports_conf_idx').on(t.conferenceId)],
);

/** A decision for one child; a change after the event is a new version, never an overwrite. */
export const childDecisions = pgTable(
  'child_decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    version: integer('version').notNull(),
    outcome: text('outcome').notNull(),
    category: text('category'),
    reasons: text('reasons').notNull(),
    equallySplit: boolean('equally_split').notNull().default(false),
    seniorManagerReferralRequired: boolean('senior_manager_referral_required').notNull().default(false),
    changeReason: text('change_reason'),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('child_decisions_version_key').on(t.conferenceId, t.childId, t.version),
    // A child's page reads their decisions by child (0047).
    index('child_decisions_child_idx').on(t.childId, t.version),
  ],
);

export const agencyViews = pgTable(
  'agency_views',
  {
    decisionId: uuid('decision_id')
      .notNull()
      .references(() => childDecisions.id, { onDelete: 'cascade' }),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    view: text('view').notNull(),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.decisionId, t.agencyId] })],
);

/** D-1: referral to a senior manager when more than one agency dissents. */
export const dissentReferrals = pgTable('dissent_referrals', {
  id: uuid('id').primaryKey().defaultRandom(),
  decisionId: uuid('decision_id')
    .notNull()
    .references(() => childDecisions.id, { onDelete: 'cascade' }),
  referredTo: text('referred_to').notNull(),
  referredOn: date('referred_on', { mode: 'string' }).notNull(),
  reviewedOn: date('reviewed_on', { mode: 'string' }),
  outcome: text('outcome'),
  reconveneDue: date('reconvene_due', { mode: 'string' }),
  createdAt: createdAt(),
});

/** The child protection plan agreed at a conference, versioned like decisions. */
export const childPlans = pgTable(
  'child_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    version: integer('version').notNull(),
    leadSocialWorkerUserId: uuid('lead_social_worker_user_id').references(() => users.id),
    firstCoreGroupDate: date('first_core_group_date', { mode: 'string' }),
    contingencyPlan: text('contingency_plan'),
    nextReviewDate: date('next_review_date', { mode: 'string' }),
    /** T-9: the meeting with the family after a plan ends. */
    planEndedMeetingDate: date('plan_ended_meeting_date', { mode: 'string' }),
    changeReason: text('change_reason'),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('child_plans_version_key').on(t.conferenceId, t.childId, t.version),
    // A child's page reads their plans by child (0047).
    index('child_plans_child_idx').on(t.childId, t.version),
  ],
);

export const planActions = pgTable(
  'plan_actions',
  {
    planId: uuid('plan_id')
      .notNull()
      .references(() => childPlans.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    action: text('action').notNull(),
    who: text('who').notNull(),
    byWhen: date('by_when', { mode: 'string' }),
  },
  (t) => [primaryKey({ columns: [t.planId, t.ordinal] })],
);

export const coreGroupMembers = pgTable(
  'core_group_members',
  {
    planId: uuid('plan_id')
      .notNull()
      .references(() => childPlans.id, { onDelete: 'cascade' }),
    inviteeId: uuid('invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id),
  },
  (t) => [primaryKey({ columns: [t.planId, t.inviteeId] })],
);

/** The chair's Worries / Positives / Changes summary (003), versioned. */
export const chairSummaries = pgTable(
  'chair_summaries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    worries: text('worries').notNull(),
    positives: text('positives').notNull(),
    changes: text('changes').notNull(),
    changeReason: text('change_reason'),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('chair_summaries_version_key').on(t.conferenceId, t.version)],
);
