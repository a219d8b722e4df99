import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CalendarError } from './errors.ts';
import { addDays, addMonths, daysBetween } from './iso-date.ts';
import { computedCalendar as cal, d } from './test-support.ts';
import {
  computeDeadline,
  DEFAULT_TIMESCALE_SETTINGS,
  isRuleName,
  resolveTimescaleSettings,
  RULE_NAMES,
  TIMESCALE_RULES,
  timescaleSettingsSchema,
  type RuleName,
} from './timescales.ts';

const due = (rule: RuleName, from: string) => computeDeadline(rule, d(from), cal).due;

describe('rule table', () => {
  // [rule, from, due, why]; each test name starts with the rule ID.
  const cases: ReadonlyArray<readonly [RuleName, string, string, string]> = [
    ['initial-conference', '2025-03-03', '2025-03-24', 'Mon 3 Mar 2025, no bank holidays'],
    [
      'initial-conference',
      '2025-04-17',
      '2025-05-13',
      'Thu 17 Apr 2025 (Good Friday, Easter Monday and early May skipped)',
    ],
    [
      'initial-conference',
      '2025-12-15',
      '2026-01-08',
      "Mon 15 Dec 2025 (Christmas, Boxing Day and New Year's Day skipped)",
    ],
    ['first-review', '2025-03-03', '2025-05-30', 'day 90 is Sun 1 Jun 2025 → last working day before, Fri 30 May'],
    ['first-review', '2025-05-27', '2025-08-22', 'day 90 is the summer bank holiday Mon 25 Aug 2025 → Fri 22 Aug'],
    ['first-review', '2023-12-01', '2024-02-29', 'day 90 is Thu 29 Feb 2024'],
    ['first-review', '2029-01-02', '2029-03-29', 'day 90 is Easter Monday 2029 → back four days to Thu 29 Mar'],
    ['next-review', '2025-08-31', '2026-02-27', '6 months → 28 Feb 2026 (clamped), a Saturday → Fri 27 Feb'],
    ['next-review', '2023-08-31', '2024-02-29', '6 months → 29 Feb 2024 (clamped), a Thursday'],
    ['next-review', '2024-02-29', '2024-08-29', '29 Feb 2024 + 6 months → Thu 29 Aug 2024'],
    ['next-review', '2025-06-26', '2025-12-24', '6 months → Boxing Day → back over Christmas Day to Wed 24 Dec'],
    ['transfer-in-conference', '2025-12-22', '2026-01-15', 'notice Mon 22 Dec 2025 over Christmas and New Year'],
    ['reports-to-family', '2025-03-10', '2025-03-05', 'conference Mon 10 Mar 2025 → Wed 5 Mar'],
    ['reports-to-family', '2025-04-23', '2025-04-16', 'conference Wed 23 Apr 2025, counting back over Easter'],
    ['reports-to-family', '2026-06-02', '2026-05-28', 'conference Tue 2 Jun 2026, back over the spring bank holiday'],
    ['reports-to-family', '2025-01-03', '2024-12-30', "conference Fri 3 Jan 2025, back over New Year's Day"],
    ['decision-letter', '2025-03-07', '2025-03-10', 'Friday conference → Monday'],
    ['decision-letter', '2025-04-17', '2025-04-22', 'Thursday before Easter → Tuesday after'],
    ['decision-letter', '2026-12-24', '2026-12-29', 'Christmas Eve 2026 (Boxing Day substitute Mon 28 Dec)'],
    ['decision-letter', '2027-12-24', '2027-12-29', 'Christmas Eve 2027 (both substitute days)'],
    ['chair-summary', '2025-04-17', '2025-04-23', 'over Easter'],
    ['chair-summary', '2025-12-31', '2026-01-05', "over New Year's Day"],
    ['record-distribution', '2025-05-19', '2025-06-10', 'over the spring bank holiday'],
    ['record-distribution', '2022-06-01', '2022-06-24', 'over the 2022 spring bank holiday and Platinum Jubilee'],
    ['record-amendments', '2022-09-12', '2022-09-27', 'over the state funeral, 19 Sep 2022'],
    ['record-amendments', '2025-03-08', '2025-03-21', 'record received on a Saturday'],
    ['plan-ended-meeting', '2023-05-04', '2023-05-19', 'over the coronation, 8 May 2023'],
    ['recording-copy', '2025-01-31', '2025-02-28', '31 Jan → 28 Feb'],
    ['recording-copy', '2024-01-31', '2024-02-29', '31 Jan 2024 → 29 Feb 2024'],
    ['recording-copy', '2025-08-31', '2025-09-30', '31 Aug → 30 Sep'],
    ['recording-copy', '2025-10-31', '2025-12-01', 'month end Sun 30 Nov → Mon 1 Dec'],
    ['recording-copy', '2025-11-26', '2025-12-29', 'Boxing Day → Mon 29 Dec'],
    ['recording-copy-extended', '2025-09-26', '2025-12-29', 'three months → Boxing Day → Mon 29 Dec'],
    ['recording-copy-extended', '2023-11-30', '2024-02-29', 'three months → 29 Feb 2024'],
    ['reconvene-after-dissent', '2025-12-01', '2025-12-31', 'over Christmas'],
    ['recording-permission-request', '2025-03-10', '2025-03-08', 'two calendar days before, even a Saturday'],
    ['recording-permission-request', '2024-03-02', '2024-02-29', 'two days before 2 Mar 2024 is 29 Feb'],
  ];

  it.each(cases.map(([rule, from, want, why]) => [TIMESCALE_RULES[rule].ruleId, rule, from, want, why] as const))(
    '%s %s: from %s → due %s (%s)',
    (_id, rule, from, want) => {
      expect(due(rule, from)).toBe(want);
    },
  );

  it('T-2: EDD 1 Oct 2025 → window 26 Mar 2025 (13 weeks) to 11 Jun 2025 (24 weeks)', () => {
    const r = computeDeadline('pre-birth-conference', d('2025-10-01'), cal);
    expect([r.earliest, r.latest, r.due]).toEqual(['2025-03-26', '2025-06-11', '2025-06-11']);
  });

  it('T-2: when 24 weeks falls on a Saturday, due stays on that date and the explanation gives the last working day', () => {
    const r = computeDeadline('pre-birth-conference', d('2025-10-04'), cal);
    expect(r.due).toBe('2025-06-14');
    expect(r.explanation).toContain('14 June 2025 is a Saturday, so in practice the last working day is 13 June 2025');
  });
});

describe('explanations', () => {
  it('T-1 reads as the example, with no holidays in the range', () => {
    expect(computeDeadline('initial-conference', d('2025-03-03'), cal).explanation).toContain(
      'within 15 working days of the strategy discussion at which the section 47 enquiry began (rule T-1). Counting from 3 March 2025, weekends and bank holidays excluded, the last day is 24 March 2025.',
    );
  });

  it('T-1 names the bank holidays skipped in the counted range', () => {
    expect(computeDeadline('initial-conference', d('2025-04-17'), cal).explanation).toContain(
      'Counting from 17 April 2025, weekends and bank holidays (Good Friday, 18 April 2025; Easter Monday, 21 April 2025; Early May bank holiday, 5 May 2025) excluded, the last day is 13 May 2025.',
    );
  });

  it('T-1 mentions the senior manager agreement needed for a later conference', () => {
    expect(computeDeadline('initial-conference', d('2025-03-03'), cal).explanation).toMatch(
      /senior manager's agreement/,
    );
  });

  it('T-5 counts back and names the holidays passed', () => {
    expect(computeDeadline('reports-to-family', d('2025-04-23'), cal).explanation).toContain(
      'Counting back from the conference on 23 April 2025, weekends and bank holidays (Good Friday, 18 April 2025; Easter Monday, 21 April 2025) excluded, the last day to share them is 16 April 2025.',
    );
  });

  it('T-2 mentions premature birth and the midwife', () => {
    const text = computeDeadline('pre-birth-conference', d('2025-10-01'), cal).explanation;
    expect(text).toMatch(/premature birth/);
    expect(text).toMatch(/midwife must be invited/);
  });

  it('T-3 explains a clamped month end on a weekend', () => {
    expect(computeDeadline('next-review', d('2025-08-31'), cal).explanation).toContain(
      '6 months after the review on 31 August 2025 is 28 February 2026 (February 2026 has no 31st, so the last day of that month is used); that is a Saturday, so the last working day within the period is 27 February 2026.',
    );
  });

  it('T-6 decision letter explains "within 24 hours" as the next working day', () => {
    expect(computeDeadline('decision-letter', d('2026-12-24'), cal).explanation).toMatch(
      /within 24 hours .* next working day\. .*\(Christmas Day, 25 December 2026; Boxing Day \(substitute day\), 28 December 2026\) excluded, the last day is 29 December 2026\./,
    );
  });

  it('T-10 explains clamping to the month end', () => {
    expect(computeDeadline('recording-copy', d('2025-01-31'), cal).explanation).toContain(
      'One calendar month after 31 January 2025 is 28 February 2025 (February 2025 has no 31st, so the last day of that month is used).',
    );
  });

  it('T-10 explains rolling forward past a bank holiday', () => {
    expect(computeDeadline('recording-copy', d('2025-11-26'), cal).explanation).toContain(
      'is 26 December 2025; that is a bank holiday (Boxing Day), so the deadline moves to the next working day, 29 December 2025.',
    );
  });

  it('A-9 extended says the requester must be told why within the first month', () => {
    const r = computeDeadline('recording-copy-extended', d('2025-09-26'), cal);
    expect(r.ruleId).toBe('A-9');
    expect(r.explanation).toContain(
      'The requester must be told within the first month, by 27 October 2025, that more time is needed and why.',
    );
  });

  it('T-11 says "preferably" and that a late request is still considered', () => {
    const text = computeDeadline('recording-permission-request', d('2025-03-10'), cal).explanation;
    expect(text).toMatch(/preferably at least 48 hours before/);
    expect(text).toMatch(/not refused just because it is late/);
  });

  it('every rule explanation cites its rule ID and the due date', () => {
    for (const rule of RULE_NAMES) {
      const r = computeDeadline(rule, d('2025-06-16'), cal);
      expect(r.explanation, rule).toContain(`rule${r.ruleId === 'T-10' ? 's T-10' : ` ${r.ruleId}`}`);
      expect(r.explanation, rule).toMatch(new RegExp(`\\b${Number(r.due.slice(8))} \\w+ ${r.due.slice(0, 4)}`));
    }
  });
});

describe('rule metadata', () => {
  it('has one entry per rule name, with form labels and meanings', () => {
    expect(Object.keys(TIMESCALE_RULES).sort()).toEqual([...RULE_NAMES].sort());
    for (const name of RULE_NAMES) {
      const rule = TIMESCALE_RULES[name];
      expect(rule.name).toBe(name);
      expect(rule.fromLabel).toMatch(/^[A-Z]/);
      expect(rule.fromMeaning).toBe(rule.fromLabel.charAt(0).toLowerCase() + rule.fromLabel.slice(1));
    }
    expect(TIMESCALE_RULES['initial-conference'].fromLabel).toBe('Date of the strategy discussion');
  });

  it('maps rule names to the DOMAIN.md rule IDs', () => {
    expect(Object.fromEntries(RULE_NAMES.map((n) => [n, TIMESCALE_RULES[n].ruleId]))).toEqual({
      'initial-conference': 'T-1',
      'pre-birth-conference': 'T-2',
      'first-review': 'T-3',
      'next-review': 'T-3',
      'transfer-in-conference': 'T-4',
      'reports-to-family': 'T-5',
      'decision-letter': 'T-6',
      'chair-summary': 'T-6',
      'record-distribution': 'T-7',
      'record-amendments': 'T-8',
      'plan-ended-meeting': 'T-9',
      'recording-copy': 'T-10',
      'recording-copy-extended': 'A-9',
      'reconvene-after-dissent': 'D-1',
      'recording-permission-request': 'T-11',
    });
  });

  it('isRuleName', () => {
    expect(isRuleName('initial-conference')).toBe(true);
    expect(isRuleName('initial_conference')).toBe(false);
    expect(isRuleName(undefined)).toBe(false);
  });

  it('computeDeadline returns the rule, title, from and fromMeaning', () => {
    const r = computeDeadline('record-amendments', d('2025-03-03'), cal);
    expect(r).toMatchObject({
      rule: 'record-amendments',
      ruleId: 'T-8',
      from: '2025-03-03',
      fromMeaning: 'date the record was received',
    });
    expect(r.earliest).toBeUndefined();
  });
});

describe('bad input', () => {
  it('UNKNOWN_RULE for a name that is not a rule', () => {
    expect(() => computeDeadline('initial_conference' as RuleName, d('2025-03-03'), cal)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_RULE' }),
    );
  });

  it('INVALID_DATE for a from date that is not an IsoDate', () => {
    expect(() => computeDeadline('initial-conference', '2025-02-30' as never, cal)).toThrow(
      expect.objectContaining({ code: 'INVALID_DATE' }),
    );
  });
});

describe('settings', () => {
  it('defaults are the seed values and pass the schema', () => {
    expect(timescaleSettingsSchema.parse(DEFAULT_TIMESCALE_SETTINGS)).toEqual(DEFAULT_TIMESCALE_SETTINGS);
    expect(DEFAULT_TIMESCALE_SETTINGS).toMatchObject({
      initialConferenceWorkingDays: 15,
      preBirthEarliestWeek: 13,
      preBirthLatestWeek: 24,
      firstReviewDays: 90,
    });
  });

  it('T-1 with a council override of 10 working days', () => {
    const settings = resolveTimescaleSettings({ initialConferenceWorkingDays: 10 });
    const r = computeDeadline('initial-conference', d('2025-03-03'), cal, settings);
    expect(r.due).toBe('2025-03-17');
    expect(r.explanation).toMatch(/within 10 working days/);
  });

  it('T-6 with two working days for the decision letter no longer says "24 hours"', () => {
    const r = computeDeadline(
      'decision-letter',
      d('2025-03-07'),
      cal,
      resolveTimescaleSettings({ decisionLetterWorkingDays: 2 }),
    );
    expect(r.due).toBe('2025-03-11');
    expect(r.explanation).not.toMatch(/24 hours/);
  });

  it.each([
    [{ initialConferenceWorkingDays: 0 }, /initialConferenceWorkingDays/],
    [{ initialConferenceWorkingDays: 1.5 }, /initialConferenceWorkingDays/],
    [{ initialConferenceWorkingDays: '15' }, /initialConferenceWorkingDays/],
    [{ initalConferenceWorkingDays: 15 }, /initalConferenceWorkingDays/],
    [{ preBirthEarliestWeek: 30 }, /preBirthEarliestWeek must be before preBirthLatestWeek/],
    [{ preBirthLatestWeek: 41 }, /preBirthLatestWeek must fall before the expected date of delivery/],
    ['not settings', /Invalid timescale settings/],
  ])('INVALID_SETTINGS for %j', (overrides, message) => {
    expect(() => resolveTimescaleSettings(overrides)).toThrow(CalendarError);
    expect(() => resolveTimescaleSettings(overrides)).toThrow(message);
  });

  it('computeDeadline validates settings passed directly', () => {
    const bad = { ...DEFAULT_TIMESCALE_SETTINGS, firstReviewDays: -90 };
    expect(() => computeDeadline('first-review', d('2025-03-03'), cal, bad)).toThrow(
      expect.objectContaining({ code: 'INVALID_SETTINGS' }),
    );
  });
});

describe('rule properties (2024-2030)', () => {
  const START = d('2024-01-01');
  const date = fc.integer({ min: 0, max: daysBetween(START, d('2030-12-31')) }).map((i) => addDays(START, i));
  const WORKING_DAY_RULES: RuleName[] = [
    'initial-conference',
    'transfer-in-conference',
    'reports-to-family',
    'decision-letter',
    'chair-summary',
    'record-distribution',
    'record-amendments',
    'plan-ended-meeting',
    'recording-copy',
    'recording-copy-extended',
    'reconvene-after-dissent',
    'first-review',
    'next-review',
  ];

  it('working-day rules always fall on a working day', () => {
    fc.assert(
      fc.property(date, fc.constantFrom(...WORKING_DAY_RULES), (x, rule) => cal.isWorkingDay(due(rule, x))),
      { numRuns: 300 },
    );
  });

  it('T-3: the review is due within the period, at most 4 days early (Easter Monday back to Maundy Thursday)', () => {
    fc.assert(
      fc.property(date, (x) => {
        const first = daysBetween(due('first-review', x), addDays(x, 90));
        const next = daysBetween(due('next-review', x), addMonths(x, 6));
        return first >= 0 && first <= 4 && next >= 0 && next <= 4;
      }),
      { numRuns: 300 },
    );
  });

  it('T-5: reports are due before the conference; the others after the from date', () => {
    fc.assert(
      fc.property(date, fc.constantFrom(...WORKING_DAY_RULES), (x, rule) =>
        rule === 'reports-to-family' ? due(rule, x) < x : due(rule, x) > x,
      ),
      { numRuns: 300 },
    );
  });

  it('T-2: the window is 11 weeks long and ends 16 weeks before the EDD', () => {
    fc.assert(
      fc.property(date, (edd) => {
        const r = computeDeadline('pre-birth-conference', edd, cal);
        return (
          r.earliest !== undefined &&
          r.latest === r.due &&
          daysBetween(r.earliest, r.due) === 77 &&
          daysBetween(r.due, edd) === 112
        );
      }),
      { numRuns: 100 },
    );
  });
});
