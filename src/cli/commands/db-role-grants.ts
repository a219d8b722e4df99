import pg from 'pg';
import { PgBoss } from 'pg-boss';

/** Tables the service may read and add to but never change or remove rows of, whatever their triggers do. */
export const APPEND_ONLY_TABLES = ['audit_events'] as const;

/**
 * The owner's functions (SECURITY DEFINER, migrations 0037 and 0042) through which alone the service destroys stored
 * recordings, disclosure copies, conferences' written records and requests for copies (R-3, R-4); each refuses unless
 * a proposal approved by a second person covers the item and no legal hold is current on it.
 */
export const DISPOSAL_FUNCTIONS = [
  'cpcr_dispose_recording(uuid, uuid)',
  'cpcr_dispose_disclosure_copy(uuid, uuid)',
  'cpcr_dispose_conference_record(uuid, uuid)',
  'cpcr_dispose_copy_request(uuid, uuid)',
] as const;

/** A role name as PostgreSQL stores an unquoted one: lower-case letters, digits and underscores. */
export const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface GrantReport {
  database: string;
  owner: string;
  tables: number;
  queueTables: number;
  appendOnly: string[];
  disposalFunctions: string[];
}

/** The runtime role cannot be made safe, or the database is not ready; nothing was granted. */
export class GrantRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GrantRefused';
  }
}

type Row = Record<string, unknown>;

/**
 * Makes `role` the service's runtime role, run as the owner of the tables (the role migrations run as).
 * Idempotent: every privilege of the role on the service's tables is first revoked, then exactly these
 * are granted, in one transaction:
 *  - read, add, change and remove rows in the service's tables, except the append-only ones (the audit
 *    trail): read and add only;
 *  - the same on pg-boss's job queue tables, and use of every sequence;
 *  - read the list of applied migrations (so the service can see it has nothing to apply);
 *  - run the disposal functions, the only way to remove rows the triggers keep for good, and no other
 *    function of the owner's beyond what PostgreSQL gives everyone.
 * Nothing else: the role owns nothing, so it cannot ALTER or DROP a table, disable a trigger, or create
 * anything, and the append-only triggers stand whatever it does.
 */
export async function grantRuntime(url: string, role: string): Promise<GrantReport> {
  await ensureQueueSchema(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = async (text: string, values: unknown[] = []): Promise<Row[]> =>
    (await client.query(text, values)).rows as Row[];
  try {
    const [who] = await q(`select current_user as owner, current_database() as database`);
    const owner = String(who!['owner']);
    const database = String(who!['database']);
    const [r] = await q(
      `select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication from pg_roles where rolname = $1`,
      [role],
    );
    if (!r)
      throw new GrantRefused(
        `There is no role "${role}". Create it first (as a database administrator), for example:\n` +
          `  CREATE ROLE ${role} LOGIN PASSWORD '…';\nthen run this command again.`,
      );
    if (role === owner)
      throw new GrantRefused(
        `"${role}" is the role this command runs as, which owns the tables. The runtime role must be another role: ` +
          'run this command with DATABASE_URL naming the owner role, and --role naming the role the service runs as.',
      );
    const powers = (['rolsuper', 'rolbypassrls', 'rolcreaterole', 'rolcreatedb', 'rolreplication'] as const).filter(
      (p) => r[p],
    );
    if (powers.length > 0)
      throw new GrantRefused(
        `"${role}" has ${powers.map((p) => p.replace(/^rol/, '').toUpperCase()).join(', ')}: such a role is not held back by grants. ` +
          `Remove them (ALTER ROLE ${role} NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOREPLICATION) and run this again.`,
      );
    const [member] = await q(`select pg_has_role($1, $2, 'MEMBER') as member`, [role, owner]);
    if (member!['member'])
      throw new GrantRefused(
        `"${role}" is a member of the owner role "${owner}", so it can act as the owner. Revoke that membership first.`,
      );
    const owned = await q(
      `select kind || ' ' || name as what from (
         select 'table' as kind, n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where pg_get_userbyid(c.relowner) = $1
         union all select 'schema', nspname from pg_namespace where pg_get_userbyid(nspowner) = $1
         union all select 'function', p.proname from pg_proc p where pg_get_userbyid(p.proowner) = $1
         union all select 'type', t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
           where pg_get_userbyid(t.typowner) = $1 and t.typrelid = 0
       ) owned order by 1 limit 10`,
      [role],
    );
    if (owned.length > 0)
      throw new GrantRefused(
        `"${role}" owns ${owned.map((o) => String(o['what'])).join(', ')} in this database. The runtime role must own nothing: ` +
          `as the owner, run REASSIGN OWNED BY ${role} TO ${owner}; then run this again.`,
      );
    const [migrated] = await q(`select to_regclass('public.audit_events') is not null as ok`);
    if (!migrated!['ok'])
      throw new GrantRefused('The database has no tables yet: run cpcr migrate (as the owner) first.');
    const functionsMissing: string[] = [];
    for (const f of DISPOSAL_FUNCTIONS) {
      const [found] = await q(`select to_regprocedure($1) is not null as ok`, [`public.${f}`]);
      if (!found!['ok']) functionsMissing.push(f);
    }
    if (functionsMissing.length > 0)
      throw new GrantRefused(
        `The database lacks ${functionsMissing.join(', ')}: run cpcr migrate (as the owner) first, then this again.`,
      );

    const id = client.escapeIdentifier(role);
    const tables = (
      await q(
        `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
      )
    ).map((t) => String(t['relname']));
    const queueTables = await q(
      `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'pgboss' and c.relkind in ('r', 'p')`,
    );
    const disposal = DISPOSAL_FUNCTIONS.map((f) => `public.${f}`).join(', ');
    await client.query('begin');
    const statements = [
      `grant connect on database ${client.escapeIdentifier(database)} to ${id}`,
      `revoke create on schema public from ${id}`,
      `grant usage on schema public, pgboss, drizzle to ${id}`,
      `revoke all on all tables in schema public, pgboss, drizzle from ${id}`,
      `revoke all on all sequences in schema public, pgboss, drizzle from ${id}`,
      `revoke all on all functions in schema public from ${id}`,
      `grant select, insert, update, delete on all tables in schema public, pgboss to ${id}`,
      ...APPEND_ONLY_TABLES.map((t) => `revoke update, delete on ${client.escapeIdentifier(t)} from ${id}`),
      `grant usage, select on all sequences in schema public, pgboss to ${id}`,
      `grant select on drizzle.__drizzle_migrations to ${id}`,
      // Not everyone's (a restore without privileges gives PUBLIC the right to run a function again).
      `revoke all on function ${disposal} from public`,
      `grant execute on function ${disposal} to ${id}`,
    ];
    try {
      for (const s of statements) await client.query(s);
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
    // Rights that come from PUBLIC rather than from these grants (a database created before PostgreSQL 15).
    const [left] = await q(
      `select has_schema_privilege($1, 'public', 'CREATE') as schema_create, has_database_privilege($1, current_database(), 'CREATE') as db_create`,
      [role],
    );
    if (left!['schema_create'] || left!['db_create'])
      throw new GrantRefused(
        `The grants were applied, but "${role}" can still create objects through PUBLIC's rights ` +
          `(${[left!['schema_create'] ? 'CREATE on schema public' : '', left!['db_create'] ? 'CREATE on the database' : ''].filter(Boolean).join(', ')}). ` +
          `As the owner, run: REVOKE CREATE ON SCHEMA public FROM PUBLIC; REVOKE CREATE ON DATABASE ${database} FROM PUBLIC; then this again.`,
      );
    return {
      database,
      owner,
      tables: tables.length,
      queueTables: Number(queueTables[0]!['n']),
      appendOnly: [...APPEND_ONLY_TABLES],
      disposalFunctions: DISPOSAL_FUNCTIONS.map((f) => f.replace(/\(.*$/, '')),
    };
  } finally {
    await client.end();
  }
}

/**
 * pg-boss keeps its job tables in its own schema, which it creates (or upgrades) when it first starts.
 * The runtime role cannot create it, so the owner does it here: started once without any of its
 * maintenance, then stopped.
 */
async function ensureQueueSchema(url: string): Promise<void> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.stop({ graceful: false });
}
