/** Set-up for the tests of plans ending, stepping down and moving away (002 §3.8, §3.9): a held conference's outcome. */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../src/domain/access/roles.ts';
import type { Outcome } from '../../src/domain/conferences/decisions.ts';
import { childDecisions, childPlans, conferences, professionals } from '../../src/infra/db/schema.ts';
import { type SiblingGroupConference, siblingGroupConference } from './conferences.ts';
import type { TestContext } from './services.ts';

export const POLICE_EMAIL = 'priya.shah@police.example.gov.uk';
export const SCHOOL_EMAIL = 'dsl@riverside.example.sch.uk';

/**
 * The sibling group's conference, held on 2 March 2026, with Ava's decision (and, with a plan, her plan: next review
 * by 2 June 2026; when it ends, the family meeting on 13 March 2026). The police officer and the school's lead have
 * email addresses; the health visitor, GP and social worker do not (they are written to).
 */
export async function heldConference(
  ctx: TestContext,
  opts: {
    socialWorker: Actor;
    chair: Actor;
    outcome: Outcome;
    type?: 'initial' | 'review';
    status?: 'held' | 'in-progress';
  },
): Promise<SiblingGroupConference> {
  const g = await siblingGroupConference(ctx, {
    socialWorker: opts.socialWorker,
    chair: opts.chair,
    type: opts.type ?? (opts.outcome === 'plan-ends' || opts.outcome === 'plan-continues' ? 'review' : 'initial'),
    status: opts.status ?? 'held',
  });
  const { db } = ctx.services.database;
  await db.update(conferences).set({ scheduledDate: '2026-03-02' }).where(eq(conferences.id, g.conferenceId));
  await db.update(professionals).set({ email: POLICE_EMAIL }).where(eq(professionals.name, 'DC Priya Shah'));
  await db.update(professionals).set({ email: SCHOOL_EMAIL }).where(eq(professionals.name, 'Tom Reid'));
  const at = new Date('2026-03-02T12:00:00Z');
  await db.insert(childDecisions).values({
    conferenceId: g.conferenceId,
    childId: g.children.ava,
    version: 1,
    outcome: opts.outcome,
    category: opts.outcome === 'plan-needed' || opts.outcome === 'plan-continues' ? 'neglect' : null,
    reasons: 'The reasons given at the conference.',
    recordedByUserId: opts.chair.id,
    recordedAt: at,
  });
  if (opts.outcome !== 'no-plan')
    await db.insert(childPlans).values({
      conferenceId: g.conferenceId,
      childId: g.children.ava,
      version: 1,
      leadSocialWorkerUserId: opts.socialWorker.id,
      nextReviewDate: opts.outcome === 'plan-ends' ? null : '2026-06-02',
      firstCoreGroupDate: opts.outcome === 'plan-ends' ? null : '2026-03-12',
      contingencyPlan: opts.outcome === 'plan-ends' ? null : 'Legal advice if things get worse.',
      planEndedMeetingDate: opts.outcome === 'plan-ends' ? '2026-03-13' : null,
      recordedByUserId: opts.chair.id,
      recordedAt: at,
    });
  return g;
}
