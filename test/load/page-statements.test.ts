// The pages read most under load: a child's page, a conference's page, the request queue and the deadlines
// API send a small, fixed number of statements per request, however many conferences, children and requests the
// council holds. A council is seeded, each page counted; ten times as much is seeded beside it and each page counted
// again: the counts must not move. On PostgreSQL every statement a page reads with is then EXPLAINed on the seeded
// data (after ANALYZE) with sequential scans priced out: a Seq Scan of a table of some size left in the plan means no
// index can answer it.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCouncil } from '../../src/cli/seed/seed-council.ts';
import { buildApp } from '../../src/web/app.ts';
import { sessionCookieName } from '../../src/web/plugins/auth.ts';
import { sequentialScans } from '../support/explain.ts';
import { hotPages, type HotPages, receiveCourtRequests } from '../support/hot-pages.ts';
import { testDatabases } from '../support/services.ts';
import { loggingServices, type LoggingServices } from '../support/statement-log.ts';

const SMALL = { years: 1, conferencesPerYear: 40, auditEntries: 200, seed: 5 };
const LARGE = { years: 1, conferencesPerYear: 400, auditEntries: 200, seed: 6, force: true };

/**
 * The most statements each page may send per request. PostgreSQL counts each transaction's BEGIN and COMMIT as well
 * (PGlite runs them without a statement of drizzle's). Audited views write their audit entry (three statements each).
 * A child's page is one read in one transaction with one audit entry, one statement per list: exactly its count.
 */
const LIMITS = {
  pglite: { child: 25, conference: 40, queue: 12, api: 1 },
  postgres: { child: 27, conference: 42, queue: 16, api: 1 },
} as const;
const KEYS = ['child', 'conference', 'queue', 'api'] as const;

describe.each(testDatabases())('statements per request on the busiest pages (%s)', (kind) => {
  let ctx: LoggingServices;
  let app: FastifyInstance;
  let pages: HotPages;
  let cookie: string;

  const count = async () => {
    const out: Record<string, number> = {};
    for (const [k, page] of pages.list.entries()) {
      const headers = page.api ? { authorization: `Bearer ${pages.apiToken}` } : { cookie };
      await app.inject({ url: page.path, headers }); // the once-a-minute writes (session, token) out of the way
      ctx.log.reset();
      const res = await app.inject({ url: page.path, headers });
      expect(res.statusCode, page.label).toBe(200);
      out[KEYS[k]!] = ctx.log.statements.length;
    }
    return out;
  };

  beforeAll(async () => {
    ctx = await loggingServices(kind);
    await seedCouncil(ctx.services, SMALL);
    pages = await hotPages(ctx.services);
    app = await buildApp(ctx.services, { logger: false });
    cookie = `${sessionCookieName(false)}=${await ctx.services.accounts.startSession(pages.viewer.id, { secondFactorDue: false })}`;
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.dispose();
  });

  it('sends as many statements for a council ten times the size, within a small fixed number', async () => {
    // 2 open requests in the queue, then 20 more (and ten times the conferences and children).
    await receiveCourtRequests(ctx.services, pages.viewer, 2);
    const small = await count();
    await seedCouncil(ctx.services, LARGE);
    await receiveCourtRequests(ctx.services, pages.viewer, 20);
    const { rows: after } = await ctx.services.database.execute(
      `select (select count(*) from conferences)::int as conferences, (select count(*) from copy_requests)::int as requests`,
    );
    const sizes = after[0] as { conferences: number; requests: number };
    expect(sizes.conferences).toBeGreaterThan(300);
    expect(sizes.requests).toBeGreaterThanOrEqual(22);
    const large = await count();
    expect(large).toEqual(small);
    for (const key of KEYS) expect(large[key], key).toBeLessThanOrEqual(LIMITS[kind][key]);
    // One statement answers a signed-in request's session or token and its account.
    expect(large['api']).toBe(1);
    // The child's page at its count exactly: any statement added to it (a per-row query, a second audit) fails here.
    expect(large['child']).toBe(LIMITS[kind].child);

    if (kind !== 'postgres') return;
    await ctx.services.database.execute('analyze');
    for (const page of pages.list) {
      const headers = page.api ? { authorization: `Bearer ${pages.apiToken}` } : { cookie };
      ctx.log.reset();
      await app.inject({ url: page.path, headers });
      const { explained, scans } = await sequentialScans(ctx.url!, ctx.log.statements, ctx.log.params, 500);
      expect(explained, page.label).toBeGreaterThan(0);
      expect(
        scans.map((s) => `${s.table} (${s.rows} rows): ${s.statement.slice(0, 160)}`),
        page.label,
      ).toEqual([]);
    }
  }, 300_000);
});
