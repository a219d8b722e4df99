/** Filters on dashboard rows (none of them personal: chair, status, type). */
import type { DeadlineRag } from '../calendar/index.ts';
import type { ConferenceType } from './decisions.ts';
import type { DashboardSection } from './dashboard-sections.ts';
import type { DashboardItem, ItemOf, DashboardSections } from './dashboard-items.ts';

// ---------------------------------------------------------------------------------------------
// Filters (none of them personal: section, chair, status, type)

export interface DashboardFilter {
  /** Only conferences chaired by this person; null for every chair. */
  chairId: string | null;
  status: DeadlineRag | null;
  type: ConferenceType | null;
}

export function itemMatches(item: DashboardItem, f: DashboardFilter): boolean {
  if (f.chairId !== null && item.conference.chair?.id !== f.chairId) return false;
  if (f.status !== null && item.status !== f.status) return false;
  if (f.type !== null && item.filterType !== f.type) return false;
  return true;
}

export function filterDashboard(sections: DashboardSections, f: DashboardFilter): DashboardSections {
  const keep = <S extends DashboardSection>(items: Array<ItemOf<S>>) => items.filter((i) => itemMatches(i, f));
  return {
    upcoming: keep(sections.upcoming),
    overdue: keep(sections.overdue),
    cancelled: keep(sections.cancelled),
    'reviews-due': keep(sections['reviews-due']),
    'missing-reports': keep(sections['missing-reports']),
    'records-due': keep(sections['records-due']),
    'document-tasks': keep(sections['document-tasks']),
    amendments: keep(sections.amendments),
    dissent: keep(sections.dissent),
    'plan-ended': keep(sections['plan-ended']),
    'core-groups': keep(sections['core-groups']),
    'lead-social-worker': keep(sections['lead-social-worker']),
    interpreters: keep(sections.interpreters),
    'family-meetings': keep(sections['family-meetings']),
  };
}
