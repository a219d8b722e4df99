/**
 * Sending the issued copies and the proof that they went (W-4, W-6, T-6, T-7). Each person a copy is addressed
 * to is sent it by post (business support prints the pack and records the date posted) or by an email linking
 * to the copy inside the service, for someone with an account, or by a secure download link to an address
 * confirmed as the recipient's and secure, for a family member or anyone without an account. A copy counts as sent
 * once it is posted, or its email has not been refused by the mail service and its link was not cancelled; T-6 and
 * T-7 are met only when every recipient's copy has gone.
 */
import { type IsoDate, compareIsoDates, isIsoDate } from '../calendar/index.ts';
import { isDeliverableEmail } from '../requests/referral.ts';
import type { FieldProblem } from '../shared/errors.ts';

export const SENDING_METHODS = ['post', 'email-link', 'secure-link'] as const;
export type SendingMethod = (typeof SENDING_METHODS)[number];

export const SENDING_METHOD_LABELS: Record<SendingMethod, string> = {
  post: 'Post',
  'email-link': 'Email link to the service',
  'secure-link': 'Secure download link by email',
};

/** how the address was confirmed as the recipient's own and secure before anything is sent to it. */
export const ADDRESS_CONFIRMATIONS = ['in-person', 'phone', 'in-writing'] as const;
export type AddressConfirmation = (typeof ADDRESS_CONFIRMATIONS)[number];

export const ADDRESS_CONFIRMATION_LABELS: Record<AddressConfirmation, string> = {
  'in-person': 'In person',
  phone: 'By phone',
  'in-writing': 'In writing (a letter or an email from them)',
};

export interface SecureLinkInput {
  email: string;
  /** The address typed a second time: a mistyped address would send the copy to a stranger. */
  emailAgain: string;
  confirmedHow: string;
  confirmedOn: string;
}

/**
 * A-5, W-6: what is wrong with a secure link's details, field by field (empty when it may be sent). The address is
 * required, well formed and typed the same twice; how and when it was confirmed as the recipient's and secure are
 * required, the date real, not in the future.
 */
export function secureLinkProblems(input: SecureLinkInput, today: IsoDate): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const email = input.email.trim();
  if (!email) problems.push({ field: 'email', message: 'Enter the email address to send the secure link to' });
  else if (!isDeliverableEmail(email))
    problems.push({ field: 'email', message: 'Enter an email address in the correct format, like name@example.com' });
  else if (input.emailAgain.trim().toLowerCase() !== email.toLowerCase())
    problems.push({
      field: 'emailAgain',
      message: 'The email addresses do not match: type the address confirmed with the recipient again',
    });
  if (!(ADDRESS_CONFIRMATIONS as readonly string[]).includes(input.confirmedHow))
    problems.push({
      field: 'confirmedHow',
      message: 'Select how the recipient confirmed this address is theirs and secure',
    });
  const on = input.confirmedOn.trim();
  if (!on) problems.push({ field: 'confirmedOn', message: 'Enter the date the recipient confirmed the address' });
  else if (!isIsoDate(on))
    problems.push({ field: 'confirmedOn', message: 'The date the address was confirmed must be a real date' });
  else if (compareIsoDates(on, today) > 0)
    problems.push({ field: 'confirmedOn', message: 'The date the address was confirmed must be today or in the past' });
  return problems;
}

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
  /** For a secure link: it was cancelled (a wrong address, a change of mind), so the copy has not gone this way. */
  cancelled?: boolean;
}

export const SENDING_STATES = [
  'not-sent',
  'posted',
  'emailed',
  'opened',
  'downloaded',
  'undeliverable',
  'cancelled',
] as const;
export type SendingState = (typeof SENDING_STATES)[number];

export const SENDING_STATE_LABELS: Record<SendingState, string> = {
  'not-sent': 'Not sent',
  posted: 'Posted',
  emailed: 'Emailed',
  opened: 'Opened',
  downloaded: 'Downloaded',
  undeliverable: 'Undeliverable',
  cancelled: 'Link cancelled',
};

/** Whether this sending counts as the copy having gone: posted, or emailed and not refused, its link not cancelled. */
export function hasGone(s: Sending): boolean {
  return s.method === 'post' || (s.email !== 'undeliverable' && !s.cancelled);
}

/**
 * A recipient's state from every sending of their copy: the furthest it got. Downloaded beats opened beats
 * emailed or posted; an email refused for good is undeliverable, and a cancelled link cancelled, unless the copy
 * went another way.
 */
export function sendingState(sendings: readonly Sending[]): SendingState {
  if (sendings.length === 0) return 'not-sent';
  if (sendings.some((s) => s.downloadedAt !== null)) return 'downloaded';
  const gone = sendings.filter(hasGone);
  if (gone.some((s) => s.openedAt !== null)) return 'opened';
  if (gone.some((s) => s.method !== 'post')) return 'emailed';
  if (gone.some((s) => s.method === 'post')) return 'posted';
  if (sendings.some((s) => s.openedAt !== null)) return 'opened';
  if (sendings.some((s) => s.cancelled && s.email !== 'undeliverable')) return 'cancelled';
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
