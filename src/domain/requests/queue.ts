/**
 * The work queue for requests for copies (A-9, T-10): each request's due date from the calendar's
 * named rules (`recording-copy`, or `recording-copy-extended` once an extension is recorded), its
 * red / amber / green status from the calendar's `deadlineStatus`, and filters by step, chair and
 * status. Pure: the caller loads the requests the actor may see and passes "today" from its clock.
 *
 * The A-9 clock stops when the copy is sent: a sent request has no status any more, only whether it
 * was sent in time (on or before the due date, in England). Finished requests (closed, refused,
 * withdrawn) are left out unless asked for.
 */
import {
  compareIsoDates,
  computeDeadline,
  deadlineStatus,
  DEFAULT_TIMESCALE_SETTINGS,
  londonDateOf,
  type Deadline,
  type DeadlineRag,
  type DeadlineStatus,
  type IsoDate,
  type StatutoryCalendar,
  type TimescaleSettings,
} from '../calendar/index.ts';
import { isFinal, REQUEST_STATES, SENT_STATES, type CopyRequest, type RequestState } from './workflow.ts';

export interface QueueRules {
  calendar: StatutoryCalendar;
  settings?: TimescaleSettings;
  /** Working days left at which a request turns amber (the calendar's default, 5, when not given). */
  amberWorkingDays?: number;
}

/** the date the copy must be sent by, with the rule and its plain-English explanation. */
export function requestDeadline(r: Pick<CopyRequest, 'receivedOn' | 'extension'>, rules: QueueRules): Deadline {
  return computeDeadline(
    r.extension ? 'recording-copy-extended' : 'recording-copy',
    r.receivedOn,
    rules.calendar,
    rules.settings ?? DEFAULT_TIMESCALE_SETTINGS,
  );
}

export type QueueRequest = Pick<
  CopyRequest,
  'state' | 'receivedOn' | 'extension' | 'chairId' | 'delivery' | 'requester'
> & { id: string };

export interface QueueItem<R extends QueueRequest = QueueRequest> {
  request: R;
  deadline: Deadline;
  /** Null once the copy has been sent, or the request has ended. */
  status: DeadlineStatus | null;
  /** Once sent: whether it was sent on or before the due date. Null before. */
  sentInTime: boolean | null;
}

export function queueItem<R extends QueueRequest>(request: R, today: IsoDate, rules: QueueRules): QueueItem<R> {
  const deadline = requestDeadline(request, rules);
  const sent = SENT_STATES.includes(request.state) && request.delivery !== null;
  const running = !sent && !isFinal(request.state);
  return {
    request,
    deadline,
    status: running ? deadlineStatus(today, deadline.due, rules.calendar, rules.amberWorkingDays) : null,
    sentInTime: sent ? compareIsoDates(londonDateOf(request.delivery!.sentAt), deadline.due) <= 0 : null,
  };
}

export interface QueueFilter {
  /** Only requests at these steps. */
  steps?: readonly RequestState[];
  /** "Chairs see theirs": only requests with this chair. */
  chairId?: string;
  /** Only these statuses (requests with no status are left out when set). */
  statuses?: readonly DeadlineRag[];
  /** Include closed, refused and withdrawn requests (left out by default). */
  includeFinished?: boolean;
}

export function matchesFilter(item: QueueItem, f: QueueFilter): boolean {
  const r = item.request;
  if (!f.includeFinished && isFinal(r.state) && !(f.steps && f.steps.includes(r.state))) return false;
  if (f.steps && f.steps.length && !f.steps.includes(r.state)) return false;
  if (f.chairId !== undefined && r.chairId !== f.chairId) return false;
  if (f.statuses && f.statuses.length && (item.status === null || !f.statuses.includes(item.status.status)))
    return false;
  return true;
}

/** Keeps the requests at the given steps (a step filter on its own). */
export function filterByStep<T extends { request: Pick<QueueRequest, 'state'> } | Pick<QueueRequest, 'state'>>(
  items: readonly T[],
  steps: readonly RequestState[],
): T[] {
  if (steps.length === 0) return [...items];
  return items.filter((i) => steps.includes('request' in i ? i.request.state : i.state));
}

const STATE_ORDER = new Map(REQUEST_STATES.map((s, i) => [s, i]));

/**
 * The queue: each request with its deadline and status, filtered, soonest due first (then the
 * earliest received, then the least far along).
 */
export function buildWorkQueue<R extends QueueRequest>(
  requests: readonly R[],
  today: IsoDate,
  rules: QueueRules,
  filter: QueueFilter = {},
): QueueItem<R>[] {
  return requests
    .map((r) => queueItem(r, today, rules))
    .filter((i) => matchesFilter(i, filter))
    .sort(
      (a, b) =>
        compareIsoDates(a.deadline.due, b.deadline.due) ||
        compareIsoDates(a.request.receivedOn, b.request.receivedOn) ||
        (STATE_ORDER.get(a.request.state) ?? 0) - (STATE_ORDER.get(b.request.state) ?? 0) ||
        (a.request.id < b.request.id ? -1 : a.request.id > b.request.id ? 1 : 0),
    );
}

/** How many open requests are at each step (for the queue's step filter). */
export function countByStep(items: readonly QueueItem[]): Record<RequestState, number> {
  const counts = Object.fromEntries(REQUEST_STATES.map((s) => [s, 0])) as Record<RequestState, number>;
  for (const i of items) counts[i.request.state] += 1;
  return counts;
}
