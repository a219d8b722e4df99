import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { insertStoredRecordingRow } from '../../../test/support/recordings.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe.each(testDatabases())('requests for copies API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let support: Actor;
  let otherSw: Actor;
  let admin: Actor;
  let chairToken: string;
  let supportToken: string;
  let otherSwToken: string;
  let adminToken: string;
  let g: SiblingGroupConference;

  const call = (method: 'GET' | 'POST', url: string, token: string | null, payload?: unknown) =>
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
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Other', ['social_worker']);
    admin = await staff(ctx, 'Ada Admin', ['admin']);
    [chairToken, supportToken, otherSwToken, adminToken] = await Promise.all([
      tokenFor(chair),
      tokenFor(support),
      tokenFor(otherSw),
      tokenFor(admin),
    ]);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    ctx.clock.current = new Date('2026-05-11T09:00:00Z');
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('records a request (A-1), then shows it in the queue, on its own and in its timeline', async () => {
    const res = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-11',
      requester: { type: 'pr-holder', personId: g.people.father },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.refusal).toBeNull();
    expect(body.request).toMatchObject({
      state: 'received',
      requesterType: 'pr-holder',
      requesterName: 'Daniel Mensah',
      receivedOn: '2026-05-11',
      dueOn: '2026-06-11',
      status: { status: 'on-track' },
      chair: { id: chair.id, name: chair.name },
      childrenCovered: [{ id: g.children.ben, name: 'Ben Okafor' }],
      childrenWithoutPr: [{ id: g.children.ava, name: 'Ava Okafor' }],
      actions: expect.arrayContaining(['refer', 'refuse', 'extend']),
      referred: false,
    });
    const id = body.request.id as string;

    const queue = await call('GET', '/api/v1/requests?step=received', supportToken);
    expect(queue.statusCode, queue.body).toBe(200);
    expect(queue.json().requests.map((r: { id: string }) => r.id)).toContain(id);
    expect(queue.json().counts.received).toBeGreaterThan(0);
    const none = await call('GET', '/api/v1/requests?step=closed&step=sent', supportToken);
    expect(none.json().requests).toEqual([]);

    const one = await call('GET', `/api/v1/requests/${id}`, supportToken);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id, version: 1, actions: ['withdraw', 'extend'] });

    const steps = await call('GET', `/api/v1/requests/${id}/steps`, supportToken);
    expect(steps.statusCode).toBe(200);
    expect(steps.json().steps).toEqual([
      expect.objectContaining({
        action: 'receive',
        from: null,
        to: 'received',
        actor: { id: chair.id, name: chair.name },
        details: expect.arrayContaining([{ label: 'Who asked', value: 'Person with parental responsibility' }]),
      }),
    ]);
    expect((await auditRows(ctx, 'copy-request.view')).filter((a) => a.subjectId === id).length).toBeGreaterThan(0);
  });

  it('records and refuses an ineligible request with the reason; field problems are 422 with every field', async () => {
    const refused = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-09',
      requester: { type: 'child', childId: g.children.ava },
    });
    expect(refused.statusCode, refused.body).toBe(201);
    expect(refused.json()).toMatchObject({
      request: { state: 'refused', outcome: { kind: 'refused' } },
      refusal: { code: 'CHILD_UNDER_13' },
    });

    const bad = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-13-01',
      requester: { type: 'court', contactName: 'A Clerk' },
    });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['courtName', 'courtReference', 'receivedOn']);
    const wrongType = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-11',
      requester: { type: 'neighbour' },
    });
    expect(wrongType.statusCode).toBe(400);
  });

  it('refuses the unauthenticated, the wrong role and a social worker not allocated to the children', async () => {
    const created = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-11',
      requester: { type: 'pr-holder', personId: g.people.mother },
    });
    const id = created.json().request.id as string;
    expect((await call('GET', '/api/v1/requests', null)).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/requests', adminToken)).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/requests/${id}`, otherSwToken)).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/requests/${id}/steps`, otherSwToken)).statusCode).toBe(403);
    expect(
      (
        await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, otherSwToken, {
          receivedOn: '2026-05-11',
          requester: { type: 'pr-holder', personId: g.people.mother },
        })
      ).statusCode,
    ).toBe(403);
    expect((await call('GET', '/api/v1/requests', otherSwToken)).json().requests).toEqual([]);
    expect((await call('GET', `/api/v1/requests/${UNKNOWN}`, supportToken)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/requests/not-an-id', supportToken)).statusCode).toBe(400);
    const denied = (await auditRows(ctx)).filter((a) => a.outcome === 'denied' && a.actorUserId === otherSw.id);
    expect(denied.length).toBeGreaterThan(0);
  });

  it('never returns the requester’s email address', async () => {
    const created = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-11',
      requester: { type: 'pr-holder', personId: g.people.mother },
    });
    const id = created.json().request.id as string;
    const recordingId = await storedRecording();
    await ctx.services.requests.refer(
      chair,
      id,
      1,
      {
        childIds: [g.children.ava, g.children.ben],
        email: 'grace.private@example.org',
        emailVerified: true,
        nothingWithheld: true,
        recordingIds: [recordingId],
      },
      { actor: { id: chair.id, label: chair.name } },
    );
    const one = await call('GET', `/api/v1/requests/${id}`, supportToken);
    expect(one.json()).toMatchObject({ state: 'referred', referred: true, version: 2 });
    expect(one.body).not.toContain('grace.private@example.org');
    expect((await call('GET', `/api/v1/requests/${id}/steps`, supportToken)).body).not.toContain(
      'grace.private@example.org',
    );
  });

  async function storedRecording(): Promise<string> {
    return await insertStoredRecordingRow(ctx, {
      conferenceId: g.conferenceId,
      partId: g.partId,
      createdBy: support.id,
      durationMs: 600_000,
    });
  }
});
