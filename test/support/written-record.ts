/**
 * A conference held through the meeting's use cases, ready for its written record: Ava and Ben's sibling group
 * with the family (mother and father) and three agencies present, a plan for each child with its core group, the
 * chair's Worries / Positives / Changes, concluded. Shared by the written record's service and browser tests.
 */
import type { RegisterInput } from '../../src/app/conferences/meeting-service.ts';
import type { Actor } from '../../src/domain/access/roles.ts';
import type { IsoDate } from '../../src/domain/calendar/index.ts';
import { REMINDER_POINT_IDS } from '../../src/domain/conferences/meeting.ts';
import { siblingGroupConference, type SiblingGroupConference } from './conferences.ts';
import type { TestContext } from './services.ts';

const d = (s: string) => s as IsoDate;
export const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });

const attended = (inviteeId: string): RegisterInput => ({
  inviteeId,
  status: 'attended',
  joinedAt: null,
  leftAt: null,
  interpreterUsed: false,
});

/** An action of each child's plan. */
export type PlanActionInput = { action: string; who: string; byWhen: IsoDate | null };

export interface HeldConferenceOptions {
  /** False: no lead social worker named for Ava, left for a team manager to appoint (002 §3.7). */
  leadForAva?: boolean;
  familyName?: string;
  /** Each child's plan's actions: by default, registering Ben with a dentist. */
  actions?: PlanActionInput[];
}

export const DENTIST_ACTION: PlanActionInput = {
  action: 'Register Ben with a dentist',
  who: 'Mother',
  byWhen: d('2026-04-01'),
};

export async function heldConferenceForRecord(
  ctx: TestContext,
  people: { socialWorker: Actor; chair: Actor; support: Actor },
  opts: HeldConferenceOptions = {},
): Promise<SiblingGroupConference> {
  const { meeting } = ctx.services;
  const { socialWorker: sw, chair, support } = people;
  const g = await siblingGroupConference(ctx, {
    socialWorker: sw,
    chair,
    ...(opts.familyName ? { familyName: opts.familyName } : {}),
  });
  await meeting.openConference(
    chair,
    g.conferenceId,
    { pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:04' },
    as(chair),
  );
  await meeting.recordAttendance(
    support,
    g.conferenceId,
    g.partId,
    [g.invitee.socialWorker, g.invitee.police, g.invitee.school, g.invitee.mother, g.invitee.father].map(attended),
    as(support),
  );
  const agencyViews = [g.agencies.csc, g.agencies.police, g.agencies.school].map((agencyId) => ({
    agencyId,
    view: 'agrees' as const,
  }));
  for (const child of [g.children.ava, g.children.ben]) {
    await meeting.recordDecision(
      chair,
      g.conferenceId,
      child,
      { outcome: 'plan-needed', category: 'neglect', reasons: 'Home conditions and missed appointments', agencyViews },
      as(chair),
    );
    await meeting.recordPlan(
      chair,
      g.conferenceId,
      child,
      {
        leadSocialWorkerUserId: child === g.children.ava && opts.leadForAva === false ? null : sw.id,
        coreGroupInviteeIds: [g.invitee.mother, g.invitee.socialWorker, g.invitee.school],
        firstCoreGroupDate: d('2026-03-12'),
        actions: opts.actions ?? [DENTIST_ACTION],
        contingencyPlan: 'Legal planning meeting if the home is not made safe',
        nextReviewDate: d('2026-05-29'),
      },
      as(chair),
    );
  }
  await meeting.recordSummary(
    chair,
    g.conferenceId,
    { worries: 'The home is unsafe', positives: 'Grace engages with the school', changes: 'A safe, clean home' },
    as(chair),
  );
  await meeting.conclude(chair, g.conferenceId, { actualEndTime: '11:40' }, as(chair));
  return g;
}
