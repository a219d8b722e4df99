/**
 * The secure delivery's download links as the request's page shows them: one entry per link,
 * with what staff may do about it.
 */
import type { DeliverySummary } from '../../../app/requests/delivery-ports.ts';
import { REVOKE_ROLES, londonDateTime } from '../../../app/requests/delivery-service.ts';
import { hasAnyRole, type Actor, type Role } from '../../../domain/access/roles.ts';
import { REQUEST_STEP_ROLES, type RequestState } from '../../../domain/requests/index.ts';

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
  const mayResend = hasAnyRole(o.actor, REQUEST_STEP_ROLES['send-new-link']);
  return summaries.map((d, i) => {
    const downloads = d.files.reduce((n, f) => n + f.downloads, 0);
    const current = o.currentDeliveryId ? d.deliveryId === o.currentDeliveryId : i === 0;
    /** The link stopped working before the requester had the copy, and the request is not closed. */
    const stranded =
      current && downloads === 0 && (d.state === 'expired' || d.state === 'revoked') && STILL_OPEN.includes(o.state);
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
      stranded,
      /** Business support may send a new link in its place. */
      mayResend: mayResend && stranded,
    };
  });
}
