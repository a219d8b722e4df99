import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  BankHolidayCalendar,
  compareIsoDates,
  DEFAULT_TIMESCALE_SETTINGS,
  type IsoDate,
  parseIsoDate,
} from '../calendar/index.ts';
import { classifyDashboard, type DashboardConference, type DashboardFacts } from './dashboard.ts';
import { reviewsDueBy } from './dashboard-window.ts';

const cal = new BankHolidayCalendar();
const settings = DEFAULT_TIMESCALE_SETTINGS;
const rules = { calendar: cal, settings };
const d = (s: string): IsoDate => parseIsoDate(s);
const child = { id: 'child-ava', givenNames: 'Ava', familyName: 'Stone' };

function heldWithPlan(type: 'initial' | 'review', scheduledDate: IsoDate): DashboardFacts {
  const c: DashboardConference = {
    id: 'c1',
    type,
    status: 'held',
    scheduledDate,
    startTime: '10:00',
    chair: null,
    dueRule: type === 'review' ? 'next-review' : 'initial-conference',
    dueDate: scheduledDate,
    strategyDiscussionDate: null,
    expectedDeliveryDate: null,
    previousConference: null,
    noticeOfMoveDate: null,
    lateAgreedBy: null,
    lateReason: null,
    children: [child],
  };
  return {
    conferences: [c],
    invitedAgencies: [],
    reports: [],
    latestPlans: [{ conferenceId: 'c1', childId: child.id, nextReviewDate: null, decisionOutcome: 'plan-needed' }],
    endedPlans: [],
    referrals: [],
    otherConferences: [],
    latestConferenceDate: new Map([[child.id, scheduledDate]]),
    decisionOutcomes: [],
    exclusions: [],
    documents: [],
    arrangementTasks: [],
  };
}

const listed = (type: 'initial' | 'review', held: IsoDate, today: IsoDate) =>
  classifyDashboard(heldWithPlan(type, held), today, rules, new Set(['reviews-due']))['reviews-due'].length > 0;

/** Days around Christmas, Easter and month ends in 2024–2030, so the bank holidays and clamped months are hit. */
const day = fc.integer({ min: 0, max: 365 * 6 }).map((n) => addDays(d('2024-01-01'), n));

describe('T-3: the dashboard loads plans only from conferences whose review could fall due in the next 30 days', () => {
  it('T-3: a plan from a conference held after the bound is never listed; the day of the bound is listed', () => {
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom('initial' as const, 'review' as const),
        (today, after, type) => {
          const horizon = addDays(today, 30);
          const by = reviewsDueBy(horizon, settings, cal);
          const bound = type === 'review' ? by.nextReview : by.firstReview;
          expect(listed(type, addDays(bound, after), today)).toBe(false);
          if (type === 'initial') expect(listed(type, bound, today)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('T-3: the first review bound is exact, whatever the bank holidays after the horizon', () => {
    // Horizon Wednesday 24 December 2025: Christmas, Boxing Day and the weekend follow, so a target up to Sunday
    // 28 December is due on the 24th. The first working day after is Monday 29 December.
    const by = reviewsDueBy(d('2025-12-24'), settings, cal);
    expect(by.firstReview).toBe(addDays(d('2025-12-28'), -90));
    expect(compareIsoDates(by.nextReview, d('2025-06-28')) >= 0).toBe(true);
  });
});
