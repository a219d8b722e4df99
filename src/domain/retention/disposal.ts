/**
 * Disposal of records that have reached their retention date (R-4, UK GDPR storage limitation): legal holds, and
 * destruction proposed by one person and approved by a second, different person.
 *
 * Design decisions:
 * - Four eyes: the approver is never the proposer. Checked here, before anything is saved, and again by the
 *   database (a check constraint), so no path round the use case can approve its own proposal.
 * - A held item is never offered and never proposed; a hold placed after approval stops that item being destroyed
 *   (the job skips it and the certificate says so). Holds are set and removed with a reason.
 * - An item is in at most one live proposal (proposed or approved); a declined proposal frees its items.
 * - A recording is destroyed only after every copy made from it: a copy names its original, so the original
 *   outlives its copies. Likewise a conference's written record goes only once its recordings are destroyed (they
 *   are never offered together: the record waits until they are gone), and a request for a copy only once every
 *   copy sent for it is destroyed.
 * - Intent-named transitions (`propose`, `approve`, `decline`); states proposed → approved → destroyed, or declined.
 * Pure: no I/O.
 */
import type { Actor } from '../access/roles.ts';
import { type IsoDate, compareIsoDates } from '../calendar/iso-date.ts';
import { ConflictError, DomainError, InvalidDetailsError, ProblemList } from '../shared/errors.ts';
import { type DisposableKind, RECORD_KIND_SINGULAR, isDisposableKind, requireRetentionOfficer } from './schedules.ts';

export const REASON_MAX = 1000;

/** One record offered for disposal. */
export interface ItemRef {
  kind: DisposableKind;
  id: string;
}

export const itemKey = (i: { kind: string; id: string }): string => `${i.kind}:${i.id}`;

export const PROPOSAL_STATES = ['proposed', 'approved', 'destroyed', 'declined'] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const PROPOSAL_STATE_LABELS: Readonly<Record<ProposalState, string>> = {
  proposed: 'Waiting for a second person to approve',
  approved: 'Approved: being destroyed',
  destroyed: 'Destroyed',
  declined: 'Declined',
};

export const ITEM_STATES = ['pending', 'destroyed', 'held'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export interface Proposal {
  id: string;
  state: ProposalState;
  proposedBy: string;
  approvedBy: string | null;
  declinedBy: string | null;
}

/** Four eyes: a second, different person must approve. */
export class FourEyesError extends DomainError {
  constructor() {
    super(
      'FOUR_EYES',
      'You proposed this destruction, so someone else must approve it: a second person checks every destruction',
    );
    this.name = 'FourEyesError';
  }
}

/** What the review knows about one candidate record when someone proposes it. */
export interface Candidate {
  dueOn: IsoDate | null;
  held: boolean;
  inLiveProposal: boolean;
  /** Copies still kept: made from a recording, or sent for a request (either outlives its copies). */
  copiesKept?: number;
  /** Recordings of a conference still kept (a conference's written record outlives them). */
  recordingsKept?: number;
}

/** Why a due record cannot be proposed yet because something made from it is still kept; null when it can. */
export function keptFirst(kind: DisposableKind, c: Pick<Candidate, 'copiesKept' | 'recordingsKept'>): string | null {
  if ((c.recordingsKept ?? 0) > 0) return 'Its recordings are still kept: destroy them first';
  if ((c.copiesKept ?? 0) > 0)
    return kind === 'copy-request'
      ? 'Copies sent for it are still kept: destroy them first'
      : 'Copies of it are still kept: destroy them first';
  return null;
}

/** A reason typed by a person (a hold, its removal, a decline): required, at most REASON_MAX characters. */
export function checkReason(reason: unknown, field = 'reason', what = 'the reason'): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (!text) throw new InvalidDetailsError([{ field, message: `Enter ${what}` }]);
  if (text.length > REASON_MAX)
    throw new InvalidDetailsError([{ field, message: `${capital(what)} must be ${REASON_MAX} characters or fewer` }]);
  return text;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Checks a proposal before it is saved: at least one item, each of a kind the service destroys, each due on `today`,
 * none held, none already in a live proposal, no recording with copies still kept. Every problem at once, on the
 * field `items`. A record something is still kept for (copies, recordings) waits until those are destroyed.
 */
export function checkProposal(
  actor: Actor,
  items: readonly { kind: string; id: string }[],
  candidates: ReadonlyMap<string, Candidate>,
  today: IsoDate,
): ItemRef[] {
  requireRetentionOfficer(actor);
  const problems = new ProblemList();
  const unique = [...new Map(items.map((i) => [itemKey(i), i])).values()];
  if (!unique.length) problems.add('items', 'Select at least one record to propose for destruction');
  const refs: ItemRef[] = [];
  const messages: string[] = [];
  for (const i of unique) {
    const c = candidates.get(itemKey(i));
    if (!isDisposableKind(i.kind) || !c) {
      messages.push('One of the records selected was not found');
      continue;
    }
    const what = RECORD_KIND_SINGULAR[i.kind];
    if (c.held) messages.push(`${what} ${short(i.id)} is on legal hold, so it cannot be destroyed`);
    else if (c.inLiveProposal) messages.push(`${what} ${short(i.id)} is already proposed for destruction`);
    else if (c.dueOn === null || compareIsoDates(c.dueOn, today) > 0)
      messages.push(`${what} ${short(i.id)} has not reached its retention date`);
    else if ((c.recordingsKept ?? 0) > 0)
      messages.push(`${what} ${short(i.id)} has recordings that are still kept: destroy the recordings first`);
    else if ((c.copiesKept ?? 0) > 0)
      messages.push(`${what} ${short(i.id)} has copies that are still kept: destroy the copies first`);
    else refs.push({ kind: i.kind, id: i.id });
  }
  if (messages.length) problems.add('items', messages.join('. '));
  problems.throwIfAny();
  return refs;
}

const short = (id: string) => id.slice(0, 8);

/** A second, different person approves a proposal waiting for approval. */
export function approve(proposal: Proposal, approver: Actor): Proposal {
  requireRetentionOfficer(approver);
  if (proposal.state !== 'proposed') throw new ConflictError(notWaiting(proposal.state));
  if (proposal.proposedBy === approver.id) throw new FourEyesError();
  return { ...proposal, state: 'approved', approvedBy: approver.id };
}

/** Anyone who may review declines a proposal waiting for approval (the proposer may withdraw it), with a reason. */
export function decline(proposal: Proposal, actor: Actor): Proposal {
  requireRetentionOfficer(actor);
  if (proposal.state !== 'proposed') throw new ConflictError(notWaiting(proposal.state));
  return { ...proposal, state: 'declined', declinedBy: actor.id };
}

function notWaiting(state: ProposalState): string {
  return state === 'declined'
    ? 'This proposal was declined, so it can no longer be approved or declined'
    : 'This proposal has already been approved, so it can no longer be changed';
}

/**
 * What the destruction job does with one item of an approved proposal: an item held since approval is not
 * destroyed; one already destroyed (a re-run after a crash) is left as it is.
 */
export function itemAction(state: ItemState, heldNow: boolean): 'destroy' | 'hold' | 'done' {
  if (state !== 'pending') return 'done';
  return heldNow ? 'hold' : 'destroy';
}

/** The proposal is finished once no item is left pending. */
export function isFinished(items: readonly { state: ItemState }[]): boolean {
  return items.every((i) => i.state !== 'pending');
}

/** Checks a hold on one record: a kind the service knows, a reason. */
export function checkHold(actor: Actor, kind: unknown, reason: unknown): { kind: DisposableKind; reason: string } {
  requireRetentionOfficer(actor);
  if (!isDisposableKind(kind)) throw new InvalidDetailsError([{ field: 'kind', message: 'Choose the kind of record' }]);
  return { kind, reason: checkReason(reason, 'reason', 'why the record must be kept') };
}

/** What a destroyed file was, in words, for the certificate. */
const FILE_LABELS: Record<string, string> = {
  original: 'Encrypted original recording',
  playback: 'Playback copy (with its waveform)',
  'disclosure-copy': 'Disclosure copy sent to a requester',
  'unfinished-ingest': 'File left by an unfinished upload',
  'issued-document': 'Issued document (the copy as sent)',
  'agency-report': 'Agency’s report to the conference',
  'parent-report': 'Parent’s report to the conference',
};

export function fileLabel(what: string): string {
  return FILE_LABELS[what] ?? `Derived file (${what})`;
}
