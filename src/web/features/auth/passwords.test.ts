import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '../../../infra/mail/test-support.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import { TEST_PASSWORD, WebClient, signedInClient, testApp } from '../../../../test/support/web.ts';

const NEW_PASSWORD = 'a brand new passphrase here';
const ADMIN = { email: 'ada@council.gov.uk', name: 'Ada Admin', roles: ['admin' as const] };

async function auditActions(
  ctx: TestContext,
  userId: string,
): Promise<Array<{ action: string; outcome: string; details: Record<string, unknown> }>> {
  const { rows } = await ctx.services.database.execute(
    `select action, outcome, details from audit_events where subject_id = $1 order by seq`,
    [userId],
  );
  return rows as Array<{ action: string; outcome: string; details: Record<string, unknown> }>;
}

describe.each(testDatabases())('changing and resetting passwords on %s', (kind) => {
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

  it('a person changes their own password: the current one is required, the set-up rules apply, and their other sessions end', async () => {
    const here = await signedInClient(ctx, app, { email: 'cal@council.gov.uk', name: 'Cal Chair', roles: ['chair'] });
    const elsewhere = await signedInClient(ctx, app, {
      email: 'cal@council.gov.uk',
      name: 'Cal Chair',
      roles: ['chair'],
    });

    const wrong = await here.client.post(
      '/account/password',
      { currentPassword: 'not my password', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      { fromPage: '/account/password' },
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Error: Change your password');
    expect(wrong.body).toContain('href="#currentPassword"');
    expect(wrong.body).toContain('Your current password is not correct');
    const weak = await here.client.post(
      '/account/password',
      { currentPassword: TEST_PASSWORD, newPassword: 'short', confirmPassword: 'short' },
      { fromPage: '/account/password' },
    );
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('Password must be 12 characters or more');
    const mismatch = await here.client.post(
      '/account/password',
      { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}!` },
      { fromPage: '/account/password' },
    );
    expect(mismatch.body).toContain('The passwords do not match');
    // Nothing typed comes back in the page: passwords are never echoed.
    expect(mismatch.body).not.toContain(NEW_PASSWORD);

    const ok = await here.client.post(
      '/account/password',
      { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      { fromPage: '/account/password' },
    );
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/account');
    expect((await here.client.get('/account')).body).toContain('Password changed');
    expect((await elsewhere.client.get('/account')).statusCode).toBe(303);
    expect((await ctx.services.accounts.signIn('cal@council.gov.uk', TEST_PASSWORD, {})).ok).toBe(false);
    expect((await ctx.services.accounts.signIn('cal@council.gov.uk', NEW_PASSWORD, {})).ok).toBe(true);

    const audit = await auditActions(ctx, here.userId);
    expect(audit.filter((a) => a.action === 'user.password-change')).toEqual([
      expect.objectContaining({ outcome: 'failure' }),
      expect.objectContaining({ outcome: 'success', details: expect.objectContaining({ sessionsEnded: 1 }) }),
    ]);
  });

  it('an administrator resets a password: the old one stops working, sessions end, and a one-time link is shown once (no email is sent)', async () => {
    const person = await signedInClient(ctx, app, {
      email: 'sam@council.gov.uk',
      name: 'Sam Social',
      roles: ['social_worker'],
    });
    const admin = await signedInClient(ctx, app, ADMIN);

    const res = await admin.client.post(
      `/admin/users/${person.userId}/reset-password`,
      {},
      { fromPage: `/admin/users/${person.userId}` },
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Copy the link now. It will not be shown again.');
    // The page names the person whose password was reset, and leads back to their account.
    expect(res.body).toContain('Sam Social has been signed out everywhere');
    expect(res.body).toContain(`href="/admin/users/${person.userId}">Back to Sam Social</a>`);
    const link = /id="reset-link">([^<]+)</.exec(res.body)![1]!;
    expect(link).toMatch(/^http:\/\/localhost:3000\/set-password\/[A-Za-z0-9_-]{43}$/);
    const path = new URL(link).pathname;
    // Shown once: the person's page does not show it again, and it is stored only hashed.
    expect((await admin.client.get(`/admin/users/${person.userId}`)).body).not.toContain(path);
    const stored = await ctx.services.database.execute(`select token_hash from setup_tokens where user_id = $1`, [
      person.userId,
    ]);
    expect(JSON.stringify(stored.rows)).not.toContain(path.split('/').pop()!);
    // Nothing queued for the outbox: with MAIL_TRANSPORT=outbox no email would reach them.
    expect(await readOutbox(ctx.services.database, { to: 'sam@council.gov.uk', template: 'password-reset' })).toEqual(
      [],
    );

    expect((await person.client.get('/')).statusCode).toBe(303);
    expect((await ctx.services.accounts.signIn('sam@council.gov.uk', TEST_PASSWORD, {})).ok).toBe(false);

    const visitor = new WebClient(app);
    const form = await visitor.get(path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('sam@council.gov.uk');
    const weak = await visitor.post(path, { password: 'short', confirmPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('href="#password"');
    const set = await visitor.post(path, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(set.statusCode).toBe(303);
    expect(set.headers.location).toBe('/sign-in?reason=password-set');
    expect((await ctx.services.accounts.signIn('sam@council.gov.uk', NEW_PASSWORD, {})).ok).toBe(true);

    // Single use.
    expect((await new WebClient(app).get(path)).statusCode).toBe(410);
    const actions = (await auditActions(ctx, person.userId)).map((a) => `${a.action}:${a.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(['user.password-reset:success', 'user.password-set:success']));
  });

  it('a reset link expires after 24 hours, and a newer link replaces an older one', async () => {
    const person = await signedInClient(ctx, app, {
      email: 'tia@council.gov.uk',
      name: 'Tia Team',
      roles: ['team_manager'],
    });
    const first = await ctx.services.accounts.resetPassword(person.userId, { actor: { id: null, label: 'test' } });
    const second = await ctx.services.accounts.resetPassword(person.userId, { actor: { id: null, label: 'test' } });
    if (first.delivery !== 'show-once' || second.delivery !== 'show-once') throw new Error('expected links to show');
    expect((await new WebClient(app).get(new URL(first.link).pathname)).statusCode).toBe(410);
    expect((await new WebClient(app).get(new URL(second.link).pathname)).statusCode).toBe(200);
    ctx.clock.advance(24 * 3_600_000 + 1000);
    const expired = await new WebClient(app).get(new URL(second.link).pathname);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('Ask your service administrator to send you a new one');
  });

  it('a set-up link for a password cannot create the first administrator, nor the other way round', async () => {
    const person = await signedInClient(ctx, app, { email: 'uma@council.gov.uk', name: 'Uma User', roles: ['chair'] });
    const reset = await ctx.services.accounts.resetPassword(person.userId, { actor: { id: null, label: 'test' } });
    if (reset.delivery !== 'show-once') throw new Error('expected a link');
    const token = reset.link.split('/').pop()!;
    expect((await new WebClient(app).get(`/setup/${token}`)).statusCode).toBe(410);
  });
});

describe('a reset link is emailed when the service sends email', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    ctx = await createTestServices(
      'pglite',
      { MAIL_TRANSPORT: 'smtp', SMTP_HOST: 'smtp.council.example', MAIL_FROM: 'cpcr@council.example' },
      { mail: 'manual' },
    );
    app = await testApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('emails the link to the person and never shows it to the administrator', async () => {
    const person = await signedInClient(ctx, app, {
      email: 'vic@council.gov.uk',
      name: 'Vic Worker',
      roles: ['social_worker'],
    });
    const admin = await signedInClient(ctx, app, ADMIN);
    const res = await admin.client.post(
      `/admin/users/${person.userId}/reset-password`,
      {},
      { fromPage: `/admin/users/${person.userId}` },
    );
    expect(res.statusCode).toBe(303);
    const page = await admin.client.get(res.headers.location as string);
    expect(page.body).toContain('We have emailed them a link to set a new password');
    expect(page.body).not.toContain('/set-password/');
    const [email] = await readOutbox(ctx.services.database, { to: 'vic@council.gov.uk', template: 'password-reset' });
    expect(ctx.queuedMail).toContain(email!.id);
    // The email carries the working link; the outbox an administrator can read keeps it only masked.
    const link = /http:\/\/localhost:3000\/set-password\/([A-Za-z0-9_-]{43})/.exec(email!.sealed!.body)![1]!;
    expect(email?.body).toContain('Dear Vic Worker');
    expect(email?.body).toContain('/set-password/••••••••');
    expect(email?.body).not.toContain(link);
    expect((await ctx.services.accounts.passwordLinkFor(link))?.email).toBe('vic@council.gov.uk');
  });
});
