import { describe, expect, it } from 'vitest';
import { parseTimeOfDay, timeOfDayMinutes, timeOfDayProblem } from './time-of-day.ts';

describe('times of day as people type them (one parser for every time field)', () => {
  it.each([
    ['14:00', '14:00'],
    ['14.00', '14:00'],
    ['1400', '14:00'],
    ['9:30', '09:30'],
    ['09.30', '09:30'],
    ['0930', '09:30'],
    ['930', '09:30'],
    ['00:00', '00:00'],
    ['23:59', '23:59'],
    ['2pm', '14:00'],
    ['2 pm', '14:00'],
    ['2PM', '14:00'],
    ['2:30pm', '14:30'],
    ['2.30 pm', '14:30'],
    ['2.30 p.m.', '14:30'],
    ['9am', '09:00'],
    ['9.15 a.m.', '09:15'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['12:30am', '00:30'],
    ['noon', '12:00'],
    ['Midday', '12:00'],
    ['12 noon', '12:00'],
    ['midnight', '00:00'],
    ['  10:05  ', '10:05'],
  ])('reads %j as %s', (typed, expected) => {
    expect(parseTimeOfDay(typed)).toBe(expected);
  });

  it.each([
    ['', 'nothing typed'],
    ['2', 'a bare hour: 2am or 2pm?'],
    ['14', 'a bare hour'],
    ['24:00', 'past the end of the day'],
    ['25:00', 'no such hour'],
    ['10:75', 'no such minute'],
    ['10:5', 'one-digit minutes'],
    ['13pm', 'no 13pm'],
    ['0am', 'no 0am'],
    ['14:00pm', '24-hour time with pm'],
    ['soon', 'not a time'],
    ['10:05:30', 'seconds'],
    ['12345', 'too many digits'],
  ])('refuses %j (%s)', (typed) => {
    expect(parseTimeOfDay(typed)).toBeNull();
  });

  it('gives minutes since midnight for the same inputs', () => {
    expect(timeOfDayMinutes('2:30pm')).toBe(14 * 60 + 30);
    expect(timeOfDayMinutes('10.05')).toBe(605);
    expect(timeOfDayMinutes(null)).toBeNull();
    expect(timeOfDayMinutes('2')).toBeNull();
  });

  it('words every refusal the same way, with the same examples', () => {
    expect(timeOfDayProblem('the start time')).toBe('Enter the start time as a time of day, like 14:00 or 2pm');
  });
});
