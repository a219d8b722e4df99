import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { type SiblingFixture, ctxOf, initialInput, markHeld, siblingFixture } from '../../../test/support/convening.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('conference changes API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let f: SiblingFixture;
  let token: string;

  const call = (method: 'GET' | 'POST', url: string, bearer: string | null, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;
  const arrangements = {
    scheduledDate: '2026-03-18',
    startTime: '14:00',
    durationMinutes: 120,
    venueKind: 'online',
    onlineLink: 'https://teams.microsoft.com/l/meetup-join/abc/0',
  };

  async function convened(g: SiblingFixture = f): Promise<string> {
    const { id } = await ctx.services.convening.convene(g.sw, initialInput(g), ctxOf(g.sw));
    await ctx.services.convening.invite(
      f.support,
      id,
      [
        { kind: 'family-member', personId: g.grace, interpreterNeeded: false },
        { kind: 'family-member', personId: g.dev },
      ],
      ctxOf(f.support),
    );
    return id;
  }

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    f = await siblingFixture(ctx);
    token = await tokenFor(f.support);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('refuses every route without a token (401)', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [method, url] of [
      ['POST', `/api/v1/conferences/${id}/rearrangement`],
      ['POST', `/api/v1/conferences/${id}/cancellation`],
      ['POST', '/api/v1/conferences/recorded-afterwards'],
      ['POST', `/api/v1/conferences/${id}/invitations/email`],
      ['POST', `/api/v1/conferences/${id}/invitations/posted`],
      ['GET', `/api/v1/conferences/${id}/changes`],
    ] as const) {
      expect((await call(method, url, null, method === 'GET' ? undefined : {})).statusCode, `${method} ${url}`).toBe(
        401,
      );
    }
  });

  it('emails the invitations, records the letters as posted, then changes the date (T-1 re-checked) and lists the change', async () => {
    const id = await convened();
    let res = await call('POST', `/api/v1/conferences/${id}/invitations/email`, token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ emailed: 1, alreadySent: 0, withoutEmail: 1 });
    res = await call('POST', `/api/v1/conferences/${id}/invitations/posted`, token);
    expect(res.json()).toEqual({ posted: 1 });
    expect((await call('POST', `/api/v1/conferences/${id}/invitations/posted`, token)).statusCode).toBe(409);

    res = await call('POST', `/api/v1/conferences/${id}/rearrangement`, token, {
      ...arrangements,
      scheduledDate: '2026-03-24',
      reason: 'Family away',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().issues.map((i: { path: string }) => i.path)).toEqual(['lateAgreedBy', 'lateReason']);
    res = await call('POST', `/api/v1/conferences/${id}/rearrangement`, token, {
      ...arrangements,
      reason: 'The chair is ill on the 16th',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ withinTimescale: true, due: { ruleId: 'T-1', due: '2026-03-20' } });
    expect(
      res
        .json()
        .reinvited.map((r: { method: string }) => r.method)
        .sort(),
    ).toEqual(['email', 'post']);

    res = await call('GET', `/api/v1/conferences/${id}/changes`, token);
    expect(res.statusCode).toBe(200);
    const out = res.json();
    expect(out.changes).toEqual([
      expect.objectContaining({
        kind: 'rearranged',
        reason: 'The chair is ill on the 16th',
        changedBy: { id: f.support.id, name: f.support.name },
      }),
    ]);
    expect(out.invitations.map((i: { state: string; issueNumber: number }) => [i.state, i.issueNumber]).sort()).toEqual(
      [
        ['sent', 2],
        ['to-post', 2],
      ],
    );
  });

  it('cancels (409 once cancelled or held) and shows the conference still needed', async () => {
    // A family of its own: a conference planned for the same children would meet the need.
    const id = await convened(await siblingFixture(ctx, 'Cancelling'));
    expect((await call('POST', `/api/v1/conferences/${id}/cancellation`, token, { reason: ' ' })).statusCode).toBe(422);
    const res = await call('POST', `/api/v1/conferences/${id}/cancellation`, token, { reason: 'Family moved away' });
    expect(res.statusCode).toBe(200);
    expect((await call('POST', `/api/v1/conferences/${id}/cancellation`, token, { reason: 'Again' })).statusCode).toBe(
      409,
    );
    expect(
      (await call('POST', `/api/v1/conferences/${id}/rearrangement`, token, { ...arrangements, reason: 'x' })).json(),
    ).toMatchObject({ error: 'not_rearrangeable' });
    expect((await call('GET', `/api/v1/conferences/${id}/changes`, token)).json().stillNeeded).toMatchObject({
      deadline: { ruleId: 'T-1', due: '2026-03-20' },
    });
    // The child's list says the same, for each of the children.
    const childIds = (await ctx.services.convening.getConference(f.support, id, ctxOf(f.support))).children.map(
      (c) => c.id,
    );
    for (const childId of childIds) {
      const needed = await call('GET', `/api/v1/children/${childId}/conferences-still-needed`, token);
      expect(needed.statusCode).toBe(200);
      expect(needed.json().conferences).toEqual([
        expect.objectContaining({
          conferenceId: id,
          deadline: expect.objectContaining({ ruleId: 'T-1', due: '2026-03-20' }),
        }),
      ]);
    }

    const held = await convened();
    await markHeld(ctx, held);
    expect((await call('POST', `/api/v1/conferences/${held}/cancellation`, token, { reason: 'x' })).statusCode).toBe(
      409,
    );
  });

  it('answers each invitee’s cancellation notice as issued: emailed, or a letter to post', async () => {
    const g = await siblingFixture(ctx, 'Noticed');
    const id = await convened(g);
    await ctx.services.rearrangement.sendAllByEmail(f.support, id, ctxOf(f.support));
    await ctx.services.rearrangement.recordAllPosted(f.support, id, ctxOf(f.support));
    const cancelled = await call('POST', `/api/v1/conferences/${id}/cancellation`, token, { reason: 'Family moved' });
    const notified: Array<{ inviteeId: string; method: string }> = cancelled.json().notified;
    expect(notified.length).toBe(2);
    for (const n of notified) {
      const res = await call('GET', `/api/v1/conferences/${id}/cancellation-notices/${n.inviteeId}`, token);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ inviteeId: n.inviteeId, method: n.method, postedAt: null });
      expect(res.json().body).toContain('16 March 2026');
      // The reason is kept on the record, never sent.
      expect(res.json().body).not.toContain('Family moved');
    }
    expect((await call('GET', `/api/v1/conferences/${id}/cancellation-notices/${id}`, token)).statusCode).toBe(404);
    const views = (await auditRows(ctx)).filter(
      (a) => a.subjectId === id && a.action === 'conference.cancellation.view',
    );
    expect(views.length).toBe(2);
  });

  it('records a conference held without booking: a past date and a reason (422 without), then 201', async () => {
    const g = await siblingFixture(ctx, 'Api');
    const swToken = await tokenFor(g.sw);
    const body = {
      ...initialInput(g),
      strategyDiscussionDate: '2026-02-20',
      scheduledDate: '2026-02-27',
      afterwardsReason: 'Held in an emergency',
    };
    expect(
      (await call('POST', '/api/v1/conferences/recorded-afterwards', swToken, { ...body, scheduledDate: '2026-03-09' }))
        .statusCode,
    ).toBe(422);
    const res = await call('POST', '/api/v1/conferences/recorded-afterwards', swToken, body);
    expect(res.statusCode).toBe(201);
    const changes = (await call('GET', `/api/v1/conferences/${res.json().id}/changes`, swToken)).json().changes;
    expect(changes).toEqual([expect.objectContaining({ kind: 'recorded-afterwards', reason: 'Held in an emergency' })]);
  });

  it('denies (403, audited) someone who may not change every child’s record', async () => {
    const id = await convened();
    const outsider = await tokenFor(await staff(ctx, 'Ola Outside', ['social_worker']));
    expect((await call('POST', `/api/v1/conferences/${id}/cancellation`, outsider, { reason: 'x' })).statusCode).toBe(
      403,
    );
    expect((await call('GET', `/api/v1/conferences/${id}/changes`, outsider)).statusCode).toBe(403);
    const denied = (await auditRows(ctx))
      .filter((a) => a.subjectId === id && a.outcome === 'denied')
      .map((a) => a.action);
    expect(denied).toEqual(['conference.cancel', 'conference.changes.view']);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await call('GET', '/api/v1/openapi.json', null)).json();
    for (const path of [
      '/api/v1/conferences/{id}/rearrangement',
      '/api/v1/conferences/{id}/cancellation',
      '/api/v1/conferences/recorded-afterwards',
      '/api/v1/conferences/{id}/invitations/email',
      '/api/v1/conferences/{id}/invitations/posted',
      '/api/v1/conferences/{id}/changes',
      '/api/v1/conferences/{id}/cancellation-notices/{inviteeId}',
      '/api/v1/children/{id}/conferences-still-needed',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
