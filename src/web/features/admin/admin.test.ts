import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import { TEST_PASSWORD, signedInClient, testApp } from '../../../../test/support/web.ts';

const ADMIN = { email: 'ada@council.gov.uk', name: 'Ada Admin', roles: ['admin' as const] };
const system = { actor: { id: null, label: 'test' } };

describe.each(testDatabases())('Administration › Users on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('shows roles in words, and confirms a new user with a banner on their page', async () => {
    const admin = await signedInClient(ctx, app, ADMIN);
    const created = await admin.client.post(
      '/admin/users/new',
      { name: 'Bo Support', email: 'bo@council.gov.uk', roles: ['business_support'], password: 'temporary for bo!' },
      { fromPage: '/admin/users/new' },
    );
    expect(created.statusCode).toBe(303);
    const bo = (await ctx.services.accounts.findUserByEmail('bo@council.gov.uk'))!;
    expect(bo.mustChangePassword).toBe(true);
    expect(created.headers.location).toBe(`/admin/users/${bo.id}`);
    const page = await admin.client.get(`/admin/users/${bo.id}`);
    expect(page.body).toContain('User added');
    expect(page.body).toContain('Conference business support officer');
    expect(page.body).not.toMatch(/>\s*business_support\s*</);
    const list = await admin.client.get('/admin/users');
    expect(list.body).toContain('Conference business support officer');
    expect(list.body).not.toContain('User added');
    const account = await (
      await signedInClient(ctx, app, { email: 'cy@council.gov.uk', name: 'Cy', roles: ['qa_manager'] })
    ).client.get('/account');
    expect(account.body).toContain('Quality assurance service manager');
    expect(account.body).not.toContain('qa_manager');
  });

  it('edits a name and email address: audited, unique whatever the case, with clear errors that keep what was typed', async () => {
    const admin = await signedInClient(ctx, app, ADMIN);
    const dee = await ctx.services.accounts.createUser(
      { email: 'dee@council.gov.uk', name: 'Dee Social', roles: ['social_worker'], password: TEST_PASSWORD },
      system,
    );
    const url = `/admin/users/${dee.id}`;

    const empty = await admin.client.post(`${url}/details`, { name: '  ', email: 'not an email' }, { fromPage: url });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Error: Dee Social');
    expect(empty.body).toContain('href="#name"');
    expect(empty.body).toContain('Enter the person’s full name');
    expect(empty.body).toContain('href="#email"');
    expect(empty.body).toContain('value="not an email"');

    const taken = await admin.client.post(
      `${url}/details`,
      { name: 'Dee Social-Worker', email: 'ADA@council.gov.uk' },
      { fromPage: url },
    );
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toContain('Another account already uses this email address');
    expect(taken.body).toContain('value="Dee Social-Worker"');
    expect((await ctx.services.accounts.getUser(dee.id)).email).toBe('dee@council.gov.uk');

    const saved = await admin.client.post(
      `${url}/details`,
      { name: 'Dee Social-Worker', email: 'dee.sw@council.gov.uk' },
      { fromPage: url },
    );
    expect(saved.statusCode).toBe(303);
    const page = await admin.client.get(url);
    expect(page.body).toContain('Details saved');
    expect(page.body).toContain('dee.sw@council.gov.uk');
    expect((await ctx.services.accounts.signIn('dee.sw@council.gov.uk', TEST_PASSWORD, {})).ok).toBe(true);

    const { rows } = await ctx.services.database.execute(
      `select details, actor_label from audit_events where action = 'user.details' and subject_id = $1`,
      [dee.id],
    );
    expect(rows).toEqual([{ details: { changed: ['name', 'email'] }, actor_label: 'Ada Admin' }]);
  });

  it('disabling revokes API tokens for good: re-enabling the account does not bring them back (audited)', async () => {
    const admin = await signedInClient(ctx, app, ADMIN);
    const eli = await ctx.services.accounts.createUser(
      { email: 'eli@council.gov.uk', name: 'Eli Chair', roles: ['chair'], password: TEST_PASSWORD },
      system,
    );
    const { token } = await ctx.services.accounts.createApiToken(eli.id, 'integration', null, system);
    const me = () => app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect((await me()).statusCode).toBe(200);

    await admin.client.post(`/admin/users/${eli.id}/disable`, {}, { fromPage: `/admin/users/${eli.id}` });
    expect((await admin.client.get(`/admin/users/${eli.id}`)).body).toContain('Account disabled');
    const enabled = await admin.client.post(
      `/admin/users/${eli.id}/enable`,
      {},
      { fromPage: `/admin/users/${eli.id}` },
    );
    expect(enabled.statusCode).toBe(303);
    expect((await admin.client.get(`/admin/users/${eli.id}`)).body).toContain('Account enabled');

    expect((await me()).statusCode).toBe(401);
    expect((await ctx.services.accounts.listApiTokens(eli.id))[0]?.revokedAt).not.toBeNull();
    const { rows } = await ctx.services.database.execute(
      `select action, details from audit_events where subject_id = $1 and action in ('user.disable', 'user.enable') order by seq`,
      [eli.id],
    );
    expect(rows).toEqual([
      { action: 'user.disable', details: { sessionsEnded: 0, tokensRevoked: 1 } },
      { action: 'user.enable', details: { tokensRevoked: 0 } },
    ]);
  });

  it('roles saved show a confirmation', async () => {
    const admin = await signedInClient(ctx, app, ADMIN);
    const fay = await ctx.services.accounts.createUser(
      { email: 'fay@council.gov.uk', name: 'Fay', roles: ['chair'], password: TEST_PASSWORD },
      system,
    );
    await admin.client.post(
      `/admin/users/${fay.id}/roles`,
      { roles: ['chair', 'auditor'] },
      { fromPage: `/admin/users/${fay.id}` },
    );
    expect((await admin.client.get(`/admin/users/${fay.id}`)).body).toContain('Roles saved');
  });

  it('P-9: an administrator gives someone the legal adviser role; they then see open covert recording incidents, not children', async () => {
    const admin = await signedInClient(ctx, app, ADMIN);
    const form = await admin.client.get('/admin/users/new');
    expect(form.body).toMatch(/value="legal_adviser"[^>]*>\s*<label[^>]*>\s*Legal adviser\s*</);
    const lee = await ctx.services.accounts.createUser(
      { email: 'lee@council.gov.uk', name: 'Lee Legal', roles: ['social_worker'], password: TEST_PASSWORD },
      system,
    );
    const saved = await admin.client.post(
      `/admin/users/${lee.id}/roles`,
      { roles: ['legal_adviser'] },
      { fromPage: `/admin/users/${lee.id}` },
    );
    expect(saved.statusCode).toBe(303);
    expect((await ctx.services.accounts.findUserByEmail('lee@council.gov.uk'))!.roles).toEqual(['legal_adviser']);
    const page = await admin.client.get(`/admin/users/${lee.id}`);
    expect(page.body).toContain('Roles saved');
    expect(page.body).toMatch(/value="legal_adviser" checked/);
    const legal = await signedInClient(ctx, app, {
      email: 'lee@council.gov.uk',
      name: 'Lee Legal',
      roles: ['legal_adviser'],
    });
    const home = await legal.client.get('/account');
    expect(home.body).toContain('Legal adviser');
    expect(home.body).toContain('href="/recording-incidents"');
    expect(home.body).not.toContain('href="/children"');
    expect((await legal.client.get('/')).body).toContain('Open covert recording incidents');
    expect((await legal.client.get('/recording-incidents')).statusCode).toBe(200);
    expect((await legal.client.get('/children')).statusCode).toBe(403);
    expect((await legal.client.get('/dashboard')).statusCode).toBe(403);
  });
});
