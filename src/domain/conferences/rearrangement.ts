/**
 * A conference's life after it is convened: its date, time or venue changed before it is held, its
 * cancellation, or its being recorded after it was held without being booked in advance.
 *
 * Design decisions:
 * - Only a planned conference can be rearranged or cancelled: once it is opened it is happening, and
 *   once held, adjourned or cancelled it is part of the record (held decisions change by new versions).
 * - A change is kept as "what changed, from what to what" in plain words, with who, when and why.
 *   The new date is checked against the statutory timescale exactly as at convening (T-1 … T-4).
 * - A cancellation notice says the conference will not go ahead and who to contact; it never gives the
 *   reason, which may be about one family member and is kept on the record instead.
 * - How an invitation left the service is derived from the outbox message's delivery state for email,
 *   and from the posting record for letters.
 */
import {
  type IsoDate,
  type TimescaleSettings,
  addDays,
  compareIsoDates,
  formatLongDate,
  weekdayName,
} from '../calendar/index.ts';
import { DomainError, InvalidDetailsError } from '../shared/errors.ts';
import { CONFERENCE_TYPE_LABELS, type ConferenceType } from './decisions.ts';
import { VENUE_KIND_LABELS, type VenueKind, formatClockTime, formatDuration } from './invitations.ts';
import type { ConferenceStatus } from './lifecycle.ts';

export const CHANGE_KINDS = ['rearranged', 'cancelled', 'recorded-afterwards', 'chair-changed'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_KIND_LABELS: Record<ChangeKind, string> = {
  rearranged: 'Date, time or venue changed',
  cancelled: 'Cancelled',
  'recorded-afterwards': 'Recorded after it was held',
  'chair-changed': 'Chair changed',
};

/** The longest reason accepted for a change, a cancellation or a late record. */
export const MAX_REASON_LENGTH = 1000;

/** The arrangements that can be changed before a conference is held. */
export interface Arrangements {
  scheduledDate: IsoDate;
  startTime: string;
  durationMinutes: number;
  venueKind: VenueKind;
  venueDetails: string | null;
  onlineLink: string | null;
}

/** One changed arrangement, in words, for the record and the email. */
export interface ArrangementChange {
  /** An arrangement, or `chair` (002 §4.1: the chair changed on its own page). */
  field: keyof Arrangements | 'chair';
  label: string;
  from: string;
  to: string;
}

const LABELS: Record<keyof Arrangements, string> = {
  scheduledDate: 'Date',
  startTime: 'Start time',
  durationMinutes: 'Expected length',
  venueKind: 'How people take part',
  venueDetails: 'Address and room',
  onlineLink: 'Microsoft Teams link',
};

function words(field: keyof Arrangements, a: Arrangements): string {
  switch (field) {
    case 'scheduledDate':
      return `${weekdayName(a.scheduledDate)} ${formatLongDate(a.scheduledDate)}`;
    case 'startTime':
      return formatClockTime(a.startTime);
    case 'durationMinutes':
      return formatDuration(a.durationMinutes);
    case 'venueKind':
      return VENUE_KIND_LABELS[a.venueKind];
    case 'venueDetails':
      return a.venueDetails
        ? a.venueDetails
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean)
            .join(', ')
        : 'None';
    case 'onlineLink':
      return a.onlineLink ?? 'None';
  }
}

/** What differs between the arrangements before and after, in the order a person reads them. */
export function arrangementChanges(before: Arrangements, after: Arrangements): ArrangementChange[] {
  const fields = Object.keys(LABELS) as Array<keyof Arrangements>;
  return fields
    .filter((f) => (before[f] ?? null) !== (after[f] ?? null))
    .map((f) => ({ field: f, label: LABELS[f], from: words(f, before), to: words(f, after) }));
}

/** 002 §4.1: a new chair, in words, for the record of changes and the email to everyone invited. */
export function chairChange(from: string | null, to: string): ArrangementChange {
  return { field: 'chair', label: 'Chair', from: from ?? 'not chosen', to };
}

/** "Date: from Monday 16 March 2026 to Wednesday 18 March 2026" lines, for the email and the record. */
export function describeChanges(changes: readonly ArrangementChange[]): string[] {
  return changes.map((c) => `${c.label}: was ${c.from}, now ${c.to}`);
}

/** Only a planned conference can be rearranged or cancelled; the message says why not. */
export function assertPlanned(status: ConferenceStatus, action: 'rearrange' | 'cancel'): void {
  if (status === 'planned') return;
  const what =
    action === 'rearrange' ? 'its date, time or venue can no longer be changed' : 'it can no longer be cancelled';
  const why: Record<Exclude<ConferenceStatus, 'planned'>, string> = {
    'in-progress': 'This conference has started',
    held: 'This conference has been held',
    'adjourned-inquorate': 'This conference was adjourned as not quorate',
    cancelled: 'This conference has been cancelled',
  };
  throw new DomainError(action === 'rearrange' ? 'NOT_REARRANGEABLE' : 'NOT_CANCELLABLE', `${why[status]}: ${what}`);
}

/** A reason a person must give: required, at most 1,000 characters. Returns it trimmed. */
export function checkReason(value: string | null | undefined, field: string, missing: string): string {
  const reason = (value ?? '').trim();
  if (!reason) throw new InvalidDetailsError([{ field, message: missing }]);
  if (reason.length > MAX_REASON_LENGTH)
    throw new InvalidDetailsError([
      { field, message: `The reason must be ${MAX_REASON_LENGTH.toLocaleString('en-GB')} characters or fewer` },
    ]);
  return reason;
}

// ------------------------------------------------------------------ the cancellation notice

export interface CancellationFacts {
  councilName: string;
  issuedOn: IsoDate;
  type: ConferenceType;
  scheduledDate: IsoDate;
  startTime: string;
  childGivenNames: readonly string[];
  recipientName: string;
  contact: { name: string; email: string | null } | null;
}

export interface CancellationNotice {
  /** No names in the subject: subjects show in previews, notifications and mail logs. */
  subject: string;
  /** The notice as plain text: the letter, and what the email carries. */
  body: string;
}

function listOfNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The words that tell a contact how to reach business support. */
export function contactLine(contact: { name: string; email: string | null } | null): string {
  return contact ? `${contact.name}${contact.email ? ` at ${contact.email}` : ''}` : 'conference business support';
}

/** The notice an invitee is given when a conference is cancelled (never with the reason). */
export function buildCancellationNotice(f: CancellationFacts): CancellationNotice {
  const when = `${weekdayName(f.scheduledDate)} ${formatLongDate(f.scheduledDate)} at ${formatClockTime(f.startTime)}`;
  const what = CONFERENCE_TYPE_LABELS[f.type].toLowerCase();
  const body = [
    formatLongDate(f.issuedOn),
    '',
    `Dear ${f.recipientName},`,
    '',
    `The ${what} about ${listOfNames(f.childGivenNames)} on ${when} has been cancelled. It will not take place, so please do not come.`,
    '',
    'If a new date is arranged, you will be sent a new invitation.',
    '',
    `If you have any questions, please contact ${contactLine(f.contact)}.`,
    '',
    'Yours sincerely,',
    'Conference business support',
    f.councilName,
  ].join('\n');
  return { subject: `Child protection conference on ${when} cancelled`, body };
}

// ------------------------------------------------------------------ after a cancellation

/** The statuses in which the children have had, or will have, a conference. */
export const COUNTS_AS_HELD_OR_PLANNED: readonly ConferenceStatus[] = [
  'planned',
  'in-progress',
  'held',
  'adjourned-inquorate',
];

/** A conference and its children, as far as the replacement rule needs. */
export interface ConferenceForChildren {
  id: string;
  type: ConferenceType;
  status: ConferenceStatus;
  scheduledDate: IsoDate;
  childIds: readonly string[];
}

/**
 * The first date a replacement may be held on and still meet the cancelled conference's timescale:
 * the date the timescale runs from (T-1 strategy discussion, T-3 previous conference, T-4 notice of
 * the move); for a pre-birth conference (T-2), counted from the expected date of delivery but held
 * before it, the start of the pregnancy.
 */
export function replacementFrom(
  type: ConferenceType,
  from: IsoDate,
  settings: Pick<TimescaleSettings, 'pregnancyLengthDays'>,
): IsoDate {
  return type === 'pre-birth' ? addDays(from, -settings.pregnancyLengthDays) : from;
}

/**
 * T-1 … T-4 after a cancellation: the children still need a conference of the cancelled one's type
 * until another one (not cancelled) is convened for every one of them on or after `since`
 * (see replacementFrom). Used by the conference page, the child's list of conferences and the dashboards.
 */
export function cancelledConferenceReplaced(
  cancelled: ConferenceForChildren,
  since: IsoDate,
  others: readonly ConferenceForChildren[],
): boolean {
  return others.some(
    (o) =>
      o.id !== cancelled.id &&
      o.type === cancelled.type &&
      COUNTS_AS_HELD_OR_PLANNED.includes(o.status) &&
      cancelled.childIds.every((k) => o.childIds.includes(k)) &&
      compareIsoDates(o.scheduledDate, since) >= 0,
  );
}

/** The kind of case note written on each child's record when their conference is cancelled. */
export const CANCELLED_CASE_NOTE_KIND = 'conference-cancelled';

/**
 * The case note written on each child's record when their conference is cancelled: which conference,
 * why, and by when a new one is needed (the timescale still runs, T-1 … T-4) or that another is
 * already arranged. Case notes are read only by staff with access to the child's record, never by
 * the family, so the reason (staff-only, kept off the notices) is included.
 */
export function cancellationCaseNote(f: {
  type: ConferenceType;
  scheduledDate: IsoDate;
  reason: string;
  neededBy: IsoDate | null;
}): string {
  const what = CONFERENCE_TYPE_LABELS[f.type].toLowerCase();
  const next = f.neededBy
    ? `A new ${what} is needed by ${weekdayName(f.neededBy)} ${formatLongDate(f.neededBy)}.`
    : `Another ${what} is already arranged.`;
  return `The ${what} of ${weekdayName(f.scheduledDate)} ${formatLongDate(f.scheduledDate)} was cancelled. Reason: ${f.reason}\n${next}`;
}

// ------------------------------------------------------------------ how an invitation or notice went

/** Where one invitee's latest invitation (or cancellation notice) stands. */
export type SendingState = 'not-sent' | 'queued' | 'sent' | 'failed' | 'to-post' | 'posted' | 'recorded';

export const SENDING_STATE_LABELS: Record<SendingState, string> = {
  'not-sent': 'Not sent',
  queued: 'Email queued',
  sent: 'Email sent',
  failed: 'Email failed',
  'to-post': 'To post',
  posted: 'Posted',
  recorded: 'Recorded as sent',
};

/** The outbox's delivery state as a person reads it: queued, sent (or kept in the outbox) or failed. */
export function emailState(outboxState: string): 'queued' | 'sent' | 'failed' {
  if (outboxState === 'sent' || outboxState === 'kept') return 'sent';
  if (outboxState === 'failed' || outboxState === 'rejected') return 'failed';
  return 'queued';
}
