import { describe, expect, it } from 'vitest';
import { computeDeadline, DEFAULT_TIMESCALE_SETTINGS } from '../calendar/index.ts';
import { buildWorkQueue, countByStep, filterByStep, queueItem, requestDeadline, type QueueRequest } from './queue.ts';
import { at, calendar, d, dad, rules } from './test-support.ts';
import type { RequestState } from './workflow.ts';

function req(
  id: string,
  receivedOn: string,
  state: RequestState = 'referred',
  over: Partial<QueueRequest> = {},
): QueueRequest {
  return {
    id,
    state,
    receivedOn: d(receivedOn),
    extension: null,
    chairId: 'chair-1',
    delivery: null,
    requester: dad,
    ...over,
  };
}

const extension = { reason: 'Complex', toldOn: d('2026-03-20'), recordedBy: 'bs-1', recordedAt: at('2026-03-20') };

describe('A-9 due dates', () => {
  it.each([
    ['2026-03-09', '2026-04-09'], // same date next month, a Thursday
    ['2026-01-31', '2026-03-02'], // no 31 February: last day, Saturday 28 February → Monday 2 March
    ['2026-03-05', '2026-04-07'], // Sunday 5 April, then Easter Monday → Tuesday 7 April
    ['2025-11-25', '2025-12-29'], // Thursday 25 December, Boxing Day, weekend → Monday 29 December
  ])('A-9: received %s → due %s (the calendar’s recording-copy rule)', (received, due) => {
    const deadline = requestDeadline(req('r', received), rules);
    expect(deadline.due).toBe(due);
    expect(deadline).toEqual(computeDeadline('recording-copy', d(received), calendar));
    expect(deadline.ruleId).toBe('T-10');
  });

  it('A-9: once extended, due three calendar months from receipt (the recording-copy-extended rule)', () => {
    const deadline = requestDeadline(req('r', '2026-03-09', 'referred', { extension }), rules);
    expect(deadline).toMatchObject({ rule: 'recording-copy-extended', ruleId: 'A-9', due: '2026-06-09' });
    expect(deadline.explanation).toMatch(/told within the first month, by 9 April 2026/);
  });

  it('A-9: a council setting for the months is honoured', () => {
    const settings = { ...rules, settings: { ...DEFAULT_TIMESCALE_SETTINGS, recordingCopyExtensionMonths: 1 } };
    expect(requestDeadline(req('r', '2026-03-09', 'referred', { extension }), settings).due).toBe('2026-05-11'); // Saturday 9 May → Monday 11 May
  });
});

describe('red / amber / green', () => {
  const today = d('2026-04-02'); // Thursday, before Easter 2026

  it('uses the calendar’s deadlineStatus: on track, due soon, overdue', () => {
    expect(queueItem(req('a', '2026-03-30'), today, rules).status).toEqual({ status: 'on-track', workingDaysLeft: 18 });
    // Due Thursday 9 April; from Thursday 2 April: 3 (Fri is Good Friday) … 7, 8, 9 → 3 working days.
    expect(queueItem(req('b', '2026-03-09'), today, rules).status).toEqual({ status: 'due-soon', workingDaysLeft: 3 });
    expect(queueItem(req('c', '2026-03-01'), today, rules).status?.status).toBe('overdue');
    expect(queueItem(req('b', '2026-03-09'), today, { ...rules, amberWorkingDays: 2 }).status?.status).toBe('on-track');
  });

  it('A-9: an extension turns an overdue request back on track', () => {
    expect(queueItem(req('c', '2026-03-01', 'referred', { extension }), today, rules).status?.status).toBe('on-track');
  });

  it('the clock stops when the copy is sent: no status, only whether it was sent in time (in England)', () => {
    const inTime = queueItem(
      req('s', '2026-03-09', 'sent', {
        delivery: { deliveryId: 'x', sentBy: 'bs-1', sentAt: new Date('2026-04-09T22:30:00Z') },
      }),
      d('2026-05-01'),
      rules,
    );
    expect(inTime).toMatchObject({ status: null, sentInTime: true });
    // 00:30 on 10 April in England (BST) is late, though still 9 April in UTC.
    const late = queueItem(
      req('s', '2026-03-09', 'notified', {
        delivery: { deliveryId: 'x', sentBy: 'bs-1', sentAt: new Date('2026-04-09T23:30:00Z') },
      }),
      d('2026-05-01'),
      rules,
    );
    expect(late).toMatchObject({ status: null, sentInTime: false });
    expect(queueItem(req('r', '2026-03-09', 'refused'), today, rules)).toMatchObject({
      status: null,
      sentInTime: null,
    });
  });
});

describe('the work queue', () => {
  const requests = [
    req('late', '2026-02-20', 'verification-requested', { chairId: 'chair-2' }),
    req('new', '2026-04-01', 'received'),
    req('mid', '2026-03-09', 'copy-prepared'),
    req('done', '2026-02-01', 'closed'),
    req('gone', '2026-02-01', 'withdrawn'),
    req('sent', '2026-03-02', 'sent', { delivery: { deliveryId: 'x', sentBy: 'bs-1', sentAt: at('2026-03-30') } }),
  ];
  const today = d('2026-04-02');

  it('lists open requests soonest due first; finished ones only when asked', () => {
    expect(buildWorkQueue(requests, today, rules).map((i) => i.request.id)).toEqual(['late', 'sent', 'mid', 'new']);
    expect(buildWorkQueue(requests, today, rules, { includeFinished: true }).map((i) => i.request.id)).toEqual([
      'done',
      'gone',
      'late',
      'sent',
      'mid',
      'new',
    ]);
  });

  it('filters by step (a finished step named in the filter is shown), by chair (“chairs see theirs”) and by status', () => {
    expect(
      buildWorkQueue(requests, today, rules, { steps: ['copy-prepared', 'received'] }).map((i) => i.request.id),
    ).toEqual(['mid', 'new']);
    expect(buildWorkQueue(requests, today, rules, { steps: ['closed'] }).map((i) => i.request.id)).toEqual(['done']);
    expect(buildWorkQueue(requests, today, rules, { chairId: 'chair-2' }).map((i) => i.request.id)).toEqual(['late']);
    expect(buildWorkQueue(requests, today, rules, { statuses: ['overdue'] }).map((i) => i.request.id)).toEqual([
      'late',
    ]);
    expect(
      buildWorkQueue(requests, today, rules, { statuses: ['due-soon', 'on-track'] }).map((i) => i.request.id),
    ).toEqual(['mid', 'new']);
  });

  it('filterByStep works on requests or queue items; an empty list keeps everything', () => {
    expect(filterByStep(requests, ['closed', 'withdrawn']).map((r) => r.id)).toEqual(['done', 'gone']);
    const items = buildWorkQueue(requests, today, rules);
    expect(filterByStep(items, ['sent']).map((i) => i.request.id)).toEqual(['sent']);
    expect(filterByStep(items, [])).toHaveLength(4);
  });

  it('counts requests per step', () => {
    const counts = countByStep(buildWorkQueue(requests, today, rules, { includeFinished: true }));
    expect(counts).toMatchObject({
      received: 1,
      'verification-requested': 1,
      'copy-prepared': 1,
      sent: 1,
      closed: 1,
      withdrawn: 1,
      referred: 0,
    });
  });
});
