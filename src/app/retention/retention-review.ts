/** The review of what has reached its retention date (R-4), and how each record is described without names. */
import type { Actor } from '../../domain/access/roles.ts';
import type { IsoDate } from '../../domain/calendar/iso-date.ts';
import { itemKey, keptFirst } from '../../domain/retention/disposal.ts';
import {
  type DisposableKind,
  RECORD_KIND_SINGULAR,
  hasReachedDate,
  isDisposableKind,
  requireRetentionOfficer,
} from '../../domain/retention/schedules.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Candidate, RetentionStores } from './ports.ts';
import {
  type RetentionServiceDeps,
  allowed,
  candidatesWithin,
  dateOf,
  keptOf,
  schedulesWithin,
  todayOf,
} from './retention-access.ts';

export const PAGE_SIZE = 25;

export interface ReviewItem {
  kind: DisposableKind;
  id: string;
  /** "Recording", "Copy of a recording sent". */
  what: string;
  /** Where it comes from, without names: conference type and date, children's references, the request number. */
  context: string;
  conferenceId: string;
  dueOn: IsoDate;
  hold: { id: string; reason: string; placedByName: string; placedAt: Date } | null;
  /** The live proposal it is in, if any. */
  proposal: { id: string; number: number } | null;
  /** A recording or a request with copies still kept cannot be proposed before them. */
  copiesKept: number;
  /** A conference record whose recordings are still kept cannot be proposed before them. */
  recordingsKept: number;
  /** Why it cannot be proposed yet (something made from it is still kept); null when nothing is. */
  keptFirst: string | null;
  /** May be ticked for a proposal now. */
  proposable: boolean;
}

export interface ReviewPage {
  items: ReviewItem[];
  kind: DisposableKind | null;
  page: number;
  pages: number;
  total: number;
  today: IsoDate;
}

/** The review list: one use case, called through RetentionService. */
export class RetentionReviewUseCases {
  private readonly deps: RetentionServiceDeps;

  constructor(deps: RetentionServiceDeps) {
    this.deps = deps;
  }

  /** What has reached its date, oldest first, `PAGE_SIZE` a page; audited as viewed (ids of the page only). */
  async review(
    actor: Actor,
    query: { kind?: string | undefined; page?: number | undefined },
    ctx: RequestContext,
  ): Promise<ReviewPage> {
    await allowed(this.deps, requireRetentionOfficer, actor, ctx, 'retention.review-viewed');
    const kind = isDisposableKind(query.kind) ? query.kind : null;
    const today = todayOf(this.deps);
    return this.deps.uow.run(async (r) => {
      const schedules = await schedulesWithin(r);
      const holds = new Map(
        (await r.retention.currentHolds()).map((h) => [itemKey({ kind: h.kind, id: h.itemId }), h]),
      );
      const live = await liveProposalsWithin(r);
      const due: ReviewItem[] = [];
      for (const c of await candidatesWithin(r, kind)) {
        const date = dateOf(schedules, c);
        if (!hasReachedDate(date, today) || date.dueOn === null) continue;
        const key = itemKey(c);
        const hold = holds.get(key);
        const proposal = live.get(key) ?? null;
        const kept = keptOf(c);
        const waitsFor = keptFirst(c.kind, kept);
        due.push({
          kind: c.kind,
          id: c.id,
          what: RECORD_KIND_SINGULAR[c.kind],
          context: describeCandidate(c),
          conferenceId: c.conferenceId,
          dueOn: date.dueOn,
          hold: hold
            ? { id: hold.id, reason: hold.reason, placedByName: hold.placedByName, placedAt: hold.placedAt }
            : null,
          proposal,
          copiesKept: kept.copiesKept,
          recordingsKept: kept.recordingsKept,
          keptFirst: waitsFor,
          proposable: !hold && !proposal && waitsFor === null,
        });
      }
      due.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.id < b.id ? -1 : 1));
      const pages = Math.max(1, Math.ceil(due.length / PAGE_SIZE));
      const page = Math.min(Math.max(1, Math.trunc(query.page ?? 1) || 1), pages);
      const items = due.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
      await r.audit.record({
        action: 'retention.review-viewed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        details: { kind, page, total: due.length, items: items.map((i) => itemKey(i)) },
      });
      return { items, kind, page, pages, total: due.length, today };
    });
  }
}

/** The live proposal each record is pending in, by item key. */
async function liveProposalsWithin(r: RetentionStores): Promise<Map<string, { id: string; number: number }>> {
  const out = new Map<string, { id: string; number: number }>();
  for (const p of await r.retention.listProposals()) {
    if (p.state !== 'proposed' && p.state !== 'approved') continue;
    for (const i of await r.retention.proposalItems(p.id))
      if (i.state === 'pending') out.set(itemKey({ kind: i.kind, id: i.itemId }), { id: p.id, number: p.number });
  }
  return out;
}

const CONFERENCE_TYPES: Record<string, string> = {
  initial: 'Initial conference',
  'pre-birth': 'Pre-birth conference',
  review: 'Review conference',
  'transfer-in': 'Transfer-in conference',
};

/** Where a candidate comes from, in words without names. */
export function describeCandidate(c: Candidate): string {
  const conference = `${CONFERENCE_TYPES[c.conferenceType] ?? 'Conference'} on ${c.conferenceDate}`;
  const children = [...c.childReferences, ...(c.restricted ? ['a restricted child'] : [])].join(', ');
  const base = `${conference}${children ? ` (${children})` : ''}`;
  if (c.kind === 'copy-sent' || c.kind === 'copy-request')
    return `Request CR-${c.requestReceivedOn.slice(0, 4)}-${String(c.requestNumber).padStart(4, '0')}, ${base}`;
  if (c.kind === 'conference-record') return `Written record of the ${base.charAt(0).toLowerCase()}${base.slice(1)}`;
  return `${c.recordingKind === 'dictation' ? 'Chair’s dictation' : 'Meeting recording'}, ${base}`;
}
