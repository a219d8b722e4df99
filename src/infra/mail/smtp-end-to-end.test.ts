import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { MAIL_DELIVER_JOB, MAIL_SWEEP_JOB } from './index.ts';
import { LoopbackSmtp } from './loopback-smtp.ts';
import { COPY_READY_VALUES, readOutbox } from './test-support.ts';

const TO = 'jordan.requester@example.org';
const FROM = 'Eastshire Children’s Services <cp-conferences@eastshire.example>';
const ABOUT = { subjectType: 'copy_request', subjectId: '6f1c0e2a-0000-4000-8000-000000000001' };
const WAIT = { timeout: 30_000, interval: 100 };

/**
 * The service as composed for production (MAIL_TRANSPORT=smtp, pg-boss delivery) against a real SMTP
 * server on 127.0.0.1. STARTTLS is off (smtp-server's bundled certificate has expired), so the service
 * is told SMTP_REQUIRE_TLS=false, which production refuses.
 */
describe.each(testDatabases())('email through SMTP, delivered by pg-boss, on %s', (kind) => {
  const smtp = new LoopbackSmtp();
  let c: TestContext;
  beforeAll(async () => {
    await smtp.start();
    c = await createTestServices(
      kind,
      {
        MAIL_TRANSPORT: 'smtp',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SMTP_REQUIRE_TLS: 'false',
        MAIL_FROM: FROM,
      },
      { mail: 'queue' },
    );
    await c.services.queue.start(
      [],
      c.services.workers.filter((w) => w.name === MAIL_DELIVER_JOB),
    );
  });
  beforeEach(() => {
    smtp.received.length = 0;
  });
  afterAll(async () => {
    await c?.dispose();
    await smtp.stop();
  });

  /** A step that stores its email in its own transaction (the caller dispatches it once committed). */
  const queueEmail = async () =>
    (
      await c.services.uow.run((repos) =>
        c.services.mail.queueWithin(repos, { template: 'copy-ready', to: TO, values: COPY_READY_VALUES, about: ABOUT }),
      )
    ).messageId;
  const outboxState = async (id: string) => (await readOutbox(c.services.database)).find((m) => m.id === id);
  const jobs = async (id: string) =>
    (
      await c.services.database.execute(
        `select state, retry_count from pgboss.job where name = $1 and data->>'messageId' = $2 order by created_on`,
        [MAIL_DELIVER_JOB, id],
      )
    ).rows as Array<{ state: string; retry_count: number }>;

  it('a queued email reaches the SMTP server, marked OFFICIAL-SENSITIVE, and the outbox records it as sent', async () => {
    const messageId = await queueEmail();
    await c.services.mail.dispatch(messageId);
    await expect.poll(async () => (await outboxState(messageId))?.state, WAIT).toBe('sent');
    expect(smtp.received).toHaveLength(1);
    const { envelope, parsed } = smtp.received[0]!;
    expect(envelope).toEqual({ from: 'cp-conferences@eastshire.example', to: [TO] });
    expect(parsed.subject).toBe('OFFICIAL-SENSITIVE: Your copy of the conference recording is ready');
    expect(parsed.headers.get('x-message-reference')).toBe(messageId);
    const sent = (await outboxState(messageId))!;
    expect(sent).toMatchObject({ transport: 'smtp', attempts: 1, lastError: null, providerId: parsed.messageId });
    // the requester gets the usable link; the outbox keeps it masked, and nothing usable once it has been sent.
    expect(parsed.text).toBe(sent.body.replace('/download/••••••••', '/download/abc'));
    expect(parsed.text).toContain(COPY_READY_VALUES.download_link);
    expect(sent.body).not.toContain(COPY_READY_VALUES.download_link);
    expect(sent.sealed).toBeNull();
    expect(parsed.text).toMatch(/^OFFICIAL-SENSITIVE\n\nDear Jordan Requester\n[\s\S]*\nOFFICIAL-SENSITIVE\n$/);
  });

  it('an email queued while the mail server is down is kept, retried by pg-boss, and delivered once the server is up', async () => {
    const port = smtp.port;
    await smtp.stop();
    const messageId = await queueEmail();
    await c.services.mail.dispatch(messageId);

    await expect.poll(async () => (await outboxState(messageId))?.state, WAIT).toBe('failed');
    const waiting = (await outboxState(messageId))!;
    expect(waiting).toMatchObject({ attempts: 1, transport: 'smtp' });
    expect(waiting.lastError).toMatch(/^smtp:(ECONNECTION|ESOCKET)$/);
    await expect.poll(async () => (await jobs(messageId)).map((j) => j.state), WAIT).toEqual(['retry']);

    await smtp.start(port);
    // pg-boss waits 30 seconds (doubling) before a retry: bring that retry forward rather than wait.
    await c.services.database.execute(
      `update pgboss.job set start_after = now() where name = $1 and state = 'retry' and data->>'messageId' = $2`,
      [MAIL_DELIVER_JOB, messageId],
    );
    await expect.poll(async () => (await outboxState(messageId))?.state, WAIT).toBe('sent');
    expect(await outboxState(messageId)).toMatchObject({ attempts: 2, lastError: null });
    expect(await jobs(messageId)).toEqual([{ state: 'completed', retry_count: 1 }]);
    expect(smtp.received.map((r) => r.parsed.headers.get('x-message-reference'))).toEqual([messageId]);
  });

  it('an email whose delivery job was never queued (a crash just after the step committed) is sent by the sweep', async () => {
    const messageId = await queueEmail();
    const sweep = c.services.scheduledJobs.find((j) => j.name === MAIL_SWEEP_JOB)!;
    await sweep.run();
    expect(await jobs(messageId)).toEqual([]);
    c.clock.advance(2 * 60_000);
    await sweep.run();
    await expect.poll(async () => (await outboxState(messageId))?.state, WAIT).toBe('sent');
    expect(smtp.received.map((r) => r.parsed.headers.get('x-message-reference'))).toEqual([messageId]);
  });
});
