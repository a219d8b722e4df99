// Dashboards: statements and time per view over a council-sized load (500 conferences by default),
// for business support, a chair (own and whole list) and a social worker. `node bench/dashboard.ts`;
// BENCH_DASHBOARD_CONFERENCES sets the size, BENCH_DATABASE_URL adds a PostgreSQL run.
import type { Services } from '../src/composition.ts';
import type { Actor, Role } from '../src/domain/access/roles.ts';
import { londonDateOf } from '../src/domain/calendar/index.ts';
import {
  countingPostgresDatabase,
  countingServices,
  DashboardFixtures,
  type QueryCounter,
} from '../test/support/dashboard-fixtures.ts';

const RUNS = 15;

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
      ] as const) {
        const r = await measure(services, counter, actor, request);
        console.log(
          `  ${label.padEnd(34)} ${String(r.items).padStart(4)} items  ${String(r.statements).padStart(2)} statements  median ${r.median.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms`,
        );
      }
    } finally {
      await run.dispose();
      await pgDb?.dispose();
    }
  }
}

if (import.meta.main) await benchDashboard();
