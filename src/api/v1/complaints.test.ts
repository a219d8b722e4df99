import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe.each(testDatabases())('complaints API, W-7 and 002 §3.12, on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let support: Actor;
  let investigator: Actor;
  let supportToken: string;
  let swToken: string;
  let investigatorToken: string;
  let g: SiblingGroupConference;

  const call = (method: 'GET' | 'POST', path: string, token: string | null, payload?: unknown) =>
    app.inject({
      method,
      url: path,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    investigator = await staff(ctx, 'Ivy Investigator', ['social_worker']);
    supportToken = await tokenFor(support);
    swToken = await tokenFor(sw);
    investigatorToken = await tokenFor(investigator);
    g = await siblingGroupConference(ctx, { socialWorker: sw });
    ctx.clock.current = new Date('2026-03-20T10:00:00Z');
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('W-7, 002 §3.12: a complaint is recorded, moved to formal investigation with an investigator who may then read it, and closed', async () => {
    const base = `/api/v1/conferences/${g.conferenceId}/complaints`;
    const listed = await call('GET', base, supportToken);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().complainants.map((c: { inviteeId: string }) => c.inviteeId)).toContain(g.invitee.mother);

    const bad = await call('POST', base, supportToken, {
      about: [],
      complainantInviteeId: null,
      complainantName: '',
      receivedOn: 'yesterday',
      summary: '',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual([
      'about',
      'complainantName',
      'receivedOn',
      'summary',
    ]);

    const created = await call('POST', base, supportToken, {
      about: ['process'],
      complainantInviteeId: g.invitee.mother,
      receivedOn: '2026-03-18',
      summary: 'Not given the reports in time.',
    });
    expect(created.statusCode, created.body).toBe(201);
    const c = created.json();
    expect(c).toMatchObject({ about: ['process'], stage: 'informal', open: true, outcome: null, version: 1 });
    expect(c.complainant.inviteeId).toBe(g.invitee.mother);

    // The investigator cannot read it before they are named.
    expect((await call('GET', `${base}/${c.id}`, investigatorToken)).statusCode).toBe(403);
    const staged = await call('POST', `${base}/${c.id}/stage`, supportToken, {
      stage: 'formal',
      investigatorUserId: investigator.id,
      version: 1,
    });
    expect(staged.statusCode, staged.body).toBe(200);
    expect(staged.json()).toMatchObject({ stage: 'formal', investigator: { userId: investigator.id } });
    const stale = await call('POST', `${base}/${c.id}/stage`, supportToken, {
      stage: 'review-panel',
      investigatorUserId: investigator.id,
      version: 1,
    });
    expect(stale.statusCode).toBe(409);

    const read = await call('GET', `${base}/${c.id}`, investigatorToken);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().complaint.id).toBe(c.id);
    const docs = await call('GET', `/api/v1/conferences/${g.conferenceId}/documents`, investigatorToken);
    expect(docs.statusCode, docs.body).toBe(200);
    // The investigator may read but never manage complaints.
    expect((await call('GET', base, investigatorToken)).statusCode).toBe(403);

    const closed = await call('POST', `${base}/${c.id}/close`, supportToken, {
      outcome: 'not-upheld',
      closedOn: '2026-03-19',
      version: 2,
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ outcome: 'not-upheld', closedOn: '2026-03-19', open: false });
    expect(
      (
        await call('POST', `${base}/${c.id}/close`, supportToken, {
          outcome: 'upheld',
          closedOn: '2026-03-19',
          version: 3,
        })
      ).statusCode,
    ).toBe(409);

    const after = await call('GET', `/api/v1/conferences/${g.conferenceId}/documents`, investigatorToken);
    expect(after.statusCode).toBe(403);
    expect((await auditRows(ctx, 'documents.view')).at(-1)).toMatchObject({
      outcome: 'denied',
      details: { complaintId: c.id },
    });
  });

  it('W-7: a social worker may not record complaints (403); unknown ids are 404; no token is 401', async () => {
    const base = `/api/v1/conferences/${g.conferenceId}/complaints`;
    expect((await call('GET', base, swToken)).statusCode).toBe(403);
    expect((await call('GET', base, null)).statusCode).toBe(401);
    expect((await call('GET', `${base}/${UNKNOWN}`, supportToken)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/conferences/${UNKNOWN}/complaints`, supportToken)).statusCode).toBe(404);
    expect((await call('GET', `${base}/not-an-id`, supportToken)).statusCode).toBe(400);
  });
});
