/**
 * What the request pages use of the disclosure copy service (preparing the copy, R-3) and the secure
 * delivery service (sending it, A-6). Both are built in the composition root; until one is there the
 * page says so plainly rather than pretending the step was done.
 */
import type { Actor } from '../../../domain/access/roles.ts';
import type { RequestContext } from '../../../app/audit/audit-log.ts';
import type { Services } from '../../../composition.ts';

export interface CopyProgress {
  state: 'queued' | 'running' | 'ready' | 'failed';
  percent: number;
  error: string | null;
}

export interface CopyStarter {
  start(actor: Actor, input: { requestId: string; conferenceId: string; recordingIds: string[]; withheld: Array<{ recordingId: string; startMs: number; endMs: number; reason: string; explanation: string; approvedBy: string }> }, ctx: RequestContext): Promise<{ copyId: string }>;
  status(actor: Actor, copyId: string, ctx: RequestContext): Promise<CopyProgress & { requestId?: string }>;
}

export interface DeliveryCreator {
  create(actor: Actor, input: { requestId: string; copyId: string; email: string }, ctx: RequestContext): Promise<{ deliveryId: string }>;
  revoke(actor: Actor, deliveryId: string, reason: string, ctx: RequestContext): Promise<void>;
}

export function copyService(services: Services): CopyStarter | null {
  const s = (services as unknown as { disclosureCopies?: CopyStarter }).disclosureCopies;
  return s && typeof s.start === 'function' ? s : null;
}

export function deliveryService(services: Services): DeliveryCreator | null {
  const s = (services as unknown as { deliveries?: DeliveryCreator }).deliveries;
  return s && typeof s.create === 'function' ? s : null;
}
