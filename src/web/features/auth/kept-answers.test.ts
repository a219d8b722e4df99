import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptFormCookieName } from '../../plugins/auth.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import {
  TEST_PASSWORD,
  WebClient,
  signInWithSecondFactor,
  signedInClient,
  testApp,
} from '../../../../test/support/web.ts';

const ANNE = { email: 'anne@council.gov.uk', name: 'Anne Chair', roles: ['chair' as const] };
const BEN = { email: 'ben@council.gov.uk', name: 'Ben Support', roles: ['business_support' as const] };
const IDLE = 31 * 60_000;

describe.each(testDatabases())('the session time-out on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    await ctx.services.accounts.createUser({ ...BEN, password: TEST_PASSWORD }, { actor: { id: null, label: 'test' } });
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('signed-in pages carry the time-out warning with the idle time; signed-out pages do not (WCAG 2.2.1)', async () => {
    const { client } = await signedInClient(ctx, app, ANNE);
    const page = await client.get('/account');
    expect(page.body).toContain('id="timeout-warning"');
    expect(page.body).toContain('data-idle-seconds="1800"');
    expect(page.body).toContain('src="/static/timeout-warning.js"');
    expect((await new WebClient(app).get('/sign-in')).body).not.toContain('timeout-warning');
  });

  it('"Stay signed in" extends the session with a CSRF-protected post, and works without JavaScript too', async () => {
    const { client } = await signedInClient(ctx, app, ANNE);
    await client.get('/account');
    const refused = await client.post('/session/extend', {}, { csrf: false });
    expect(refused.statusCode).toBe(403);

    ctx.clock.advance(28 * 60_000);
    const extended = await client.post('/session/extend', { returnTo: '/account' }, { fromPage: '/account' });
    expect(extended.statusCode).toBe(303);
    expect(extended.headers.location).toBe('/account');
    ctx.clock.advance(28 * 60_000);
    expect((await client.get('/account')).statusCode).toBe(200);
  });

  it('a form posted after the session ended keeps what was typed, and after signing in again it can be sent to the same page', async () => {
    const anne = await signedInClient(ctx, app, ANNE);
    const formPage = (await anne.client.get('/account')).body;
    ctx.clock.advance(IDLE);
    // Another tab (or a stray request) after the time-out must not make this form lose what was typed.
    expect((await anne.client.get('/children')).statusCode).toBe(303);
    anne.client.lastHtml = formPage;

    const lapsed = await anne.client.post('/account/tokens', { label: 'Case system', expiresInDays: '365' });
    expect(lapsed.statusCode).toBe(303);
    expect(lapsed.headers.location).toBe('/sign-in?reason=timed-out');
    expect(String(lapsed.headers.location)).not.toContain('Case');
    expect(anne.client.hasCookie(keptFormCookieName(false))).toBe(true);
    expect(await ctx.services.accounts.listApiTokens(anne.userId)).toEqual([]);

    const signInPage = await anne.client.get('/sign-in?reason=timed-out');
    expect(signInPage.body).toContain('Sign in again and your answers will be kept');
    const signIn = await signInWithSecondFactor(ctx, anne.client, { id: anne.userId, email: ANNE.email });
    expect(signIn.headers.location).toBe('/kept-answers');

    const kept = await anne.client.get('/kept-answers');
    expect(kept.statusCode).toBe(200);
    expect(kept.body).toContain('You were signed out');
    expect(kept.body).toContain('Your answers have been kept');
    expect(kept.body).toContain('action="/account/tokens"');
    expect(kept.body).toContain('name="label" value="Case system"');
    expect(kept.body).toContain('name="expiresInDays" value="365"');
    // Sent again with a fresh CSRF token from this page, for the new session.
    const sent = await anne.client.post('/account/tokens', { label: 'Case system', expiresInDays: '365' });
    expect(sent.statusCode).toBe(200);
    expect((await ctx.services.accounts.listApiTokens(anne.userId)).map((t) => t.label)).toEqual(['Case system']);

    // Kept once: nothing is left to show again.
    expect((await anne.client.get('/kept-answers')).headers.location).toBe('/');
    const left = await ctx.services.database.execute(`select count(*)::int as n from kept_forms where user_id = $1`, [
      anne.userId,
    ]);
    expect(left.rows[0]).toEqual({ n: 0 });
  });

  it('someone else signing in on that browser cannot get the first person’s kept answers, and the attempt is audited', async () => {
    const anne = await signedInClient(ctx, app, ANNE);
    await anne.client.get('/account');
    ctx.clock.advance(IDLE);
    await anne.client.post('/account/tokens', { label: 'Anne’s secret system', expiresInDays: '30' });
    expect(anne.client.hasCookie(keptFormCookieName(false))).toBe(true);

    await anne.client.get('/sign-in');
    const benId = (await ctx.services.accounts.findUserByEmail(BEN.email))!.id;
    const ben = await signInWithSecondFactor(ctx, anne.client, { id: benId, email: BEN.email });
    expect(ben.headers.location).toBe('/kept-answers');
    const page = await anne.client.get('/kept-answers');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/');
    expect((await anne.client.get('/')).body).not.toContain('Anne’s secret system');
    const { rows } = await ctx.services.database.execute(
      `select outcome, subject_id from audit_events where action = 'kept-form.restore' order by seq desc limit 1`,
    );
    expect(rows[0]).toEqual({ outcome: 'denied', subject_id: anne.userId });

    // Destroyed, not merely hidden: Anne signing in later finds nothing either.
    const left = await ctx.services.database.execute(`select count(*)::int as n from kept_forms where user_id = $1`, [
      anne.userId,
    ]);
    expect(left.rows[0]).toEqual({ n: 0 });
  });

  it('a form without the old session’s CSRF token is refused and nothing is kept; kept answers expire after an hour', async () => {
    const anne = await signedInClient(ctx, app, ANNE);
    await anne.client.get('/account');
    ctx.clock.advance(IDLE);
    const forged = await anne.client.post('/account/tokens', { label: 'forged', expiresInDays: '30' }, { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect(anne.client.hasCookie(keptFormCookieName(false))).toBe(false);

    const again = await signedInClient(ctx, app, ANNE);
    await again.client.get('/account');
    ctx.clock.advance(IDLE);
    await again.client.post('/account/tokens', { label: 'Too late', expiresInDays: '30' });
    ctx.clock.advance(61 * 60_000);
    await again.client.get('/sign-in');
    await signInWithSecondFactor(ctx, again.client, { id: again.userId, email: ANNE.email });
    expect((await again.client.get('/kept-answers')).headers.location).toBe('/');
  });

  it('passwords are never kept', async () => {
    const anne = await signedInClient(ctx, app, ANNE);
    await anne.client.get('/account/password');
    ctx.clock.advance(IDLE);
    const res = await anne.client.post('/account/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'x'.repeat(20),
      confirmPassword: 'x'.repeat(20),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
    const { rows } = await ctx.services.database.execute(`select fields from kept_forms`);
    expect(JSON.stringify(rows)).not.toContain('x'.repeat(20));
  });
});
