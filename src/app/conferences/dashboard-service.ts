import { type ChildAccessFacts, canViewChild, CHILD_RECORD_ROLES } from '../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import { addDays, addWorkingDays, type DeadlineRag, type IsoDate, londonDateOf } from '../../domain/calendar/index.ts';
import {
  classifyDashboard,
  DASHBOARD_HORIZON_DAYS,
  DASHBOARD_SECTION_INFO,
  DASHBOARD_SECTIONS,
  type DashboardConference,
  type DashboardFacts,
  type DashboardFilter,
  type DashboardRules,
  type DashboardItem,
  type DashboardSection,
  dashboardSectionsFor,
  filterDashboard,
  type RecordsDueItem,
  type StaffName,
} from '../../domain/conferences/dashboard.ts';
import { reviewsDueBy } from '../../domain/conferences/dashboard-window.ts';
import type { ConferenceType } from '../../domain/conferences/decisions.ts';
import { coreGroupTaskConferences, coreGroupTasks } from '../../domain/core-groups/dashboard-tasks.ts';
import { AccessDeniedError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { sendingFor, sendingProgressFor } from '../documents/sending-progress.ts';
import { englandInstant, timeLeft } from '../../domain/recording-permission/requests.ts';
import { openCovertIncidentsFor } from '../recording-incidents/recording-incident-service.ts';
import type { DecisionCounts } from '../recording-permission/ports.ts';
import {
  ALL_CHAIRS,
  chairChoices,
  chairIdsOf,
  type DashboardPaging,
  type DashboardRequest,
  pageOf,
  parseDashboardRequest,
} from './dashboard-request.ts';
import type { ConferenceServiceDeps } from './service-deps.ts';
import type { DashboardWindow } from './dashboard-ports.ts';
import type { Repositories } from '../unit-of-work.ts';

export { ALL_CHAIRS, DASHBOARD_PAGE_SIZE, type DashboardPaging, type DashboardRequest } from './dashboard-request.ts';

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
  /** The section's rows on this page. */
  items: DashboardItem[];
  /** Rows in the section under the filters, on every page. */
  total: number;
  /** How many of the section's rows come before this page's. */
  offset: number;
}

export interface DashboardView {
  today: IsoDate;
  /** Last day of "the next 30 days". */
  horizon: IsoDate;
  scope: DashboardScope;
  /** The filters applied (after defaults). */
  filter: { section: DashboardSection | null; chair: string; status: DeadlineRag | null; type: ConferenceType | null };
  /** The sections shown: every section, or the one asked for, each with its rows on this page only. */
  sections: DashboardSectionView[];
  /** This page among the rows of the sections shown (at most DASHBOARD_PAGE_SIZE rows a page). */
  paging: DashboardPaging;
  /**
   * Items in each section under the chair, status and type filters (so the summary can show them all); with one
   * section asked for, only that section is classified and the others are null.
   */
  counts: Record<DashboardSection, number | null>;
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
    return this.build(actor, request, ctx);
  }

  private async build(actor: Actor, request: DashboardRequest, ctx: RequestContext): Promise<DashboardView> {
    const visibleSections = dashboardSectionsFor(actor.roles);
    const parsed = parseDashboardRequest(request, visibleSections);
    const isChair = actor.roles.includes('chair');
    const chairParam = parsed.chair ?? (isChair ? actor.id : ALL_CHAIRS);
    const today = this.today();
    const { calendar, timescales } = this.deps;
    // Only the sections shown are loaded and classified: one asked for, or every one this person sees.
    const wanted = parsed.section === null ? visibleSections : [parsed.section];
    const needs = (...s: DashboardSection[]) => s.some((x) => wanted.includes(x));
    const horizon = addDays(today, DASHBOARD_HORIZON_DAYS);
    const window = {
      today,
      horizon,
      // A week's margin beyond the T-7 period, so a record still due is never missed; the domain decides exactly.
      heldSince: addDays(addWorkingDays(today, -timescales.recordDistributionWorkingDays, calendar), -7),
      writtenRecordFrom: this.deps.writtenRecordFrom ?? null,
      // T-3: plans whose review cannot fall due by the horizon are not loaded.
      reviewsDueBy: reviewsDueBy(horizon, timescales, calendar),
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
      const openTasks = needs('document-tasks') ? await documents.listOpenTasks() : [];
      // W-5, T-8: so do amendment requests waiting for the chair.
      const waitingAmendments = needs('amendments') ? await repos.amendments.listWaiting() : [];
      // P-9: and open covert recording incidents, for those who may see them (on every view).
      const openIncidents = await openCovertIncidentsFor(repos, actor, () => true);
      // 002 §3.7, §3.2: core groups due and lead social workers to appoint (one query over the plans in force) and
      // interpreters not booked (one query over planned conferences' needs, only for those who see that section).
      const sees = {
        lead: needs('lead-social-worker'),
        interpreters: needs('interpreters'),
      };
      const groupTasks = needs('core-groups', 'lead-social-worker', 'interpreters')
        ? coreGroupTasks(
            await repos.coreGroups.plansInForce(),
            sees.interpreters ? await repos.coreGroups.plannedInterpreterLanguages() : [],
            today,
            { calendar, settings: timescales },
          )
        : { due: [], lead: [], interpreters: [] };
      const tasks = {
        due: needs('core-groups') ? groupTasks.due : [],
        lead: sees.lead ? groupTasks.lead : [],
        interpreters: sees.interpreters ? groupTasks.interpreters : [],
      };
      // T-6 / T-7: records due is counted and ordered from its own light statement (below), so the snapshot loads
      // only what the other sections shown need.
      const others = wanted.filter((s) => s !== 'records-due');
      const snapshot = await dashboard.loadSnapshot({
        ...window,
        sections: others,
        // The chair filter is applied in the query: only that chair's conferences are loaded.
        chairId: chair?.id ?? null,
        conferenceIds: unique([
          ...openTasks.map((t) => t.conferenceId),
          ...waitingAmendments.map((a) => a.conferenceId),
          ...openIncidents.map((i) => i.conferenceId),
          ...coreGroupTaskConferences(tasks, { lead: true, interpreters: true }),
        ]),
      });
      const visible = snapshot.conferences.filter((c) => mayView(actor, c, snapshot.childAccess));
      const visibleIds = new Set(visible.map((c) => c.id));
      const rules = { calendar, settings: timescales };
      const classified = classifyDashboard(
        {
          ...snapshot,
          writtenRecordFrom: window.writtenRecordFrom,
          conferences: visible,
          coreGroupTasks: tasks,
          documents: [],
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
        rules,
        new Set(others),
      );
      const filter: DashboardFilter = { chairId: chair?.id ?? null, status: parsed.status, type: parsed.type };
      const filtered = filterDashboard(classified, filter);
      const records = needs('records-due')
        ? await recordsDueRows(repos, actor, {
            ...window,
            conferenceIds: [],
            rules,
            filter,
            chairId: chair?.id ?? null,
          })
        : null;
      if (records) filtered['records-due'] = records.items;

      const counts = Object.fromEntries(
        DASHBOARD_SECTIONS.map((s) => [
          s,
          wanted.includes(s) ? filtered[s].length : visibleSections.includes(s) ? null : 0,
        ]),
      ) as Record<DashboardSection, number | null>;
      const paged = pageOf(
        wanted.map((key) => ({ key, ...DASHBOARD_SECTION_INFO[key], items: filtered[key] as DashboardItem[] })),
        parsed.page,
      );
      const { paging } = paged;
      // Only the records due rows on this page are loaded in full and classified again, with their names.
      const sections = records
        ? await Promise.all(
            paged.sections.map(async (s) =>
              s.key === 'records-due' ? { ...s, items: await records.load(s.items as RecordsDueItem[]) } : s,
            ),
          )
        : paged.sections;

      const byId = new Map(visible.map((c) => [c.id, c]));
      const covertIncidents = openIncidents.flatMap((i) => {
        const conference = byId.get(i.conferenceId);
        if (!conference || (chair !== null && conference.chair?.id !== chair.id)) return [];
        return [{ id: i.id, foundOn: i.foundOn as IsoDate, actionCount: i.actionCount, conference }];
      });
      const chairs = chairChoices(users, [
        ...(chair ? snapshot.chairIds : chairIdsOf(visible)),
        ...(records?.chairIds ?? []),
      ]);
      const shownItems = sections.flatMap((s) => s.items);
      // Only what this page shows is recorded: the filters, how many rows they match, and the ids on the page.
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
            page: paging.page,
          },
          total: paging.total,
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
        paging,
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

/** Default deny: a conference with no children, or with any child this person may not see, is left out. */
function mayView(actor: Actor, c: DashboardConference, access: ReadonlyMap<string, ChildAccessFacts>): boolean {
  return (
    c.children.length > 0 &&
    c.children.every((ch) => {
      const facts = access.get(ch.id);
      return facts !== undefined && canViewChild(actor, facts).allowed;
    })
  );
}

/** The facts records due does not read. */
const NOT_RECORDS: Omit<DashboardFacts, 'conferences' | 'decisionOutcomes' | 'exclusions' | 'documents'> = {
  invitedAgencies: [],
  reports: [],
  latestPlans: [],
  endedPlans: [],
  referrals: [],
  otherConferences: [],
  latestConferenceDate: new Map(),
  arrangementTasks: [],
};

const RECORDS_DUE = new Set<DashboardSection>(['records-due']);

interface RecordsDueRows {
  /** Every row of the section under the filters, in its order: classified from facts without names, never shown. */
  items: RecordsDueItem[];
  /** The chairs of the conferences that could be listed, for the chair filter. */
  chairIds: string[];
  /** The rows given (a page's), loaded in full with their names and classified again. */
  load(rows: readonly RecordsDueItem[]): Promise<RecordsDueItem[]>;
}

/**
 * T-6 / T-7: records due is the largest section on a council's dashboard (every conference still owing a letter or
 * record), so it is classified from one light statement (no names, no reports), which gives its count and order,
 * and only the rows a page shows are then loaded in full. classifyDashboard decides both times.
 */
async function recordsDueRows(
  repos: Repositories,
  actor: Actor,
  window: DashboardWindow & { writtenRecordFrom: IsoDate | null; rules: DashboardRules; filter: DashboardFilter },
): Promise<RecordsDueRows> {
  const { today, heldSince, writtenRecordFrom, rules, filter } = window;
  const unsent = await repos.documentSendings.conferencesWithUnsentCopies();
  const light = await repos.dashboard.recordsDueFacts({ today, heldSince, writtenRecordFrom, conferenceIds: unsent });
  const visible = light.conferences.filter((c) => mayView(actor, c, light.childAccess));
  const visibleIds = new Set(visible.map((c) => c.id));
  // A document issued but not yet delivered belongs to a conference with a copy not yet sent: only those are read.
  const unsentVisible = unsent.filter((id) => visibleIds.has(id));
  const sendingOf = unsentVisible.length ? await sendingProgressFor(repos, unsentVisible) : new Map();
  const ofVisible = <T extends { conferenceId: string }>(rows: readonly T[]) =>
    rows.filter((r) => visibleIds.has(r.conferenceId));
  const classified = classifyDashboard(
    {
      ...NOT_RECORDS,
      writtenRecordFrom,
      conferences: visible,
      decisionOutcomes: ofVisible(light.decisionOutcomes),
      exclusions: ofVisible(light.exclusions),
      documents: ofVisible(light.documents).map((d) => ({ ...d, sending: sendingFor(sendingOf, d) })),
    },
    today,
    rules,
    RECORDS_DUE,
  );
  return {
    items: filterDashboard(classified, filter)['records-due'],
    // As for the other sections: under one chair, every chair in the window; under all, those of the rows seen.
    chairIds: window.chairId ? chairIdsOf(light.conferences) : chairIdsOf(visible),
    async load(rows) {
      const ids = unique(rows.map((r) => r.conference.id));
      if (!ids.length) return [];
      const snapshot = await repos.dashboard.loadSnapshot({
        ...window,
        sections: ['records-due'],
        conferenceIds: ids,
        namedOnly: true,
        chairId: null,
      });
      const shown = snapshot.conferences.filter((c) => mayView(actor, c, snapshot.childAccess));
      const needing = shown.filter((c) => c.status === 'held' || c.status === 'adjourned-inquorate').map((c) => c.id);
      const states = needing.length ? await repos.documents.documentStates(needing) : [];
      const progress = needing.length ? await sendingProgressFor(repos, needing) : new Map();
      const full = classifyDashboard(
        {
          ...snapshot,
          writtenRecordFrom,
          conferences: shown,
          documents: states.map((d) => ({
            conferenceId: d.conferenceId,
            kind: d.kind,
            subjectInviteeId: d.subjectInviteeId,
            status: d.status,
            sending: sendingFor(progress, d),
          })),
          arrangementTasks: [],
        },
        today,
        rules,
        RECORDS_DUE,
      );
      const byKey = new Map(filterDashboard(full, filter)['records-due'].map((i) => [i.key, i]));
      return rows.flatMap((r) => byKey.get(r.key) ?? []);
    },
  };
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
