import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { documentDrafts } from './documents-schema.ts';
import { conferenceInvitees, conferences, users } from './schema.ts';

// Who gets what (W-4): a recipient added to or removed from a document's distribution by hand, with the reason.
// The latest change for a person applies; every change is kept (a trigger refuses changing one).

export const documentDistributionOverrides = pgTable(
  'document_distribution_overrides',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    draftId: uuid('draft_id')
      .notNull()
      .references(() => documentDrafts.id, { onDelete: 'cascade' }),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id),
    inviteeId: uuid('invitee_id')
      .notNull()
      .references(() => conferenceInvitees.id, { onDelete: 'cascade' }),
    /** The issue the change was made for (1 for the first). */
    issueNumber: integer('issue_number').notNull(),
    /** 'add' or 'remove'. */
    action: text('action').notNull(),
    reason: text('reason').notNull(),
    byUserId: uuid('by_user_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('document_distribution_overrides_draft_idx').on(t.draftId, t.at),
    check('document_distribution_overrides_action_check', sql`${t.action} in ('add', 'remove')`),
    check('document_distribution_overrides_reason_not_blank', sql`btrim(${t.reason}) <> ''`),
    check('document_distribution_overrides_issue_check', sql`${t.issueNumber} > 0`),
  ],
);
