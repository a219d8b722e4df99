import { describe, expect, it } from 'vitest';
import { BankHolidayCalendar, DEFAULT_TIMESCALE_SETTINGS, parseIsoDate, type IsoDate } from '../calendar/index.ts';
import { amendmentDueDate } from '../documents/amendments.ts';
import { classifyDashboard, type DashboardConference, type DashboardFacts, filterDashboard } from './dashboard.ts';

const cal = new BankHolidayCalendar();
const rules = { calendar: cal, settings: DEFAULT_TIMESCALE_SETTINGS };
const d = (s: string): IsoDate => parseIsoDate(s);

const conference: DashboardConference = {
  id: 'conf-1',
  type: 'initial',
  status: 'held',
  scheduledDate: d('2026-12-01'),
  startTime: '10:00',
  chair: { id: 'chair-a', name: 'Cal Chair' },
  dueRule: 'initial-conference',
  dueDate: d('2026-12-02'),
  strategyDiscussionDate: d('2026-11-17'),
  expectedDeliveryDate: null,
  previousConference: null,
  noticeOfMoveDate: null,
  lateAgreedBy: null,
  lateReason: null,
  children: [{ id: 'child-ava', givenNames: 'Ava', familyName: 'Stone' }],
};

function facts(over: Partial<DashboardFacts>): DashboardFacts {
  return {
    conferences: [conference],
    invitedAgencies: [],
    reports: [],
    latestPlans: [],
    endedPlans: [],
    referrals: [],
    otherConferences: [],
    latestConferenceDate: new Map(),
    decisionOutcomes: [],
    exclusions: [],
    documents: [],
    arrangementTasks: [],
    ...over,
  };
}

const request = (id: string, recordReceivedOn: string, receivedOn: string) => {
  const dueOn = amendmentDueDate(d(recordReceivedOn), cal);
  return {
    id,
    conferenceId: 'conf-1',
    kind: 'conference-record' as const,
    issueNumber: 1,
    receivedOn: d(receivedOn),
    recordReceivedOn: d(recordReceivedOn),
    dueOn,
    late: receivedOn > dueOn,
    points: 2,
  };
};

describe('W-5, T-8: amendment requests waiting for the chair on the dashboard', () => {
  it('T-8: each request is due 10 working days from receipt, over Christmas, red / amber / green, soonest first', () => {
    const sections = classifyDashboard(
      facts({
        amendmentRequests: [
          request('later', '2026-12-23', '2026-12-24'),
          request('sooner', '2026-12-10', '2026-12-11'),
          request('late', '2026-11-20', '2026-12-30'),
        ],
      }),
      d('2027-01-05'),
      rules,
    );
    const items = sections.amendments;
    expect(items.map((i) => [i.request.id, i.due.due, i.status])).toEqual([
      ['late', '2026-12-04', 'overdue'],
      ['sooner', '2026-12-24', 'overdue'],
      // Due Mon 11 Jan 2027 after Christmas Day, the Boxing Day substitute and New Year's Day: 4 working days left.
      ['later', '2027-01-11', 'due-soon'],
    ]);
    expect(items[0]).toMatchObject({ documentLabel: 'Conference record, version 1', request: { late: true } });
    expect(items[2]!.due).toMatchObject({ ruleId: 'T-8', from: '2026-12-23' });
  });

  it('W-5: a request for a conference the person may not see is not listed; the filters apply', () => {
    const sections = classifyDashboard(
      facts({ amendmentRequests: [{ ...request('elsewhere', '2026-12-23', '2026-12-24'), conferenceId: 'other' }] }),
      d('2027-01-05'),
      rules,
    );
    expect(sections.amendments).toEqual([]);
    const mine = classifyDashboard(
      facts({ amendmentRequests: [request('x', '2026-12-23', '2026-12-24')] }),
      d('2027-01-05'),
      rules,
    );
    expect(filterDashboard(mine, { chairId: 'chair-b', status: null, type: null }).amendments).toEqual([]);
    expect(filterDashboard(mine, { chairId: 'chair-a', status: 'due-soon', type: null }).amendments).toHaveLength(1);
  });
});
