/**
 * Set-up the participation tests share (002 §3.2): a whole answer to whether a child attends, and a friend of the
 * mother invited to support her.
 */
import type { Actor } from '../../src/domain/access/roles.ts';
import type { ChildAttendanceInput } from '../../src/domain/participation/child-attendance.ts';
import { conferenceInvitees } from '../../src/infra/db/schema.ts';
import type { SiblingGroupConference } from './conferences.ts';
import { as } from './recording-to-record.ts';
import type { TestContext } from './services.ts';

/** 002 §3.2: every question answered for a child who wishes to attend and does; `over` changes any answer. */
export function attendanceAnswers(over: Partial<ChildAttendanceInput> = {}): ChildAttendanceInput {
  return {
    understands: 'yes',
    wishExpressed: 'explicit',
    parentsViews: 'Her mother wants her to be there; her father is unsure.',
    benefit: 'yes',
    chairAdvice: 'attend',
    socialWorkerAdvice: 'attend',
    childWish: 'attend',
    decision: 'attend',
    partArrangements: '',
    reason: '',
    viewsRoutes: [],
    viewsNote: '',
    ...over,
  };
}

/** Fay Friend, on Ava's record as a friend of the family, invited to the conference as a supporter: the invitee id. */
export async function inviteSupporter(ctx: TestContext, sw: Actor, g: SiblingGroupConference): Promise<string> {
  const friend = await ctx.services.people.addFamilyMember(
    sw,
    g.children.ava,
    { person: { givenNames: 'Fay', familyName: 'Friend' }, relationship: 'friend', parentalResponsibility: false },
    as(sw),
  );
  const [row] = await ctx.services.database.db
    .insert(conferenceInvitees)
    .values({ conferenceId: g.conferenceId, kind: 'supporter', personId: friend.person.id })
    .returning({ id: conferenceInvitees.id });
  return row!.id;
}
