/**
 * "Watching timescales" dashboards: business support see every conference they may see, a chair the
 * conferences they chair (and the whole list on request). Filters are a GET form, so they work without
 * JavaScript and can be bookmarked; they are never personal (section, chair id, status, type).
 */
import type { FastifyInstance } from 'fastify';
import { ALL_CHAIRS, type DashboardView } from '../../../app/conferences/dashboard-service.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import type { Actor } from '../../../domain/access/roles.ts';
import { formatLongDate, weekdayName } from '../../../domain/calendar/index.ts';
import { DASHBOARD_SECTION_INFO, dashboardSectionsFor } from '../../../domain/conferences/dashboard.ts';
import { CONFERENCE_TYPE_LABELS } from '../../../domain/conferences/decisions.ts';
import type { Services } from '../../../composition.ts';
import { InvalidDetailsError } from '../../../domain/shared/errors.ts';
import { pageProblems, requestContext, str } from '../../forms/index.ts';
import { type FilterValues, filterItems, filterQuery, paginationModel, sectionTables } from './view-model.ts';

const KEYS = ['section', 'chair', 'status', 'type', 'page'] as const;
/** Where the error for a bad page number points: a paragraph shown with it (the form has no page field). */
const PAGE_PROBLEM_ID = 'page-problem';

/** The filter values from the query string; a repeated parameter counts once (its first value). */
function queryValues(query: unknown): FilterValues {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const pick = (k: string) => str(q[k]).trim();
  return {
    section: pick('section'),
    chair: pick('chair'),
    status: pick('status'),
    type: pick('type'),
    page: pick('page'),
  };
}

function heading(view: DashboardView): string {
  if (view.scope.mine) return 'Conferences you chair';
  if (view.scope.chair) return `Conferences chaired by ${view.scope.chair.name}`;
  return 'All conferences';
}

function pageModel(view: DashboardView, actor: Actor) {
  const current = { section: view.filter.section, status: view.filter.status, type: view.filter.type };
  const chairValue = view.filter.chair;
  // Links keep the other filters; for a chair, their own view is the default (no chair parameter).
  const chairParam =
    view.isChair && chairValue === actor.id ? null : chairValue === ALL_CHAIRS && !view.isChair ? null : chairValue;
  const chairs =
    view.scope.chair && !view.chairs.some((c) => c.id === view.scope.chair!.id)
      ? [view.scope.chair, ...view.chairs]
      : view.chairs;
  const values: FilterValues = {
    section: view.filter.section ?? '',
    chair: chairValue,
    status: view.filter.status ?? '',
    type: view.filter.type ?? '',
  };
  const h = heading(view);
  return {
    title: `Dashboard: ${h}`,
    heading: h,
    today: `${weekdayName(view.today)} ${formatLongDate(view.today)}`,
    horizon: formatLongDate(view.horizon),
    // A chair switches between their own conferences and the whole list: only the other view is linked,
    // so the heading is not repeated as a link.
    scopeLinks: view.isChair
      ? view.scope.mine
        ? [{ text: 'Show all conferences', href: filterQuery({ ...current, chair: ALL_CHAIRS }) }]
        : [{ text: 'Show only the conferences you chair', href: filterQuery({ ...current }) }]
      : [],
    summary: view.visibleSections.map((s) => ({
      key: s,
      title: DASHBOARD_SECTION_INFO[s].title,
      // With one section shown, only its rows are counted.
      countText: view.counts[s] === null ? null : String(view.counts[s]),
      // With every section on the page, jump to it; with one section shown, switch to another.
      href: view.filter.section === null ? `#${s}` : filterQuery({ ...current, chair: chairParam, section: s }),
    })),
    oneSection: view.filter.section !== null,
    allSectionsHref: filterQuery({ ...current, chair: chairParam, section: null }),
    tables: sectionTables(view).map((t) => ({
      ...t,
      // A section whose rows fall on other pages links to itself alone.
      sectionHref: filterQuery({ ...current, chair: chairParam, section: t.key }),
    })),
    // At most 50 rows a page over every section shown; each page is a plain link keeping the filters.
    paging: view.paging,
    pagination: paginationModel(view, (page) => filterQuery({ ...current, chair: chairParam, page })),
    filters: filterItems(values, chairs, actor.id, view.visibleSections),
    filtered:
      view.filter.section !== null || view.filter.status !== null || view.filter.type !== null || chairParam !== null,
    // T-11: requests to record a meeting waiting for this person's decision.
    recordingRequests: view.recordingRequests,
    // P-9: open covert recording incidents, until the chair closes them.
    covertIncidents: view.covertIncidents.map((i) => ({
      href: `/conferences/${i.conference.id}/recording-incidents/covert/${i.id}`,
      conferenceText: `${CONFERENCE_TYPE_LABELS[i.conference.type]} on ${formatLongDate(i.conference.scheduledDate)}`,
      foundText: formatLongDate(i.foundOn),
      actionCount: i.actionCount,
    })),
  };
}

export interface DashboardRoutesOptions {
  dashboards: Services['dashboards'];
  /** the count for the link to the recordings needing attention (null: not shown to this person). */
  recordingsAttention: Pick<Services['recordingsAttention'], 'count'>;
}

export async function dashboardRoutes(
  app: FastifyInstance,
  { dashboards, recordingsAttention }: DashboardRoutesOptions,
): Promise<void> {
  app.get('/dashboard', { config: { access: CHILD_RECORD_ROLES } }, async (request, reply) => {
    const actor = request.actor!;
    const values = queryValues(request.query);
    const asked = Object.fromEntries(KEYS.map((k) => [k, values[k] || null]));
    try {
      const view = await dashboards.view(actor, asked, requestContext(request));
      const attention = await recordingsAttention.count(actor);
      return reply.view('dashboards/dashboard.njk', { ...pageModel(view, actor), recordingsAttention: attention });
    } catch (err) {
      if (!(err instanceof InvalidDetailsError)) throw err;
      // A filter that is not one of the choices (an edited or stale link): show the form with the problem.
      const problems = pageProblems(err);
      // The page number is in the address, not a field on the form: its error links to the paragraph saying how
      // to go on, which is on the page (the pagination is not, with no rows shown).
      const errors = problems.errors.map((e) => (e.href === '#page' ? { ...e, href: `#${PAGE_PROBLEM_ID}` } : e));
      reply.code(problems.status);
      return reply.view('dashboards/dashboard.njk', {
        title: 'Dashboard',
        heading: 'Dashboard',
        errors,
        filters: filterItems(
          { ...values, chair: values.chair || ALL_CHAIRS },
          await dashboards.chairs(),
          actor.id,
          dashboardSectionsFor(actor.roles),
        ),
        tables: [],
        summary: [],
        scopeLinks: [],
        filtered: true,
        pageProblemId: errors.some((e) => e.href === `#${PAGE_PROBLEM_ID}`) ? PAGE_PROBLEM_ID : null,
      });
    }
  });
}
