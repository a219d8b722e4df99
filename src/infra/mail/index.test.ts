import { describe, expect, it } from 'vitest';
import { COPY_READY_VALUES, mailHarness } from './test-support.ts';
import {
  MAIL_DELIVER_JOB,
  MAIL_SWEEP_JOB,
  createMailDelivery,
  mailConfigFromEnv,
  mailDeliveryWorker,
  mailSweepJob,
} from './index.ts';

describe('wiring mail from its settings', () => {
  it('MAIL_TRANSPORT chooses how messages leave', () => {
    expect(createMailDelivery(mailConfigFromEnv({}, { production: false }))).toEqual({ kind: 'keep' });
    const smtp = createMailDelivery(
      mailConfigFromEnv(
        { MAIL_TRANSPORT: 'smtp', SMTP_HOST: '127.0.0.1', MAIL_FROM: 'cp@council.gov.uk' },
        { production: false },
      ),
    );
    expect(smtp.kind === 'send' && smtp.transport.name).toBe('smtp');
    const notify = createMailDelivery(
      mailConfigFromEnv(
        {
          MAIL_TRANSPORT: 'notify',
          NOTIFY_API_KEY: 'k-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0',
          NOTIFY_TEMPLATE_ID: '0e5e3c0a-7b7a-4c2e-9d0f-6a8f3b2f1c11',
        },
        { production: true },
      ),
    );
    expect(notify.kind === 'send' && notify.transport.name).toBe('notify');
  });

  it('the sweep job queues what is due and the worker delivers by message id', async () => {
    const h = await mailHarness('pglite');
    try {
      const { messageId } = await h.mail.queue('copy-ready', 'jordan@example.org', COPY_READY_VALUES, {
        subjectType: 'copy_request',
        subjectId: 'r-1',
      });
      const job = mailSweepJob(h.mail, h.logger);
      expect(job).toMatchObject({ name: MAIL_SWEEP_JOB, cron: '* * * * *' });
      h.clock.advance(5 * 60_000);
      await job.run();
      expect(h.queued).toEqual([messageId]);
      expect(h.logger.lines.at(-1)).toMatchObject({ obj: { count: 1 }, msg: 'queued outbox messages for delivery' });
      const worker = mailDeliveryWorker(h.mail);
      expect(worker).toMatchObject({ name: MAIL_DELIVER_JOB, retryLimit: 8, expireInSeconds: 300 });
      await expect(worker.handle({ messageId: 'not-an-id' })).rejects.toThrow(
        'A mail-deliver job without a message id',
      );
      await worker.handle({ messageId });
      expect((await h.mail.viewMessage(messageId, { actor: { id: null, label: 't' } })).state).toBe('kept');
    } finally {
      await h.dispose();
    }
  });
});
