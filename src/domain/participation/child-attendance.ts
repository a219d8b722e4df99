/**
 * 002 §3.2: whether a child attends their conference, decided per child before it. The seed's four questions (does
 * the child understand the process; have they expressed a wish to be involved, explicitly or implicitly; what the
 * parents think; would it benefit them), what the chair and the social worker advise, the child's own wish and the
 * arrangements for attending part of it. A child of 12 or over is presumed able to attend unless a reason is
 * recorded; a child who does not wish to attend is never made to; a child who wishes to attend does unless it is
 * shown to be against their best interests. A child who does not attend has their views conveyed another way.
 * Pure: no I/O.
 */
import { CHILD_ATTENDANCE_AGE } from '../conferences/attendance.ts';
import { DomainError, ProblemList } from '../shared/errors.ts';

export const NOTE_MAX = 2_000;

function oneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (list as readonly string[]).includes(v);
}

/** How far the child understands the process. */
export const UNDERSTANDING = ['yes', 'partly', 'no'] as const;
export type Understanding = (typeof UNDERSTANDING)[number];
export const UNDERSTANDING_LABELS: Record<Understanding, string> = {
  yes: 'Yes',
  partly: 'Partly',
  no: 'No',
};

/** Whether the child has expressed a wish to be involved, and how. */
export const WISH_EXPRESSED = ['explicit', 'implicit', 'none'] as const;
export type WishExpressed = (typeof WISH_EXPRESSED)[number];
export const WISH_EXPRESSED_LABELS: Record<WishExpressed, string> = {
  explicit: 'Yes, they have said so',
  implicit: 'Yes, it is clear from what they say or do',
  none: 'No',
};

export const BENEFIT = ['yes', 'no', 'unsure'] as const;
export type Benefit = (typeof BENEFIT)[number];
export const BENEFIT_LABELS: Record<Benefit, string> = { yes: 'Yes', no: 'No', unsure: 'Not sure' };

/** Attending all of it, part of it, or not at all: what the child wishes, what is advised and what is decided. */
export const ATTENDANCE_CHOICES = ['attend', 'part', 'not-attend'] as const;
export type AttendanceChoice = (typeof ATTENDANCE_CHOICES)[number];
export const ATTENDANCE_CHOICE_LABELS: Record<AttendanceChoice, string> = {
  attend: 'Attend the whole conference',
  part: 'Attend part of the conference',
  'not-attend': 'Not attend',
};

/** The child's own wish; "not known" when they could not be asked (too young, say). */
export const CHILD_WISHES = [...ATTENDANCE_CHOICES, 'not-known'] as const;
export type ChildWish = (typeof CHILD_WISHES)[number];
export const CHILD_WISH_LABELS: Record<ChildWish, string> = {
  attend: 'To attend the whole conference',
  part: 'To attend part of the conference',
  'not-attend': 'Not to attend',
  'not-known': 'Not known: they could not be asked',
};

/** 002 §3.2: how the views of a child who does not attend reach the conference. */
export const VIEWS_ROUTES = ['chair-pre-meeting', 'written', 'advocate', 'social-worker'] as const;
export type ViewsRoute = (typeof VIEWS_ROUTES)[number];
export const VIEWS_ROUTE_LABELS: Record<ViewsRoute, string> = {
  'chair-pre-meeting': 'A meeting with the chair before the conference',
  written: 'A written statement, email, text messages or recorded comments',
  advocate: 'An advocate attending on their behalf',
  'social-worker': 'Their social worker tells the conference their wishes and feelings',
};

export interface ChildAttendanceInput {
  understands: unknown;
  wishExpressed: unknown;
  parentsViews: string | null | undefined;
  benefit: unknown;
  chairAdvice: unknown;
  socialWorkerAdvice: unknown;
  childWish: unknown;
  decision: unknown;
  /** Which part and how (arriving later, leaving before a discussion, a supporter with them …). */
  partArrangements: string | null | undefined;
  /** Why a child presumed able to attend, or who wishes to, does not (or only for part). */
  reason: string | null | undefined;
  viewsRoutes: readonly unknown[];
  viewsNote: string | null | undefined;
}

export interface ChildAttendance {
  understands: Understanding;
  wishExpressed: WishExpressed;
  parentsViews: string;
  benefit: Benefit;
  chairAdvice: AttendanceChoice;
  socialWorkerAdvice: AttendanceChoice;
  childWish: ChildWish;
  decision: AttendanceChoice;
  partArrangements: string | null;
  reason: string | null;
  viewsRoutes: ViewsRoute[];
  viewsNote: string | null;
}

/** 002 §3.2: a child of 12 or over on the conference date is presumed able to attend. */
export function presumedEligible(age: number | null): boolean {
  return age !== null && age >= CHILD_ATTENDANCE_AGE;
}

const RANK: Record<AttendanceChoice, number> = { 'not-attend': 0, part: 1, attend: 2 };

/**
 * Whether the decision needs a recorded reason: a child presumed able to attend who is not to attend (when it is not
 * their own wish), or a child who wishes to attend more than is decided (it must be shown to be against their best
 * interests).
 */
export function reasonRequired(age: number | null, childWish: ChildWish, decision: AttendanceChoice): boolean {
  if (childWish === 'attend' || childWish === 'part') return RANK[decision] < RANK[childWish];
  return decision === 'not-attend' && childWish !== 'not-attend' && presumedEligible(age);
}

function note(p: ProblemList, field: string, v: string | null | undefined, what: string): string | null {
  const t = (v ?? '').trim();
  if (t.length > NOTE_MAX) p.add(field, `${what} must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`);
  return t || null;
}

/**
 * 002 §3.2: checks a decision about one child's attendance. A child's refusal is respected: a decision that they
 * attend (all or part) when they said they do not wish to is refused outright.
 */
export function checkChildAttendance(input: ChildAttendanceInput, age: number | null): ChildAttendance {
  const p = new ProblemList();
  if (!oneOf(UNDERSTANDING, input.understands))
    p.add('understands', 'Select whether the child understands what a conference is and how it works');
  if (!oneOf(WISH_EXPRESSED, input.wishExpressed))
    p.add('wishExpressed', 'Select whether the child has expressed a wish to be involved');
  const parentsViews = note(p, 'parentsViews', input.parentsViews, 'The parents’ views');
  if (!parentsViews) p.add('parentsViews', 'Enter the parents’ views about the child attending');
  if (!oneOf(BENEFIT, input.benefit)) p.add('benefit', 'Select whether taking part would benefit the child');
  if (!oneOf(ATTENDANCE_CHOICES, input.chairAdvice)) p.add('chairAdvice', 'Select what the chair advises');
  if (!oneOf(ATTENDANCE_CHOICES, input.socialWorkerAdvice))
    p.add('socialWorkerAdvice', 'Select what the social worker advises');
  if (!oneOf(CHILD_WISHES, input.childWish)) p.add('childWish', 'Select what the child wishes');
  if (!oneOf(ATTENDANCE_CHOICES, input.decision)) p.add('decision', 'Select whether the child will attend');
  const partArrangements = note(p, 'partArrangements', input.partArrangements, 'The arrangements');
  const reason = note(p, 'reason', input.reason, 'The reason');
  const viewsNote = note(p, 'viewsNote', input.viewsNote, 'How their views are conveyed');
  const routes = [...new Set(input.viewsRoutes)];
  if (routes.some((r) => !oneOf(VIEWS_ROUTES, r))) p.add('viewsRoutes', 'Select how the child’s views are conveyed');
  const viewsRoutes = routes.filter((r): r is ViewsRoute => oneOf(VIEWS_ROUTES, r));
  if (oneOf(CHILD_WISHES, input.childWish) && oneOf(ATTENDANCE_CHOICES, input.decision)) {
    const wish = input.childWish;
    const decision = input.decision;
    if (wish === 'not-attend' && decision !== 'not-attend')
      throw new DomainError(
        'CHILD_REFUSED',
        'The child does not wish to attend: this must be respected. Record how their views will be conveyed instead',
        'decision',
      );
    if (decision === 'part' && !partArrangements)
      p.add('partArrangements', 'Enter which part the child will attend and how it is arranged');
    if (reasonRequired(age, wish, decision) && !reason)
      p.add(
        'reason',
        wish === 'attend' || wish === 'part'
          ? 'Enter why attending as the child wishes is against their best interests'
          : `Enter the reason a child aged ${CHILD_ATTENDANCE_AGE} or over is not to attend`,
      );
    if (decision === 'not-attend' && viewsRoutes.length === 0)
      p.add('viewsRoutes', 'Select how the child’s views will be conveyed to the conference');
  }
  p.throwIfAny();
  return {
    understands: input.understands as Understanding,
    wishExpressed: input.wishExpressed as WishExpressed,
    parentsViews: parentsViews!,
    benefit: input.benefit as Benefit,
    chairAdvice: input.chairAdvice as AttendanceChoice,
    socialWorkerAdvice: input.socialWorkerAdvice as AttendanceChoice,
    childWish: input.childWish as ChildWish,
    decision: input.decision as AttendanceChoice,
    partArrangements: input.decision === 'part' ? partArrangements : null,
    reason,
    viewsRoutes,
    viewsNote,
  };
}
