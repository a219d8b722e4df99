/**
 * Persistence for who gets what (W-4): the recipients added to or removed from a document's distribution by
 * hand, each with its reason, and what an agency said about having no current or planned involvement.
 */
import type { IsoDate } from '../../domain/calendar/index.ts';
import type { OverrideAction } from '../../domain/documents/distribution.ts';

export interface OverrideRecord {
  id: string;
  draftId: string;
  conferenceId: string;
  inviteeId: string;
  /** The issue the change was made for. */
  issueNumber: number;
  action: OverrideAction;
  reason: string;
  byUserId: string | null;
  byName: string | null;
  at: Date;
}

export type NewOverride = Omit<OverrideRecord, 'id' | 'byName'>;

/** An agency's invitation that said "no current or planned involvement". */
export interface NoInvolvementRecord {
  inviteeId: string;
  saidOn: IsoDate;
  note: string | null;
  byUserId: string | null;
  byName: string | null;
  recordedAt: Date;
}

export interface DistributionRepository {
  /** The draft's changes by hand, oldest first. */
  listOverrides(draftId: string): Promise<OverrideRecord[]>;
  insertOverride(override: NewOverride): Promise<OverrideRecord>;
  /** The conference's agencies that said they have no current or planned involvement. */
  listNoInvolvement(conferenceId: string): Promise<NoInvolvementRecord[]>;
  /**
   * Records (or, with null, withdraws) what a professional invited to the conference said about their agency's
   * involvement; false when the invitee is not a professional invited to this conference.
   */
  setNoInvolvement(
    conferenceId: string,
    inviteeId: string,
    value: { saidOn: IsoDate; note: string | null; byUserId: string; at: Date } | null,
  ): Promise<boolean>;
}
