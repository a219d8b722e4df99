/**
 * The family's recording on the day of a conference (004 §2.6–2.11, §3.3; 001; 002 §3.10). Pure: no I/O.
 *
 * P-4: before any discussion, everyone present gives or refuses consent to the family recording the meeting; a
 * refusal comes with the reason and what further authorisation is needed, if any. The meeting is never cancelled
 * for it: recording goes ahead only for the parts everyone agreed to, or not at all.
 * P-5: when someone joins, or a new request to record is made during the meeting, the meeting stops and consent is
 * sought again before going on.
 * P-6: the meeting record shows every request, each consent and the outcome.
 * P-7: the limits the requester accepted: only for the children's services matter, a copy to the chair or the
 * attendees on request, never on social media.
 */
import { parseClockTime, formatClockTime } from '../conferences/meeting.ts';
import type { FieldProblem } from '../shared/errors.ts';

export const NOTE_MAX = 2_000;

// ------------------------------------------------------------------ asking for consent (P-4, P-5)

/** Why consent is asked: before any discussion (P-4), someone joined, or a new request was made (P-5). */
export const CONSENT_OCCASIONS = ['start', 'joined', 'new-request'] as const;
export type ConsentOccasion = (typeof CONSENT_OCCASIONS)[number];
export const CONSENT_OCCASION_LABELS: Record<ConsentOccasion, string> = {
  start: 'Before any discussion',
  joined: 'Someone joined the meeting',
  'new-request': 'A new request to record was made during the meeting',
};
export function isConsentOccasion(v: unknown): v is ConsentOccasion {
  return typeof v === 'string' && (CONSENT_OCCASIONS as readonly string[]).includes(v);
}

export const CONSENT_ANSWERS = ['agrees', 'refuses'] as const;
export type ConsentAnswer = (typeof CONSENT_ANSWERS)[number];
export const CONSENT_ANSWER_LABELS: Record<ConsentAnswer, string> = {
  agrees: 'Agrees to the recording',
  refuses: 'Does not agree',
};

/** Someone present, who is asked. */
export interface PresentPerson {
  inviteeId: string;
  name: string;
}

export interface ConsentAnswerInput {
  inviteeId: string;
  answer: string;
  reason: string;
  furtherAuthorisation: string;
}

export interface ConsentRoundInput {
  occasion: string;
  /** The clock time consent was asked, as typed ("10:05", "2pm"). */
  askedAt: string;
  answers: readonly ConsentAnswerInput[];
}

export interface CheckedConsent {
  inviteeId: string;
  answer: ConsentAnswer;
  reason: string | null;
  furtherAuthorisation: string | null;
}

export interface CheckedConsentRound {
  occasion: ConsentOccasion;
  /** "HH:MM". */
  askedAt: string;
  consents: CheckedConsent[];
}

/**
 * P-4: the problems with a round of asking. Everyone present answers; a refusal says why recording may not take
 * place or what further authorisation is needed before it may (004 §2.8), and at least one of them is given.
 * Fields: `occasion`, `askedAt`, `answer-<inviteeId>`, `reason-<inviteeId>`.
 */
export function checkConsentRound(
  input: ConsentRoundInput,
  present: readonly PresentPerson[],
): { problems: FieldProblem[]; checked: CheckedConsentRound } {
  const problems: FieldProblem[] = [];
  if (!isConsentOccasion(input.occasion))
    problems.push({ field: 'occasion', message: 'Select why consent is being asked' });
  const minutes = parseClockTime(input.askedAt.trim());
  if (!input.askedAt.trim()) problems.push({ field: 'askedAt', message: 'Enter the time consent was asked' });
  else if (minutes === null)
    problems.push({ field: 'askedAt', message: 'Enter the time consent was asked, like 10:05 or 2pm' });
  if (present.length === 0)
    problems.push({
      field: 'answers',
      message: 'Record who is present on the register first: everyone present is asked',
    });
  const consents: CheckedConsent[] = [];
  for (const person of present) {
    const given = input.answers.find((a) => a.inviteeId === person.inviteeId);
    const answer = given?.answer ?? '';
    const reason = (given?.reason ?? '').trim();
    const further = (given?.furtherAuthorisation ?? '').trim();
    if (answer !== 'agrees' && answer !== 'refuses') {
      problems.push({
        field: `answer-${person.inviteeId}`,
        message: `Select whether ${person.name} agrees to the recording`,
      });
      continue;
    }
    if (answer === 'refuses' && !reason && !further)
      problems.push({
        field: `reason-${person.inviteeId}`,
        message: `Enter why ${person.name} does not agree, or what further authorisation is needed`,
      });
    if (reason.length > NOTE_MAX)
      problems.push({
        field: `reason-${person.inviteeId}`,
        message: `The reason must be ${NOTE_MAX} characters or fewer`,
      });
    if (further.length > NOTE_MAX)
      problems.push({
        field: `authorisation-${person.inviteeId}`,
        message: `The further authorisation must be ${NOTE_MAX} characters or fewer`,
      });
    consents.push({
      inviteeId: person.inviteeId,
      answer,
      reason: answer === 'refuses' && reason ? reason : null,
      furtherAuthorisation: answer === 'refuses' && further ? further : null,
    });
  }
  return {
    problems,
    checked: {
      occasion: input.occasion as ConsentOccasion,
      askedAt: minutes === null ? '' : formatClockTime(minutes),
      consents,
    },
  };
}

export type RoundOutcome = 'agreed' | 'not-agreed';
export const ROUND_OUTCOME_LABELS: Record<RoundOutcome, string> = {
  agreed: 'Everyone present agreed: the family may record from this point',
  'not-agreed': 'Not everyone agreed: the family may not record from this point. The meeting goes ahead',
};

/** P-4: recording may go ahead only when every person asked agreed. */
export function roundOutcome(consents: ReadonlyArray<{ answer: ConsentAnswer }>): RoundOutcome {
  return consents.length > 0 && consents.every((c) => c.answer === 'agrees') ? 'agreed' : 'not-agreed';
}

// ------------------------------------------------------------------ prompting the chair (P-4, P-5)

export interface RequestOnTheDay {
  /** `permission:<id>` for a request made beforehand, `meeting:<id>` for one made during the meeting. */
  key: string;
  requesterName: string;
  madeDuringMeeting: boolean;
}

export interface RoundSoFar {
  requestKey: string;
  askedAt: string;
  createdAt: Date;
  inviteeIds: readonly string[];
}

export interface PresentOnRegister extends PresentPerson {
  /** Arrived on the day, or recorded as joining late in a part (the register's arrivals). */
  joined: boolean;
}

export type ConsentPrompt =
  | { kind: 'before-discussion'; requestKey: string; requesterName: string }
  | { kind: 'new-request'; requestKey: string; requesterName: string }
  | { kind: 'joined'; requestKey: string; requesterName: string; people: PresentPerson[] };

/**
 * What the chair must do before the meeting goes on: ask everyone before any discussion when a request has not yet
 * been put to them (P-4); ask again when a request was made during the meeting (P-5); and ask again when someone
 * present was not asked in the latest round for a request, because they joined since (P-5). A prompt stays until
 * that person's consent or refusal is recorded. `rounds` are in the order they were recorded.
 */
export function consentPrompts(
  requests: readonly RequestOnTheDay[],
  rounds: readonly RoundSoFar[],
  present: readonly PresentOnRegister[],
): ConsentPrompt[] {
  const prompts: ConsentPrompt[] = [];
  for (const r of requests) {
    const latest = rounds.filter((x) => x.requestKey === r.key).at(-1);
    if (!latest) {
      prompts.push({
        kind: r.madeDuringMeeting ? 'new-request' : 'before-discussion',
        requestKey: r.key,
        requesterName: r.requesterName,
      });
      continue;
    }
    const asked = new Set(latest.inviteeIds);
    const notAsked = present.filter((p) => !asked.has(p.inviteeId));
    if (notAsked.length > 0)
      prompts.push({
        kind: 'joined',
        requestKey: r.key,
        requesterName: r.requesterName,
        people: notAsked.map((p) => ({ inviteeId: p.inviteeId, name: p.name })),
      });
  }
  return prompts;
}

/** The prompt in plain words, for the register and the conference page. */
export function promptText(p: ConsentPrompt): string {
  switch (p.kind) {
    case 'before-discussion':
      return `${p.requesterName} has asked to record the meeting. Before any discussion, ask everyone present whether they agree, and record each answer.`;
    case 'new-request':
      return `${p.requesterName} asked to record during the meeting. Stop the meeting and ask everyone present whether they agree before going on.`;
    case 'joined':
      return `${p.people.map((x) => x.name).join(', ')} joined after consent to ${p.requesterName}’s recording was asked. Stop the meeting and ask everyone present again before going on.`;
  }
}

// ------------------------------------------------------------------ a request made during the meeting (P-1, P-5)

export interface MeetingRequestInput {
  requesterInviteeId: string;
  askedAt: string;
  purpose: string;
  limitsAccepted: boolean;
}

/** Who on the register may ask (P-1): the child, or a family member with parental responsibility for a child. */
export interface RegisterRequester {
  inviteeId: string;
  name: string;
  kind: string;
  parentalResponsibility: boolean;
}

export function mayAskToRecord(p: RegisterRequester): boolean {
  return p.kind === 'child' || (p.kind === 'family-member' && p.parentalResponsibility);
}

export const NOT_ELIGIBLE_MESSAGE =
  'Only a child or young person the meeting is about, or a parent with parental responsibility for a child discussed, may ask to record it. Tell them why, and go on without recording.';

/**
 * P-1, P-5, P-7: the problems with a request made during the meeting. The requester is someone present who may
 * ask, and accepts the limits on the recording before anyone is asked.
 */
export function checkMeetingRequest(
  input: MeetingRequestInput,
  present: readonly RegisterRequester[],
): { problems: FieldProblem[]; askedAt: string; purpose: string } {
  const problems: FieldProblem[] = [];
  const who = present.find((p) => p.inviteeId === input.requesterInviteeId);
  if (!who) problems.push({ field: 'requester', message: 'Select who asked to record, from those present' });
  else if (!mayAskToRecord(who)) problems.push({ field: 'requester', message: NOT_ELIGIBLE_MESSAGE });
  const minutes = parseClockTime(input.askedAt.trim());
  if (!input.askedAt.trim()) problems.push({ field: 'askedAt', message: 'Enter the time they asked' });
  else if (minutes === null)
    problems.push({ field: 'askedAt', message: 'Enter the time they asked, like 10:40 or 2pm' });
  const purpose = input.purpose.trim();
  if (!purpose) problems.push({ field: 'purpose', message: 'Enter why they want to record the meeting' });
  else if (purpose.length > NOTE_MAX)
    problems.push({ field: 'purpose', message: `Why they want to record it must be ${NOTE_MAX} characters or fewer` });
  if (!input.limitsAccepted)
    problems.push({
      field: 'limitsAccepted',
      message: 'Confirm they accepted the limits on the recording before anyone is asked',
    });
  return { problems, askedAt: minutes === null ? '' : formatClockTime(minutes), purpose };
}

// ------------------------------------------------------------------ the family's copy

/** A copy of the family's recording handed over on request (P-7): at most 200 MB. */
export const MAX_FAMILY_COPY_BYTES = 200 * 1024 * 1024;

export const FAMILY_COPY_FORMATS = ['mp3', 'm4a', 'wav', 'ogg', 'webm', 'amr'] as const;
export type FamilyCopyFormat = (typeof FAMILY_COPY_FORMATS)[number];
export const FAMILY_COPY_MEDIA_TYPES: Record<FamilyCopyFormat, string> = {
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  webm: 'audio/webm',
  amr: 'audio/amr',
};

/** What an uploaded recording is, from its first bytes (never its name or the browser's claim). */
export function detectFamilyCopyFormat(b: Uint8Array): FamilyCopyFormat | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 3 && ascii(0, 3) === 'ID3') return 'mp3';
  if (b.length >= 2 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0) return 'mp3';
  if (b.length >= 8 && ascii(4, 8) === 'ftyp') return 'm4a';
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (b.length >= 4 && ascii(0, 4) === 'OggS') return 'ogg';
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'webm';
  if (b.length >= 5 && ascii(0, 5) === '#!AMR') return 'amr';
  return null;
}

export interface FamilyCopyInput {
  requestKey: string;
  handedOverOn: string;
  handedOverBy: string;
}

/** The problems with the details of a copy handed over (P-7); `today` bounds the date. */
export function checkFamilyCopy(
  input: FamilyCopyInput,
  requestKeys: readonly string[],
  today: string,
  isDate: (v: string) => boolean,
): { problems: FieldProblem[]; handedOverBy: string } {
  const problems: FieldProblem[] = [];
  if (!requestKeys.includes(input.requestKey))
    problems.push({ field: 'request', message: 'Select whose recording this is a copy of' });
  if (!isDate(input.handedOverOn))
    problems.push({ field: 'handedOverOn', message: 'Enter the date the copy was handed over' });
  else if (input.handedOverOn > today)
    problems.push({ field: 'handedOverOn', message: 'The date the copy was handed over must be today or in the past' });
  const by = input.handedOverBy.trim();
  if (!by) problems.push({ field: 'handedOverBy', message: 'Enter who handed the copy over' });
  else if (by.length > 200)
    problems.push({ field: 'handedOverBy', message: 'Who handed it over must be 200 characters or fewer' });
  return { problems, handedOverBy: by };
}

/** P-7: the limits on a permitted recording, as the requester accepted them. */
export const RECORDING_LIMITS: readonly string[] = [
  'The recording may be used only for matters about the family’s involvement with children’s services.',
  'A copy must be given to the chair of the meeting, or anyone who attended it, if they ask for one.',
  'The recording must not be shared on social media, online or in any other public place.',
];
