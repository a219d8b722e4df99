// Dashboards: each view's page over HTTP with 10 concurrent users (BENCH_DASHBOARD_USERS), its p95 against
// a static asset served by the same app in the same run, and the ratio. Targets: p95 ≤ 50 ms and ≤ 3× the static
// asset. Over a council seeded by the seed generator (src/cli/seed): BENCH_DASHBOARD_YEARS (default 1) years of
// BENCH_DASHBOARD_PER_YEAR (default 5000, a large council) conferences. First each view in process, one at a time,
// with the statements it runs. `node bench/dashboard.ts`: PGlite, and PostgreSQL too when BENCH_DATABASE_URL (or
// TEST_DATABASE_URL) names a server (a database is created for the run and dropped after). BENCH_DASHBOARD_REQUESTS
// (default 20) requests per user, BENCH_DASHBOARD_RUNS (default 15) runs of each view in process.
import type { FastifyInstance } from 'fastify';
import { seedCouncil } from '../src/cli/seed/seed-council.ts';
import type { Services } from '../src/composition.ts';
import type { Actor, Role } from '../src/domain/access/roles.ts';
import { buildApp } from '../src/web/app.ts';
import { sessionCookieName } from '../src/web/plugins/auth.ts';
import { countingPostgresDatabase, countingServices, type QueryCounter } from '../test/support/dashboard-fixtures.ts';
import { report } from './report.ts';

const RUNS = Number(process.env['BENCH_DASHBOARD_RUNS'] ?? 15);
const USERS = Number(process.env['BENCH_DASHBOARD_USERS'] ?? 10);
const REQUESTS_PER_USER = Number(process.env['BENCH_DASHBOARD_REQUESTS'] ?? 20);
const YEARS = Number(process.env['BENCH_DASHBOARD_YEARS'] ?? 1);
const PER_YEAR = Number(process.env['BENCH_DASHBOARD_PER_YEAR'] ?? 5000);
const TARGET_MS = 50;
const TARGET_RATIO = 3;

const p95 = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;

/** `USERS` clients at once, each asking for its page `requests` times: every request's time, sorted. */
async function load(
  base: string,
  request: (user: number) => { path: string; cookie: string },
  requests = REQUESTS_PER_USER,
): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: USERS }, async (_, user) => {
      const { path, cookie } = request(user);
      for (let i = 0; i < requests; i++) {
        const t0 = performance.now();
        const res = await fetch(base + path, { headers: { cookie } });
        await res.arrayBuffer();
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

interface View {
  label: string;
  /** Each concurrent user's own account, so no request is served from another's session. */
  actors: Actor[];
  query: Record<string, string>;
}

/** Each view over HTTP under load, against a static asset served by the same app in the same run. */
async function measureHttp(services: Services, kind: string, views: View[]): Promise<void> {
  const app: FastifyInstance = await buildApp(services, { logger: false });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const name = sessionCookieName(false);
    const cookies = new Map<string, string>();
    for (const actor of views.flatMap((v) => v.actors)) {
      if (!cookies.has(actor.id))
        cookies.set(actor.id, `${name}=${await services.accounts.startSession(actor.id, { secondFactorDue: false })}`);
    }
    const asset = { path: '/static/app.css', cookie: '' };
    await load(base, () => asset, 1); // warm-up: one request each
    const anchor = { what: `static asset p95 (${USERS} users)`, value: p95(await load(base, () => asset)) };
    for (const view of views) {
      const path = `/dashboard${Object.keys(view.query).length ? `?${new URLSearchParams(view.query)}` : ''}`;
      const request = (user: number) => {
        const actor = view.actors[user % view.actors.length]!;
        return { path, cookie: cookies.get(actor.id)! };
      };
      await load(base, request, 1); // warm-up: one request each
      const value = p95(await load(base, request));
      const what = `dashboard ${view.label}, ${kind}, p95 with ${USERS} users`;
      report({ what, value, unit: 'ms', target: `≤ ${TARGET_MS} ms`, met: value <= TARGET_MS });
      report({ what, value, unit: 'ms', anchor, target: `≤ ${TARGET_RATIO}× static`, met: value <= anchor.value * 3 });
    }
  } finally {
    await app.close();
  }
}

/** One view in process, one at a time: its median time, items shown and statements run. */
async function measureInProcess(services: Services, counter: QueryCounter, view: View): Promise<void> {
  const actor = view.actors[0]!;
  const ctx = { actor: { id: actor.id, label: actor.name } };
  await services.dashboards.view(actor, view.query, ctx); // warm-up
  const times: number[] = [];
  let statements = 0;
  let items = 0;
  let counted = 0;
  for (let i = 0; i < RUNS; i++) {
    counter.reset();
    const t0 = performance.now();
    const result = await services.dashboards.view(actor, view.query, ctx);
    times.push(performance.now() - t0);
    statements = counter.count;
    items = result.sections.reduce((n, s) => n + s.items.length, 0);
    counted = Object.values(result.counts).reduce<number>((n, c) => n + (c ?? 0), 0);
  }
  times.sort((a, b) => a - b);
  console.log(
    `  ${view.label.padEnd(40)} ${String(items).padStart(3)} shown of ${String(counted).padStart(5)}  ${String(statements).padStart(2)} statements  median ${times[Math.floor(RUNS / 2)]!.toFixed(1)} ms (one user, in process)`,
  );
}

async function seededActors(services: Services, role: Role, n: number): Promise<Actor[]> {
  const { rows } = await services.database.execute(
    `select id, name, roles from users where $1 = any(roles) and disabled_at is null order by email limit ${n}`,
    [role],
  );
  return (rows as Array<{ id: string; name: string; roles: Role[] }>).map((r) => ({
    id: r.id,
    name: r.name,
    roles: r.roles,
  }));
}

export async function benchDashboard(): Promise<void> {
  const url = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'];
  for (const kind of url ? (['pglite', 'postgres'] as const) : (['pglite'] as const)) {
    const pgDb = kind === 'postgres' ? await countingPostgresDatabase(url!) : null;
    const run = await countingServices(pgDb ? { database: pgDb.database, counter: pgDb.counter } : {});
    try {
      const { services, counter } = run;
      const seeded = await seedCouncil(services, {
        years: YEARS,
        conferencesPerYear: PER_YEAR,
        auditEntries: 1000,
        seed: 16,
      });
      const support = await seededActors(services, 'business_support', USERS);
      const chairs = await seededActors(services, 'chair', USERS);
      console.log(
        `dashboards (${kind}; seeded ${seeded.conferences} conferences, ${seeded.children} children in ${(seeded.ms / 1000).toFixed(0)} s)`,
      );
      const views: View[] = [
        { label: 'all sections (business support)', actors: support, query: {} },
        { label: 'all sections (chair, own)', actors: chairs, query: {} },
        { label: 'all sections (chair, whole list)', actors: chairs, query: { chair: 'all' } },
        { label: 'overdue', actors: support, query: { section: 'overdue' } },
        { label: 'upcoming', actors: support, query: { section: 'upcoming' } },
        { label: 'records due', actors: support, query: { section: 'records-due' } },
        { label: 'reviews due', actors: support, query: { section: 'reviews-due' } },
        { label: 'all sections, page 2', actors: support, query: { page: '2' } },
      ];
      for (const view of views) await measureInProcess(services, counter, view);
      await measureHttp(services, kind, views);
    } finally {
      await run.dispose();
      await pgDb?.dispose();
    }
  }
}

if (import.meta.main) await benchDashboard();
