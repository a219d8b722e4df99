import { describe, expect, it } from 'vitest';
import { conveneInputFrom, errorsOfStep, parseClockTime } from './convening-forms.ts';

describe('the convening forms', () => {
  it('reads times the ways people type them', () => {
    expect(parseClockTime('9:30')).toBe('09:30');
    expect(parseClockTime('09.30')).toBe('09:30');
    expect(parseClockTime('1430')).toBe('14:30');
    expect(parseClockTime('2pm')).toBe('14:00');
    expect(parseClockTime('2:30 PM')).toBe('14:30');
    expect(parseClockTime('12am')).toBe('00:00');
    expect(parseClockTime('12pm')).toBe('12:00');
    expect(parseClockTime('midday')).toBe('12:00');
    for (const bad of ['9', '25:00', '13pm', '10:75', 'soon', '']) expect(parseClockTime(bad), bad).toBeNull();
  });

  it('takes the venue fields that belong to the kind chosen, and keeps the type’s own date only', () => {
    const { input, errors } = conveneInputFrom({
      childIds: ['a'],
      type: 'initial',
      'strategyDiscussionDate-day': '27',
      'strategyDiscussionDate-month': '2',
      'strategyDiscussionDate-year': '2026',
      'noticeOfMoveDate-day': '1',
      'noticeOfMoveDate-month': '1',
      'noticeOfMoveDate-year': '2026',
      venueKind: 'hybrid',
      venueDetails: 'ignored',
      hybridVenueDetails: 'Room 2',
      hybridOnlineLink: 'https://teams.microsoft.com/x',
      startTime: '10am',
      durationMinutes: '90',
    });
    expect(errors).toEqual([]);
    expect(input).toMatchObject({
      childIds: ['a'],
      strategyDiscussionDate: '2026-02-27',
      noticeOfMoveDate: null,
      venueDetails: 'Room 2',
      onlineLink: 'https://teams.microsoft.com/x',
      startTime: '10:00',
      durationMinutes: 90,
    });
  });

  it('reports half-typed dates and times on their own fields, by step', () => {
    const values = {
      type: 'transfer-in',
      'noticeOfMoveDate-day': '3',
      'scheduledDate-day': '40',
      'scheduledDate-month': '3',
      'scheduledDate-year': '2026',
      startTime: 'soon',
    };
    const { errors } = conveneInputFrom(values);
    expect(errors).toEqual([
      { text: 'Date of the notice of the move must include a month and year', href: '#noticeOfMoveDate-day' },
      { text: 'Date of the conference must be a real date', href: '#scheduledDate-day' },
      { text: 'Enter the start time as a time of day, like 14:00 or 2pm', href: '#startTime' },
    ]);
    expect(errorsOfStep(errors, 'type', values).map((e) => e.href)).toEqual(['#noticeOfMoveDate-day']);
    expect(errorsOfStep(errors, 'arrangements', values).map((e) => e.href)).toEqual([
      '#scheduledDate-day',
      '#startTime',
    ]);
  });
});
