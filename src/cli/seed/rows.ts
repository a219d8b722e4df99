/**
 * The rows of a batch of seeded conferences, for every table they touch: the family (children, parents and
 * their links) the first time it appears, then the conference, its children, its one part, everyone invited
 * and each invitation as issued, attendance, decisions and plans for a held conference.
 */
import { createHash } from 'node:crypto';
import { addDays, type IsoDate } from '../../domain/calendar/index.ts';
import type { Outcome } from '../../domain/conferences/decisions.ts';
import type * as core from '../../infra/db/schema.ts';
import type { SeedAgency, SeedConference, SeedFamily, SeedStaff } from './council.ts';
import type { SeededRandom } from './random.ts';

type Insert<T extends { $inferInsert: unknown }> = T['$inferInsert'];

export interface ConferenceBatch {
  children: Array<Insert<typeof core.children>>;
  people: Array<Insert<typeof core.people>>;
  childRelationships: Array<Insert<typeof core.childRelationships>>;
  conferences: Array<Insert<typeof core.conferences>>;
  conferenceChildren: Array<Insert<typeof core.conferenceChildren>>;
  conferenceParts: Array<Insert<typeof core.conferenceParts>>;
  conferenceInvitees: Array<Insert<typeof core.conferenceInvitees>>;
  invitationIssues: Array<Insert<typeof core.invitationIssues>>;
  attendance: Array<Insert<typeof core.attendance>>;
  childDecisions: Array<Insert<typeof core.childDecisions>>;
  childPlans: Array<Insert<typeof core.childPlans>>;
  planActions: Array<Insert<typeof core.planActions>>;
}

export function emptyBatch(): ConferenceBatch {
  return {
    children: [],
    people: [],
    childRelationships: [],
    conferences: [],
    conferenceChildren: [],
    conferenceParts: [],
    conferenceInvitees: [],
    invitationIssues: [],
    attendance: [],
    childDecisions: [],
    childPlans: [],
    planActions: [],
  };
}

/** A time on a conference's day (England's clock taken as UTC: close enough for seeded history). */
export const at = (date: IsoDate, time = '10:00'): Date => new Date(`${date}T${time}:00Z`);

function ageOn(dob: IsoDate | null, date: IsoDate): number {
  if (!dob) return -1;
  return (new Date(`${date}T00:00:00Z`).getTime() - new Date(`${dob}T00:00:00Z`).getTime()) / (365.25 * 86_400_000);
}

export interface BatchContext {
  rng: SeededRandom;
  today: IsoDate;
  staffById: Map<string, SeedStaff>;
  agencyById: Map<string, SeedAgency>;
  councilName: string;
  /** Families whose rows are written already. */
  written: Set<SeedFamily>;
  nextReference: () => string;
}

function addFamily(b: ConferenceBatch, f: SeedFamily, ctx: BatchContext): void {
  for (const child of f.children) {
    b.children.push({
      id: child.id,
      givenNames: child.givenNames,
      familyName: f.familyName,
      // A pre-birth conference's baby is born on the expected date, once that has passed.
      dateOfBirth: child.dateOfBirth ?? (child.expectedDeliveryDate! < ctx.today ? child.expectedDeliveryDate : null),
      expectedDeliveryDate: child.expectedDeliveryDate,
      address: f.address,
      localReference: ctx.nextReference(),
      allocatedSocialWorkerId: f.socialWorkerId,
      restricted: f.restricted,
    });
  }
  for (const p of f.parents) {
    b.people.push({ id: p.id, givenNames: p.givenNames, familyName: f.familyName, address: f.address });
    for (const child of f.children)
      b.childRelationships.push({
        childId: child.id,
        personId: p.id,
        relationship: p.relationship,
        parentalResponsibility: true,
      });
  }
}

const OUTCOME_REASONS: Record<Outcome, string> = {
  'plan-needed': 'The child is likely to suffer significant harm; a plan is needed to keep them safe.',
  'no-plan': 'The risks are being managed; support continues as a child in need.',
  'plan-continues': 'Progress has been made but the worries remain; the plan continues.',
  'plan-ends': 'The child is no longer likely to suffer significant harm; the plan ends with support stepping down.',
};

export function addConference(b: ConferenceBatch, c: SeedConference, ctx: BatchContext): void {
  const { rng } = ctx;
  if (!ctx.written.has(c.family)) {
    addFamily(b, c.family, ctx);
    ctx.written.add(c.family);
  }
  const chair = ctx.staffById.get(c.chairId)!;
  const support = ctx.staffById.get(c.minuteTakerId)!;
  const held = c.status === 'held';
  const online = rng.chance(0.35);
  b.conferences.push({
    id: c.id,
    type: c.type,
    status: c.status,
    scheduledDate: c.scheduledDate,
    startTime: c.startTime,
    durationMinutes: 90,
    venueKind: online ? 'online' : 'in-person',
    venueDetails: online ? null : 'Civic Centre, Conference Room 2',
    onlineLink: online ? 'https://meet.council.example/cp-conference' : null,
    chairUserId: c.chairId,
    minuteTakerUserId: c.minuteTakerId,
    strategyDiscussionDate: c.strategyDiscussionDate,
    expectedDeliveryDate: c.expectedDeliveryDate,
    previousConferenceId: c.previousId,
    noticeOfMoveDate: c.noticeOfMoveDate,
    dueRule: c.dueRule,
    dueDate: c.dueDate,
    lateAgreedBy: c.late ? 'Head of Safeguarding' : null,
    lateReason: c.late ? 'Agency reports were not ready in time' : null,
    actualStartTime: held ? c.startTime : null,
    actualEndTime: held ? (c.startTime < '12:00' ? '12:15' : '15:45') : null,
    reminderGivenAt: held ? at(c.scheduledDate, c.startTime) : null,
    cancelledReason: c.status === 'cancelled' ? 'The family asked for a new date' : null,
    createdByUserId: c.minuteTakerId,
    createdAt: at(addDays(c.scheduledDate, -14)),
    updatedAt: at(held ? c.scheduledDate : addDays(c.scheduledDate, -14), '17:00'),
  });
  const partId = rng.uuid();
  b.conferenceParts.push({
    id: partId,
    conferenceId: c.id,
    ordinal: 1,
    label: 'Whole conference',
    durationMinutes: 90,
  });
  const invitees: Array<{ id: string; name: string; email: string | null; family: boolean; child: boolean }> = [];
  const invite = (
    row: Omit<Insert<typeof core.conferenceInvitees>, 'id' | 'conferenceId'>,
    name: string,
    email: string | null,
  ) => {
    const id = rng.uuid();
    b.conferenceInvitees.push({
      id,
      conferenceId: c.id,
      invitedAt: at(addDays(c.scheduledDate, -10)),
      invitationMethod: email ? 'email' : 'letter',
      ...row,
    });
    invitees.push({ id, name, email, family: row.kind !== 'professional' && !row.userId, child: row.kind === 'child' });
  };
  for (const child of c.family.children) {
    b.conferenceChildren.push({
      conferenceId: c.id,
      childId: child.id,
      childViews: held ? 'Shared through their social worker.' : null,
    });
    if (ageOn(child.dateOfBirth, c.scheduledDate) >= 12)
      invite({ kind: 'child', childId: child.id }, `${child.givenNames} ${c.family.familyName}`, null);
  }
  for (const p of c.family.parents)
    invite({ kind: 'family-member', personId: p.id }, `${p.givenNames} ${c.family.familyName}`, null);
  const sw = ctx.staffById.get(c.family.socialWorkerId)!;
  invite({ kind: 'professional', userId: sw.id, staffRole: 'social-worker', directContact: true }, sw.name, sw.email);
  if (rng.chance(0.5)) {
    const tm = ctx.staffById.get(c.family.teamManagerId)!;
    invite({ kind: 'professional', userId: tm.id, staffRole: 'team-manager' }, tm.name, tm.email);
  }
  for (const agencyId of c.agencyIds) {
    const agency = ctx.agencyById.get(agencyId)!;
    const professionalId = rng.pick(agency.professionalIds);
    invite(
      { kind: 'professional', professionalId, agencyId, directContact: true },
      agency.name,
      `cp@${agency.kind}.example`,
    );
  }
  for (const i of invitees) {
    const body = [
      `Dear ${i.name},`,
      '',
      `You are invited to a child protection conference about the ${c.family.familyName} family on ${c.scheduledDate} at ${c.startTime}.`,
      '',
      `Yours sincerely, ${ctx.councilName}`,
    ].join('\n');
    b.invitationIssues.push({
      id: rng.uuid(),
      conferenceId: c.id,
      inviteeId: i.id,
      issueNumber: 1,
      channel: i.email ? 'email' : 'letter',
      recipientLines: [i.name, c.family.address],
      recipientEmail: i.email,
      subject: 'Invitation to a child protection conference',
      body,
      bodySha256: createHash('sha256').update(body).digest('hex'),
      issuedAt: at(addDays(c.scheduledDate, -10)),
      issuedByUserId: support.id,
      issuedByLabel: support.name,
    });
    if (held)
      b.attendance.push({
        partId,
        inviteeId: i.id,
        status: rng.weighted(
          i.child
            ? ([
                ['attended', 45],
                ['apologies', 35],
                ['absent', 20],
              ] as const)
            : ([
                ['attended', 82],
                ['apologies', 12],
                ['absent', 6],
              ] as const),
        ),
        howViewsHeard: i.child ? 'Met the chair before the conference' : null,
      });
  }
  if (!held) return;
  for (const child of c.family.children) {
    const outcome: Outcome =
      c.type === 'review' ? (c.plan ? 'plan-continues' : 'plan-ends') : c.plan ? 'plan-needed' : 'no-plan';
    const recordedAt = at(c.scheduledDate, '16:00');
    b.childDecisions.push({
      id: rng.uuid(),
      conferenceId: c.id,
      childId: child.id,
      version: 1,
      outcome,
      category: c.plan ? c.family.category : null,
      reasons: OUTCOME_REASONS[outcome],
      recordedByUserId: chair.id,
      recordedAt,
    });
    if (outcome === 'no-plan') continue;
    const planId = rng.uuid();
    const ended = outcome === 'plan-ends';
    const meeting = addDays(c.scheduledDate, rng.int(5, 20));
    b.childPlans.push({
      id: planId,
      conferenceId: c.id,
      childId: child.id,
      version: 1,
      leadSocialWorkerUserId: c.family.socialWorkerId,
      firstCoreGroupDate: ended ? null : addDays(c.scheduledDate, 10),
      contingencyPlan: ended ? null : 'If the plan is not followed, legal advice will be sought.',
      nextReviewDate: ended ? null : c.nextReviewDate,
      planEndedMeetingDate: ended && meeting < ctx.today ? meeting : null,
      recordedByUserId: chair.id,
      recordedAt,
    });
    if (!ended)
      ['Attend the parenting programme', 'Keep health appointments', 'Meet the social worker every ten days'].forEach(
        (action, k) =>
          b.planActions.push({
            planId,
            ordinal: k + 1,
            action,
            who: k === 2 ? 'Social worker' : 'Parents',
            byWhen: addDays(c.scheduledDate, 30 * (k + 1)),
          }),
      );
  }
}
