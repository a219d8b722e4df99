import type { ArrangementChange, Arrangements, ChangeKind } from '../../domain/conferences/rearrangement.ts';

/** One change on a conference's record, kept as written. */
export interface ConferenceChangeRecord {
  id: string;
  conferenceId: string;
  kind: ChangeKind;
  changes: ArrangementChange[];
  reason: string;
  lateAgreedBy: string | null;
  lateReason: string | null;
  changedBy: { id: string | null; name: string };
  changedAt: Date;
}

export interface NewConferenceChange {
  kind: ChangeKind;
  changes: readonly ArrangementChange[];
  reason: string;
  lateAgreedBy: string | null;
  lateReason: string | null;
  changedByUserId: string | null;
  changedByLabel: string;
  changedAt: Date;
}

/** How an issued invitation left the service, with the email's delivery state from the outbox. */
export interface InvitationDispatchRecord {
  issueId: string;
  inviteeId: string;
  method: 'email' | 'post';
  outboxMessageId: string | null;
  /** The outbox message's state (queued, sending, sent, kept, failed, rejected); null for post. */
  outboxState: string | null;
  postedAt: Date | null;
  postedByLabel: string | null;
  createdAt: Date;
}

export interface CancellationNoticeRecord {
  id: string;
  inviteeId: string;
  method: 'email' | 'post';
  recipientEmail: string | null;
  outboxMessageId: string | null;
  outboxState: string | null;
  subject: string;
  body: string;
  issuedAt: Date;
  issuedByLabel: string;
  postedAt: Date | null;
  postedByLabel: string | null;
}

export interface NewCancellationNotice {
  inviteeId: string;
  method: 'email' | 'post';
  recipientEmail: string | null;
  outboxMessageId: string | null;
  subject: string;
  body: string;
  issuedAt: Date;
  issuedByUserId: string | null;
  issuedByLabel: string;
}

export interface PostedBy {
  at: Date;
  userId: string | null;
  label: string;
}

/** Persistence for rearranging, cancelling and recording conferences afterwards, and for sending invitations. */
export interface LifecycleRepository {
  insertChange(conferenceId: string, change: NewConferenceChange): Promise<string>;
  /** Oldest first. */
  listChanges(conferenceId: string): Promise<ConferenceChangeRecord[]>;
  /**
   * Saves new arrangements (and the T-1 agreement for the new date, or none) and adds one to the
   * conference's version. An unsplit conference's one part follows the new length.
   */
  updateArrangements(
    conferenceId: string,
    arrangements: Arrangements,
    late: { agreedBy: string | null; reason: string | null },
  ): Promise<void>;
  /** Sets the status to cancelled with the reason; false when the conference was not planned. */
  markCancelled(conferenceId: string, reason: string): Promise<boolean>;

  insertDispatch(
    conferenceId: string,
    dispatch: {
      issueId: string;
      inviteeId: string;
      method: 'email' | 'post';
      outboxMessageId: string | null;
      posted: PostedBy | null;
    },
  ): Promise<void>;
  listDispatches(conferenceId: string): Promise<InvitationDispatchRecord[]>;
  /** False when the dispatch is not a letter waiting to be posted. */
  markDispatchPosted(issueId: string, posted: PostedBy): Promise<boolean>;

  insertCancellationNotice(conferenceId: string, notice: NewCancellationNotice): Promise<string>;
  listCancellationNotices(conferenceId: string): Promise<CancellationNoticeRecord[]>;
  /** False when the notice is not a letter waiting to be posted. */
  markNoticePosted(noticeId: string, posted: PostedBy): Promise<boolean>;
}
