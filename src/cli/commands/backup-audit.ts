/**
 * The audit entries of `cpcr backup` and `cpcr restore`: who ran the command (the operating-system account, as
 * far as the CLI knows it), what it wrote and the manifest's SHA-256, so the trail says when each backup was
 * taken and which one a database was restored from. Written once the command's work is done: a backup's entry
 * goes into the live database (the backup itself ends before it); a restore's into the restored database, the
 * first entry after the backup's own trail.
 */
import { withServices } from '../context.ts';
import { DatabaseInUse } from '../errors.ts';
import type { CliIo } from '../io.ts';

export const BACKUP_TAKEN = 'backup.taken';
export const BACKUP_RESTORED = 'backup.restored';

/** Records the entry; true once written. */
export async function recordBackupEntry(
  io: CliIo,
  action: typeof BACKUP_TAKEN | typeof BACKUP_RESTORED,
  details: Record<string, unknown>,
): Promise<boolean> {
  return withServices(io, async ({ services, ctx }) => {
    await services.audit.record({
      action,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      outcome: 'success',
      details,
    });
    return true;
  });
}

/**
 * A backup of the embedded database ends while the service may be running again (it was told it could start
 * once the database was copied), and then holds the database: the backup is whole, but its entry cannot be
 * written. Says so plainly, with what to keep instead, rather than failing a good backup.
 */
export async function recordBackupTaken(io: CliIo, details: Record<string, unknown>): Promise<void> {
  try {
    await recordBackupEntry(io, BACKUP_TAKEN, details);
  } catch (err) {
    if (!(err instanceof DatabaseInUse)) throw err;
    io.err(
      [
        'WARNING: the backup is whole, but it could not be recorded in the audit trail: the service has the embedded',
        'database open again. Keep the manifest SHA-256 above in your backup log; the next backup taken while the',
        'service is stopped to the end is recorded.',
        '',
      ].join('\n'),
    );
  }
}
