/** Persistence for complaints about a conference (W-7, 002 §3.12). */
import type { ComplaintOutcome, ComplaintStage, ComplaintSubject } from '../../domain/complaints/complaints.ts';

export interface ComplaintRecord {
  id: string;
  conferenceId: string;
  about: ComplaintSubject[];
  complainantInviteeId: string | null;
  /** The name written for someone not invited (null when an invitee complained). */
  complainantName: string | null;
  receivedOn: string;
  summary: string;
  stage: ComplaintStage;
  investigatorUserId: string | null;
  investigatorName: string | null;
  outcome: ComplaintOutcome | null;
  closedOn: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewComplaintRecord {
  conferenceId: string;
  about: ComplaintSubject[];
  complainantInviteeId: string | null;
  complainantName: string | null;
  receivedOn: string;
  summary: string;
  createdByUserId: string;
  at: Date;
}

export interface ComplaintChange {
  stage?: ComplaintStage;
  investigatorUserId?: string | null;
  outcome?: ComplaintOutcome;
  closedOn?: string;
  updatedByUserId: string;
  at: Date;
}

export interface ComplaintsRepository {
  insert(c: NewComplaintRecord): Promise<ComplaintRecord>;
  find(id: string, opts?: { lock?: boolean }): Promise<ComplaintRecord | null>;
  /** Oldest received first. */
  listForConference(conferenceId: string): Promise<ComplaintRecord[]>;
  /** Saves the change at the expected version; null when someone else changed it first. */
  update(id: string, version: number, change: ComplaintChange): Promise<ComplaintRecord | null>;
  /**
   * The complaints about the conference that name the user as investigator, open ones first (then the most
   * recently closed): the investigator's access to the conference's record and recordings (W-7).
   */
  investigatorGrants(conferenceId: string, userId: string): Promise<Array<{ id: string; open: boolean }>>;
}
