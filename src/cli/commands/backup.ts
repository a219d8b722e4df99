import type { Command } from 'commander';
import { loadCliConfig } from '../context.ts';
import { CommandFailed, DatabaseInUse } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { recordBackupTaken } from './backup-audit.ts';

/** The embedded database is open in the running service: how to take the backup, step by step. */
class BackupDatabaseInUse extends DatabaseInUse {
  constructor(dataDir: string, pid: number, dir: string) {
    super(dataDir, pid);
    this.message = [
      `the service (process ${pid}) has the embedded database in ${dataDir} open, so nothing was copied.`,
      'The embedded database can be copied only while the service is stopped (a few seconds: only the database is',
      'copied while it is stopped; recordings and other files are copied after, while it runs):',
      `  1. stop the service (for example: systemctl stop cpcr, or kill ${pid});`,
      `  2. run: cpcr backup ${dir}`,
      '  3. start the service again as soon as this command prints "The service may be started again now".',
      'On PostgreSQL (DATABASE_URL) backups are taken while the service runs, with no stop.',
    ].join('\n');
  }
}

export function registerBackup(program: Command, io: CliIo): void {
  program
    .command('backup')
    .description('Copy the database, recordings and other files to a new folder, with a manifest of every file')
    .argument('<dir>', 'a new or empty folder for the backup (not inside DATA_DIR)')
    .option('--keys-to <dir>', 'also copy the recording key and audit signing key to this separate folder')
    .addHelpText(
      'after',
      [
        '',
        'Copies, in this order: the audit checkpoints, the database (PostgreSQL: pg_dump while the service runs;',
        'the embedded database: only while the service is stopped), then every blob (encrypted recordings and',
        'reports, from the folder or the S3 bucket), uploads waiting in staging and unfinished resumable uploads.',
        "manifest.json and SHA256SUMS give every file's size and SHA-256. Prints the manifest's own SHA-256: keep it",
        'with your backup log, so a swapped manifest can be spotted too.',
        '',
        'The keys are never in the backup: with --keys-to they are copied to a separate folder, which must be kept',
        'apart from the backups (whoever holds both can read every recording).',
      ].join('\n'),
    )
    .action(async (dir: string, opts: { keysTo?: string }) => {
      const config = loadCliConfig(io.env);
      const { runBackup, BackupRefused, BackupIncomplete } = await import('../../infra/backup/backup.ts');
      const { NoEmbeddedDatabase, ToolFailed, ToolMissing } = await import('../../infra/backup/database.ts');
      const { DatabaseInUseError } = await import('../../infra/db/pglite-lock.ts');
      if (opts.keysTo !== undefined)
        io.err(
          [
            'WARNING: --keys-to copies the recording key (it decrypts every recording) and the audit signing key.',
            `Keep ${opts.keysTo} apart from the backups, encrypted or offline, and readable by as few people as possible.`,
            '',
          ].join('\n'),
        );
      try {
        const s = await runBackup({ config, dir, keysTo: opts.keysTo, env: io.env, progress: (l) => io.err(`${l}\n`) });
        io.out(
          [
            `Backup written to ${s.dir}: ${s.files} files, ${s.bytes} bytes (${s.blobs} blobs; ${s.recordings} stored recordings).`,
            `Manifest SHA-256: ${s.manifestSha256}`,
            s.keys === null
              ? 'Keys were not copied (they never are without --keys-to): back them up separately, once, and after any change.'
              : `Keys copied to ${opts.keysTo}: ${s.keys.join(', ')}. Keep them apart from the backups.`,
            '',
          ].join('\n'),
        );
        await recordBackupTaken(io, {
          folder: s.dir,
          manifestSha256: s.manifestSha256,
          database: config.databaseUrl ? 'postgres' : 'pglite',
          files: s.files,
          bytes: s.bytes,
          blobs: s.blobs,
          recordings: s.recordings,
          keysCopied: s.keys !== null,
        });
      } catch (err) {
        if (err instanceof DatabaseInUseError) throw new BackupDatabaseInUse(config.dataDir, err.pid, dir);
        if (
          err instanceof BackupRefused ||
          err instanceof BackupIncomplete ||
          err instanceof NoEmbeddedDatabase ||
          err instanceof ToolMissing ||
          err instanceof ToolFailed
        )
          throw new CommandFailed(`${err.message}\nNo backup was written.`);
        throw err;
      }
    });
}
