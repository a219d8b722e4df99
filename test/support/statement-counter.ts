/**
 * Counts the SQL statements a database's drizzle client runs from now on (every statement, inside transactions or
 * not), on PGlite and PostgreSQL alike: for tests proving a request's statements do not grow with the data.
 */
import type { Logger } from 'drizzle-orm';
import type { Database } from '../../src/infra/db/client.ts';

export interface StatementCounter {
  readonly statements: string[];
  reset(): void;
  stop(): void;
}

export function countStatements(database: Database): StatementCounter {
  // Drizzle's session keeps its logger twice: its own (statements outside a transaction) and in the options a
  // transaction's session is made from.
  const session = (database.db as unknown as { session: { logger: Logger; options: { logger?: Logger } } }).session;
  const before = { own: session.logger, options: session.options.logger };
  const statements: string[] = [];
  const logger: Logger = { logQuery: (query) => void statements.push(query) };
  session.logger = logger;
  session.options.logger = logger;
  return {
    statements,
    reset: () => void statements.splice(0),
    stop() {
      session.logger = before.own;
      session.options.logger = before.options;
    },
  };
}
