/**
 * Who may act as a conference's chair (002 §4.1: the chair is the conference's independent chair, named when it is
 * convened). Decisions, categories, the plan, dissent (D-1), proceeding inquorate, exclusions, the chair's
 * summary and approving the written record and amendments (W-5) are the assigned chair's, or a cover chair's:
 * another member of staff with the chair role, recorded with a reason by the assigned chair, a team manager or
 * business support, while the assigned chair cannot act. Holding the chair role alone is not enough. Pure: no I/O.
 */
import { type Actor, hasAnyRole } from '../access/roles.ts';
import { AccessDeniedError, ProblemList } from '../shared/errors.ts';

export interface ChairAssignment {
  chairUserId: string | null;
  chairName?: string | null | undefined;
  /** The cover chair recorded now, if any. */
  coverChairUserId?: string | null | undefined;
}

/** How the actor chairs this conference: as its assigned chair, as the recorded cover chair, or not at all. */
export function chairAuthority(actor: Actor, c: ChairAssignment): 'assigned' | 'cover' | null {
  if (c.chairUserId !== null && c.chairUserId === actor.id) return 'assigned';
  if (!hasAnyRole(actor, ['chair'])) return null;
  if (c.coverChairUserId && c.coverChairUserId === actor.id) return 'cover';
  // A conference with no chair assigned yet (none is convened without one today) is chaired by any chair.
  if (c.chairUserId === null) return 'assigned';
  return null;
}

export function actsAsChair(actor: Actor, c: ChairAssignment): boolean {
  return chairAuthority(actor, c) !== null;
}

/** The assigned chair, a team manager or business support records (or ends) cover for the chair. */
export function mayRecordCover(actor: Actor, c: ChairAssignment): boolean {
  return (
    (c.chairUserId !== null && c.chairUserId === actor.id) || hasAnyRole(actor, ['team_manager', 'business_support'])
  );
}

export const MAX_COVER_REASON = 1000;

/** Checks a cover chair and the reason for cover; throws InvalidDetailsError naming each problem. */
export function validateCover(
  input: { coverChairUserId?: string | null | undefined; reason?: string | null | undefined },
  candidate: { id: string; roles: readonly string[]; disabled: boolean } | null,
  c: ChairAssignment,
): { coverChairUserId: string; reason: string } {
  const p = new ProblemList();
  if (!candidate || candidate.disabled || !candidate.roles.includes('chair'))
    p.add('coverChairUserId', 'Select the cover chair from the list');
  else if (candidate.id === c.chairUserId)
    p.add('coverChairUserId', 'They are the conference’s chair: choose who is covering for them');
  else if (candidate.id === c.coverChairUserId) p.add('coverChairUserId', 'They are already recorded as cover chair');
  const reason = (input.reason ?? '').trim();
  if (!reason) p.add('reason', 'Enter why the chair needs cover');
  else if (reason.length > MAX_COVER_REASON)
    p.add('reason', `The reason must be ${MAX_COVER_REASON} characters or fewer`);
  p.throwIfAny();
  return { coverChairUserId: candidate!.id, reason };
}

/**
 * A chair-only action refused: someone other than the assigned or cover chair. The page says who the chair is and
 * how to record cover; the API answers 403 with the same message.
 */
export class NotTheChairError extends AccessDeniedError {
  readonly conferenceId: string;
  readonly chairName: string | null;
  constructor(conferenceId: string, chairName: string | null) {
    super(
      chairName
        ? `Only the conference chair (${chairName}) or a cover chair recorded for them can do this`
        : 'Only the conference chair or a cover chair recorded for them can do this',
    );
    this.name = 'NotTheChairError';
    this.conferenceId = conferenceId;
    this.chairName = chairName;
  }
}
