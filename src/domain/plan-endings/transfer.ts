/**
 * 002 §3.9, T-4: a child and family moving permanently to another authority. The receiving authority holds its
 * conference within 15 working days of being told of the move; the plan here continues until that conference
 * has been held and written confirmation has been received, and then ends. Pure.
 */
import {
  type Deadline,
  type IsoDate,
  type StatutoryCalendar,
  type TimescaleSettings,
  compareIsoDates,
  computeDeadline,
  formatLongDate,
} from '../calendar/index.ts';
import { requiredText } from '../people/errors.ts';
import { ProblemList } from '../shared/errors.ts';

export interface TransferInput {
  authorityName: string | null | undefined;
  contactEmail: string | null | undefined;
  noticeOn: IsoDate | null | undefined;
}

export interface CheckedTransfer {
  authorityName: string;
  contactEmail: string;
  noticeOn: IsoDate;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The move: the receiving authority, its contact's email for the transfer pack, and the date notice was given. */
export function validateTransfer(
  input: TransferInput,
  f: { today: IsoDate; planConferenceDate: IsoDate },
): CheckedTransfer {
  const p = new ProblemList();
  const authorityName = requiredText(
    p,
    'authorityName',
    input.authorityName,
    'Enter the name of the authority the family has moved to',
    200,
    'The authority’s name must be 200 characters or fewer',
  );
  const contactEmail = (input.contactEmail ?? '').trim();
  if (!contactEmail) p.add('contactEmail', 'Enter the email address of the receiving authority’s contact');
  else if (contactEmail.length > 254 || !EMAIL.test(contactEmail))
    p.add('contactEmail', 'Enter an email address in the correct format, like name@example.gov.uk');
  const noticeOn = input.noticeOn ?? null;
  if (!noticeOn) p.add('noticeOn', 'Enter the date the receiving authority was told of the move');
  else if (compareIsoDates(noticeOn, f.today) > 0) p.add('noticeOn', 'The date cannot be in the future');
  else if (compareIsoDates(noticeOn, f.planConferenceDate) < 0)
    p.add('noticeOn', `The date cannot be before the conference on ${formatLongDate(f.planConferenceDate)}`);
  p.throwIfAny();
  return { authorityName, contactEmail, noticeOn: noticeOn! };
}

/** T-4: the receiving authority's conference is due within the working days set, counted from the notice. */
export function receivingConferenceDeadline(
  noticeOn: IsoDate,
  calendar: StatutoryCalendar,
  settings: TimescaleSettings,
): Deadline {
  return computeDeadline('transfer-in-conference', noticeOn, calendar, settings);
}

export interface TransferProgressInput {
  receivingConferenceOn: IsoDate | null | undefined;
  confirmationReceivedOn: IsoDate | null | undefined;
}

/** The receiving authority's conference and its written confirmation: either may be recorded first; neither later than today. */
export function validateTransferProgress(
  input: TransferProgressInput,
  f: { today: IsoDate; noticeOn: IsoDate },
): { receivingConferenceOn: IsoDate | null; confirmationReceivedOn: IsoDate | null } {
  const p = new ProblemList();
  const held = input.receivingConferenceOn ?? null;
  const confirmed = input.confirmationReceivedOn ?? null;
  if (!held && !confirmed)
    p.add(
      'receivingConferenceOn',
      'Enter the date of the receiving authority’s conference, or the date its written confirmation arrived',
    );
  if (held && compareIsoDates(held, f.today) > 0) p.add('receivingConferenceOn', 'The date cannot be in the future');
  else if (held && compareIsoDates(held, f.noticeOn) < 0)
    p.add(
      'receivingConferenceOn',
      `The conference cannot be before the notice of the move on ${formatLongDate(f.noticeOn)}`,
    );
  if (confirmed && compareIsoDates(confirmed, f.today) > 0)
    p.add('confirmationReceivedOn', 'The date cannot be in the future');
  else if (confirmed && held && compareIsoDates(confirmed, held) < 0)
    p.add(
      'confirmationReceivedOn',
      'The written confirmation cannot arrive before the receiving authority’s conference',
    );
  p.throwIfAny();
  return { receivingConferenceOn: held, confirmationReceivedOn: confirmed };
}

/** 002 §3.9: the plan here ends only once the receiving conference is held and confirmed in writing. */
export function transferComplete(t: { receivingConferenceOn: IsoDate | null; confirmationReceivedOn: IsoDate | null }) {
  return t.receivingConferenceOn !== null && t.confirmationReceivedOn !== null;
}

/** T-4: overdue when no receiving conference is recorded and its due date has passed. */
export function receivingConferenceOverdue(
  t: { receivingConferenceOn: IsoDate | null; conferenceDue: IsoDate },
  today: IsoDate,
): boolean {
  return t.receivingConferenceOn === null && compareIsoDates(today, t.conferenceDue) > 0;
}
