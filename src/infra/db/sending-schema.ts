import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { documentDrafts } from './documents-schema.ts';
import { outboxMessages } from './mail-schema.ts';
import { conferenceInvitees, conferences, users } from './schema.ts';

// Sending the issued copies and the proof that they went (W-4, W-6, T-6, T-7): one row each time one issue of a
// document is sent to one recipient, by post (the date posted) or as an email linking to the copy in the service
// (its outbox message says whether it was refused) or as a secure download link to an address confirmed as theirs
// (migration 0022: the delivery refers to the sending), and when the recipient opened the link and downloaded it.

export const documentSendings = pgTable(
  'document_sendings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    draftId: uuid('draft_id')
      .notNull()
      .references(() => documentDrafts.id),
    issueNumber: integer('issue_number').notNull(),
    recipientInviteeId: uuid('recipient_invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id),
    /** post, email-link or secure-link. */
    method: text('method').notNull(),
    /** For post: the date it was posted. */
    postedOn: date('posted_on', { mode: 'string' }),
    /** For an email link: the email in the outbox, and the account it was sent to. */
    outboxMessageId: uuid('outbox_message_id').references(() => outboxMessages.id),
    recipientUserId: uuid('recipient_user_id').references(() => users.id),
    /** For a secure link: how and when the address was confirmed as the recipient's and secure. */
    addressConfirmedHow: text('address_confirmed_how'),
    addressConfirmedOn: date('address_confirmed_on', { mode: 'string' }),
    sentByUserId: uuid('sent_by_user_id').references(() => users.id),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    downloadedAt: timestamp('downloaded_at', { withTimezone: true }),
    downloads: integer('downloads').notNull().default(0),
  },
  (t) => [
    index('document_sendings_conf_idx').on(t.conferenceId, t.sentAt),
    index('document_sendings_copy_idx').on(t.draftId, t.issueNumber, t.recipientInviteeId),
    uniqueIndex('document_sendings_posted_key')
      .on(t.draftId, t.issueNumber, t.recipientInviteeId)
      .where(sql`${t.method} = 'post'`),
    check('document_sendings_method_check', sql`${t.method} in ('post', 'email-link', 'secure-link')`),
    check(
      'document_sendings_confirmed_check',
      sql`(${t.method} = 'secure-link') = (${t.addressConfirmedHow} is not null and ${t.addressConfirmedOn} is not null) and (${t.addressConfirmedHow} is null) = (${t.addressConfirmedOn} is null)`,
    ),
    check(
      'document_sendings_confirmed_how_check',
      sql`${t.addressConfirmedHow} is null or ${t.addressConfirmedHow} in ('in-person', 'phone', 'in-writing')`,
    ),
    check(
      'document_sendings_secure_link_check',
      sql`${t.method} <> 'secure-link' or (${t.outboxMessageId} is not null and ${t.recipientUserId} is null)`,
    ),
    check('document_sendings_issue_number_check', sql`${t.issueNumber} > 0`),
    check('document_sendings_downloads_check', sql`${t.downloads} >= 0`),
    check('document_sendings_post_check', sql`(${t.method} = 'post') = (${t.postedOn} is not null)`),
    check(
      'document_sendings_email_check',
      sql`(${t.method} = 'email-link') = (${t.outboxMessageId} is not null and ${t.recipientUserId} is not null)`,
    ),
  ],
);
