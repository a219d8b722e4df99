/**
 * Counts the SQL statements a database's drizzle client runs from now on (every statement, inside transactions or
 * not), on PGlite and PostgreSQL alike: for tests proving a request's statements do not grow with the data, and
 * (with their parameters, never printed) for tests that EXPLAIN them.
 */
import type { Logger } from 'drizzle-orm';
import type { Database } from '../../src/infra/db/client.ts';

export interface StatementCounter {
  readonly statements: string[];
  /** Each statement's parameters, in the same order as `statements`. */
  readonly params: unknown[][];
  reset(): void;
  stop(): void;
}

export function countStatements(database: Database): StatementCounter {
  // Drizzle's session keeps its logger twice: its own (statements outside a transaction) and in the options a
  // transaction's session is made from.
  const session = (database.db as unknown as { session: { logger: Logger; options: { logger?: Logger } } }).session;
  const before = { own: session.logger, options: session.options.logger };
  const statements: string[] = [];
  const params: unknown[][] = [];
  const logger: Logger = {
    logQuery(query, values) {
      statements.push(query);
      params.push(values);
    },
  };
  session.logger = logger;
  session.options.logger = logger;
  return {
    statements,
    params,
    reset() {
      statements.splice(0);
      params.splice(0);
    },
    stop() {
      session.logger = before.own;
      session.options.logger = before.options;
    },
  };
}
