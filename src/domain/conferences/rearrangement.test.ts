import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../calendar/index.ts';
import { InvalidDetailsError } from '../people/errors.ts';
import { DomainError } from '../shared/errors.ts';
import { type Arrangements, arrangementChanges, assertPlanned, buildCancellationNotice, checkReason, describeChanges, emailState } from './rearrangement.ts';

const d = (s: string) => parseIsoDate(s);
const before: Arrangements = { scheduledDate: d('2026-03-16'), startTime: '10:00', durationMinutes: 120, venueKind: 'in-person', venueDetails: 'Room 2\nTown Hall', onlineLink: null };

describe('what changed on a conference', () => {
  it('lists each changed arrangement from what to what, in words, and nothing that stayed the same', () => {
    const changes = arrangementChanges(before, { ...before, scheduledDate: d('2026-03-18'), venueKind: 'hybrid', onlineLink: 'https://teams.microsoft.com/l/x' });
    expect(changes).toEqual([
      { field: 'scheduledDate', label: 'Date', from: 'Monday 16 March 2026', to: 'Wednesday 18 March 2026' },
      { field: 'venueKind', label: 'How people take part', from: 'In person', to: 'Hybrid: in person and online' },
      { field: 'onlineLink', label: 'Microsoft Teams link', from: 'None', to: 'https://teams.microsoft.com/l/x' },
    ]);
    expect(describeChanges(changes)[0]).toBe('Date: was Monday 16 March 2026, now Wednesday 18 March 2026');
    expect(arrangementChanges(before, { ...before })).toEqual([]);
  });

  it('puts an address on one line and a length in hours and minutes', () => {
    expect(arrangementChanges(before, { ...before, venueDetails: 'Room 5\nCivic Centre', durationMinutes: 90 }).map((c) => [c.from, c.to])).toEqual([
      ['2 hours', '1 hour 30 minutes'],
      ['Room 2, Town Hall', 'Room 5, Civic Centre'],
    ]);
  });
});

describe('which conferences can be rearranged or cancelled', () => {
  it('only a planned one; otherwise the message says why', () => {
    expect(() => assertPlanned('planned', 'rearrange')).not.toThrow();
    expect(() => assertPlanned('held', 'rearrange')).toThrow('This conference has been held: its date, time or venue can no longer be changed');
    expect(() => assertPlanned('in-progress', 'cancel')).toThrow('This conference has started: it can no longer be cancelled');
    expect(() => assertPlanned('cancelled', 'cancel')).toThrow(DomainError);
  });

  it('needs a reason of at most 1,000 characters, on the field named', () => {
    expect(checkReason('  Chair ill  ', 'reason', 'Enter why')).toBe('Chair ill');
    expect(() => checkReason(' ', 'reason', 'Enter why')).toThrow(InvalidDetailsError);
    expect(() => checkReason('x'.repeat(1001), 'reason', 'Enter why')).toThrow('The reason must be 1,000 characters or fewer');
  });
});

describe('the cancellation notice', () => {
  it('says which conference will not take place and who to contact, without names in the subject and without the reason', () => {
    const n = buildCancellationNotice({
      councilName: 'Northshire County Council',
      issuedOn: d('2026-03-02'),
      type: 'initial',
      scheduledDate: d('2026-03-16'),
      startTime: '10:00',
      childGivenNames: ['Ava', 'Ben'],
      recipientName: 'Grace Okafor',
      contact: { name: 'Bo Support', email: 'bo@council.gov.uk' },
    });
    expect(n.subject).toBe('Child protection conference on Monday 16 March 2026 at 10am cancelled');
    expect(n.body).toContain('Dear Grace Okafor,');
    expect(n.body).toContain('about Ava and Ben on Monday 16 March 2026 at 10am has been cancelled');
    expect(n.body).toContain('please contact Bo Support at bo@council.gov.uk');
  });
});

describe('an email’s delivery state as a person reads it', () => {
  it('sent (or kept in the outbox), failed (or refused), otherwise queued', () => {
    expect(['queued', 'sending', 'sent', 'kept', 'failed', 'rejected'].map(emailState)).toEqual(['queued', 'queued', 'sent', 'sent', 'failed', 'failed']);
  });
});
