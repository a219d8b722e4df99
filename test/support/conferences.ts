/**
 * Conferences for tests of the meeting, inserted directly while the convening service is being built.
 * Once convening can create conferences, `seedConference` can call it instead; the shapes stay.
 */
import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../src/domain/access/roles.ts';
import type { ConferenceType } from '../../src/domain/conferences/decisions.ts';
import type { InviteeKind } from '../../src/domain/conferences/invitees.ts';
import type { ConferenceStatus } from '../../src/domain/conferences/lifecycle.ts';
import type { AgencyKind } from '../../src/domain/people/index.ts';
import {
  agencies,
  conferenceChildren,
  conferenceInvitees,
  conferenceParts,
  conferences,
  professionals,
} from '../../src/infra/db/schema.ts';
import { addChild } from './people.ts';
import type { TestContext } from './services.ts';

export interface SeedInvitee {
  kind: InviteeKind;
  personId?: string;
  childId?: string;
  professionalId?: string;
  agencyId?: string;
  /** the agency has had direct contact with the child and family. */
  directContact?: boolean;
}

export interface SeedConference {
  type?: ConferenceType;
  status?: ConferenceStatus;
  scheduledDate?: string;
  startTime?: string;
  durationMinutes?: number;
  chairUserId?: string | null;
  childIds: string[];
  invitees?: SeedInvitee[];
}

export interface SeededConference {
  conferenceId: string;
  partId: string;
  inviteeIds: string[];
}

const DUE_RULE: Record<ConferenceType, string> = {
  initial: 'initial-conference',
  'pre-birth': 'pre-birth-conference',
  review: 'first-review',
  'transfer-in': 'transfer-in-conference',
};

/** An agency by name, created when it does not exist yet (names are unique in a database). */
export async function agencyNamed(ctx: TestContext, name: string, kind: AgencyKind): Promise<string> {
  const { db } = ctx.services.database;
  const [found] = await db
    .select({ id: agencies.id })
    .from(agencies)
    .where(eq(sql`lower(${agencies.name})`, name.toLowerCase()));
  if (found) return found.id;
  const [row] = await db.insert(agencies).values({ name, kind }).returning({ id: agencies.id });
  return row!.id;
}

export async function insertProfessional(
  ctx: TestContext,
  p: { name: string; roleTitle: string; agencyId: string },
): Promise<string> {
  const [row] = await ctx.services.database.db.insert(professionals).values(p).returning({ id: professionals.id });
  return row!.id;
}

/** A conference with its children, one part covering the whole meeting, and its invitees. */
export async function seedConference(ctx: TestContext, c: SeedConference): Promise<SeededConference> {
  const { db } = ctx.services.database;
  const type = c.type ?? 'initial';
  const scheduledDate = c.scheduledDate ?? '2026-03-02';
  const durationMinutes = c.durationMinutes ?? 120;
  const [conf] = await db
    .insert(conferences)
    .values({
      type,
      status: c.status ?? 'planned',
      scheduledDate,
      startTime: c.startTime ?? '10:00',
      durationMinutes,
      venueKind: 'in-person',
      venueDetails: 'Room 2, Civic Centre',
      chairUserId: c.chairUserId ?? null,
      strategyDiscussionDate: type === 'initial' ? '2026-02-09' : null,
      dueRule: DUE_RULE[type],
      dueDate: scheduledDate,
    })
    .returning({ id: conferences.id });
  const conferenceId = conf!.id;
  await db.insert(conferenceChildren).values(c.childIds.map((childId) => ({ conferenceId, childId })));
  const [part] = await db
    .insert(conferenceParts)
    .values({ conferenceId, ordinal: 1, label: 'Whole conference', startOffsetMinutes: 0, durationMinutes })
    .returning({ id: conferenceParts.id });
  const inviteeIds: string[] = [];
  for (const i of c.invitees ?? []) {
    const [row] = await db
      .insert(conferenceInvitees)
      .values({
        conferenceId,
        kind: i.kind,
        personId: i.personId ?? null,
        childId: i.childId ?? null,
        professionalId: i.professionalId ?? null,
        agencyId: i.agencyId ?? null,
        directContact: i.directContact ?? false,
        invitationMethod: 'email',
        invitedAt: new Date('2026-02-20T10:00:00Z'),
      })
      .returning({ id: conferenceInvitees.id });
    inviteeIds.push(row!.id);
  }
  return { conferenceId, partId: part!.id, inviteeIds };
}

export interface SiblingGroupConference extends SeededConference {
  /** Ava is 12 on the conference date (presumed to attend, 002 §3.2); Ben is 6. */
  children: { ava: string; ben: string };
  people: { mother: string; father: string; advocate: string };
  agencies: { csc: string; police: string; school: string; healthVisiting: string; gp: string };
  /** Invitee ids by who they are. */
  invitee: {
    mother: string;
    father: string;
    advocate: string;
    ava: string;
    socialWorker: string;
    police: string;
    school: string;
    healthVisitor: string;
    gp: string;
  };
}

/**
 * The sibling group most meeting tests use: Ava and Ben, their mother (PR for both), their father (PR
 * for Ben only) and the mother's advocate; children's social care, police, school and health visiting
 * with direct contact, and a GP without. Nobody's attendance is recorded yet.
 */
export async function siblingGroupConference(
  ctx: TestContext,
  opts: {
    socialWorker: Actor;
    chair?: Actor | null;
    type?: ConferenceType;
    status?: ConferenceStatus;
    familyName?: string;
  },
): Promise<SiblingGroupConference> {
  const familyName = opts.familyName ?? 'Okafor';
  const sw = opts.socialWorker;
  const setUp = { actor: { id: sw.id, label: sw.name } };
  const ava = await addChild(ctx, sw, { givenNames: 'Ava', familyName, dateOfBirth: '2013-05-10' });
  const ben = await addChild(ctx, sw, { givenNames: 'Ben', familyName, dateOfBirth: '2019-08-01' });
  const { people } = ctx.services;
  const mother = await people.addFamilyMember(
    sw,
    ava,
    { person: { givenNames: 'Grace', familyName }, relationship: 'mother', parentalResponsibility: true },
    setUp,
  );
  await people.addFamilyMember(
    sw,
    ben,
    { personId: mother.person.id, relationship: 'mother', parentalResponsibility: true },
    setUp,
  );
  const father = await people.addFamilyMember(
    sw,
    ava,
    { person: { givenNames: 'Daniel', familyName: 'Mensah' }, relationship: 'father', parentalResponsibility: false },
    setUp,
  );
  await people.addFamilyMember(
    sw,
    ben,
    { personId: father.person.id, relationship: 'father', parentalResponsibility: true },
    setUp,
  );
  const advocate = await people.addFamilyMember(
    sw,
    ava,
    { person: { givenNames: 'Ada', familyName: 'Advocate' }, relationship: 'advocate', parentalResponsibility: false },
    setUp,
  );

  const csc = await agencyNamed(ctx, 'Children’s Services', 'childrens_social_care');
  const police = await agencyNamed(ctx, 'Police Public Protection Unit', 'police');
  const school = await agencyNamed(ctx, 'Riverside Academy', 'school');
  const healthVisiting = await agencyNamed(ctx, 'Health Visiting Service', 'health_visitor');
  const gp = await agencyNamed(ctx, 'Mill Lane Surgery', 'gp');
  const prof = async (name: string, roleTitle: string, agencyId: string) =>
    insertProfessional(ctx, { name, roleTitle, agencyId });
  const swProf = await prof(sw.name, 'Social worker', csc);
  const pc = await prof('DC Priya Shah', 'Detective constable', police);
  const dsl = await prof('Tom Reid', 'Designated safeguarding lead', school);
  const hv = await prof('Nia Evans', 'Health visitor', healthVisiting);
  const doctor = await prof('Dr Lee', 'GP', gp);

  const seeded = await seedConference(ctx, {
    type: opts.type ?? 'initial',
    status: opts.status ?? 'planned',
    chairUserId: opts.chair?.id ?? null,
    childIds: [ava, ben],
    invitees: [
      { kind: 'family-member', personId: mother.person.id },
      { kind: 'family-member', personId: father.person.id },
      { kind: 'advocate', personId: advocate.person.id },
      { kind: 'child', childId: ava },
      { kind: 'professional', professionalId: swProf, agencyId: csc, directContact: true },
      { kind: 'professional', professionalId: pc, agencyId: police, directContact: true },
      { kind: 'professional', professionalId: dsl, agencyId: school, directContact: true },
      { kind: 'professional', professionalId: hv, agencyId: healthVisiting, directContact: true },
      { kind: 'professional', professionalId: doctor, agencyId: gp, directContact: false },
    ],
  });
  const [m, f, a, child, s, p, sch, h, g] = seeded.inviteeIds as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    ...seeded,
    children: { ava, ben },
    people: { mother: mother.person.id, father: father.person.id, advocate: advocate.person.id },
    agencies: { csc, police, school, healthVisiting, gp },
    invitee: {
      mother: m,
      father: f,
      advocate: a,
      ava: child,
      socialWorker: s,
      police: p,
      school: sch,
      healthVisitor: h,
      gp: g,
    },
  };
}
