import { eq } from 'drizzle-orm';
import { zipSync } from './zip.ts';
import type { ConveneInput } from '../../src/app/conferences/convening-service.ts';
import type { Actor } from '../../src/domain/access/roles.ts';
import { conferences } from '../../src/infra/db/schema.ts';
import type { FastifyInstance } from 'fastify';
import type { TestContext } from './services.ts';
import { type WebClient, signedInClient } from './web.ts';
import { addChild, emailOf, staff } from './people.ts';

export const ctxOf = (a: Actor) => ({ actor: { id: a.id, label: a.name } });

/** A signed-in browser for one of the fixture's staff. */
export async function clientFor(ctx: TestContext, app: FastifyInstance, actor: Actor): Promise<WebClient> {
  return (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;
}

/** A date as the three boxes of a GOV.UK date input. */
export const dateFields = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! };
};

/** The GOV.UK error summary's links, in order. */
export function summaryErrors(html: string): Array<{ href: string; text: string }> {
  const summary = html.split('govuk-error-summary__list')[1]?.split('</ul>')[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({ href: m[1]!, text: m[2]!.trim() }));
}

/**
 * A sibling group as the tests meet it (the clock stands at Monday 2 March 2026):
 * Ava (born 2012, so 14: presumed to attend, 002 §3.2) and Ben (born 2019); their mother Grace holds
 * PR for both; Dev is Ben's father with PR, and Ava's stepfather without it; Sue is Ava's supporter.
 * Professionals: a teacher (school) for Ava, a police officer for both, a health visitor for Ben.
 */
export interface SiblingFixture {
  sw: Actor;
  chair: Actor;
  support: Actor;
  ava: string;
  ben: string;
  grace: string;
  dev: string;
  sue: string;
  agencies: {
    csc: string;
    police: string;
    school: string;
    healthVisitor: string;
    midwife: string;
    interpreting: string;
  };
  teacher: string;
  officer: string;
  healthVisitor: string;
}

let counter = 0;

export async function siblingFixture(ctx: TestContext, family = 'Okafor'): Promise<SiblingFixture> {
  counter += 1;
  const people = ctx.services.people;
  const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
  const chair = await staff(ctx, 'Cal Chair', ['chair']);
  const support = await staff(ctx, 'Bo Support', ['business_support']);
  const ava = await addChild(ctx, sw, {
    givenNames: 'Ava',
    familyName: family,
    dateOfBirth: '2012-01-10',
    address: '12 Mill Lane\nLuton\nLU1 1AA',
  });
  const ben = await addChild(ctx, sw, {
    givenNames: 'Ben',
    familyName: family,
    dateOfBirth: '2019-05-05',
    address: '12 Mill Lane\nLuton\nLU1 1AA',
  });
  const c = ctxOf(sw);
  const grace = (
    await people.addFamilyMember(
      sw,
      ava,
      {
        person: {
          givenNames: 'Grace',
          familyName: family,
          dateOfBirth: '1988-02-02',
          address: '12 Mill Lane\nLuton\nLU1 1AA',
          email: 'grace@example.com',
          language: 'Yoruba',
          interpreterNeeded: true,
        },
        relationship: 'mother',
        parentalResponsibility: true,
      },
      c,
    )
  ).person.id;
  await people.addFamilyMember(sw, ben, { personId: grace, relationship: 'mother', parentalResponsibility: true }, c);
  const dev = (
    await people.addFamilyMember(
      sw,
      ben,
      {
        person: { givenNames: 'Dev', familyName: 'Mensah', address: '4 Hill Road\nDunstable' },
        relationship: 'father',
        parentalResponsibility: true,
      },
      c,
    )
  ).person.id;
  await people.addFamilyMember(
    sw,
    ava,
    { personId: dev, relationship: 'step_parent', parentalResponsibility: false },
    c,
  );
  const sue = (
    await people.addFamilyMember(
      sw,
      ava,
      { person: { givenNames: 'Sue', familyName: 'Friend' }, relationship: 'supporter', parentalResponsibility: false },
      c,
    )
  ).person.id;
  const agency = async (name: string, kind: string) => {
    const existing = (await people.listAgencies()).find((a) => a.name === name);
    return existing ? existing.id : (await people.createAgency(sw, { name, kind }, c)).id;
  };
  const agencies = {
    csc: await agency('Luton Children’s Social Care', 'childrens_social_care'),
    police: await agency('Bedfordshire Police', 'police'),
    school: await agency('Mill Lane Primary', 'school'),
    healthVisitor: await agency('Luton Health Visiting', 'health_visitor'),
    midwife: await agency('Luton and Dunstable Maternity', 'midwife'),
    interpreting: await agency('Language Line', 'other'),
  };
  const teacher = (
    await people.addProfessional(
      sw,
      ava,
      {
        professional: {
          name: `Tess Teacher ${counter}`,
          roleTitle: 'Designated safeguarding lead',
          agencyId: agencies.school,
          email: 'tess@school.example',
        },
      },
      c,
    )
  ).id;
  const officer = (
    await people.addProfessional(
      sw,
      ava,
      {
        professional: {
          name: `Pat Police ${counter}`,
          roleTitle: 'Detective constable',
          agencyId: agencies.police,
          email: 'pat@police.example',
        },
      },
      c,
    )
  ).id;
  await people.addProfessional(sw, ben, { professionalId: officer }, c);
  const healthVisitor = (
    await people.addProfessional(
      sw,
      ben,
      {
        professional: { name: `Hana Health ${counter}`, roleTitle: 'Health visitor', agencyId: agencies.healthVisitor },
      },
      c,
    )
  ).id;
  return { sw, chair, support, ava, ben, grace, dev, sue, agencies, teacher, officer, healthVisitor };
}

/** An initial conference for the sibling group, in time (T-1 due 20 March 2026). */
export function initialInput(f: SiblingFixture, over: Partial<ConveneInput> = {}): ConveneInput {
  return {
    childIds: [f.ava, f.ben],
    type: 'initial',
    strategyDiscussionDate: '2026-02-27',
    scheduledDate: '2026-03-16',
    startTime: '10:00',
    durationMinutes: 120,
    venueKind: 'hybrid',
    venueDetails: 'Room 2, Town Hall\nLuton',
    onlineLink: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
    chairUserId: f.chair.id,
    minuteTakerUserId: f.support.id,
    ...over,
  };
}

/** Marks a conference held, as the meeting will (this feature never does). */
export async function markHeld(ctx: TestContext, conferenceId: string): Promise<void> {
  await ctx.services.database.db.update(conferences).set({ status: 'held' }).where(eq(conferences.id, conferenceId));
}

// ------------------------------------------------------------------ report files

export const PDF_BYTES = Buffer.from(
  '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

export function docxBytes(extra: Record<string, string> = {}): Buffer {
  return zipSync({
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels': '<?xml version="1.0"?><Relationships/>',
    'word/document.xml': '<?xml version="1.0"?><w:document/>',
    ...extra,
  });
}

export function odtBytes(): Buffer {
  return zipSync({
    mimetype: 'application/vnd.oasis.opendocument.text',
    'content.xml': '<office:document-content/>',
    'META-INF/manifest.xml': '<manifest/>',
  });
}
