import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import type { AuditLog } from '../../../app/audit/audit-log.ts';
import type { AuditTrailPort } from '../../../app/audit/audit-reading.ts';

/** What the audit trail pages use: the accounts (for the list of people), the trail, and the log their reading is recorded in. */
export interface AuditDeps {
  accounts: Pick<AccountsService, 'listUsers'>;
  auditTrail: AuditTrailPort;
  audit: AuditLog;
}

export const ACCESS = { access: ['auditor', 'admin'] as const };

/** Entries on one page of the trail. */
export const PAGE = 50;
