import { eq } from 'drizzle-orm';
import type { IsoDate } from '../../src/domain/calendar/index.ts';
import { childDecisions, conferences, dissentReferrals } from '../../src/infra/db/schema.ts';
import type { TestContext } from './services.ts';

/** the conference was inquorate and the chair adjourned it, setting a new date (as the meeting records it). */
export async function markAdjourned(ctx: TestContext, conferenceId: string, reconveneDate: IsoDate): Promise<void> {
  await ctx.services.database.db
    .update(conferences)
    .set({
      status: 'adjourned-inquorate',
      adjournmentSafetySteps: 'The social worker visits daily until the conference meets.',
      reconveneDate,
    })
    .where(eq(conferences.id, conferenceId));
}

/** D-1: the conference was held, two agencies dissented on the child's decision, and the senior manager's review decided to reconvene. */
export async function markDissentReconvene(
  ctx: TestContext,
  conferenceId: string,
  childId: string,
  review: { reviewedOn: IsoDate; reconveneDue: IsoDate },
): Promise<void> {
  const { db } = ctx.services.database;
  await db.update(conferences).set({ status: 'held' }).where(eq(conferences.id, conferenceId));
  const [decision] = await db
    .insert(childDecisions)
    .values({
      conferenceId,
      childId,
      version: 1,
      outcome: 'plan-needed',
      category: 'neglect',
      reasons: 'Neglect of basic care',
      seniorManagerReferralRequired: true,
      recordedAt: new Date('2026-03-02T12:00:00Z'),
    })
    .returning({ id: childDecisions.id });
  await db.insert(dissentReferrals).values({
    decisionId: decision!.id,
    referredTo: 'Head of Safeguarding',
    referredOn: '2026-03-02',
    reviewedOn: review.reviewedOn,
    outcome: 'reconvene',
    reconveneDue: review.reconveneDue,
  });
}
