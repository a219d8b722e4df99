import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../calendar/index.ts';
import { DomainError, InvalidDetailsError } from '../shared/errors.ts';
import {
  type Arrangements,
  type ConferenceForChildren,
  arrangementChanges,
  assertPlanned,
  buildCancellationNotice,
  cancellationCaseNote,
  cancelledConferenceReplaced,
  checkReason,
  describeChanges,
  emailState,
  replacementFrom,
} from './rearrangement.ts';

const d = (s: string) => parseIsoDate(s);
const before: Arrangements = {
  scheduledDate: d('2026-03-16'),
  startTime: '10:00',
  durationMinutes: 120,
  venueKind: 'in-person',
  venueDetails: 'Room 2\nTown Hall',
  onlineLink: null,
};

describe('what changed on a conference', () => {
  it('lists each changed arrangement from what to what, in words, and nothing that stayed the same', () => {
    const changes = arrangementChanges(before, {
      ...before,
      scheduledDate: d('2026-03-18'),
      venueKind: 'hybrid',
      onlineLink: 'https://teams.microsoft.com/l/x',
    });
    expect(changes).toEqual([
      { field: 'scheduledDate', label: 'Date', from: 'Monday 16 March 2026', to: 'Wednesday 18 March 2026' },
      { field: 'venueKind', label: 'How people take part', from: 'In person', to: 'Hybrid: in person and online' },
      { field: 'onlineLink', label: 'Microsoft Teams link', from: 'None', to: 'https://teams.microsoft.com/l/x' },
    ]);
    expect(describeChanges(changes)[0]).toBe('Date: was Monday 16 March 2026, now Wednesday 18 March 2026');
    expect(arrangementChanges(before, { ...before })).toEqual([]);
  });

  it('puts an address on one line and a length in hours and minutes', () => {
    expect(
      arrangementChanges(before, { ...before, venueDetails: 'Room 5\nCivic Centre', durationMinutes: 90 }).map((c) => [
        c.from,
        c.to,
      ]),
    ).toEqual([
      ['2 hours', '1 hour 30 minutes'],
      ['Room 2, Town Hall', 'Room 5, Civic Centre'],
    ]);
  });
});

describe('which conferences can be rearranged or cancelled', () => {
  it('only a planned one; otherwise the message says why', () => {
    expect(() => assertPlanned('planned', 'rearrange')).not.toThrow();
    expect(() => assertPlanned('held', 'rearrange')).toThrow(
      'This conference has been held: its date, time or venue can no longer be changed',
    );
    expect(() => assertPlanned('in-progress', 'cancel')).toThrow(
      'This conference has started: it can no longer be cancelled',
    );
    expect(() => assertPlanned('cancelled', 'cancel')).toThrow(DomainError);
  });

  it('needs a reason of at most 1,000 characters, on the field named', () => {
    expect(checkReason('  Chair ill  ', 'reason', 'Enter why')).toBe('Chair ill');
    expect(() => checkReason(' ', 'reason', 'Enter why')).toThrow(InvalidDetailsError);
    expect(() => checkReason('x'.repeat(1001), 'reason', 'Enter why')).toThrow(
      'The reason must be 1,000 characters or fewer',
    );
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
    expect(['queued', 'sending', 'sent', 'kept', 'failed', 'rejected'].map(emailState)).toEqual([
      'queued',
      'queued',
      'sent',
      'sent',
      'failed',
      'failed',
    ]);
  });
});

describe('after a cancellation (T-1 … T-4)', () => {
  const d = parseIsoDate;
  const cancelled: ConferenceForChildren = {
    id: 'c',
    type: 'initial',
    status: 'cancelled',
    scheduledDate: d('2026-03-13'),
    childIds: ['ava', 'ben'],
  };
  const other = (over: Partial<ConferenceForChildren>): ConferenceForChildren => ({
    id: 'n',
    type: 'initial',
    status: 'planned',
    scheduledDate: d('2026-03-19'),
    childIds: ['ava', 'ben'],
    ...over,
  });
  const since = d('2026-02-20');

  it('is replaced only by another conference of the type, held or planned, for every child, on or after the timescale’s start', () => {
    expect(cancelledConferenceReplaced(cancelled, since, [other({})])).toBe(true);
    expect(cancelledConferenceReplaced(cancelled, since, [other({ status: 'held', scheduledDate: since })])).toBe(true);
    expect(cancelledConferenceReplaced(cancelled, since, [other({ status: 'cancelled' })])).toBe(false);
    expect(cancelledConferenceReplaced(cancelled, since, [other({ type: 'review' })])).toBe(false);
    expect(cancelledConferenceReplaced(cancelled, since, [other({ childIds: ['ava'] })])).toBe(false);
    expect(cancelledConferenceReplaced(cancelled, since, [other({ scheduledDate: d('2026-02-19') })])).toBe(false);
    expect(cancelledConferenceReplaced(cancelled, since, [other({ id: 'c' })])).toBe(false);
  });

  it('T-2: a pre-birth conference is replaced by one held before the expected date of delivery, from the start of the pregnancy', () => {
    expect(replacementFrom('pre-birth', d('2026-06-01'), { pregnancyLengthDays: 280 })).toBe('2025-08-25');
    expect(replacementFrom('initial', since, { pregnancyLengthDays: 280 })).toBe(since);
  });

  it('writes the case note with the conference, the reason and when a new one is needed', () => {
    expect(
      cancellationCaseNote({
        type: 'initial',
        scheduledDate: d('2026-03-13'),
        reason: 'Chair ill',
        neededBy: d('2026-03-20'),
      }),
    ).toBe(
      'The initial child protection conference of Friday 13 March 2026 was cancelled. Reason: Chair ill\nA new initial child protection conference is needed by Friday 20 March 2026.',
    );
    expect(
      cancellationCaseNote({
        type: 'transfer-in',
        scheduledDate: d('2026-03-13'),
        reason: 'Chair ill',
        neededBy: null,
      }),
    ).toContain('Another transfer-in child protection conference is already arranged.');
  });
});
