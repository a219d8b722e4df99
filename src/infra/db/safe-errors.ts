/**
 * Database errors without personal data. A failed query's error carries the SQL and every bound value
 * (drizzle's `DrizzleQueryError` prints them into its message and stack; pg and PGlite add `detail`,
 * `where`, `query` and `params`), and the values are what people typed: names, dates of birth,
 * addresses, case notes. Errors are scrubbed where they are raised (see client.ts), and the log
 * serializer (logger.ts) writes only the SQLSTATE code, constraint and table of any database error.
 */

/** What may be logged about a database error. */
export interface DatabaseErrorFacts {
  code?: string;
  constraint?: string;
  table?: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
/** Properties of driver errors that can hold values from the query or the row. */
const UNSAFE_PROPS = [
  'query',
  'params',
  'detail',
  'where',
  'internalQuery',
  'internalPosition',
  'hint',
  'queryOptions',
  'parameters',
  'values',
  'position',
];

function isDrizzleQueryError(e: object): boolean {
  return (
    (e as { constructor?: { name?: string } }).constructor?.name === 'DrizzleQueryError' ||
    ('query' in e && 'params' in e && /^Failed query: /.test(String((e as { message?: unknown }).message)))
  );
}

function isDriverError(e: object): boolean {
  const code = (e as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    SQLSTATE.test(code) &&
    ('severity' in e ||
      'routine' in e ||
      'constraint' in e ||
      'table' in e ||
      (e as { name?: unknown }).name === 'DatabaseError')
  );
}

/** True when the error, or anything in its cause chain, came from the database. */
export function isDatabaseError(err: unknown): boolean {
  for (
    let e: unknown = err, depth = 0;
    e && typeof e === 'object' && depth < 10;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (isDrizzleQueryError(e) || isDriverError(e)) return true;
  }
  return false;
}

/** The code, constraint and table of the first driver error in the cause chain. */
export function databaseErrorFacts(err: unknown): DatabaseErrorFacts {
  for (
    let e: unknown = err, depth = 0;
    e && typeof e === 'object' && depth < 10;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (isDriverError(e)) {
      const x = e as { code: string; constraint?: unknown; table?: unknown };
      return {
        code: x.code,
        ...(typeof x.constraint === 'string' ? { constraint: x.constraint } : {}),
        ...(typeof x.table === 'string' ? { table: x.table } : {}),
      };
    }
  }
  return {};
}

/**
 * SQLSTATE classes whose messages name only constraints, columns, tables or what our own triggers
 * say (integrity, transaction, privilege and syntax, connection and resource errors), never a value.
 * Data exceptions (class 22, e.g. 'invalid input syntax for type uuid: "…"') quote what was sent.
 */
const SAFE_MESSAGE_CLASSES = ['08', '23', '25', '40', '42', '53', '57'];

export function safeDatabaseMessage(facts: DatabaseErrorFacts, driverMessage?: string): string {
  // Already scrubbed where it was raised: that message is the safe one.
  if (driverMessage?.startsWith('Database query failed')) return driverMessage;
  const parts = [
    facts.code && `code ${facts.code}`,
    facts.constraint && `constraint ${facts.constraint}`,
    facts.table && `table ${facts.table}`,
  ].filter(Boolean);
  const head = `Database query failed${parts.length ? ` (${parts.join(', ')})` : ''}`;
  const safe = facts.code && SAFE_MESSAGE_CLASSES.includes(facts.code.slice(0, 2)) && driverMessage;
  return safe ? `${head}: ${driverMessage}` : head;
}

/** The message the driver gave (the first driver error in the cause chain), before any scrubbing. */
function driverMessageOf(err: unknown): string | undefined {
  for (
    let e: unknown = err, depth = 0;
    e && typeof e === 'object' && depth < 10;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (isDriverError(e)) return String((e as { message?: unknown }).message ?? '');
  }
  return undefined;
}

/** The stack's frames only: its first lines repeat the message, which is where drizzle put the values. */
function framesOnly(stack: unknown, message: string, name: string): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const at = stack.indexOf('\n    at ');
  return `${name}: ${message}${at >= 0 ? stack.slice(at) : ''}`;
}

/**
 * Removes the query, its values and the row's values from a database error and its causes, in place,
 * keeping the class, SQLSTATE code, constraint and table (callers test `code === '23505'`). Returns
 * the same error; anything that is not a database error is returned untouched.
 */
export function scrubDatabaseError<T>(err: T): T {
  if (!isDatabaseError(err)) return err;
  const facts = databaseErrorFacts(err);
  const message = safeDatabaseMessage(facts, driverMessageOf(err));
  for (
    let e: unknown = err, depth = 0;
    e && typeof e === 'object' && depth < 10;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (!isDrizzleQueryError(e) && !isDriverError(e)) continue;
    const x = e as Record<string, unknown> & { message: string; stack?: string; name?: string };
    for (const p of UNSAFE_PROPS) if (p in x) delete x[p];
    // Driver messages can quote a value ('invalid input syntax for type uuid: "…"').
    try {
      x.message = message;
      const stack = framesOnly(x.stack, message, typeof x.name === 'string' ? x.name : 'Error');
      if (stack !== undefined) x.stack = stack;
    } catch {
      // A frozen error: the serializer still writes only the facts.
    }
  }
  return err;
}

/** What the log serializer writes for a database error: never its message, query, values or detail. */
export function serializeDatabaseError(err: Error): {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
} {
  const facts = databaseErrorFacts(err);
  const message = safeDatabaseMessage(facts, driverMessageOf(err));
  return {
    type: err.name || 'Error',
    message,
    ...facts,
    stack: framesOnly(err.stack, message, err.name || 'Error') ?? '',
  };
}
