/**
 * Reaching a request for a copy (A-1 … A-10) and what belongs to it, in one unit of work: the request
 * is read (locked when the caller will change it) and the actor's access checked against every child of
 * its conference in the same transaction as the caller's work. A denial is audited in its own
 * transaction once the work's has rolled back, as `withConferenceAccess` does for a conference.
 *
 * Also the readiness reads the workflow needs (a copy ready and made for this request, a delivery live
 * and made for it): plain repository reads, so a step checks them in its own transaction.
 */
import { canViewChild } from '../../domain/access/child-access.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { deliveryState, type DeliveryState } from '../../domain/requests/delivery.ts';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { auditConferenceDenial } from '../conferences/conference-access.ts';
import { isUuid } from '../conferences/service-deps.ts';
import type { Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { DeliveryRecord } from './delivery-ports.ts';
import type { CopyRequestRecord } from './ports.ts';

/** A request as loaded for a use case: the record and its conference's children (every one visible to the actor). */
export interface LoadedRequest {
  record: CopyRequestRecord;
  childIds: string[];
}

/**
 * Runs `fn` in ONE transaction with the request, once the actor may see every child of its conference.
 * With `lock`, the request's row is locked for the rest of the transaction. An id that is not a UUID,
 * or no such request, is a NotFoundError; a denial is audited under `action` (subject: the conference).
 */
export async function withRequestAccess<T>(
  uow: UnitOfWork,
  actor: Actor,
  requestId: string,
  action: string,
  ctx: RequestContext,
  fn: (repos: Repositories, loaded: LoadedRequest) => Promise<T>,
  opts: { lock?: boolean } = {},
): Promise<T> {
  if (!isUuid(requestId)) throw new NotFoundError('The request');
  let denial: { reason: string; conferenceId: string } | null = null;
  try {
    return await uow.run(async (repos) => {
      const record = await repos.copyRequests.find(requestId, { lock: opts.lock ?? false });
      if (!record) throw new NotFoundError('The request');
      const childIds = await repos.convening.conferenceChildIds(record.conferenceId);
      if (!childIds) throw new NotFoundError('The conference');
      for (const childId of childIds) {
        const facts = await repos.people.childAccessFacts(childId);
        const decision = facts
          ? canViewChild(actor, facts)
          : { allowed: false as const, reason: 'child record missing' };
        if (!decision.allowed) {
          denial = { reason: decision.reason, conferenceId: record.conferenceId };
          throw new AccessDeniedError();
        }
      }
      return fn(repos, { record, childIds });
    });
  } catch (err) {
    if (denial !== null) {
      const { reason, conferenceId } = denial;
      await auditConferenceDenial(uow, ctx, action, conferenceId, reason);
    }
    throw err;
  }
}

/** A delivery's state now, from its downloads so far. */
export function deliveryStateOf(d: DeliveryRecord, counts: Map<string, number>, at: Date): DeliveryState {
  return deliveryState(
    {
      expiresAt: d.expiresAt,
      revokedAt: d.revokedAt,
      downloadLimit: d.downloadLimit,
      downloadsByFile: d.files.map((f) => ({ fileId: f.fileId, downloads: counts.get(f.fileId) ?? 0 })),
    },
    at,
  );
}

/** the disclosure copy is ready (every file made) and was made for this request. Read in the caller's transaction. */
export async function copyReadyWithin(repos: Repositories, copyId: string, requestId: string): Promise<boolean> {
  if (!isUuid(copyId)) return false;
  const copy = await repos.disclosureCopies.find(copyId);
  if (!copy || copy.requestId !== requestId || copy.state !== 'ready') return false;
  const files = await repos.disclosureCopies.listFiles(copyId);
  return files.length === copy.plan.recordingIds.length;
}

/** the secure delivery exists, was made for this request and its link still works. Read in the caller's transaction. */
export async function deliveryLiveWithin(
  repos: Repositories,
  deliveryId: string,
  requestId: string,
  at: Date,
): Promise<boolean> {
  if (!isUuid(deliveryId)) return false;
  const d = await repos.deliveries.find(deliveryId);
  if (!d || d.requestId !== requestId) return false;
  return deliveryStateOf(d, await repos.deliveries.downloadCounts(d.id), at) === 'active';
}
