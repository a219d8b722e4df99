/**
 * The written record's use cases, one per intent, called by both the pages and the API (W-1 … W-3, T-6, T-7,
 * Every call checks the caller may see (or change) every child in the conference, and audits the view or
 * change, or the denial, as every conference use case does.
 */
import type { Actor } from '../../domain/access/roles.ts';
import type { IsoDate } from '../../domain/calendar/index.ts';
import type { DeadlineStatus } from '../../domain/calendar/index.ts';
import type { ArrangementKind, RecipientArrangement } from '../../domain/documents/arrangements.ts';
import type { DocumentState, DraftSectionDefinition, DraftStatus } from '../../domain/documents/drafting.ts';
import type { DocumentKind, WrittenDocument } from '../../domain/documents/model.ts';
import type { SendingProgress } from '../../domain/documents/sending.ts';
import type { Withholding } from '../../domain/documents/withholding.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { ArrangementTaskRecord, CommentRecord, IssuedFormat, IssuedRecord } from './documents-ports.ts';
import type { DistributionEntry, OverrideAction } from '../../domain/documents/distribution.ts';

/** One document a conference needs, with its state against its due date (T-6, T-7). */
export interface DocumentSummary {
  kind: DocumentKind;
  /** "Decision letter", "Reasons for exclusion from the conference: Jane Smith". */
  label: string;
  subjectInviteeId: string | null;
  draftId: string | null;
  state: DocumentState;
  /** The due date and its red/amber/green state; an issued document is met. Null when the kind has no timescale. */
  due: { date: IsoDate; rule: string; status: DeadlineStatus | 'met' } | null;
  /** Open comments from the chair. */
  openComments: number;
  issuedAt: Date | null;
  /** Once issued: how many of the latest issue's recipients have been sent their copy (T-6, T-7: met when all). */
  sending: SendingProgress | null;
}

export interface ConferenceDocuments {
  conferenceId: string;
  conferenceDate: IsoDate;
  conferenceTypeLabel: string;
  children: Array<{ id: string; name: string }>;
  documents: DocumentSummary[];
  /** Every copy issued, newest first. */
  issued: IssuedRecord[];
  /** W-4: arrangements for recipients, open ones first. */
  tasks: ArrangementTaskRecord[];
  /** What the caller may do here. */
  can: { draft: boolean; approve: boolean; issue: boolean };
}

/** A recording to play beside the form (R-6: the chair's dictation; the conference's own recording), with bookmarks. */
export interface DraftRecording {
  id: string;
  /** "Chair’s dictation", "Conference recording, part 1". */
  name: string;
  kind: 'dictation' | 'meeting';
  durationSeconds: number | null;
  /** Bookmarks as a table of contents: seconds from the start and the label. */
  bookmarks: Array<{ atSeconds: number; label: string }>;
}

/** A family member who may be named in a withholding mark or chosen to receive a child's copy. */
export interface DraftFamilyMember {
  inviteeId: string;
  name: string;
  kind: 'family-member' | 'child';
  /** W-4: what the person's record says they may need (language, interpreter, access needs), or null. */
  needs: string | null;
}

/** A filled block the chair may mark as withheld (W-3): its id and heading. */
export interface WithholdableBlock {
  id: string;
  heading: string;
}

/**
 * W-5: a point the chair accepted (fully or in part) that the next version of the document is to carry: shown beside
 * its section while that version is written, so the minute taker makes exactly the change decided.
 */
export interface AcceptedAmendment {
  requestId: string;
  requesterName: string;
  originalText: string;
  requestedChange: string;
  decision: 'accepted' | 'accepted-in-part';
  reasons: string;
}

export interface DraftView {
  id: string;
  conferenceId: string;
  kind: DocumentKind;
  label: string;
  subjectInviteeId: string | null;
  /** W-5: the amendment request an amendment decision letter answers; null for every other document. */
  amendmentRequestId: string | null;
  status: DraftStatus;
  version: number;
  sections: Array<DraftSectionDefinition & { text: string; comments: CommentRecord[]; accepted: AcceptedAmendment[] }>;
  /** Every block of the document that can be withheld, free-text sections and filled sections alike. */
  withholdable: WithholdableBlock[];
  withholdings: Record<string, Withholding[]>;
  familyMembers: DraftFamilyMember[];
  childRecipientInviteeIds: string[];
  arrangements: RecipientArrangement[];
  /** The council keeps this document on the children's file alone: "decisions and recommendations only" (003). */
  keptOnFileOnly: boolean;
  /** The document as it stands (the approved snapshot once approved), the full record, for the preview. */
  preview: WrittenDocument;
  /** The preview's HTML fragment (the same markup the issued HTML uses). */
  previewHtml: string;
  recordings: DraftRecording[];
  updatedAt: Date;
  updatedByName: string | null;
  approvedAt: Date | null;
  approvedByName: string | null;
  /** Required sections still empty: the draft cannot go to the chair or be approved until they are written. */
  missing: string[];
  can: {
    edit: boolean;
    submit: boolean;
    approve: boolean;
    requestChanges: boolean;
    reopen: boolean;
    issue: boolean;
    comment: boolean;
  };
}

export interface SavedDraft {
  id: string;
  version: number;
  status: DraftStatus;
  updatedAt: Date;
}

export interface IssueResult {
  issueNumber: number;
  copies: IssuedRecord[];
  tasks: ArrangementTaskRecord[];
}

export interface DownloadedCopy {
  record: IssuedRecord;
  /** The issued bytes, checked against the SHA-256 kept when they were issued. */
  bytes: Uint8Array;
  /** "decision-letter-2026-12-04-v1-parents-copy.pdf": names no person. */
  fileName: string;
}

export interface OpenTask extends ArrangementTaskRecord {
  conferenceDate: IsoDate;
}

/** W-4: a document's distribution list, everyone on the register with whether they receive it and why. */
export interface DistributionView {
  conferenceId: string;
  draftId: string;
  kind: DocumentKind;
  label: string;
  status: DraftStatus;
  /** The issue the list is for: the next issue while not issued, the latest once issued. */
  issueNumber: number;
  /** The children's file first, then everyone on the register. */
  entries: DistributionEntry[];
  /** Every professional invited, with what their agency said about its involvement. */
  agencies: Array<{
    inviteeId: string;
    name: string;
    agency: string | null;
    noInvolvement: { saidOn: IsoDate; note: string | null; byName: string | null; recordedAt: Date } | null;
  }>;
  /** change: add or remove recipients (not once issued); recordInvolvement: record what an agency said. */
  can: { change: boolean; recordInvolvement: boolean };
}

export interface DocumentUseCases {
  /** The documents a conference needs, each with its state and due date, the copies issued and the arrangement tasks. */
  conferenceDocuments(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceDocuments>;
  /** Starts (or returns the existing) draft of a document the conference needs, with the sections pre-filled. */
  startDraft(
    actor: Actor,
    conferenceId: string,
    input: { kind: DocumentKind; subjectInviteeId: string | null },
    ctx: RequestContext,
  ): Promise<SavedDraft>;
  draft(actor: Actor, conferenceId: string, draftId: string, ctx: RequestContext): Promise<DraftView>;
  /**
   * Saves sections (all of the form, or one section for autosave) if the draft is still at `version`;
   * StaleRecordError when someone else saved first, InvalidDetailsError for text too long or with control characters.
   */
  saveSections(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number; sections: Record<string, string> },
    ctx: RequestContext,
  ): Promise<SavedDraft>;
  /** The chair's withholding marks (W-3) for one block: replaces that block's marks. */
  setWithholding(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number; blockId: string; withholdings: Withholding[] },
    ctx: RequestContext,
  ): Promise<SavedDraft>;
  /** Who receives a copy beyond the defaults: the children the chair decided should (W-1, W-4), and arrangements (W-4). */
  setRecipients(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number; childRecipientInviteeIds: string[]; arrangements: RecipientArrangement[] },
    ctx: RequestContext,
  ): Promise<SavedDraft>;
  submitForApproval(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number },
    ctx: RequestContext,
  ): Promise<SavedDraft>;
  comment(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { sectionId: string; body: string },
    ctx: RequestContext,
  ): Promise<CommentRecord>;
  resolveComment(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    commentId: string,
    ctx: RequestContext,
  ): Promise<void>;
  /** The chair sends the draft back with their comments. */
  requestChanges(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number },
    ctx: RequestContext,
  ): Promise<SavedDraft>;
  /** The chair approves: the document as it stands is kept as the approved snapshot. */
  approve(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number },
    ctx: RequestContext,
  ): Promise<SavedDraft>;
  /** The chair withdraws their approval of a document not yet issued, so it can be changed. */
  reopen(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number },
    ctx: RequestContext,
  ): Promise<SavedDraft>;
  /**
   * Issues the approved document: one fixed copy per included entry of its distribution list as a tagged PDF (large
   * print where arranged) and as HTML, each with its bytes, SHA-256 and the log of what it left out (W-3); one
   * task per arrangement (W-4).
   */
  issue(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number },
    ctx: RequestContext,
  ): Promise<IssueResult>;
  /** One issued copy's bytes, checked against its SHA-256; audited as a view of sensitive data. */
  download(actor: Actor, conferenceId: string, issuedId: string, ctx: RequestContext): Promise<DownloadedCopy>;
  /** W-4: the document's distribution list: who receives it and why (002 §3.2, §3.10). Audited as a view. */
  distribution(actor: Actor, conferenceId: string, draftId: string, ctx: RequestContext): Promise<DistributionView>;
  /**
   * W-4: business support or a chair adds someone the rules left out (never a friend, supporter, advocate or
   * interpreter) or removes someone, with a reason; refused once the document is issued. Audited.
   */
  changeDistribution(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { inviteeId: string; action: OverrideAction; reason: string },
    ctx: RequestContext,
  ): Promise<DistributionView>;
  /**
   * W-4: records that a professional's agency said it has no current or planned involvement (the date and a
   * note), so it is left out of the distribution; `saidOn` null withdraws it. Audited.
   */
  recordNoInvolvement(
    actor: Actor,
    conferenceId: string,
    inviteeId: string,
    input: { saidOn: string | null; note: string | null },
    ctx: RequestContext,
  ): Promise<void>;
  /** Marks an arrangement done (W-4), with an optional note. */
  completeTask(
    actor: Actor,
    conferenceId: string,
    taskId: string,
    input: { note: string | null },
    ctx: RequestContext,
  ): Promise<void>;
}

export type { ArrangementKind, IssuedFormat };
