import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './schema.ts';

// Email: the wording administrators may change, and every message the service has composed. A message
// is stored (rendered, with its OFFICIAL-SENSITIVE marking) in the same transaction as the step that
// caused it, then delivered by a background job; nothing is lost while the mail server is down.

/** One row per template key; a key without a row uses the service's default wording. */
export const messageTemplates = pgTable('message_templates', {
  key: text('key').primaryKey(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  /** Who last changed the wording (null: the default wording, seeded by the service). */
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  /** Bumped on every change, so two administrators editing at once cannot overwrite each other. */
  version: integer('version').notNull().default(1),
});

/**
 * queued → sending → sent | kept (MAIL_TRANSPORT=outbox) | failed (retried) | rejected (refused by the
 * mail service for this address; retried only when an administrator asks).
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    templateKey: text('template_key').notNull(),
    /** The template's version when the message was composed (0: the default wording). */
    templateVersion: integer('template_version').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** The record the message is about, e.g. a request for a copy of a recording. */
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    state: text('state').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** A provider's error code or status only: never its message, which may quote the address. */
    lastError: text('last_error'),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    /** How it left: 'smtp', 'notify' or 'outbox'. */
    transport: text('transport'),
    providerId: text('provider_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** When it was sent, or kept in the outbox. */
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** subject and body hold a download link or code masked (src/app/mail/secrets.ts). */
    secretsMasked: boolean('secrets_masked').notNull().default(false),
    /** The usable text, only until the message is handed to SMTP or Notify; then null. Never shown. */
    sealedSubject: text('sealed_subject'),
    sealedBody: text('sealed_body'),
  },
  (t) => [
    index('outbox_messages_created_idx').on(t.createdAt),
    index('outbox_messages_state_idx').on(t.state, t.createdAt),
    index('outbox_messages_subject_idx').on(t.subjectType, t.subjectId),
    check(
      'outbox_messages_state_check',
      sql`${t.state} in ('queued', 'sending', 'sent', 'kept', 'failed', 'rejected')`,
    ),
    check('outbox_messages_attempts_check', sql`${t.attempts} >= 0`),
  ],
);
