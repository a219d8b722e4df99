/**
 * The chair (002 §4.1): independent of operational or line management responsibility for the case, so a chair who
 * is a child's allocated social worker, or that social worker's line manager, chairs only with a recorded reason;
 * and before the conference the chair meets the child and family, recorded with the date and who was met, or why
 * not. Pure: no I/O.
 */
import { type IsoDate, compareIsoDates, formatLongDate, isIsoDate } from '../calendar/index.ts';
import { InvalidDetailsError, ProblemList } from '../shared/errors.ts';

export type IndependenceConcernKind = 'social-worker' | 'line-manager';
export const INDEPENDENCE_CONCERN_KINDS: readonly IndependenceConcernKind[] = ['social-worker', 'line-manager'];

/** One child of the conference and who is responsible for their case. */
export interface CaseResponsibility {
  childName: string;
  socialWorkerId: string | null;
  socialWorkerName: string | null;
  /** The social worker's line manager, as set on their account. */
  socialWorkerLineManagerId: string | null;
}

export interface IndependenceConcern {
  kind: IndependenceConcernKind;
  childName: string;
  socialWorkerName: string;
}

/** Why a chair is not independent of the case, child by child; empty when they are. */
export function independenceConcerns(
  chairUserId: string | null,
  children: readonly CaseResponsibility[],
): IndependenceConcern[] {
  if (!chairUserId) return [];
  const concerns: IndependenceConcern[] = [];
  for (const c of children) {
    if (!c.socialWorkerId) continue;
    const socialWorkerName = c.socialWorkerName ?? 'the allocated social worker';
    if (c.socialWorkerId === chairUserId)
      concerns.push({ kind: 'social-worker', childName: c.childName, socialWorkerName });
    else if (c.socialWorkerLineManagerId === chairUserId)
      concerns.push({ kind: 'line-manager', childName: c.childName, socialWorkerName });
  }
  return concerns;
}

/** "Cal Chair is Sam Smith’s allocated social worker" and the like, one sentence per concern. */
export function concernSentences(chairName: string, concerns: readonly IndependenceConcern[]): string[] {
  return concerns.map((c) =>
    c.kind === 'social-worker'
      ? `${chairName} is ${c.childName}’s allocated social worker`
      : `${chairName} is the line manager of ${c.socialWorkerName}, ${c.childName}’s allocated social worker`,
  );
}

/** The warning shown when such a chair is chosen, asking for the reason. */
export function independenceWarning(chairName: string, concerns: readonly IndependenceConcern[]): string {
  return `${concernSentences(chairName, concerns).join('; ')}. The chair should be independent of the case: choose another chair, or give the reason they should chair this conference`;
}

export const CHAIR_REASON_MAX = 2000;

/**
 * The reason a chair who is not independent chairs: required when there is a concern (the warning is the message),
 * ignored when there is none. Adds its problem to `p` on `field`.
 */
export function independenceReason(
  p: Pick<ProblemList, 'add'>,
  field: string,
  chairName: string,
  concerns: readonly IndependenceConcern[],
  reason: string | null | undefined,
): string | null {
  if (concerns.length === 0) return null;
  const r = (reason ?? '').trim();
  if (!r) p.add(field, independenceWarning(chairName, concerns));
  else if (r.length > CHAIR_REASON_MAX)
    p.add(field, `The reason must be ${CHAIR_REASON_MAX.toLocaleString('en-GB')} characters or fewer`);
  return r || null;
}

// ------------------------------------------------------------------ the chair meets the child and family

export interface FamilyMeetingInput {
  /** "yes" or "no". */
  met?: string | null | undefined;
  metOn?: string | null | undefined;
  whoMet?: string | null | undefined;
  notMetReason?: string | null | undefined;
}

export type FamilyMeeting =
  | { met: true; metOn: IsoDate; whoMet: string; notMetReason: null }
  | { met: false; metOn: null; whoMet: null; notMetReason: string };

export const FAMILY_MEETING_TEXT_MAX = 1000;

/** 002 §4.1: met on a date not after today (and not after the conference), naming who; or not, with the reason. */
export function validateFamilyMeeting(
  input: FamilyMeetingInput,
  f: { today: IsoDate; conferenceDate: IsoDate },
): FamilyMeeting {
  const p = new ProblemList();
  const long = (field: string, v: string, what: string) => {
    if (v.length > FAMILY_MEETING_TEXT_MAX)
      p.add(field, `${what} must be ${FAMILY_MEETING_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`);
  };
  if (input.met === 'yes') {
    const on = (input.metOn ?? '').trim();
    const who = (input.whoMet ?? '').trim();
    let metOn: IsoDate | null = null;
    if (!on) p.add('metOn', 'Enter the date the chair met the child and family');
    else if (!isIsoDate(on)) p.add('metOn', 'The date must be a real date');
    else if (compareIsoDates(on, f.today) > 0) p.add('metOn', 'The date must be today or in the past');
    else if (compareIsoDates(on, f.conferenceDate) > 0)
      p.add('metOn', `The date must be on or before the conference, ${formatLongDate(f.conferenceDate)}`);
    else metOn = on;
    if (!who) p.add('whoMet', 'Enter who the chair met');
    long('whoMet', who, 'Who the chair met');
    p.throwIfAny();
    return { met: true, metOn: metOn!, whoMet: who, notMetReason: null };
  }
  if (input.met === 'no') {
    const why = (input.notMetReason ?? '').trim();
    if (!why) p.add('notMetReason', 'Enter why the chair did not meet the child and family');
    long('notMetReason', why, 'The reason');
    p.throwIfAny();
    return { met: false, metOn: null, whoMet: null, notMetReason: why };
  }
  throw new InvalidDetailsError([
    { field: 'met', message: 'Select whether the chair met the child and family before the conference' },
  ]);
}
