import type { FastifyInstance } from 'fastify';
import type { FeatureOptions } from '../index.ts';

const PAGE = 50;

export async function auditRoutes(app: FastifyInstance, { services }: FeatureOptions): Promise<void> {
  app.get('/audit', { config: { access: ['auditor', 'admin'] } }, async (request, reply) => {
    const before = Number((request.query as { before?: string }).before);
    const rows = await services.auditTrail.recent(PAGE, Number.isInteger(before) ? before : undefined);
    return reply.view('audit/audit.njk', { title: 'Audit trail', rows, next: rows.length === PAGE ? rows.at(-1)?.seq : null });
  });

  app.post('/audit/verify', { config: { access: ['auditor', 'admin'] } }, async (_request, reply) => {
    const result = await services.auditTrail.verify();
    return reply.view('audit/verify.njk', { title: 'Audit trail check', result });
  });
}
