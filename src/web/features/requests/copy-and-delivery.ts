/**
 * What the request pages use of the disclosure copy service (preparing the copy, R-3) and the secure
 * delivery service (sending it, A-6). Both are built in the composition root; until one is there the
 * page says so plainly rather than pretending the step was done.
 */
import type { Actor } from '../../../domain/access/roles.ts';
import type { RequestContext } from '../../../app/audit/audit-log.ts';
import type { Services } from '../../../composition.ts';
import type { DeliverySummary } from '../../../app/requests/delivery-ports.ts';
import { REVOKE_ROLES, londonDateTime } from '../../../app/requests/delivery-service.ts';
import { hasAnyRole, type Role } from '../../../domain/access/roles.ts';
import type { RequestState } from '../../../domain/requests/index.ts';

export interface CopyProgress {
  state: 'queued' | 'running' | 'ready' | 'failed';
  percent: number;
  error: string | null;
}

export interface CopyStarter {
  start(
    actor: Actor,
    input: {
      requestId: string;
      conferenceId: string;
      recordingIds: string[];
      withheld: Array<{
        recordingId: string;
        startMs: number;
        endMs: number;
        reason: string;
        explanation: string;
        approvedBy: string;
      }>;
    },
    ctx: RequestContext,
  ): Promise<{ copyId: string }>;
  status(
    actor: Actor,
    copyId: string,
    ctx: RequestContext,
  ): Promise<CopyProgress & { requestId?: string; files?: Array<{ fileId: string; ordinal: number }> }>;
}

export interface DeliveryCreator {
  create(
    actor: Actor,
    input: { requestId: string; copyId: string; email: string },
    ctx: RequestContext,
  ): Promise<{ deliveryId: string }>;
  revoke(actor: Actor, deliveryId: string, reason: string, ctx: RequestContext): Promise<void>;
  summary(actor: Actor, requestId: string, ctx: RequestContext): Promise<DeliverySummary[]>;
}

export function copyService(services: Services): CopyStarter | null {
  const s = (services as unknown as { disclosureCopies?: CopyStarter }).disclosureCopies;
  return s && typeof s.start === 'function' ? s : null;
}

export function deliveryService(services: Services): DeliveryCreator | null {
  const s = (services as unknown as { deliveries?: DeliveryCreator }).deliveries;
  return s && typeof s.create === 'function' ? s : null;
}

/** Who may cancel a link: the delivery service's own rule, which it enforces; the page only decides whether to offer the form. */
export const CANCEL_LINK_ROLES: readonly Role[] = REVOKE_ROLES;

const STATE_TAGS: Record<DeliverySummary['state'], { text: string; classes: string }> = {
  active: { text: 'Active', classes: 'govuk-tag--green' },
  expired: { text: 'Expired', classes: 'govuk-tag--grey' },
  revoked: { text: 'Cancelled', classes: 'govuk-tag--red' },
  'used-up': { text: 'Used up', classes: 'govuk-tag--blue' },
};

/** Steps after sending at which the requester may still be waiting for the copy. */
const STILL_OPEN: readonly RequestState[] = ['sent', 'notified'];

/**
 * The secure delivery as the request page shows it: one entry per link made for the request,
 * newest first, with dates and times in England. Nothing here is the token, a code or the address.
 */
export function deliveryModel(
  summaries: readonly DeliverySummary[],
  o: { actor: Actor; state: RequestState; currentDeliveryId: string | null },
) {
  const mayCancel = hasAnyRole(o.actor, CANCEL_LINK_ROLES);
  return summaries.map((d, i) => {
    const downloads = d.files.reduce((n, f) => n + f.downloads, 0);
    const current = o.currentDeliveryId ? d.deliveryId === o.currentDeliveryId : i === 0;
    return {
      id: d.deliveryId,
      current,
      state: d.state,
      tag: STATE_TAGS[d.state],
      createdText: londonDateTime(d.createdAt),
      createdBy: d.createdBy.name,
      expiresText: londonDateTime(d.expiresAt),
      downloadLimit: d.downloadLimit,
      files: d.files.map((f) => ({ name: f.fileName, downloads: f.downloads, left: f.left })),
      revoked: d.revoked
        ? { atText: londonDateTime(d.revoked.at), by: d.revoked.by.name, reason: d.revoked.reason }
        : null,
      events: d.events.map((e) => ({ label: e.label, atText: londonDateTime(e.at), fileName: e.fileName })),
      neverDownloaded: downloads === 0,
      mayCancel: mayCancel && d.state === 'active',
      /** The link stopped working before the requester had the copy, and the request is not closed. */
      stranded:
        current && downloads === 0 && (d.state === 'expired' || d.state === 'revoked') && STILL_OPEN.includes(o.state),
    };
  });
}
