/**
 * The audit trail for auditors and administrators: the filtered trail a page at a time, its CSV export and
 * its integrity check. Every view, export and check is itself audited.
 */
import type { FastifyInstance } from 'fastify';
import type { AuditDeps } from './deps.ts';
import { exportCsv } from './export.ts';
import { trailPage } from './trail-page.ts';
import { verifyPage } from './verify.ts';

export async function auditRoutes(app: FastifyInstance, deps: AuditDeps): Promise<void> {
  trailPage(app, deps);
  exportCsv(app, deps);
  verifyPage(app, deps);
}
