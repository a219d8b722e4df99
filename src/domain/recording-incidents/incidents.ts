/**
 * When recording goes wrong (001, 004): someone recording a conference against the parents' wishes (P-8) and a
 * covert recording discovered afterwards (P-9). Pure: no I/O.
 *
 * Design decisions:
 * - P-8 is one record per person per occurrence, written by the chair with the time of each step: asked to stop,
 *   the meeting halted, asked to leave, and how it ended. Steps are in that order; asking someone to leave comes
 *   after halting the meeting (001: "if they do not, the chair will halt the meeting and they will be asked to
 *   leave"). The times are on the conference's own date, so none may be later than now on that day.
 * - P-9 is an incident on each affected child's record. Anyone who finds out tells the chair (001), so business
 *   support and social workers may record a discovery; its details are seen only by chairs, team managers and the
 *   council's legal advisers (the issue: "the chair, the team manager and legal roles"). Quality assurance is not
 *   among them: nothing in the seeds gives it a part in an incident. A legal adviser sees incidents council-wide
 *   but nothing else of the child's record; like everyone, never a restricted child's unless named on it. The
 *   chair records each action considered, taken or decided against, from the seeds' list: the chair considers
 *   and seeks legal advice (001), so a legal adviser reads the incident and does not record on it.
 * - An incident closes only once the chair has considered telling the multi-agency network and the council's
 *   legal representative (001), and, when the recording was published, legal advice (001, 004 §3.3 d–e).
 */
import { type AccessDecision, type ChildAccessFacts, canViewChild } from '../access/child-access.ts';
import { type Actor, type Role, hasAnyRole } from '../access/roles.ts';
import { isIsoDate } from '../calendar/iso-date.ts';
import type { FieldProblem } from '../shared/errors.ts';
import { parseTimeOfDay, timeOfDayProblem } from '../shared/time-of-day.ts';

// ------------------------------------------------------------------ who may do what

/** P-8: the chair records what happened at the meeting. */
export const UNPERMITTED_RECORDING_ROLES: readonly Role[] = ['chair'];
/** P-9: whoever finds out tells the chair: a chair, business support or the allocated social worker records it. */
export const COVERT_REPORTER_ROLES: readonly Role[] = ['chair', 'business_support', 'social_worker'];
/** P-9: an incident's details are seen by chairs, team managers and the council's legal advisers. */
export const COVERT_VIEWER_ROLES: readonly Role[] = ['chair', 'team_manager', 'legal_adviser'];
/** P-9: the roles that see incidents without seeing the rest of the child's record. */
export const INCIDENT_ONLY_ROLES: readonly Role[] = ['legal_adviser'];
/** P-9: the chair decides and records the actions and the closure. */
export const COVERT_DECIDER_ROLES: readonly Role[] = ['chair'];

export const mayRecordUnpermitted = (a: Actor) => hasAnyRole(a, UNPERMITTED_RECORDING_ROLES);
export const mayReportCovert = (a: Actor) => hasAnyRole(a, COVERT_REPORTER_ROLES);
export const mayViewCovert = (a: Actor) => hasAnyRole(a, COVERT_VIEWER_ROLES);
export const mayDecideCovert = (a: Actor) => hasAnyRole(a, COVERT_DECIDER_ROLES);

/**
 * P-9: whether the actor may see a covert recording incident about this child. Chairs and team managers by the
 * child record rules (every unrestricted child; a restricted one only when named on it). A legal adviser sees
 * incidents about every unrestricted child council-wide, and a restricted child's only when named on its record,
 * but no other part of any child's record (`canViewChild` still refuses them).
 */
export function canViewIncidentsAbout(actor: Actor, child: ChildAccessFacts): AccessDecision {
  if (!mayViewCovert(actor)) return { allowed: false, reason: 'not a chair, team manager or legal adviser' };
  const byRecord = canViewChild(actor, child);
  if (byRecord.allowed || !hasAnyRole(actor, INCIDENT_ONLY_ROLES)) return byRecord;
  if (child.restricted && !child.namedStaffIds.includes(actor.id))
    return { allowed: false, reason: 'restricted record: not named on it' };
  return { allowed: true };
}

// ------------------------------------------------------------------ P-8

export const UNPERMITTED_OUTCOMES = ['stopped', 'left', 'adjourned'] as const;
export type UnpermittedOutcome = (typeof UNPERMITTED_OUTCOMES)[number];
export const UNPERMITTED_OUTCOME_LABELS: Record<UnpermittedOutcome, string> = {
  stopped: 'They stopped recording and the meeting went on',
  left: 'They left the meeting',
  adjourned: 'The meeting was adjourned',
};

export const TEXT_MAX = 5_000;
export const NAME_MAX = 200;

export interface UnpermittedRecordingInput {
  /** Someone on the conference's register, or null with a description of who they are. */
  personInviteeId: string | null;
  personDescription: string | null;
  askedToStopAt: string;
  meetingHaltedAt: string;
  askedToLeaveAt: string;
  outcome: string;
  outcomeAt: string;
  notes: string;
}

export interface CheckedUnpermittedRecording {
  personInviteeId: string | null;
  personDescription: string | null;
  askedToStopAt: string;
  meetingHaltedAt: string | null;
  askedToLeaveAt: string | null;
  outcome: UnpermittedOutcome;
  outcomeAt: string;
  notes: string | null;
}

export interface MeetingDay {
  /** The conference's date. */
  date: string;
  /** Today in England. */
  today: string;
  /** Minutes since midnight in England now. */
  nowMinutes: number;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

export function isUnpermittedOutcome(v: unknown): v is UnpermittedOutcome {
  return typeof v === 'string' && (UNPERMITTED_OUTCOMES as readonly string[]).includes(v);
}

/**
 * P-8: the problems with what the chair wrote, field by field. `people` are the register's invitees who may be
 * named (family and friends without parental responsibility).
 */
export function checkUnpermittedRecording(
  input: UnpermittedRecordingInput,
  day: MeetingDay,
  people: readonly string[],
): { problems: FieldProblem[]; checked: CheckedUnpermittedRecording } {
  const problems: FieldProblem[] = [];
  const inviteeId = input.personInviteeId?.toLowerCase() ?? null;
  const description = input.personDescription?.trim() ?? '';
  if (inviteeId !== null) {
    if (!people.includes(inviteeId))
      problems.push({ field: 'person', message: 'Select a family member or friend on the register' });
  } else if (!description) {
    problems.push({ field: 'personDescription', message: 'Describe who was recording' });
  } else if (description.length > NAME_MAX) {
    problems.push({ field: 'personDescription', message: `Who was recording must be ${NAME_MAX} characters or fewer` });
  }
  if (day.date > day.today)
    problems.push({ field: '', message: 'This can be recorded on or after the day of the conference' });

  const steps: Array<{ field: keyof UnpermittedRecordingInput; what: string; required: boolean }> = [
    { field: 'askedToStopAt', what: 'the time they were asked to stop', required: true },
    { field: 'meetingHaltedAt', what: 'the time the meeting was halted', required: false },
    { field: 'askedToLeaveAt', what: 'the time they were asked to leave', required: false },
    { field: 'outcomeAt', what: 'the time it ended', required: true },
  ];
  const times: Partial<Record<string, string | null>> = {};
  let previous: { at: string; what: string } | null = null;
  for (const step of steps) {
    const raw = String(input[step.field] ?? '').trim();
    if (!raw) {
      times[step.field] = null;
      if (step.required) problems.push({ field: step.field, message: `Enter ${step.what}` });
      continue;
    }
    const at = parseTimeOfDay(raw);
    times[step.field] = at;
    if (at === null) {
      problems.push({ field: step.field, message: timeOfDayProblem(step.what) });
      continue;
    }
    if (day.date === day.today && minutesOf(at) > day.nowMinutes)
      problems.push({ field: step.field, message: `${capital(step.what)} must not be in the future` });
    else if (previous && at < previous.at)
      problems.push({
        field: step.field,
        message: `${capital(step.what)} must be the same as or after ${previous.what}`,
      });
    previous = { at, what: step.what };
  }

  const outcome = isUnpermittedOutcome(input.outcome) ? input.outcome : null;
  if (!outcome) problems.push({ field: 'outcome', message: 'Select how it ended' });
  if (outcome === 'left' && !times['askedToLeaveAt'] && String(input.askedToLeaveAt ?? '').trim() === '')
    problems.push({ field: 'askedToLeaveAt', message: 'Enter the time they were asked to leave' });
  if (outcome === 'adjourned' && !String(input.meetingHaltedAt ?? '').trim())
    problems.push({ field: 'meetingHaltedAt', message: 'Enter the time the meeting was halted' });
  if (String(input.askedToLeaveAt ?? '').trim() && !String(input.meetingHaltedAt ?? '').trim())
    problems.push({
      field: 'meetingHaltedAt',
      message: 'Enter the time the meeting was halted: the meeting is halted before someone is asked to leave',
    });
  const notes = input.notes.trim();
  if (notes.length > TEXT_MAX)
    problems.push({ field: 'notes', message: `What else happened must be ${TEXT_MAX} characters or fewer` });

  return {
    problems: dedupeFields(problems),
    checked: {
      personInviteeId: inviteeId,
      personDescription: inviteeId === null ? description : null,
      askedToStopAt: times['askedToStopAt'] ?? '',
      meetingHaltedAt: times['meetingHaltedAt'] ?? null,
      askedToLeaveAt: times['askedToLeaveAt'] ?? null,
      outcome: outcome ?? 'stopped',
      outcomeAt: times['outcomeAt'] ?? '',
      notes: notes || null,
    },
  };
}

// ------------------------------------------------------------------ P-9

export const PUBLICATION_ANSWERS = ['yes', 'no', 'not-known'] as const;
export type PublicationAnswer = (typeof PUBLICATION_ANSWERS)[number];
export const PUBLISHED_LABELS: Record<PublicationAnswer, string> = {
  yes: 'Yes, it has been published or shared',
  no: 'No',
  'not-known': 'Not known',
};
export const TAKEN_DOWN_LABELS: Record<PublicationAnswer, string> = {
  yes: 'Yes, it has been taken down',
  no: 'No, it is still there',
  'not-known': 'Not known',
};

/** The actions the chair considers (001 "Covert audio recording"; 004 §3.3 d–e), and anything else. */
export const COVERT_ACTIONS = ['inform-network', 'inform-legal', 'legal-advice', 'injunction', 'other'] as const;
export type CovertAction = (typeof COVERT_ACTIONS)[number];
export const COVERT_ACTION_LABELS: Record<CovertAction, string> = {
  'inform-network': 'Tell the multi-agency network',
  'inform-legal': 'Tell the council’s legal representative',
  'legal-advice': 'Seek legal advice (including whether it is a civil or criminal matter)',
  injunction: 'Seek an injunction to have the published recording removed',
  other: 'Something else',
};

export const ACTION_DECISIONS = ['taken', 'not-taken'] as const;
export type ActionDecision = (typeof ACTION_DECISIONS)[number];
export const ACTION_DECISION_LABELS: Record<ActionDecision, string> = {
  taken: 'Done',
  'not-taken': 'Considered and decided against',
};

export function isPublicationAnswer(v: unknown): v is PublicationAnswer {
  return typeof v === 'string' && (PUBLICATION_ANSWERS as readonly string[]).includes(v);
}
export function isCovertAction(v: unknown): v is CovertAction {
  return typeof v === 'string' && (COVERT_ACTIONS as readonly string[]).includes(v);
}
export function isActionDecision(v: unknown): v is ActionDecision {
  return typeof v === 'string' && (ACTION_DECISIONS as readonly string[]).includes(v);
}

export interface CovertDiscoveryInput {
  childIds: readonly string[];
  foundOn: string;
  foundBy: string;
  howFound: string;
  published: string;
  publishedWhere: string;
  publishedOn: string;
  takenDown: string;
  takenDownOn: string;
}

export interface CheckedCovertDiscovery {
  childIds: string[];
  foundOn: string;
  foundBy: string;
  howFound: string;
  published: PublicationAnswer;
  publishedWhere: string | null;
  publishedOn: string | null;
  takenDown: PublicationAnswer | null;
  takenDownOn: string | null;
}

/**
 * P-9: the problems with a discovery. `conferenceDate` bounds the dates from below (nothing is recorded before the
 * meeting it was made at), `today` from above; `children` are the conference's children.
 */
export function checkCovertDiscovery(
  input: CovertDiscoveryInput,
  conferenceDate: string,
  today: string,
  children: readonly string[],
): { problems: FieldProblem[]; checked: CheckedCovertDiscovery } {
  const problems: FieldProblem[] = [];
  const childIds = [...new Set(input.childIds.map((c) => c.toLowerCase()))];
  if (childIds.length === 0 || childIds.some((c) => !children.includes(c)))
    problems.push({ field: 'childIds', message: 'Select each child the recording is about' });
  const date = (
    field: string,
    value: string,
    what: string,
    required: boolean,
    after?: { on: string; what: string },
  ) => {
    if (!value) {
      if (required) problems.push({ field, message: `Enter ${what}` });
      return null;
    }
    if (!isIsoDate(value)) {
      problems.push({ field, message: `${capital(what)} must be a real date` });
      return null;
    }
    if (value > today) problems.push({ field, message: `${capital(what)} must be today or in the past` });
    else if (value < conferenceDate)
      problems.push({ field, message: `${capital(what)} must be on or after the day of the conference` });
    else if (after && value < after.on)
      problems.push({ field, message: `${capital(what)} must be on or after ${after.what}` });
    return value;
  };
  const foundOn = date('foundOn', input.foundOn, 'the date it was found', true);
  const foundBy = input.foundBy.trim();
  if (!foundBy) problems.push({ field: 'foundBy', message: 'Enter who found it' });
  else if (foundBy.length > NAME_MAX)
    problems.push({ field: 'foundBy', message: `Who found it must be ${NAME_MAX} characters or fewer` });
  const howFound = input.howFound.trim();
  if (!howFound) problems.push({ field: 'howFound', message: 'Enter how it was found' });
  else if (howFound.length > TEXT_MAX)
    problems.push({ field: 'howFound', message: `How it was found must be ${TEXT_MAX} characters or fewer` });

  const published = isPublicationAnswer(input.published) ? input.published : null;
  if (!published) problems.push({ field: 'published', message: 'Select whether it has been published or shared' });
  let publishedWhere: string | null = null;
  let publishedOn: string | null = null;
  let takenDown: PublicationAnswer | null = null;
  let takenDownOn: string | null = null;
  if (published === 'yes') {
    publishedWhere = input.publishedWhere.trim();
    if (!publishedWhere) problems.push({ field: 'publishedWhere', message: 'Enter where it was published or shared' });
    else if (publishedWhere.length > TEXT_MAX)
      problems.push({
        field: 'publishedWhere',
        message: `Where it was published must be ${TEXT_MAX} characters or fewer`,
      });
    publishedOn = date('publishedOn', input.publishedOn, 'the date it was published', false);
    takenDown = isPublicationAnswer(input.takenDown) ? input.takenDown : null;
    if (!takenDown) problems.push({ field: 'takenDown', message: 'Select whether it has been taken down' });
    if (takenDown === 'yes')
      takenDownOn = date(
        'takenDownOn',
        input.takenDownOn,
        'the date it was taken down',
        false,
        publishedOn ? { on: publishedOn, what: 'the date it was published' } : undefined,
      );
  }
  return {
    problems,
    checked: {
      childIds,
      foundOn: foundOn ?? '',
      foundBy,
      howFound,
      published: published ?? 'not-known',
      publishedWhere: publishedWhere || null,
      publishedOn,
      takenDown,
      takenDownOn,
    },
  };
}

export interface CovertActionInput {
  action: string;
  description: string;
  decision: string;
  on: string;
  by: string;
  outcome: string;
}

export interface CheckedCovertAction {
  action: CovertAction;
  description: string | null;
  decision: ActionDecision;
  on: string;
  by: string;
  outcome: string | null;
}

/** P-9: an action the chair considered: what, done or decided against (with why), when (from discovery to today), who. */
export function checkCovertAction(
  input: CovertActionInput,
  foundOn: string,
  today: string,
): { problems: FieldProblem[]; checked: CheckedCovertAction } {
  const problems: FieldProblem[] = [];
  const action = isCovertAction(input.action) ? input.action : null;
  if (!action) problems.push({ field: 'action', message: 'Select the action' });
  const description = input.description.trim();
  if (action === 'other' && !description) problems.push({ field: 'description', message: 'Describe the action' });
  else if (description.length > TEXT_MAX)
    problems.push({ field: 'description', message: `The action must be ${TEXT_MAX} characters or fewer` });
  const decision = isActionDecision(input.decision) ? input.decision : null;
  if (!decision) problems.push({ field: 'decision', message: 'Select whether it was done or decided against' });
  if (!input.on) problems.push({ field: 'on', message: 'Enter the date' });
  else if (!isIsoDate(input.on)) problems.push({ field: 'on', message: 'The date must be a real date' });
  else if (input.on > today) problems.push({ field: 'on', message: 'The date must be today or in the past' });
  else if (input.on < foundOn)
    problems.push({ field: 'on', message: 'The date must be on or after the date the recording was found' });
  const by = input.by.trim();
  if (!by) problems.push({ field: 'by', message: 'Enter who did it or decided it' });
  else if (by.length > NAME_MAX) problems.push({ field: 'by', message: `Who must be ${NAME_MAX} characters or fewer` });
  const outcome = input.outcome.trim();
  if (decision === 'not-taken' && !outcome)
    problems.push({ field: 'outcome', message: 'Enter why it was decided against' });
  else if (outcome.length > TEXT_MAX)
    problems.push({ field: 'outcome', message: `The outcome must be ${TEXT_MAX} characters or fewer` });
  return {
    problems,
    checked: {
      action: action ?? 'other',
      description: action === 'other' ? description : description || null,
      decision: decision ?? 'taken',
      on: input.on,
      by,
      outcome: outcome || null,
    },
  };
}

/** The actions that must have been considered before an incident closes (P-9). */
export function actionsStillToConsider(
  published: PublicationAnswer,
  considered: readonly CovertAction[],
): CovertAction[] {
  const needed: CovertAction[] = ['inform-network', 'inform-legal'];
  if (published === 'yes') needed.push('legal-advice');
  return needed.filter((a) => !considered.includes(a));
}

/** P-9: the problems with closing an incident with its outcome. */
export function checkCovertClosing(
  input: { outcome: string; closedOn: string },
  incident: {
    foundOn: string;
    published: PublicationAnswer;
    actions: ReadonlyArray<{ action: CovertAction; on: string }>;
  },
  today: string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const missing = actionsStillToConsider(
    incident.published,
    incident.actions.map((a) => a.action),
  );
  if (missing.length)
    problems.push({
      field: '',
      message: `Before closing, record whether you did this: ${missing.map((m) => COVERT_ACTION_LABELS[m].toLowerCase()).join('; ')}`,
    });
  const outcome = input.outcome.trim();
  if (!outcome) problems.push({ field: 'outcome', message: 'Enter the outcome' });
  else if (outcome.length > TEXT_MAX)
    problems.push({ field: 'outcome', message: `The outcome must be ${TEXT_MAX} characters or fewer` });
  const latest = incident.actions.reduce((m, a) => (a.on > m ? a.on : m), incident.foundOn);
  if (!input.closedOn) problems.push({ field: 'closedOn', message: 'Enter the date it closed' });
  else if (!isIsoDate(input.closedOn))
    problems.push({ field: 'closedOn', message: 'The date it closed must be a real date' });
  else if (input.closedOn > today)
    problems.push({ field: 'closedOn', message: 'The date it closed must be today or in the past' });
  else if (input.closedOn < latest)
    problems.push({
      field: 'closedOn',
      message: 'The date it closed must be on or after the date it was found and every action’s date',
    });
  return problems;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function dedupeFields(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.field) ? false : (seen.add(p.field), true)));
}
