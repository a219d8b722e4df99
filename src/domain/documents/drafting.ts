/**
 * Writing the record (W-1, W-2, T-6, T-7; 002 §3.10; 003): which documents a conference needs, the free-text
 * sections the minute taker writes in each (everything else is filled from the conference), and a draft's life:
 * drafting → waiting for the chair → approved → issued. Only the chair approves, and only an approved draft is
 * issued; an issued document is a fixed version that is never changed. Pure: no I/O.
 */
import { chairAuthority } from '../conferences/chair-cover.ts';
import type { Actor } from '../access/roles.ts';
import { hasAnyRole } from '../access/roles.ts';
import type { RuleName } from '../calendar/index.ts';
import type { ConferenceStatus } from '../conferences/lifecycle.ts';
import type { Outcome } from '../conferences/decisions.ts';
import { DomainError } from '../shared/errors.ts';
import type { DocumentKind } from './model.ts';

/** A free-text section of a draft: its id (also the id of the block it becomes, for withholding), label and hint. */
export interface DraftSectionDefinition {
  id: string;
  label: string;
  hint: string;
  /** The draft cannot go to the chair while this is empty. */
  required: boolean;
}

export const SECTION_TEXT_MAX_LENGTH = 20_000;

/**
 * The sections the minute taker writes. The rest of each document (attendance, decisions, agencies' views, the
 * plan, the chair's Worries / Positives / Changes, due-date reasons, the recording's statement) is filled from
 * what the meeting recorded, so it says what was decided and cannot drift from it.
 */
export const DRAFT_SECTIONS: Record<DocumentKind, readonly DraftSectionDefinition[]> = {
  'decision-letter': [
    {
      id: 'plain-english-reasons',
      label: 'Why the conference made its decision, in plain English',
      hint: 'Write as you would explain it to the family. The decision, category and plan are filled in from the conference.',
      required: true,
    },
  ],
  'plan-and-core-group-letter': [
    {
      id: 'core-group-roles',
      label: "Core group members' roles and responsibilities",
      hint: 'What each member of the core group will do before the first core group meeting.',
      required: true,
    },
  ],
  'chairs-summary': [
    {
      id: 'chairs-comments',
      label: "Chair's further comments",
      hint: 'Optional. The Worries, Positives and Changes and the decisions are filled in from the conference.',
      required: false,
    },
  ],
  'conference-record': [
    {
      id: 'family-composition',
      label: 'Family composition and legal status',
      hint: 'Who lives in the household and each child’s legal status (for example, subject to a care order).',
      required: true,
    },
    {
      id: 'reasons-for-convening',
      label: 'Reasons for the conference',
      hint: 'Why the conference was convened, as set out in the social worker’s report.',
      required: true,
    },
    {
      id: 'essential-facts',
      label: 'Essential facts',
      hint: 'The facts the conference relied on, from the reports and what was said.',
      required: true,
    },
    {
      id: 'discussion-summary',
      label: 'Summary of discussion',
      hint: 'A summary of the discussion, agency by agency. Use the dictation and the recording beside this form.',
      required: true,
    },
    {
      id: 'information-withheld',
      label: 'Information withheld from the family and the chair’s decision on it',
      hint: 'Optional (002 §3.2). What was not shared with the family, why, and what the chair decided.',
      required: false,
    },
  ],
  'inquorate-notes': [
    {
      id: 'inquorate-discussion',
      label: 'What was discussed before the conference was adjourned',
      hint: 'Who was missing, what was agreed to keep the children safe, and what happens next.',
      required: true,
    },
  ],
  'exclusion-letter': [
    {
      id: 'exclusion-explanation',
      label: 'The reasons for the exclusion, in plain English',
      hint: 'Filled in from the reason recorded in the register; write it as it will be read by the parent.',
      required: true,
    },
  ],
  // W-5: the points, the chair's decisions and reasons and what happens next are filled from the amendment request.
  'amendment-decision-letter': [
    {
      id: 'amendment-letter-note',
      label: 'Anything more the chair wants to say to them',
      hint: 'Optional. What they asked for, the chair’s decision and reasons on each point and what happens next are filled in from the request.',
      required: false,
    },
  ],
};

export function sectionDefinition(kind: DocumentKind, sectionId: string): DraftSectionDefinition | undefined {
  return DRAFT_SECTIONS[kind].find((s) => s.id === sectionId);
}

/**
 * Sections every copy keeps: how to complain (W-7: everyone who receives a document may complain), that it is
 * confidential (W-6) and how to reach the council; and, in the letter answering an amendment request (W-5), the
 * request, the chair's decision on each point and what happens next, which are the requester's own answer. They are
 * never offered for withholding, and a mark on them is ignored when the document is built.
 */
export const NEVER_WITHHELD: ReadonlySet<string> = new Set([
  'complaints',
  'confidentiality',
  'contact',
  'amendment-request',
  'amendment-decisions',
  'amendment-next-steps',
]);

/** T-6 for the letters and the chair's summary, T-7 for the record and the inquorate notes; null: no timescale. */
export const DOCUMENT_DEADLINES: Record<DocumentKind, RuleName | null> = {
  'decision-letter': 'decision-letter',
  'plan-and-core-group-letter': 'decision-letter',
  'chairs-summary': 'chair-summary',
  'conference-record': 'record-distribution',
  'inquorate-notes': 'record-distribution',
  'exclusion-letter': null,
  'amendment-decision-letter': null,
};

export const DRAFT_STATUSES = ['drafting', 'waiting-for-chair', 'approved', 'issued'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];
/** A document's state on the dashboard: a draft's status, or not started when there is no draft yet. */
export type DocumentState = 'not-started' | DraftStatus;

export const DOCUMENT_STATE_LABELS: Record<DocumentState, string> = {
  'not-started': 'Not started',
  drafting: 'Drafting',
  'waiting-for-chair': 'Waiting for the chair',
  approved: 'Approved',
  issued: 'Issued',
};

/** A document a conference needs: its kind and, for an exclusion letter, the excluded person's invitee id. */
export interface NeededDocument {
  kind: DocumentKind;
  subjectInviteeId: string | null;
}

/**
 * The documents a conference needs. A held conference: the decision letter, the chair's summary and the record,
 * and the plan and core group letter when any child has a plan. An inquorate conference adjourned (002 §3.5):
 * its notes. A family member excluded from all or part of it (002 §3.2): a letter giving them the reasons.
 */
export function neededDocuments(facts: {
  status: ConferenceStatus;
  outcomes: readonly Outcome[];
  excludedInviteeIds: readonly string[];
}): NeededDocument[] {
  const out: NeededDocument[] = [];
  const one = (kind: DocumentKind) => out.push({ kind, subjectInviteeId: null });
  if (facts.status === 'held') {
    one('decision-letter');
    if (facts.outcomes.some((o) => o === 'plan-needed' || o === 'plan-continues')) one('plan-and-core-group-letter');
    one('chairs-summary');
    one('conference-record');
  } else if (facts.status === 'adjourned-inquorate') {
    one('inquorate-notes');
  }
  if (facts.status === 'held' || facts.status === 'adjourned-inquorate') {
    for (const id of facts.excludedInviteeIds) out.push({ kind: 'exclusion-letter', subjectInviteeId: id });
  }
  return out;
}

/** Business support (the minute taker) and chairs write drafts. */
export function canDraft(actor: Actor): boolean {
  return hasAnyRole(actor, ['business_support', 'chair']);
}

/** The conference's chair approves; when none is named, any chair may. */
export function canApprove(
  actor: Actor,
  conferenceChairUserId: string | null,
  coverChairUserId?: string | null,
): boolean {
  if (!hasAnyRole(actor, ['chair'])) return false;
  // 002 §4.1, W-5: the assigned chair, or the cover chair recorded for them.
  return chairAuthority(actor, { chairUserId: conferenceChairUserId, coverChairUserId }) !== null;
}

/** Business support and chairs issue an approved document. */
export function canIssue(actor: Actor): boolean {
  return hasAnyRole(actor, ['business_support', 'chair']);
}

export type DraftEvent =
  | { type: 'edit' }
  | { type: 'submit' }
  | { type: 'request-changes' }
  | { type: 'approve' }
  | { type: 'reopen' }
  | { type: 'issue' }
  /** W-5: the chair accepted an amendment to the issued document, so it is written again as its next issue. */
  | { type: 'amend' };

const NEXT: Record<DraftEvent['type'], Partial<Record<DraftStatus, DraftStatus>>> = {
  edit: { drafting: 'drafting', 'waiting-for-chair': 'waiting-for-chair' },
  submit: { drafting: 'waiting-for-chair' },
  'request-changes': { 'waiting-for-chair': 'drafting' },
  approve: { drafting: 'approved', 'waiting-for-chair': 'approved' },
  reopen: { approved: 'drafting' },
  issue: { approved: 'issued' },
  amend: { issued: 'drafting' },
};

const REFUSALS: Record<DraftEvent['type'], string> = {
  edit: 'This document has been approved or issued and cannot be changed. The chair can reopen an approved draft',
  submit: 'Only a draft being written can be sent to the chair',
  'request-changes': 'Changes can only be asked for while the draft is waiting for the chair',
  approve: 'This document has already been approved or issued',
  reopen: 'Only an approved document that has not been issued can be reopened',
  issue: 'Only a document the chair has approved can be issued',
  amend: 'Only an issued document can be amended',
};

/** The status after the event, or a DomainError (code DRAFT_STATE) saying why the event is not allowed now. */
export function nextDraftStatus(status: DraftStatus, event: DraftEvent): DraftStatus {
  const next = NEXT[event.type][status];
  if (!next) throw new DomainError('DRAFT_STATE', REFUSALS[event.type]);
  return next;
}

/** The required sections still empty: a draft goes to the chair, or is approved, only when this is empty. */
export function missingSections(
  kind: DocumentKind,
  sections: Readonly<Record<string, string>>,
): DraftSectionDefinition[] {
  return DRAFT_SECTIONS[kind].filter((s) => s.required && !(sections[s.id] ?? '').trim());
}
