/**
 * Complaints about a conference (W-7, 002 §3.12): what a complaint is about, the council's stages, its outcomes,
 * who may manage complaints, and the checks on what is recorded. Pure: no I/O.
 */
import { type Actor, type Role, hasAnyRole } from '../access/roles.ts';
import { isIsoDate } from '../calendar/iso-date.ts';
import type { FieldProblem } from '../shared/errors.ts';

/** What a complaint may be about (one or more). */
export const COMPLAINT_SUBJECTS = ['process', 'category', 'plan'] as const;
export type ComplaintSubject = (typeof COMPLAINT_SUBJECTS)[number];
export const COMPLAINT_SUBJECT_LABELS: Record<ComplaintSubject, string> = {
  process: 'The conference process',
  category: 'The category of abuse or neglect',
  plan: 'Whether a child protection plan was made',
};

/** The council's complaint stages, in order. */
export const COMPLAINT_STAGES = ['informal', 'formal', 'review-panel'] as const;
export type ComplaintStage = (typeof COMPLAINT_STAGES)[number];
export const COMPLAINT_STAGE_LABELS: Record<ComplaintStage, string> = {
  informal: 'Informal resolution by the chair',
  formal: 'Formal investigation',
  'review-panel': 'Review panel',
};

export const COMPLAINT_OUTCOMES = ['upheld', 'partly-upheld', 'not-upheld', 'withdrawn'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];
export const COMPLAINT_OUTCOME_LABELS: Record<ComplaintOutcome, string> = {
  upheld: 'Upheld',
  'partly-upheld': 'Partly upheld',
  'not-upheld': 'Not upheld',
  withdrawn: 'Withdrawn',
};

/** Invitees who may be named as the complainant: a parent (family member) or the young person. */
export const COMPLAINANT_INVITEE_KINDS = ['family-member', 'child'] as const;

/** Who records complaints and moves them on: chairs, business support, team managers and QA. */
export const COMPLAINT_ROLES: readonly Role[] = ['chair', 'business_support', 'team_manager', 'qa_manager'];

export function canManageComplaints(actor: Actor): boolean {
  return hasAnyRole(actor, COMPLAINT_ROLES);
}

export const COMPLAINT_SUMMARY_MAX = 10_000;
export const COMPLAINANT_NAME_MAX = 200;

export function isSubject(v: unknown): v is ComplaintSubject {
  return typeof v === 'string' && (COMPLAINT_SUBJECTS as readonly string[]).includes(v);
}
export function isStage(v: unknown): v is ComplaintStage {
  return typeof v === 'string' && (COMPLAINT_STAGES as readonly string[]).includes(v);
}
export function isOutcome(v: unknown): v is ComplaintOutcome {
  return typeof v === 'string' && (COMPLAINT_OUTCOMES as readonly string[]).includes(v);
}

export interface NewComplaintInput {
  about: readonly string[];
  /** An invitee of the conference (a parent or the young person), or null with a name for someone else. */
  complainantInviteeId: string | null;
  complainantName: string | null;
  receivedOn: string;
  summary: string;
}

export interface CheckedComplaint {
  about: ComplaintSubject[];
  complainantInviteeId: string | null;
  complainantName: string | null;
  receivedOn: string;
  summary: string;
}

/**
 * The problems with a new complaint, field by field; `today` (YYYY-MM-DD) bounds the date received, and
 * `complainants` are the ids of the invitees who may be named.
 */
export function checkNewComplaint(
  input: NewComplaintInput,
  today: string,
  complainants: readonly string[],
): { problems: FieldProblem[]; checked: CheckedComplaint } {
  const problems: FieldProblem[] = [];
  const about = COMPLAINT_SUBJECTS.filter((s) => input.about.includes(s));
  if (about.length === 0 || input.about.some((a) => !isSubject(a)))
    problems.push({ field: 'about', message: 'Select what the complaint is about' });
  const inviteeId = input.complainantInviteeId?.toLowerCase() ?? null;
  const name = input.complainantName?.trim() ?? '';
  if (inviteeId !== null) {
    if (!complainants.includes(inviteeId))
      problems.push({ field: 'complainant', message: 'Select a parent or young person invited to this conference' });
  } else if (!name) {
    problems.push({ field: 'complainantName', message: 'Enter the name of the person who complained' });
  } else if (name.length > COMPLAINANT_NAME_MAX) {
    problems.push({ field: 'complainantName', message: `Name must be ${COMPLAINANT_NAME_MAX} characters or fewer` });
  }
  if (!isIsoDate(input.receivedOn)) problems.push({ field: 'receivedOn', message: 'Enter the date it was received' });
  else if (input.receivedOn > today)
    problems.push({ field: 'receivedOn', message: 'The date it was received must be today or in the past' });
  const summary = input.summary.trim();
  if (!summary) problems.push({ field: 'summary', message: 'Enter what the complaint says' });
  else if (summary.length > COMPLAINT_SUMMARY_MAX)
    problems.push({ field: 'summary', message: `What it says must be ${COMPLAINT_SUMMARY_MAX} characters or fewer` });
  return {
    problems,
    checked: {
      about,
      complainantInviteeId: inviteeId,
      complainantName: inviteeId === null ? name : null,
      receivedOn: input.receivedOn,
      summary,
    },
  };
}

/** A complaint moves on through the stages, never back; the formal stages need an investigator. */
export function checkStageChange(from: ComplaintStage, to: string, investigatorUserId: string | null): FieldProblem[] {
  if (!isStage(to)) return [{ field: 'stage', message: 'Select the stage' }];
  if (COMPLAINT_STAGES.indexOf(to) < COMPLAINT_STAGES.indexOf(from))
    return [{ field: 'stage', message: `A complaint at ${COMPLAINT_STAGE_LABELS[from].toLowerCase()} cannot go back` }];
  if (to !== 'informal' && !investigatorUserId)
    return [{ field: 'investigator', message: 'Select who will investigate' }];
  return [];
}

/** The problems with closing a complaint with an outcome on a date. */
export function checkClosing(outcome: string, closedOn: string, receivedOn: string, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isOutcome(outcome)) problems.push({ field: 'outcome', message: 'Select the outcome' });
  if (!isIsoDate(closedOn)) problems.push({ field: 'closedOn', message: 'Enter the date it closed' });
  else if (closedOn > today)
    problems.push({ field: 'closedOn', message: 'The date it closed must be today or in the past' });
  else if (closedOn < receivedOn)
    problems.push({ field: 'closedOn', message: 'The date it closed must be on or after the date it was received' });
  return problems;
}
