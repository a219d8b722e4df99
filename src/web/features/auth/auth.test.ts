import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookieName } from '../../plugins/auth.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import {
  TEST_PASSWORD,
  WebClient,
  signInWithSecondFactor,
  signedInClient,
  testApp,
} from '../../../../test/support/web.ts';

const TEMPORARY = 'temporary password from admin';

describe.each(testDatabases())('accounts, sessions and access on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const cookie = sessionCookieName(false);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('first run: a single-use set-up link creates the first administrator', async () => {
    const token = await ctx.services.accounts.createSetupLinkIfNeeded({ actor: { id: null, label: 'system' } });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const client = new WebClient(app);
    const page = await client.get(`/setup/${token}`);
    expect(page.statusCode).toBe(200);

    const weak = await client.post(`/setup/${token}`, {
      name: 'Ada Admin',
      email: 'ada@council.gov.uk',
      password: 'short',
      confirmPassword: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('Error: Create the first administrator account');
    expect(weak.body).toContain('href="#password"');
    expect(weak.body).toContain('value="ada@council.gov.uk"');

    const ok = await client.post(`/setup/${token}`, {
      name: 'Ada Admin',
      email: 'ada@council.gov.uk',
      password: TEST_PASSWORD,
      confirmPassword: TEST_PASSWORD,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Administrator account created');

    // Used once: the same link is now refused, and no second link is offered while an admin exists.
    expect((await new WebClient(app).get(`/setup/${token}`)).statusCode).toBe(410);
    expect(await ctx.services.accounts.createSetupLinkIfNeeded({ actor: { id: null, label: 'system' } })).toBeNull();
  });

  it('signs in, shows pages to the right roles only, and signs out', async () => {
    const { client } = await signedInClient(ctx, app, {
      email: 'ada@council.gov.uk',
      name: 'Ada Admin',
      roles: ['admin'],
    });
    expect(client.hasCookie(cookie)).toBe(true);
    const home = await client.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.headers['cache-control']).toBe('no-store');
    expect(home.headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[0-9a-f]+'/);
    const nonce = /nonce-([0-9a-f]+)/.exec(String(home.headers['content-security-policy']))![1];
    expect(home.body).toContain(`nonce="${nonce}"`);
    expect((await client.get('/admin/users')).statusCode).toBe(200);

    const out = await client.post('/sign-out', {});
    expect(out.statusCode).toBe(303);
    expect(client.hasCookie(cookie)).toBe(false);
    const after = await client.get('/admin/users');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/sign-in?returnTo=%2Fadmin%2Fusers');
  });

  it('default deny: a social worker is refused the administration pages and the denial is audited', async () => {
    const { client, userId } = await signedInClient(ctx, app, {
      email: 'sam@council.gov.uk',
      name: 'Sam Social',
      roles: ['social_worker'],
    });
    const res = await client.get('/admin/users');
    expect(res.statusCode).toBe(403);
    const rows = await ctx.services.database.execute(
      `select outcome, details from audit_events where actor_user_id = $1 and action = 'route.access'`,
      [userId],
    );
    expect(rows.rows).toEqual([expect.objectContaining({ outcome: 'denied' })]);
  });

  it('wrong password is refused with one message for every failure, and audited', async () => {
    const client = new WebClient(app);
    const res = await client.post(
      '/sign-in',
      { email: 'ada@council.gov.uk', password: 'not the password' },
      { fromPage: '/sign-in' },
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter a correct email address and password');
    const unknown = await client.post(
      '/sign-in',
      { email: 'nobody@council.gov.uk', password: 'whatever it is' },
      { fromPage: '/sign-in' },
    );
    expect(unknown.body).toContain('Enter a correct email address and password');
    const failures = await ctx.services.database.execute(
      `select count(*)::int as n from audit_events where action = 'sign-in' and outcome = 'failure'`,
    );
    expect((failures.rows[0] as { n: number }).n).toBeGreaterThanOrEqual(2);
  });

  it('locks an account after too many failures within the window, even with the right password', async () => {
    await ctx.services.accounts.createUser(
      { email: 'lee@council.gov.uk', name: 'Lee Locked', roles: ['chair'], password: TEST_PASSWORD },
      { actor: { id: null, label: 'test' } },
    );
    const max = ctx.config.signInMaxAttempts;
    for (let i = 0; i < max; i++) {
      const r = await ctx.services.accounts.signIn('lee@council.gov.uk', 'wrong password!!', {});
      expect(r.ok).toBe(false);
    }
    const locked = await ctx.services.accounts.signIn('lee@council.gov.uk', TEST_PASSWORD, {});
    expect(locked).toEqual({ ok: false, reason: 'locked' });
    ctx.clock.advance(16 * 60_000);
    expect((await ctx.services.accounts.signIn('lee@council.gov.uk', TEST_PASSWORD, {})).ok).toBe(true);
  });

  it('CSRF: a form posted without a token is refused with 403 and changes nothing', async () => {
    const { client } = await signedInClient(ctx, app, {
      email: 'ada@council.gov.uk',
      name: 'Ada Admin',
      roles: ['admin'],
    });
    const res = await client.post(
      '/admin/users/new',
      { name: 'Eve', email: 'eve@council.gov.uk', roles: 'chair', password: TEST_PASSWORD },
      { csrf: false },
    );
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Your form could not be sent');
    expect(await ctx.services.accounts.findUserByEmail('eve@council.gov.uk')).toBeNull();

    // A token minted for another session is refused too.
    const other = new WebClient(app);
    await other.get('/sign-in');
    const foreign = other.csrfToken();
    const res2 = await app.inject({
      method: 'POST',
      url: '/sign-out',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(foreign)}`,
    });
    expect(res2.statusCode).toBe(403);

    const ok = await client.post(
      '/admin/users/new',
      { name: 'Eve Chair', email: 'eve@council.gov.uk', roles: ['chair', 'qa_manager'], password: TEMPORARY },
      { fromPage: '/admin/users/new' },
    );
    expect(ok.statusCode).toBe(303);
    expect((await ctx.services.accounts.findUserByEmail('eve@council.gov.uk'))?.roles).toEqual(['chair', 'qa_manager']);
  });

  it('a password set by an administrator must be changed at first sign-in, before anything else', async () => {
    const eve = new WebClient(app);
    const eveId = (await ctx.services.accounts.findUserByEmail('eve@council.gov.uk'))!.id;
    // After the password and the second factor, the first stop is choosing their own password.
    const signIn = await signInWithSecondFactor(
      ctx,
      eve,
      { id: eveId, email: 'eve@council.gov.uk' },
      { password: TEMPORARY, returnTo: '/account' },
    );
    expect(signIn.headers.location).toBe('/account/password');
    // Every other page, and every form, sends them back until they have chosen their own password.
    for (const path of ['/', '/account', '/children'])
      expect((await eve.get(path)).headers.location).toBe('/account/password');
    const page = await eve.get('/account/password');
    expect(page.body).toContain('Your password was set by an administrator');
    const tokenPost = await eve.post(
      '/account/tokens',
      { label: 'x', expiresInDays: '30' },
      { fromPage: '/account/password' },
    );
    expect(tokenPost.headers.location).toBe('/account/password');

    const changed = await eve.post(
      '/account/password',
      { currentPassword: TEMPORARY, newPassword: TEST_PASSWORD, confirmPassword: TEST_PASSWORD },
      { fromPage: '/account/password' },
    );
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe('/');
    const home = await eve.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Password changed');
  });

  it('sessions end after 30 minutes idle and at the absolute limit', async () => {
    const { client } = await signedInClient(ctx, app, {
      email: 'eve@council.gov.uk',
      name: 'Eve Chair',
      roles: ['chair'],
    });
    ctx.clock.advance(29 * 60_000);
    expect((await client.get('/')).statusCode).toBe(200);
    ctx.clock.advance(31 * 60_000);
    expect((await client.get('/')).statusCode).toBe(303);

    const again = await signedInClient(ctx, app, { email: 'eve@council.gov.uk', name: 'Eve Chair', roles: ['chair'] });
    for (let elapsed = 0; elapsed < ctx.config.sessionAbsoluteMs; elapsed += 25 * 60_000) {
      ctx.clock.advance(25 * 60_000);
      expect((await again.client.get('/')).statusCode).toBe(200);
    }
    ctx.clock.advance(60_000);
    expect((await again.client.get('/')).statusCode).toBe(303);
  });

  it('disabling an account ends its sessions at once and stops its API tokens', async () => {
    const { client, userId } = await signedInClient(ctx, app, {
      email: 'dan@council.gov.uk',
      name: 'Dan Disabled',
      roles: ['business_support'],
    });
    const { token } = await ctx.services.accounts.createApiToken(userId, 'integration', null, {
      actor: { id: userId, label: 'Dan' },
    });
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(200);

    const admin = await signedInClient(ctx, app, { email: 'ada@council.gov.uk', name: 'Ada Admin', roles: ['admin'] });
    const res = await admin.client.post(`/admin/users/${userId}/disable`, {}, { fromPage: `/admin/users/${userId}` });
    expect(res.statusCode).toBe(303);

    expect((await client.get('/')).statusCode).toBe(303);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(401);
    expect((await ctx.services.accounts.signIn('dan@council.gov.uk', TEST_PASSWORD, {})).ok).toBe(false);
  });

  it('an API token of someone whose password is temporary is refused with 403 and audited, until they choose their own', async () => {
    const ctxCli = { actor: { id: null, label: 'cli:test' } };
    const tom = await ctx.services.accounts.createUser(
      {
        email: 'tom@council.gov.uk',
        name: 'Tom Temporary',
        roles: ['social_worker'],
        password: TEMPORARY,
        mustChangePassword: true,
      },
      ctxCli,
    );
    // As `cpcr token create` does for a newly created account.
    const { token } = await ctx.services.accounts.createApiToken(tom.id, 'case system', 30, ctxCli);
    const bearer = { authorization: `Bearer ${token}` };

    for (const [method, url] of [
      ['GET', '/api/v1/me'],
      ['POST', '/api/v1/children/search'],
    ] as const) {
      const refused = await app.inject({
        method,
        url,
        headers: bearer,
        ...(method === 'POST' ? { payload: { query: 'Smith' } } : {}),
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({
        error: 'password_change_required',
        message: expect.stringContaining('choose a new one'),
      });
    }
    const denials = await ctx.services.database.execute(
      `select actor_user_id, details from audit_events where action = 'api-token.use' and outcome = 'denied' and actor_user_id = $1`,
      [tom.id],
    );
    expect(denials.rows).toHaveLength(2);
    const details = (denials.rows as { details: { route: string; reason: string } }[]).map((r) => r.details);
    expect(details.map((d) => d.route).sort()).toEqual(['GET /api/v1/me', 'POST /api/v1/children/search']);
    expect(details.every((d) => d.reason === 'password-change-required')).toBe(true);
    expect(JSON.stringify(denials.rows)).not.toContain(token);

    // Once they have chosen their own password on the website, the same token works.
    const client = new WebClient(app);
    await signInWithSecondFactor(ctx, client, { id: tom.id, email: 'tom@council.gov.uk' }, { password: TEMPORARY });
    const changed = await client.post(
      '/account/password',
      { currentPassword: TEMPORARY, newPassword: TEST_PASSWORD, confirmPassword: TEST_PASSWORD },
      { fromPage: '/account/password' },
    );
    expect(changed.headers.location).toBe('/');
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: tom.id });
  });

  it('API tokens are shown once, stored hashed, and revocable', async () => {
    const { client, userId } = await signedInClient(ctx, app, {
      email: 'eve@council.gov.uk',
      name: 'Eve Chair',
      roles: ['chair'],
    });
    const created = await client.post(
      '/account/tokens',
      { label: 'Case system', expiresInDays: '30' },
      { fromPage: '/account' },
    );
    expect(created.statusCode).toBe(200);
    const token = /id="api-token">([^<]+)</.exec(created.body)![1]!;
    expect(token).toMatch(/^cpcr_/);
    const stored = await ctx.services.database.execute(`select token_hash from api_tokens where user_id = $1`, [
      userId,
    ]);
    expect(JSON.stringify(stored.rows)).not.toContain(token);

    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ id: userId, roles: ['chair', 'qa_manager'] });
    expect((await client.get('/account')).body).not.toContain(token);

    const [record] = await ctx.services.accounts.listApiTokens(userId);
    await client.post(`/account/tokens/${record!.id}/revoke`, {}, { fromPage: '/account' });
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(401);

    ctx.clock.advance(31 * 86_400_000);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer cpcr_nonsense' } }))
        .statusCode,
    ).toBe(401);
    const failures = await ctx.services.database.execute(
      `select details from audit_events where action = 'api-token.use' and outcome = 'failure'`,
    );
    expect(failures.rows.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(failures.rows)).not.toContain('cpcr_');
  });

  it('every route declares who may use it (default deny)', async () => {
    const { buildApp } = await import('../../app.ts');
    const bad = await buildApp(ctx.services, { logger: false });
    expect(() => bad.get('/undeclared', async () => 'x')).toThrow(/declares no access rule/);
    await bad.close();
  });
});
