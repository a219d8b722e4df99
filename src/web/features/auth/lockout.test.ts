import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import { TEST_PASSWORD, testApp } from '../../../../test/support/web.ts';

const system = { actor: { id: null, label: 'test' } };

/** A sign-in form post from one client address (no proxy is trusted, so the socket address is the client). */
async function signIn(app: FastifyInstance, from: string, email: string, password: string) {
  // The page's CSRF token and cookie, for the same "browser".
  const page = await app.inject({ method: 'GET', url: '/sign-in', remoteAddress: from });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const res = await app.inject({
    method: 'POST',
    url: '/sign-in',
    remoteAddress: from,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  return {
    status: res.statusCode,
    errorText: /govuk-error-summary__list[\s\S]*?<a[^>]*>([^<]+)</.exec(res.body)?.[1]?.trim() ?? null,
  };
}

describe.each(testDatabases())('sign-in lock-outs on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let max: number;

  beforeAll(async () => {
    ctx = await createTestServices(kind, { SIGN_IN_MAX_ATTEMPTS: '3' });
    app = await testApp(ctx);
    max = ctx.config.signInMaxAttempts;
    for (const name of ['bob', 'cat', 'dee', 'eli', 'fay', 'gus', 'hal', 'ivy', 'jo', 'kim', 'lou']) {
      await ctx.services.accounts.createUser(
        { email: `${name}@council.gov.uk`, name, roles: ['chair'], password: TEST_PASSWORD },
        system,
      );
    }
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('a locked account and an unknown email get the same status and message, so lock-outs do not reveal who has an account', async () => {
    const attacker = '198.51.100.1';
    for (let i = 0; i < max; i++)
      expect((await signIn(app, attacker, 'bob@council.gov.uk', 'wrong password!!')).status).toBe(400);
    const locked = await signIn(app, attacker, 'bob@council.gov.uk', TEST_PASSWORD);
    const unknown = await signIn(app, attacker, 'nobody-here@council.gov.uk', 'wrong password!!');
    expect(locked).toEqual({ status: 400, errorText: 'Enter a correct email address and password' });
    expect(unknown).toEqual(locked);
    // The lock is real: the right password from that address does not get in, and it is audited as locked.
    const { rows } = await ctx.services.database.execute(
      `select details from audit_events where action = 'sign-in' and outcome = 'failure' order by seq desc limit 2`,
    );
    expect(rows.map((r) => (r as { details: { reason: string } }).details.reason)).toEqual(['invalid', 'locked']);
  });

  it('someone failing against an account does not lock its owner out: the owner signs in from their own address', async () => {
    expect((await signIn(app, '203.0.113.20', 'bob@council.gov.uk', TEST_PASSWORD)).status).toBe(303);
  });

  it('an address failing across many accounts is stopped before it can lock them all, and nobody else is locked out', async () => {
    const sprayer = '198.51.100.66';
    const victims = ['cat', 'dee', 'eli', 'fay', 'gus', 'hal', 'ivy', 'jo', 'kim', 'lou'];
    const statuses: number[] = [];
    for (const v of victims)
      for (let i = 0; i < max; i++)
        statuses.push((await signIn(app, sprayer, `${v}@council.gov.uk`, `guess ${i} for ${v}`)).status);
    // Stopped after 3 × the per-account limit, whichever accounts it tried.
    const firstRefusal = statuses.indexOf(429);
    expect(firstRefusal).toBe(max * 3);
    expect(statuses.slice(firstRefusal).every((s) => s === 429)).toBe(true);
    // Every one of those people can still sign in from their own address.
    for (const v of victims)
      expect((await signIn(app, '203.0.113.30', `${v}@council.gov.uk`, TEST_PASSWORD)).status, v).toBe(303);
  });

  it('guessing spread over many addresses locks the account for everyone once the account-wide limit is reached', async () => {
    const target = 'kim@council.gov.uk';
    for (let i = 0; i < max * 10; i++)
      await ctx.services.accounts.signIn(target, `guess ${i}`, { clientAddress: `192.0.2.${i}` });
    expect(await ctx.services.accounts.signIn(target, TEST_PASSWORD, { clientAddress: '203.0.113.99' })).toEqual({
      ok: false,
      reason: 'locked',
    });
    ctx.clock.advance(16 * 60_000);
    expect((await ctx.services.accounts.signIn(target, TEST_PASSWORD, { clientAddress: '203.0.113.99' })).ok).toBe(
      true,
    );
  });

  it('an unknown email costs a password hash, like a real one, so timing does not tell them apart', async () => {
    const seen: Array<string | null> = [];
    const counting = new AccountsService({
      uow: ctx.services.uow,
      hasher: { hash: async () => 'x', verify: async (_password, stored) => (seen.push(stored), false) },
      secrets: { newToken: () => 't', hash: (t) => t },
      clock: ctx.clock,
      settings: {
        sessionIdleMs: 1,
        sessionAbsoluteMs: 1,
        signInMaxAttempts: 3,
        signInWindowMs: 60_000,
        setupLinkTtlMs: 1,
        publicBaseUrl: 'http://x',
        keptFormTtlMs: 1,
      },
      mail: ctx.services.mail,
      addressKey: (a) => `k:${a}`,
    });
    await counting.signIn('nobody-at-all@council.gov.uk', 'whatever it is', { clientAddress: '192.0.2.200' });
    await counting.signIn('lou@council.gov.uk', 'whatever it is', { clientAddress: '192.0.2.200' });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBeNull();
  });
});
