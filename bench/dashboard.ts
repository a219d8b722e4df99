// Dashboards: statements and time per view over a council-sized load (500 conferences by default),
// for business support, a chair (own and whole list) and a social worker; then the page over HTTP with
// 10 concurrent users (BENCH_DASHBOARD_USERS), its p95 against a static asset's in the same run, and the ratio.
// `node bench/dashboard.ts`; BENCH_DASHBOARD_CONFERENCES sets the size, BENCH_DATABASE_URL adds a PostgreSQL run.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../src/composition.ts';
import type { Actor, Role } from '../src/domain/access/roles.ts';
import { londonDateOf } from '../src/domain/calendar/index.ts';
import {
  countingPostgresDatabase,
  countingServices,
  DashboardFixtures,
  type QueryCounter,
} from '../test/support/dashboard-fixtures.ts';
import { buildApp } from '../src/web/app.ts';
import { sessionCookieName } from '../src/web/plugins/auth.ts';

const RUNS = 15;
const USERS = Number(process.env['BENCH_DASHBOARD_USERS'] ?? 10);
const REQUESTS_PER_USER = Number(process.env['BENCH_DASHBOARD_REQUESTS'] ?? 20);

const p95 = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;

/** `USERS` clients at once, each asking for its own page `REQUESTS_PER_USER` times: every request's time, sorted. */
async function load(base: string, paths: (user: number) => { path: string; cookie: string }): Promise<number[]> {
  const times: number[] = [];
  let bytes = 0;
  await Promise.all(
    Array.from({ length: USERS }, async (_, user) => {
      const { path, cookie } = paths(user);
      for (let i = 0; i < REQUESTS_PER_USER; i++) {
        const t0 = performance.now();
        const res = await fetch(base + path, { headers: { cookie } });
        const body = await res.arrayBuffer();
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        bytes = Math.max(bytes, body.byteLength);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

/** The page over HTTP under load, against a static asset served by the same server in the same run. */
async function measureHttp(services: Services, viewers: Array<{ actor: Actor; path: string }>): Promise<void> {
  const app: FastifyInstance = await buildApp(services, { logger: false });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const name = sessionCookieName(false);
    const cookies = new Map<string, string>();
    for (const { actor } of viewers) {
      if (!cookies.has(actor.id))
        cookies.set(actor.id, `${name}=${await services.accounts.startSession(actor.id, { secondFactorDue: false })}`);
    }
    const asset = { path: '/static/app.css', cookie: '' };
    await load(base, () => asset); // warm-up
    const anchor = p95(await load(base, () => asset));
    console.log(
      `  HTTP, ${USERS} concurrent users x ${REQUESTS_PER_USER} requests: static asset p95 ${anchor.toFixed(1)} ms (anchor)`,
    );
    for (const { actor, path } of viewers) {
      const page = () => ({ path, cookie: cookies.get(actor.id)! });
      await load(base, page); // warm-up
      const times = await load(base, page);
      const size = (await (await fetch(base + path, { headers: { cookie: page().cookie } })).arrayBuffer()).byteLength;
      const q = p95(times);
      console.log(
        `  ${`${actor.name}: ${path}`.padEnd(44)} p95 ${q.toFixed(1).padStart(7)} ms  median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms  ${(size / 1024).toFixed(0)} KB  ${(q / anchor).toFixed(1)}x the static asset`,
      );
    }
  } finally {
    await app.close();
  }
}

async function person(services: Services, name: string, roles: Role[]): Promise<Actor> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@bench.example`;
  const u = await services.accounts.createUser(
    { email, name, roles, password: 'correct horse battery staple' },
    { actor: { id: null, label: 'bench' } },
  );
  return { id: u.id, name: u.name, roles: u.roles };
}

async function measure(services: Services, counter: QueryCounter, actor: Actor, request: Record<string, string>) {
  const ctx = { actor: { id: actor.id, label: actor.name } };
  await services.dashboards.view(actor, request, ctx); // warm-up
  const times: number[] = [];
  let statements = 0;
  let items = 0;
  for (let i = 0; i < RUNS; i++) {
    counter.reset();
    const t0 = performance.now();
    const view = await services.dashboards.view(actor, request, ctx);
    times.push(performance.now() - t0);
    statements = counter.count;
    items = view.sections.reduce((n, s) => n + s.items.length, 0);
  }
  times.sort((a, b) => a - b);
  return {
    statements,
    items,
    median: times[Math.floor(times.length / 2)]!,
    p95: times[Math.floor(times.length * 0.95)]!,
  };
}

export async function benchDashboard(count = Number(process.env['BENCH_DASHBOARD_CONFERENCES'] ?? 500)): Promise<void> {
  const url = process.env['BENCH_DATABASE_URL'];
  for (const kind of url ? (['pglite', 'postgres'] as const) : (['pglite'] as const)) {
    const pgDb = kind === 'postgres' ? await countingPostgresDatabase(url!) : null;
    const run = await countingServices(pgDb ? { database: pgDb.database, counter: pgDb.counter } : {});
    try {
      const { services, counter } = run;
      const chairs = await Promise.all([1, 2, 3, 4].map((i) => person(services, `Chair ${i}`, ['chair'])));
      const socialWorkers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => person(services, `Social worker ${i}`, ['social_worker'])),
      );
      const support = await person(services, 'Business support', ['business_support']);
      const today = londonDateOf(services.clock.now());
      const s0 = performance.now();
      await new DashboardFixtures(services).bulk(count, today, { chairs, socialWorkers });
      const seedMs = performance.now() - s0;

      console.log(`dashboards (${kind}, ${count} conferences, seeded in ${seedMs.toFixed(0)} ms; ${RUNS} runs each)`);
      for (const [label, actor, request] of [
        ['business support, every section', support, {}],
        ['chair, own conferences', chairs[0]!, {}],
        ['chair, whole list', chairs[0]!, { chair: 'all' }],
        ['social worker, own children', socialWorkers[0]!, {}],
        ['business support, overdue only', support, { section: 'overdue' }],
        ['business support, page 2', support, { page: '2' }],
      ] as const) {
        const r = await measure(services, counter, actor, request);
        console.log(
          `  ${label.padEnd(34)} ${String(r.items).padStart(4)} items  ${String(r.statements).padStart(2)} statements  median ${r.median.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms`,
        );
      }
      await measureHttp(services, [
        { actor: support, path: '/dashboard' },
        { actor: chairs[0]!, path: '/dashboard' },
        { actor: support, path: '/dashboard?section=overdue' },
      ]);
    } finally {
      await run.dispose();
      await pgDb?.dispose();
    }
  }
}

if (import.meta.main) await benchDashboard();
