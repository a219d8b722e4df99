import { canViewChild, CHILD_RECORD_ROLES } from '../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import { addDays, addWorkingDays, type DeadlineRag, type IsoDate, londonDateOf } from '../../domain/calendar/index.ts';
import {
  classifyDashboard,
  DASHBOARD_HORIZON_DAYS,
  DASHBOARD_SECTION_INFO,
  DASHBOARD_SECTIONS,
  type DashboardConference,
  type DashboardFilter,
  type DashboardItem,
  type DashboardSection,
  dashboardSectionsFor,
  filterDashboard,
  isConferenceType,
  isDashboardSection,
  isRagStatus,
  type StaffName,
} from '../../domain/conferences/dashboard.ts';
import type { ConferenceType } from '../../domain/conferences/decisions.ts';
import { coreGroupTaskConferences, coreGroupTasks } from '../../domain/core-groups/dashboard-tasks.ts';
import { AccessDeniedError, type FieldProblem, InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { UserRecord } from '../accounts/ports.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { sendingFor, sendingProgressFor } from '../documents/sending-progress.ts';
import { englandInstant, timeLeft } from '../../domain/recording-permission/requests.ts';
import { openCovertIncidentsFor } from '../recording-incidents/recording-incident-service.ts';
import type { DecisionCounts } from '../recording-permission/ports.ts';
import { type ConferenceServiceDeps, isUuid } from './service-deps.ts';

/** `chair` value for every chair's conferences. */
export const ALL_CHAIRS = 'all';

/**
 * What a person asks the dashboard for, as it arrives from a query string. Only non-personal
 * filters exist: a section, a chair's account id (or "all"), a red / amber / green status, a type.
 */
export interface DashboardRequest {
  section?: string | null | undefined;
  /** A chair's user id, or "all". Left out: a chair sees the conferences they chair, anyone else every chair's. */
  chair?: string | null | undefined;
  status?: string | null | undefined;
  type?: string | null | undefined;
}

export interface DashboardScope {
  /** Null: every chair. */
  chair: StaffName | null;
  /** The chair is the person looking. */
  mine: boolean;
}

export interface DashboardSectionView<S extends DashboardSection = DashboardSection> {
  key: S;
  title: string;
  description: string;
  items: DashboardItem[];
}

export interface DashboardView {
  today: IsoDate;
  /** Last day of "the next 30 days". */
  horizon: IsoDate;
  scope: DashboardScope;
  /** The filters applied (after defaults). */
  filter: { section: DashboardSection | null; chair: string; status: DeadlineRag | null; type: ConferenceType | null };
  /** The sections shown: every section, or the one asked for. */
  sections: DashboardSectionView[];
  /** Items in every section under the chair, status and type filters (so the summary can show them all). */
  counts: Record<DashboardSection, number>;
  /** The sections this person sees (some are for team managers, or for chairs and business support, only). */
  visibleSections: DashboardSection[];
  /** Everyone who may chair, and anyone chairing a listed conference, for the chair filter. */
  chairs: StaffName[];
  /** The person holds the chair role, so has their own view. */
  isChair: boolean;
  /** P-9: open covert recording incidents (for chairs and team managers), under the chair filter. */
  covertIncidents: DashboardCovertIncident[];
  /**
   * T-11, P-3: requests to record a meeting waiting for this person's decision, with the time left before the
   * soonest of their meetings, and the decisions on requests they decide or recorded not yet confirmed to the
   * requester (listed on their own page).
   */
  recordingRequests: DashboardRecordingRequests;
}

/** T-11, P-3: what waits for the person who decides requests to record a meeting. */
export interface DashboardRecordingRequests {
  waiting: number;
  shortNotice: number;
  /** When the soonest meeting with a request waiting starts; null when none waits. */
  soonestStartsAt: Date | null;
  /** The time left before it, in words (T-11). */
  timeLeft: string | null;
  unconfirmed: number;
}

/** P-9: an open covert recording incident, shown until the chair closes it. */
export interface DashboardCovertIncident {
  id: string;
  foundOn: IsoDate;
  actionCount: number;
  conference: DashboardConference;
}

/**
 * Dashboards for watching timescales: business support see every conference they may see, with each document a
 * conference needs against its due date and the arrangements for recipients still to make (W-4); a chair
 * sees the conferences they chair and can switch to the whole list. A conference is listed only when
 * the person may see every child in it (a sibling group included). Each view is audited with the
 * ids of the children whose names were shown.
 */
export class DashboardService {
  protected readonly deps: ConferenceServiceDeps & { writtenRecordFrom?: IsoDate | null };

  /** `writtenRecordFrom`: conferences held before it had their written record sent outside the service (T-6, T-7). */
  constructor(deps: ConferenceServiceDeps & { writtenRecordFrom?: IsoDate | null }) {
    this.deps = deps;
  }

  /** Today in England, from the service clock. */
  today(): IsoDate {
    return londonDateOf(this.deps.clock.now());
  }

  /** Active accounts holding the chair role, for the chair filter. */
  async chairs(): Promise<StaffName[]> {
    const users = await this.deps.uow.run(({ accounts }) => accounts.listUsers());
    return chairChoices(users, []);
  }

  /** Whether the person has a dashboard at all (children's records roles). */
  mayUse(actor: Actor): boolean {
    return hasAnyRole(actor, CHILD_RECORD_ROLES);
  }

  async view(actor: Actor, request: DashboardRequest, ctx: RequestContext): Promise<DashboardView> {
    if (!this.mayUse(actor)) {
      await this.deps.uow.run(({ audit }) =>
        audit.record({
          action: 'dashboard.view',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          outcome: 'denied',
          details: { reason: 'role has no access to children’s records' },
        }),
      );
      throw new AccessDeniedError();
    }
    const visibleSections = dashboardSectionsFor(actor.roles);
    const parsed = parseRequest(request, visibleSections);
    const isChair = actor.roles.includes('chair');
    const chairParam = parsed.chair ?? (isChair ? actor.id : ALL_CHAIRS);
    const today = this.today();
    const { calendar, timescales } = this.deps;
    const window = {
      today,
      horizon: addDays(today, DASHBOARD_HORIZON_DAYS),
      // A week's margin beyond the T-7 period, so a record still due is never missed; the domain decides exactly.
      heldSince: addDays(addWorkingDays(today, -timescales.recordDistributionWorkingDays, calendar), -7),
      writtenRecordFrom: this.deps.writtenRecordFrom ?? null,
    };
    // A conference held before heldSince stays loaded while any document it needs is not issued (T-7).

    return this.deps.uow.run(async (repos) => {
      const { dashboard, documents, accounts, audit } = repos;
      const users = await accounts.listUsers();
      let chair: StaffName | null = null;
      if (chairParam !== ALL_CHAIRS) {
        const found = users.find((u) => u.id.toLowerCase() === chairParam.toLowerCase());
        if (!found) throw new InvalidDetailsError([{ field: 'chair', message: 'Select a chair from the list' }]);
        chair = { id: found.id, name: found.name };
      }

      // W-4: open arrangements name their conferences, which are loaded whatever their dates.
      const openTasks = await documents.listOpenTasks();
      // W-5, T-8: so do amendment requests waiting for the chair.
      const waitingAmendments = await repos.amendments.listWaiting();
      // P-9: and open covert recording incidents, for those who may see them.
      const openIncidents = await openCovertIncidentsFor(repos, actor, () => true);
      // 002 §3.7, §3.2: core groups due and lead social workers to appoint (one query over the plans in force) and
      // interpreters not booked (one query over planned conferences' needs, only for those who see that section).
      const sees = {
        lead: visibleSections.includes('lead-social-worker'),
        interpreters: visibleSections.includes('interpreters'),
      };
      const groupTasks = coreGroupTasks(
        await repos.coreGroups.plansInForce(),
        sees.interpreters ? await repos.coreGroups.plannedInterpreterLanguages() : [],
        today,
        { calendar, settings: timescales },
      );
      const tasks = { ...groupTasks, lead: sees.lead ? groupTasks.lead : [] };
      const snapshot = await dashboard.loadSnapshot({
        ...window,
        // T-6 / T-7: so are those with an issued copy not yet sent.
        conferenceIds: unique([
          ...openTasks.map((t) => t.conferenceId),
          ...waitingAmendments.map((a) => a.conferenceId),
          ...openIncidents.map((i) => i.conferenceId),
          ...coreGroupTaskConferences(tasks, sees),
          ...(await repos.documentSendings.conferencesWithUnsentCopies()),
        ]),
      });
      // Default deny: a conference with no children, or with any child this person may not see, is left out.
      const visible = snapshot.conferences.filter(
        (c) =>
          c.children.length > 0 &&
          c.children.every((ch) => {
            const facts = snapshot.childAccess.get(ch.id);
            return facts !== undefined && canViewChild(actor, facts).allowed;
          }),
      );
      const visibleIds = new Set(visible.map((c) => c.id));
      // T-6 / T-7: the drafts' states of the visible conferences that need documents.
      const needing = visible.filter((c) => c.status === 'held' || c.status === 'adjourned-inquorate').map((c) => c.id);
      const states = await documents.documentStates(needing);
      const sendingOf = await sendingProgressFor(repos, needing);
      const classified = classifyDashboard(
        {
          ...snapshot,
          writtenRecordFrom: window.writtenRecordFrom,
          conferences: visible,
          coreGroupTasks: tasks,
          documents: states.map((d) => ({
            conferenceId: d.conferenceId,
            kind: d.kind,
            subjectInviteeId: d.subjectInviteeId,
            status: d.status,
            sending: sendingFor(sendingOf, d),
          })),
          arrangementTasks: openTasks
            .filter((t) => visibleIds.has(t.conferenceId))
            .map((t) => ({
              id: t.id,
              conferenceId: t.conferenceId,
              kind: t.kind,
              recipientName: t.recipientName,
              arrangement: t.arrangement,
              language: t.language,
              detail: t.detail,
              createdAt: t.createdAt,
            })),
          amendmentRequests: waitingAmendments
            .filter((a) => visibleIds.has(a.conferenceId))
            .map((a) => ({
              id: a.id,
              conferenceId: a.conferenceId,
              kind: a.kind,
              issueNumber: a.issueNumber,
              receivedOn: a.receivedOn,
              recordReceivedOn: a.recordReceivedOn,
              dueOn: a.dueOn,
              late: a.late,
              points: a.points,
            })),
        },
        today,
        { calendar, settings: timescales },
      );
      const filter: DashboardFilter = { chairId: chair?.id ?? null, status: parsed.status, type: parsed.type };
      const filtered = filterDashboard(classified, filter);

      const counts = Object.fromEntries(
        DASHBOARD_SECTIONS.map((s) => [s, visibleSections.includes(s) ? filtered[s].length : 0]),
      ) as Record<DashboardSection, number>;
      const shown = visibleSections.filter((s) => parsed.section === null || parsed.section === s);
      const sections = shown.map((key) => ({
        key,
        ...DASHBOARD_SECTION_INFO[key],
        items: filtered[key] as DashboardItem[],
      }));

      const byId = new Map(visible.map((c) => [c.id, c]));
      const covertIncidents = openIncidents.flatMap((i) => {
        const conference = byId.get(i.conferenceId);
        if (!conference || (chair !== null && conference.chair?.id !== chair.id)) return [];
        return [{ id: i.id, foundOn: i.foundOn as IsoDate, actionCount: i.actionCount, conference }];
      });
      const chairs = chairChoices(users, visible);
      const shownItems = sections.flatMap((s) => s.items);
      await audit.record({
        action: 'dashboard.view',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        details: {
          filters: {
            section: parsed.section,
            chair: chair?.id ?? ALL_CHAIRS,
            status: parsed.status,
            type: parsed.type,
          },
          itemCount: shownItems.length,
          conferenceIds: unique(shownItems.map((i) => i.conference.id)),
          // Names were shown for every child in each listed conference.
          childIds: unique(shownItems.flatMap((i) => i.conference.children.map((c) => c.id))),
          // W-4: recipients' names and arrangements were shown for these tasks.
          arrangementTaskIds: unique(shownItems.flatMap((i) => (i.section === 'document-tasks' ? [i.task.id] : []))),
          ...(covertIncidents.length ? { covertIncidentIds: covertIncidents.map((i) => i.id) } : {}),
        },
      });

      return {
        today,
        horizon: window.horizon,
        scope: { chair, mine: chair?.id === actor.id },
        filter: { section: parsed.section, chair: chair?.id ?? ALL_CHAIRS, status: parsed.status, type: parsed.type },
        sections,
        counts,
        visibleSections,
        chairs,
        isChair,
        covertIncidents,
        recordingRequests: recordingRequestsOf(
          await repos.recordingPermission.countWaitingFor(actor.id),
          this.deps.clock.now(),
        ),
      };
    });
  }
}

function recordingRequestsOf(counts: DecisionCounts, now: Date): DashboardRecordingRequests {
  const soonestStartsAt = counts.soonest ? englandInstant(counts.soonest.date, counts.soonest.time) : null;
  return {
    waiting: counts.waiting,
    shortNotice: counts.shortNotice,
    soonestStartsAt,
    timeLeft: soonestStartsAt ? timeLeft(now, soonestStartsAt) : null,
    unconfirmed: counts.unconfirmed,
  };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)].sort();
}

function chairChoices(users: readonly UserRecord[], conferences: readonly DashboardConference[]): StaffName[] {
  const ids = new Set(conferences.flatMap((c) => (c.chair ? [c.chair.id] : [])));
  return users
    .filter((u) => (u.roles.includes('chair') && !u.disabledAt) || ids.has(u.id))
    .map((u) => ({ id: u.id, name: u.disabledAt ? `${u.name} (account disabled)` : u.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Checks each filter; blank means "any". Every problem is reported at once. */
function parseRequest(
  r: DashboardRequest,
  visible: readonly DashboardSection[],
): {
  section: DashboardSection | null;
  chair: string | null;
  status: DeadlineRag | null;
  type: ConferenceType | null;
} {
  const problems: FieldProblem[] = [];
  const blank = (v: string | null | undefined) => v === undefined || v === null || v.trim() === '';
  const section = blank(r.section) ? null : r.section!.trim();
  const chair = blank(r.chair) ? null : r.chair!.trim();
  const status = blank(r.status) ? null : r.status!.trim();
  const type = blank(r.type) ? null : r.type!.trim();
  if (section !== null && (!isDashboardSection(section) || !visible.includes(section)))
    problems.push({ field: 'section', message: 'Select a section from the list' });
  if (chair !== null && chair !== ALL_CHAIRS && !isUuid(chair))
    problems.push({ field: 'chair', message: 'Select a chair from the list' });
  if (status !== null && !isRagStatus(status))
    problems.push({ field: 'status', message: 'Select overdue, due soon or on track' });
  if (type !== null && !isConferenceType(type))
    problems.push({ field: 'type', message: 'Select a type of conference from the list' });
  if (problems.length) throw new InvalidDetailsError(problems);
  return {
    section: section as DashboardSection | null,
    chair,
    status: status as DeadlineRag | null,
    type: type as ConferenceType | null,
  };
}
