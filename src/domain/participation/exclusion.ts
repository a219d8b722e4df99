/**
 * 002 §3.2: excluding a parent or carer from a conference, fully or partly, only on the seed's criteria (or another
 * reason the chair records); the reasons told to them orally and in writing (the date and by whom: the written
 * record makes the letter, here it is recorded that they were told), and how they may still send their views.
 * Pure: no I/O.
 */
import { isIsoDate } from '../calendar/iso-date.ts';
import { ProblemList } from '../shared/errors.ts';
import { NAME_MAX } from './parent-reports.ts';

export const FULL_EXCLUSION_CRITERIA = ['violence-or-intimidation', 'disruption'] as const;
export const PARTIAL_EXCLUSION_CRITERIA = ['criminal-proceedings', 'child-request'] as const;
export const EXCLUSION_CRITERIA = [...FULL_EXCLUSION_CRITERIA, ...PARTIAL_EXCLUSION_CRITERIA, 'other'] as const;
export type ExclusionCriterion = (typeof EXCLUSION_CRITERIA)[number];
export const EXCLUSION_CRITERION_LABELS: Record<ExclusionCriterion, string> = {
  'violence-or-intimidation':
    'A strong risk of violence or intimidation by them, at or after the conference, towards a child or anyone else',
  disruption: 'They are presenting, on the day or during the meeting, in a way likely to disrupt it',
  'criminal-proceedings': 'As an alleged perpetrator, their presence may affect the outcome of criminal proceedings',
  'child-request': 'The child has asked that they are not present at the same time as the child',
  other: 'Another reason',
};

/** The criteria the chair chooses from for each extent (002 §3.2's table), and "another reason" for both. */
export function criteriaFor(extent: 'full' | 'partial'): readonly ExclusionCriterion[] {
  return extent === 'full' ? [...FULL_EXCLUSION_CRITERIA, 'other'] : [...PARTIAL_EXCLUSION_CRITERIA, 'other'];
}

export const EXCLUDED_VIEWS_ROUTES = ['written-report', 'chair', 'advocate', 'social-worker', 'other'] as const;
export type ExcludedViewsRoute = (typeof EXCLUDED_VIEWS_ROUTES)[number];
export const EXCLUDED_VIEWS_ROUTE_LABELS: Record<ExcludedViewsRoute, string> = {
  'written-report': 'A written report of their own',
  chair: 'Telling the chair, before or after their exclusion',
  advocate: 'Through an advocate who attends',
  'social-worker': 'Through the social worker',
  other: 'Another way',
};

export interface Telling {
  on: string;
  by: string;
}

export interface ExclusionDetails {
  criteria: ExclusionCriterion[];
  /** The reason in the chair's words: required for "another reason". */
  otherReason: string | null;
  toldOrally: Telling;
  /** Null until they are given the reasons in writing (the letter follows from the written record). */
  toldInWriting: Telling | null;
  viewsRoutes: ExcludedViewsRoute[];
  /** How their views were or will be heard, in the chair's words: required for "another way". */
  viewsNote: string | null;
}

export interface ExclusionDetailsInput {
  extent: unknown;
  criteria: readonly unknown[];
  otherReason?: string | null | undefined;
  toldOrallyOn: string | null | undefined;
  toldOrallyBy: string | null | undefined;
  toldInWritingOn?: string | null | undefined;
  toldInWritingBy?: string | null | undefined;
  viewsRoutes: readonly unknown[];
  viewsNote?: string | null | undefined;
}

const REASON_MAX = 20_000;

function telling(
  p: ProblemList,
  how: 'Orally' | 'InWriting',
  on: string | null | undefined,
  by: string | null | undefined,
  today: string,
  required: boolean,
): Telling | null {
  const d = (on ?? '').trim();
  const who = (by ?? '').trim();
  const what = how === 'Orally' ? 'told the reasons' : 'given the reasons in writing';
  if (!required && !d && !who) return null;
  if (!isIsoDate(d)) p.add(`told${how}On`, `Enter the date they were ${what}`);
  else if (d > today) p.add(`told${how}On`, `The date they were ${what} must be today or in the past`);
  if (!who) p.add(`told${how}By`, `Enter who ${how === 'Orally' ? 'told them' : 'gave them the reasons in writing'}`);
  else if (who.length > NAME_MAX) p.add(`told${how}By`, `The name must be ${NAME_MAX} characters or fewer`);
  return { on: d, by: who };
}

/**
 * 002 §3.2: checks the chair's exclusion: at least one criterion of the extent chosen (the reason in their words for
 * "another reason"), the day and who told them the reasons orally (required), the same for the reasons in writing
 * once given, and at least one way their views reach the conference.
 */
export function checkExclusionDetails(input: ExclusionDetailsInput, today: string): ExclusionDetails {
  const p = new ProblemList();
  const extent = input.extent === 'full' || input.extent === 'partial' ? input.extent : null;
  if (!extent) p.add('extent', 'Select whether they were partly or fully excluded');
  const chosen = [...new Set(input.criteria)];
  const allowed: readonly unknown[] = extent ? criteriaFor(extent) : EXCLUSION_CRITERIA;
  if (chosen.length === 0) p.add('criteria', 'Select the reason for the exclusion');
  else if (chosen.some((c) => !allowed.includes(c)))
    p.add(
      'criteria',
      extent === 'full'
        ? 'For a full exclusion select a reason for a full exclusion, or another reason'
        : 'For a partial exclusion select a reason for a partial exclusion, or another reason',
    );
  const criteria = chosen.filter((c): c is ExclusionCriterion => allowed.includes(c));
  const otherReason = (input.otherReason ?? '').trim();
  if (chosen.includes('other') && !otherReason) p.add('otherReason', 'Enter the reason, as given to them');
  if (otherReason.length > REASON_MAX) p.add('otherReason', 'The reason must be 20,000 characters or fewer');
  const toldOrally = telling(p, 'Orally', input.toldOrallyOn, input.toldOrallyBy, today, true)!;
  const toldInWriting = telling(p, 'InWriting', input.toldInWritingOn, input.toldInWritingBy, today, false);
  const routes = [...new Set(input.viewsRoutes)];
  if (routes.length === 0) p.add('viewsRoutes', 'Select how they may send their views to the conference');
  else if (routes.some((r) => !(EXCLUDED_VIEWS_ROUTES as readonly unknown[]).includes(r)))
    p.add('viewsRoutes', 'Select how they may send their views to the conference');
  const viewsRoutes = routes.filter((r): r is ExcludedViewsRoute =>
    (EXCLUDED_VIEWS_ROUTES as readonly unknown[]).includes(r),
  );
  const viewsNote = (input.viewsNote ?? '').trim();
  if (routes.includes('other') && !viewsNote) p.add('viewsNote', 'Enter how their views will be heard');
  if (viewsNote.length > REASON_MAX) p.add('viewsNote', 'How their views are heard must be 20,000 characters or fewer');
  p.throwIfAny();
  return {
    criteria,
    otherReason: otherReason || null,
    toldOrally,
    toldInWriting,
    viewsRoutes,
    viewsNote: viewsNote || null,
  };
}

/** The reason as the record shows it: each criterion in plain words, then the chair's own words. */
export function exclusionReasonText(d: Pick<ExclusionDetails, 'criteria' | 'otherReason'>): string {
  const parts = d.criteria.filter((c) => c !== 'other').map((c) => EXCLUSION_CRITERION_LABELS[c]);
  if (d.otherReason) parts.push(d.otherReason);
  return parts.join('. ');
}

/** How their views are heard, as the record shows it. */
export function excludedViewsText(d: Pick<ExclusionDetails, 'viewsRoutes' | 'viewsNote'>): string {
  const parts = d.viewsRoutes.filter((r) => r !== 'other').map((r) => EXCLUDED_VIEWS_ROUTE_LABELS[r]);
  if (d.viewsNote) parts.push(d.viewsNote);
  return parts.join('. ');
}
