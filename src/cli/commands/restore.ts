import path from 'node:path';
import type { Command } from 'commander';
import { loadCliConfig } from '../context.ts';
import { CommandFailed, DatabaseInUse } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { BACKUP_RESTORED, recordBackupEntry } from './backup-audit.ts';

export function registerRestore(program: Command, io: CliIo): void {
  program
    .command('restore')
    .description('Restore a backup made by cpcr backup into an empty DATA_DIR (and an empty database and bucket)')
    .argument('<dir>', 'the backup folder')
    .option('--keys-from <dir>', 'the keys folder made by cpcr backup --keys-to')
    .addHelpText(
      'after',
      [
        '',
        'First checks every file in the backup against its manifest (size and SHA-256): a damaged, swapped, missing',
        'or added file is named and nothing is restored. Then checks that DATA_DIR, the audit checkpoint folder, the',
        'database (DATABASE_URL, as its owner role) and the S3 bucket (BLOB_STORE=s3) are empty, and only then',
        'restores. Afterwards run cpcr audit verify and cpcr fixity verify before starting the service.',
      ].join('\n'),
    )
    .action(async (dir: string, opts: { keysFrom?: string }) => {
      const config = loadCliConfig(io.env);
      const { runRestore, RestoreRefused } = await import('../../infra/backup/restore.ts');
      const { BackupInvalid } = await import('../../infra/backup/manifest.ts');
      const { ToolFailed, ToolMissing } = await import('../../infra/backup/database.ts');
      const { DatabaseInUseError } = await import('../../infra/db/pglite-lock.ts');
      try {
        const s = await runRestore({
          config,
          dir,
          keysFrom: opts.keysFrom,
          env: io.env,
          progress: (l) => io.err(`${l}\n`),
        });
        // Into the restored database, so its trail says where it came from (before anything else is written).
        await recordBackupEntry(io, BACKUP_RESTORED, {
          from: path.resolve(dir),
          manifestSha256: s.manifestSha256,
          backupCreatedAt: s.backupCreatedAt,
          database: config.databaseUrl ? 'postgres' : 'pglite',
          files: s.files,
          blobs: s.blobs,
          recordings: s.recordings,
          keys: s.keys,
        });
        io.out(
          [
            `Restored ${s.files} files (${s.blobs} blobs; ${s.recordings} stored recordings) into ${config.dataDir}` +
              `${config.databaseUrl ? ' and the PostgreSQL database' : ''}; keys ${s.keys}.`,
            'Next, before starting the service:',
            '  cpcr audit verify     (if it says the trail is behind its signed checkpoints or witness, which a restore of',
            '                         an older backup does: cpcr audit acknowledge-restore --reason "…", then verify again)',
            '  cpcr fixity verify',
            ...(config.databaseUrl ? ['  cpcr db grant-runtime --role <the role the service runs as>'] : []),
            '',
          ].join('\n'),
        );
      } catch (err) {
        if (err instanceof DatabaseInUseError) throw new DatabaseInUse(config.dataDir, err.pid);
        if (err instanceof BackupInvalid)
          throw new CommandFailed(
            `THE BACKUP FAILED ITS CHECK, so nothing was restored:\n${err.problems.map((p) => `  ${p}`).join('\n')}\n` +
              'Use another copy of the backup, and keep this one as it is for investigation.',
          );
        if (err instanceof RestoreRefused || err instanceof ToolMissing || err instanceof ToolFailed)
          throw new CommandFailed(err.message);
        throw err;
      }
    });
}
