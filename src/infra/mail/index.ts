import { z } from 'zod';
import { MailService, type MailSettings } from '../../app/mail/mail-service.ts';
import type { DeliveryQueue, MailDelivery, MailLogger, MailTransport, MailUnitOfWork } from '../../app/mail/ports.ts';
import type { Clock } from '../../app/unit-of-work.ts';
import type { QueueWorker, ScheduledJob } from '../queue/queue.ts';
import type { MailConfig } from './config.ts';

export { mailConfigFromEnv, type MailConfig } from './config.ts';

export const MAIL_DELIVER_JOB = 'mail-deliver';
export const MAIL_SWEEP_JOB = 'mail-outbox-sweep';

/**
 * A transport whose module (nodemailer, or Notify's client and axios: tens of megabytes each) is loaded at the
 * first message rather than at start; the settings were validated with the rest of the configuration.
 */
function loadedAtFirstSend(name: MailTransport['name'], load: () => Promise<MailTransport>): MailTransport {
  let loaded: Promise<MailTransport> | undefined;
  return {
    name,
    send: async (message) => (await (loaded ??= load())).send(message),
    close: async () => {
      if (loaded) await (await loaded).close?.();
    },
  };
}

/** How messages leave, from MAIL_TRANSPORT. */
export function createMailDelivery(config: MailConfig): MailDelivery {
  switch (config.transport) {
    case 'outbox':
      return { kind: 'keep' };
    case 'smtp':
      return {
        kind: 'send',
        transport: loadedAtFirstSend('smtp', async () => (await import('./smtp-transport.ts')).smtpTransport(config)),
      };
    case 'notify':
      return {
        kind: 'send',
        transport: loadedAtFirstSend('notify', async () =>
          (await import('./notify-transport.ts')).notifyTransport({
            apiKey: config.apiKey,
            templateId: config.templateId,
          }),
        ),
      };
  }
}

export function createMailService(deps: {
  config: MailConfig;
  uow: MailUnitOfWork;
  clock: Clock;
  queue: DeliveryQueue;
  logger: MailLogger;
  settings: MailSettings;
  /** Tests pass their own (a transport pointed at a local server). */
  delivery?: MailDelivery;
}): MailService {
  return new MailService({
    uow: deps.uow,
    clock: deps.clock,
    delivery: deps.delivery ?? createMailDelivery(deps.config),
    queue: deps.queue,
    logger: deps.logger,
    settings: deps.settings,
  });
}

const deliverJob = z.object({ messageId: z.uuid() });

/**
 * The pg-boss worker: one message per job. A transient failure throws (after recording the attempt), so
 * pg-boss retries with back-off; after its retries the sweep queues the message again, so nothing is
 * dropped while the mail server is down.
 */
export function mailDeliveryWorker(mail: MailService): QueueWorker {
  return {
    name: MAIL_DELIVER_JOB,
    // An SMTP or Notify exchange takes seconds; the transports time out after 30 to 60 seconds.
    expireInSeconds: 5 * 60,
    retryLimit: 8,
    concurrency: 2,
    handle: async (data) => {
      const parsed = deliverJob.safeParse(data);
      if (!parsed.success) throw new Error('A mail-deliver job without a message id');
      await mail.deliver(parsed.data.messageId);
    },
  };
}

/** Every minute: queues delivery for messages whose job was never queued or has run out of retries. */
export function mailSweepJob(mail: MailService, logger: MailLogger): ScheduledJob {
  return {
    name: MAIL_SWEEP_JOB,
    cron: '* * * * *',
    run: async () => {
      const n = await mail.sweep();
      if (n) logger.info({ count: n }, 'queued outbox messages for delivery');
    },
  };
}
