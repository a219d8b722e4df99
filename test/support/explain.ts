/**
 * EXPLAIN for the statements a page sent (as noted by statement-log.ts), on PostgreSQL: which of them read a table
 * of some size from end to end (a sequential scan). Sequential scans are priced out first (enable_seqscan off), so
 * the planner picks an index whenever one can answer: a Seq Scan left in the plan means none can, whatever the
 * table's size in the test. Writes, locks and transaction control are not explained.
 */
import pg from 'pg';

export interface SeqScan {
  readonly table: string;
  readonly rows: number;
  readonly statement: string;
}

const READ = /^\s*(select|with)\b/i;

/** Tables of at least `minRows` rows (after ANALYZE) that a sequential scan reads in any of the statements. */
export async function sequentialScans(
  url: string,
  statements: readonly string[],
  params: readonly unknown[][],
  minRows: number,
): Promise<{ explained: number; scans: SeqScan[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('set enable_seqscan = off');
    const sizes = new Map(
      (
        await client.query<{ relname: string; n: string }>(
          `select relname, reltuples::bigint as n from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace`,
        )
      ).rows.map((r) => [r.relname, Number(r.n)]),
    );
    const scans: SeqScan[] = [];
    let explained = 0;
    const seen = new Set<string>();
    for (let i = 0; i < statements.length; i++) {
      const text = statements[i]!;
      if (!READ.test(text) || /pg_advisory/i.test(text) || seen.has(text)) continue;
      seen.add(text);
      const plan = (await client.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${text}`, [...params[i]!]))
        .rows[0]!['QUERY PLAN'];
      explained += 1;
      const walk = (node: Record<string, unknown>) => {
        if (node['Node Type'] === 'Seq Scan') {
          const table = String(node['Relation Name']);
          const rows = sizes.get(table) ?? 0;
          if (rows >= minRows) scans.push({ table, rows, statement: text });
        }
        for (const child of (node['Plans'] as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
      };
      walk((plan as Array<{ Plan: Record<string, unknown> }>)[0]!.Plan);
    }
    return { explained, scans };
  } finally {
    await client.end();
  }
}
