import { describe, expect, it } from 'vitest';
import { parseIsoDate as d } from '../calendar/index.ts';
import { ageOn } from './age.ts';

describe('ageOn', () => {
  it('counts whole years, turning older on the birthday itself', () => {
    expect(ageOn(d('2014-06-15'), d('2026-06-14'))).toBe(11);
    expect(ageOn(d('2014-06-15'), d('2026-06-15'))).toBe(12);
    expect(ageOn(d('2014-06-15'), d('2026-12-31'))).toBe(12);
  });

  it('is 0 on the day of birth', () => {
    expect(ageOn(d('2026-03-02'), d('2026-03-02'))).toBe(0);
  });

  it('treats a 29 February birthday as reached on 1 March in other years', () => {
    expect(ageOn(d('2012-02-29'), d('2025-02-28'))).toBe(12);
    expect(ageOn(d('2012-02-29'), d('2025-03-01'))).toBe(13);
    expect(ageOn(d('2012-02-29'), d('2024-02-29'))).toBe(12);
  });

  it('refuses a date before the birth', () => {
    expect(() => ageOn(d('2020-01-01'), d('2019-12-31'))).toThrow(/before the date of birth/);
  });
});
