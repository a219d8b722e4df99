import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows } from '../../../../test/support/people.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import { testApp } from '../../../../test/support/web.ts';
import { DISPOSAL_JOB } from '../../../app/retention/retention-service.ts';
import { type RetentionFixture, retentionFixture, stored } from '../../../app/retention/test-support.ts';
import type { Actor } from '../../../domain/access/roles.ts';

describe.each(testDatabases())('retention API on %s (R-4)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let f: RetentionFixture;
  const tokens: Record<string, string> = {};

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: string | null, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    f = await retentionFixture(ctx, ctx.services.blobs);
    for (const [name, actor] of Object.entries(f.people)) tokens[name] = await tokenFor(actor);
    ctx.clock.current = new Date('2027-04-01T10:00:00Z');
    await ctx.services.queue.start(
      [],
      ctx.services.workers.filter((w) => w.name === DISPOSAL_JOB),
    );
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('R-4: the review, a proposal, four eyes (409), approval, destruction by the job and the certificate', async () => {
    expect((await call('GET', '/api/v1/retention/review', null)).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/retention/review', 'sw')).statusCode).toBe(403);
    const review = await call('GET', '/api/v1/retention/review?kind=copy-sent', 'ig');
    expect(review.statusCode, review.body).toBe(200);
    expect(review.json()).toMatchObject({ total: 1, items: [{ kind: 'copy-sent', id: f.copyId, proposable: true }] });

    const bad = await call('POST', '/api/v1/retention/proposals', 'ig', {
      items: [{ kind: 'recording', id: f.recordingId }],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues[0].message).toMatch(/not reached its retention date/);

    const proposed = await call('POST', '/api/v1/retention/proposals', 'ig', {
      items: [{ kind: 'copy-sent', id: f.copyId }],
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const { id } = proposed.json() as { id: string };
    const own = await call('POST', `/api/v1/retention/proposals/${id}/approval`, 'ig', { version: 1 });
    expect(own.statusCode).toBe(409);
    expect(own.json()).toMatchObject({ error: 'four_eyes' });
    const approved = await call('POST', `/api/v1/retention/proposals/${id}/approval`, 'qa', { version: 1 });
    expect(approved.statusCode, approved.body).toBe(202);
    await expect
      .poll(async () => (await call('GET', `/api/v1/retention/proposals/${id}`, 'qa')).json().state, {
        timeout: 60_000,
      })
      .toBe('destroyed');
    expect(await stored(ctx.services.blobs, f.copyFile.key)).toBe(false);
    const cert = await call('GET', `/api/v1/retention/proposals/${id}/certificate`, 'ig');
    expect(cert.statusCode, cert.body).toBe(200);
    expect(cert.json()).toMatchObject({
      proposedByName: 'Ina Governance',
      approvedByName: 'Quinn Quality',
      destroyed: [
        { kind: 'copy-sent', itemId: f.copyId, files: [{ what: 'disclosure-copy', blobSha256: f.copyFile.sha256 }] },
      ],
    });
    expect((await auditRows(ctx, 'retention.destroyed')).length).toBe(1);
  });

  it('R-4: holds are placed and removed with a reason; a second hold on the same record is refused (409)', async () => {
    const placed = await call('POST', '/api/v1/retention/holds', 'ig', {
      kind: 'recording',
      itemId: f.recordingId,
      reason: 'Care proceedings',
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const again = await call('POST', '/api/v1/retention/holds', 'qa', {
      kind: 'recording',
      itemId: f.recordingId,
      reason: 'Twice',
    });
    expect(again.statusCode).toBe(409);
    const holds = await call('GET', '/api/v1/retention/holds', 'qa');
    expect(holds.json()).toMatchObject([{ kind: 'recording', itemId: f.recordingId, reason: 'Care proceedings' }]);
    const { id } = placed.json() as { id: string };
    expect((await call('POST', `/api/v1/retention/holds/${id}/removal`, 'qa', { reason: '' })).statusCode).toBe(422);
    expect((await call('POST', `/api/v1/retention/holds/${id}/removal`, 'qa', { reason: 'Ended' })).statusCode).toBe(
      204,
    );
    expect((await call('GET', `/api/v1/retention/holds/${id}`, 'qa')).json()).toMatchObject({ removalReason: 'Ended' });
  });

  it('R-4: the QA service manager changes a schedule; information governance may only read them', async () => {
    expect((await call('GET', '/api/v1/retention/schedules', 'ig')).statusCode).toBe(200);
    const body = { version: 0, trigger: 'copy-sent', years: 2 };
    expect((await call('PUT', '/api/v1/retention/schedules/copy-sent', 'ig', body)).statusCode).toBe(403);
    const changed = await call('PUT', '/api/v1/retention/schedules/copy-sent', 'qa', body);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().find((s: { kind: string }) => s.kind === 'copy-sent')).toMatchObject({
      years: 2,
      version: 1,
    });
  });
  it('R-4: a conference record waits for its recordings (422); a request whose copy is destroyed is proposed, approved and destroyed', async () => {
    ctx.clock.current = new Date('2045-01-02T10:00:00Z');
    const conferences = await call('GET', '/api/v1/retention/review?kind=conference-record', 'ig');
    expect(conferences.statusCode, conferences.body).toBe(200);
    expect(conferences.json().items).toEqual([
      expect.objectContaining({
        kind: 'conference-record',
        id: f.conferenceId,
        recordingsKept: 1,
        proposable: false,
        keptFirst: 'Its recordings are still kept: destroy them first',
      }),
    ]);
    const early = await call('POST', '/api/v1/retention/proposals', 'ig', {
      items: [{ kind: 'conference-record', id: f.conferenceId }],
    });
    expect(early.statusCode).toBe(422);
    expect(early.json().issues[0].message).toMatch(/recordings that are still kept/);
    const held = await call('POST', '/api/v1/retention/holds', 'ig', {
      kind: 'conference-record',
      itemId: f.conferenceId,
      reason: 'Subject access request',
    });
    expect(held.statusCode, held.body).toBe(201);

    const requests = await call('GET', '/api/v1/retention/review?kind=copy-request', 'ig');
    expect(requests.json().items).toEqual([
      expect.objectContaining({ kind: 'copy-request', id: f.requestId, copiesKept: 0, proposable: true }),
    ]);
    const proposed = await call('POST', '/api/v1/retention/proposals', 'ig', {
      items: [{ kind: 'copy-request', id: f.requestId }],
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const { id } = proposed.json() as { id: string };
    expect((await call('POST', `/api/v1/retention/proposals/${id}/approval`, 'qa', { version: 1 })).statusCode).toBe(
      202,
    );
    await expect
      .poll(async () => (await call('GET', `/api/v1/retention/proposals/${id}`, 'qa')).json().state, {
        timeout: 60_000,
      })
      .toBe('destroyed');
    const cert = await call('GET', `/api/v1/retention/proposals/${id}/certificate`, 'ig');
    expect(cert.json()).toMatchObject({ destroyed: [{ kind: 'copy-request', itemId: f.requestId, files: [] }] });
  });
});
