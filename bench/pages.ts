// Pages under load: a child's page, a conference's page, the request queue and the deadlines API, each asked for by
// 10 concurrent users (BENCH_PAGES_USERS) over HTTP on a council seeded by the seed generator, against a static asset
// served by the same app in the same run. Prints each page's p95, statements per request and the ratio to the asset,
// on PGlite and (with BENCH_DATABASE_URL or TEST_DATABASE_URL) PostgreSQL. `node bench/pages.ts`;
// BENCH_PAGES_YEARS and BENCH_PAGES_CONFERENCES (a year) set the size: the full size is 10 years of 5,000.
import type { FastifyInstance } from 'fastify';
import { seedCouncil } from '../src/cli/seed/seed-council.ts';
import { buildApp } from '../src/web/app.ts';
import { sessionCookieName } from '../src/web/plugins/auth.ts';
import { loggingServices, type LoggingServices } from '../test/support/statement-log.ts';
import { hotPages } from '../test/support/hot-pages.ts';
import { report } from './report.ts';

const USERS = Number(process.env['BENCH_PAGES_USERS'] ?? 10);
const REQUESTS_PER_USER = Number(process.env['BENCH_PAGES_REQUESTS'] ?? 20);
const YEARS = Number(process.env['BENCH_PAGES_YEARS'] ?? 2);
const PER_YEAR = Number(process.env['BENCH_PAGES_CONFERENCES'] ?? 1000);

const p95 = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;

/** `USERS` clients at once, each asking for the path `REQUESTS_PER_USER` times: every request's time, sorted. */
async function load(base: string, path: string, headers: Record<string, string>): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: USERS }, async () => {
      for (let i = 0; i < REQUESTS_PER_USER; i++) {
        const t0 = performance.now();
        const res = await fetch(base + path, { headers });
        await res.arrayBuffer();
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

async function run(kind: 'pglite' | 'postgres', url?: string): Promise<void> {
  let ctx: LoggingServices | undefined;
  let app: FastifyInstance | undefined;
  try {
    ctx = await loggingServices(kind, url);
    const { services, log } = ctx;
    const s0 = performance.now();
    const seeded = await seedCouncil(services, {
      years: YEARS,
      conferencesPerYear: PER_YEAR,
      auditEntries: 20_000,
      seed: 11,
    });
    const seedMs = performance.now() - s0;
    await services.database.execute('analyze');
    const pages = await hotPages(services);
    app = await buildApp(services, { logger: false });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const cookie = `${sessionCookieName(false)}=${await services.accounts.startSession(pages.viewer.id, { secondFactorDue: false })}`;
    console.log(
      `pages (${kind}; seeded ${YEARS} year(s) x ${PER_YEAR} conferences a year: ${seeded.conferences} conferences, ` +
        `${seeded.children} children, ${seeded.copyRequests} requests for copies, in ${(seedMs / 1000).toFixed(0)} s; ` +
        `the full size is 10 years x 5,000; ${USERS} concurrent users x ${REQUESTS_PER_USER} requests)`,
    );
    const asset = '/static/app.css';
    await load(base, asset, {}); // warm-up
    const anchor = p95(await load(base, asset, {}));
    const headersFor = (api: boolean): Record<string, string> =>
      api ? { authorization: `Bearer ${pages.apiToken}` } : { cookie };
    for (const page of pages.list) {
      const headers = headersFor(page.api);
      await load(base, page.path, headers); // warm-up
      const times = await load(base, page.path, headers);
      log.reset();
      await (await fetch(base + page.path, { headers })).arrayBuffer();
      const statements = log.statements.length;
      const value = p95(times);
      const what = `${page.label} p95 (${kind}, ${USERS} users, ${statements} statements a request)`;
      const anchorOf = { what: 'static asset p95', value: anchor };
      report({ what, value, unit: 'ms', anchor: anchorOf, target: '≤ 50 ms', met: value <= 50 });
      report({ what, value, unit: 'ms', anchor: anchorOf, target: '≤ 3× static', met: value <= 3 * anchor });
    }
  } finally {
    await app?.close();
    await ctx?.dispose();
  }
}

export async function benchPages(): Promise<void> {
  await run('pglite');
  const url = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'];
  if (url) await run('postgres', url);
}

if (import.meta.main) await benchPages();
