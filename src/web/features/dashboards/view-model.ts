/**
 * The dashboard as tables for the page: every cell is a list of plain parts (text, a link, a tag),
 * so the template escapes everything and no HTML is built here. Links carry ids only, never names.
 */
import type { DashboardSectionView, DashboardView } from '../../../app/conferences/dashboard-service.ts';
import type { DeadlineRag } from '../../../domain/calendar/index.ts';
import {
  DASHBOARD_SECTION_INFO,
  DASHBOARD_SECTIONS,
  type DashboardSection,
  RAG_STATUSES,
} from '../../../domain/conferences/dashboard.ts';
import { CONFERENCE_TYPE_LABELS, CONFERENCE_TYPES } from '../../../domain/conferences/decisions.ts';
import { type Cell, cellsFor } from './cells.ts';

const STATUS_FILTER_LABELS: Readonly<Record<DeadlineRag, string>> = {
  overdue: 'Overdue (red)',
  'due-soon': 'Due within 5 working days (amber)',
  'on-track': 'On track (green)',
};

export interface SectionTable {
  key: DashboardSection;
  title: string;
  description: string;
  head: string[];
  rows: Array<{ key: string; conferenceId: string; cells: Cell[] }>;
  /** Rows in the section under the filters, on every page. */
  total: number;
}

function rowsFor(section: DashboardSectionView): SectionTable['rows'] {
  return section.items.map((item) => ({ key: item.key, conferenceId: item.conference.id, cells: cellsFor(item) }));
}

const HEADS: Readonly<Record<DashboardSection, string[]>> = {
  upcoming: ['Date', 'Conference', 'Children', 'Chair', 'Status', 'Timescale'],
  overdue: ['Conference', 'Children', 'Chair', 'Problem', 'Late agreement', 'Timescale'],
  cancelled: ['Cancelled conference', 'Children', 'Chair', 'New conference needed'],
  'reviews-due': ['Children', 'Plan made at', 'Review date set in the plan', 'Chair', 'Timescale'],
  'missing-reports': ['Conference', 'Children', 'Chair', 'Reports', 'Timescale'],
  'records-due': ['Conference', 'Children', 'Chair', 'Documents'],
  'document-tasks': ['Recipient', 'Document', 'Arrangement', 'Conference', 'Action'],
  amendments: ['Conference', 'Document', 'Due to the chair', 'Action'],
  dissent: ['Conference', 'Child', 'Referral', 'Timescale'],
  'plan-ended': ['Children', 'Plan ended at', 'Chair', 'Timescale'],
  'core-groups': ['Child', 'Plan made at', 'Next core group', 'Action'],
  'lead-social-worker': ['Child', 'Plan made at', 'Deadline', 'Action'],
  interpreters: ['Conference', 'Children', 'Chair', 'Languages needed', 'Action'],
  'family-meetings': ['Date', 'Conference', 'Children', 'Chair', 'Action'],
};

export function sectionTables(view: DashboardView): SectionTable[] {
  return view.sections.map((s) => ({
    key: s.key,
    title: s.title,
    description: s.description,
    head: HEADS[s.key],
    rows: rowsFor(s),
    total: s.total,
  }));
}

/** GOV.UK pagination for the rows of the sections shown: plain links, so it works without JavaScript. */
export function paginationModel(
  view: DashboardView,
  hrefOf: (page: number) => string,
): {
  previous?: { href: string };
  next?: { href: string };
  items: Array<{ number?: number; href?: string; current?: boolean; ellipsis?: boolean }>;
} | null {
  const { page, pageCount } = view.paging;
  if (pageCount <= 1) return null;
  // The first and last pages, and those either side of this one; a gap between them shows as an ellipsis.
  const numbers = [...new Set([1, page - 1, page, page + 1, pageCount])]
    .filter((n) => n >= 1 && n <= pageCount)
    .sort((a, b) => a - b);
  const items: Array<{ number?: number; href?: string; current?: boolean; ellipsis?: boolean }> = [];
  numbers.forEach((n, i) => {
    if (i > 0 && n - numbers[i - 1]! > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: hrefOf(n), current: n === page });
  });
  return {
    ...(page > 1 ? { previous: { href: hrefOf(page - 1) } } : {}),
    ...(page < pageCount ? { next: { href: hrefOf(page + 1) } } : {}),
    items,
  };
}

/** The query string for a set of non-personal filters (blank ones left out). */
export function filterQuery(f: {
  section?: string | null;
  chair?: string | null;
  status?: string | null;
  type?: string | null;
  page?: number | null;
}): string {
  const params = new URLSearchParams();
  for (const k of ['section', 'chair', 'status', 'type'] as const) {
    const v = f[k];
    if (v) params.set(k, v);
  }
  if (f.page && f.page > 1) params.set('page', String(f.page));
  const q = params.toString();
  return q ? `/dashboard?${q}` : '/dashboard';
}

export interface FilterValues {
  section: string;
  chair: string;
  status: string;
  type: string;
  page?: string;
}

/** The GET filter form's selects. */
export function filterItems(
  values: FilterValues,
  chairs: ReadonlyArray<{ id: string; name: string }>,
  actorId: string,
  sections: readonly DashboardSection[] = DASHBOARD_SECTIONS,
) {
  const opt = (value: string, label: string, current: string) => ({ value, text: label, selected: value === current });
  return {
    section: [
      opt('', 'All sections', values.section),
      ...sections.map((s) => opt(s, DASHBOARD_SECTION_INFO[s].title, values.section)),
    ],
    chair: [
      opt('all', 'All chairs', values.chair),
      ...chairs.map((c) => opt(c.id, c.id === actorId ? `${c.name} (you)` : c.name, values.chair)),
    ],
    status: [
      opt('', 'Any status', values.status),
      ...RAG_STATUSES.map((s) => opt(s, STATUS_FILTER_LABELS[s], values.status)),
    ],
    type: [
      opt('', 'Any type', values.type),
      ...CONFERENCE_TYPES.map((t) => opt(t, CONFERENCE_TYPE_LABELS[t], values.type)),
    ],
  };
}
