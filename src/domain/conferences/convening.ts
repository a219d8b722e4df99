import {
  type Deadline,
  type IsoDate,
  type RuleName,
  type StatutoryCalendar,
  type TimescaleSettings,
  compareIsoDates,
  computeDeadline,
  DEFAULT_TIMESCALE_SETTINGS,
  formatLongDate,
} from '../calendar/index.ts';
import { DomainError } from '../shared/errors.ts';
import type { ConferenceType } from './decisions.ts';

/** The date each type of conference is timed from, and the rule that times it. */
export interface ConveningFacts {
  type: ConferenceType;
  /** Initial: the strategy discussion at which the section 47 enquiry began (T-1). */
  strategyDiscussionDate?: IsoDate | null;
  /** Pre-birth: the expected date of delivery (T-2). */
  expectedDeliveryDate?: IsoDate | null;
  /** Pre-birth: a premature birth is likely, so the T-2 window ends earlier (002 §1.3). */
  prematureBirthLikely?: boolean;
  /** Review: the conference being reviewed (T-3). */
  previousConference?: { date: IsoDate; type: ConferenceType } | null;
  /** Transfer-in: when notice of the move was received (T-4). */
  noticeOfMoveDate?: IsoDate | null;
}

export interface ConveningInput extends ConveningFacts {
  scheduledDate: IsoDate;
  /** A senior manager who agreed a date outside the timescale, and why (T-1, 002 §1.2). */
  lateAgreedBy?: string | null;
  lateReason?: string | null;
}

export interface ConveningAssessment {
  deadline: Deadline;
  withinTimescale: boolean;
  /** Why the date is outside the timescale, in plain English; null when within it. */
  outsideTimescale: string | null;
}

function startFact(f: ConveningFacts): { rule: RuleName; from: IsoDate; field: string } {
  switch (f.type) {
    case 'initial':
      if (!f.strategyDiscussionDate) {
        throw new DomainError(
          'STRATEGY_DATE_REQUIRED',
          'Enter the date of the strategy discussion that started the section 47 enquiry',
          'strategyDiscussionDate',
        );
      }
      return { rule: 'initial-conference', from: f.strategyDiscussionDate, field: 'strategyDiscussionDate' };
    case 'pre-birth':
      if (!f.expectedDeliveryDate) {
        throw new DomainError('EDD_REQUIRED', 'Enter the expected date of delivery', 'expectedDeliveryDate');
      }
      return { rule: 'pre-birth-conference', from: f.expectedDeliveryDate, field: 'expectedDeliveryDate' };
    case 'review':
      if (!f.previousConference) {
        throw new DomainError(
          'PREVIOUS_CONFERENCE_REQUIRED',
          'Select the conference this review follows',
          'previousConferenceId',
        );
      }
      // T-3: the first review follows an initial (or pre-birth, or transfer-in) conference within 90 days.
      return {
        rule: f.previousConference.type === 'review' ? 'next-review' : 'first-review',
        from: f.previousConference.date,
        field: 'previousConferenceId',
      };
    case 'transfer-in':
      if (!f.noticeOfMoveDate) {
        throw new DomainError(
          'NOTICE_DATE_REQUIRED',
          'Enter the date you were told the family had moved here',
          'noticeOfMoveDate',
        );
      }
      return { rule: 'transfer-in-conference', from: f.noticeOfMoveDate, field: 'noticeOfMoveDate' };
  }
}

/** The statutory due date (or window) for a conference before a date is chosen. */
export function conveningDeadline(
  f: ConveningFacts,
  cal: StatutoryCalendar,
  settings: TimescaleSettings = DEFAULT_TIMESCALE_SETTINGS,
): Deadline {
  const { rule, from } = startFact(f);
  return computeDeadline(rule, from, cal, settings, { prematureBirthLikely: f.prematureBirthLikely === true });
}

/**
 * Checks a proposed date against the type's timescale. A date outside it needs the senior manager
 * who agreed it and the reason (T-1, 002 §1.2), which later appear in the record.
 */
export function assessConvening(
  input: ConveningInput,
  cal: StatutoryCalendar,
  settings: TimescaleSettings = DEFAULT_TIMESCALE_SETTINGS,
): ConveningAssessment {
  const start = startFact(input);
  const deadline = computeDeadline(start.rule, start.from, cal, settings, {
    prematureBirthLikely: input.prematureBirthLikely === true,
  });
  if (input.type !== 'pre-birth' && compareIsoDates(input.scheduledDate, start.from) < 0) {
    const what = {
      initial: 'the strategy discussion',
      review: 'the conference it reviews',
      'transfer-in': 'notice of the move',
      'pre-birth': '',
    }[input.type];
    throw new DomainError(
      'DATE_BEFORE_START',
      `The conference date must be on or after the date of ${what} (${formatLongDate(start.from)})`,
      'scheduledDate',
    );
  }
  if (input.type === 'pre-birth' && compareIsoDates(input.scheduledDate, input.expectedDeliveryDate!) >= 0) {
    throw new DomainError(
      'PRE_BIRTH_AFTER_DELIVERY',
      'A pre-birth conference must be before the expected date of delivery',
      'scheduledDate',
    );
  }
  let outside: string | null = null;
  if (deadline.earliest && compareIsoDates(input.scheduledDate, deadline.earliest) < 0) {
    outside = `The date is before the earliest recommended date, ${formatLongDate(deadline.earliest)}.`;
  } else if (compareIsoDates(input.scheduledDate, deadline.latest ?? deadline.due) > 0) {
    outside = `The date is after the due date, ${formatLongDate(deadline.latest ?? deadline.due)}.`;
  }
  if (outside) {
    if (!input.lateAgreedBy?.trim()) {
      throw new DomainError(
        'LATE_AGREEMENT_REQUIRED',
        `${outside} Enter the senior manager who agreed this date`,
        'lateAgreedBy',
      );
    }
    if (!input.lateReason?.trim()) {
      throw new DomainError(
        'LATE_REASON_REQUIRED',
        `${outside} Enter the reason the conference cannot be held in time`,
        'lateReason',
      );
    }
  }
  return { deadline, withinTimescale: outside === null, outsideTimescale: outside };
}
