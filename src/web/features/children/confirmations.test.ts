import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { addChild, emailOf, staff } from '../../../../test/support/people.ts';

const BANNER = 'govuk-notification-banner--success';

/** The success banner's heading on a page, or null when the page has none. */
function bannerHeading(html: string): string | null {
  if (!html.includes(BANNER)) return null;
  return /<h3 class="govuk-notification-banner__heading">([^<]+)<\/h3>/.exec(html)?.[1] ?? null;
}

/** Nothing that names the child or the person saved leaves in the redirect or a cookie. */
function expectNoPersonalData(res: LightMyRequestResponse, ...names: string[]): void {
  const leaving = [
    String(res.headers.location ?? ''),
    ...(res.cookies as Array<{ value: string }>).map((c) => decodeURIComponent(c.value)),
  ].join(' ');
  for (const n of names) expect(leaving).not.toContain(n);
}

describe.each(testDatabases())('confirmation banners after saving on a child’s record (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let client: WebClient;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Banner', ['social_worker']);
    client = (await signedInClient(ctx, app, { email: emailOf(sw), name: sw.name, roles: [...sw.roles] })).client;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('after adding a child, the record shows “Child added” once, and not on the next visit', async () => {
    const form = {
      givenNames: 'Nia',
      familyName: 'Bannerman',
      birthStatus: 'born',
      'dateOfBirth-day': '4',
      'dateOfBirth-month': '5',
      'dateOfBirth-year': '2019',
      address: '1 Test Street',
      localReference: 'BANNER-1',
      allocatedSocialWorkerId: sw.id,
    };
    expect((await client.post('/children/new', form, { fromPage: '/children/new' })).statusCode).toBe(303);
    await client.get('/children/new/check');
    const saved = await client.post('/children/new/check', {});
    expect(saved.statusCode).toBe(303);
    expectNoPersonalData(saved, 'Nia', 'Bannerman', 'BANNER-1');
    const record = await client.get(String(saved.headers.location));
    expect(record.statusCode).toBe(200);
    expect(bannerHeading(record.body)).toBe('Child added');
    // Shown once: a reload shows the record without it.
    expect(bannerHeading((await client.get(String(saved.headers.location))).body)).toBeNull();
  });

  it('after changing a child’s details, the record says they were saved', async () => {
    const id = await addChild(ctx, sw, { givenNames: 'Ola', familyName: 'Changed' });
    const form = await client.get(`/children/${id}/change`);
    expect(bannerHeading(form.body)).toBeNull();
    const fields = {
      givenNames: 'Ola',
      familyName: 'Changed',
      birthStatus: 'born',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '4',
      'dateOfBirth-year': '2018',
      address: '2 New Road',
      localReference: /name="localReference"[^>]*value="([^"]+)"/.exec(form.body)![1]!,
      allocatedSocialWorkerId: sw.id,
      version: '1',
    };
    const saved = await client.post(`/children/${id}/change`, fields);
    expect(saved.statusCode).toBe(303);
    expectNoPersonalData(saved, 'Ola', 'Changed', '2 New Road');
    expect(bannerHeading((await client.get(`/children/${id}`)).body)).toBe('Child’s details saved');
  });

  it('after adding and changing a family member, the record confirms each', async () => {
    const id = await addChild(ctx, sw, { givenNames: 'Pip', familyName: 'Family' });
    const person = {
      givenNames: 'Mo',
      familyName: 'Family',
      'dateOfBirth-day': '',
      'dateOfBirth-month': '',
      'dateOfBirth-year': '',
      address: '',
      email: 'mo.family@example.com',
      phone: '',
      language: '',
      accessibilityNeeds: '',
      relationship: 'mother',
      parentalResponsibility: 'yes',
    };
    const added = await client.post(`/children/${id}/family/new`, person, { fromPage: `/children/${id}/family/new` });
    expect(added.statusCode).toBe(303);
    expectNoPersonalData(added, 'Mo', 'mo.family@example.com');
    const record = await client.get(`/children/${id}`);
    expect(bannerHeading(record.body)).toBe('Family member added');

    const personId = new RegExp(`/children/${id}/family/([0-9a-f-]{36})/change`).exec(record.body)![1]!;
    const changed = await client.post(
      `/children/${id}/family/${personId}/change`,
      { ...person, phone: '01234 567890' },
      { fromPage: `/children/${id}/family/${personId}/change` },
    );
    expect(changed.statusCode).toBe(303);
    expect(bannerHeading((await client.get(`/children/${id}`)).body)).toBe('Family member’s details saved');
  });

  it('after adding a professional, the record says “Professional added”; a refused one shows no banner', async () => {
    const id = await addChild(ctx, sw, { givenNames: 'Rae', familyName: 'Professional' });
    const refused = await client.post(
      `/children/${id}/professionals/new`,
      { name: '', roleTitle: 'GP', agencyId: '', newAgencyName: '', newAgencyKind: '' },
      { fromPage: `/children/${id}/professionals/add` },
    );
    expect(refused.statusCode).toBe(400);
    expect(bannerHeading(refused.body)).toBeNull();
    const added = await client.post(
      `/children/${id}/professionals/new`,
      {
        name: 'Hal Visitor',
        roleTitle: 'Health visitor',
        agencyId: '',
        newAgencyName: 'Bannertown Health',
        newAgencyKind: 'health_visitor',
        email: '',
        phone: '',
      },
      { fromPage: `/children/${id}/professionals/add` },
    );
    expect(added.statusCode).toBe(303);
    expectNoPersonalData(added, 'Hal Visitor');
    expect(bannerHeading((await client.get(`/children/${id}`)).body)).toBe('Professional added');
  });

  it('a forged or unknown flash cookie shows nothing', async () => {
    const withCookie = (value: string) =>
      app.inject({ method: 'GET', url: '/sign-in', headers: { cookie: `cpcr_flash=${encodeURIComponent(value)}` } });
    // The same page with a genuine flash shows it, so the checks below would see a banner.
    expect(bannerHeading((await withCookie(app.signCookie('child-added'))).body)).toBe('Child added');
    expect(bannerHeading((await withCookie('child-added')).body)).toBeNull();
    expect(bannerHeading((await withCookie(app.signCookie('toString'))).body)).toBeNull();
    expect(bannerHeading((await withCookie(app.signCookie('Nia Bannerman saved'))).body)).toBeNull();
  });
});
