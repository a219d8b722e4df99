/**
 * The dashboards' statements on PostgreSQL over a seeded council: every statement each view runs, exactly as the
 * repository issues it (captured with its parameters), is run under EXPLAIN ANALYZE, and no table of more than a few
 * hundred rows is read by a sequential scan that keeps less than half of what it reads, or that runs more than once
 * (a list of keys aside, below).
 * A whole-table read that keeps most rows (every conference held or adjourned, every issued draft, to find which
 * still owe a document: T-6, T-7) is the right plan; reading every decision to find the few whose plan ended (T-9), or
 * a table once per outer row, is not. The seeded council issues most held conferences' documents, as a council does.
 * PostgreSQL only (PGlite's planner is the same, but its timings are not what a council runs on).
 */
import { env } from 'node:process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCouncil } from '../../../cli/seed/seed-council.ts';
import type { Services } from '../../../composition.ts';
import type { Actor, Role } from '../../../domain/access/roles.ts';
import { countingPostgresDatabase, countingServices } from '../../../../test/support/dashboard-fixtures.ts';
import { countStatements } from '../../../../test/support/statement-counter.ts';

const url = env['TEST_DATABASE_URL'];
const LARGE = 300;
/**
 * A filter that is only a list of keys an earlier statement found (the conferences named by referrals and plans, the
 * children of the conferences shown): PostgreSQL rightly reads a table of a few thousand rows once rather than probe
 * its index once per key, and switches to the index as the table grows.
 */
const KEY_LIST = /^\(\w+ = ANY \('\{[^}]*\}'::uuid\[\]\)\)$/;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Filter?: string;
  Plans?: PlanNode[];
}

function* nodes(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* nodes(child);
}

const VIEWS: Array<[string, Record<string, string>, Role]> = [
  ['every section (business support)', {}, 'business_support'],
  ['every section (a chair’s own)', {}, 'chair'],
  ['every section (a chair, whole list)', { chair: 'all' }, 'chair'],
  ['overdue', { section: 'overdue' }, 'business_support'],
  ['upcoming', { section: 'upcoming' }, 'business_support'],
  ['records due', { section: 'records-due' }, 'business_support'],
  // T-6 / T-7: the light statement that counts and orders records due, then a later page's rows loaded by name.
  ['records due, page 2', { section: 'records-due', page: '2' }, 'business_support'],
  ['records due (a chair’s own)', { section: 'records-due' }, 'chair'],
  ['reviews due', { section: 'reviews-due' }, 'business_support'],
  ['plans ended', { section: 'plan-ended' }, 'business_support'],
];

describe.skipIf(!url)('dashboard statements on PostgreSQL read large tables through indexes', () => {
  let pgDb: Awaited<ReturnType<typeof countingPostgresDatabase>>;
  let run: Awaited<ReturnType<typeof countingServices>>;
  let services: Services;
  const rowCounts = new Map<string, number>();

  beforeAll(async () => {
    pgDb = await countingPostgresDatabase(url!);
    run = await countingServices({ database: pgDb.database, counter: pgDb.counter });
    services = run.services;
    // Enough conferences that each table the dashboards read holds thousands of rows, as a council's would.
    await seedCouncil(services, { years: 1, conferencesPerYear: 1500, auditEntries: 100, seed: 16 });
    await services.database.execute('analyze');
    const { rows } = await services.database.execute(
      `select c.relname as name, c.reltuples::bigint as rows from pg_class c
        join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'`,
    );
    for (const r of rows as Array<{ name: string; rows: string }>) rowCounts.set(r.name, Number(r.rows));
  }, 240_000);

  afterAll(async () => {
    await run?.dispose();
    await pgDb?.dispose();
  });

  it('has seeded tables large enough for the planner to prefer an index where one fits', () => {
    for (const table of ['conferences', 'child_decisions', 'child_plans', 'conference_children'])
      expect(rowCounts.get(table), table).toBeGreaterThan(1000);
  });

  it.each(VIEWS)('%s', async (_label, query, role) => {
    const { rows } = await services.database.execute(
      `select id, name, roles from users where $1 = any(roles) and disabled_at is null order by email limit 1`,
      [role],
    );
    const [actor] = rows as Actor[];
    if (!actor) throw new Error(`The seeded council has no ${role}`);
    const recorder = countStatements(services.database);
    try {
      await services.dashboards.view(actor, query, { actor: { id: actor.id, label: actor.name } });
    } finally {
      recorder.stop();
    }
    const reads = recorder.statements
      .map((sql, i) => ({ sql, params: recorder.params[i]! }))
      .filter((s) => /^\s*select\b/i.test(s.sql));
    expect(reads.some((s) => /(from|join) "conferences"/.test(s.sql))).toBe(true);
    const defects: string[] = [];
    for (const { sql, params } of reads) {
      const { rows: planRows } = await services.database.execute(
        `explain (analyze, format json) ${sql}`,
        params.map((p) => (p instanceof Date ? p.toISOString() : p)),
      );
      const plan = (planRows[0] as { 'QUERY PLAN': Array<{ Plan: PlanNode }> })['QUERY PLAN'][0]!.Plan;
      for (const node of nodes(plan)) {
        if (node['Node Type'] !== 'Seq Scan' || !node['Relation Name']) continue;
        const size = rowCounts.get(node['Relation Name']) ?? 0;
        const loops = node['Actual Loops'] ?? 0;
        if (size <= LARGE || loops === 0 || KEY_LIST.test(node.Filter ?? '')) continue;
        const kept = node['Actual Rows'] ?? 0;
        const read = kept + (node['Rows Removed by Filter'] ?? 0);
        if (loops > 1 || kept * 2 < read)
          defects.push(
            `Seq Scan on ${node['Relation Name']} (${node.Alias}, ${size} rows): kept ${kept} of ${read}, ` +
              `${loops} loop(s), in: ${sql.slice(0, 160)}`,
          );
      }
    }
    expect(defects).toEqual([]);
  });
});
