import { describe, expect, it } from 'vitest';
import { BankHolidayCalendar, parseIsoDate } from '../calendar/index.ts';
import { validateAttendance } from './attendance.ts';
import {
  agenciesPresent,
  assessReferralReview,
  changeReasonFor,
  checkAgencyViews,
  clashesInPart,
  formatClockTime,
  nextReviewDeadline,
  nextReviewRule,
  parseClockTime,
  planEndedMeetingDeadline,
  REMINDER_POINT_IDS,
  RECORDING_REMINDER,
  validateAdjournment,
  validateEndTime,
  validateOpening,
  validatePart,
  validatePlan,
  validatePlanEnded,
  validateReferral,
  validateSummary,
} from './meeting.ts';
import { assessQuoracy } from './quoracy.ts';
import { InvalidDetailsError } from '../shared/errors.ts';

const cal = new BankHolidayCalendar();
const d = (s: string) => parseIsoDate(s);

/** The field names of every problem a rule reports. */
function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof InvalidDetailsError) return err.problems.map((p) => p.field);
    throw err;
  }
  return [];
}

describe('the conference on the day', () => {
  it('reads clock times as minutes and writes them back', () => {
    expect(parseClockTime('10:05')).toBe(605);
    expect(parseClockTime('9.30')).toBe(570);
    expect(parseClockTime('24:00')).toBeNull();
    expect(parseClockTime('10:5')).toBeNull();
    expect(formatClockTime(605)).toBe('10:05');
  });

  it('R-1: opening needs every reminder point told and the actual start time, on or after the day', () => {
    const f = { scheduledDate: d('2026-03-02'), today: d('2026-03-02') };
    expect(fieldsOf(() => validateOpening({ pointsGiven: ['recorded'], actualStartTime: '' }, f))).toEqual([
      'pointsGiven',
      'actualStartTime',
    ]);
    expect(() =>
      validateOpening({ pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:07' }, { ...f, today: d('2026-03-01') }),
    ).toThrow(/open it on the day/);
    expect(validateOpening({ pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:07' }, f)).toEqual({
      actualStartMinutes: 607,
    });
  });

  it('R-1 (001): the chair also says the interests of the child and family are central, and that people answer for what they take away', () => {
    const texts = RECORDING_REMINDER.map((p) => p.text).join(' ');
    expect(texts).toMatch(/interests of the children and their family are central/);
    expect(texts).toMatch(/responsible for any information they take away/);
    const f = { scheduledDate: d('2026-03-02'), today: d('2026-03-02') };
    const withoutNew = REMINDER_POINT_IDS.filter(
      (id) => id !== 'child-family-central' && id !== 'information-taken-away',
    );
    expect(() => validateOpening({ pointsGiven: withoutNew, actualStartTime: '10:07' }, f)).toThrow(/2 not ticked/);
  });

  it('R-1: the end time is noted and is after the start', () => {
    expect(() => validateEndTime('10:00', 607)).toThrow(/after the start time, 10:07/);
    expect(validateEndTime('11:45', 607)).toBe(705);
  });

  it('a part has a name, a start within the conference and a length', () => {
    expect(fieldsOf(() => validatePart({ label: ' ', startOffsetMinutes: -5, durationMinutes: 0 }))).toEqual([
      'label',
      'startOffsetMinutes',
      'durationMinutes',
    ]);
    expect(validatePart({ label: 'Part 2: mother', startOffsetMinutes: 60, durationMinutes: 45 })).toEqual({
      label: 'Part 2: mother',
      startOffsetMinutes: 60,
      durationMinutes: 45,
    });
  });

  it('002 §3.2: a person in two places at once (present in overlapping parts) is found for the part being saved', () => {
    const parts = [
      { id: 'p1', label: 'Part 1', startOffsetMinutes: 0, durationMinutes: 60 },
      { id: 'p2', label: 'Part 2', startOffsetMinutes: 45, durationMinutes: 60 },
    ];
    const e = (
      partId: string,
      inviteeId: string,
      personKey: string,
      over: Partial<{ status: 'attended' | 'absent'; joinedAt: number | null; leftAt: number | null }> = {},
    ) => ({
      partId,
      inviteeId,
      personKey,
      status: 'attended' as const,
      joinedAt: null,
      leftAt: null,
      exclusion: null,
      ...over,
    });
    expect(clashesInPart('p2', parts, [e('p1', 'mum', 'person-mum'), e('p2', 'mum', 'person-mum')])).toEqual([
      { inviteeId: 'mum', otherPart: 'Part 1' },
    ]);
    // Leaving part 1 before part 2 starts is no clash; nor is being absent from one of them.
    expect(
      clashesInPart('p2', parts, [e('p1', 'mum', 'person-mum', { leftAt: 40 }), e('p2', 'mum', 'person-mum')]),
    ).toEqual([]);
    expect(
      clashesInPart('p2', parts, [e('p1', 'mum', 'person-mum', { status: 'absent' }), e('p2', 'mum', 'person-mum')]),
    ).toEqual([]);
  });

  it('002 §3.2: someone partly excluded attended the rest of the part', () => {
    const exclusion = { extent: 'partial' as const, reason: 'Police information', howViewsHeard: 'Seen by the chair' };
    expect(() =>
      validateAttendance({ attendeeKey: 'k', status: 'absent', joinedAt: null, leftAt: null, exclusion }, 60),
    ).toThrow(/record them as attended/);
  });

  it('Q-1 live: agencies count from professionals who attended, children’s social care by kind, others only with direct contact', () => {
    const invitees = [
      {
        id: 'sw',
        kind: 'professional',
        agencyId: 'csc',
        agencyName: 'Children’s services',
        agencyKind: 'childrens_social_care',
        directContact: true,
      },
      {
        id: 'pc',
        kind: 'professional',
        agencyId: 'police',
        agencyName: 'Police',
        agencyKind: 'police',
        directContact: true,
      },
      { id: 'gp', kind: 'professional', agencyId: 'gp', agencyName: 'Surgery', agencyKind: 'gp', directContact: false },
      {
        id: 'hv',
        kind: 'professional',
        agencyId: 'hv',
        agencyName: 'Health visiting',
        agencyKind: 'health_visitor',
        directContact: true,
      },
      {
        id: 'int',
        kind: 'interpreter',
        agencyId: 'lang',
        agencyName: 'Language line',
        agencyKind: 'other',
        directContact: false,
      },
    ];
    const attended = (...ids: string[]) => ids.map((inviteeId) => ({ inviteeId, status: 'attended' as const }));
    const three = assessQuoracy(
      agenciesPresent(invitees, [...attended('sw', 'pc', 'gp', 'int'), { inviteeId: 'hv', status: 'apologies' }]),
    );
    expect(three).toMatchObject({ quorate: false, countingAgencies: ['Police'], notCounting: ['Surgery'] });
    expect(assessQuoracy(agenciesPresent(invitees, attended('sw', 'pc', 'hv'))).quorate).toBe(true);
    expect(assessQuoracy(agenciesPresent(invitees, attended('pc', 'hv', 'gp'))).explanation).toMatch(
      /children’s social care is not present/,
    );
  });

  it('a change after the conference is held needs a reason; during the meeting it does not', () => {
    expect(changeReasonFor('in-progress', 'ignored')).toBeNull();
    expect(() => changeReasonFor('held', ' ')).toThrow(/reason for this change/);
    expect(changeReasonFor('held', 'Category corrected after legal advice')).toBe(
      'Category corrected after legal advice',
    );
    expect(() => changeReasonFor('planned', 'x')).toThrow(/Start the conference/);
    expect(() => changeReasonFor('adjourned-inquorate', 'x')).toThrow(/nothing can be recorded/);
  });

  it('each agency present gives a view, and only agencies present', () => {
    const present = [
      { agencyId: 'a', agencyName: 'Police' },
      { agencyId: 'b', agencyName: 'School' },
    ];
    expect(fieldsOf(() => checkAgencyViews([{ agencyId: 'a' }], present))).toEqual(['view-b']);
    expect(
      fieldsOf(() => checkAgencyViews([{ agencyId: 'a' }, { agencyId: 'b' }, { agencyId: 'z' }], present)),
    ).toEqual(['agencyViews']);
  });

  it('D-1: the referral names the senior manager and a date between the conference and today', () => {
    const f = { conferenceDate: d('2026-03-02'), today: d('2026-03-04') };
    expect(fieldsOf(() => validateReferral({ referredTo: '', referredOn: null }, f))).toEqual([
      'referredTo',
      'referredOn',
    ]);
    expect(() => validateReferral({ referredTo: 'Head of QA', referredOn: d('2026-03-05') }, f)).toThrow(/future/);
    expect(validateReferral({ referredTo: 'Head of QA', referredOn: d('2026-03-03') }, f)).toEqual({
      referredTo: 'Head of QA',
      referredOn: '2026-03-03',
    });
  });

  it('D-1: a review that reconvenes sets the reconvened conference within 20 working days of the review (Good Friday and Easter Monday skipped)', () => {
    const r = assessReferralReview(
      { reviewedOn: d('2026-03-30'), outcome: 'reconvene' },
      { referredOn: d('2026-03-03'), today: d('2026-04-01') },
      cal,
    );
    expect(r.reconvene).toMatchObject({ ruleId: 'D-1', due: '2026-04-29' });
    expect(
      assessReferralReview(
        { reviewedOn: d('2026-03-30'), outcome: 'decision-stands' },
        { referredOn: d('2026-03-03'), today: d('2026-04-01') },
        cal,
      ).reconvene,
    ).toBeNull();
    expect(
      fieldsOf(() =>
        assessReferralReview(
          { reviewedOn: d('2026-03-01'), outcome: 'maybe' },
          { referredOn: d('2026-03-03'), today: d('2026-04-01') },
          cal,
        ),
      ),
    ).toEqual(['reviewedOn', 'outcome']);
  });

  it('Q-1: not going ahead needs the immediate safety steps and a new date after the conference', () => {
    expect(
      fieldsOf(() =>
        validateAdjournment({ safetySteps: '', reconveneDate: d('2026-03-02') }, { conferenceDate: d('2026-03-02') }),
      ),
    ).toEqual(['safetySteps', 'reconveneDate']);
    expect(
      validateAdjournment(
        { safetySteps: 'Children to stay with grandmother', reconveneDate: d('2026-03-09') },
        { conferenceDate: d('2026-03-02') },
      ).reconveneDate,
    ).toBe('2026-03-09');
  });

  it('T-3: the next review follows the first-review rule after an initial, pre-birth or transfer-in conference, and next-review after a review', () => {
    expect(nextReviewRule('initial')).toBe('first-review');
    expect(nextReviewRule('pre-birth')).toBe('first-review');
    expect(nextReviewRule('transfer-in')).toBe('first-review');
    expect(nextReviewRule('review')).toBe('next-review');
    // 90 days after 2 March 2026 is Sunday 31 May: the last working day within is Friday 29 May.
    expect(nextReviewDeadline('initial', d('2026-03-02'), cal)).toMatchObject({
      ruleId: 'T-3',
      due: '2026-05-29',
      from: '2026-03-02',
    });
    expect(nextReviewDeadline('review', d('2026-03-02'), cal)).toMatchObject({ ruleId: 'T-3', due: '2026-09-02' });
  });

  it('T-3: a plan needs its core group, first core group, actions, contingency and a next review no later than the rule allows', () => {
    const f = {
      conferenceDate: d('2026-03-02'),
      reviewDeadline: nextReviewDeadline('initial', d('2026-03-02'), cal),
      coreGroupChoices: new Set(['mum', 'school']),
    };
    const blank = { action: '', who: '', byWhen: null };
    expect(
      fieldsOf(() =>
        validatePlan(
          {
            leadSocialWorkerUserId: null,
            coreGroupInviteeIds: [],
            firstCoreGroupDate: null,
            actions: [blank, blank],
            contingencyPlan: '',
            nextReviewDate: d('2026-06-01'),
          },
          f,
        ),
      ),
    ).toEqual(['coreGroup', 'firstCoreGroupDate', 'action-0', 'contingencyPlan', 'nextReviewDate']);
    expect(
      fieldsOf(() =>
        validatePlan(
          {
            leadSocialWorkerUserId: null,
            coreGroupInviteeIds: ['stranger'],
            firstCoreGroupDate: d('2026-03-09'),
            actions: [blank, { action: 'Attend parenting course', who: '', byWhen: d('2026-02-01') }],
            contingencyPlan: 'Legal planning meeting',
            nextReviewDate: d('2026-05-29'),
          },
          f,
        ),
      ),
    ).toEqual(['coreGroup', 'who-1', 'byWhen-1']);
    const ok = validatePlan(
      {
        leadSocialWorkerUserId: 'sw',
        coreGroupInviteeIds: ['mum', 'school', 'mum'],
        firstCoreGroupDate: d('2026-03-09'),
        actions: [{ action: 'Attend parenting course', who: 'Mother', byWhen: d('2026-04-30') }, blank],
        contingencyPlan: 'Legal planning meeting',
        nextReviewDate: d('2026-05-29'),
      },
      f,
    );
    expect(ok).toMatchObject({
      coreGroupInviteeIds: ['mum', 'school'],
      actions: [{ action: 'Attend parenting course', who: 'Mother', byWhen: '2026-04-30' }],
      nextReviewDate: '2026-05-29',
    });
  });

  it('T-9: when a plan ends, the family meeting is within 10 working days of the conference', () => {
    const deadline = planEndedMeetingDeadline(d('2026-03-02'), cal);
    expect(deadline).toMatchObject({ ruleId: 'T-9', due: '2026-03-16' });
    expect(() =>
      validatePlanEnded(
        { leadSocialWorkerUserId: null, planEndedMeetingDate: d('2026-03-17') },
        { conferenceDate: d('2026-03-02'), deadline },
      ),
    ).toThrow(/no later than 16 March 2026/);
    expect(
      validatePlanEnded(
        { leadSocialWorkerUserId: null, planEndedMeetingDate: d('2026-03-16') },
        { conferenceDate: d('2026-03-02'), deadline },
      ).planEndedMeetingDate,
    ).toBe('2026-03-16');
  });

  it('003: the summary has worries, positives and changes', () => {
    expect(fieldsOf(() => validateSummary({ worries: '', positives: ' ', changes: '' }))).toEqual([
      'worries',
      'positives',
      'changes',
    ]);
  });
});
