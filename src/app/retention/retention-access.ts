/**
 * What every part of retention and disposal shares: its dependencies, the role check whose refusal is audited,
 * the schedules in force, and the records that may reach their date with the date each reaches it.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { type IsoDate, londonDateOf } from '../../domain/calendar/iso-date.ts';
import {
  DEFAULT_RETENTION_SCHEDULES,
  type DisposableKind,
  type RecordKind,
  type RetentionDate,
  type RetentionSchedule,
  type RetentionSchedules,
  readSchedule,
  retentionDate,
} from '../../domain/retention/schedules.ts';
import { AccessDeniedError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Clock } from '../unit-of-work.ts';
import type { Candidate, CertificateRenderer, DisposalQueue, RetentionStores, RetentionUnitOfWork } from './ports.ts';

export interface RetentionServiceDeps {
  uow: RetentionUnitOfWork;
  clock: Clock;
  blobs: BlobStore;
  queue: DisposalQueue;
  pdf: CertificateRenderer;
}

/** The audit subject type of a disposal proposal. */
export const PROPOSAL_SUBJECT = 'disposal_proposal';

/** The audit subject type of a legal hold's record, by kind. */
export const AUDIT_SUBJECT: Readonly<Record<DisposableKind, string>> = {
  'conference-record': 'conference',
  recording: 'recording',
  'copy-sent': 'disclosure_copy',
  'copy-request': 'copy_request',
};

export function todayOf(deps: RetentionServiceDeps): IsoDate {
  return londonDateOf(deps.clock.now());
}

/** Checks a role; a refusal is audited (in its own transaction, so it survives) and thrown. */
export async function allowed(
  deps: RetentionServiceDeps,
  check: (a: Actor) => void,
  actor: Actor,
  ctx: RequestContext,
  action: string,
  subject?: { type: string; id: string },
): Promise<void> {
  try {
    check(actor);
  } catch (err) {
    if (!(err instanceof AccessDeniedError)) throw err;
    await deps.uow.run((r) =>
      r.audit.record({ action, actor: ctx.actor, correlationId: ctx.correlationId, subject, outcome: 'denied' }),
    );
    throw err;
  }
}

/** The schedules in force: the council's where it set one, the default otherwise. */
export async function schedulesWithin(r: RetentionStores): Promise<RetentionSchedules> {
  const stored = new Map((await r.retention.listSchedules()).map((s) => [s.kind, s]));
  const read = <K extends RecordKind>(k: K): RetentionSchedule => {
    const row = stored.get(k);
    return row ? readSchedule(k, row.value) : DEFAULT_RETENTION_SCHEDULES[k];
  };
  return {
    'conference-record': read('conference-record'),
    recording: read('recording'),
    'copy-sent': read('copy-sent'),
    'copy-request': read('copy-request'),
    'audit-entry': read('audit-entry'),
  };
}

/** The date a candidate reaches under the schedules. */
export function dateOf(schedules: RetentionSchedules, c: Candidate): RetentionDate {
  switch (c.kind) {
    case 'recording':
    case 'conference-record':
      return retentionDate(schedules[c.kind], {
        conferenceDate: c.conferenceDate,
        childBirthDates: c.childBirthDates,
      });
    case 'copy-sent':
      return retentionDate(schedules['copy-sent'], { sentOn: c.sentAt ? londonDateOf(c.sentAt) : null });
    case 'copy-request':
      return retentionDate(schedules['copy-request'], { closedOn: c.closedAt ? londonDateOf(c.closedAt) : null });
  }
}

/** The candidates of one kind (or every kind), or only those with the ids given by kind. */
export async function candidatesWithin(
  r: RetentionStores,
  kind: DisposableKind | null,
  ids?: Partial<Record<DisposableKind, string[]>>,
): Promise<Candidate[]> {
  const wanted = (k: DisposableKind) => (kind === null || kind === k) && (!ids || (ids[k]?.length ?? 0) > 0);
  const out: Candidate[] = [];
  if (wanted('conference-record'))
    out.push(...(await r.retention.conferenceRecordCandidates(ids?.['conference-record'])));
  if (wanted('recording')) out.push(...(await r.retention.recordingCandidates(ids?.recording)));
  if (wanted('copy-sent')) out.push(...(await r.retention.copyCandidates(ids?.['copy-sent'])));
  if (wanted('copy-request')) out.push(...(await r.retention.copyRequestCandidates(ids?.['copy-request'])));
  return out;
}

/** What is still kept that a candidate must outlive: copies (recordings, requests) or recordings (conferences). */
export function keptOf(c: Candidate): { copiesKept: number; recordingsKept: number } {
  if (c.kind === 'recording' || c.kind === 'copy-request') return { copiesKept: c.copiesKept, recordingsKept: 0 };
  if (c.kind === 'conference-record') return { copiesKept: 0, recordingsKept: c.recordingsKept };
  return { copiesKept: 0, recordingsKept: 0 };
}
