import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../calendar/index.ts';
import { type Sending, isSent, secureLinkProblems, sendingState } from './sending.ts';

const TODAY = '2026-03-10' as IsoDate;
const good = {
  email: 'grace.home@example.org',
  emailAgain: 'Grace.Home@example.org ',
  confirmedHow: 'phone',
  confirmedOn: '2026-03-09',
};
const fields = (input: typeof good) => secureLinkProblems(input, TODAY).map((p) => p.field);

const link = (more: Partial<Sending> = {}): Sending => ({
  method: 'secure-link',
  sentAt: new Date('2026-03-10T10:00:00Z'),
  postedOn: null,
  email: 'sent',
  openedAt: null,
  downloadedAt: null,
  ...more,
});

describe('a secure link’s details (A-5)', () => {
  it('A-5: a well-formed address typed the same twice (any case), confirmed by a named way on a past date, may be sent', () => {
    expect(secureLinkProblems(good, TODAY)).toEqual([]);
    expect(fields({ ...good, confirmedOn: TODAY })).toEqual([]);
  });

  it('A-5: a missing or malformed address, a different second address, no way of confirming or a bad date are each refused by field', () => {
    expect(fields({ ...good, email: ' ' })).toEqual(['email']);
    expect(fields({ ...good, email: 'grace@home', emailAgain: 'grace@home' })).toEqual(['email']);
    expect(fields({ ...good, emailAgain: 'grace.home@example.com' })).toEqual(['emailAgain']);
    expect(fields({ ...good, confirmedHow: 'by pigeon' })).toEqual(['confirmedHow']);
    expect(fields({ ...good, confirmedOn: '' })).toEqual(['confirmedOn']);
    expect(fields({ ...good, confirmedOn: '2026-02-30' })).toEqual(['confirmedOn']);
    expect(fields({ ...good, confirmedOn: '2026-03-11' })).toEqual(['confirmedOn']);
  });
});

describe('what became of a secure link (W-4)', () => {
  it('W-4: a secure link emailed is sent; opened and downloaded show as such', () => {
    expect(sendingState([link()])).toBe('emailed');
    expect(isSent([link()])).toBe(true);
    expect(sendingState([link({ openedAt: new Date() })])).toBe('opened');
    expect(sendingState([link({ openedAt: new Date(), downloadedAt: new Date() })])).toBe('downloaded');
  });

  it('A-6, T-6: a cancelled link is not sent and reads "cancelled", unless the copy went another way', () => {
    expect(isSent([link({ cancelled: true })])).toBe(false);
    expect(sendingState([link({ cancelled: true })])).toBe('cancelled');
    const posted: Sending = { ...link(), method: 'post', email: null, postedOn: TODAY };
    expect(sendingState([link({ cancelled: true }), posted])).toBe('posted');
    expect(sendingState([link({ cancelled: true, email: 'undeliverable' })])).toBe('undeliverable');
  });
});
