import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDeadline, isoDate, RULE_NAMES, TIMESCALE_RULES } from '../../domain/calendar/index.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('deadlines API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let token: string;
  const get = (url: string, auth = `Bearer ${token}`) =>
    app.inject({ method: 'GET', url, headers: { authorization: auth } });

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const user = await ctx.services.accounts.createUser(
      {
        email: 'cas@council.gov.uk',
        name: 'Case System',
        roles: ['business_support'],
        password: 'correct horse battery staple',
      },
      { actor: { id: null, label: 'test' } },
    );
    ({ token } = await ctx.services.accounts.createApiToken(user.id, 'case system', null, {
      actor: { id: user.id, label: 'test' },
    }));
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('lists every rule with its ID, title and what its date means', async () => {
    const res = await get('/api/v1/deadlines');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      rules: RULE_NAMES.map((name) => {
        const r = TIMESCALE_RULES[name];
        return { name, ruleId: r.ruleId, title: r.title, fromLabel: r.fromLabel };
      }),
    });
  });

  it.each(RULE_NAMES)('%s: 200 with the documented shape, as computeDeadline works it out', async (rule) => {
    const res = await get(`/api/v1/deadlines/${rule}?from=2025-04-10`);
    expect(res.statusCode).toBe(200);
    const d = computeDeadline(rule, isoDate(2025, 4, 10), ctx.services.calendar);
    const window = d.earliest !== undefined ? { earliest: d.earliest, latest: d.latest } : {};
    expect(res.json()).toEqual({
      rule,
      ruleId: TIMESCALE_RULES[rule].ruleId,
      from: '2025-04-10',
      due: d.due,
      explanation: d.explanation,
      ...window,
    });
  });

  it('T-1 across Easter 2025 and T-2 as a window', async () => {
    expect((await get('/api/v1/deadlines/initial-conference?from=2025-04-10')).json()).toMatchObject({
      ruleId: 'T-1',
      due: '2025-05-06',
    });
    const t2 = (await get('/api/v1/deadlines/pre-birth-conference?from=2025-12-01')).json();
    expect(t2).toMatchObject({ ruleId: 'T-2', earliest: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), latest: t2.due });
    expect(t2.earliest < t2.latest).toBe(true);
  });

  it('002 §1.3: T-2 ends at 20 weeks instead of 24 when a premature birth is likely', async () => {
    const usual = (await get('/api/v1/deadlines/pre-birth-conference?from=2026-08-20')).json();
    const early = (
      await get('/api/v1/deadlines/pre-birth-conference?from=2026-08-20&prematureBirthLikely=true')
    ).json();
    expect(usual).toMatchObject({ earliest: '2026-02-12', latest: '2026-04-30' });
    expect(early).toMatchObject({ earliest: '2026-02-12', latest: '2026-04-02', due: '2026-04-02' });
    expect(early.explanation).toContain('premature birth is likely');
  });

  it('an unknown rule is 404 unknown_rule, listing the valid names, whatever the query', async () => {
    for (const url of ['/api/v1/deadlines/no-such-rule?from=2025-04-10', '/api/v1/deadlines/no-such-rule']) {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      const body = res.json();
      expect(body.error).toBe('unknown_rule');
      for (const name of RULE_NAMES) expect(body.message).toContain(name);
    }
  });

  it.each([
    '',
    '?from=',
    '?from=2025-02-30',
    '?from=2025-2-3',
    '?from=10/04/2025',
    '?from=tomorrow',
    '?from=0999-01-01',
  ])('a missing or invalid from (%s) is 400', async (query) => {
    const res = await get(`/api/v1/deadlines/initial-conference${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      message: 'The request is not valid',
      issues: [{ path: '/from', message: 'from must be a real date written YYYY-MM-DD' }],
    });
  });

  it('a date the calendar cannot count from is 400 invalid_date', async () => {
    const res = await get('/api/v1/deadlines/first-review?from=9999-12-31');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_date', field: 'from' });
  });

  it('needs a valid bearer token: 401 otherwise', async () => {
    for (const url of [
      '/api/v1/deadlines',
      '/api/v1/deadlines/initial-conference?from=2025-04-10',
      '/api/v1/deadlines/no-such-rule',
    ]) {
      const none = await app.inject({ method: 'GET', url });
      expect(none.statusCode).toBe(401);
      expect(none.json()).toMatchObject({ error: 'unauthorized' });
      expect((await get(url, 'Bearer cpcr_nonsense')).statusCode).toBe(401);
    }
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const list = doc.paths['/api/v1/deadlines'].get;
    const one = doc.paths['/api/v1/deadlines/{rule}'].get;
    expect(list.tags).toEqual(['deadlines']);
    expect(list.summary).toBeTruthy();
    expect(Object.keys(list.responses).sort()).toEqual(['200', '401']);
    expect(one.tags).toEqual(['deadlines']);
    expect(one.summary).toBeTruthy();
    expect(Object.keys(one.responses).sort()).toEqual(['200', '400', '401', '404']);
    const params = Object.fromEntries(one.parameters.map((p: { name: string; in: string }) => [p.name, p]));
    expect(params['rule']).toMatchObject({ in: 'path', required: true, schema: { enum: [...RULE_NAMES] } });
    expect(params['from']).toMatchObject({ in: 'query', required: true, schema: { format: 'date' } });
    expect(params['from'].description ?? params['from'].schema.description).toBeTruthy();
  });
});
