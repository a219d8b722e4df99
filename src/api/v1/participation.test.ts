import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { apiStaff, apiToken } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('participation API, 002 §3.2, on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let swToken: string;
  let chairToken: string;
  let strangerToken: string;
  let g: SiblingGroupConference;
  let base: string;

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const { sw, chair, tokens } = await apiStaff(ctx);
    ({ sw: swToken, chair: chairToken } = tokens);
    strangerToken = await apiToken(ctx, await staff(ctx, 'Sol Other', ['social_worker']));
    ctx.clock.current = new Date('2026-02-23T10:00:00Z');
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    base = `/api/v1/conferences/${g.conferenceId}/participation`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  const decision = {
    version: 0,
    understands: 'yes',
    wishExpressed: 'implicit',
    parentsViews: 'Both parents agree she should go.',
    benefit: 'yes',
    chairAdvice: 'attend',
    socialWorkerAdvice: 'part',
    childWish: 'not-attend',
    decision: 'attend',
  };

  it('002 §3.2: a child’s refusal is respected (422); a decision not to attend is saved with how their views are conveyed', async () => {
    const refused = await call('PUT', `${base}/children/${g.children.ava}`, swToken, decision);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ error: 'child_refused', field: 'decision' });
    const ok = await call('PUT', `${base}/children/${g.children.ava}`, swToken, {
      ...decision,
      decision: 'not-attend',
      viewsRoutes: ['advocate'],
    });
    expect(ok.statusCode).toBe(200);
    const ava = ok.json().children.find((c: { childId: string }) => c.childId === g.children.ava);
    expect(ava).toMatchObject({
      presumedEligible: true,
      attendance: { decision: 'not-attend', viewsRoutes: ['advocate'], version: 1 },
    });
    const stale = await call('PUT', `${base}/children/${g.children.ava}`, swToken, {
      ...decision,
      decision: 'not-attend',
      viewsRoutes: ['advocate'],
    });
    expect(stale.statusCode).toBe(409);
  });

  it('002 §3.2: only the chair bars (403, audited); an advocate’s role is recorded; a parent’s typed report and help are kept', async () => {
    const denied = await call('PUT', `${base}/supporters/${g.invitee.advocate}/bar`, swToken, { reason: 'disruptive' });
    expect(denied.statusCode).toBe(403);
    const notBarrable = await call('PUT', `${base}/supporters/${g.invitee.advocate}/bar`, chairToken, {
      reason: 'disruptive',
    });
    expect(notBarrable.statusCode).toBe(422);
    const role = await call('PUT', `${base}/advocates/${g.invitee.advocate}`, swToken, {
      speaksFor: `child:${g.children.ava}`,
      viewAscertained: 'yes',
      viewAscertainedOn: '2026-02-21',
    });
    expect(role.statusCode).toBe(200);
    expect(role.json().supporters[0].advocateRole).toEqual({
      speaksFor: { kind: 'child', inviteeId: null, childId: g.children.ava, name: 'Ava Okafor' },
      viewAscertainedOn: '2026-02-21',
      note: null,
    });

    const report = await call('POST', `${base}/parents/${g.invitee.mother}/reports`, swToken, {
      text: 'I am working with the school.',
    });
    expect(report.statusCode).toBe(201);
    expect(report.json()).toMatchObject({ source: 'typed', format: 'txt', parentName: 'Grace Okafor' });
    expect(report.json()).not.toHaveProperty('blobKey');
    const file = await call('GET', `${base}/reports/${report.json().id}/file`, chairToken);
    expect(file.body).toBe('I am working with the school.');
    expect((await call('GET', `${base}/reports/${report.json().id}/file`, strangerToken)).statusCode).toBe(403);

    const help = await call('PUT', `${base}/parents/${g.invitee.mother}/help`, swToken, {
      kind: 'reading',
      status: 'offered',
      arrangedBy: 'Sam Worker',
    });
    expect(help.statusCode).toBe(200);
    expect(help.json().parents.find((p: { inviteeId: string }) => p.inviteeId === g.invitee.mother).help).toEqual([
      { kind: 'reading', status: 'offered', arrangedBy: 'Sam Worker', details: null },
    ]);
    const rows = await auditRows(ctx, 'participation.supporter.bar');
    expect(rows.map((r) => r.outcome)).toEqual(['denied']);
  });

  it('002 §3.2: an exclusion through the meeting API needs a criterion of its extent and the telling of the reasons', async () => {
    const url = `/api/v1/conferences/${g.conferenceId}/meeting/parts/${g.partId}/exclusions/${g.invitee.father}`;
    const bad = await call('PUT', url, chairToken, {
      extent: 'partial',
      criteria: ['violence-or-intimidation'],
      toldOrallyOn: '2026-02-23',
      toldOrallyBy: 'Cal Chair',
      viewsRoutes: ['written-report'],
    });
    expect(bad.statusCode).toBe(422);
    const ok = await call('PUT', url, chairToken, {
      extent: 'partial',
      criteria: ['criminal-proceedings'],
      toldOrallyOn: '2026-02-23',
      toldOrallyBy: 'Cal Chair',
      viewsRoutes: ['written-report'],
    });
    expect(ok.statusCode).toBe(200);
    const view = (await call('GET', base, chairToken)).json();
    expect(view.exclusions).toEqual([
      {
        partId: g.partId,
        inviteeId: g.invitee.father,
        criteria: ['criminal-proceedings'],
        otherReason: null,
        toldOrally: { on: '2026-02-23', by: 'Cal Chair' },
        toldInWriting: null,
        viewsRoutes: ['written-report'],
        viewsNote: null,
        recordedBeforeCriteria: false,
      },
    ]);
    expect((await call('GET', base, strangerToken)).statusCode).toBe(403);
  });
});
