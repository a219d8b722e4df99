import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { copyRequests } from './requests-schema.ts';
import { disclosureCopies } from './disclosure-schema.ts';
import { documentSendings } from './sending-schema.ts';
import { users } from './schema.ts';

// A-6: secure delivery of a disclosure copy to the person who asked for it. The link's token, the
// one-time codes and the download grants are stored only as SHA-256 digests: the database never holds
// anything that opens the download page. The address is the requester's verified email (personal data:
// never in a URL or a log). A delivery releases a copy request's disclosure copy or, since migration 0022, one
// sending of an issued document (W-4, W-6): exactly one of the two.

export const deliveries = pgTable(
  'deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id').references(() => copyRequests.id),
    /** The disclosure copy whose files are released (a foreign key since migration 0038). */
    copyId: uuid('copy_id').references(() => disclosureCopies.id),
    /** Or the sending of an issued document whose copies are released (the recipient's PDFs). */
    documentSendingId: uuid('document_sending_id').references(() => documentSendings.id),
    /** SHA-256 (hex) of the link's token. */
    tokenHash: text('token_hash').notNull().unique(),
    email: text('email').notNull(),
    /** The copy's files when the link was made (id, download name, size): what the link releases. */
    files: jsonb('files').notNull(),
    downloadLimit: integer('download_limit').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id),
    revokeReason: text('revoke_reason'),
  },
  (t) => [
    index('deliveries_request_idx').on(t.requestId),
    index('deliveries_copy_idx').on(t.copyId),
    uniqueIndex('deliveries_document_sending_key')
      .on(t.documentSendingId)
      .where(sql`${t.documentSendingId} is not null`),
    check(
      'deliveries_source_check',
      sql`(${t.requestId} is not null and ${t.copyId} is not null and ${t.documentSendingId} is null) or (${t.requestId} is null and ${t.copyId} is null and ${t.documentSendingId} is not null)`,
    ),
    check('deliveries_download_limit_check', sql`${t.downloadLimit} between 1 and 20`),
    check(
      'deliveries_revocation_check',
      sql`(${t.revokedAt} is null) = (${t.revokedBy} is null) and (${t.revokedAt} is null) = (${t.revokeReason} is null)`,
    ),
  ],
);

/** One-time codes sent to the requester: only the newest unused one works. */
export const deliveryCodes = pgTable(
  'delivery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => deliveries.id),
    /** "hmac-sha256:" and the HMAC-SHA-256 (hex) of the delivery id and the code, keyed with DELIVERY_CODE_KEY_FILE. */
    codeHash: text('code_hash').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    wrongAttempts: integer('wrong_attempts').notNull().default(0),
    usedAt: timestamp('used_at', { withTimezone: true }),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
  },
  (t) => [index('delivery_codes_delivery_idx').on(t.deliveryId, t.issuedAt)],
);

/** A correct code's reward: a short-lived grant to download, held by the browser in an HttpOnly cookie. */
export const deliveryGrants = pgTable(
  'delivery_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => deliveries.id),
    grantHash: text('grant_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('delivery_grants_delivery_idx').on(t.deliveryId)],
);

export const DELIVERY_EVENT_KINDS = [
  'created',
  'viewed',
  'code-sent',
  'code-refused',
  'code-wrong',
  'code-locked',
  'code-expired',
  'code-accepted',
  'download-started',
  'downloaded',
  'download-interrupted',
  'download-refused',
  'expired-hit',
  'revoked-hit',
  'used-up-hit',
  'revoked',
] as const;

/** What happened to a delivery, for staff (downloads are counted from here). Append-only (a trigger refuses UPDATE and DELETE). */
export const deliveryEvents = pgTable(
  'delivery_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => deliveries.id),
    kind: text('kind').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** The file downloaded (the copy service's file id). */
    fileId: text('file_id'),
    /** Staff who acted (null: the requester or the system). */
    actorId: uuid('actor_id').references(() => users.id),
    /** Counts and ids only: never the token, a code or the address. */
    details: jsonb('details')
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [
    index('delivery_events_delivery_idx').on(t.deliveryId, t.seq),
    index('delivery_events_downloads_idx').on(t.deliveryId, t.kind, t.fileId),
    check('delivery_events_kind_check', sql.raw(`kind in (${DELIVERY_EVENT_KINDS.map((k) => `'${k}'`).join(', ')})`)),
  ],
);
