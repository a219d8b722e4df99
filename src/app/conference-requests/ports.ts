import type { BroughtForwardReason, PreBirthGround } from '../../domain/conferences/convening-grounds.ts';
import type { RequestStatus, SupportKind } from '../../domain/conference-requests/requests.ts';

/** Why a conference is held, recorded at convening (002 §1.3, §2.2). */
export interface ConveningGroundsRecord {
  conferenceId: string;
  preBirthGrounds: PreBirthGround[];
  prematureBirthLikely: boolean;
  broughtForwardReason: BroughtForwardReason | null;
  broughtForwardOther: string | null;
}

export interface ConferenceRequestRecord {
  id: string;
  childId: string;
  professionalId: string | null;
  requesterName: string;
  requesterAgency: string;
  requesterRole: string;
  requesterEmail: string | null;
  reasons: string;
  support: SupportKind;
  supporterName: string | null;
  status: RequestStatus;
  declineReasons: string | null;
  discussion: string | null;
  exceptionReason: string | null;
  decidedByUserId: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  requesterToldMessageId: string | null;
  /** 002 §1.1: the conference convened from the agreed request, with its date; null until one is. */
  conference: { id: string; scheduledDate: string } | null;
  convenedToldMessageId: string | null;
  recordedByUserId: string;
  recordedByName: string | null;
  recordedAt: Date;
}

export type NewConferenceRequest = Omit<
  ConferenceRequestRecord,
  | 'id'
  | 'status'
  | 'declineReasons'
  | 'discussion'
  | 'exceptionReason'
  | 'decidedByUserId'
  | 'decidedByName'
  | 'decidedAt'
  | 'requesterToldMessageId'
  | 'conference'
  | 'convenedToldMessageId'
  | 'recordedByName'
>;

export interface ConferenceRequestDecision {
  status: 'agreed' | 'declined';
  declineReasons: string | null;
  discussion: string | null;
  exceptionReason: string | null;
  decidedByUserId: string;
  decidedAt: Date;
}

/** Persistence for professionals' requests for a conference and the grounds recorded at convening. */
export interface ConferenceRequestsRepository {
  saveConveningGrounds(g: ConveningGroundsRecord): Promise<void>;
  findConveningGrounds(conferenceId: string): Promise<ConveningGroundsRecord | null>;
  insert(r: NewConferenceRequest): Promise<string>;
  find(id: string, opts?: { lock?: boolean }): Promise<ConferenceRequestRecord | null>;
  listForChild(childId: string): Promise<ConferenceRequestRecord[]>;
  /** Oldest first. */
  listWaiting(): Promise<ConferenceRequestRecord[]>;
  /** False when the request was no longer waiting. */
  decide(id: string, d: ConferenceRequestDecision): Promise<boolean>;
  markRequesterTold(id: string, messageId: string): Promise<void>;
  /** 002 §1.1: links an agreed request to the conference convened from it; false when it already has one. */
  linkConference(id: string, conferenceId: string): Promise<boolean>;
  markConvenedTold(id: string, messageId: string): Promise<void>;
}
