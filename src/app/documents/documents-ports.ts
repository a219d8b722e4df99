/**
 * Persistence for the written record (W-1 … W-3, T-6, T-7): drafts with their sections, withholding marks,
 * comments and approval; issued copies (fixed bytes, SHA-256, who approved and issued them, what each copy left
 * out); and the arrangements for recipients that stay on the dashboard until done (W-4).
 */
import type { ArrangementKind, RecipientArrangement } from '../../domain/documents/arrangements.ts';
import type { DraftStatus } from '../../domain/documents/drafting.ts';
import type { DocumentKind, WrittenDocument } from '../../domain/documents/model.ts';
import type { LeftOut } from '../../domain/documents/variants.ts';
import type { Withholding } from '../../domain/documents/withholding.ts';

export interface DraftRecord {
  id: string;
  conferenceId: string;
  kind: DocumentKind;
  /**
   * An exclusion letter's excluded person, an amendment decision letter's requester (conference invitee id); null
   * for every other kind.
   */
  subjectInviteeId: string | null;
  /** W-5: the amendment request an amendment decision letter answers; null for every other kind. */
  amendmentRequestId: string | null;
  status: DraftStatus;
  /** The minute taker's text by section id. */
  sections: Record<string, string>;
  /** The chair's withholding marks by block id (W-3). */
  withholdings: Record<string, Withholding[]>;
  /** The children (invitee ids) the chair decided should receive their own copy (W-1, W-4). */
  childRecipientInviteeIds: string[];
  /** W-4: what was arranged for recipients. */
  arrangements: RecipientArrangement[];
  /** Bumped by every change: the optimistic lock a form or autosave sends back. */
  version: number;
  createdByUserId: string | null;
  createdAt: Date;
  updatedByUserId: string | null;
  updatedByName: string | null;
  updatedAt: Date;
  submittedAt: Date | null;
  approvedByUserId: string | null;
  approvedByName: string | null;
  approvedAt: Date | null;
  /** The document exactly as the chair approved it (the full record, before any copy is derived); issuing renders this. */
  approvedDocument: WrittenDocument | null;
}

export interface NewDraft {
  conferenceId: string;
  kind: DocumentKind;
  subjectInviteeId: string | null;
  /** W-5: an amendment decision letter's request. */
  amendmentRequestId?: string | null;
  sections: Record<string, string>;
  createdByUserId: string;
  at: Date;
}

export interface DraftChange {
  status?: DraftStatus;
  sections?: Record<string, string>;
  withholdings?: Record<string, Withholding[]>;
  childRecipientInviteeIds?: string[];
  arrangements?: RecipientArrangement[];
  submittedAt?: Date | null;
  approvedByUserId?: string | null;
  approvedAt?: Date | null;
  approvedDocument?: WrittenDocument | null;
  updatedByUserId: string;
  at: Date;
}

export interface CommentRecord {
  id: string;
  draftId: string;
  sectionId: string;
  body: string;
  authorUserId: string | null;
  authorName: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedByUserId: string | null;
  resolvedByName: string | null;
}

export type IssuedFormat = 'pdf' | 'html';
export type CopyKind = 'full' | 'parent' | 'child';

export interface IssuedRecord {
  id: string;
  draftId: string;
  conferenceId: string;
  kind: DocumentKind;
  /** 1 for the first issue; amendments are issued as the next number. */
  issueNumber: number;
  title: string;
  copyKind: CopyKind;
  /** Who the copy is addressed to; null for the file copy. */
  recipientInviteeId: string | null;
  recipientName: string;
  format: IssuedFormat;
  largePrint: boolean;
  /** The encrypted bytes' key in the blob store. */
  blobKey: string;
  /** SHA-256 (hex) and length of the issued bytes (the plaintext PDF or HTML). */
  sha256: string;
  byteLength: number;
  mediaType: string;
  /** The creation date written into the file, so it can be rendered again byte for byte. */
  renderedAt: Date;
  approvedByUserId: string | null;
  approvedByName: string | null;
  approvedAt: Date;
  issuedByUserId: string | null;
  issuedByName: string | null;
  issuedAt: Date;
  /** W-3: what this copy left out, for whom and why. */
  leftOut: LeftOut[];
  /** The marking on every page: ["OFFICIAL-SENSITIVE", "PARENT'S COPY"]. */
  marking: string[];
}

export type NewIssued = Omit<IssuedRecord, 'id' | 'approvedByName' | 'issuedByName'> & { id: string };

export interface ArrangementTaskRecord {
  id: string;
  draftId: string;
  conferenceId: string;
  kind: DocumentKind;
  inviteeId: string;
  recipientName: string;
  arrangement: ArrangementKind;
  language: string | null;
  detail: string | null;
  createdAt: Date;
  doneAt: Date | null;
  doneByUserId: string | null;
  doneByName: string | null;
  doneNote: string | null;
}

export type NewArrangementTask = Omit<
  ArrangementTaskRecord,
  'id' | 'doneAt' | 'doneByUserId' | 'doneByName' | 'doneNote'
>;

/** One document's state for the dashboard. */
export interface DocumentStateRecord {
  conferenceId: string;
  kind: DocumentKind;
  subjectInviteeId: string | null;
  status: DraftStatus;
  /** When it was first issued; null while not issued. */
  issuedAt: Date | null;
}

export interface DocumentsRepository {
  listDrafts(conferenceId: string): Promise<DraftRecord[]>;
  /** With `lock`, the row is locked until the transaction ends. */
  findDraft(draftId: string, opts?: { lock?: boolean }): Promise<DraftRecord | null>;
  /** Null when the conference already has a draft of that kind (for that excluded person, or that amendment request). */
  insertDraft(draft: NewDraft): Promise<DraftRecord | null>;
  /** Saves the change if the draft is still at `expectedVersion`, bumping it; null when someone else saved first. */
  updateDraft(draftId: string, expectedVersion: number, change: DraftChange): Promise<DraftRecord | null>;

  listComments(draftId: string): Promise<CommentRecord[]>;
  insertComment(comment: {
    draftId: string;
    sectionId: string;
    body: string;
    authorUserId: string;
    at: Date;
  }): Promise<CommentRecord>;
  /** False when there is no such open comment on the draft. */
  resolveComment(draftId: string, commentId: string, by: { userId: string; at: Date }): Promise<boolean>;

  insertIssued(rows: readonly NewIssued[]): Promise<void>;
  listIssued(conferenceId: string): Promise<IssuedRecord[]>;
  findIssued(issuedId: string): Promise<IssuedRecord | null>;
  /** Every blob key an issued copy refers to (the orphan sweep keeps them). */
  referencedBlobKeys(): Promise<string[]>;

  insertTasks(tasks: readonly NewArrangementTask[]): Promise<void>;
  listTasks(conferenceId: string): Promise<ArrangementTaskRecord[]>;
  /** Open tasks across conferences, oldest first (business support's dashboard). */
  listOpenTasks(): Promise<ArrangementTaskRecord[]>;
  /** False when there is no such open task on the conference. */
  completeTask(
    conferenceId: string,
    taskId: string,
    by: { userId: string; at: Date; note: string | null },
  ): Promise<boolean>;

  /** The drafts' states of the given conferences (dashboards). */
  documentStates(conferenceIds: readonly string[]): Promise<DocumentStateRecord[]>;
}
