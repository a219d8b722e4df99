import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { children, people } from '../../infra/db/schema.ts';
import { addChild, auditRows, staff } from '../../../test/support/people.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('children API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let otherSw: Actor;
  let swToken: string;
  let chairToken: string;
  let auditorToken: string;

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    token: string | null,
    payload?: unknown,
  ) =>
    app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Worker', ['social_worker']);
    swToken = await tokenFor(sw);
    chairToken = await tokenFor(await staff(ctx, 'Cal Chair', ['chair']));
    auditorToken = await tokenFor(await staff(ctx, 'Aud Itor', ['auditor']));
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('refuses every route without a token (401)', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [method, url] of [
      ['GET', `/api/v1/children/${id}`],
      ['POST', '/api/v1/children'],
      ['PATCH', `/api/v1/children/${id}`],
      ['POST', '/api/v1/children/search'],
      ['POST', `/api/v1/children/${id}/family-members`],
      ['POST', `/api/v1/children/${id}/professionals`],
      ['GET', `/api/v1/children/${id}/case-notes`],
      ['POST', `/api/v1/children/${id}/case-notes`],
      ['GET', '/api/v1/agencies'],
      ['POST', '/api/v1/agencies'],
      ['GET', '/api/v1/children/staff-choices'],
      ['GET', `/api/v1/children/${id}/family-members/${id}`],
      ['PUT', `/api/v1/children/${id}/family-members/${id}`],
      ['DELETE', `/api/v1/children/${id}/family-members/${id}`],
      ['GET', `/api/v1/children/${id}/sibling-network`],
      ['POST', `/api/v1/children/${id}/people/search`],
      ['GET', `/api/v1/children/${id}/professionals/${id}`],
      ['DELETE', `/api/v1/children/${id}/professionals/${id}`],
      ['POST', `/api/v1/children/${id}/professionals/search`],
    ] as const) {
      const res = await call(method, url, null, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('adds a child (201), defaults the allocation to the social worker, and audits it', async () => {
    const res = await call('POST', '/api/v1/children', swToken, {
      givenNames: 'Ada',
      familyName: 'Api',
      dateOfBirth: '2017-02-03',
      address: '5 Api Street',
      localReference: 'API-1',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      givenNames: 'Ada',
      unborn: false,
      allocatedSocialWorker: { id: sw.id, name: 'Sam Worker' },
      version: 1,
      restricted: false,
    });
    expect((await auditRows(ctx, 'child.create')).some((r) => r.subjectId === body.id)).toBe(true);

    const dup = await call('POST', '/api/v1/children', swToken, {
      givenNames: 'B',
      familyName: 'C',
      dateOfBirth: '2017-02-03',
      address: 'x',
      localReference: 'api-1',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: 'conflict', field: 'localReference' });

    const invalid = await call('POST', '/api/v1/children', swToken, {
      givenNames: '',
      familyName: 'C',
      address: '',
      localReference: 'API-2',
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().issues.map((i: { path: string }) => i.path)).toEqual([
      'givenNames',
      'dateOfBirth',
      'address',
    ]);

    const malformed = await call('POST', '/api/v1/children', swToken, { givenNames: 1 });
    expect(malformed.statusCode).toBe(400);
  });

  it('reads a child with family links (PR per child) and professionals; every read audited', async () => {
    const ava = await addChild(ctx, sw, { givenNames: 'Ava', familyName: 'Api' });
    const ben = await addChild(ctx, sw, { givenNames: 'Ben', familyName: 'Api' });
    const mum = await call('POST', `/api/v1/children/${ava}/family-members`, swToken, {
      person: { givenNames: 'Mo', familyName: 'Api', language: 'Welsh' },
      relationship: 'mother',
      parentalResponsibility: true,
    });
    expect(mum.statusCode).toBe(201);
    const dad = await call('POST', `/api/v1/children/${ava}/family-members`, swToken, {
      person: { givenNames: 'Dev', familyName: 'Api' },
      relationship: 'father',
      parentalResponsibility: false,
    });
    const dadId = dad.json().person.id;
    // The same father reused for the sibling, with PR for him.
    const reuse = await call('POST', `/api/v1/children/${ben}/family-members`, swToken, {
      personId: dadId,
      relationship: 'father',
      parentalResponsibility: true,
    });
    expect(reuse.statusCode).toBe(201);
    expect(await ctx.services.database.db.select().from(people).where(eq(people.givenNames, 'Dev'))).toHaveLength(1);
    const again = await call('POST', `/api/v1/children/${ben}/family-members`, swToken, {
      personId: dadId,
      relationship: 'father',
      parentalResponsibility: true,
    });
    expect(again.statusCode).toBe(409);

    const agency = await call('POST', '/api/v1/agencies', swToken, { name: 'Api Primary School', kind: 'school' });
    expect(agency.statusCode).toBe(201);
    expect(
      (await call('POST', '/api/v1/agencies', swToken, { name: 'api primary school', kind: 'school' })).statusCode,
    ).toBe(409);
    expect((await call('GET', '/api/v1/agencies', swToken)).json().agencies).toContainEqual(agency.json());
    const prof = await call('POST', `/api/v1/children/${ava}/professionals`, swToken, {
      professional: { name: 'Tess Teacher', roleTitle: 'Designated safeguarding lead', agencyId: agency.json().id },
    });
    expect(prof.statusCode).toBe(201);

    const before = (await auditRows(ctx, 'child.view')).length;
    const res = await call('GET', `/api/v1/children/${ava}`, swToken);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(
      body.familyMembers.map(
        (m: {
          person: { givenNames: string };
          relationship: string;
          parentalResponsibility: boolean;
          receivesMinutes: boolean;
        }) => [m.person.givenNames, m.relationship, m.parentalResponsibility, m.receivesMinutes],
      ),
    ).toEqual([
      ['Mo', 'mother', true, true],
      ['Dev', 'father', false, true],
    ]);
    expect(body.professionals).toEqual([
      expect.objectContaining({ name: 'Tess Teacher', agency: expect.objectContaining({ kind: 'school' }) }),
    ]);
    const benBody = (await call('GET', `/api/v1/children/${ben}`, swToken)).json();
    expect(benBody.familyMembers).toEqual([
      expect.objectContaining({ relationship: 'father', parentalResponsibility: true }),
    ]);
    expect((await auditRows(ctx, 'child.view')).length).toBe(before + 2);
  });

  it('refuses PR for a friend (422) and keeps nothing', async () => {
    const id = await addChild(ctx, sw);
    const res = await call('POST', `/api/v1/children/${id}/family-members`, swToken, {
      person: { givenNames: 'Fran', familyName: 'Friend' },
      relationship: 'friend',
      parentalResponsibility: true,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: 'pr_not_possible', field: 'parentalResponsibility' });
    expect(await ctx.services.database.db.select().from(people).where(eq(people.givenNames, 'Fran'))).toHaveLength(0);
    const ok = await call('POST', `/api/v1/children/${id}/family-members`, swToken, {
      person: { givenNames: 'Fran', familyName: 'Friend' },
      relationship: 'friend',
      parentalResponsibility: false,
    });
    expect(ok.json()).toMatchObject({ receivesMinutes: false, parentalResponsibility: false });
  });

  it('403 for a child the user may not see, audited; 403 for a role without casework; 404 for an unknown child', async () => {
    const theirs = await addChild(ctx, otherSw, { givenNames: 'Tia', familyName: 'Theirs' });
    for (const [method, url, payload] of [
      ['GET', `/api/v1/children/${theirs}`, undefined],
      ['GET', `/api/v1/children/${theirs}/case-notes`, undefined],
      ['PATCH', `/api/v1/children/${theirs}`, { version: 1, address: 'x' }],
      ['POST', `/api/v1/children/${theirs}/case-notes`, { text: 'x' }],
      [
        'POST',
        `/api/v1/children/${theirs}/family-members`,
        { person: { givenNames: 'A', familyName: 'B' }, relationship: 'other', parentalResponsibility: false },
      ],
    ] as const) {
      const res = await call(method, url, swToken, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden' });
    }
    expect(
      (await auditRows(ctx, 'child.view')).filter((r) => r.subjectId === theirs && r.outcome === 'denied').length,
    ).toBe(2);
    expect((await auditRows(ctx, 'child.update')).some((r) => r.subjectId === theirs && r.outcome === 'denied')).toBe(
      true,
    );
    expect((await call('GET', `/api/v1/children/${theirs}`, auditorToken)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/children/00000000-0000-4000-8000-000000000000', swToken)).statusCode).toBe(404);

    const search = await call('POST', '/api/v1/children/search', swToken, { name: 'tia' });
    expect(search.json()).toEqual({ results: [], more: false });
    const chairSearch = await call('POST', '/api/v1/children/search', chairToken, { name: 'tia theirs' });
    expect(chairSearch.json().results.map((r: { id: string }) => r.id)).toEqual([theirs]);
    expect((await call('POST', '/api/v1/children/search', swToken, {})).statusCode).toBe(422);
  });

  it('PATCH changes only the given fields and refuses a stale version (409)', async () => {
    const id = await addChild(ctx, sw, { givenNames: 'Pat', familyName: 'Patch', nationality: 'British' });
    const res = await call('PATCH', `/api/v1/children/${id}`, swToken, { version: 1, address: '9 New Street' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ address: '9 New Street', nationality: 'British', version: 2 });
    const stale = await call('PATCH', `/api/v1/children/${id}`, swToken, { version: 1, address: 'Overwritten' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'conflict', field: 'version' });
    const [row] = await ctx.services.database.db.select().from(children).where(eq(children.id, id));
    expect(row).toMatchObject({ address: '9 New Street', version: 2 });
    // Born at last: the expected date gives way to a date of birth.
    const unborn = await addChild(ctx, sw, { dateOfBirth: null, expectedDeliveryDate: '2026-04-01' });
    const born = await call('PATCH', `/api/v1/children/${unborn}`, swToken, { version: 1, dateOfBirth: '2026-03-01' });
    expect(born.json()).toMatchObject({ unborn: false, dateOfBirth: '2026-03-01', expectedDeliveryDate: null });
    expect((await auditRows(ctx, 'child.update')).filter((r) => r.subjectId === id).map((r) => r.details)).toEqual([
      { fields: ['address'], version: 2 },
    ]);
  });

  it('002 §3.10, §1.1: the child’s legal status and a family member’s nationality and immigration status', async () => {
    const id = await addChild(ctx, sw, { givenNames: 'Lee', familyName: 'Legal' });
    expect((await call('GET', `/api/v1/children/${id}`, swToken)).json()).toMatchObject({
      legalStatus: null,
      legalStatusDetails: null,
    });
    const other = await call('PATCH', `/api/v1/children/${id}`, swToken, { version: 1, legalStatus: 'other' });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ field: 'legalStatusDetails' });
    expect(
      (await call('PATCH', `/api/v1/children/${id}`, swToken, { version: 1, legalStatus: 'wardship' })).statusCode,
    ).toBe(400);
    const ok = await call('PATCH', `/api/v1/children/${id}`, swToken, {
      version: 1,
      legalStatus: 'special-guardianship-order',
      legalStatusDetails: 'Made on 3 May 2024',
    });
    expect(ok.json()).toMatchObject({
      legalStatus: 'special-guardianship-order',
      legalStatusDetails: 'Made on 3 May 2024',
      version: 2,
    });
    const mum = await call('POST', `/api/v1/children/${id}/family-members`, swToken, {
      person: { givenNames: 'Lia', familyName: 'Legal', nationality: 'Romanian', immigrationStatus: 'Settled status' },
      relationship: 'mother',
      parentalResponsibility: true,
    });
    expect(mum.statusCode).toBe(201);
    expect(mum.json().person).toMatchObject({ nationality: 'Romanian', immigrationStatus: 'Settled status' });
  });

  it('case notes: add and list newest first', async () => {
    const id = await addChild(ctx, sw);
    expect((await call('POST', `/api/v1/children/${id}/case-notes`, swToken, { text: 'One' })).statusCode).toBe(201);
    ctx.clock.advance(1000);
    await ctx.services.people.addCaseNote(id, 'recording-sent', 'Copy of the recording sent (A-7)', {
      actor: { id: null, label: 'system' },
    });
    const list = await call('GET', `/api/v1/children/${id}/case-notes`, swToken);
    expect(list.json().caseNotes.map((n: { kind: string; text: string }) => [n.kind, n.text])).toEqual([
      ['recording-sent', 'Copy of the recording sent (A-7)'],
      ['note', 'One'],
    ]);
    expect((await call('POST', `/api/v1/children/${id}/case-notes`, swToken, { text: ' ' })).statusCode).toBe(422);
  });

  it('reads, changes and removes a family member’s and a professional’s link; finds people to reuse by name and through siblings', async () => {
    const newChild = async (givenNames: string, localReference: string) =>
      (
        await call('POST', '/api/v1/children', swToken, {
          givenNames,
          familyName: 'Linked',
          dateOfBirth: '2016-04-05',
          address: '9 Link Road',
          localReference,
        })
      ).json().id as string;
    const kit = await newChild('Kit', 'LINK-1');
    const lou = await newChild('Lou', 'LINK-2');
    const added = await call('POST', `/api/v1/children/${kit}/family-members`, swToken, {
      person: { givenNames: 'Mo', familyName: 'Linked', address: '9 Link Road', email: 'mo@example.org' },
      relationship: 'mother',
      parentalResponsibility: true,
    });
    expect(added.statusCode, added.body).toBe(201);
    const mo = added.json().person.id as string;
    const member = `/api/v1/children/${kit}/family-members/${mo}`;

    expect((await call('GET', member, swToken)).json()).toMatchObject({
      person: { id: mo, givenNames: 'Mo' },
      relationship: 'mother',
      parentalResponsibility: true,
    });
    // Kit's brother Lou: Mo is offered through the sibling, and found by name; the search keeps no address.
    const sibling = await call('POST', `/api/v1/children/${lou}/family-members`, swToken, {
      personId: mo,
      relationship: 'mother',
      parentalResponsibility: true,
    });
    expect(sibling.statusCode, sibling.body).toBe(201);
    const third = await newChild('Ray', 'LINK-3');
    await call('POST', `/api/v1/children/${third}/family-members`, swToken, {
      person: { givenNames: 'Sib', familyName: 'Linked' },
      relationship: 'sibling',
      parentalResponsibility: false,
    });
    const found = await call('POST', `/api/v1/children/${third}/people/search`, swToken, { name: 'Mo Linked' });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().results).toEqual([
      { id: mo, givenNames: 'Mo', familyName: 'Linked', dateOfBirth: null, linkedChildren: 2 },
    ]);
    expect(found.body).not.toContain('mo@example.org');
    const empty = await call('POST', `/api/v1/children/${third}/people/search`, swToken, { name: '  ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().issues).toEqual([{ path: 'name', message: 'Enter a name to search for' }]);

    // A change of the link is for this child only; the person's details are shared.
    const changed = await call('PUT', member, swToken, {
      relationship: 'mother',
      parentalResponsibility: false,
      person: { givenNames: 'Maureen', familyName: 'Linked', address: '9 Link Road' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ person: { givenNames: 'Maureen' }, parentalResponsibility: false });
    const lous = (await call('GET', `/api/v1/children/${lou}`, swToken)).json().familyMembers;
    expect(lous).toEqual([
      expect.objectContaining({
        person: expect.objectContaining({ givenNames: 'Maureen' }),
        parentalResponsibility: true,
      }),
    ]);
    expect(
      (await call('PUT', member, swToken, { relationship: 'neighbour', parentalResponsibility: false })).statusCode,
    ).toBe(400);
    expect((await auditRows(ctx, 'relationship.update')).at(-1)).toMatchObject({ subjectId: kit, outcome: 'success' });

    const removed = await call('DELETE', member, swToken);
    expect(removed.statusCode, removed.body).toBe(200);
    expect((await call('GET', member, swToken)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/children/${lou}`, swToken)).json().familyMembers).toHaveLength(1);

    // Professionals: found by name when not yet linked, read and removed from this child only.
    const agency = (
      await call('POST', '/api/v1/agencies', swToken, { name: 'Link Health Centre', kind: 'health' })
    ).json();
    const prof = (
      await call('POST', `/api/v1/children/${kit}/professionals`, swToken, {
        professional: { name: 'Dr Pat Link', roleTitle: 'GP', agencyId: agency.id },
      })
    ).json();
    const profUrl = `/api/v1/children/${kit}/professionals/${prof.id}`;
    expect((await call('GET', profUrl, swToken)).json()).toMatchObject({ id: prof.id, name: 'Dr Pat Link' });
    const profs = await call('POST', `/api/v1/children/${lou}/professionals/search`, swToken, { name: 'pat link' });
    expect(profs.statusCode, profs.body).toBe(200);
    expect(profs.json().results.map((p: { id: string }) => p.id)).toEqual([prof.id]);
    expect((await call('DELETE', profUrl, swToken)).json()).toEqual({ removed: true });
    expect((await call('DELETE', profUrl, swToken)).statusCode).toBe(404);

    // Someone who may not see the child may do none of it, and the refusal is audited.
    expect((await call('GET', `/api/v1/children/${kit}/sibling-network`, chairToken)).statusCode).toBe(200);
    expect((await call('GET', member.replace(kit, lou), auditorToken)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/children/${lou}/family-members/${mo}`, auditorToken)).statusCode).toBe(403);
    const choices = await call('GET', '/api/v1/children/staff-choices', swToken);
    expect(choices.statusCode, choices.body).toBe(200);
    expect(choices.json().socialWorkers).toEqual(expect.arrayContaining([{ id: sw.id, name: 'Sam Worker' }]));
  });

  it('offers the people linked to a child’s brothers and sisters, to link them without typing them again', async () => {
    const make = async (givenNames: string, localReference: string) =>
      (
        await call('POST', '/api/v1/children', swToken, {
          givenNames,
          familyName: 'Network',
          dateOfBirth: '2015-01-02',
          address: '1 Net Lane',
          localReference,
        })
      ).json().id as string;
    const [older, younger] = [await make('Ola', 'NET-1'), await make('Yan', 'NET-2')];
    const dad = (
      await call('POST', `/api/v1/children/${older}/family-members`, swToken, {
        person: { givenNames: 'Dev', familyName: 'Network' },
        relationship: 'father',
        parentalResponsibility: true,
      })
    ).json().person.id as string;
    await call('POST', `/api/v1/children/${older}/family-members`, swToken, {
      person: { givenNames: 'Mia', familyName: 'Network' },
      relationship: 'mother',
      parentalResponsibility: true,
    });
    // Brother and sister: they share a parent with parental responsibility.
    await call('POST', `/api/v1/children/${younger}/family-members`, swToken, {
      personId: dad,
      relationship: 'father',
      parentalResponsibility: true,
    });
    const net = await call('GET', `/api/v1/children/${younger}/sibling-network`, swToken);
    expect(net.statusCode, net.body).toBe(200);
    const offered = net.json().people as Array<{ person: { givenNames: string }; siblingLinks: unknown[] }>;
    // The mother is linked to the sister only; the father, already linked, is not offered again.
    expect(offered.map((p) => p.person.givenNames)).toEqual(['Mia']);
    expect(offered[0]!.siblingLinks).toEqual([
      { childId: older, givenNames: 'Ola', relationship: 'mother', parentalResponsibility: true },
    ]);
    expect((await auditRows(ctx, 'person.search')).at(-1)).toMatchObject({ subjectId: younger, outcome: 'success' });
  });

  it('documents every route in the OpenAPI description', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const [path, method] of [
      ['/api/v1/children/{id}', 'get'],
      ['/api/v1/children/{id}', 'patch'],
      ['/api/v1/children', 'post'],
      ['/api/v1/children/search', 'post'],
      ['/api/v1/children/{id}/family-members', 'post'],
      ['/api/v1/children/{id}/professionals', 'post'],
      ['/api/v1/children/{id}/case-notes', 'get'],
      ['/api/v1/children/{id}/case-notes', 'post'],
      ['/api/v1/agencies', 'get'],
      ['/api/v1/agencies', 'post'],
    ] as const) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.summary).toBeTruthy();
      expect(op.tags.length).toBeGreaterThan(0);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
  });
});
