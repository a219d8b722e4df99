import { asc, eq, inArray, sql } from 'drizzle-orm';
import type {
  ConsentRoundRecord,
  FamilyCopyRecord,
  MeetingRequestRecord,
  NewConsentRound,
  NewFamilyCopy,
  NewMeetingRequest,
  RecordingConsentRepository,
} from '../../../app/recording-consent/ports.ts';
import { CONSENT_ANSWERS, CONSENT_OCCASIONS, FAMILY_COPY_FORMATS } from '../../../domain/recording-consent/consent.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import {
  familyRecordingCopies as copies,
  recordingConsentRounds as rounds,
  recordingConsents as consents,
  recordingMeetingRequests as meetingRequests,
} from '../recording-consent-schema.ts';

const roundColumns = {
  row: rounds,
  recordedByName: sql<string | null>`(select u.name from users u where u.id = ${rounds.recordedByUserId})`,
};
const copyColumns = {
  row: copies,
  uploadedByName: sql<string | null>`(select u.name from users u where u.id = ${copies.uploadedByUserId})`,
};

function toMeetingRequest(r: typeof meetingRequests.$inferSelect): MeetingRequestRecord {
  return {
    id: r.id,
    conferenceId: r.conferenceId,
    requesterInviteeId: r.requesterInviteeId,
    askedAt: r.askedAt,
    purpose: r.purpose,
    limitsAccepted: r.limitsAccepted,
    recordedByUserId: r.recordedByUserId,
    createdAt: r.createdAt,
  };
}

function toCopy(r: { row: typeof copies.$inferSelect; uploadedByName: string | null }): FamilyCopyRecord {
  const c = r.row;
  return {
    id: c.id,
    conferenceId: c.conferenceId,
    permissionRequestId: c.permissionRequestId,
    meetingRequestId: c.meetingRequestId,
    handedOverOn: c.handedOverOn,
    handedOverBy: c.handedOverBy,
    format: oneOf(FAMILY_COPY_FORMATS, c.format, 'family recording format'),
    blobKey: c.blobKey,
    sha256: c.sha256,
    size: c.size,
    encryptedSha256: c.encryptedSha256,
    encryptedSize: c.encryptedSize,
    uploadedByUserId: c.uploadedByUserId,
    uploadedByName: r.uploadedByName,
    createdAt: c.createdAt,
  };
}

export function recordingConsentRepository(db: DbOrTx): RecordingConsentRepository {
  const listRounds = async (where: ReturnType<typeof eq>): Promise<ConsentRoundRecord[]> => {
    const rows = await db.select(roundColumns).from(rounds).where(where).orderBy(asc(rounds.seq));
    if (rows.length === 0) return [];
    const answers = await db
      .select()
      .from(consents)
      .where(
        inArray(
          consents.roundId,
          rows.map((r) => r.row.id),
        ),
      );
    return rows.map(({ row, recordedByName }) => ({
      id: row.id,
      conferenceId: row.conferenceId,
      permissionRequestId: row.permissionRequestId,
      meetingRequestId: row.meetingRequestId,
      occasion: oneOf(CONSENT_OCCASIONS, row.occasion, 'consent occasion'),
      askedAt: row.askedAt,
      recordedByUserId: row.recordedByUserId,
      recordedByName,
      createdAt: row.createdAt,
      consents: answers
        .filter((a) => a.roundId === row.id)
        .map((a) => ({
          inviteeId: a.inviteeId,
          answer: oneOf(CONSENT_ANSWERS, a.answer, 'consent answer'),
          reason: a.reason,
          furtherAuthorisation: a.furtherAuthorisation,
        })),
    }));
  };
  return {
    async insertMeetingRequest(r: NewMeetingRequest) {
      const [row] = await db.insert(meetingRequests).values(r).returning();
      return toMeetingRequest(row!);
    },
    async listMeetingRequests(conferenceId) {
      const rows = await db
        .select()
        .from(meetingRequests)
        .where(eq(meetingRequests.conferenceId, conferenceId))
        .orderBy(asc(meetingRequests.createdAt), asc(meetingRequests.id));
      return rows.map(toMeetingRequest);
    },
    async insertRound(r: NewConsentRound) {
      const [row] = await db
        .insert(rounds)
        .values({
          conferenceId: r.conferenceId,
          permissionRequestId: r.permissionRequestId,
          meetingRequestId: r.meetingRequestId,
          occasion: r.occasion,
          askedAt: r.askedAt,
          recordedByUserId: r.recordedByUserId,
          createdAt: r.createdAt,
        })
        .returning({ id: rounds.id });
      if (r.consents.length > 0) await db.insert(consents).values(r.consents.map((c) => ({ roundId: row!.id, ...c })));
      return (await listRounds(eq(rounds.id, row!.id)))[0]!;
    },
    listRounds: (conferenceId) => listRounds(eq(rounds.conferenceId, conferenceId)),
    async insertCopy(c: NewFamilyCopy) {
      const [row] = await db.insert(copies).values(c).returning({ id: copies.id });
      const [found] = await db.select(copyColumns).from(copies).where(eq(copies.id, row!.id));
      return toCopy(found!);
    },
    async findCopy(id) {
      const [found] = await db.select(copyColumns).from(copies).where(eq(copies.id, id));
      return found ? toCopy(found) : null;
    },
    async listCopies(conferenceId) {
      const rows = await db
        .select(copyColumns)
        .from(copies)
        .where(eq(copies.conferenceId, conferenceId))
        .orderBy(asc(copies.createdAt), asc(copies.id));
      return rows.map(toCopy);
    },
    async referencedBlobKeys() {
      const rows = await db.select({ key: copies.blobKey }).from(copies);
      return rows.map((r) => r.key);
    },
  };
}
