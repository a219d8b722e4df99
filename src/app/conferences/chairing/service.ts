/**
 * The chair (002 §4.1): what the conference page shows of chairing (the reasons recorded for a chair who is not
 * independent of the case, and the chair's meeting with the child and family beforehand), changing the chair of a
 * planned conference (with the reason when the new chair is not independent), recording the chair's meeting with
 * the family, and an administrator setting a member of staff's line manager. Every view and change is audited;
 * refusals too (conference-access.ts).
 */
import type { Actor } from '../../../domain/access/roles.ts';
import { type IsoDate, londonDateOf } from '../../../domain/calendar/index.ts';
import {
  type FamilyMeetingInput,
  type IndependenceConcern,
  validateFamilyMeeting,
} from '../../../domain/conferences/chairing.ts';
import { chairChange } from '../../../domain/conferences/rearrangement.ts';
import { mayRecordCover, validateCover } from '../../../domain/conferences/chair-cover.ts';
import { ProblemList, StaleRecordError } from '../../../domain/shared/errors.ts';
import type { RequestContext } from '../../audit/audit-log.ts';
import type { Clock, Repositories, UnitOfWork } from '../../unit-of-work.ts';
import type { MeetingConference } from '../meeting-ports.ts';
import type { RearrangementService } from '../rearrangement-service.ts';
import { auditConference, withConferenceRule } from '../conference-access.ts';
import { checkChairIndependence, recordChairIndependence } from './independence.ts';
import type { CoverChairRecord, FamilyMeetingRecord, IndependenceReasonRecord } from './ports.ts';
import { checkLineManager } from './line-manager.ts';

/** How invitees are told of a change to a conference (rearrangement-service.ts). */
export type ChangeNotices = Pick<RearrangementService, 'reissueWithin' | 'dispatch'>;

export interface ChairingDeps {
  uow: UnitOfWork;
  clock: Clock;
  /** 002 §4.1: everyone already invited is told the new chair's name, as a rearrangement tells them. */
  notices: ChangeNotices;
}

export interface ChairingView {
  conferenceId: string;
  status: string;
  scheduledDate: IsoDate;
  chair: { id: string; name: string } | null;
  /** Concerns about the current chair now (the allocation may have changed since they were chosen). */
  concerns: IndependenceConcern[];
  reasons: IndependenceReasonRecord[];
  familyMeeting: FamilyMeetingRecord | null;
  /** Planned and the chair has not recorded meeting the family: one of the things to do before the conference. */
  familyMeetingDue: boolean;
  /** 002 §4.1: the chair covering for the assigned chair now, and whether this person may record cover. */
  cover: CoverChairRecord | null;
  canRecordCover: boolean;
}

export interface RecordCoverInput {
  coverChairUserId?: string | null | undefined;
  reason?: string | null | undefined;
}

/** 002 §4.1: who may record a cover chair, as a refusal says it (the cover chair page's refusal says it too). */
export const COVER_REFUSED = 'Only the conference’s chair, a team manager or business support can record a cover chair';

const MAY_RECORD_COVER = (actor: Actor) => (c: { chairUserId: string | null }) => ({
  ok: mayRecordCover(actor, c),
  reason: 'may not record cover',
  message: COVER_REFUSED,
});

export interface ChangeChairInput {
  chairUserId?: string | null | undefined;
  chairIndependenceReason?: string | null | undefined;
  /** Why the chair is changing (optional), kept in the conference's record of changes. */
  reason?: string | null | undefined;
}

/** Kept in the record of changes when no reason for a new chair is given. */
export const NO_REASON_GIVEN = 'No reason given';
const MAX_REASON = 1000;

const PLANNED = (c: { status: string }) => ({
  ok: c.status === 'planned',
  reason: 'conference not planned',
  message: 'The chair can be changed only before the conference is held',
});

/**
 * What the conference page shows of chairing (002 §4.1), read with the caller's repositories once the actor has passed
 * the conference's view check: neither access-checked nor audited, for a use case that already is.
 */
export async function chairingWithin(
  repos: Repositories,
  actor: Actor,
  conference: MeetingConference,
  childIds: readonly string[],
): Promise<ChairingView> {
  const conferenceId = conference.id;
  const chair = conference.chairUserId
    ? { id: conference.chairUserId, name: conference.chairName ?? 'A former member of staff' }
    : null;
  const independence = await checkChairIndependence(repos, new ProblemList(), chair, childIds, 'shown');
  const familyMeeting = await repos.chairing.findFamilyMeeting(conferenceId);
  return {
    conferenceId,
    status: conference.status,
    scheduledDate: conference.scheduledDate,
    chair,
    concerns: independence.concerns,
    reasons: await repos.chairing.listIndependenceReasons(conferenceId),
    familyMeeting,
    familyMeetingDue: conference.status === 'planned' && familyMeeting === null,
    cover: await repos.chairing.currentCover(conferenceId),
    canRecordCover: mayRecordCover(actor, conference),
  };
}

export class ChairingService {
  private readonly deps: ChairingDeps;

  constructor(deps: ChairingDeps) {
    this.deps = deps;
  }

  /** What the conference page shows of chairing; audited as a view. */
  async chairing(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ChairingView> {
    return withConferenceRule(
      this.deps.uow,
      actor,
      conferenceId,
      ctx,
      { access: 'view', action: 'conference.chairing.view' },
      async ({ repos, conference, childIds }) => {
        const view = await chairingWithin(repos, actor, conference, childIds);
        await auditConference(repos, ctx, 'conference.chairing.view', conferenceId);
        return view;
      },
    );
  }

  /**
   * Changes the chair of a planned conference: an active member of staff with the chair role, not its minute
   * taker; a chair who is not independent of the case needs the reason, recorded and audited.
   */
  async changeChair(
    actor: Actor,
    conferenceId: string,
    input: ChangeChairInput,
    ctx: RequestContext,
  ): Promise<{ chairUserId: string; concerns: IndependenceConcern[]; changeId: string; reinvited: number }> {
    const sent: { messageIds: string[] } = { messageIds: [] };
    const result = await withConferenceRule(
      this.deps.uow,
      actor,
      conferenceId,
      ctx,
      { access: 'edit', action: 'conference.chair.change', rule: PLANNED, lock: true },
      async ({ repos, conference, childIds }) => {
        const p = new ProblemList();
        const id = (input.chairUserId ?? '').trim().toLowerCase();
        const user = (await repos.accounts.listUsers()).find((u) => u.id === id && !u.disabledAt);
        const overview = await repos.convening.findConference(conferenceId);
        let chair: { id: string; name: string } | null = null;
        if (!user || !user.roles.includes('chair')) p.add('chairUserId', 'Select the chair from the list');
        else if (user.id === conference.chairUserId)
          p.add('chairUserId', `${user.name} already chairs this conference: choose someone else`);
        else if (overview?.minuteTaker?.id === user.id)
          p.add('chairUserId', 'The chair must be someone other than the minute taker');
        else chair = { id: user.id, name: user.name };
        const independence = await checkChairIndependence(repos, p, chair, childIds, input.chairIndependenceReason);
        const reason = (input.reason ?? '').trim();
        if (reason.length > MAX_REASON) p.add('reason', `The reason must be ${MAX_REASON} characters or fewer`);
        p.throwIfAny();
        await repos.chairing.setChair(conferenceId, chair!.id);
        // 002 §4.1: the change is kept in the conference's record of changes, and everyone invited told of it.
        const changes = [chairChange(conference.chairName, chair!.name)];
        const changeId = await repos.lifecycle.insertChange(conferenceId, {
          kind: 'chair-changed',
          changes,
          reason: reason || NO_REASON_GIVEN,
          lateAgreedBy: null,
          lateReason: null,
          changedByUserId: actor.id,
          changedByLabel: ctx.actor.label,
          changedAt: this.deps.clock.now(),
        });
        const told = await this.deps.notices.reissueWithin(repos, actor, ctx, conferenceId, changes);
        sent.messageIds = told.messageIds;
        await auditConference(repos, ctx, 'conference.chair.change', conferenceId, {
          fromChairUserId: conference.chairUserId,
          chairUserId: chair!.id,
          changeId,
          reinvited: told.reinvited,
        });
        await recordChairIndependence(
          repos,
          ctx,
          { userId: actor.id, at: this.deps.clock.now() },
          conferenceId,
          chair!.id,
          'chair-changed',
          independence,
        );
        return { chairUserId: chair!.id, concerns: independence.concerns, changeId, reinvited: told.reinvited };
      },
    );
    await this.deps.notices.dispatch(sent.messageIds);
    return result;
  }

  /**
   * 002 §4.1: records that the chair met the child and family before the conference (when, who), or why not. The
   * conference's chair or anyone who may edit the children's records; a change is based on the version read.
   */
  async recordFamilyMeeting(
    actor: Actor,
    conferenceId: string,
    input: FamilyMeetingInput & { version?: number | null | undefined },
    ctx: RequestContext,
  ): Promise<FamilyMeetingRecord> {
    return withConferenceRule(
      this.deps.uow,
      actor,
      conferenceId,
      ctx,
      { access: 'edit', action: 'conference.chair.family_meeting', lock: true },
      async ({ repos, conference }) => {
        const meeting = validateFamilyMeeting(input, {
          today: londonDateOf(this.deps.clock.now()),
          conferenceDate: conference.scheduledDate,
        });
        const existing = await repos.chairing.findFamilyMeeting(conferenceId);
        const expected = existing ? (input.version ?? existing.version) : null;
        const saved = await repos.chairing.saveFamilyMeeting(
          conferenceId,
          meeting,
          { userId: actor.id, at: this.deps.clock.now() },
          expected,
        );
        if (!saved) throw new StaleRecordError();
        await auditConference(repos, ctx, 'conference.chair.family_meeting', conferenceId, {
          met: meeting.met,
          version: (existing?.version ?? 0) + 1,
        });
        return (await repos.chairing.findFamilyMeeting(conferenceId))!;
      },
    );
  }

  /** 002 §4.1: who may be recorded as cover chair: active staff with the chair role, other than the assigned chair. */
  async coverChoices(
    actor: Actor,
    conferenceId: string,
    ctx: RequestContext,
  ): Promise<{ chair: { id: string; name: string } | null; choices: Array<{ id: string; name: string }> }> {
    return withConferenceRule(
      this.deps.uow,
      actor,
      conferenceId,
      ctx,
      { access: 'view', action: 'conference.chair.cover', rule: MAY_RECORD_COVER(actor) },
      async ({ repos, conference }) => ({
        chair: conference.chairUserId
          ? { id: conference.chairUserId, name: conference.chairName ?? 'A former member of staff' }
          : null,
        choices: (await repos.accounts.listUsersWithRole('chair'))
          .filter((u) => u.id !== conference.chairUserId)
          .map((u) => ({ id: u.id, name: u.name })),
      }),
    );
  }

  /**
   * 002 §4.1: records another chair as cover for the assigned chair, with the reason (the assigned chair, a team
   * manager or business support); the cover chair may then act as chair. Replaces any cover recorded before. Audited.
   */
  async recordCover(
    actor: Actor,
    conferenceId: string,
    input: RecordCoverInput,
    ctx: RequestContext,
  ): Promise<CoverChairRecord> {
    return withConferenceRule(
      this.deps.uow,
      actor,
      conferenceId,
      ctx,
      { access: 'view', action: 'conference.chair.cover', rule: MAY_RECORD_COVER(actor), lock: true },
      async ({ repos, conference }) => {
        const id = (input.coverChairUserId ?? '').trim().toLowerCase();
        const user = (await repos.accounts.listUsers()).find((u) => u.id === id);
        const cover = validateCover(
          input,
          user ? { id: user.id, roles: user.roles, disabled: user.disabledAt !== null } : null,
          conference,
        );
        const previous = await repos.chairing.currentCover(conferenceId);
        await repos.chairing.recordCover({
          conferenceId,
          coverChairUserId: cover.coverChairUserId,
          reason: cover.reason,
          recordedBy: actor.id,
          recordedAt: this.deps.clock.now(),
        });
        await auditConference(repos, ctx, 'conference.chair.cover', conferenceId, {
          chairUserId: conference.chairUserId,
          coverChairUserId: cover.coverChairUserId,
          replacedCoverChairUserId: previous?.coverChairUserId ?? null,
        });
        return (await repos.chairing.currentCover(conferenceId))!;
      },
    );
  }

  /** 002 §4.1: an administrator sets (or clears) a member of staff's line manager. */
  async lineManager(userId: string): Promise<string | null> {
    return this.deps.uow.run((repos) => repos.chairing.lineManagerOf(userId));
  }

  async setLineManager(userId: string, lineManagerId: string | null, ctx: RequestContext): Promise<void> {
    await this.deps.uow.run(async (repos) => {
      const managerId = await checkLineManager(repos, userId, lineManagerId);
      await repos.chairing.setLineManager(userId, managerId);
      await repos.audit.record({
        action: 'user.line_manager',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'user', id: userId },
        outcome: 'success',
        details: { lineManagerId: managerId },
      });
    });
  }
}
