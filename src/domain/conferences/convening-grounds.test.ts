import { describe, expect, it } from 'vitest';
import {
  BankHolidayCalendar,
  DEFAULT_TIMESCALE_SETTINGS,
  parseIsoDate,
  resolveTimescaleSettings,
} from '../calendar/index.ts';
import { DomainError, InvalidDetailsError } from '../shared/errors.ts';
import {
  BROUGHT_FORWARD_REASONS,
  PRE_BIRTH_GROUNDS,
  checkBroughtForward,
  checkPreBirthGrounds,
  describeBroughtForward,
  isBroughtForward,
} from './convening-grounds.ts';
import { assessConvening, conveningDeadline } from './convening.ts';

const cal = new BankHolidayCalendar();
const d = (s: string) => parseIsoDate(s);

describe('pre-birth grounds and a likely premature birth (002 §1.3, T-2)', () => {
  it('002 §1.3: the four grounds of the procedure, at least one, each once and in the procedure’s order', () => {
    expect(PRE_BIRTH_GROUNDS).toHaveLength(4);
    expect(() => checkPreBirthGrounds([])).toThrow(DomainError);
    expect(() => checkPreBirthGrounds(['risk-in-household', 'made-up'])).toThrow(/from the list/);
    expect(checkPreBirthGrounds(['risk-in-household', 'assessment-significant-harm', 'risk-in-household'])).toEqual([
      'assessment-significant-harm',
      'risk-in-household',
    ]);
  });

  it('002 §1.3: a likely premature birth ends the T-2 window at 20 weeks instead of 24, by default', () => {
    const usual = conveningDeadline({ type: 'pre-birth', expectedDeliveryDate: d('2026-08-20') }, cal);
    const early = conveningDeadline(
      { type: 'pre-birth', expectedDeliveryDate: d('2026-08-20'), prematureBirthLikely: true },
      cal,
    );
    expect(usual).toMatchObject({ earliest: '2026-02-12', latest: '2026-04-30', due: '2026-04-30' });
    expect(early).toMatchObject({ earliest: '2026-02-12', latest: '2026-04-02', due: '2026-04-02' });
    expect(early.explanation).toContain('between 13 and 20 weeks');
    expect(early.explanation).toContain('premature birth is likely');
    expect(usual.explanation).toContain('by 20 weeks instead');
  });

  it('002 §1.3: the premature week is a setting, and must sit inside the usual window', () => {
    const s = resolveTimescaleSettings({ preBirthPrematureLatestWeek: 18 });
    const early = conveningDeadline(
      { type: 'pre-birth', expectedDeliveryDate: d('2026-08-20'), prematureBirthLikely: true },
      cal,
      s,
    );
    expect(early.latest).toBe('2026-03-19');
    expect(() => resolveTimescaleSettings({ preBirthPrematureLatestWeek: 25 })).toThrow(/preBirthPrematureLatestWeek/);
    expect(() => resolveTimescaleSettings({ preBirthPrematureLatestWeek: 13 })).toThrow(/preBirthPrematureLatestWeek/);
  });

  it('002 §1.3: a date in the usual window but after the premature one needs a senior manager’s agreement', () => {
    const input = {
      type: 'pre-birth' as const,
      expectedDeliveryDate: d('2026-08-20'),
      prematureBirthLikely: true,
      scheduledDate: d('2026-04-20'),
    };
    expect(() => assessConvening(input, cal)).toThrow(/senior manager/);
    expect(assessConvening({ ...input, prematureBirthLikely: false }, cal).withinTimescale).toBe(true);
  });
});

describe('bringing a review forward (002 §2.2, T-3)', () => {
  const margin = DEFAULT_TIMESCALE_SETTINGS.reviewBroughtForwardDays;

  it('002 §2.2: a review more than the set number of days before it is due is brought forward; other types never are', () => {
    expect(margin).toBe(42);
    // Due 12 June 2026: 42 days before is 1 May.
    expect(isBroughtForward('review', d('2026-04-30'), d('2026-06-12'), margin)).toBe(true);
    expect(isBroughtForward('review', d('2026-05-01'), d('2026-06-12'), margin)).toBe(false);
    expect(isBroughtForward('initial', d('2026-01-01'), d('2026-06-12'), margin)).toBe(false);
  });

  it('002 §2.2: the six reasons of the procedure and another reason, which must be described', () => {
    expect(BROUGHT_FORWARD_REASONS.filter((r) => r !== 'other')).toHaveLength(6);
    expect(() => checkBroughtForward(null, null)).toThrow(InvalidDetailsError);
    expect(() => checkBroughtForward('boredom', null)).toThrow(/from the list/);
    expect(() => checkBroughtForward('other', '   ')).toThrow(/Enter why/);
    expect(checkBroughtForward('offender-contact', 'ignored')).toEqual({
      reason: 'offender-contact',
      otherReason: null,
    });
    const other = checkBroughtForward('other', ' Family asked ');
    expect(other).toEqual({ reason: 'other', otherReason: 'Family asked' });
    expect(describeBroughtForward(other)).toBe('Family asked');
    expect(describeBroughtForward({ reason: 'plan-no-longer-needed', otherReason: null })).toMatch(/core group/);
  });
});
