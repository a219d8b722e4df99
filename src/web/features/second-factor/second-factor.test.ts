/**
 * The second factor of password sign-in through the web pages: setting up an authenticator app (then the
 * recovery codes, shown once), signing in with its code, wrong and replayed codes, a recovery code working
 * once, the lock-out after too many wrong codes, and an administrator's reset. Codes are computed with otplib
 * at the test clock's time, for an explicit time step, so nothing depends on the wall clock.
 */
import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows } from '../../../../test/support/people.ts';
import { codeForStep, enrolTestAuthenticator } from '../../../../test/support/second-factor.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import { TEST_PASSWORD, WebClient, signedInClient, testApp } from '../../../../test/support/web.ts';

const system = { actor: { id: null, label: 'test' } };
const MAX = 3;

/** The error summary's first message. */
const firstError = (html: string) =>
  /govuk-error-summary__list[\s\S]*?<a[^>]*>([^<]+)</.exec(html)?.[1]?.trim() ?? null;

describe.each(testDatabases())('Second factor on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const step = () => Math.floor(ctx.clock.now().getTime() / 30_000);

  beforeAll(async () => {
    ctx = await createTestServices(kind, { SIGN_IN_MAX_ATTEMPTS: String(MAX) });
    app = await testApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  async function newUser(name: string) {
    return ctx.services.accounts.createUser(
      { email: `${name}@council.gov.uk`, name, roles: ['chair'], password: TEST_PASSWORD },
      system,
    );
  }

  /** The password step from a fresh browser: lands on the second factor's page. */
  async function passwordStep(email: string, returnTo?: string) {
    const client = new WebClient(app);
    const res = await client.post(
      '/sign-in',
      { email, password: TEST_PASSWORD, ...(returnTo ? { returnTo } : {}) },
      { fromPage: '/sign-in' },
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/sign-in/second-factor?returnTo=${encodeURIComponent(returnTo ?? '/')}`);
    return client;
  }

  it('someone with no second factor must set up an authenticator app before any page; the codes are shown once', async () => {
    const ann = await newUser('ann');
    const client = await passwordStep(ann.email, '/account');
    // Nothing else works on the password alone: pages send them to the second factor.
    for (const path of ['/', '/account', '/children'])
      expect((await client.get(path)).headers.location).toMatch(/^\/sign-in\/second-factor/);
    expect((await client.get('/sign-in/second-factor?returnTo=%2Faccount')).headers.location).toBe(
      '/second-factor/set-up?returnTo=%2Faccount',
    );
    const page = await client.get('/second-factor/set-up?returnTo=%2Faccount');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Set up an authenticator app');
    const secret = /data-totp-secret>([\s\S]*?)<\/p>/.exec(page.body)![1]!.replace(/<[^>]+>|\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(page.body).toContain('otpauth://totp/');
    // A QR code to scan, drawn on the server as inline SVG (no script), holding exactly the otpauth link with
    // this secret; described in text for screen readers, with the key still shown to type in.
    const uri = /href="(otpauth:\/\/totp\/[^"]+)"/.exec(page.body)![1]!.replaceAll('&amp;', '&');
    expect(uri).toContain(`secret=${secret}`);
    const qr = /<div[^>]*data-totp-qr>([\s\S]*?)<\/div>/.exec(page.body);
    expect(qr?.[0]).toMatch(/role="img" aria-label="QR code holding the key/);
    expect(qr![1]).toMatch(/^<svg aria-hidden="true"[^>]*>[\s\S]*<\/svg>\s*$/);
    const drawn = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
    expect(qr![1]!.replace(/^<svg [^>]*>/, '').trim()).toBe(drawn.replace(/^<svg [^>]*>/, '').trim());
    expect(
      QRCode.create(uri, { errorCorrectionLevel: 'M' })
        .segments.map((seg) => Buffer.from(seg.data).toString())
        .join(''),
    ).toBe(uri);
    // The same secret on a second visit (one already in the app keeps working), stored sealed, never in clear.
    expect((await client.get('/second-factor/set-up')).body).toContain(secret.slice(0, 4));
    const { rows } = await ctx.services.database.execute(`select secret_sealed from totp_factors where user_id = $1`, [
      ann.id,
    ]);
    expect((rows[0] as { secret_sealed: string }).secret_sealed).not.toContain(secret);

    const wrong = await client.post('/second-factor/set-up', { code: '000000', returnTo: '/account' });
    expect(wrong.statusCode).toBe(400);
    expect(firstError(wrong.body)).toBe(
      'The code is not correct. Enter the 6-digit code your authenticator app shows now',
    );

    const code = await generate({ secret, epoch: Math.floor(ctx.clock.now().getTime() / 1000) });
    const done = await client.post('/second-factor/set-up', { code, returnTo: '/account' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Your recovery codes');
    const codes = [...done.body.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]);
    expect(new Set(codes).size).toBe(10);
    expect(done.body).toContain('href="/account"');
    expect((await client.get('/account')).statusCode).toBe(200);
    // Stored as digests only.
    const stored = await ctx.services.database.execute(`select code_hash from recovery_codes where user_id = $1`, [
      ann.id,
    ]);
    expect(JSON.stringify(stored.rows)).not.toContain(codes[0]!.replace('-', ''));
    const enrolled = (await auditRows(ctx, 'second-factor.enrol')).filter((r) => r.subjectId === ann.id);
    expect(enrolled.map((r) => r.outcome)).toEqual(['failure', 'success']);
    expect(JSON.stringify(enrolled)).not.toContain(secret);
  });

  it('a code from the app signs in and goes to the page asked for; a wrong code and a code already used are refused', async () => {
    const bo = await newUser('bo');
    const { secret } = await enrolTestAuthenticator(ctx, bo.id); // confirmed with this step's code
    const client = await passwordStep(bo.email, '/account');
    await client.get('/sign-in/second-factor?returnTo=%2Faccount');

    const wrong = await client.post('/sign-in/second-factor', { code: '123 456', returnTo: '/account' });
    expect(wrong.statusCode).toBe(400);
    expect(firstError(wrong.body)).toMatch(/^The code is not correct/);
    // The code that confirmed the app was this step's: it cannot be used again.
    const replayed = await client.post('/sign-in/second-factor', {
      code: await codeForStep(secret, step()),
      returnTo: '/account',
    });
    expect(replayed.statusCode).toBe(400);
    expect(firstError(replayed.body)).toMatch(/^That code has already been used/);

    // The next step's code (a phone clock a little ahead) is accepted once.
    const next = await codeForStep(secret, step() + 1);
    const ok = await client.post('/sign-in/second-factor', { code: next, returnTo: '/account' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/account');
    expect((await client.get('/account')).statusCode).toBe(200);

    const again = await passwordStep(bo.email);
    await again.get('/sign-in/second-factor');
    expect((await again.post('/sign-in/second-factor', { code: next })).statusCode).toBe(400);
    const verified = (await auditRows(ctx, 'second-factor.verify')).filter((r) => r.subjectId === bo.id);
    expect(verified.map((r) => [r.outcome, (r.details as { reason?: string }).reason ?? null])).toEqual([
      ['failure', 'invalid'],
      ['failure', 'replayed'],
      ['success', null],
      ['failure', 'replayed'],
    ]);
  });

  it('the session waiting for the second factor is replaced: its cookie is worth nothing afterwards', async () => {
    const cy = await newUser('cy');
    const { secret } = await enrolTestAuthenticator(ctx, cy.id);
    const client = await passwordStep(cy.email);
    const waiting = client.cookieHeader();
    await client.get('/sign-in/second-factor');
    expect(
      (await client.post('/sign-in/second-factor', { code: await codeForStep(secret, step() + 1) })).statusCode,
    ).toBe(303);
    expect(client.cookieHeader()).not.toBe(waiting);
    const old = await app.inject({ method: 'GET', url: '/account', headers: { cookie: waiting } });
    expect(old.headers.location).toMatch(/^\/sign-in/);
  });

  it('a recovery code signs in once, is audited, and does not work a second time', async () => {
    const di = await newUser('di');
    const { recoveryCodes } = await enrolTestAuthenticator(ctx, di.id);
    const typed = recoveryCodes[0]!.toUpperCase().replace('-', ' ');
    const client = await passwordStep(di.email);
    await client.get('/sign-in/second-factor');
    const ok = await client.post('/sign-in/second-factor', { code: typed });
    expect(ok.statusCode).toBe(303);
    expect((await client.get('/')).body).toContain('You signed in with a recovery code');
    const used = (await auditRows(ctx, 'second-factor.recovery-code-use')).filter((r) => r.subjectId === di.id);
    expect(used.map((r) => r.details)).toEqual([{ recoveryCodesLeft: 9 }]);

    const again = await passwordStep(di.email);
    await again.get('/sign-in/second-factor');
    const refused = await again.post('/sign-in/second-factor', { code: recoveryCodes[0]! });
    expect(refused.statusCode).toBe(400);
    expect(firstError(refused.body)).toMatch(/^The code is not correct/);
  });

  it('wrong codes lock out like wrong passwords: the waiting session ends and the password is refused from there too', async () => {
    const ed = await newUser('ed');
    const { secret } = await enrolTestAuthenticator(ctx, ed.id);
    const client = await passwordStep(ed.email);
    await client.get('/sign-in/second-factor');
    // Codes from two steps either side of now are outside the window, so as wrong as any other.
    const wrong = ['000000', await codeForStep(secret, step() + 2), await codeForStep(secret, step() - 2)];
    for (const code of wrong.slice(0, MAX))
      expect((await client.post('/sign-in/second-factor', { code })).statusCode).toBe(400);
    // Even the right code is refused now, and the waiting session is over.
    const locked = await client.post('/sign-in/second-factor', { code: await codeForStep(secret, step() + 1) });
    expect(locked.headers.location).toBe('/sign-in?reason=locked');
    expect((await client.get('/sign-in?reason=locked')).body).toContain('There were too many wrong security codes');
    expect((await client.get('/sign-in/second-factor')).headers.location).toBe('/sign-in');
    // The same address and account are locked for the password too (the failures count together).
    expect(await ctx.services.accounts.signIn(ed.email, TEST_PASSWORD, { clientAddress: '127.0.0.1' })).toEqual({
      ok: false,
      reason: 'locked',
    });
    const failures = (await auditRows(ctx, 'second-factor.verify')).filter((r) => r.subjectId === ed.id);
    expect(failures.map((r) => (r.details as { reason: string }).reason)).toEqual([
      'invalid',
      'invalid',
      'invalid',
      'locked',
    ]);
    ctx.clock.advance(16 * 60_000);
    const later = await passwordStep(ed.email);
    await later.get('/sign-in/second-factor');
    expect((await later.post('/sign-in/second-factor', { code: await codeForStep(secret, step()) })).statusCode).toBe(
      303,
    );
  });

  it('an administrator resets sign-in security with a reason: audited, signed out, set up again at next sign-in', async () => {
    const admin = await signedInClient(ctx, app, { email: 'ada@council.gov.uk', name: 'Ada Admin', roles: ['admin'] });
    const fay = await newUser('fay');
    const fayClient = await signedInClient(ctx, app, fay);
    expect((await fayClient.client.get('/account')).statusCode).toBe(200);

    const url = `/admin/users/${fay.id}/sign-in-security`;
    expect((await admin.client.get(`/admin/users/${fay.id}`)).body).toContain(`href="${url}"`);
    const page = await admin.client.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Reset sign-in security');
    const noReason = await admin.client.post(url, { reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(firstError(noReason.body)).toBe('Enter why the sign-in security is being reset');
    expect((await ctx.services.secondFactor.status(fay.id)).enrolled).toBe(true);

    const done = await admin.client.post(
      url,
      { reason: 'New phone; recovery codes lost (called her desk line)' },
      { fromPage: url },
    );
    expect(done.headers.location).toBe(`/admin/users/${fay.id}`);
    expect((await admin.client.get(`/admin/users/${fay.id}`)).body).toContain('Sign-in security reset');
    expect(await ctx.services.secondFactor.status(fay.id)).toEqual({
      authenticatorApp: false,
      passkeys: 0,
      recoveryCodesLeft: 0,
      enrolled: false,
    });
    expect((await fayClient.client.get('/account')).headers.location).toMatch(/^\/sign-in/);
    const [reset] = (await auditRows(ctx, 'second-factor.reset')).filter((r) => r.subjectId === fay.id);
    expect(reset!.actorUserId).toBe(admin.userId);
    expect(reset!.details).toMatchObject({
      reason: 'New phone; recovery codes lost (called her desk line)',
      removed: { authenticatorApp: true, recoveryCodes: 10, passkeys: 0 },
    });

    const next = await passwordStep(fay.email);
    expect((await next.get('/sign-in/second-factor')).headers.location).toBe('/second-factor/set-up?returnTo=%2F');
  });

  it('only an administrator may reset someone’s sign-in security', async () => {
    const gil = await signedInClient(ctx, app, { email: 'gil@council.gov.uk', name: 'Gil', roles: ['chair'] });
    const res = await gil.client.post(
      `/admin/users/${gil.userId}/sign-in-security`,
      { reason: 'x' },
      { fromPage: '/account' },
    );
    expect(res.statusCode).toBe(403);
    expect((await ctx.services.secondFactor.status(gil.userId)).enrolled).toBe(true);
  });

  it('the account’s sign-in security page lists passkeys and gives new recovery codes, the old ones stopping', async () => {
    const hal = await newUser('hal');
    const { recoveryCodes } = await enrolTestAuthenticator(ctx, hal.id);
    const { client } = await signedInClient(ctx, app, hal);
    const page = await client.get('/account/sign-in-security');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('You have no passkeys.');
    expect(page.body).toContain('src="/static/simplewebauthn-browser.js"');
    const renewed = await client.post('/account/sign-in-security/recovery-codes', {});
    expect(renewed.statusCode).toBe(200);
    const fresh = [...renewed.body.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]!);
    expect(fresh).toHaveLength(10);
    const old = await passwordStep(hal.email);
    await old.get('/sign-in/second-factor');
    expect((await old.post('/sign-in/second-factor', { code: recoveryCodes.at(-1)! })).statusCode).toBe(400);
    expect((await old.post('/sign-in/second-factor', { code: fresh[0]! })).statusCode).toBe(303);
    const bundle = await app.inject({ method: 'GET', url: '/static/simplewebauthn-browser.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body).toContain('SimpleWebAuthnBrowser');
  });
});
