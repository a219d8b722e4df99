import { describe, expect, it } from 'vitest';
import { BankHolidayCalendar, parseIsoDate } from '../calendar/index.ts';
import { assessConvening, conveningDeadline } from './convening.ts';

const cal = new BankHolidayCalendar();
const d = (s: string) => parseIsoDate(s);

describe('convening a conference within its timescale', () => {
  it('T-1: an initial conference is due 15 working days after the strategy discussion (Easter and the early May bank holiday 2025 skipped)', () => {
    const deadline = conveningDeadline({ type: 'initial', strategyDiscussionDate: d('2025-04-10') }, cal);
    expect(deadline.ruleId).toBe('T-1');
    // Skips Good Friday 18 Apr, Easter Monday 21 Apr and the early May bank holiday 5 May.
    expect(deadline.due).toBe('2025-05-06');
  });

  it('T-1: a date after the due date needs the senior manager who agreed it and a reason', () => {
    const input = { type: 'initial' as const, strategyDiscussionDate: d('2025-04-10'), scheduledDate: d('2025-05-07') };
    expect(() => assessConvening(input, cal)).toThrow(/senior manager who agreed/);
    expect(() => assessConvening({ ...input, lateAgreedBy: 'Head of Service' }, cal)).toThrow(/Enter the reason/);
    const ok = assessConvening({ ...input, lateAgreedBy: 'Head of Service', lateReason: 'Police report delayed' }, cal);
    expect(ok).toMatchObject({ withinTimescale: false });
    expect(ok.outsideTimescale).toContain('6 May 2025');
  });

  it('T-1: a date before the strategy discussion is refused on the date field', () => {
    try {
      assessConvening(
        { type: 'initial', strategyDiscussionDate: d('2025-04-10'), scheduledDate: d('2025-04-09') },
        cal,
      );
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'DATE_BEFORE_START', field: 'scheduledDate' });
    }
  });

  it('T-2: a pre-birth conference falls between 13 and 24 weeks of pregnancy', () => {
    const edd = d('2026-09-01');
    const deadline = conveningDeadline({ type: 'pre-birth', expectedDeliveryDate: edd }, cal);
    expect(deadline).toMatchObject({ ruleId: 'T-2', earliest: '2026-02-24', latest: '2026-05-12' });
    expect(
      assessConvening({ type: 'pre-birth', expectedDeliveryDate: edd, scheduledDate: d('2026-04-01') }, cal)
        .withinTimescale,
    ).toBe(true);
    expect(() =>
      assessConvening({ type: 'pre-birth', expectedDeliveryDate: edd, scheduledDate: d('2026-02-02') }, cal),
    ).toThrow(/before the earliest/);
    expect(() =>
      assessConvening({ type: 'pre-birth', expectedDeliveryDate: edd, scheduledDate: d('2026-09-02') }, cal),
    ).toThrow(/before the expected date of delivery/);
  });

  it('T-3: a review needs the conference it follows; the first within 90 days, later ones within 6 months', () => {
    expect(() => assessConvening({ type: 'review', scheduledDate: d('2026-03-01') }, cal)).toThrow(
      /Select the conference this review follows/,
    );
    expect(
      conveningDeadline({ type: 'review', previousConference: { type: 'initial', date: d('2026-01-05') } }, cal).rule,
    ).toBe('first-review');
    expect(
      conveningDeadline({ type: 'review', previousConference: { type: 'review', date: d('2026-01-05') } }, cal),
    ).toMatchObject({ rule: 'next-review', due: '2026-07-03' });
  });

  it('T-4: a transfer-in conference is due 15 working days after notice of the move', () => {
    expect(() => assessConvening({ type: 'transfer-in', scheduledDate: d('2026-03-01') }, cal)).toThrow(
      /told the family had moved/,
    );
    expect(conveningDeadline({ type: 'transfer-in', noticeOfMoveDate: d('2026-03-02') }, cal)).toMatchObject({
      ruleId: 'T-4',
      due: '2026-03-23',
    });
  });
});
