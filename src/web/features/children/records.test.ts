import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { childRelationships, children, people } from '../../../infra/db/schema.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { addChild, auditRows, emailOf, staff } from '../../../../test/support/people.ts';

async function clientFor(ctx: TestContext, app: FastifyInstance, actor: Actor): Promise<WebClient> {
  return (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;
}

const newPerson = (over: Record<string, string>) => ({
  givenNames: 'Pat',
  familyName: 'Example',
  'dateOfBirth-day': '',
  'dateOfBirth-month': '',
  'dateOfBirth-year': '',
  address: '',
  email: '',
  phone: '',
  language: '',
  accessibilityNeeds: '',
  ...over,
});

/** The family table row for a person on a child's record page. */
function familyRow(html: string, name: string): string {
  const rows = html.split('<tr class="govuk-table__row">');
  const row = rows.find((r) => r.includes(name));
  if (!row) throw new Error(`no family row for ${name}`);
  return row.replace(/\s+/g, ' ');
}

describe.each(testDatabases())('children’s records (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let otherSw: Actor;
  let chair: Actor;
  let otherChair: Actor;
  let support: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    otherChair = await staff(ctx, 'Dee Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  describe('family and network: relationship and PR per child', () => {
    let client: WebClient;
    let ava: string;
    let ben: string;

    beforeAll(async () => {
      client = await clientFor(ctx, app, sw);
      ava = await addChild(ctx, sw, { givenNames: 'Ava', familyName: 'Sibling' });
      ben = await addChild(ctx, sw, { givenNames: 'Ben', familyName: 'Sibling', dateOfBirth: '2021-09-09' });
    });

    it('records two parents for one child, one holding PR and one not', async () => {
      const mother = await client.post(
        `/children/${ava}/family/new`,
        newPerson({
          givenNames: 'Mia',
          familyName: 'Sibling',
          relationship: 'mother',
          parentalResponsibility: 'yes',
          language: 'Polish',
          interpreterNeeded: 'yes',
        }),
        { fromPage: `/children/${ava}/family/new` },
      );
      expect(mother.statusCode).toBe(303);
      expect(mother.headers.location).toBe(`/children/${ava}`);
      const father = await client.post(
        `/children/${ava}/family/new`,
        newPerson({ givenNames: 'Finn', familyName: 'Other', relationship: 'father', parentalResponsibility: 'no' }),
        { fromPage: `/children/${ava}/family/new` },
      );
      expect(father.statusCode).toBe(303);

      const page = await client.get(`/children/${ava}`);
      expect(familyRow(page.body, 'Mia Sibling')).toMatch(
        /Mother.*<td class="govuk-table__cell">Yes<\/td>.*Polish \(interpreter needed\)/,
      );
      expect(familyRow(page.body, 'Finn Other')).toMatch(/Father.*<td class="govuk-table__cell">No<\/td>/);
    });

    it('reuses the same people for a sibling, with PR that differs for that child', async () => {
      // Ben has no links yet: find his mother by name (a POST, so the name is not in the URL).
      const found = await client.post(
        `/children/${ben}/family/search`,
        { name: 'mia sib' },
        { fromPage: `/children/${ben}/family/add` },
      );
      expect(found.statusCode).toBe(200);
      const [mia] = await ctx.services.database.db.select().from(people).where(eq(people.givenNames, 'Mia'));
      expect(found.body).toContain(`/children/${ben}/family/add/${mia!.id}`);
      const linkMother = await client.post(
        `/children/${ben}/family/add/${mia!.id}`,
        { relationship: 'mother', parentalResponsibility: 'yes' },
        { fromPage: `/children/${ben}/family/add/${mia!.id}` },
      );
      expect(linkMother.statusCode).toBe(303);

      // Now Ben shares his mother with Ava, so Ava's father is offered as someone linked to a sibling.
      const choose = await client.get(`/children/${ben}/family/add`);
      const [finn] = await ctx.services.database.db.select().from(people).where(eq(people.givenNames, 'Finn'));
      expect(choose.body).toContain('Finn Other');
      expect(choose.body).toContain('Father of Ava');
      expect(choose.body).not.toContain(`/family/add/${mia!.id}`);
      const linkFather = await client.post(
        `/children/${ben}/family/add/${finn!.id}`,
        { relationship: 'father', parentalResponsibility: 'yes' },
        { fromPage: `/children/${ben}/family/add/${finn!.id}` },
      );
      expect(linkFather.statusCode).toBe(303);

      // One person each, two links each; Finn has PR for Ben but not for Ava.
      expect(await ctx.services.database.db.select().from(people).where(eq(people.givenNames, 'Finn'))).toHaveLength(1);
      const links = await ctx.services.database.db
        .select()
        .from(childRelationships)
        .where(eq(childRelationships.personId, finn!.id));
      expect(links.map((l) => [l.childId, l.parentalResponsibility]).sort()).toEqual(
        [
          [ava, false],
          [ben, true],
        ].sort(),
      );
      expect(familyRow((await client.get(`/children/${ava}`)).body, 'Finn Other')).toMatch(
        /<td class="govuk-table__cell">No<\/td>/,
      );
      expect(familyRow((await client.get(`/children/${ben}`)).body, 'Finn Other')).toMatch(
        /<td class="govuk-table__cell">Yes<\/td>/,
      );

      const added = await auditRows(ctx, 'relationship.add');
      expect(added.filter((r) => r.subjectId === ben).map((r) => r.details)).toEqual([
        { personId: mia!.id, relationship: 'mother', parentalResponsibility: true, reused: true },
        { personId: finn!.id, relationship: 'father', parentalResponsibility: true, reused: true },
      ]);
    });

    it('refuses PR for a friend with a clear error, keeping what was typed', async () => {
      const res = await client.post(
        `/children/${ava}/family/new`,
        newPerson({
          givenNames: 'Fay',
          familyName: 'Friend',
          relationship: 'friend',
          parentalResponsibility: 'yes',
          phone: '01632 960 001',
        }),
        { fromPage: `/children/${ava}/family/new` },
      );
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('<title>Error: Add someone new');
      expect(res.body).toContain(
        '<a href="#parentalResponsibility">A friend, supporter or advocate cannot hold parental responsibility through this link',
      );
      expect(res.body).toContain('value="Fay"');
      expect(res.body).toContain('value="01632 960 001"');
      expect(await ctx.services.database.db.select().from(people).where(eq(people.givenNames, 'Fay'))).toHaveLength(0);

      const ok = await client.post(
        `/children/${ava}/family/new`,
        newPerson({ givenNames: 'Fay', familyName: 'Friend', relationship: 'friend', parentalResponsibility: 'no' }),
      );
      expect(ok.statusCode).toBe(303);
      const page = await client.get(`/children/${ava}`);
      expect(familyRow(page.body, 'Fay Friend')).toContain('Does not receive minutes');
      expect(familyRow(page.body, 'Mia Sibling')).not.toContain('Does not receive minutes');
    });

    it('shows every problem on a half-filled form at once', async () => {
      const res = await client.post(
        `/children/${ava}/family/new`,
        newPerson({
          givenNames: '',
          'dateOfBirth-day': '31',
          'dateOfBirth-month': '2',
          'dateOfBirth-year': '1990',
          email: 'nope',
        }),
        { fromPage: `/children/${ava}/family/new` },
      );
      expect(res.statusCode).toBe(400);
      for (const href of ['#relationship', '#parentalResponsibility', '#givenNames', '#dateOfBirth-day', '#email'])
        expect(res.body).toContain(`<a href="${href}">`);
    });

    it('changes the link for one child and the person’s details for all, and removes a link', async () => {
      const [finn] = await ctx.services.database.db.select().from(people).where(eq(people.givenNames, 'Finn'));
      const form = await client.get(`/children/${ava}/family/${finn!.id}/change`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('value="Finn"');
      const res = await client.post(
        `/children/${ava}/family/${finn!.id}/change`,
        newPerson({
          givenNames: 'Finn',
          familyName: 'Other',
          phone: '07700 900982',
          relationship: 'father',
          parentalResponsibility: 'yes',
        }),
      );
      expect(res.statusCode).toBe(303);
      expect(familyRow((await client.get(`/children/${ben}`)).body, 'Finn Other')).toContain('07700 900982');
      const update = (await auditRows(ctx, 'relationship.update')).at(-1);
      expect(update?.details).toMatchObject({ personId: finn!.id, fields: ['parentalResponsibility'] });
      expect((await auditRows(ctx, 'person.update')).at(-1)?.details).toEqual({ childId: ava, fields: ['phone'] });

      await client.get(`/children/${ava}/family/${finn!.id}/remove`);
      const removed = await client.post(`/children/${ava}/family/${finn!.id}/remove`, {});
      expect(removed.statusCode).toBe(303);
      expect((await client.get(`/children/${ava}`)).body).not.toContain('Finn Other');
      expect((await client.get(`/children/${ben}`)).body).toContain('Finn Other');
      expect((await auditRows(ctx, 'relationship.remove')).at(-1)).toMatchObject({
        subjectId: ava,
        outcome: 'success',
      });
    });

    it('002 §1.1, §3.10: an adult’s nationality and immigration status and the child’s legal status are recorded and shown', async () => {
      const added = await client.post(
        `/children/${ava}/family/new`,
        newPerson({
          givenNames: 'Nadia',
          familyName: 'Sibling',
          relationship: 'mother',
          parentalResponsibility: 'yes',
          nationality: 'Polish',
          immigrationStatus: 'Pre-settled status',
        }),
        { fromPage: `/children/${ava}/family/new` },
      );
      expect(added.statusCode).toBe(303);
      const row = familyRow((await client.get(`/children/${ava}`)).body, 'Nadia Sibling');
      expect(row).toContain('Polish<br>Pre-settled status');

      const [child] = await ctx.services.database.db.select().from(children).where(eq(children.id, ava));
      const fields = {
        givenNames: 'Ava',
        familyName: 'Sibling',
        birthStatus: 'born',
        'dateOfBirth-day': String(Number(child!.dateOfBirth!.slice(8, 10))),
        'dateOfBirth-month': String(Number(child!.dateOfBirth!.slice(5, 7))),
        'dateOfBirth-year': child!.dateOfBirth!.slice(0, 4),
        address: child!.address,
        localReference: child!.localReference,
        allocatedSocialWorkerId: sw.id,
        version: String(child!.version),
      };
      await client.get(`/children/${ava}/change`);
      const bad = await client.post(`/children/${ava}/change`, {
        ...fields,
        legalStatus: 'other',
        legalStatusDetails: '',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('<a href="#legalStatusDetails">Enter the child’s legal status</a>');
      expect(bad.body).toMatch(/<option value="other" selected>/);
      const saved = await client.post(`/children/${ava}/change`, { ...fields, legalStatus: 'interim-care-order' });
      expect(saved.statusCode).toBe(303);
      const record = (await client.get(`/children/${ava}`)).body.replace(/\s+/g, ' ');
      expect(record).toMatch(/Legal status <\/dt> <dd class="govuk-summary-list__value"> Interim care order/);
      expect((await auditRows(ctx, 'child.update')).at(-1)?.details).toMatchObject({ fields: ['legalStatus'] });
    });

    it('adds professionals (with a new agency) and case notes, newest first', async () => {
      const prof = await client.post(
        `/children/${ava}/professionals/new`,
        {
          name: 'Hana Visitor',
          roleTitle: 'Health visitor',
          agencyId: '',
          newAgencyName: 'Testtown Health',
          newAgencyKind: 'health_visitor',
          email: '',
          phone: '',
        },
        { fromPage: `/children/${ava}/professionals/add` },
      );
      expect(prof.statusCode).toBe(303);
      const bad = await client.post(
        `/children/${ava}/professionals/new`,
        { name: '', roleTitle: 'GP', agencyId: '', newAgencyName: '', newAgencyKind: '' },
        { fromPage: `/children/${ava}/professionals/add` },
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('<a href="#name">');
      expect(bad.body).toContain('<a href="#agencyId">');
      expect(bad.body).toContain('value="GP"');
      const crafted = await client.post(
        `/children/${ava}/professionals/new`,
        { name: 'X', roleTitle: 'GP', agencyId: 'not-an-id' },
        { fromPage: `/children/${ava}/professionals/add` },
      );
      expect(crafted.statusCode).toBe(400);
      expect(crafted.body).toContain('<a href="#agencyId">Select an agency from the list</a>');

      // The same professional found by name and added to the sibling.
      const found = await client.post(
        `/children/${ben}/professionals/search`,
        { professionalName: 'hana' },
        { fromPage: `/children/${ben}/professionals/add` },
      );
      expect(found.body).toContain('Hana Visitor');
      const professionalId = /name="professionalId" value="([^"]+)"/.exec(found.body)![1]!;
      const linked = await client.post(`/children/${ben}/professionals/link`, { professionalId });
      expect(linked.statusCode).toBe(303);
      expect((await client.get(`/children/${ben}`)).body).toContain('Testtown Health (Health visitor)');

      await client.post(
        `/children/${ava}/case-notes/new`,
        { text: 'First note' },
        { fromPage: `/children/${ava}/case-notes/new` },
      );
      ctx.clock.advance(60_000);
      const empty = await client.post(
        `/children/${ava}/case-notes/new`,
        { text: '  ' },
        { fromPage: `/children/${ava}/case-notes/new` },
      );
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('<a href="#text">Enter the case note</a>');
      await client.post(
        `/children/${ava}/case-notes/new`,
        { text: 'Second note\nwith <b>two</b> lines' },
        { fromPage: `/children/${ava}/case-notes/new` },
      );
      const page = (await client.get(`/children/${ava}`)).body;
      expect(page.indexOf('Second note')).toBeLessThan(page.indexOf('First note'));
      expect(page).toContain('Second note<br />\nwith &lt;b&gt;two&lt;/b&gt; lines');
      expect((await auditRows(ctx, 'case-note.add')).filter((r) => r.subjectId === ava)).toHaveLength(2);
      expect((await auditRows(ctx, 'professional.add')).filter((r) => r.subjectId === ben)).toHaveLength(1);
    });
  });

  describe('who sees which child', () => {
    let mine: string;
    let theirs: string;
    let restricted: string;

    beforeAll(async () => {
      mine = await addChild(ctx, sw, { givenNames: 'Vic', familyName: 'Visible' });
      theirs = await addChild(ctx, otherSw, { givenNames: 'Val', familyName: 'Visible' });
      restricted = await addChild(ctx, otherSw, {
        givenNames: 'Rae',
        familyName: 'Visible',
        restricted: true,
        namedStaffIds: [chair.id],
      });
    });

    const search = async (actor: Actor, form: Record<string, string>) => {
      const client = await clientFor(ctx, app, actor);
      const res = await client.post(
        '/children',
        { name: '', reference: '', 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '', ...form },
        { fromPage: '/children' },
      );
      expect(res.statusCode).toBe(200);
      return res.body;
    };

    it('a social worker finds only the children allocated to them', async () => {
      const body = await search(sw, { name: 'visible' });
      expect(body).toContain(`/children/${mine}`);
      expect(body).not.toContain(`/children/${theirs}`);
      expect(body).not.toContain(`/children/${restricted}`);
      expect(body).toContain('1 child found');
    });

    it('a restricted child is found only by named staff and the allocated social worker', async () => {
      const named = await search(chair, { name: 'Rae' });
      expect(named).toContain(`/children/${restricted}`);
      expect(await search(otherSw, { name: 'rae visible' })).toContain(`/children/${restricted}`);
      expect(await search(otherChair, { name: 'Rae' })).not.toContain(`/children/${restricted}`);
      const bs = await search(support, { name: 'visible' });
      expect(bs).toContain(`/children/${mine}`);
      expect(bs).toContain(`/children/${theirs}`);
      expect(bs).not.toContain(`/children/${restricted}`);
    });

    it('searches by date of birth and by reference, and checks the date', async () => {
      const [row] = await ctx.services.database.db.select().from(children).where(eq(children.id, mine));
      expect(await search(sw, { reference: row!.localReference.toLowerCase() })).toContain(`/children/${mine}`);
      expect(
        await search(support, { 'dateOfBirth-day': '1', 'dateOfBirth-month': '4', 'dateOfBirth-year': '2018' }),
      ).toContain(`/children/${theirs}`);
      const client = await clientFor(ctx, app, sw);
      const bad = await client.post(
        '/children',
        { name: '', reference: '', 'dateOfBirth-day': '31', 'dateOfBirth-month': '2', 'dateOfBirth-year': '2018' },
        { fromPage: '/children' },
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('<a href="#dateOfBirth-day">Date of birth must be a real date</a>');
      const none = await client.post('/children', {
        name: '',
        reference: '',
        'dateOfBirth-day': '',
        'dateOfBirth-month': '',
        'dateOfBirth-year': '',
      });
      expect(none.statusCode).toBe(400);
      expect(none.body).toContain('<a href="#name">Enter a name, date of birth or local case reference</a>');
      // Each search is audited with which kinds of criteria were used, how many children were found and
      // their ids, never the name, date of birth or reference searched for. Asserted field by field: ids,
      // hashes and request ids are random and may contain any of the searched text.
      const searches = await auditRows(ctx, 'child.search');
      expect(searches.length).toBeGreaterThan(0);
      const searchedFor = ['visible', 'rae', '2018', row!.localReference.toLowerCase()];
      for (const audited of searches) {
        expect(Object.keys(audited.details).sort()).toEqual(['childIds', 'criteria', 'resultCount']);
        expect(Array.isArray(audited.details['criteria'])).toBe(true);
        for (const criterion of audited.details['criteria'] as unknown[])
          expect(['name', 'dateOfBirth', 'reference']).toContain(criterion);
        for (const id of audited.details['childIds'] as unknown[])
          expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(typeof audited.details['resultCount']).toBe('number');
        // The free-text columns: who searched, and what kind of event it was.
        const text = [audited.actorLabel, audited.subjectType ?? '', audited.outcome].join(' ').toLowerCase();
        for (const term of searchedFor) expect(text).not.toContain(term);
        if (audited.subjectId !== null)
          expect(audited.subjectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      }
    });

    it('opening a child the user may not see shows the 403 page and audits the denial', async () => {
      const client = await clientFor(ctx, app, sw);
      for (const id of [theirs, restricted]) {
        const res = await client.get(`/children/${id}`);
        expect(res.statusCode).toBe(403);
        expect(res.body).toContain('You do not have access to this page');
      }
      const chairClient = await clientFor(ctx, app, otherChair);
      expect((await chairClient.get(`/children/${restricted}`)).statusCode).toBe(403);
      const denied = (await auditRows(ctx, 'child.view')).filter((r) => r.outcome === 'denied');
      expect(denied.map((r) => [r.actorUserId, r.subjectId])).toEqual(
        expect.arrayContaining([
          [sw.id, theirs],
          [sw.id, restricted],
          [otherChair.id, restricted],
        ]),
      );
      // A change attempt on a child the user cannot see is refused and audited too.
      const change = await client.post(
        `/children/${theirs}/case-notes/new`,
        { text: 'x' },
        { fromPage: `/children/${mine}/case-notes/new` },
      );
      expect(change.statusCode).toBe(403);
      expect(
        (await auditRows(ctx, 'case-note.add')).some((r) => r.outcome === 'denied' && r.subjectId === theirs),
      ).toBe(true);
    });

    it('an unknown or malformed id is a 404, and roles without casework are refused', async () => {
      const client = await clientFor(ctx, app, sw);
      expect((await client.get('/children/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
      expect((await client.get('/children/not-an-id')).statusCode).toBe(404);
      const auditor = await clientFor(ctx, app, await staff(ctx, 'Aud Itor', ['auditor']));
      expect((await auditor.get('/children')).statusCode).toBe(403);
      const qa = await clientFor(ctx, app, await staff(ctx, 'Quinn Assure', ['qa_manager']));
      expect((await qa.get(`/children/${mine}`)).statusCode).toBe(200);
      expect((await qa.get(`/children/${mine}/change`)).statusCode).toBe(403);
    });
  });

  describe('changing a child’s details', () => {
    it('saves a change, audits field names, and rejects a stale form without overwriting', async () => {
      const id = await addChild(ctx, sw, { givenNames: 'Sol', familyName: 'Stale' });
      const client = await clientFor(ctx, app, sw);
      const form = await client.get(`/children/${id}/change`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('name="version" value="1"');
      const fields = {
        givenNames: 'Sol',
        familyName: 'Stale',
        birthStatus: 'born',
        'dateOfBirth-day': '1',
        'dateOfBirth-month': '4',
        'dateOfBirth-year': '2018',
        address: '2 New Road',
        localReference: (await ctx.services.database.db.select().from(children).where(eq(children.id, id)))[0]!
          .localReference,
        nationality: '',
        immigrationStatus: '',
        allocatedSocialWorkerId: sw.id,
        version: '1',
      };

      // Someone else saves first.
      await ctx.services.people.updateChild(
        support,
        id,
        1,
        { address: '3 Other Lane' },
        { actor: { id: support.id, label: support.name } },
      );
      const stale = await client.post(`/children/${id}/change`, fields);
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('This record was changed by someone else after you opened it');
      expect(stale.body).toContain('name="version" value="2"');
      const [row] = await ctx.services.database.db.select().from(children).where(eq(children.id, id));
      expect(row).toMatchObject({ address: '3 Other Lane', version: 2 });

      const saved = await client.post(`/children/${id}/change`, { ...fields, version: '2' });
      expect(saved.statusCode).toBe(303);
      const [after] = await ctx.services.database.db.select().from(children).where(eq(children.id, id));
      expect(after).toMatchObject({ address: '2 New Road', version: 3 });
      const updates = (await auditRows(ctx, 'child.update')).filter((r) => r.subjectId === id);
      expect(updates.map((u) => u.details)).toEqual([
        { fields: ['address'], version: 2 },
        { fields: ['address'], version: 3 },
      ]);

      const invalid = await client.post(`/children/${id}/change`, { ...fields, givenNames: '', version: '3' });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.body).toContain('<a href="#givenNames">Enter the child’s given names</a>');
      expect(invalid.body).toContain('>2 New Road</textarea>');
    });

    it('lets only someone who may manage restriction change it', async () => {
      const id = await addChild(ctx, otherSw, { givenNames: 'Res', familyName: 'Tricted' });
      const client = await clientFor(ctx, app, support);
      const form = await client.get(`/children/${id}/change`);
      expect(form.body).not.toContain('name="restricted"');
      const [row] = await ctx.services.database.db.select().from(children).where(eq(children.id, id));
      const res = await client.post(`/children/${id}/change`, {
        givenNames: 'Res',
        familyName: 'Tricted',
        birthStatus: 'born',
        'dateOfBirth-day': '1',
        'dateOfBirth-month': '4',
        'dateOfBirth-year': '2018',
        address: row!.address,
        localReference: row!.localReference,
        allocatedSocialWorkerId: otherSw.id,
        version: '1',
        restrictionShown: 'yes',
        restricted: 'yes',
      });
      expect(res.statusCode).toBe(403);
      expect((await ctx.services.database.db.select().from(children).where(eq(children.id, id)))[0]!.restricted).toBe(
        false,
      );
      expect((await auditRows(ctx, 'child.update')).some((r) => r.subjectId === id && r.outcome === 'denied')).toBe(
        true,
      );
    });
  });
});
