import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../calendar/index.ts';
import { computedCalendar } from '../calendar/test-support.ts';
import { DEFAULT_TIMESCALE_SETTINGS } from '../calendar/index.ts';
import { InvalidDetailsError } from '../shared/errors.ts';
import {
  birthdayReviewWarning,
  eighteenthBirthday,
  receivingConferenceDeadline,
  receivingConferenceOverdue,
  transferComplete,
  validateEnding,
  validateStepDown,
  validateTransferProgress,
} from './index.ts';

const d = (s: string) => s as IsoDate;
const fields = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidDetailsError) return e.problems.map((p) => p.field);
    throw e;
  }
  return [];
};

describe('plan endings: the rules', () => {
  it('002 §3.8: an outline child in need plan needs no first meeting date; a team around the child plan does', () => {
    expect(
      validateStepDown(
        { kind: 'child-in-need', leadProfessional: ' Sam ', services: 'Support', firstMeetingDate: d('2020-01-01') },
        { conferenceDate: d('2026-03-02') },
      ),
    ).toEqual({ kind: 'child-in-need', leadProfessional: 'Sam', services: 'Support', firstMeetingDate: null });
    expect(
      fields(() =>
        validateStepDown(
          { kind: 'team-around-the-child', leadProfessional: 'Sam', services: 'Support', firstMeetingDate: null },
          { conferenceDate: d('2026-03-02') },
        ),
      ),
    ).toEqual(['firstMeetingDate']);
    expect(
      fields(() =>
        validateStepDown(
          { kind: 'other', leadProfessional: '', services: '', firstMeetingDate: null },
          { conferenceDate: d('2026-03-02') },
        ),
      ),
    ).toEqual(['kind', 'leadProfessional', 'services']);
  });

  const facts = {
    today: d('2026-03-25'),
    planConferenceDate: d('2026-03-02'),
    dateOfBirth: d('2008-04-20'),
    seniorManagerIds: new Set(['tm']),
  };
  const base = {
    reason: 'died',
    endedOn: d('2026-03-20'),
    details: null,
    lookedAfterCriterion: null,
    modToldOn: null,
    modResourcesConfirmed: false,
    authorisedByUserId: 'tm',
    authorisedOn: d('2026-03-21'),
  };

  it('002 §3.9: only a conference decides a plan is no longer needed: that is not a reason recorded with authority', () => {
    expect(fields(() => validateEnding({ ...base, reason: 'conference' }, facts))).toEqual(['reason']);
    expect(fields(() => validateEnding({ ...base, reason: 'moved-to-another-authority' }, facts))).toEqual(['reason']);
  });

  it('002 §3.9: a senior manager from the list authorises it, on a date not in the future; the end is not before the plan', () => {
    expect(
      fields(() =>
        validateEnding(
          { ...base, authorisedByUserId: 'sw', authorisedOn: d('2026-03-26'), endedOn: d('2026-03-01') },
          facts,
        ),
      ),
    ).toEqual(['endedOn', 'authorisedByUserId', 'authorisedOn']);
  });

  it('002 §3.9: reaching 18 only on or after the 18th birthday; 29 February turns 18 on 1 March in a common year', () => {
    expect(fields(() => validateEnding({ ...base, reason: 'reached-18', endedOn: d('2026-03-20') }, facts))).toEqual([
      'endedOn',
    ]);
    expect(eighteenthBirthday(d('2008-02-29'))).toBe('2026-03-01');
    expect(eighteenthBirthday(d('2010-02-29'))).toBe('2028-02-29');
  });

  it('002 §3.9: looked after needs one of the three criteria; posted overseas needs the MOD board told and resources confirmed', () => {
    expect(
      fields(() => validateEnding({ ...base, reason: 'looked-after', lookedAfterCriterion: 'other' }, facts)),
    ).toEqual(['lookedAfterCriterion']);
    expect(
      validateEnding({ ...base, reason: 'looked-after', lookedAfterCriterion: 'section-20' }, facts)
        .lookedAfterCriterion,
    ).toBe('section-20');
    expect(fields(() => validateEnding({ ...base, reason: 'armed-services-overseas' }, facts))).toEqual([
      'modToldOn',
      'modResourcesConfirmed',
    ]);
  });

  it('002 §3.9: warns when the 18th birthday comes before or near the next review and no review is around it', () => {
    expect(
      birthdayReviewWarning({ dateOfBirth: d('2008-04-20'), today: d('2026-03-25'), nextReviewDate: d('2026-06-02') }),
    ).toContain('20 April 2026');
    expect(
      birthdayReviewWarning({ dateOfBirth: d('2008-04-20'), today: d('2026-03-25'), nextReviewDate: d('2026-04-14') }),
    ).toBeNull();
    expect(
      birthdayReviewWarning({ dateOfBirth: d('2013-05-10'), today: d('2026-03-25'), nextReviewDate: d('2026-06-02') }),
    ).toBeNull();
  });

  it('T-4: the receiving conference is due 15 working days from the notice, overdue after; the plan ends only when held and confirmed', () => {
    const due = receivingConferenceDeadline(d('2026-03-09'), computedCalendar, DEFAULT_TIMESCALE_SETTINGS);
    expect(due.due).toBe('2026-03-30');
    expect(receivingConferenceOverdue({ receivingConferenceOn: null, conferenceDue: due.due }, d('2026-03-30'))).toBe(
      false,
    );
    expect(receivingConferenceOverdue({ receivingConferenceOn: null, conferenceDue: due.due }, d('2026-03-31'))).toBe(
      true,
    );
    expect(transferComplete({ receivingConferenceOn: d('2026-03-20'), confirmationReceivedOn: null })).toBe(false);
    expect(transferComplete({ receivingConferenceOn: d('2026-03-20'), confirmationReceivedOn: d('2026-03-23') })).toBe(
      true,
    );
    expect(
      fields(() =>
        validateTransferProgress(
          { receivingConferenceOn: d('2026-03-20'), confirmationReceivedOn: d('2026-03-19') },
          { today: d('2026-03-25'), noticeOn: d('2026-03-09') },
        ),
      ),
    ).toEqual(['confirmationReceivedOn']);
  });
});
