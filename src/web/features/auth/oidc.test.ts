import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../infra/db/schema.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import { ProviderBrowser, type TestProvider, startTestProvider } from '../../../../test/support/oidc-provider.ts';
import { WebClient, signedInClient, testApp } from '../../../../test/support/web.ts';
import { sessionCookieName } from '../../plugins/auth.ts';
import { flowCookieName } from './oidc.ts';

const BASE = 'http://localhost:3000';

const PEOPLE = {
  'chair-1': { name: 'Cara Chair', email: 'cara.chair@council.gov.uk', groups: ['g-chairs', 'g-other'] },
  'new-1': { name: 'Nia New', email: 'nia.new@council.gov.uk', groups: ['g-other'] },
  'replay-1': { name: 'Rhys Replay', email: 'rhys@council.gov.uk', groups: ['g-support'] },
  'state-1': { name: 'Sam State', email: 'sam@council.gov.uk', groups: ['g-chairs'] },
  'nonce-1': { name: 'Nat Nonce', email: 'nat@council.gov.uk', groups: ['g-chairs'] },
  'out-1': { name: 'Olu Out', email: 'olu@council.gov.uk', groups: ['g-chairs'] },
  'taken-1': { name: 'Tom Taken', email: 'ada.admin@council.gov.uk', groups: ['g-chairs'] },
  'council-pw-1': { name: 'Cal Council', email: 'cal.council@council.gov.uk', groups: ['g-chairs'] },
};

describe.each(testDatabases())('signing in with the council’s identity provider on %s', (kind) => {
  let provider: TestProvider;
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    provider = await startTestProvider({ serviceBaseUrl: BASE, people: PEOPLE });
    ctx = await createTestServices(
      kind,
      provider.env({ OIDC_ROLE_GROUPS: 'chair=g-chairs,business_support=g-support' }),
    );
    app = await testApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
    await provider.close();
  });

  /** The service's button, then the provider's pages; returns the callback the provider sent the browser to. */
  async function throughProvider(client: WebClient, login: string, tamper?: (url: URL) => void) {
    const start = await client.get('/sign-in/council');
    expect(start.statusCode).toBe(303);
    const url = new URL(String(start.headers.location));
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    tamper?.(url);
    return new ProviderBrowser(BASE).signIn(url.href, login);
  }

  const audits = async (action: string) =>
    (await ctx.services.database.db.select().from(auditEvents)).filter((e) => e.action === action);

  it('signs in someone whose council groups give them a role, with that role, and audits it', async () => {
    const client = new WebClient(app);
    expect((await client.get('/sign-in')).body).toContain('Sign in with your council account');
    const callback = await throughProvider(client, 'chair-1');
    expect(callback).toMatch(/^\/sign-in\/council\/callback\?/);
    const back = await client.get(callback);
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe('/');
    expect(client.hasCookie(sessionCookieName(false))).toBe(true);
    expect(client.hasCookie(flowCookieName(false))).toBe(false);

    const user = await ctx.services.accounts.findUserByEmail('cara.chair@council.gov.uk');
    expect(user).toMatchObject({ name: 'Cara Chair', roles: ['chair'], disabledAt: null, passwordHash: null });
    const home = await client.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Signed in as Cara Chair');

    expect(await audits('user.create')).toContainEqual(
      expect.objectContaining({ subjectId: user!.id, details: expect.objectContaining({ via: 'council-sign-in' }) }),
    );
    expect(await audits('sign-in')).toContainEqual(
      expect.objectContaining({ subjectId: user!.id, outcome: 'success', details: { via: 'council' } }),
    );
  });

  it('makes a new person’s account disabled and waiting for roles until an administrator gives it some', async () => {
    const client = new WebClient(app);
    const refused = await client.get(await throughProvider(client, 'new-1'));
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Your account is waiting for an administrator');
    expect(client.hasCookie(sessionCookieName(false))).toBe(false);
    const waiting = await ctx.services.accounts.findUserByEmail('nia.new@council.gov.uk');
    expect(waiting).toMatchObject({ roles: [], disabledAt: expect.any(Date) });

    const { client: admin } = await signedInClient(ctx, app, {
      email: 'ada.admin@council.gov.uk',
      name: 'Ada Admin',
      roles: ['admin'],
    });
    expect((await admin.get('/admin/users')).body).toContain('Waiting for roles');
    const page = await admin.get(`/admin/users/${waiting!.id}`);
    expect(page.body).toContain('Give roles and enable the account');
    expect(page.body).toContain('Their council account, last on');
    const none = await admin.post(`/admin/users/${waiting!.id}/give-roles`, {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select at least one role');
    const given = await admin.post(`/admin/users/${waiting!.id}/give-roles`, { roles: ['social_worker'] });
    expect(given.statusCode).toBe(303);
    expect(await ctx.services.accounts.getUser(waiting!.id)).toMatchObject({
      roles: ['social_worker'],
      disabledAt: null,
    });

    const again = new WebClient(app);
    const back = await again.get(await throughProvider(again, 'new-1'));
    expect(back.statusCode).toBe(303);
    expect(again.hasCookie(sessionCookieName(false))).toBe(true);
    // Only one account for the one council identity.
    expect((await ctx.services.accounts.listUsers()).filter((u) => u.email === 'nia.new@council.gov.uk')).toHaveLength(
      1,
    );
  });

  it('refuses a callback whose state is not the one this browser was given, and audits it', async () => {
    const client = new WebClient(app);
    const callback = await throughProvider(client, 'state-1', (url) => url.searchParams.set('state', 'not-the-state'));
    const res = await client.get(callback);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('was not for the sign-in started in this browser');
    expect(client.hasCookie(sessionCookieName(false))).toBe(false);
    expect(await ctx.services.accounts.findUserByEmail('sam@council.gov.uk')).toBeNull();
    expect(await audits('sign-in')).toContainEqual(
      expect.objectContaining({ outcome: 'denied', details: { via: 'council', reason: 'state' } }),
    );
  });

  it('refuses an ID token whose nonce is not the one this browser was given', async () => {
    const client = new WebClient(app);
    const callback = await throughProvider(client, 'nonce-1', (url) => url.searchParams.set('nonce', 'another-nonce'));
    const res = await client.get(callback);
    expect(res.statusCode).toBe(400);
    expect(client.hasCookie(sessionCookieName(false))).toBe(false);
    expect(await ctx.services.accounts.findUserByEmail('nat@council.gov.uk')).toBeNull();
    expect(await audits('sign-in')).toContainEqual(
      expect.objectContaining({ outcome: 'denied', details: { via: 'council', reason: 'nonce' } }),
    );
  });

  it('refuses a callback used a second time, even with the browser’s cookie of the first', async () => {
    const client = new WebClient(app);
    const callback = await throughProvider(client, 'replay-1');
    const cookiesBefore = client.cookieHeader();
    expect((await client.get(callback)).statusCode).toBe(303);
    const replay = await app.inject({ method: 'GET', url: callback, headers: { cookie: cookiesBefore } });
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain('has already been used');
    expect(replay.cookies.find((c) => c.name === sessionCookieName(false) && c.value)).toBeUndefined();
    expect(await audits('sign-in')).toContainEqual(
      expect.objectContaining({ outcome: 'denied', details: { via: 'council', reason: 'no-flow' } }),
    );
  });

  it('never joins a council identity to an account by its email address', async () => {
    const client = new WebClient(app);
    const res = await client.get(await throughProvider(client, 'taken-1'));
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('An account already uses your email address');
    const admin = await ctx.services.accounts.findUserByEmail('ada.admin@council.gov.uk');
    expect(await ctx.services.councilSignIn!.service.identityOf(admin!.id)).toBeNull();
  });

  it('signs out of the service, then of the provider, and back to the sign-in page', async () => {
    const client = new WebClient(app);
    expect((await client.get(await throughProvider(client, 'out-1'))).statusCode).toBe(303);
    await client.get('/');
    const out = await client.post('/sign-out', {});
    expect(out.statusCode).toBe(303);
    const endSession = new URL(String(out.headers.location));
    expect(endSession.origin).toBe(provider.issuer);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/sign-in/council/signed-out`);
    expect(endSession.searchParams.has('id_token_hint')).toBe(false);
    expect(client.hasCookie(sessionCookieName(false))).toBe(false);
    expect((await client.get('/')).statusCode).toBe(303);

    const landing = await new ProviderBrowser(BASE).signIn(endSession.href, 'out-1');
    expect(landing).toBe('/sign-in/council/signed-out');
    const signedOut = await client.get(landing);
    expect(signedOut.headers.location).toBe('/sign-in?reason=signed-out');
  });

  it('offers no password reset or change for a council account, and refuses one all the same', async () => {
    const client = new WebClient(app);
    expect((await client.get(await throughProvider(client, 'council-pw-1'))).statusCode).toBe(303);
    const cal = (await ctx.services.accounts.findUserByEmail('cal.council@council.gov.uk'))!;
    // Their own pages say where their password is changed, and offer no form for it.
    const account = await client.get('/account');
    expect(account.body).not.toContain('href="/account/password"');
    expect(account.body).toContain('You sign in with your council account');
    const form = await client.get('/account/password');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('there is no password here to change');
    expect(form.body).not.toContain('name="newPassword"');
    const own = await client.post('/account/password', {
      currentPassword: 'anything at all',
      newPassword: 'a brand new passphrase',
      confirmPassword: 'a brand new passphrase',
    });
    expect(own.statusCode).toBe(400);
    expect(own.body).toContain('You sign in with your council account, so there is no password here to change');

    // An administrator sees no reset button, and a reset sent anyway is refused with the reason; nothing changes.
    const { client: admin } = await signedInClient(ctx, app, {
      email: 'abe.admin@council.gov.uk',
      name: 'Abe Admin',
      roles: ['admin'],
    });
    const page = await admin.get(`/admin/users/${cal.id}`);
    expect(page.body).not.toContain('/reset-password');
    expect(page.body).not.toContain('Reset password');
    expect(page.body).toContain('They sign in with their council account, so this service has no password');
    const reset = await admin.post(`/admin/users/${cal.id}/reset-password`, {});
    expect(reset.statusCode).toBe(400);
    expect(reset.body).toContain('This person signs in with their council account, so there is no password here');
    await expect(ctx.services.accounts.resetPassword(cal.id, { actor: { id: null, label: 'cli' } })).rejects.toThrow(
      /signs in with their council account/,
    );
    expect((await audits('user.password-reset')).filter((e) => e.subjectId === cal.id)).toEqual([]);
    expect(client.hasCookie(sessionCookieName(false))).toBe(true);
    expect((await client.get('/account')).statusCode).toBe(200);

    // A password account keeps its reset.
    const abe = (await ctx.services.accounts.findUserByEmail('abe.admin@council.gov.uk'))!;
    expect((await admin.get(`/admin/users/${abe.id}`)).body).toContain('Reset password');
  });
});

describe('OIDC_ONLY: everyone signs in with the council’s provider but the break-glass administrator', () => {
  let provider: TestProvider;
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    provider = await startTestProvider({ serviceBaseUrl: BASE, people: PEOPLE });
    ctx = await createTestServices(
      'pglite',
      provider.env({ OIDC_ONLY: 'true', OIDC_DISPLAY_NAME: 'Northshire Council' }),
    );
    app = await testApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
    await provider.close();
  });

  it('keeps the password form for administrators only', async () => {
    const page = await new WebClient(app).get('/sign-in');
    expect(page.body).toContain('Sign in with Northshire Council');
    expect(page.body).toContain('Administrators: sign in with a password');

    const { client } = await signedInClient(ctx, app, { email: 'ada@council.gov.uk', name: 'Ada', roles: ['admin'] });
    expect(client.hasCookie(sessionCookieName(false))).toBe(true);
    await expect(
      signedInClient(ctx, app, { email: 'sol@council.gov.uk', name: 'Sol', roles: ['social_worker'] }),
    ).rejects.toThrow(/sign-in failed: 400/);
  });
});
