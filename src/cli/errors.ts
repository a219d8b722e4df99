/**
 * Exit codes: 0 done, 1 failed (or the audit trail failed verification), 2 usage error, 75 the embedded
 * database is in use by the running service so nothing was done (EX_TEMPFAIL), 78 bad configuration (EX_CONFIG).
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  databaseInUse: 75,
  config: 78,
} as const;

/** The command was called wrongly: a missing or invalid option, or no password on standard input. Exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command ran but did not succeed, and the message says why. Exit 1. */
export class CommandFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailed';
  }
}

/**
 * The embedded database is open in another process, almost always the running service. PGlite is one
 * process's database, so the command did nothing. Its own exit code (75) lets monitoring that runs
 * `cpcr audit verify` tell "could not check" from "the trail failed verification" (1).
 */
export class DatabaseInUse extends CommandFailed {
  constructor(dataDir: string, pid: number) {
    super(
      [
        `the service (process ${pid}) has the embedded database in ${dataDir} open. The embedded database can be`,
        'used by one process at a time, so nothing was checked or changed. Either:',
        `  - stop the service (Ctrl-C where it runs, or: kill ${pid}), run this command, then start the service again; or`,
        '  - run the service on PostgreSQL (set DATABASE_URL, for the service and this command), where every cpcr command',
        '    works while the service runs.',
        'While the service runs, administrators can disable an account under Users, and auditors can check the audit',
        'trail from the Audit trail page.',
        `(If process ${pid} is another cpcr command, wait for it to finish.)`,
      ].join('\n'),
    );
    this.name = 'DatabaseInUse';
  }
}
