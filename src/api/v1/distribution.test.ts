import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import type { SiblingGroupConference } from '../../../test/support/conferences.ts';
import { heldConferenceForRecord } from '../../../test/support/written-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });

interface Entry {
  inviteeId: string | null;
  included: boolean;
  reason: string;
  copy: string;
  override: { action: string; by: string | null; reason: string } | null;
}

describe.each(testDatabases())('who gets what API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let support: Actor;
  let supportToken: string;
  let swToken: string;
  let g: SiblingGroupConference;
  let draftId: string;
  let base: string;

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
  const entry = (body: { entries: Entry[] }, id: string | null) => body.entries.find((e) => e.inviteeId === id);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    supportToken = await tokenFor(support);
    swToken = await tokenFor(sw);
    g = await heldConferenceForRecord(ctx, { socialWorker: sw, chair, support });
    draftId = (
      await ctx.services.documents.startDraft(
        support,
        g.conferenceId,
        { kind: 'decision-letter', subjectInviteeId: null },
        as(support),
      )
    ).id;
    base = `/api/v1/conferences/${g.conferenceId}/documents`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('W-4: the distribution list says who receives the document and why; the file copy first', async () => {
    const res = await call('GET', `${base}/drafts/${draftId}/distribution`, swToken);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ entries: Entry[]; can: { change: boolean } }>();
    expect(body.entries[0]).toMatchObject({ inviteeId: null, included: true, copy: 'full' });
    expect(entry(body, g.invitee.mother)).toMatchObject({ included: true, copy: 'parent' });
    expect(entry(body, g.invitee.advocate)).toMatchObject({ included: false });
    expect(body.can.change).toBe(false);
    expect((await call('GET', `${base}/drafts/${draftId}/distribution`, null)).statusCode).toBe(401);
  });

  it('W-4: an agency with no current or planned involvement is recorded and left out; only business support or a chair records it', async () => {
    const url = `${base}/agencies/${g.invitee.gp}/no-involvement`;
    expect((await call('PUT', url, swToken, { saidOn: '2026-02-20', note: null })).statusCode).toBe(403);
    expect((await call('PUT', url, supportToken, { saidOn: 'soon', note: null })).statusCode).toBe(400);
    const mother = await call('PUT', `${base}/agencies/${g.invitee.mother}/no-involvement`, supportToken, {
      saidOn: '2026-02-20',
    });
    expect(mother.statusCode).toBe(404);
    const res = await call('PUT', url, supportToken, { saidOn: '2026-02-20', note: 'Registered elsewhere' });
    expect(res.statusCode, res.body).toBe(204);
    const list = (await call('GET', `${base}/drafts/${draftId}/distribution`, supportToken)).json<{
      entries: Entry[];
      agencies: Array<{ inviteeId: string; noInvolvement: { saidOn: string; note: string | null } | null }>;
    }>();
    expect(entry(list, g.invitee.gp)).toMatchObject({ included: false });
    expect(entry(list, g.invitee.gp)?.reason).toContain('no current or planned involvement');
    expect(list.agencies.find((a) => a.inviteeId === g.invitee.gp)?.noInvolvement).toEqual({
      saidOn: '2026-02-20',
      note: 'Registered elsewhere',
      byName: 'Bo Support',
      recordedAt: expect.any(String),
    });
  });

  it('W-4: a recipient is added or removed only with a reason; a supporter or advocate is never added', async () => {
    const url = `${base}/drafts/${draftId}/distribution/changes`;
    const noReason = await call('POST', url, supportToken, { inviteeId: g.invitee.ava, action: 'add', reason: ' ' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json()).toMatchObject({ error: 'invalid_details', field: 'reason' });
    const advocate = await call('POST', url, supportToken, {
      inviteeId: g.invitee.advocate,
      action: 'add',
      reason: 'The mother asked',
    });
    expect(advocate.statusCode).toBe(422);
    expect(advocate.body).toContain('never receive the record');
    expect(
      (await call('POST', url, swToken, { inviteeId: g.invitee.ava, action: 'add', reason: 'x' })).statusCode,
    ).toBe(403);
    const added = await call('POST', url, supportToken, {
      inviteeId: g.invitee.ava,
      action: 'add',
      reason: 'The chair agreed Ava should have her own copy',
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(entry(added.json(), g.invitee.ava)).toMatchObject({
      included: true,
      copy: 'child',
      override: { action: 'add', by: 'Bo Support', reason: 'The chair agreed Ava should have her own copy' },
    });
    const removed = await call('POST', url, supportToken, {
      inviteeId: g.invitee.police,
      action: 'remove',
      reason: 'Sent to the unit instead',
    });
    expect(entry(removed.json(), g.invitee.police)).toMatchObject({ included: false });
    expect((await auditRows(ctx, 'documents.distribution.change')).map((r) => r.details)).toEqual([
      { draftId, issueNumber: 1, inviteeId: g.invitee.ava, action: 'add' },
      { draftId, issueNumber: 1, inviteeId: g.invitee.police, action: 'remove' },
    ]);
  });
});
