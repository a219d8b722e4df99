import type { RetentionUnitOfWork } from '../../../app/retention/ports.ts';
import { auditLogFor } from '../../audit/audit-repository.ts';
import type { Db } from '../client.ts';
import { retentionRepository } from './retention-repository.ts';

/** Retention's tables and the audit log in one transaction: a change is never saved unaudited. */
export function createRetentionUnitOfWork(db: Db, clock: () => Date): RetentionUnitOfWork {
  return {
    run: (fn) =>
      db.transaction(async (tx) => fn({ retention: retentionRepository(tx), audit: auditLogFor(tx, clock, true) })),
  };
}
