/**
 * What the participation use cases share (002 §3.2, 001): their dependencies, the conference in its unit of work with
 * the per-child access check and the audit of every refusal (withConferenceRule), and who counts as the chair.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { NotTheChairError, actsAsChair } from '../../domain/conferences/chair-cover.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import {
  type ConferenceAccess,
  type ConferenceRule,
  type ConferenceScope,
  auditConference,
  withConferenceRule,
} from '../conferences/conference-access.ts';
import type { MeetingConference } from '../conferences/meeting-ports.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';

export interface ParticipationDeps {
  uow: UnitOfWork;
  clock: Clock;
  blobs: BlobStore;
}

/** 002 §4.1: the conference's assigned chair, or the cover chair recorded for them (as the meeting counts them). */
export function isChair(actor: Actor, conference: MeetingConference): boolean {
  return actsAsChair(actor, conference);
}

export const CHAIR_ONLY =
  (actor: Actor) =>
  (conference: MeetingConference): ConferenceRule =>
    isChair(actor, conference)
      ? { ok: true, reason: '', message: '' }
      : {
          ok: false,
          reason: 'not the chair',
          message: 'Only the conference chair can do this',
          error: new NotTheChairError(conference.id, conference.chairName),
        };

/** 002 §3.2: these are arranged before and during the conference; once it is held or cancelled they are kept as they are. */
export const OPEN = (conference: MeetingConference): ConferenceRule =>
  conference.status === 'planned' || conference.status === 'in-progress'
    ? { ok: true, reason: '', message: '' }
    : {
        ok: false,
        reason: 'conference closed',
        message: 'The conference is no longer planned or in progress: this can no longer be changed',
      };

export function both(
  ...rules: Array<(conference: MeetingConference) => ConferenceRule>
): (conference: MeetingConference) => ConferenceRule {
  return (conference) => rules.map((r) => r(conference)).find((r) => !r.ok) ?? { ok: true, reason: '', message: '' };
}

/** Runs `fn` on the conference once the actor passes the per-child check and `rule`; refusals are audited. */
export function onConference<T>(
  deps: ParticipationDeps,
  actor: Actor,
  conferenceId: string,
  ctx: RequestContext,
  opts: { access: ConferenceAccess; action: string; rule?: (c: MeetingConference) => ConferenceRule; lock?: boolean },
  fn: (scope: ConferenceScope) => Promise<T>,
): Promise<T> {
  return withConferenceRule(
    deps.uow,
    actor,
    conferenceId,
    ctx,
    { access: opts.access, action: opts.action, rule: opts.rule, lock: opts.lock ?? opts.access === 'edit' },
    fn,
  );
}

export { auditConference };
