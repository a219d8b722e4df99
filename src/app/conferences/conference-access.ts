import {
  type AccessDecision,
  type ChildAccessFacts,
  canEditChild,
  canViewChild,
} from '../../domain/access/child-access.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { MeetingConference } from './meeting-ports.ts';
import { isUuid } from './service-deps.ts';

export type ConferenceAccess = 'view' | 'edit';

export interface ConferenceAccessOptions {
  /**
   * W-7: the investigator of an open complaint about this conference may pass a *view* check for this conference
   * only (never an edit), even without access to its children; each view so passed is audited with the complaint.
   */
  investigatorMayView?: boolean;
}

/** A refusal, with the complaint whose investigator access has ended when that is why. */
export interface Denial {
  reason: string;
  complaintId?: string;
}

/**
 * W-7: whether the actor may view this conference as the investigator of an open complaint about it, looked up in
 * the caller's transaction. A view so allowed is audited there with the complaint's id; when the only complaints
 * naming them are closed, the refusal says so (the caller audits it).
 */
export async function investigatorAccess(
  repos: Repositories,
  actor: Actor,
  conferenceId: string,
  action: string,
  ctx: RequestContext,
): Promise<{ allowed: true; complaintId: string } | { allowed: false; complaintId: string | null }> {
  const grants = await repos.complaints.investigatorGrants(conferenceId, actor.id);
  const open = grants.find((g) => g.open);
  if (!open) return { allowed: false, complaintId: grants[0]?.id ?? null };
  await repos.audit.record({
    action: 'complaint.investigator.access',
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    subject: { type: 'conference', id: conferenceId },
    outcome: 'success',
    details: { complaintId: open.id, for: action },
  });
  return { allowed: true, complaintId: open.id };
}

/**
 * Checks the actor against every child of the conference (`view` or `edit`); null when allowed. For a view with
 * `investigatorMayView`, a refused child is passed by an open complaint's investigator access (W-7).
 */
export async function checkConferenceChildren(
  repos: Repositories,
  actor: Actor,
  conferenceId: string,
  childIds: readonly string[],
  access: ConferenceAccess,
  action: string,
  ctx: RequestContext,
  opts: ConferenceAccessOptions = {},
): Promise<Denial | null> {
  for (const childId of childIds) {
    const facts = await repos.people.childAccessFacts(childId);
    const decision: AccessDecision = facts
      ? RULES[access](actor, facts)
      : { allowed: false, reason: 'child record missing' };
    if (decision.allowed) continue;
    if (access === 'view' && opts.investigatorMayView) {
      const grant = await investigatorAccess(repos, actor, conferenceId, action, ctx);
      if (grant.allowed) return null;
      if (grant.complaintId)
        return { reason: 'complaint closed: investigator access ended', complaintId: grant.complaintId };
    }
    return { reason: decision.reason };
  }
  return null;
}

const RULES = { view: canViewChild, edit: canEditChild } as const;

/**
 * A conference is seen only by someone who may see every child in it (a sibling group included),
 * and changed only by someone who may change every child's record. A denial is audited.
 * Runs `fn` in one unit of work with the conference's child ids.
 */
export async function withConferenceAccess<T>(
  uow: UnitOfWork,
  actor: Actor,
  conferenceId: string,
  access: ConferenceAccess,
  action: string,
  ctx: RequestContext,
  fn: (repos: Repositories, childIds: string[]) => Promise<T>,
  opts: ConferenceAccessOptions = {},
): Promise<T> {
  const state: { denial: Denial | null } = { denial: null };
  try {
    if (!isUuid(conferenceId)) throw new NotFoundError('The conference');
    return await uow.run(async (repos) => {
      const childIds = await repos.convening.conferenceChildIds(conferenceId);
      if (!childIds) throw new NotFoundError('The conference');
      state.denial = await checkConferenceChildren(repos, actor, conferenceId, childIds, access, action, ctx, opts);
      if (state.denial) throw new AccessDeniedError();
      return fn(repos, childIds);
    });
  } catch (err) {
    const denial = state.denial;
    if (denial !== null) await auditConferenceDenial(uow, ctx, action, conferenceId, denial.reason, denial.complaintId);
    throw err;
  }
}

/**
 * Records a denial about a conference in the audit trail, in a transaction of its own: the use case's own
 * transaction is rolled back by the refusal, and a denial must never go unrecorded.
 */
export async function auditConferenceDenial(
  uow: UnitOfWork,
  ctx: RequestContext,
  action: string,
  conferenceId: string,
  reason: string,
  complaintId?: string,
): Promise<void> {
  await uow.run(({ audit }) =>
    audit.record({
      action,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'conference', id: conferenceId },
      outcome: 'denied',
      details: complaintId ? { reason, complaintId } : { reason },
    }),
  );
}

/** Records a successful view or change of a conference in the audit trail, in the caller's transaction. */
export async function auditConference(
  repos: Pick<Repositories, 'audit'>,
  ctx: RequestContext,
  action: string,
  conferenceId: string,
  details?: Record<string, unknown>,
): Promise<void> {
  await repos.audit.record({
    action,
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    subject: { type: 'conference', id: conferenceId },
    outcome: 'success',
    ...(details ? { details } : {}),
  });
}

/** A rule about the conference itself, past its children (who may do this, say): `reason` is audited, `message` shown. */
export interface ConferenceRule {
  ok: boolean;
  reason: string;
  message: string;
  /** The refusal to throw instead of a plain AccessDeniedError (one that tells the person more, e.g. NotTheChairError). */
  error?: Error;
}

/** The conference a use case runs on, in its unit of work, with the ids of its children. */
export interface ConferenceScope {
  repos: Repositories;
  conference: MeetingConference;
  childIds: string[];
}

export interface ConferenceRuleOptions {
  /** The per-child check: `view` or `edit` as withConferenceAccess checks it, or a use case's own, child by child. */
  access: ConferenceAccess | ((actor: Actor, child: ChildAccessFacts) => AccessDecision);
  action: string;
  /** Checked once the conference is found; a refusal is audited like a refused child. None: the per-child check alone. */
  rule?: ConferenceRule | ((conference: MeetingConference) => ConferenceRule);
  /** Lock the conference's row for the unit of work. */
  lock?: boolean;
  /** With a use case's own per-child check: what its refusal says (none: the default). */
  childDenialMessage?: string | undefined;
}

/**
 * Runs `fn` on the conference once the actor passes the per-child check (`access`) and the conference's `rule`;
 * every refusal, by a child or by the rule, is audited as a denial about the conference.
 */
export async function withConferenceRule<T>(
  uow: UnitOfWork,
  actor: Actor,
  conferenceId: string,
  ctx: RequestContext,
  opts: ConferenceRuleOptions,
  fn: (scope: ConferenceScope) => Promise<T>,
): Promise<T> {
  const { access, action } = opts;
  const state: { denial: string | null } = { denial: null };
  const inScope = async (repos: Repositories, childIds: string[]) => {
    const conference = await repos.meeting.findConference(conferenceId, { lock: opts.lock ?? false });
    if (!conference) throw new NotFoundError('The conference');
    const rule = typeof opts.rule === 'function' ? opts.rule(conference) : opts.rule;
    if (rule && !rule.ok) {
      state.denial = rule.reason;
      throw rule.error ?? new AccessDeniedError(rule.message);
    }
    return fn({ repos, conference, childIds });
  };
  try {
    if (typeof access !== 'function')
      return await withConferenceAccess(uow, actor, conferenceId, access, action, ctx, inScope);
    if (!isUuid(conferenceId)) throw new NotFoundError('The conference');
    return await uow.run(async (repos) => {
      const childIds = await repos.convening.conferenceChildIds(conferenceId);
      if (!childIds) throw new NotFoundError('The conference');
      for (const childId of childIds) {
        const facts = await repos.people.childAccessFacts(childId);
        const decision: AccessDecision = facts
          ? access(actor, facts)
          : { allowed: false, reason: 'child record missing' };
        if (!decision.allowed) {
          state.denial = decision.reason;
          throw new AccessDeniedError(opts.childDenialMessage);
        }
      }
      return inScope(repos, childIds);
    });
  } catch (err) {
    if (state.denial !== null) await auditConferenceDenial(uow, ctx, action, conferenceId, state.denial);
    throw err;
  }
}
