import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type {
  DocumentSendingRepository,
  IssuedRecipient,
  RecipientContact,
  SendingRecord,
} from '../../../app/documents/sending-ports.ts';
import { OUTBOX_STATES } from '../../../app/mail/ports.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { DOCUMENT_KINDS } from '../../../domain/documents/model.ts';
import { ADDRESS_CONFIRMATIONS, SENDING_METHODS } from '../../../domain/documents/sending.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import { deliveries } from '../delivery-schema.ts';
import { documentDrafts, issuedDocuments } from '../documents-schema.ts';
import { outboxMessages } from '../mail-schema.ts';
import { agencies, conferenceInvitees, people, professionals, users } from '../schema.ts';
import { documentSendings } from '../sending-schema.ts';

const columns = {
  row: documentSendings,
  outboxState: outboxMessages.state,
  sentByName: sql<string | null>`(select u.name from ${users} u where u.id = ${documentSendings.sentByUserId})`,
  linkId: deliveries.id,
  linkExpiresAt: deliveries.expiresAt,
  linkRevokedAt: deliveries.revokedAt,
  linkRevokeReason: deliveries.revokeReason,
};

function toSending(r: {
  row: typeof documentSendings.$inferSelect;
  outboxState: string | null;
  sentByName: string | null;
  linkId: string | null;
  linkExpiresAt: Date | null;
  linkRevokedAt: Date | null;
  linkRevokeReason: string | null;
}): SendingRecord {
  const d = r.row;
  return {
    id: d.id,
    conferenceId: d.conferenceId,
    draftId: d.draftId,
    issueNumber: d.issueNumber,
    recipientInviteeId: d.recipientInviteeId,
    method: oneOf(SENDING_METHODS, d.method, 'sending method'),
    postedOn: (d.postedOn as IsoDate | null) ?? null,
    outboxMessageId: d.outboxMessageId,
    outboxState: r.outboxState === null ? null : oneOf(OUTBOX_STATES, r.outboxState, 'outbox state'),
    recipientUserId: d.recipientUserId,
    addressConfirmedHow:
      d.addressConfirmedHow === null
        ? null
        : oneOf(ADDRESS_CONFIRMATIONS, d.addressConfirmedHow, 'address confirmation'),
    addressConfirmedOn: (d.addressConfirmedOn as IsoDate | null) ?? null,
    link:
      r.linkId && r.linkExpiresAt
        ? {
            deliveryId: r.linkId,
            expiresAt: r.linkExpiresAt,
            revokedAt: r.linkRevokedAt,
            revokeReason: r.linkRevokeReason,
          }
        : null,
    sentByUserId: d.sentByUserId,
    sentByName: r.sentByName,
    sentAt: d.sentAt,
    openedAt: d.openedAt,
    downloadedAt: d.downloadedAt,
    downloads: d.downloads,
  };
}

export function documentSendingRepository(db: DbOrTx): DocumentSendingRepository {
  const select = () =>
    db
      .select(columns)
      .from(documentSendings)
      .leftJoin(outboxMessages, eq(outboxMessages.id, documentSendings.outboxMessageId))
      .leftJoin(deliveries, eq(deliveries.documentSendingId, documentSendings.id));

  return {
    async insert(s) {
      const [row] = await db
        .insert(documentSendings)
        .values({
          ...(s.id ? { id: s.id } : {}),
          conferenceId: s.conferenceId,
          draftId: s.draftId,
          issueNumber: s.issueNumber,
          recipientInviteeId: s.recipientInviteeId,
          method: s.method,
          postedOn: s.postedOn,
          outboxMessageId: s.outboxMessageId,
          recipientUserId: s.recipientUserId,
          addressConfirmedHow: s.addressConfirmedHow ?? null,
          addressConfirmedOn: s.addressConfirmedOn ?? null,
          sentByUserId: s.sentByUserId,
          sentAt: s.sentAt,
        })
        .onConflictDoNothing()
        .returning({ id: documentSendings.id });
      if (!row) return null;
      const [found] = await select().where(eq(documentSendings.id, row.id));
      return toSending(found!);
    },

    async find(sendingId) {
      const [row] = await select().where(eq(documentSendings.id, sendingId));
      return row ? toSending(row) : null;
    },

    async listForConferences(conferenceIds) {
      if (conferenceIds.length === 0) return [];
      const rows = await select()
        .where(inArray(documentSendings.conferenceId, [...conferenceIds]))
        .orderBy(asc(documentSendings.sentAt), asc(documentSendings.id));
      return rows.map(toSending);
    },

    async latestIssueRecipients(conferenceIds) {
      if (conferenceIds.length === 0) return [];
      const rows = await db
        .selectDistinct({
          conferenceId: issuedDocuments.conferenceId,
          draftId: issuedDocuments.draftId,
          kind: issuedDocuments.kind,
          subjectInviteeId: documentDrafts.subjectInviteeId,
          issueNumber: issuedDocuments.issueNumber,
          recipientInviteeId: issuedDocuments.recipientInviteeId,
          recipientName: issuedDocuments.recipientName,
        })
        .from(issuedDocuments)
        .innerJoin(documentDrafts, eq(documentDrafts.id, issuedDocuments.draftId))
        .where(
          and(
            inArray(issuedDocuments.conferenceId, [...conferenceIds]),
            sql`${issuedDocuments.recipientInviteeId} is not null`,
            sql`${issuedDocuments.issueNumber} = (select max(i.issue_number) from ${issuedDocuments} i where i.draft_id = ${issuedDocuments.draftId})`,
          ),
        )
        .orderBy(asc(issuedDocuments.conferenceId), asc(issuedDocuments.draftId), asc(issuedDocuments.recipientName));
      return rows.map((r): IssuedRecipient => ({
        ...r,
        kind: oneOf(DOCUMENT_KINDS, r.kind, 'document kind'),
        recipientInviteeId: r.recipientInviteeId!,
      }));
    },

    async recipientContacts(conferenceId) {
      const rows = await db
        .select({
          inviteeId: conferenceInvitees.id,
          address: people.address,
          agencyName: sql<
            string | null
          >`coalesce((select a.name from ${agencies} a where a.id = ${professionals.agencyId}), (select a.name from ${agencies} a where a.id = ${conferenceInvitees.agencyId}))`,
          userId: users.id,
          email: users.email,
        })
        .from(conferenceInvitees)
        .leftJoin(people, eq(people.id, conferenceInvitees.personId))
        .leftJoin(professionals, eq(professionals.id, conferenceInvitees.professionalId))
        .leftJoin(
          users,
          and(
            sql`${users.id} = coalesce(${conferenceInvitees.userId}, ${professionals.userId})`,
            sql`${users.disabledAt} is null`,
          ),
        )
        .where(eq(conferenceInvitees.conferenceId, conferenceId));
      return rows.map((r): RecipientContact => ({
        inviteeId: r.inviteeId,
        address: r.address?.trim() ? r.address.trim() : null,
        agencyName: r.agencyName,
        account: r.userId && r.email ? { userId: r.userId, email: r.email } : null,
      }));
    },

    async conferencesWithUnsentCopies() {
      const rows = await db
        .selectDistinct({ conferenceId: issuedDocuments.conferenceId })
        .from(issuedDocuments)
        .where(
          and(
            sql`${issuedDocuments.recipientInviteeId} is not null`,
            sql`${issuedDocuments.issueNumber} = (select max(j.issue_number) from ${issuedDocuments} j where j.draft_id = ${issuedDocuments.draftId})`,
            sql`not exists (
              select 1 from ${documentSendings} s
              left join ${outboxMessages} o on o.id = s.outbox_message_id
              where s.draft_id = ${issuedDocuments.draftId} and s.issue_number = ${issuedDocuments.issueNumber}
                and s.recipient_invitee_id = ${issuedDocuments.recipientInviteeId}
                and (s.method = 'post' or o.state <> 'rejected')
                and not exists (select 1 from ${deliveries} d where d.document_sending_id = s.id and d.revoked_at is not null))`,
          ),
        );
      return rows.map((r) => r.conferenceId);
    },

    async markOpened(sendingId, at) {
      await db
        .update(documentSendings)
        .set({ openedAt: sql`coalesce(${documentSendings.openedAt}, ${at.toISOString()}::timestamptz)` })
        .where(eq(documentSendings.id, sendingId));
    },

    async markLinkDownloaded(sendingId, at) {
      await db
        .update(documentSendings)
        .set({
          openedAt: sql`coalesce(${documentSendings.openedAt}, ${at.toISOString()}::timestamptz)`,
          downloadedAt: at,
          downloads: sql`${documentSendings.downloads} + 1`,
        })
        .where(and(eq(documentSendings.id, sendingId), eq(documentSendings.method, 'secure-link')));
    },

    async linkAddress(sendingId) {
      const [row] = await db
        .select({ email: deliveries.email })
        .from(deliveries)
        .where(eq(deliveries.documentSendingId, sendingId));
      return row?.email ?? null;
    },

    async markDownloaded({ draftId, issueNumber, recipientInviteeId, userId, at }) {
      await db
        .update(documentSendings)
        .set({
          openedAt: sql`coalesce(${documentSendings.openedAt}, ${at.toISOString()}::timestamptz)`,
          downloadedAt: at,
          downloads: sql`${documentSendings.downloads} + 1`,
        })
        .where(
          and(
            eq(documentSendings.draftId, draftId),
            eq(documentSendings.issueNumber, issueNumber),
            eq(documentSendings.recipientInviteeId, recipientInviteeId),
            eq(documentSendings.method, 'email-link'),
            eq(documentSendings.recipientUserId, userId),
          ),
        );
    },
  };
}
