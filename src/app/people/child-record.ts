/**
 * Viewing a child's record: the one use case behind the child's page and GET /api/v1/children/{id}. The record
 * (details, family and network, professionals, case notes), the recordings kept on it (R-4), the plan and its ending
 * (002 §3.9), when the next core group is due (002 §3.7) and professionals' requests for a conference (002 §1.1),
 * read in one transaction after one access check, with one list query per part (never one per row) and one audit
 * entry naming what was seen. A refusal is audited; so is a core group refused for a sibling this person may not see,
 * which leaves the rest of the record shown.
 */
import {
  type ChildAccessFacts,
  canEditChild,
  canManageRestriction,
  canViewChild,
} from '../../domain/access/child-access.ts';
import type { Actor } from '../../domain/access/roles.ts';
import {
  type BankHolidayCalendar,
  type IsoDate,
  type TimescaleSettings,
  londonDateOf,
} from '../../domain/calendar/index.ts';
import { outcomeHasPlan } from '../../domain/conferences/decisions.ts';
import { type CoreGroupDue, coreGroupDue } from '../../domain/core-groups/core-groups.ts';
import { ageOn } from '../../domain/people/index.ts';
import { ENDING_REASON_LABELS } from '../../domain/plan-endings/index.ts';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import { isId } from '../../domain/shared/ids.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { auditChild, auditChildDenial } from '../audit/child-audit.ts';
import type { ConferenceRequestView } from '../conference-requests/use-cases.ts';
import { viewOf } from '../conference-requests/views.ts';
import type { ConferenceListing } from '../conferences/convening-ports.ts';
import { currentPlan, planWarnings } from '../plan-endings/views.ts';
import type { PlanState } from '../plan-endings/use-cases.ts';
import { type KeptRecording, keptRecordings } from '../recordings/recording-reading.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { ChildView } from './people-service.ts';

export type { KeptRecording };

/** 002 §3.9: the child's plan as the record shows it; the plan's own page has the rest. */
export interface ChildPlanSummary {
  state: PlanState;
  warnings: string[];
  plan: { conferenceId: string; conferenceDate: IsoDate } | null;
  ending: { endedOn: IsoDate; reasonLabel: string } | null;
  transfer: { authorityName: string } | null;
}

export interface ChildRecordView extends ChildView {
  recordings: KeptRecording[];
  planEnding: ChildPlanSummary;
  /** When the next core group is due while a plan is in force; null with no plan in force or the core group refused. */
  coreGroupDue: CoreGroupDue | null;
  conferenceRequests: ConferenceRequestView[];
}

export interface ChildRecordDeps {
  uow: UnitOfWork;
  clock: Clock;
  calendar: BankHolidayCalendar;
  timescales: TimescaleSettings;
}

const RECORD = 'The child’s record';

export class ChildRecordService {
  private readonly deps: ChildRecordDeps;

  constructor(deps: ChildRecordDeps) {
    this.deps = deps;
  }

  /**
   * The child's record with everything its page shows, once the actor may see the child (a refusal audited as
   * `child.view`, in a transaction of its own). One `child.view` entry records the view with the ids of what was
   * seen: the recordings, the plan's state, the core group's conference and meetings, the requests counted.
   */
  async view(actor: Actor, childId: string, ctx: RequestContext): Promise<ChildRecordView> {
    if (!isId(childId)) throw new NotFoundError(RECORD);
    const id = childId.toLowerCase();
    const state: { denial: string | null } = { denial: null };
    try {
      return await this.deps.uow.run(async (repos) => {
        // One read of the record answers the access check too: its allocation, restriction and named staff.
        const child = await repos.people.findChild(id);
        if (!child) throw new NotFoundError(RECORD);
        const facts: ChildAccessFacts = child;
        const decision = canViewChild(actor, facts);
        if (!decision.allowed) {
          state.denial = decision.reason;
          throw new AccessDeniedError();
        }
        return await this.read(repos, actor, child, facts, ctx);
      });
    } catch (err) {
      if (state.denial !== null) await auditChildDenial(this.deps.uow, ctx, 'child.view', id, state.denial);
      throw err;
    }
  }

  private async read(
    repos: Repositories,
    actor: Actor,
    child: NonNullable<Awaited<ReturnType<Repositories['people']['findChild']>>>,
    facts: ChildAccessFacts,
    ctx: RequestContext,
  ): Promise<ChildRecordView> {
    const id = child.id;
    const today = londonDateOf(this.deps.clock.now());
    // One transaction is one connection: its queries run one after another (never Promise.all).
    const family = await repos.people.listFamily(id);
    const professionals = await repos.people.listProfessionals(id);
    const caseNotes = await repos.people.listCaseNotes(id);
    const staffNames = child.namedStaffIds.length ? await repos.accounts.userNames(child.namedStaffIds) : new Map();
    // Every conference of the child and whether this person may see each sibling in them: two statements, which
    // answer both the recordings' check (R-4) and the core group's (002 §3.7).
    const conferences = await repos.convening.listConferencesForChildren([id]);
    const siblings = [...new Set(conferences.flatMap((c) => c.childIds))].filter((other) => other !== id);
    const siblingFacts = await repos.people.childAccessFactsMany(siblings);
    const recordings = await keptRecordings(repos, actor, id, conferences, siblingFacts);
    const plan = await this.plan(repos, child, today);
    const coreGroup = await this.coreGroup(repos, actor, id, facts, conferences, siblingFacts, plan.outcome, today);
    if (coreGroup.denial !== null)
      await repos.audit.record({
        action: 'core-group.view',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id },
        outcome: 'denied',
        details: { reason: coreGroup.denial },
      });
    const name = `${child.givenNames} ${child.familyName}`;
    const conferenceRequests = (await repos.conferenceRequests.listForChild(id)).map((r) => viewOf(r, name));
    await auditChild(repos, ctx, 'child.view', id, {
      recordingIds: recordings.map((r) => r.id),
      planState: plan.summary.state,
      coreGroup:
        coreGroup.denial === null ? { conferenceId: coreGroup.conferenceId, meetingIds: coreGroup.meetingIds } : null,
      conferenceRequests: conferenceRequests.length,
    });
    return {
      child,
      namedStaff: child.namedStaffIds.map((s) => ({ id: s, name: staffNames.get(s) ?? 'Unknown account' })),
      age: child.dateOfBirth ? ageOn(child.dateOfBirth, today) : null,
      family,
      professionals,
      caseNotes,
      canEdit: canEditChild(actor, facts).allowed,
      canManageRestriction: canManageRestriction(actor, facts).allowed,
      recordings,
      planEnding: plan.summary,
      coreGroupDue: coreGroup.due,
      conferenceRequests,
    };
  }

  /** 002 §3.9: the plan as the child's latest held conference left it, its ending, transfer and warnings. */
  private async plan(repos: Repositories, child: { id: string; dateOfBirth: string | null }, today: IsoDate) {
    const { outcome, ending, state } = await currentPlan(repos, child.id);
    const transfer = outcome ? await repos.planEndings.findTransfer(child.id, outcome.conferenceId) : null;
    const notices = ending ? await repos.planEndings.listNotices(ending.id) : [];
    const summary: ChildPlanSummary = {
      state,
      warnings: planWarnings({
        state,
        dateOfBirth: (child.dateOfBirth ?? null) as IsoDate | null,
        nextReviewDate: outcome?.plan?.nextReviewDate ?? null,
        transfer,
        lettersToPost: notices.filter((n) => n.method === 'letter' && !n.postedAt).length,
        today,
      }),
      plan: outcome ? { conferenceId: outcome.conferenceId, conferenceDate: outcome.conferenceDate } : null,
      ending: ending ? { endedOn: ending.endedOn, reasonLabel: ENDING_REASON_LABELS[ending.reason] } : null,
      transfer: transfer ? { authorityName: transfer.authorityName } : null,
    };
    return { outcome, summary };
  }

  /**
   * 002 §3.7: when the next core group is due under the plan in force. The core group is seen only by someone who
   * may see every child of the conference that made the plan: otherwise it is refused (the denial is returned, for
   * the caller to audit) and the rest of the record is still shown.
   */
  private async coreGroup(
    repos: Repositories,
    actor: Actor,
    childId: string,
    facts: ChildAccessFacts,
    conferences: readonly ConferenceListing[],
    siblingFacts: ReadonlyMap<string, ChildAccessFacts>,
    outcome: Awaited<ReturnType<typeof currentPlan>>['outcome'],
    today: IsoDate,
  ): Promise<{ denial: string | null; conferenceId: string | null; meetingIds: string[]; due: CoreGroupDue | null }> {
    const conferenceId = await repos.coreGroups.planConferenceId(childId);
    const conference = conferenceId ? conferences.find((c) => c.id === conferenceId) : undefined;
    if (conferenceId) {
      // The plan's conference is one of the child's, whose siblings were read with them; looked up if not.
      const childIds = conference?.childIds ?? (await repos.convening.conferenceChildIds(conferenceId)) ?? [];
      const missing = childIds.filter((c) => c !== childId && !siblingFacts.has(c));
      const more = missing.length ? await repos.people.childAccessFactsMany(missing) : new Map();
      for (const c of childIds) {
        const f = c === childId ? facts : (siblingFacts.get(c) ?? more.get(c));
        const d = f ? canViewChild(actor, f) : { allowed: false as const, reason: 'child record missing' };
        if (!d.allowed) return { denial: d.reason, conferenceId, meetingIds: [], due: null };
      }
    }
    const meetings = await repos.coreGroups.listMeetings(childId);
    const meetingIds = meetings.map((m) => m.id);
    if (!conferenceId) return { denial: null, conferenceId, meetingIds, due: null };
    const conferenceDate =
      conference?.scheduledDate ?? (await repos.meeting.findConference(conferenceId))?.scheduledDate;
    if (!conferenceDate) return { denial: null, conferenceId, meetingIds, due: null };
    // The plan and decision made for the child there: the current outcome's when it is the same conference.
    const same = outcome?.conferenceId === conferenceId;
    const plan = same
      ? outcome.plan
      : ((await repos.meeting.listPlans(conferenceId)).filter((p) => p.childId === childId).at(-1) ?? null);
    const decision = same
      ? outcome.decision
      : (await repos.meeting.listDecisions(conferenceId)).filter((d) => d.childId === childId).at(-1);
    if (!plan || !decision || !outcomeHasPlan(decision.outcome))
      return { denial: null, conferenceId, meetingIds, due: null };
    const current = meetings.filter((m) => m.conferenceId === conferenceId);
    const held = current.filter((m) => m.record !== null).map((m) => m.meetingDate);
    const scheduled = current.filter((m) => m.record === null).map((m) => m.meetingDate);
    const due = coreGroupDue(
      {
        conferenceDate,
        firstCoreGroupDate: plan.firstCoreGroupDate,
        lastHeld: held.sort().at(-1) ?? null,
        nextScheduled: scheduled.sort()[0] ?? null,
      },
      today,
      this.deps.calendar,
      this.deps.timescales,
    );
    return { denial: null, conferenceId, meetingIds, due };
  }
}
