import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

const REASON = 'During its pilot the council does not give copies of conference recordings to families (003).';

describe.each(testDatabases())('council settings API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Actor;
  let chair: Actor;
  let adminToken: string;
  let chairToken: string;
  let g: SiblingGroupConference;

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string | null, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    admin = await staff(ctx, 'Ada Admin', ['admin']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    [adminToken, chairToken] = await Promise.all([tokenFor(admin), tokenFor(chair)]);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    ctx.clock.current = new Date('2026-05-11T09:00:00Z');
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('003: an administrator reads the settings at their defaults; anyone else is refused (403)', async () => {
    expect((await call('GET', '/api/v1/settings', null)).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/settings', chairToken)).statusCode).toBe(403);
    const res = await call('GET', '/api/v1/settings', adminToken);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      documentDistribution: {
        value: { distribution: 'full-record' },
        description: 'The full record',
        isDefault: true,
        version: 0,
        updatedAt: null,
        updatedByName: null,
      },
      recordingCopies: {
        value: { familyCopies: true, reason: null },
        description: 'The family may be given copies',
        isDefault: true,
        version: 0,
        updatedAt: null,
        updatedByName: null,
      },
    });
  });

  it('003: a change needs the council’s reason (422), is audited, and a stale version is refused (409)', async () => {
    const put = (body: unknown, token = adminToken) => call('PUT', '/api/v1/settings/recording-copies', token, body);
    expect((await put({ version: 0, value: { familyCopies: false, reason: REASON } }, chairToken)).statusCode).toBe(
      403,
    );
    const missing = await put({ version: 0, value: { familyCopies: false } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().issues).toEqual([{ path: 'reason', message: expect.stringContaining('reason') }]);

    const saved = await put({ version: 0, value: { familyCopies: false, reason: REASON } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().recordingCopies).toMatchObject({
      value: { familyCopies: false, reason: REASON },
      isDefault: false,
      version: 1,
      updatedByName: 'Ada Admin',
      updatedAt: '2026-05-11T09:00:00.000Z',
    });
    expect((await put({ version: 0, value: { familyCopies: true } })).statusCode).toBe(409);
    expect((await call('PUT', '/api/v1/settings/nothing-such', adminToken, { version: 0, value: {} })).statusCode).toBe(
      400,
    );
    const audit = await auditRows(ctx, 'council-settings.changed');
    expect(audit.map((a) => [a.actorUserId, a.subjectId, a.details])).toEqual([
      [
        admin.id,
        'recording-copies',
        { from: 'The family may be given copies', to: `The family is not given copies: ${REASON}`, version: 1 },
      ],
    ]);
    // The route refuses anyone but an administrator before the use case, and audits it as every route does.
    const denied = (await auditRows(ctx, 'route.access')).filter((a) => a.actorUserId === chair.id);
    expect(denied.map((a) => [a.outcome, a.details['route']])).toContainEqual(['denied', 'PUT /api/v1/settings/:key']);
  });

  it('A-1, 003: with the family not given copies, a parent’s request through the API is refused with the council’s reason; a court’s is received', async () => {
    const parent = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-11',
      requester: { type: 'pr-holder', personId: g.people.mother },
    });
    expect(parent.statusCode, parent.body).toBe(201);
    expect(parent.json()).toMatchObject({
      request: { state: 'refused', outcome: { kind: 'refused' } },
      refusal: { code: 'COUNCIL_POLICY', reason: REASON },
    });
    const court = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-11',
      requester: {
        type: 'court',
        contactName: 'A Clerk',
        courtName: 'Family Court at Brighton',
        courtReference: 'BN1',
      },
    });
    expect(court.statusCode, court.body).toBe(201);
    expect(court.json()).toMatchObject({ request: { state: 'received' }, refusal: null });
  });

  it('003: decisions and recommendations only is chosen through the API', async () => {
    const res = await call('PUT', '/api/v1/settings/document-distribution', adminToken, {
      version: 0,
      value: { distribution: 'decisions-only' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().documentDistribution).toMatchObject({
      value: { distribution: 'decisions-only' },
      description: 'Decisions and recommendations only',
      version: 1,
    });
  });
});
