import type { FastifyInstance } from 'fastify';
import { desc, lt } from 'drizzle-orm';
import { auditEvents } from '../../../infra/db/schema.ts';
import type { FeatureOptions } from '../index.ts';

const PAGE = 50;

export async function auditRoutes(app: FastifyInstance, { services }: FeatureOptions): Promise<void> {
  app.get('/audit', { config: { access: ['auditor', 'admin'] } }, async (request, reply) => {
    const before = Number((request.query as { before?: string }).before);
    const db = services.database.db;
    const q = db.select().from(auditEvents);
    const rows = await (Number.isInteger(before) && before > 0 ? q.where(lt(auditEvents.seq, before)) : q)
      .orderBy(desc(auditEvents.seq))
      .limit(PAGE);
    return reply.view('audit/audit.njk', { title: 'Audit trail', rows, next: rows.length === PAGE ? rows.at(-1)?.seq : null });
  });

  app.post('/audit/verify', { config: { access: ['auditor', 'admin'] } }, async (_request, reply) => {
    const result = await services.auditTrail.verify();
    return reply.view('audit/verify.njk', { title: 'Audit trail check', result });
  });
}
