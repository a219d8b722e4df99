/**
 * Reading the audit trail, for auditors and administrators. Reading it is itself audited: who looked, at what
 * (the filter's ids and dates only, never a name), how far back, and each export and integrity check with its
 * result. The trail is reached through the port below, so neither these use cases nor the pages know where
 * it is kept.
 */
import type { AuditLog, RequestContext } from './audit-log.ts';

/** What the audit trail pages filter by: ids and dates only, so nothing personal goes into a URL. */
export interface AuditTrailFilter {
  /** Who did it (a user's id). */
  actorId?: string | undefined;
  /** Entries about this child: the child is the subject, or named by id in the details. */
  childId?: string | undefined;
  action?: string | undefined;
  /** `YYYY-MM-DD`, days in England, both included. */
  from?: string | undefined;
  to?: string | undefined;
}

/** One entry as the trail is read. */
export interface AuditTrailRow {
  seq: number;
  at: Date;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  outcome: string;
  details: Record<string, unknown> | null;
}

/** Entries the trail no longer holds because an older backup was restored over it. */
export interface AuditTrailGap {
  restoredThrough: number;
  restoredThroughAt: string | null;
  lostFrom: number;
  lostThrough: number;
  lostEntries: number;
  lostUntil: string;
  witnessedBy: string;
}

/** The integrity check's result: the first bad entry, if any, and the latest signed checkpoint. */
export interface AuditTrailCheck {
  ok: boolean;
  entries: number;
  problem?: { seq: number; problem: string } | undefined;
  checkpoint?: { size: number; at: string; file: string } | undefined;
  /** Set when the only problem is that an older backup was restored and nobody has acknowledged it yet. */
  restore?: AuditTrailGap | undefined;
  /** Restores an operator acknowledged (each an entry in the trail): the check passes over their gaps. */
  acknowledged?: (AuditTrailGap & { seq: number; at: string; reason: string; by: string })[] | undefined;
  /** The newest checkpoint each witness outside this machine holds. */
  witnesses?: { label: string; newest?: { size: number; at: string } | undefined }[] | undefined;
}

export interface AuditTrailPort {
  /** The newest entries matching the filter, newest first, before an optional sequence number. */
  search(filter: AuditTrailFilter, limit: number, before?: number): Promise<AuditTrailRow[]>;
  /** Every entry matching the filter, oldest first. */
  matching(filter: AuditTrailFilter): AsyncIterable<AuditTrailRow>;
  verify(): Promise<AuditTrailCheck>;
  /** The action codes the trail holds, for the filter's list. */
  actionsInUse(): Promise<string[]>;
  /** Names of accounts, children and people by id, for entries in plain English. */
  namesFor(ids: {
    users?: readonly string[];
    children?: readonly string[];
    people?: readonly string[];
  }): Promise<Map<string, string>>;
  /** The child with this local case reference, if any. */
  childByReference(reference: string): Promise<string | null>;
}

export interface AuditReadingDeps {
  trail: Pick<AuditTrailPort, 'search' | 'matching' | 'verify'>;
  audit: AuditLog;
}

/** What the audit entry records about the filter: ids and dates only. */
const filterDetails = (f: AuditTrailFilter) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));

function recordReading(
  audit: AuditLog,
  action: 'audit.view' | 'audit.export',
  filter: AuditTrailFilter,
  details: Record<string, unknown>,
  ctx: RequestContext,
): Promise<void> {
  return audit.record({
    action,
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    ...(filter.childId ? { subject: { type: 'child', id: filter.childId } } : {}),
    outcome: 'success',
    details: { filter: filterDetails(filter), ...details },
  });
}

/** A page of the entries matching the filter, newest first, before an optional sequence number; the view is audited. */
export async function viewAuditTrail(
  deps: AuditReadingDeps,
  filter: AuditTrailFilter,
  page: { size: number; before: number | undefined },
  ctx: RequestContext,
): Promise<AuditTrailRow[]> {
  const rows = await deps.trail.search(filter, page.size, page.before);
  await recordReading(deps.audit, 'audit.view', filter, { before: page.before ?? null, shown: rows.length }, ctx);
  return rows;
}

/** Every entry matching the filter, oldest first, for an export: the export is audited before anything is read. */
export async function exportAuditTrail(
  deps: AuditReadingDeps,
  filter: AuditTrailFilter,
  format: 'csv',
  ctx: RequestContext,
): Promise<AsyncIterable<AuditTrailRow>> {
  await recordReading(deps.audit, 'audit.export', filter, { format }, ctx);
  return deps.trail.matching(filter);
}

/** Checks the trail's hash chain and signed checkpoints; the check and its result are audited. */
export async function verifyAuditTrail(deps: AuditReadingDeps, ctx: RequestContext): Promise<AuditTrailCheck> {
  const result = await deps.trail.verify();
  await deps.audit.record({
    action: 'audit.verify',
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    outcome: 'success',
    details: { ok: result.ok, entries: result.entries, restore: result.restore ? true : undefined },
  });
  return result;
}
