/**
 * Permission to record a meeting (004, 001, 002 §3.10): who may ask (P-1), the grounds on which a request may be
 * refused (P-2), the notice the requester should give (P-3, T-11), the decision and the alternatives offered when
 * recording is refused, and professionals' views where they disagree about recording a conference (P-6).
 * Pure: no I/O. A request belongs to one meeting: a conference held in the service, or another meeting about a
 * child (a core group, a child in need meeting or any other) recorded by its type, date, time and organiser.
 */
import { isIsoDate } from '../calendar/iso-date.ts';
import type { FieldProblem } from '../shared/errors.ts';

// ------------------------------------------------------------------ the meeting

export const MEETING_KINDS = ['conference', 'core-group', 'child-in-need', 'other'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_KIND_LABELS: Record<MeetingKind, string> = {
  conference: 'Child protection conference',
  'core-group': 'Core group meeting',
  'child-in-need': 'Child in need meeting',
  other: 'Another meeting about the child',
};
/** The meetings recorded by hand (a conference is the service's own record). */
export const OTHER_MEETING_KINDS = ['core-group', 'child-in-need', 'other'] as const;
export type OtherMeetingKind = (typeof OTHER_MEETING_KINDS)[number];

export function isOtherMeetingKind(v: unknown): v is OtherMeetingKind {
  return typeof v === 'string' && (OTHER_MEETING_KINDS as readonly string[]).includes(v);
}

// ------------------------------------------------------------------ the request

/** How the request reached the service (004 §2.5: email or telephone; in person and by letter happen too). */
export const REQUEST_METHODS = ['in-person', 'phone', 'email', 'letter'] as const;
export type RequestMethod = (typeof REQUEST_METHODS)[number];
export const REQUEST_METHOD_LABELS: Record<RequestMethod, string> = {
  'in-person': 'In person',
  phone: 'By phone',
  email: 'By email',
  letter: 'By letter',
};
export function isRequestMethod(v: unknown): v is RequestMethod {
  return typeof v === 'string' && (REQUEST_METHODS as readonly string[]).includes(v);
}

/**
 * Who asked. P-1: a child or young person the meeting is about, or a parent with parental responsibility for a
 * child discussed. Anyone else (a relative or friend, a parent without PR for any child discussed) may not ask:
 * the request is recorded and refused with the reason.
 */
export type Requester =
  | { kind: 'child'; childId: string; name: string }
  | { kind: 'family'; personId: string; name: string; prFor: readonly string[] }
  | { kind: 'someone-else'; name: string };

export type Eligibility = { eligible: true; childrenWithoutPr: string[] } | { eligible: false; reason: string };

/**
 * P-1: whether the requester may ask to record a meeting about `childIds`. A parent with PR for some but not all
 * of the children may ask; the children they hold no PR for are returned, because that is a refusal ground when
 * sensitive information about them is likely to be discussed (P-2).
 */
export function eligibilityOf(requester: Requester, childIds: readonly string[]): Eligibility {
  if (requester.kind === 'child')
    return childIds.includes(requester.childId)
      ? { eligible: true, childrenWithoutPr: [] }
      : { eligible: false, reason: 'The young person is not one of the children the meeting is about.' };
  if (requester.kind === 'family') {
    const withPr = childIds.filter((c) => requester.prFor.includes(c));
    if (withPr.length === 0)
      return {
        eligible: false,
        reason:
          'Only a child or young person the meeting is about, or a parent with parental responsibility for a child discussed, may ask to record it. This person does not have parental responsibility for any of the children.',
      };
    return { eligible: true, childrenWithoutPr: childIds.filter((c) => !requester.prFor.includes(c)) };
  }
  return {
    eligible: false,
    reason:
      'Only a child or young person the meeting is about, or a parent with parental responsibility for a child discussed, may ask to record it.',
  };
}

/** How the requester signs the undertaking not to publish or share the recording (P-1, P-7). */
export const UNDERTAKING_METHODS = ['upload', 'online', 'later'] as const;
export type UndertakingMethod = (typeof UNDERTAKING_METHODS)[number];
export const UNDERTAKING_METHOD_LABELS: Record<UndertakingMethod, string> = {
  upload: 'The signed notice of intent is attached',
  online: 'Send them a secure link to complete and confirm the form',
  later: 'The signed notice of intent will follow',
};
export function isUndertakingMethod(v: unknown): v is UndertakingMethod {
  return typeof v === 'string' && (UNDERTAKING_METHODS as readonly string[]).includes(v);
}

/** The limits a requester accepts by signing the undertaking (P-7); shown on the form they confirm. */
export const UNDERTAKING_TERMS: readonly string[] = [
  'I will use the recording only for matters about my family’s involvement with children’s services.',
  'I will give a copy of the recording to the chair of the meeting, or anyone who attended it, if they ask for one.',
  'I will not share the recording on social media, online or in any other public place, or use it to cause distress or harm to anyone.',
];

export const PURPOSE_MAX = 2_000;
export const NAME_MAX = 200;
export const ORGANISER_MAX = 200;
export const NOTE_MAX = 2_000;

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
export function isClockTime(v: unknown): v is string {
  return typeof v === 'string' && HH_MM.test(v);
}

export interface OtherMeetingInput {
  kind: string;
  date: string;
  time: string;
  organiser: string;
}

export interface CheckedOtherMeeting {
  kind: OtherMeetingKind;
  date: string;
  time: string;
  organiser: string;
}

/** The problems with a meeting other than a conference, recorded by hand. */
export function checkOtherMeeting(input: OtherMeetingInput): {
  problems: FieldProblem[];
  checked: CheckedOtherMeeting;
} {
  const problems: FieldProblem[] = [];
  if (!isOtherMeetingKind(input.kind)) problems.push({ field: 'meetingKind', message: 'Select the kind of meeting' });
  if (!isIsoDate(input.date)) problems.push({ field: 'meetingDate', message: 'Enter the date of the meeting' });
  if (!isClockTime(input.time))
    problems.push({ field: 'meetingTime', message: 'Enter the time the meeting starts, like 09:30 or 14:00' });
  const organiser = input.organiser.trim();
  if (!organiser) problems.push({ field: 'organiser', message: 'Enter who is organising the meeting' });
  else if (organiser.length > ORGANISER_MAX)
    problems.push({ field: 'organiser', message: `The organiser must be ${ORGANISER_MAX} characters or fewer` });
  return {
    problems,
    checked: { kind: input.kind as OtherMeetingKind, date: input.date, time: input.time, organiser },
  };
}

export interface NewRequestInput {
  askedOn: string;
  askedAtTime: string;
  method: string;
  purpose: string;
  undertaking: string;
  /** For someone who may not ask: their name (P-1). */
  someoneElseName: string | null;
}

export interface CheckedRequest {
  askedAt: Date;
  method: RequestMethod;
  purpose: string;
  undertaking: UndertakingMethod;
}

/**
 * The problems with a new request; `askedAt` is read as England time, and must not be in the future (`now`) nor
 * after the meeting starts (`meetingStart`). `england` turns a date and "HH:MM" into the instant.
 */
export function checkNewRequest(
  input: NewRequestInput,
  now: Date,
  meetingStart: Date | null,
  england: (date: string, time: string) => Date,
): { problems: FieldProblem[]; checked: CheckedRequest } {
  const problems: FieldProblem[] = [];
  let askedAt = new Date(Number.NaN);
  if (!isIsoDate(input.askedOn)) problems.push({ field: 'askedOn', message: 'Enter the date they asked' });
  else if (!isClockTime(input.askedAtTime))
    problems.push({ field: 'askedAtTime', message: 'Enter the time they asked, like 09:30 or 14:00' });
  else {
    askedAt = england(input.askedOn, input.askedAtTime);
    if (askedAt.getTime() > now.getTime())
      problems.push({ field: 'askedOn', message: 'The date and time they asked must be in the past' });
    else if (meetingStart && askedAt.getTime() > meetingStart.getTime())
      problems.push({
        field: 'askedOn',
        message:
          'The date and time they asked must be before the meeting starts: a request made during it is dealt with in the meeting',
      });
  }
  if (!isRequestMethod(input.method)) problems.push({ field: 'method', message: 'Select how they asked' });
  const purpose = input.purpose.trim();
  if (!purpose) problems.push({ field: 'purpose', message: 'Enter why they want to record the meeting' });
  else if (purpose.length > PURPOSE_MAX)
    problems.push({
      field: 'purpose',
      message: `Why they want to record it must be ${PURPOSE_MAX} characters or fewer`,
    });
  if (!isUndertakingMethod(input.undertaking))
    problems.push({ field: 'undertaking', message: 'Select how they are signing the undertaking' });
  if (input.someoneElseName !== null) {
    const name = input.someoneElseName.trim();
    if (!name) problems.push({ field: 'requesterName', message: 'Enter the name of the person who asked' });
    else if (name.length > NAME_MAX)
      problems.push({ field: 'requesterName', message: `The name must be ${NAME_MAX} characters or fewer` });
  }
  return {
    problems,
    checked: {
      askedAt,
      method: input.method as RequestMethod,
      purpose,
      undertaking: input.undertaking as UndertakingMethod,
    },
  };
}

// ------------------------------------------------------------------ notice (T-11, P-3)

export interface Notice {
  /** Whole hours between the request and the start of the meeting (rounded down; never below zero). */
  hoursBefore: number;
  /** T-11: asked less than the council's notice (48 hours by default) before the meeting. */
  late: boolean;
}

/** T-11: a request less than `noticeHours` before the meeting is accepted but flagged, and the decision-maker told. */
export function noticeOf(askedAt: Date, meetingStart: Date, noticeHours: number): Notice {
  const ms = meetingStart.getTime() - askedAt.getTime();
  return { hoursBefore: Math.max(0, Math.floor(ms / 3_600_000)), late: ms < noticeHours * 3_600_000 };
}

/** The time left before the meeting, in words, for the decision-maker's list (T-11). */
export function timeLeft(now: Date, meetingStart: Date): string {
  const ms = meetingStart.getTime() - now.getTime();
  if (ms <= 0) return 'The meeting has started';
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 1) return 'Less than an hour';
  if (hours < 48) return hours === 1 ? '1 hour' : `${hours} hours`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

// ------------------------------------------------------------------ status

export const REQUEST_STATUSES = [
  'awaiting-undertaking',
  'awaiting-decision',
  'granted',
  'refused',
  'not-eligible',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  'awaiting-undertaking': 'Waiting for the signed undertaking',
  'awaiting-decision': 'Waiting for a decision',
  granted: 'Recording allowed',
  refused: 'Recording refused',
  'not-eligible': 'Refused: they may not ask',
};

/** A request is decided once it is granted or refused (or refused at once because the requester may not ask). */
export function isDecided(status: RequestStatus): boolean {
  return status === 'granted' || status === 'refused' || status === 'not-eligible';
}

// ------------------------------------------------------------------ the decision (P-2)

/** P-2: the grounds on which a request may be refused (004 §1.4). */
export const REFUSAL_GROUNDS = [
  'no-pr-sensitive',
  'pr-holder-objects',
  'child-objects',
  'misuse-history',
  'threat-to-publish',
  'needs-already-met',
] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];
export const REFUSAL_GROUND_LABELS: Record<RefusalGround, string> = {
  'no-pr-sensitive':
    'They do not have parental responsibility for a child the meeting is about, and sensitive information about that child is likely to be discussed',
  'pr-holder-objects': 'Another person with parental responsibility objects to the meeting being recorded',
  'child-objects': 'The child or young person objects to the meeting being recorded',
  'misuse-history':
    'They have a history of misusing information: sharing it, or using it to harass or to commit a crime',
  'threat-to-publish':
    'They have threatened, openly or by implication, to put it online, make it public or use it to cause distress or fear',
  'needs-already-met': 'The arrangements already in place fully meet their needs, or a detailed record can be given',
};
export function isRefusalGround(v: unknown): v is RefusalGround {
  return typeof v === 'string' && (REFUSAL_GROUNDS as readonly string[]).includes(v);
}

/** What may be offered instead when recording is refused (004 §2.12, §3.2): the need is still met. */
export const ALTERNATIVES = ['service-recording-copy', 'note-taker', 'advocate', 'written-summary', 'other'] as const;
export type Alternative = (typeof ALTERNATIVES)[number];
export const ALTERNATIVE_LABELS: Record<Alternative, string> = {
  'service-recording-copy': 'A copy of the service’s own recording of the conference, asked for through a copy request',
  'note-taker': 'A note-taker to take notes for them',
  advocate: 'An advocate to support them in the meeting',
  'written-summary': 'A written summary of the meeting',
  other: 'Something else',
};
export function isAlternative(v: unknown): v is Alternative {
  return typeof v === 'string' && (ALTERNATIVES as readonly string[]).includes(v);
}

export const OUTCOMES = ['granted', 'refused'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface GroundFinding {
  ground: RefusalGround;
  evidence: string;
}

export interface DecisionInput {
  outcome: string;
  grounds: ReadonlyArray<{ ground: string; evidence: string }>;
  alternatives: readonly string[];
  alternativesNote: string;
  reasons: string;
}

export interface CheckedDecision {
  outcome: Outcome;
  grounds: GroundFinding[];
  alternatives: Alternative[];
  alternativesNote: string | null;
  reasons: string;
}

/**
 * P-2: the problems with a decision. A refusal names at least one ground, each with its evidence, and offers at
 * least one alternative that meets the need (004 §2.12); a grant names no ground and needs the signed undertaking
 * (P-1). The reasons are what the requester is told.
 */
export function checkDecision(
  input: DecisionInput,
  undertakingSigned: boolean,
): { problems: FieldProblem[]; checked: CheckedDecision } {
  const problems: FieldProblem[] = [];
  const outcome = input.outcome;
  if (outcome !== 'granted' && outcome !== 'refused')
    problems.push({ field: 'outcome', message: 'Select whether the meeting may be recorded' });
  const grounds: GroundFinding[] = [];
  for (const g of input.grounds) {
    if (!isRefusalGround(g.ground)) {
      problems.push({ field: 'grounds', message: 'Select a reason from the list' });
      continue;
    }
    if (grounds.some((x) => x.ground === g.ground)) continue;
    const evidence = g.evidence.trim();
    if (!evidence) problems.push({ field: `evidence-${g.ground}`, message: 'Enter the evidence for this reason' });
    else if (evidence.length > NOTE_MAX)
      problems.push({ field: `evidence-${g.ground}`, message: `The evidence must be ${NOTE_MAX} characters or fewer` });
    grounds.push({ ground: g.ground, evidence });
  }
  grounds.sort((a, b) => REFUSAL_GROUNDS.indexOf(a.ground) - REFUSAL_GROUNDS.indexOf(b.ground));
  const alternatives = ALTERNATIVES.filter((a) => input.alternatives.includes(a));
  if (input.alternatives.some((a) => !isAlternative(a)))
    problems.push({ field: 'alternatives', message: 'Select an alternative from the list' });
  const alternativesNote = input.alternativesNote.trim();
  if (outcome === 'refused') {
    if (grounds.length === 0)
      problems.push({ field: 'grounds', message: 'Select at least one reason for refusing, with its evidence' });
    if (alternatives.length === 0)
      problems.push({ field: 'alternatives', message: 'Select what is offered instead to meet their need' });
    if (alternatives.includes('other') && !alternativesNote)
      problems.push({ field: 'alternativesNote', message: 'Enter what else is offered' });
  }
  if (outcome === 'granted') {
    if (grounds.length > 0)
      problems.push({ field: 'grounds', message: 'Untick the reasons for refusing, or choose to refuse' });
    if (!undertakingSigned)
      problems.push({
        field: 'outcome',
        message: 'Recording can only be allowed once they have signed the undertaking not to publish or share it',
      });
  }
  if (alternativesNote.length > NOTE_MAX)
    problems.push({ field: 'alternativesNote', message: `This must be ${NOTE_MAX} characters or fewer` });
  const reasons = input.reasons.trim();
  if (!reasons)
    problems.push({ field: 'reasons', message: 'Enter the reasons for the decision, as the requester will read them' });
  else if (reasons.length > NOTE_MAX)
    problems.push({ field: 'reasons', message: `The reasons must be ${NOTE_MAX} characters or fewer` });
  return {
    problems,
    checked: {
      outcome: outcome as Outcome,
      grounds: outcome === 'refused' ? grounds : [],
      alternatives: outcome === 'refused' ? alternatives : [],
      alternativesNote: outcome === 'refused' && alternativesNote ? alternativesNote : null,
      reasons,
    },
  };
}

// ------------------------------------------------------------------ professionals' views (P-6)

export const VIEWS = ['for', 'against'] as const;
export type ProfessionalView = (typeof VIEWS)[number];
export const VIEW_LABELS: Record<ProfessionalView, string> = {
  for: 'Agrees to the meeting being recorded',
  against: 'Disagrees with the meeting being recorded',
};

/** P-6: a professional's view on recording the conference; a disagreement needs its reason. */
export function checkProfessionalView(input: { view: string; reason: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.view !== 'for' && input.view !== 'against')
    problems.push({ field: 'view', message: 'Select whether they agree to the meeting being recorded' });
  const reason = input.reason.trim();
  if (input.view === 'against' && !reason) problems.push({ field: 'reason', message: 'Enter why they disagree' });
  if (reason.length > NOTE_MAX)
    problems.push({ field: 'reason', message: `The reason must be ${NOTE_MAX} characters or fewer` });
  return problems;
}

/** P-6: professionals disagree when at least one is for recording and at least one against. */
export function professionalsDisagree(views: ReadonlyArray<{ view: ProfessionalView }>): boolean {
  return views.some((v) => v.view === 'for') && views.some((v) => v.view === 'against');
}

// ------------------------------------------------------------------ times

/** The instant a date and "HH:MM" name in England (British Summer Time included). */
export function englandInstant(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const asUtc = Date.UTC(y, m - 1, d, h, mi);
  // England is UTC or UTC+1: the instant one hour earlier is right when it reads as the same clock time there.
  const summer = new Date(asUtc - 3_600_000);
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(summer);
  return clock === time ? summer : new Date(asUtc);
}
