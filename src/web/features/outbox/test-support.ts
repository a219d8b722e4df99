import type { FastifyInstance } from 'fastify';
import { type TestContext, type TestMail, createTestServices } from '../../../../test/support/services.ts';
import type { MailService } from '../../../app/mail/mail-service.ts';
import { buildApp } from '../../app.ts';

export interface OutboxTestContext {
  ctx: TestContext;
  app: FastifyInstance;
  /** The app's own MailService (services.mail). */
  mail: MailService;
  /** Message ids whose delivery was queued (ctx.queuedMail). */
  queued: string[];
  dispose(): Promise<void>;
}

/**
 * The whole app, as composed for production, over a test database: its MailService, its outbox pages.
 * Delivery is `manual` by default (messages stay queued and their ids are noted), so a test delivers
 * them itself; `env` sets MAIL_TRANSPORT and friends.
 */
export async function outboxTestContext(
  kind: 'pglite' | 'postgres',
  opts: { mail?: TestMail; env?: Record<string, string>; listen?: boolean } = {},
): Promise<OutboxTestContext & { baseUrl: string }> {
  const ctx = await createTestServices(kind, opts.env ?? {}, { mail: opts.mail ?? 'manual' });
  const app = await buildApp(ctx.services, { logger: false });
  const baseUrl = opts.listen ? await app.listen({ host: '127.0.0.1', port: 0 }) : '';
  if (!opts.listen) await app.ready();
  return {
    ctx,
    app,
    mail: ctx.services.mail,
    queued: ctx.queuedMail,
    baseUrl,
    async dispose() {
      await app.close();
      await ctx.dispose();
    },
  };
}
