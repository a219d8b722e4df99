import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMESCALE_SETTINGS, resolveTimescaleSettings } from '../calendar/index.ts';
import { computedCalendar as calendar, d } from '../calendar/test-support.ts';
import { InvalidDetailsError } from '../shared/errors.ts';
import { interpretersNotBooked, interpretersNotBookedText } from '../conferences/interpreters.ts';
import {
  coreGroupDue,
  leadSocialWorkerOutstanding,
  mayChairCoreGroup,
  validateRecord,
  validateSchedule,
} from './core-groups.ts';

const problems = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidDetailsError) return e.problems.map((p) => p.field);
    throw e;
  }
  return [];
};

describe('core groups: when the next meeting is due (002 §3.7)', () => {
  const conference = { conferenceDate: d('2026-03-02'), lastHeld: null, nextScheduled: null };

  it('002 §3.7: with no date in the plan the first falls due 10 working days after the conference (a setting)', () => {
    const due = coreGroupDue(
      { ...conference, firstCoreGroupDate: null },
      d('2026-03-10'),
      calendar,
      DEFAULT_TIMESCALE_SETTINGS,
    );
    expect(due).toMatchObject({ which: 'first', due: '2026-03-16', status: 'due-soon', firstDateAfterLimit: false });
    const five = resolveTimescaleSettings({ coreGroupFirstWorkingDays: 5 });
    expect(coreGroupDue({ ...conference, firstCoreGroupDate: null }, d('2026-03-10'), calendar, five).due).toBe(
      '2026-03-09',
    );
  });

  it('002 §3.7: the date the conference set for the first core group is when it is due, flagged when past the limit', () => {
    const due = coreGroupDue(
      { ...conference, firstCoreGroupDate: d('2026-03-20') },
      d('2026-03-03'),
      calendar,
      DEFAULT_TIMESCALE_SETTINGS,
    );
    expect(due).toMatchObject({ which: 'first', due: '2026-03-20', status: 'on-track', firstDateAfterLimit: true });
  });

  it('002 §3.7: after a meeting is held the next falls due 6 weeks later; past it, overdue; a meeting booked in time is said so', () => {
    const facts = { ...conference, firstCoreGroupDate: d('2026-03-12'), lastHeld: d('2026-03-12') };
    expect(coreGroupDue(facts, d('2026-04-24'), calendar, DEFAULT_TIMESCALE_SETTINGS)).toMatchObject({
      which: 'next',
      due: '2026-04-23',
      status: 'overdue',
      scheduledInTime: false,
    });
    expect(
      coreGroupDue({ ...facts, nextScheduled: d('2026-04-20') }, d('2026-04-01'), calendar, DEFAULT_TIMESCALE_SETTINGS),
    ).toMatchObject({ status: 'on-track', scheduledInTime: true });
  });
});

describe('core groups: scheduling and recording (002 §3.10, §3.11)', () => {
  it('002 §3.10: only a social worker or a manager chairs a core group', () => {
    expect(mayChairCoreGroup(['team_manager'])).toBe(true);
    expect(mayChairCoreGroup(['chair', 'business_support'])).toBe(false);
    expect(
      problems(() =>
        validateSchedule(
          { date: d('2026-03-01'), chairUserId: 'x' },
          { conferenceDate: d('2026-03-02'), chairChoices: new Set(['y']) },
        ),
      ),
    ).toEqual(['date', 'chairUserId']);
  });

  it('002 §3.11: every member and every action is answered; not done needs a note; a change needs a reason', () => {
    const facts = {
      meetingDate: d('2026-03-12'),
      today: d('2026-03-12'),
      memberIds: ['a', 'b'],
      actionOrdinals: [1, 2],
      recordedBefore: true,
    };
    expect(
      problems(() =>
        validateRecord(
          { attendance: { a: 'attended' }, progress: [{ ordinal: 1, progress: 'not-done', note: '' }], notes: '' },
          facts,
        ),
      ),
    ).toEqual(['attendance-b', 'note-1', 'progress-2', 'changeReason']);
    expect(
      validateRecord(
        {
          attendance: { a: 'attended', b: 'did-not-attend' },
          progress: [
            { ordinal: 1, progress: 'done', note: '' },
            { ordinal: 2, progress: 'not-done', note: 'Moved house' },
          ],
          notes: ' ',
          changeReason: 'Corrected attendance',
        },
        facts,
      ),
    ).toMatchObject({
      notes: null,
      changeReason: 'Corrected attendance',
      progress: [{ note: null }, { note: 'Moved house' }],
    });
    expect(
      problems(() =>
        validateRecord(
          { attendance: {}, progress: [], notes: '' },
          { ...facts, today: d('2026-03-11'), memberIds: [], actionOrdinals: [], recordedBefore: false },
        ),
      ),
    ).toEqual(['attendance']);
  });

  it('002 §3.7: a lead social worker is outstanding only while the plan is in force and nobody is named or appointed', () => {
    expect(leadSocialWorkerOutstanding({ leadSocialWorkerUserId: null, appointedUserId: null, inForce: true })).toBe(
      true,
    );
    expect(leadSocialWorkerOutstanding({ leadSocialWorkerUserId: null, appointedUserId: 'u', inForce: true })).toBe(
      false,
    );
    expect(leadSocialWorkerOutstanding({ leadSocialWorkerUserId: null, appointedUserId: null, inForce: false })).toBe(
      false,
    );
  });
});

describe('interpreters not booked (002 §3.2)', () => {
  it('002 §3.2: a language needed with no interpreter invited for it is listed once, whatever its case; one booked clears it', () => {
    const invitees = [
      { kind: 'family-member', interpreterLanguage: 'Polish' },
      { kind: 'child', interpreterLanguage: 'polish ' },
      { kind: 'family-member', interpreterLanguage: 'Tigrinya' },
      { kind: 'professional', interpreterLanguage: 'Urdu' },
      { kind: 'interpreter', interpreterLanguage: 'TIGRINYA' },
      { kind: 'family-member', interpreterLanguage: null },
    ];
    expect(interpretersNotBooked(invitees)).toEqual([{ language: 'Polish', people: 2 }]);
    expect(interpretersNotBookedText(interpretersNotBooked(invitees))).toBe(
      'No interpreter is invited for Polish (2 people need one). Invite an interpreter before the conference.',
    );
    expect(interpretersNotBooked([...invitees, { kind: 'interpreter', interpreterLanguage: 'Polish' }])).toEqual([]);
  });
});
