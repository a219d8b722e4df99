import { describe, expect, it } from 'vitest';
import { formatLongDate } from './format.ts';

// The `longDate` filter every page uses: a date alone, or a moment read in England (BST in summer).
describe('formatLongDate', () => {
  it('writes a date without a time in the GOV.UK style', () => {
    expect(formatLongDate('2025-03-03')).toBe('3 March 2025');
  });

  it('writes a moment as the time in England, in winter and in summer', () => {
    expect(formatLongDate(new Date('2025-01-10T14:05:00Z'))).toBe('10 January 2025 at 14:05');
    expect(formatLongDate(new Date('2025-06-03T13:05:00Z'))).toBe('3 June 2025 at 14:05');
    expect(formatLongDate('2025-06-03T13:05:00Z')).toBe('3 June 2025 at 14:05');
  });

  it('leaves text that is not a date as it is', () => {
    expect(formatLongDate('not a date')).toBe('not a date');
  });
});
