import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { RecipientArrangement } from '../../domain/documents/arrangements.ts';
import type { WrittenDocument } from '../../domain/documents/model.ts';
import type { LeftOut } from '../../domain/documents/variants.ts';
import type { Withholding } from '../../domain/documents/withholding.ts';
import { amendmentRequests } from './amendments-schema.ts';
import { conferenceInvitees, conferences, users } from './schema.ts';

// The written record (W-1 … W-4, T-6, T-7): a draft per document a conference needs, the chair's comments on
// it, the copies issued from the approved document (never changed: a trigger refuses it), and the arrangements
// for recipients that stay on business support's dashboard until done.

const KINDS = sql.raw(
  `'decision-letter', 'plan-and-core-group-letter', 'chairs-summary', 'conference-record', 'inquorate-notes', 'exclusion-letter', 'amendment-decision-letter'`,
);

/**
 * One draft per document a conference needs (one exclusion letter per excluded person), and one letter with the
 * chair's decision per amendment request (W-5).
 */
export const documentDrafts = pgTable(
  'document_drafts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    /** One of DOCUMENT_KINDS. */
    kind: text('kind').notNull(),
    /** An exclusion letter's excluded person, an amendment decision letter's requester; null for every other kind. */
    subjectInviteeId: uuid('subject_invitee_id').references(() => conferenceInvitees.id),
    /** W-5: the amendment request an amendment decision letter answers; null for every other kind. */
    amendmentRequestId: uuid('amendment_request_id').references((): AnyPgColumn => amendmentRequests.id),
    /** drafting → waiting-for-chair → approved → issued. */
    status: text('status').notNull(),
    /** The minute taker's text by section id. */
    sections: jsonb('sections')
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** W-3: the chair's withholding marks by block id. */
    withholdings: jsonb('withholdings')
      .$type<Record<string, Withholding[]>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** W-1, W-4: the children (invitee ids) the chair decided should receive their own copy. */
    childRecipientInviteeIds: jsonb('child_recipient_invitee_ids')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** W-4: what was arranged for recipients. */
    arrangements: jsonb('arrangements')
      .$type<RecipientArrangement[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Bumped by every change: the optimistic lock a form or autosave sends back. */
    version: integer('version').notNull().default(1),
    createdByUserId: uuid('created_by_user_id').references(() => users.id),
    updatedByUserId: uuid('updated_by_user_id').references(() => users.id),
    approvedByUserId: uuid('approved_by_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    /** The document exactly as the chair approved it; issuing renders this. */
    approvedDocument: jsonb('approved_document').$type<WrittenDocument>(),
  },
  (t) => [
    index('document_drafts_conf_idx').on(t.conferenceId),
    uniqueIndex('document_drafts_kind_key')
      .on(t.conferenceId, t.kind)
      .where(sql`${t.subjectInviteeId} is null`),
    uniqueIndex('document_drafts_subject_key')
      .on(t.conferenceId, t.kind, t.subjectInviteeId)
      .where(sql`${t.subjectInviteeId} is not null and ${t.amendmentRequestId} is null`),
    uniqueIndex('document_drafts_amendment_request_key')
      .on(t.amendmentRequestId)
      .where(sql`${t.amendmentRequestId} is not null`),
    check('document_drafts_kind_check', sql`${t.kind} in (${KINDS})`),
    check('document_drafts_status_check', sql`${t.status} in ('drafting', 'waiting-for-chair', 'approved', 'issued')`),
    check(
      'document_drafts_subject_check',
      sql`(${t.kind} in ('exclusion-letter', 'amendment-decision-letter')) = (${t.subjectInviteeId} is not null)`,
    ),
    check(
      'document_drafts_amendment_request_check',
      sql`(${t.kind} = 'amendment-decision-letter') = (${t.amendmentRequestId} is not null)`,
    ),
    check(
      'document_drafts_approved_check',
      sql`${t.status} not in ('approved', 'issued') or (${t.approvedAt} is not null and ${t.approvedDocument} is not null)`,
    ),
    check('document_drafts_version_check', sql`${t.version} > 0`),
    check(
      'document_drafts_json_check',
      sql`jsonb_typeof(${t.sections}) = 'object' and jsonb_typeof(${t.withholdings}) = 'object' and jsonb_typeof(${t.childRecipientInviteeIds}) = 'array' and jsonb_typeof(${t.arrangements}) = 'array'`,
    ),
  ],
);

/** The chair's comments on a draft's sections; resolving one keeps it, with who and when. */
export const documentComments = pgTable(
  'document_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    draftId: uuid('draft_id')
      .notNull()
      .references(() => documentDrafts.id, { onDelete: 'cascade' }),
    sectionId: text('section_id').notNull(),
    body: text('body').notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedByUserId: uuid('resolved_by_user_id').references(() => users.id),
  },
  (t) => [
    index('document_comments_draft_idx').on(t.draftId, t.createdAt),
    check('document_comments_body_not_blank', sql`btrim(${t.body}) <> ''`),
    check('document_comments_resolved_check', sql`${t.resolvedByUserId} is null or ${t.resolvedAt} is not null`),
  ],
);

/** Every copy issued: fixed bytes (encrypted in the blob store), their SHA-256, who approved and issued it, what it left out. */
export const issuedDocuments = pgTable(
  'issued_documents',
  {
    id: uuid('id').primaryKey(),
    draftId: uuid('draft_id')
      .notNull()
      .references(() => documentDrafts.id),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    kind: text('kind').notNull(),
    /** 1 for the first issue; an amendment is the next number. */
    issueNumber: integer('issue_number').notNull(),
    title: text('title').notNull(),
    /** full, parent or child. */
    copyKind: text('copy_kind').notNull(),
    /** Who the copy is addressed to; null for the file copy. */
    recipientInviteeId: uuid('recipient_invitee_id').references(() => conferenceInvitees.id),
    recipientName: text('recipient_name').notNull(),
    /** pdf or html. */
    format: text('format').notNull(),
    largePrint: boolean('large_print').notNull().default(false),
    blobKey: text('blob_key').notNull(),
    /** SHA-256 (hex) and length of the issued plaintext bytes. */
    sha256: text('sha256').notNull(),
    byteLength: integer('byte_length').notNull(),
    mediaType: text('media_type').notNull(),
    /** The creation date written into the file, so it can be rendered again byte for byte. */
    renderedAt: timestamp('rendered_at', { withTimezone: true }).notNull(),
    approvedByUserId: uuid('approved_by_user_id').references(() => users.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }).notNull(),
    issuedByUserId: uuid('issued_by_user_id').references(() => users.id),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    /** W-3: what this copy left out, for whom and why. */
    leftOut: jsonb('left_out')
      .$type<LeftOut[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** The marking on every page. */
    marking: jsonb('marking')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
  },
  (t) => [
    index('issued_documents_conf_idx').on(t.conferenceId, t.issuedAt),
    uniqueIndex('issued_documents_copy_key').on(
      t.draftId,
      t.issueNumber,
      t.copyKind,
      sql`coalesce(${t.recipientInviteeId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.format,
      t.largePrint,
    ),
    uniqueIndex('issued_documents_blob_key').on(t.blobKey),
    check('issued_documents_kind_check', sql`${t.kind} in (${KINDS})`),
    check('issued_documents_issue_number_check', sql`${t.issueNumber} > 0`),
    check('issued_documents_copy_kind_check', sql`${t.copyKind} in ('full', 'parent', 'child')`),
    check('issued_documents_format_check', sql`${t.format} in ('pdf', 'html')`),
    check('issued_documents_sha256_check', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('issued_documents_byte_length_check', sql`${t.byteLength} > 0`),
    check('issued_documents_blob_key_not_blank', sql`btrim(${t.blobKey}) <> ''`),
    check(
      'issued_documents_json_check',
      sql`jsonb_typeof(${t.leftOut}) = 'array' and jsonb_typeof(${t.marking}) = 'array'`,
    ),
  ],
);

/** W-4: one task per arrangement for a recipient, on business support's dashboard until done. */
export const documentTasks = pgTable(
  'document_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    draftId: uuid('draft_id')
      .notNull()
      .references(() => documentDrafts.id),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    kind: text('kind').notNull(),
    inviteeId: uuid('invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id),
    recipientName: text('recipient_name').notNull(),
    /** One of ARRANGEMENT_KINDS. */
    arrangement: text('arrangement').notNull(),
    language: text('language'),
    detail: text('detail'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneByUserId: uuid('done_by_user_id').references(() => users.id),
    doneNote: text('done_note'),
  },
  (t) => [
    index('document_tasks_conf_idx').on(t.conferenceId, t.createdAt),
    index('document_tasks_open_idx')
      .on(t.createdAt)
      .where(sql`${t.doneAt} is null`),
    check('document_tasks_kind_check', sql`${t.kind} in (${KINDS})`),
    check(
      'document_tasks_arrangement_check',
      sql`${t.arrangement} in ('large-print', 'interpreter', 'translation', 'other')`,
    ),
    check(
      'document_tasks_done_check',
      sql`${t.doneAt} is not null or (${t.doneByUserId} is null and ${t.doneNote} is null)`,
    ),
  ],
);
