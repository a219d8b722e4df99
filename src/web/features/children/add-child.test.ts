import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { children } from '../../../infra/db/schema.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';

const form: Record<string, string> = {
  givenNames: 'Ava Rose',
  familyName: 'Example',
  birthStatus: 'born',
  'dateOfBirth-day': '4',
  'dateOfBirth-month': '5',
  'dateOfBirth-year': '2019',
  address: '1 Test Street\nTesttown',
  localReference: 'JOURNEY-1',
  nationality: 'British',
  immigrationStatus: '',
};

describe.each(testDatabases())('adding a child (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let client: WebClient;
  let socialWorkerId: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    ({ client, userId: socialWorkerId } = await signedInClient(ctx, app, {
      email: 'sw.one@example.gov.uk',
      name: 'Sam Worker',
      roles: ['social_worker'],
    }));
    // As a browser posts it: the allocated social worker select defaults to the social worker adding the child.
    form.allocatedSocialWorkerId = socialWorkerId;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('walks the whole journey: errors keep values, check answers, save, view', async () => {
    const start = await client.get('/children/new');
    expect(start.statusCode).toBe(200);
    // A social worker adding a child is allocated to it by default.
    expect(start.body).toMatch(new RegExp(`<option value="${socialWorkerId}" selected>Sam Worker \\(you\\)</option>`));

    const bad = await client.post('/children/new', {
      ...form,
      familyName: ' ',
      'dateOfBirth-month': '',
      localReference: 'bad ref!',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<title>Error: Add a child');
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('<a href="#familyName">Enter the child’s family name</a>');
    expect(bad.body).toContain('<a href="#dateOfBirth-day">Date of birth must include a month</a>');
    expect(bad.body).toMatch(/<a href="#localReference">Local case reference must only include/);
    // Errors listed in page order, values kept.
    expect(bad.body.indexOf('#familyName')).toBeLessThan(bad.body.indexOf('#dateOfBirth-day'));
    expect(bad.body).toContain('value="Ava Rose"');
    expect(bad.body).toContain('value="bad ref!"');
    expect(bad.body).toMatch(
      /name="dateOfBirth-year" type="text" value="2019"|name="dateOfBirth-year"[^>]*value="2019"/,
    );

    const ok = await client.post('/children/new', form);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/children/new/check');
    // Nothing saved before the answers are checked.
    expect(await ctx.services.database.db.select().from(children)).toHaveLength(0);

    const check = await client.get('/children/new/check');
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('govuk-summary-list');
    expect(check.body).toContain('4 May 2019');
    expect(check.body).toContain('JOURNEY-1');
    expect(check.body).toContain('Sam Worker');
    expect(check.body).toContain('href="/children/new/details#givenNames"');
    expect(check.body).toContain('href="/children/new/details#dateOfBirth-day"');

    // "Change" goes back to the form with the answers kept; the URL carries no personal data.
    const change = await client.get('/children/new/details');
    expect(change.statusCode).toBe(200);
    expect(change.body).toContain('value="Ava Rose"');
    await client.post('/children/new', { ...form, nationality: 'Irish' });

    const saved = await client.post('/children/new/check', {});
    expect(saved.statusCode).toBe(303);
    const location = String(saved.headers.location);
    expect(location).toMatch(/^\/children\/[0-9a-f-]{36}$/);
    const id = location.split('/')[2]!;

    const [row] = await ctx.services.database.db.select().from(children);
    expect(row).toMatchObject({
      id,
      givenNames: 'Ava Rose',
      dateOfBirth: '2019-05-04',
      nationality: 'Irish',
      allocatedSocialWorkerId: socialWorkerId,
      version: 1,
    });

    const view = await client.get(location);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('Ava Rose Example');
    expect(view.body).toContain('4 May 2019 (age 6)');

    const created = await auditRows(ctx, 'child.create');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      subjectType: 'child',
      subjectId: id,
      outcome: 'success',
      actorUserId: socialWorkerId,
    });
    const viewed = await auditRows(ctx, 'child.view');
    expect(viewed.some((r) => r.subjectId === id && r.outcome === 'success')).toBe(true);
    // Audit details hold ids and field names, never the child's details.
    const everything = JSON.stringify(await auditRows(ctx));
    for (const secret of ['Ava', 'Test Street', '2019-05-04', 'JOURNEY-1', 'Irish'])
      expect(everything).not.toContain(secret);

    // The draft is gone once saved.
    const after = await client.get('/children/new/check');
    expect(after.statusCode).toBe(303);
  });

  it('adds an unborn child with an expected date of delivery', async () => {
    await client.post('/children/new', {
      ...form,
      birthStatus: 'unborn',
      'expectedDeliveryDate-day': '20',
      'expectedDeliveryDate-month': '7',
      'expectedDeliveryDate-year': '2026',
      localReference: 'UNBORN-1',
    });
    const check = await client.get('/children/new/check');
    expect(check.body).toContain('Unborn: expected date of delivery');
    expect(check.body).toContain('20 July 2026');
    const saved = await client.post('/children/new/check', {});
    const view = await client.get(String(saved.headers.location));
    expect(view.body).toContain('Expected date of delivery 20 July 2026');
  });

  it('says so when the person adding the child may not open it (left unallocated by a social worker)', async () => {
    await client.post(
      '/children/new',
      { ...form, localReference: 'UNALLOCATED-1', allocatedSocialWorkerId: '' },
      { fromPage: '/children/new' },
    );
    const saved = await client.post('/children/new/check', {});
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Child’s record added');
    expect(saved.body).toContain('do not let you open it');
  });

  it('refuses a local case reference already used, whatever its case', async () => {
    const res = await client.post('/children/new', { ...form, localReference: 'journey-1' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<a href="#localReference">A child with this local case reference already exists</a>');
    expect(res.body).toContain('value="journey-1"');
  });

  it('refuses a form posted without its CSRF token, and saves nothing', async () => {
    const before = (await ctx.services.database.db.select().from(children)).length;
    const first = await client.post('/children/new', { ...form, localReference: 'CSRF-1' }, { csrf: false });
    expect(first.statusCode).toBe(403);
    await client.post('/children/new', { ...form, localReference: 'CSRF-2' }, { fromPage: '/children/new' });
    const save = await client.post('/children/new/check', {}, { csrf: false });
    expect(save.statusCode).toBe(403);
    expect(await ctx.services.database.db.select().from(children)).toHaveLength(before);
  });

  it('keeps the draft to the person who typed it', async () => {
    await client.post('/children/new', { ...form, localReference: 'MINE-1' }, { fromPage: '/children/new' });
    const other = await signedInClient(ctx, app, {
      email: 'bs@example.gov.uk',
      name: 'Bo Support',
      roles: ['business_support'],
    });
    // Another person in another browser has no draft, so is sent to the start.
    expect((await other.client.get('/children/new/check')).headers.location).toBe('/children/new');
  });

  it('lets only a team manager, chair or the allocated social worker restrict a record', async () => {
    const support = await signedInClient(ctx, app, {
      email: 'bs@example.gov.uk',
      name: 'Bo Support',
      roles: ['business_support'],
    });
    const page = await support.client.get('/children/new');
    expect(page.body).not.toContain('name="restricted"');
    // Business support may add a child but not restrict it, even with a crafted form.
    const crafted = await support.client.post('/children/new', {
      ...form,
      localReference: 'R-1',
      allocatedSocialWorkerId: socialWorkerId,
      restrictionShown: 'yes',
      restricted: 'yes',
    });
    expect(crafted.statusCode).toBe(400);
    expect(crafted.body).toContain('Only a team manager, a chair or the allocated social worker can restrict a record');

    const manager = await signedInClient(ctx, app, {
      email: 'tm@example.gov.uk',
      name: 'Tia Manager',
      roles: ['team_manager'],
    });
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    const res = await manager.client.post(
      '/children/new',
      {
        ...form,
        localReference: 'R-2',
        allocatedSocialWorkerId: socialWorkerId,
        restrictionShown: 'yes',
        restricted: 'yes',
        namedStaffIds: [chair.id],
      },
      { fromPage: '/children/new' },
    );
    expect(res.statusCode).toBe(303);
    const check = await manager.client.get('/children/new/check');
    // The manager restricting it is named too, so they can still see it.
    expect(check.body).toMatch(
      /seen only by the allocated social worker and: Cal Chair, Tia Manager|Tia Manager, Cal Chair/,
    );
    const saved = await manager.client.post('/children/new/check', {});
    const id = String(saved.headers.location).split('/')[2]!;
    const facts = await ctx.services.uow.run(({ people }) => people.childAccessFacts(id));
    expect(facts?.restricted).toBe(true);
    expect(new Set(facts?.namedStaffIds)).toEqual(new Set([chair.id, manager.userId]));
    const view = await manager.client.get(`/children/${id}`);
    expect(view.body).toContain('Restricted');
  });
});
