import { DomainError } from '../shared/errors.ts';

/**
 * Stable codes for the rules about requests for copies of recordings (A-1 … A-10). The web and API
 * layers branch on these, never on the message. Field problems (a missing reference, a bad email
 * address) are InvalidDetailsError from the people module, so a form can show them all at once;
 * a role that may not take a step is AccessDeniedError (ACCESS_DENIED), audited by the caller.
 */
export type RequestErrorCode =
  /** The step cannot be taken from the request's current step. */
  | 'INVALID_TRANSITION'
  /** A step timestamped before the request's previous step. */
  | 'OUT_OF_ORDER'
  /** The person who prepared the copy tried to approve it (it needs a second person). */
  | 'SAME_PERSON_APPROVAL'
  /** Defence in depth: a copy about to be sent without a confirmed requester or a second person's approval. */
  | 'NOT_READY_TO_SEND'
  /** Business support could not confirm the recording is the right one. */
  | 'RECORDING_NOT_CONFIRMED'
  /** The requester's details failed to match too many times; the chair must refuse or amend the referral. */
  | 'VERIFICATION_ATTEMPTS_EXHAUSTED'
  /** The children compared in verification are not the children in the referral. */
  | 'VERIFICATION_CHILDREN_MISMATCH'
  /** an extension has already been recorded. */
  | 'ALREADY_EXTENDED'
  /** the requester was told after the first month. */
  | 'EXTENSION_TOO_LATE'
  /** not everyone was notified, or a child has no case note. */
  | 'NOTIFICATIONS_INCOMPLETE'
  /** a new link is sent only in place of the latest link, once it expired or was cancelled with nothing downloaded. */
  | 'NEW_LINK_NOT_ALLOWED'
  /** The request's facts are inconsistent (for example a received date after today). */
  | 'INVALID_REQUEST';

export class RequestError extends DomainError {
  declare readonly code: RequestErrorCode;
  constructor(code: RequestErrorCode, message: string, field?: string) {
    super(code, message, field);
    this.name = 'RequestError';
  }
}
