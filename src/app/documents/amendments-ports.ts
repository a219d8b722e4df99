/**
 * Persistence for amendments to the written record (W-5, T-8): a recipient's request to change an issued document,
 * its points and the chair's decision on each, with the document as it was issued kept beside it.
 */
import type { IsoDate } from '../../domain/calendar/index.ts';
import type { AmendmentChannel, AmendmentPoint, AmendmentPointDecision } from '../../domain/documents/amendments.ts';
import type { DocumentKind, WrittenDocument } from '../../domain/documents/model.ts';

export type AmendmentStatus = 'waiting-for-chair' | 'decided';

/** A point as stored: what was asked, and the chair's decision once made. */
export interface StoredAmendmentPoint extends AmendmentPoint {
  decision: AmendmentPointDecision | null;
}

export interface AmendmentRequestRecord {
  id: string;
  conferenceId: string;
  draftId: string;
  kind: DocumentKind;
  /** The issue of the document the request is about. */
  issueNumber: number;
  requesterInviteeId: string;
  channel: AmendmentChannel;
  receivedOn: IsoDate;
  recordReceivedOn: IsoDate;
  dueOn: IsoDate;
  late: boolean;
  points: StoredAmendmentPoint[];
  /** The approved document of that issue. */
  issuedDocument: WrittenDocument;
  status: AmendmentStatus;
  version: number;
  recordedByUserId: string | null;
  recordedByName: string | null;
  recordedAt: Date;
  decidedByUserId: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
}

export type NewAmendmentRequest = Omit<
  AmendmentRequestRecord,
  'id' | 'kind' | 'status' | 'version' | 'recordedByName' | 'decidedByUserId' | 'decidedByName' | 'decidedAt'
>;

/** A request waiting for the chair, across conferences (the dashboard). */
export interface WaitingAmendmentRecord {
  id: string;
  conferenceId: string;
  conferenceDate: IsoDate;
  kind: DocumentKind;
  issueNumber: number;
  dueOn: IsoDate;
  late: boolean;
  receivedOn: IsoDate;
  recordReceivedOn: IsoDate;
  points: number;
  chairUserId: string | null;
}

export interface AmendmentsRepository {
  insert(request: NewAmendmentRequest): Promise<AmendmentRequestRecord>;
  list(conferenceId: string): Promise<AmendmentRequestRecord[]>;
  find(requestId: string, opts?: { lock?: boolean }): Promise<AmendmentRequestRecord | null>;
  /** Records the chair's decisions if the request is still at `expectedVersion`; null when someone else saved first. */
  decide(
    requestId: string,
    expectedVersion: number,
    change: { points: StoredAmendmentPoint[]; decidedByUserId: string; at: Date },
  ): Promise<AmendmentRequestRecord | null>;
  /** Decided requests about the draft's given issue (those the next version answers). */
  decidedFor(draftId: string, issueNumber: number): Promise<AmendmentRequestRecord[]>;
  /** Requests waiting for the chair, soonest due first. */
  listWaiting(): Promise<WaitingAmendmentRecord[]>;
}
