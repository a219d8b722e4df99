/**
 * Sending the issued copies and the proof that they went (W-4, W-6, T-6, T-7). Each person a copy is addressed
 * to is sent it by post (business support prints the pack and records the date posted) or by an email linking
 * to the copy inside the service, for someone with an account. A copy counts as sent once it is posted, or its
 * email has not been refused by the mail service; T-6 and T-7 are met only when every recipient's copy has gone.
 */
import type { IsoDate } from '../calendar/index.ts';

export const SENDING_METHODS = ['post', 'email-link'] as const;
export type SendingMethod = (typeof SENDING_METHODS)[number];

export const SENDING_METHOD_LABELS: Record<SendingMethod, string> = {
  post: 'Post',
  'email-link': 'Email link to the service',
};

/** The outbox states as far as sending cares: waiting or sent, or refused for good (bounced, undeliverable). */
export type EmailOutcome = 'waiting' | 'sent' | 'undeliverable';

/** One time a copy was sent to one recipient. */
export interface Sending {
  method: SendingMethod;
  sentAt: Date;
  /** For post: the date it was posted. */
  postedOn: IsoDate | null;
  /** For an email link: what became of the email. */
  email: EmailOutcome | null;
  /** When the recipient first opened the link, and last downloaded the copy (from the service's own audit). */
  openedAt: Date | null;
  downloadedAt: Date | null;
}

export const SENDING_STATES = ['not-sent', 'posted', 'emailed', 'opened', 'downloaded', 'undeliverable'] as const;
export type SendingState = (typeof SENDING_STATES)[number];

export const SENDING_STATE_LABELS: Record<SendingState, string> = {
  'not-sent': 'Not sent',
  posted: 'Posted',
  emailed: 'Emailed',
  opened: 'Opened',
  downloaded: 'Downloaded',
  undeliverable: 'Undeliverable',
};

/** Whether this sending counts as the copy having gone: posted, or emailed and not refused. */
export function hasGone(s: Sending): boolean {
  return s.method === 'post' || s.email !== 'undeliverable';
}

/**
 * A recipient's state from every sending of their copy: the furthest it got. Downloaded beats opened beats
 * emailed or posted; an email refused for good is undeliverable unless the copy went another way.
 */
export function sendingState(sendings: readonly Sending[]): SendingState {
  if (sendings.length === 0) return 'not-sent';
  if (sendings.some((s) => s.downloadedAt !== null)) return 'downloaded';
  if (sendings.some((s) => s.openedAt !== null)) return 'opened';
  const gone = sendings.filter(hasGone);
  if (gone.some((s) => s.method === 'email-link')) return 'emailed';
  if (gone.some((s) => s.method === 'post')) return 'posted';
  return 'undeliverable';
}

/** Whether a recipient's copy has gone (T-6, T-7). */
export function isSent(sendings: readonly Sending[]): boolean {
  return sendings.some(hasGone);
}

/** How far one issue of a document has gone: recipients sent to of all, and who is still missing (by name). */
export interface SendingProgress {
  sent: number;
  total: number;
  missing: string[];
}

export function sendingProgress(
  recipients: ReadonlyArray<{ name: string; sendings: readonly Sending[] }>,
): SendingProgress {
  const missing = recipients.filter((r) => !isSent(r.sendings)).map((r) => r.name);
  return { sent: recipients.length - missing.length, total: recipients.length, missing };
}

/** "Issued, 3 of 5 sent"; plain "Issued" once every copy has gone. */
export function issuedLabel(progress: SendingProgress | null): string {
  if (!progress || progress.sent === progress.total) return 'Issued';
  return `Issued, ${progress.sent} of ${progress.total} sent`;
}

/** A document's due date is met once it is issued and every recipient's copy has gone (T-6, T-7). */
export function documentDelivered(issued: boolean, progress: SendingProgress | null): boolean {
  return issued && (progress === null || progress.sent === progress.total);
}
