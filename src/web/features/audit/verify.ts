/** Checking the audit trail's integrity (its hash chain and signed checkpoints); the check is itself audited. */
import type { FastifyInstance } from 'fastify';
import { verifyAuditTrail } from '../../../app/audit/audit-reading.ts';
import { readingContext } from '../../forms/index.ts';
import { ACCESS, type AuditDeps } from './deps.ts';

export function verifyPage(app: FastifyInstance, deps: AuditDeps): void {
  app.post('/audit/verify', { config: ACCESS }, async (request, reply) => {
    const trail = { trail: deps.auditTrail, audit: deps.audit };
    const result = await verifyAuditTrail(trail, readingContext(request));
    return reply.view('audit/verify.njk', { title: 'Audit trail check', result });
  });
}
