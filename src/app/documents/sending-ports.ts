/**
 * Persistence for sending the issued copies (W-4, W-6, T-6, T-7): each time one issue of a document is sent to
 * one recipient, how, when and by whom, what became of its email, and when the recipient opened and downloaded it.
 */
import type { IsoDate } from '../../domain/calendar/index.ts';
import type { DocumentKind } from '../../domain/documents/model.ts';
import type { AddressConfirmation, SendingMethod } from '../../domain/documents/sending.ts';
import type { OutboxState } from '../mail/ports.ts';

export interface SendingRecord {
  id: string;
  conferenceId: string;
  draftId: string;
  issueNumber: number;
  recipientInviteeId: string;
  method: SendingMethod;
  postedOn: IsoDate | null;
  outboxMessageId: string | null;
  /** The email's state in the outbox (null for post). */
  outboxState: OutboxState | null;
  /** The account an email link was sent to. */
  recipientUserId: string | null;
  /** A secure link: how and when its address was confirmed as the recipient's and secure. */
  addressConfirmedHow: AddressConfirmation | null;
  addressConfirmedOn: IsoDate | null;
  /** A secure link's delivery (never its address or token): when it stops working, and whether it was cancelled. */
  link: { deliveryId: string; expiresAt: Date; revokedAt: Date | null; revokeReason: string | null } | null;
  sentByUserId: string | null;
  sentByName: string | null;
  sentAt: Date;
  openedAt: Date | null;
  downloadedAt: Date | null;
  downloads: number;
}

export interface NewSending {
  /** Chosen by the caller when the email's link must name it before the row is written. */
  id?: string;
  conferenceId: string;
  draftId: string;
  issueNumber: number;
  recipientInviteeId: string;
  method: SendingMethod;
  postedOn: IsoDate | null;
  outboxMessageId: string | null;
  recipientUserId: string | null;
  addressConfirmedHow?: AddressConfirmation | null;
  addressConfirmedOn?: IsoDate | null;
  sentByUserId: string;
  sentAt: Date;
}

/** How a recipient can be reached: their address for post, and an account for an email link. */
export interface RecipientContact {
  inviteeId: string;
  /** The person's postal address from their record; null for a professional or when none is recorded. */
  address: string | null;
  /** A professional's agency (the address for post is the agency's). */
  agencyName: string | null;
  /** The recipient's account, when they have one that is not disabled. */
  account: { userId: string; email: string } | null;
}

/** One recipient of the latest issue of a document (the dashboard's "which are missing"). */
export interface IssuedRecipient {
  conferenceId: string;
  draftId: string;
  kind: DocumentKind;
  subjectInviteeId: string | null;
  issueNumber: number;
  recipientInviteeId: string;
  recipientName: string;
}

export interface DocumentSendingRepository {
  /** Null when this issue was already recorded as posted to this recipient. */
  insert(sending: NewSending): Promise<SendingRecord | null>;
  find(sendingId: string): Promise<SendingRecord | null>;
  listForConferences(conferenceIds: readonly string[]): Promise<SendingRecord[]>;
  /** Every recipient of the latest issue of each document of the conferences. */
  latestIssueRecipients(conferenceIds: readonly string[]): Promise<IssuedRecipient[]>;
  recipientContacts(conferenceId: string): Promise<RecipientContact[]>;
  /** Conferences with a copy of a document's latest issue not yet sent (they stay on the dashboard, T-6, T-7). */
  conferencesWithUnsentCopies(): Promise<string[]>;
  /** The first time the recipient opened the link; later openings keep it. */
  markOpened(sendingId: string, at: Date): Promise<void>;
  /** The holder of a secure link downloaded a file of it (W-4: the proof it reached them). */
  markLinkDownloaded(sendingId: string, at: Date): Promise<void>;
  /** The secure link's address (personal data: for sending the next version to the same address only). */
  linkAddress(sendingId: string): Promise<string | null>;
  /** The recipient downloaded their copy: every email link of that issue sent to that account. */
  markDownloaded(copy: {
    draftId: string;
    issueNumber: number;
    recipientInviteeId: string;
    userId: string;
    at: Date;
  }): Promise<void>;
}
