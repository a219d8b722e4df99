import { describe, expect, it } from 'vitest';
import {
  BankHolidayCalendar,
  computeDeadline,
  DEFAULT_TIMESCALE_SETTINGS,
  parseIsoDate,
  type IsoDate,
} from '../calendar/index.ts';
import {
  classifyDashboard,
  conferenceDue,
  type DashboardArrangementTask,
  type DashboardConference,
  type DashboardFacts,
  describeDue,
  filterDashboard,
  type RecordsDueItem,
  resolveDueRule,
  timeLeftText,
} from './dashboard.ts';

const cal = new BankHolidayCalendar();
const rules = { calendar: cal, settings: DEFAULT_TIMESCALE_SETTINGS };
const d = (s: string): IsoDate => parseIsoDate(s);
/** Monday 2 March 2026. */
const today = d('2026-03-02');

const ava = { id: 'child-ava', givenNames: 'Ava', familyName: 'Stone' };
const ben = { id: 'child-ben', givenNames: 'Ben', familyName: 'Stone' };
const chairA = { id: 'chair-a', name: 'Cal Chair' };
const chairB = { id: 'chair-b', name: 'Dee Chair' };

function conference(over: Partial<DashboardConference> & { id: string }): DashboardConference {
  return {
    type: 'initial',
    status: 'planned',
    scheduledDate: d('2026-03-10'),
    startTime: '10:00',
    chair: chairA,
    dueRule: 'initial-conference',
    dueDate: d('2026-03-16'),
    strategyDiscussionDate: d('2026-02-23'),
    expectedDeliveryDate: null,
    previousConference: null,
    noticeOfMoveDate: null,
    lateAgreedBy: null,
    lateReason: null,
    children: [ava],
    ...over,
  };
}

function facts(over: Partial<DashboardFacts>): DashboardFacts {
  return {
    conferences: [],
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

/** An initial conference with its T-1 due date worked out from the strategy discussion. */
function initial(
  id: string,
  strategy: string,
  scheduled: string,
  over: Partial<DashboardConference> = {},
): DashboardConference {
  const due = computeDeadline('initial-conference', d(strategy), cal).due;
  return conference({ id, strategyDiscussionDate: d(strategy), scheduledDate: d(scheduled), dueDate: due, ...over });
}

const classify = (f: Partial<DashboardFacts>, on: IsoDate = today) => classifyDashboard(facts(f), on, rules);

describe('every due date says which rule made it and from which date', () => {
  it('T-1: "Due 6 May 2025 — T-1, 15 working days from the strategy discussion on 10 April 2025"', () => {
    const c = initial('c1', '2025-04-10', '2025-05-01');
    expect(c.dueDate).toBe('2025-05-06');
    expect(conferenceDue(c, d('2025-04-28'), rules).text).toBe(
      'Due 6 May 2025 — 15 working days from the strategy discussion on 10 April 2025',
    );
  });

  it('002 §1.3, T-2: a pre-birth conference where a premature birth is likely says it is due by the earlier week, and why', () => {
    const preBirth = conference({
      id: 'pp',
      type: 'pre-birth',
      dueRule: 'pre-birth-conference',
      dueDate: d('2026-02-20'),
      expectedDeliveryDate: d('2026-07-03'),
      strategyDiscussionDate: null,
      prematureBirthLikely: true,
    });
    expect(conferenceDue(preBirth, today, rules).basis).toBe(
      'by 20 weeks of pregnancy, not the usual 24, because a premature birth is likely, counted from the expected date of delivery on 3 July 2026',
    );
    const custom = { ...rules, settings: { ...rules.settings, preBirthPrematureLatestWeek: 22 } };
    expect(conferenceDue(preBirth, today, custom).basis).toMatch(/^by 22 weeks of pregnancy, not the usual 24,/);
    expect(conferenceDue({ ...preBirth, prematureBirthLikely: false }, today, rules).basis).toMatch(
      /^by 24 weeks of pregnancy, counted from/,
    );
  });

  it('T-2, T-3, T-4 and D-1 name their start dates; a missing start date says so', () => {
    const preBirth = conference({
      id: 'p',
      type: 'pre-birth',
      dueRule: 'pre-birth-conference',
      dueDate: d('2026-03-20'),
      expectedDeliveryDate: d('2026-07-03'),
      strategyDiscussionDate: null,
    });
    expect(conferenceDue(preBirth, today, rules).basis).toBe(
      'by 24 weeks of pregnancy, counted from the expected date of delivery on 3 July 2026',
    );
    const review = conference({
      id: 'r',
      type: 'review',
      dueRule: 'next-review',
      dueDate: d('2026-03-10'),
      previousConference: { date: d('2025-09-10'), type: 'review' },
    });
    expect(conferenceDue(review, today, rules).basis).toBe('6 months from the review conference on 10 September 2025');
    const firstReview = conference({
      id: 'f',
      type: 'review',
      dueRule: 'first-review',
      dueDate: d('2026-03-06'),
      previousConference: { date: d('2025-12-08'), type: 'transfer-in' },
    });
    expect(conferenceDue(firstReview, today, rules).basis).toBe(
      '90 days from the transfer-in conference on 8 December 2025',
    );
    const transfer = conference({
      id: 't',
      type: 'transfer-in',
      dueRule: 'transfer-in-conference',
      noticeOfMoveDate: d('2026-02-20'),
    });
    expect(conferenceDue(transfer, today, rules).basis).toBe(
      '15 working days from notice of the move on 20 February 2026',
    );
    const reconvened = conference({ id: 'x', dueRule: 'reconvene-after-dissent' });
    expect(conferenceDue(reconvened, today, rules).basis).toBe(
      '20 working days from the senior manager’s review (date not recorded)',
    );
  });

  it('a stored rule may be a name or an unambiguous rule id; T-3 is told apart by the conference reviewed', () => {
    expect(resolveDueRule('initial-conference', null)).toBe('initial-conference');
    expect(resolveDueRule('T-1', null)).toBe('initial-conference');
    expect(resolveDueRule('T-3', 'review')).toBe('next-review');
    expect(resolveDueRule('T-3', 'initial')).toBe('first-review');
    expect(resolveDueRule('T-99', null)).toBeNull();
  });
});

describe('red / amber / green boundaries (deadlineStatus)', () => {
  it.each([
    ['2026-03-02', 'due-soon', 0, 'Due today'], // due today is not overdue
    ['2026-03-09', 'due-soon', 5, '5 working days left'], // 5 working days → amber
    ['2026-03-10', 'on-track', 6, '6 working days left'],
    ['2026-02-27', 'overdue', -1, '1 working day overdue'],
  ] as const)('due %s, today 2 March 2026 → %s (%i working days left)', (due, status, left, words) => {
    const dueDate = describeDue('initial-conference', d(due), d('2026-02-10'), today, rules);
    expect(dueDate).toMatchObject({ status, workingDaysLeft: left });
    expect(timeLeftText(dueDate.status, dueDate.workingDaysLeft)).toBe(words);
  });

  it('due today is listed as upcoming, not overdue', () => {
    const c = conference({ id: 'today', scheduledDate: today, dueDate: today });
    const out = classify({ conferences: [c] });
    expect(out.upcoming.map((i) => i.status)).toEqual(['due-soon']);
    expect(out.overdue).toEqual([]);
  });
});

describe('upcoming conferences and overdue ones (T-1 … T-4)', () => {
  it('upcoming: planned or under way from today to 30 days ahead, soonest first; held, cancelled and later ones left out', () => {
    const out = classify({
      conferences: [
        initial('later', '2026-03-20', '2026-04-02'), // 31 days ahead
        initial('in-30', '2026-03-20', '2026-04-01', { startTime: '14:00' }),
        initial('first', '2026-02-23', '2026-03-04'),
        initial('open', '2026-02-16', '2026-03-02', { status: 'in-progress' }),
        initial('held', '2026-02-16', '2026-03-02', { status: 'held' }),
        initial('cancelled', '2026-02-23', '2026-03-05', { status: 'cancelled' }),
      ],
    });
    expect(out.upcoming.map((i) => i.conference.id)).toEqual(['open', 'first', 'in-30']);
  });

  it('T-1 overdue initial: not held after its due date is red, shows that no late agreement was recorded', () => {
    const c = initial('late', '2026-02-02', '2026-03-04');
    const [item] = classify({ conferences: [c] }).overdue;
    expect(item).toMatchObject({
      pastDue: true,
      scheduledAfterDue: true,
      plannedDatePassed: false,
      lateAgreement: null,
      status: 'overdue',
    });
    expect(item!.due.text).toBe(
      'Due 23 February 2026 — 15 working days from the strategy discussion on 2 February 2026',
    );
    expect(item!.due.workingDaysLeft).toBe(-5);
  });

  it('T-1: planned for after the due date with a senior manager’s agreement, still ahead of the due date', () => {
    const c = initial('agreed', '2026-02-23', '2026-03-18', {
      lateAgreedBy: 'Head of Service',
      lateReason: 'Police checks outstanding',
    });
    const [item] = classify({ conferences: [c] }).overdue;
    expect(item).toMatchObject({
      pastDue: false,
      scheduledAfterDue: true,
      status: 'on-track',
      lateAgreement: { agreedBy: 'Head of Service', reason: 'Police checks outstanding' },
    });
    expect(item!.due.due).toBe('2026-03-16');
  });

  it('T-1: a planned date that passed without the conference being opened is flagged', () => {
    const c = initial('missed', '2026-02-02', '2026-02-20');
    const [item] = classify({ conferences: [c] }).overdue;
    expect(item).toMatchObject({ pastDue: true, scheduledAfterDue: false, plannedDatePassed: true });
  });

  it('a conference held or cancelled is never overdue; one planned within its timescale is not either', () => {
    const out = classify({
      conferences: [
        initial('held', '2026-01-05', '2026-02-20', { status: 'held' }),
        initial('cancelled', '2026-01-05', '2026-02-20', { status: 'cancelled' }),
        initial('fine', '2026-02-23', '2026-03-10'),
      ],
    });
    expect(out.overdue).toEqual([]);
  });
});

describe('T-3 reviews falling due', () => {
  const heldInitial = conference({
    id: 'icpc',
    status: 'held',
    scheduledDate: d('2025-12-08'),
    dueDate: d('2025-12-10'),
    children: [ava, ben],
  });

  it('T-3 review due within 30 days: the plan’s next review date is within 30 days, no later conference planned', () => {
    const out = classify({
      conferences: [heldInitial],
      latestPlans: [
        { conferenceId: 'icpc', childId: ava.id, nextReviewDate: d('2026-03-09'), decisionOutcome: 'plan-needed' },
        { conferenceId: 'icpc', childId: ben.id, nextReviewDate: d('2026-03-05'), decisionOutcome: 'plan-needed' },
      ],
      latestConferenceDate: new Map([
        [ava.id, d('2025-12-08')],
        [ben.id, d('2025-12-08')],
      ]),
    });
    const [item] = out['reviews-due'];
    expect(item!.concerning.map((c) => c.id)).toEqual([ava.id, ben.id]);
    // 90 days after 8 December 2025 is Sunday 8 March 2026, so the last working day is Friday 6 March.
    expect(item!.due.text).toBe('Due 6 March 2026 — 90 days from the initial conference on 8 December 2025');
    expect(item!.status).toBe('due-soon');
    expect(item!.reviewDateAfterDue).toBe(true); // Ava's plan says 9 March, after the statutory date
    expect(item!.filterType).toBe('review');
  });

  it('T-3: not listed when a later conference is planned for the child, or the plan has ended', () => {
    const plan = {
      conferenceId: 'icpc',
      childId: ava.id,
      nextReviewDate: d('2026-03-09'),
      decisionOutcome: 'plan-needed' as const,
    };
    expect(
      classify({
        conferences: [heldInitial],
        latestPlans: [plan],
        latestConferenceDate: new Map([[ava.id, d('2026-03-05')]]),
      })['reviews-due'],
    ).toEqual([]);
    expect(
      classify({ conferences: [heldInitial], latestPlans: [{ ...plan, decisionOutcome: 'plan-ends' }] })['reviews-due'],
    ).toEqual([]);
  });

  it('T-3: reviews more than 30 days away are not listed; review after review counts 6 months', () => {
    const review = conference({
      id: 'rcpc',
      type: 'review',
      status: 'held',
      scheduledDate: d('2025-09-10'),
      dueRule: 'next-review',
    });
    const farReview = conference({
      id: 'far',
      type: 'review',
      status: 'held',
      scheduledDate: d('2026-01-15'),
      dueRule: 'next-review',
      children: [ben],
    });
    const out = classify({
      conferences: [review, farReview],
      latestPlans: [
        { conferenceId: 'rcpc', childId: ava.id, nextReviewDate: null, decisionOutcome: 'plan-continues' },
        { conferenceId: 'far', childId: ben.id, nextReviewDate: d('2026-07-10'), decisionOutcome: 'plan-continues' },
      ],
    });
    expect(out['reviews-due'].map((i) => i.conference.id)).toEqual(['rcpc']);
    expect(out['reviews-due'][0]!.due.text).toBe(
      'Due 10 March 2026 — 6 months from the review conference on 10 September 2025',
    );
  });
});

describe('T-5 reports missing or not shared', () => {
  const c = conference({ id: 'soon', scheduledDate: d('2026-03-10') });
  const agency = (id: string, kind: string) => ({ id, name: id.toUpperCase(), kind });
  const [csc, school, health, police, gp, other] = [
    agency('csc', 'childrens_social_care'),
    agency('school', 'school'),
    agency('health', 'health_visitor'),
    agency('police', 'police'),
    agency('gp', 'gp'),
    agency('other', 'other'),
  ];

  it('T-5 report not shared in time: unshared and late-shared reports are listed; police and withheld reports are not checked', () => {
    const [item] = classify({
      conferences: [c],
      invitedAgencies: [csc, school, health, police, gp].map((a) => ({ conferenceId: 'soon', agency: a })),
      reports: [
        { conferenceId: 'soon', agency: csc, sharedWithFamilyOn: d('2026-03-04'), withheldFromFamily: false },
        { conferenceId: 'soon', agency: school, sharedWithFamilyOn: null, withheldFromFamily: false },
        { conferenceId: 'soon', agency: health, sharedWithFamilyOn: d('2026-03-06'), withheldFromFamily: false },
        { conferenceId: 'soon', agency: police, sharedWithFamilyOn: null, withheldFromFamily: false },
        { conferenceId: 'soon', agency: other, sharedWithFamilyOn: null, withheldFromFamily: true },
      ],
    })['missing-reports'];
    expect(item!.missing.map((a) => a.id)).toEqual(['gp']);
    expect(item!.notShared).toEqual([
      { agency: school, sharedOn: null },
      { agency: health, sharedOn: '2026-03-06' },
    ]);
    // Three working days before Tuesday 10 March 2026.
    expect(item!.due.text).toBe('Due 5 March 2026 — 3 working days before the conference on 10 March 2026');
    expect(item!.status).toBe('due-soon');
  });

  it('T-5: a conference with every report in and shared in time is not listed; nor one held already', () => {
    const out = classify({
      conferences: [c, { ...c, id: 'held', status: 'held' }],
      invitedAgencies: [
        { conferenceId: 'soon', agency: csc },
        { conferenceId: 'held', agency: csc },
      ],
      reports: [{ conferenceId: 'soon', agency: csc, sharedWithFamilyOn: d('2026-03-05'), withheldFromFamily: false }],
    });
    expect(out['missing-reports']).toEqual([]);
  });
});

describe('T-6 / T-7 decisions, letters and records due', () => {
  it('T-6 and T-7: a held conference lists its three due dates; the worst document not yet issued sets the status', () => {
    const [item] = classify({
      conferences: [conference({ id: 'held', status: 'held', scheduledDate: d('2026-02-26') })],
    })['records-due'];
    expect(item!.deadlines.map((x) => [x.ruleId, x.due, x.status])).toEqual([
      ['T-6', '2026-02-27', 'overdue'],
      ['T-6', '2026-03-02', 'due-soon'],
      ['T-7', '2026-03-19', 'on-track'],
    ]);
    expect(item!.deadlines[0]!.basis).toBe('by the next working day after the conference on 26 February 2026');
    // Nothing issued yet: the decision letter, due 27 February, is overdue.
    expect(item).toMatchObject({ status: 'overdue', decisionsRecorded: true });
  });

  it('T-6 / T-7: a conference still open awaiting decisions lists the three due dates and no documents yet', () => {
    const [item] = classify({
      conferences: [conference({ id: 'open', status: 'in-progress', scheduledDate: d('2026-02-02') })],
    })['records-due'];
    expect(item).toMatchObject({ decisionsRecorded: false, status: 'overdue', documents: [] });
    expect(item!.deadlines.map((x) => x.ruleId)).toEqual(['T-6', 'T-6', 'T-7']);
  });
});

describe('T-6 / T-7: each document a conference needs, against its own due date, until issued', () => {
  type Docs = DashboardFacts['documents'];
  const held = (id: string, date: string, over: Partial<DashboardConference> = {}) =>
    conference({ id, status: 'held', scheduledDate: d(date), ...over });
  const draft = (conferenceId: string, kind: Docs[number]['kind'], status: Docs[number]['status']) => ({
    conferenceId,
    kind,
    subjectInviteeId: null,
    status,
  });
  const docsOf = (item: RecordsDueItem | undefined) =>
    item!.documents.map((x) => [x.kind, x.state, x.due?.ruleId ?? null, x.due?.due ?? null, x.status]);

  it('T-6 / T-7: per-document red / amber / green, with its state; issued is met and the worst outstanding one sets the item', () => {
    const [item] = classify({
      conferences: [held('c', '2026-02-26')],
      decisionOutcomes: [{ conferenceId: 'c', childId: ava.id, outcome: 'plan-needed' }],
      documents: [draft('c', 'decision-letter', 'issued'), draft('c', 'chairs-summary', 'waiting-for-chair')],
    })['records-due'];
    expect(docsOf(item)).toEqual([
      ['decision-letter', 'issued', 'T-6', '2026-02-27', 'met'],
      ['plan-and-core-group-letter', 'not-started', 'T-6', '2026-02-27', 'overdue'],
      ['chairs-summary', 'waiting-for-chair', 'T-6', '2026-03-02', 'due-soon'],
      ['conference-record', 'not-started', 'T-7', '2026-03-19', 'on-track'],
    ]);
    expect(item!.documents.map((x) => x.stateLabel)).toEqual([
      'Issued',
      'Not started',
      'Waiting for the chair',
      'Not started',
    ]);
    // The plan letter is the worst not yet issued: overdue, though the decision letter with the same date was issued.
    expect(item).toMatchObject({ status: 'overdue', decisionsRecorded: true });
    expect(item!.due!.due).toBe('2026-02-27');
  });

  it('T-6: no plan letter when no child has a plan', () => {
    const [item] = classify({
      conferences: [held('c', '2026-02-26')],
      decisionOutcomes: [{ conferenceId: 'c', childId: ava.id, outcome: 'no-plan' }],
    })['records-due'];
    expect(item!.documents.map((x) => x.kind)).toEqual(['decision-letter', 'chairs-summary', 'conference-record']);
  });

  it('T-7 fix: an overdue record stays on the dashboard, however late, until it is issued', () => {
    // Held on 5 January: the record was due on 26 January, five weeks ago.
    const issuedButRecord: Docs = [
      draft('old', 'decision-letter', 'issued'),
      draft('old', 'chairs-summary', 'issued'),
      draft('old', 'conference-record', 'approved'),
    ];
    const [item] = classify({ conferences: [held('old', '2026-01-05')], documents: issuedButRecord })['records-due'];
    expect(item!.key).toBe('records-due:old');
    expect(item!.status).toBe('overdue');
    expect(item!.due).toMatchObject({ ruleId: 'T-7', due: '2026-01-26', status: 'overdue' });
    expect(item!.documents.find((x) => x.kind === 'conference-record')).toMatchObject({
      state: 'approved',
      status: 'overdue',
    });
    // A year on, still there.
    expect(
      classify({ conferences: [held('old', '2026-01-05')], documents: issuedButRecord }, d('2027-01-05'))[
        'records-due'
      ].map((i) => i.key),
    ).toEqual(['records-due:old']);
  });

  it('T-6 / T-7: a conference held before WRITTEN_RECORD_FROM leaves once its dates pass; later ones stay until issued', () => {
    const nothingIssued: Docs = [];
    const writtenRecordFrom = d('2026-01-06');
    // Held the day before the service kept written records: its letters and record went another way.
    const before = classify({ conferences: [held('old', '2026-01-05')], documents: nothingIssued, writtenRecordFrom });
    expect(before['records-due']).toEqual([]);
    // While its own dates are still to come it is listed as any other, so nothing due is missed.
    const early = classify(
      { conferences: [held('old', '2026-01-05')], documents: nothingIssued, writtenRecordFrom },
      d('2026-01-20'),
    );
    expect(early['records-due'].map((i) => i.key)).toEqual(['records-due:old']);
    // Held on the date itself: kept in the service, so it stays until issued however late.
    const onTheDay = classify({
      conferences: [held('new', '2026-01-06')],
      documents: nothingIssued,
      writtenRecordFrom,
    });
    expect(onTheDay['records-due'].map((i) => i.key)).toEqual(['records-due:new']);
  });

  it('T-7: once the record is issued (and everything else), the conference leaves the dashboard', () => {
    const all: Docs = [
      draft('old', 'decision-letter', 'issued'),
      draft('old', 'chairs-summary', 'issued'),
      draft('old', 'conference-record', 'issued'),
    ];
    expect(classify({ conferences: [held('old', '2026-01-05')], documents: all })['records-due']).toEqual([]);
    // Issued early, before its date: gone as well.
    expect(
      classify({
        conferences: [held('new', '2026-02-27')],
        documents: all.map((x) => ({ ...x, conferenceId: 'new' })),
      })['records-due'],
    ).toEqual([]);
  });

  it('T-6 / T-7: a conference with all its documents issued leaves; one with any still to issue stays', () => {
    const out = classify({
      conferences: [held('done', '2026-02-02'), held('open', '2026-02-02')],
      decisionOutcomes: [
        { conferenceId: 'done', childId: ava.id, outcome: 'plan-needed' },
        { conferenceId: 'open', childId: ava.id, outcome: 'plan-needed' },
      ],
      documents: [
        ...(['decision-letter', 'plan-and-core-group-letter', 'chairs-summary', 'conference-record'] as const).map(
          (k) => draft('done', k, 'issued'),
        ),
        ...(['decision-letter', 'chairs-summary', 'conference-record'] as const).map((k) => draft('open', k, 'issued')),
      ],
    });
    expect(out['records-due'].map((i) => i.key)).toEqual(['records-due:open']);
    expect(out['records-due'][0]!.documents.filter((x) => x.state !== 'issued').map((x) => x.kind)).toEqual([
      'plan-and-core-group-letter',
    ]);
  });

  it('T-7: an inquorate conference adjourned lists its notes, due as the record is', () => {
    const [item] = classify({
      conferences: [conference({ id: 'q', status: 'adjourned-inquorate', scheduledDate: d('2026-02-26') })],
    })['records-due'];
    expect(docsOf(item)).toEqual([['inquorate-notes', 'not-started', 'T-7', '2026-03-19', 'on-track']]);
    expect(item!.documents[0]!.label).toBe('Notes of an inquorate conference');
    expect(item!.status).toBe('on-track');
    expect(
      classify({
        conferences: [conference({ id: 'q', status: 'adjourned-inquorate', scheduledDate: d('2026-02-26') })],
        documents: [draft('q', 'inquorate-notes', 'issued')],
      })['records-due'],
    ).toEqual([]);
  });

  it('002 §3.2: an excluded person’s letter is listed by name with no timescale, and keeps the conference listed until issued', () => {
    const all: Docs = (['decision-letter', 'chairs-summary', 'conference-record'] as const).map((k) =>
      draft('c', k, 'issued'),
    );
    const facts = {
      conferences: [held('c', '2026-02-26')],
      exclusions: [{ conferenceId: 'c', inviteeId: 'inv-1', name: 'Jo Stone' }],
      documents: all,
    };
    const [item] = classify(facts)['records-due'];
    const letter = item!.documents.find((x) => x.kind === 'exclusion-letter');
    expect(letter).toMatchObject({
      label: 'Reasons for exclusion from the conference: Jo Stone',
      subjectInviteeId: 'inv-1',
      state: 'not-started',
      due: null,
      status: null,
    });
    expect(item).toMatchObject({ status: null, due: null });
    const issuedLetter = {
      conferenceId: 'c',
      kind: 'exclusion-letter' as const,
      subjectInviteeId: 'inv-1',
      status: 'issued' as const,
    };
    expect(classify({ ...facts, documents: [...all, issuedLetter] })['records-due']).toEqual([]);
  });

  it('T-6 / T-7: the status filter matches the worst outstanding document', () => {
    const sections = classify({
      conferences: [held('c', '2026-02-26')],
      documents: [draft('c', 'decision-letter', 'issued')],
    });
    const only = (status: 'overdue' | 'due-soon') =>
      filterDashboard(sections, { chairId: null, status, type: null })['records-due'].map((i) => i.key);
    expect(only('due-soon')).toEqual(['records-due:c']);
    expect(only('overdue')).toEqual([]);
  });
});

describe('W-4 arrangements for recipients stay on the dashboard until done', () => {
  const task = (id: string, conferenceId: string, createdAt: string): DashboardArrangementTask => ({
    id,
    conferenceId,
    kind: 'conference-record',
    recipientName: 'Jo Stone',
    arrangement: 'interpreter',
    language: 'Polish',
    detail: null,
    createdAt: new Date(createdAt),
  });

  it('W-4: each open task is listed under its conference, oldest first, with no timescale of its own', () => {
    const c = conference({ id: 'c', status: 'held', scheduledDate: d('2025-06-02') });
    const out = classify({
      conferences: [c],
      arrangementTasks: [task('t2', 'c', '2026-02-10T10:00:00Z'), task('t1', 'c', '2026-02-01T10:00:00Z')],
    });
    expect(out['document-tasks'].map((i) => [i.key, i.documentLabel, i.task.recipientName, i.status])).toEqual([
      ['document-tasks:t1', 'Conference record', 'Jo Stone', null],
      ['document-tasks:t2', 'Conference record', 'Jo Stone', null],
    ]);
    expect(out['document-tasks'][0]!.concerning).toEqual([ava]);
  });

  it('W-4: a task whose conference the person may not see (not in the facts) is not listed', () => {
    expect(classify({ arrangementTasks: [task('t1', 'hidden', '2026-02-01T10:00:00Z')] })['document-tasks']).toEqual(
      [],
    );
  });
});

describe('T-9 meeting after a plan ends', () => {
  const held = conference({
    id: 'rcpc',
    type: 'review',
    status: 'held',
    scheduledDate: d('2026-02-20'),
    dueRule: 'next-review',
    children: [ava, ben],
  });

  it('T-9 meeting: children whose plan ended, until the meeting is recorded, due 10 working days after', () => {
    const [item] = classify({
      conferences: [held],
      endedPlans: [
        { conferenceId: 'rcpc', childId: ava.id, planEndedMeetingDate: null },
        { conferenceId: 'rcpc', childId: ben.id, planEndedMeetingDate: d('2026-02-27') },
      ],
    })['plan-ended'];
    expect(item!.concerning).toEqual([ava]);
    expect(item!.due.text).toBe(
      'Due 6 March 2026 — 10 working days from the end of the plan at the conference on 20 February 2026',
    );
    expect(item!.status).toBe('due-soon');
  });
});

describe('D-1 dissent referrals', () => {
  const held = conference({ id: 'icpc', status: 'held', scheduledDate: d('2026-02-16'), children: [ava, ben] });
  const referral = {
    id: 'ref-1',
    conferenceId: 'icpc',
    childId: ava.id,
    referredTo: 'Head of Safeguarding',
    referredOn: d('2026-02-17'),
    reviewedOn: null,
    reconveneDue: null,
    reconvenedBy: null,
  };

  it('D-1 pending: a referral awaiting the senior manager’s review is listed with no timescale (no RAG)', () => {
    const [item] = classify({ conferences: [held], referrals: [referral] }).dissent;
    expect(item).toMatchObject({ state: 'awaiting-review', status: null, due: null, concerning: [ava] });
  });

  it('D-1: a review that decided to reconvene is listed until a conference is linked as the reconvened one', () => {
    const reviewed = { ...referral, reviewedOn: d('2026-02-20'), reconveneDue: d('2026-03-20') };
    const [item] = classify({ conferences: [held], referrals: [reviewed] }).dissent;
    expect(item!.state).toBe('reconvene-due');
    expect(item!.due!.text).toBe(
      'Due 20 March 2026 — 20 working days from the senior manager’s review on 20 February 2026',
    );
    // Another conference planned for the child is not the reconvened one: still outstanding.
    expect(
      classify({
        conferences: [held],
        referrals: [reviewed],
        latestConferenceDate: new Map([[ava.id, d('2026-03-12')]]),
      }).dissent,
    ).toHaveLength(1);
    // Linked: no longer outstanding.
    expect(
      classify({ conferences: [held], referrals: [{ ...reviewed, reconvenedBy: 'reconvened-icpc' }] }).dissent,
    ).toEqual([]);
  });
});

describe('conferences the person may not see, and filters', () => {
  it('plans, referrals and ended plans of a conference not passed in (not visible) are not listed', () => {
    const out = classify({
      conferences: [],
      latestPlans: [
        { conferenceId: 'hidden', childId: ava.id, nextReviewDate: d('2026-03-05'), decisionOutcome: null },
      ],
      endedPlans: [{ conferenceId: 'hidden', childId: ava.id, planEndedMeetingDate: null }],
      referrals: [
        {
          id: 'r',
          conferenceId: 'hidden',
          childId: ava.id,
          referredTo: 'X',
          referredOn: d('2026-02-01'),
          reviewedOn: null,
          reconveneDue: null,
          reconvenedBy: null,
        },
      ],
    });
    expect(Object.values(out).flat()).toEqual([]);
  });

  it('filters by chair, status and type; reviews falling due match the review type', () => {
    const out = classify({
      conferences: [
        initial('a', '2026-02-23', '2026-03-10'), // on track, chair A
        initial('b', '2026-02-16', '2026-03-05', { chair: chairB }), // due 9 March: amber, chair B
        conference({ id: 'icpc', status: 'held', scheduledDate: d('2025-12-08'), chair: chairB }),
      ],
      latestPlans: [
        { conferenceId: 'icpc', childId: ava.id, nextReviewDate: d('2026-03-05'), decisionOutcome: 'plan-needed' },
      ],
    });
    const ids = (f: Parameters<typeof filterDashboard>[1]) =>
      Object.values(filterDashboard(out, f))
        .flat()
        .map((i) => i.key)
        .sort();
    expect(ids({ chairId: 'chair-a', status: null, type: null })).toEqual(['upcoming:a']);
    expect(ids({ chairId: null, status: 'due-soon', type: null })).toEqual(['reviews-due:icpc', 'upcoming:b']);
    expect(ids({ chairId: 'chair-b', status: null, type: 'review' })).toEqual(['reviews-due:icpc']);
  });
});
