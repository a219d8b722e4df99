import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './schema.ts';

// Retention and disposal (R-4, migration 0037): the council's schedules, legal holds, proposals approved by a
// second person, and what each destroyed item removed (kinds, ids, SHA-256s and sizes: never personal data).

/** One row per kind of record whose schedule the council has changed; a kind with no row has its default. */
export const retentionSchedules = pgTable('retention_schedules', {
  kind: text('kind').primaryKey(),
  value: jsonb('value').notNull(),
  version: integer('version').notNull(),
  updatedBy: uuid('updated_by')
    .notNull()
    .references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** A legal hold on one record: never offered or destroyed while current (removed_at null). */
export const retentionHolds = pgTable(
  'retention_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemKind: text('item_kind').notNull(),
    itemId: uuid('item_id').notNull(),
    reason: text('reason').notNull(),
    placedBy: uuid('placed_by')
      .notNull()
      .references(() => users.id),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    removedBy: uuid('removed_by').references(() => users.id),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    removalReason: text('removal_reason'),
  },
  (t) => [
    uniqueIndex('retention_holds_current_key')
      .on(t.itemKind, t.itemId)
      .where(sql`${t.removedAt} is null`),
    check('retention_holds_kind_check', sql`${t.itemKind} in ('recording', 'copy-sent')`),
  ],
);

/** Destruction proposed by one person and approved by a second, different person (checked here too). */
export const disposalProposals = pgTable(
  'disposal_proposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: serial('number').notNull().unique(),
    /** proposed → approved → destroyed, or declined. */
    state: text('state').notNull(),
    note: text('note'),
    proposedBy: uuid('proposed_by')
      .notNull()
      .references(() => users.id),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull(),
    approvedBy: uuid('approved_by').references(() => users.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    declinedBy: uuid('declined_by').references(() => users.id),
    declinedAt: timestamp('declined_at', { withTimezone: true }),
    declineReason: text('decline_reason'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** The schedules in force when proposed, in words, by kind. */
    schedules: jsonb('schedules').notNull().$type<Record<string, string>>(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('disposal_proposals_state_check', sql`${t.state} in ('proposed', 'approved', 'destroyed', 'declined')`),
    check('disposal_proposals_four_eyes', sql`${t.approvedBy} is null or ${t.approvedBy} <> ${t.proposedBy}`),
  ],
);

/** One record of a proposal: pending until destroyed, or held when a hold placed after approval kept it. */
export const disposalItems = pgTable(
  'disposal_items',
  {
    proposalId: uuid('proposal_id')
      .notNull()
      .references(() => disposalProposals.id),
    itemKind: text('item_kind').notNull(),
    itemId: uuid('item_id').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    state: text('state').notNull().default('pending'),
    /** What destroying it removes, written before anything is removed. */
    evidence: jsonb('evidence'),
    destroyedAt: timestamp('destroyed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'disposal_items_pkey', columns: [t.proposalId, t.itemKind, t.itemId] }),
    index('disposal_items_item_idx').on(t.itemKind, t.itemId),
    check('disposal_items_state_check', sql`${t.state} in ('pending', 'destroyed', 'held')`),
  ],
);
