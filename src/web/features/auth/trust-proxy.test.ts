import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, createTestServices } from '../../../../test/support/services.ts';
import { testApp } from '../../../../test/support/web.ts';

/** Posts to /sign-in from the proxy at 127.0.0.1 with the given X-Forwarded-For; returns the status. */
async function signInFrom(app: FastifyInstance, forwardedFor: string): Promise<number> {
  const res = await app.inject({
    method: 'POST',
    url: '/sign-in',
    remoteAddress: '127.0.0.1',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor },
    payload: 'email=a%40b.gov.uk&password=x',
  });
  return res.statusCode;
}

describe('the sign-in rate limit and X-Forwarded-For (TRUST_PROXY)', () => {
  describe('with no proxy configured (the default)', () => {
    let ctx: TestContext;
    let app: FastifyInstance;
    beforeAll(async () => {
      ctx = await createTestServices('pglite');
      app = await testApp(ctx);
    });
    afterAll(async () => {
      await app.close();
      await ctx.dispose();
    });

    it('a client that rotates X-Forwarded-For is still one client: the 31st attempt in 15 minutes is refused', async () => {
      const statuses: number[] = [];
      for (let i = 1; i <= 31; i++) statuses.push(await signInFrom(app, `198.51.100.${i}`));
      expect(statuses.slice(0, 30).every((s) => s !== 429)).toBe(true);
      expect(statuses[30]).toBe(429);
    });
  });

  describe('with the proxy at 127.0.0.1 trusted', () => {
    let ctx: TestContext;
    let app: FastifyInstance;
    beforeAll(async () => {
      ctx = await createTestServices('pglite', { TRUST_PROXY: '127.0.0.1' });
      app = await testApp(ctx);
    });
    afterAll(async () => {
      await app.close();
      await ctx.dispose();
    });

    it('the address the proxy reports is the client: different clients are counted apart, one client is limited', async () => {
      for (let i = 1; i <= 31; i++) expect(await signInFrom(app, `198.51.100.${i}`)).not.toBe(429);
      const same: number[] = [];
      for (let i = 1; i <= 31; i++) same.push(await signInFrom(app, '203.0.113.7'));
      expect(same[29]).not.toBe(429);
      expect(same[30]).toBe(429);
    });

    it('a hop the proxy did not add is not believed: the client cannot prepend its own address', async () => {
      // "spoofed, real" as the trusted proxy appends the real address: only the last hop counts.
      const statuses: number[] = [];
      for (let i = 1; i <= 31; i++) statuses.push(await signInFrom(app, `192.0.2.${i}, 203.0.113.50`));
      expect(statuses[30]).toBe(429);
    });
  });
});
