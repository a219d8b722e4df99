/**
 * What a person asks the dashboard for, checked: a section, a chair, a red / amber / green status, a type and a
 * page. Only non-personal filters exist. Also the chair filter's choices and the pages of a dashboard view.
 */
import type { DeadlineRag } from '../../domain/calendar/index.ts';
import {
  type DashboardConference,
  type DashboardSection,
  isConferenceType,
  isDashboardSection,
  isRagStatus,
  type StaffName,
} from '../../domain/conferences/dashboard.ts';
import type { ConferenceType } from '../../domain/conferences/decisions.ts';
import { type FieldProblem, InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { UserRecord } from '../accounts/ports.ts';
import { isUuid } from './service-deps.ts';

/** `chair` value for every chair's conferences. */
export const ALL_CHAIRS = 'all';

/** The most rows a dashboard page lists, over every section it shows. */
export const DASHBOARD_PAGE_SIZE = 50;

/**
 * What a person asks the dashboard for, as it arrives from a query string. Only non-personal
 * filters exist: a section, a chair's account id (or "all"), a red / amber / green status, a type, a page.
 */
export interface DashboardRequest {
  section?: string | null | undefined;
  /** A chair's user id, or "all". Left out: a chair sees the conferences they chair, anyone else every chair's. */
  chair?: string | null | undefined;
  status?: string | null | undefined;
  type?: string | null | undefined;
  /** 1 when left out; a page after the last shows the last. */
  page?: string | number | null | undefined;
}

export interface ParsedDashboardRequest {
  section: DashboardSection | null;
  chair: string | null;
  status: DeadlineRag | null;
  type: ConferenceType | null;
  page: number;
}

/** Checks each filter; blank means "any". Every problem is reported at once. */
export function parseDashboardRequest(
  r: DashboardRequest,
  visible: readonly DashboardSection[],
): ParsedDashboardRequest {
  const problems: FieldProblem[] = [];
  const blank = (v: string | null | undefined) => v === undefined || v === null || v.trim() === '';
  const section = blank(r.section) ? null : r.section!.trim();
  const chair = blank(r.chair) ? null : r.chair!.trim();
  const status = blank(r.status) ? null : r.status!.trim();
  const type = blank(r.type) ? null : r.type!.trim();
  const pageText = r.page === undefined || r.page === null ? '' : String(r.page).trim();
  if (section !== null && (!isDashboardSection(section) || !visible.includes(section)))
    problems.push({ field: 'section', message: 'Select a section from the list' });
  if (chair !== null && chair !== ALL_CHAIRS && !isUuid(chair))
    problems.push({ field: 'chair', message: 'Select a chair from the list' });
  if (status !== null && !isRagStatus(status))
    problems.push({ field: 'status', message: 'Select overdue, due soon or on track' });
  if (type !== null && !isConferenceType(type))
    problems.push({ field: 'type', message: 'Select a type of conference from the list' });
  if (pageText !== '' && !/^[1-9][0-9]{0,5}$/.test(pageText))
    problems.push({ field: 'page', message: 'Page must be a whole number, 1 or more' });
  if (problems.length) throw new InvalidDetailsError(problems);
  return {
    section: section as DashboardSection | null,
    chair,
    status: status as DeadlineRag | null,
    type: type as ConferenceType | null,
    page: pageText === '' ? 1 : Number(pageText),
  };
}

/** Active chairs, and any account chairing a listed conference (a disabled one says so), by name. */
export function chairChoices(users: readonly UserRecord[], chairIds: Iterable<string>): StaffName[] {
  const ids = new Set(chairIds);
  return users
    .filter((u) => (u.roles.includes('chair') && !u.disabledAt) || ids.has(u.id))
    .map((u) => ({ id: u.id, name: u.disabledAt ? `${u.name} (account disabled)` : u.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const chairIdsOf = (conferences: readonly DashboardConference[]): string[] =>
  conferences.flatMap((c) => (c.chair ? [c.chair.id] : []));

/** Where a page sits in the rows of the sections shown. */
export interface DashboardPaging {
  page: number;
  pageCount: number;
  pageSize: number;
  /** Rows in every section shown, under the filters. */
  total: number;
  /** 1-based numbers of the first and last rows on this page (0 and 0 when there are none). */
  firstRow: number;
  lastRow: number;
}

/**
 * Cuts the rows of the sections shown, in order, into pages of DASHBOARD_PAGE_SIZE: each section keeps its
 * total and the rows of it on this page. A page after the last shows the last.
 */
export function pageOf<T extends { items: readonly unknown[] }>(
  sections: readonly T[],
  asked: number,
): { paging: DashboardPaging; sections: Array<T & { total: number; offset: number }> } {
  const total = sections.reduce((n, s) => n + s.items.length, 0);
  const pageCount = Math.max(1, Math.ceil(total / DASHBOARD_PAGE_SIZE));
  const page = Math.min(asked, pageCount);
  const start = (page - 1) * DASHBOARD_PAGE_SIZE;
  const end = start + DASHBOARD_PAGE_SIZE;
  let before = 0;
  const out = sections.map((s) => {
    const from = Math.min(Math.max(start - before, 0), s.items.length);
    const to = Math.min(Math.max(end - before, 0), s.items.length);
    before += s.items.length;
    return { ...s, items: s.items.slice(from, to), total: s.items.length, offset: from };
  });
  return {
    paging: {
      page,
      pageCount,
      pageSize: DASHBOARD_PAGE_SIZE,
      total,
      firstRow: total === 0 ? 0 : start + 1,
      lastRow: Math.min(end, total),
    },
    sections: out,
  };
}
