import type { FastifyInstance } from 'fastify';
import { type TestContext, createTestServices } from '../../../../test/support/services.ts';
import { MailService } from '../../../app/mail/mail-service.ts';
import type { MailDelivery } from '../../../app/mail/ports.ts';
import { createMailUnitOfWork } from '../../../infra/mail/repositories.ts';
import { CapturingLogger } from '../../../infra/mail/test-support.ts';
import { ensureMailTables } from '../../../infra/mail/test-tables.ts';
import { buildApp } from '../../app.ts';
import { outboxRoutes } from './routes.ts';

export interface OutboxTestContext {
  ctx: TestContext;
  app: FastifyInstance;
  mail: MailService;
  /** Message ids whose delivery was queued. */
  queued: string[];
  dispose(): Promise<void>;
}

/**
 * The whole app with the outbox pages and a MailService over the test database. Until the lead wires
 * mail into the composition root and the feature list, the tables are created here and the routes
 * registered here; once wired, the app's own MailService and routes are used.
 */
export async function outboxTestContext(kind: 'pglite' | 'postgres', opts: { delivery?: MailDelivery; listen?: boolean } = {}): Promise<OutboxTestContext & { baseUrl: string }> {
  const ctx = await createTestServices(kind);
  await ensureMailTables(ctx.services.database);
  const queued: string[] = [];
  const wired = (ctx.services as unknown as { mail?: MailService }).mail;
  const mail =
    wired ??
    new MailService({
      uow: createMailUnitOfWork(ctx.services.database.db, () => ctx.clock.now()),
      clock: ctx.clock,
      delivery: opts.delivery ?? { kind: 'keep' },
      queue: { enqueueDelivery: async (id) => void queued.push(id) },
      logger: new CapturingLogger(),
      settings: { councilName: ctx.config.councilName },
    });
  const app = await buildApp(ctx.services, { logger: false });
  if (!app.hasRoute({ method: 'GET', url: '/admin/outbox' })) await app.register(outboxRoutes, { mail });
  const baseUrl = opts.listen ? await app.listen({ host: '127.0.0.1', port: 0 }) : '';
  if (!opts.listen) await app.ready();
  return {
    ctx,
    app,
    mail,
    queued,
    baseUrl,
    async dispose() {
      await app.close();
      await ctx.dispose();
    },
  };
}
