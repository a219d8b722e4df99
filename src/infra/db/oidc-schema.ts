import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './schema.ts';

// Signing in with the council's identity provider (migration 0035_oidc_sign_in.sql).

/** A council identity (issuer and subject, never an email address) joined to one account. */
export const oidcIdentities = pgTable(
  'oidc_identities',
  {
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'oidc_identities_pkey', columns: [t.issuer, t.subject] }),
    uniqueIndex('oidc_identities_user_key').on(t.userId),
  ],
);

/** A sign-in on its way through the provider, keyed by the hash of the browser's random key; taken once. */
export const oidcSignInFlows = pgTable(
  'oidc_sign_in_flows',
  {
    idHash: text('id_hash').primaryKey(),
    state: text('state').notNull(),
    nonce: text('nonce').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    returnTo: text('return_to').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oidc_sign_in_flows_expires_idx').on(t.expiresAt)],
);
