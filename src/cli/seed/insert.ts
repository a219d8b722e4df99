import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../infra/db/client.ts';

/** PostgreSQL takes at most 65,535 parameters in one statement; stay well under it. */
const MAX_PARAMETERS = 30_000;

/** Multi-row inserts, as many rows a statement as the parameter limit allows. */
export async function insertAll<T extends PgTable>(
  db: DbOrTx,
  table: T,
  rows: Array<T['$inferInsert']>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(getTableColumns(table)).length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns));
  for (let i = 0; i < rows.length; i += perStatement) await db.insert(table).values(rows.slice(i, i + perStatement));
}
