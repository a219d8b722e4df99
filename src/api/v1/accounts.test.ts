/**
 * The accounts API: an administrator resets someone's sign-in security, the same use case as the
 * administrators' page. Anyone else is refused (403, audited), an unknown account is 404, a reason is needed
 * (422), and the reset removes the authenticator app, ends the sessions and is audited with its reason.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { enrolTestAuthenticator } from '../../../test/support/second-factor.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

const REASON = 'Phone lost; identity checked in person';

describe.each(testDatabases())('accounts API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Actor;
  let chair: Actor;
  let adminToken: string;
  let chairToken: string;

  const reset = (id: string, token: string | null, payload: unknown = { reason: REASON }) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/users/${id}/second-factor/reset`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      payload: payload as Record<string, unknown>,
    });
  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    admin = await staff(ctx, 'Ada Admin', ['admin']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    [adminToken, chairToken] = await Promise.all([tokenFor(admin), tokenFor(chair)]);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('only an administrator may reset sign-in security: anyone else is refused (403) and the refusal audited', async () => {
    const sam = await staff(ctx, 'Sam Worker', ['social_worker']);
    await enrolTestAuthenticator(ctx, sam.id);
    expect((await reset(sam.id, null)).statusCode).toBe(401);
    const refused = await reset(sam.id, chairToken);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'forbidden' });
    const denials = (await auditRows(ctx, 'route.access')).filter((r) => r.actorUserId === chair.id);
    expect(denials.map((r) => [r.outcome, (r.details as { route: string }).route])).toContainEqual([
      'denied',
      'POST /api/v1/users/:id/second-factor/reset',
    ]);
    expect((await ctx.services.secondFactor.status(sam.id)).enrolled).toBe(true);
  });

  it('an unknown account is 404, a badly formed id is refused, and a reason is required (422)', async () => {
    const unknown = await reset('6f1c1f52-8a1e-4d55-9d6c-0b9d0f1c2a3b', adminToken);
    expect(unknown.statusCode).toBe(404);
    expect((await reset('not-an-id', adminToken)).statusCode).toBeGreaterThanOrEqual(400);
    const sam = await staff(ctx, 'Sam Worker', ['social_worker']);
    const blank = await reset(sam.id, adminToken, { reason: '   ' });
    expect(blank.statusCode).toBe(422);
    expect(blank.json()).toMatchObject({ field: 'reason', message: 'Enter why the sign-in security is being reset' });
    expect((await ctx.services.secondFactor.status(sam.id)).enrolled).toBe(true);
  });

  it('an administrator’s reset removes the app and ends the sessions, audited with the reason', async () => {
    const pat = await staff(ctx, 'Pat Planner', ['social_worker']);
    await enrolTestAuthenticator(ctx, pat.id);
    await ctx.services.accounts.startSession(pat.id, { secondFactorDue: false });
    const res = await reset(pat.id, adminToken);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expect((await ctx.services.secondFactor.status(pat.id)).enrolled).toBe(false);
    const { rows } = await ctx.services.database.execute(`select count(*)::int as n from sessions where user_id = $1`, [
      pat.id,
    ]);
    expect((rows[0] as { n: number }).n).toBe(0);
    const audited = (await auditRows(ctx, 'second-factor.reset')).filter((r) => r.subjectId === pat.id);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorUserId: admin.id, outcome: 'success' });
    expect(audited[0]!.details).toMatchObject({ reason: REASON, sessionsEnded: 1 });
  });
});
