/**
 * 002 §4.1: a chair independent of operational or line management responsibility for the case. Convening and
 * changing the chair call these: the concerns about a chosen chair (the child's allocated social worker, or that
 * social worker's line manager), the reason required to go ahead with them, and its record and audit entry.
 */
import {
  type IndependenceConcern,
  independenceConcerns,
  independenceReason,
} from '../../../domain/conferences/chairing.ts';
import type { ProblemList } from '../../../domain/shared/errors.ts';
import type { RequestContext } from '../../audit/audit-log.ts';
import type { Repositories } from '../../unit-of-work.ts';
import { auditConference } from '../conference-access.ts';
import type { ChairOccasion } from './ports.ts';

export interface ChairIndependence {
  concerns: IndependenceConcern[];
  reason: string | null;
}

/** The concerns about `chair` for these children, and the reason (a problem on `field` when one is needed). */
export async function checkChairIndependence(
  repos: Repositories,
  problems: Pick<ProblemList, 'add'>,
  chair: { id: string; name: string } | null,
  childIds: readonly string[],
  reason: string | null | undefined,
  field = 'chairIndependenceReason',
): Promise<ChairIndependence> {
  if (!chair) return { concerns: [], reason: null };
  const concerns = independenceConcerns(chair.id, await repos.chairing.caseResponsibilities(childIds));
  return { concerns, reason: independenceReason(problems, field, chair.name, concerns, reason) };
}

/** Records the reason a chair who is not independent chairs, and audits it (ids and the kinds of concern only). */
export async function recordChairIndependence(
  repos: Repositories,
  ctx: RequestContext,
  by: { userId: string; at: Date },
  conferenceId: string,
  chairUserId: string,
  occasion: ChairOccasion,
  independence: ChairIndependence,
): Promise<void> {
  if (independence.concerns.length === 0 || !independence.reason) return;
  const concerns = [...new Set(independence.concerns.map((c) => c.kind))];
  const reasonId = await repos.chairing.insertIndependenceReason({
    conferenceId,
    chairUserId,
    occasion,
    concerns,
    reason: independence.reason,
    recordedBy: by.userId,
    recordedAt: by.at,
  });
  await auditConference(repos, ctx, 'conference.chair.independence', conferenceId, {
    reasonId,
    chairUserId,
    occasion,
    concerns,
  });
}
