import { TestClock, freshDatabase } from '../../../test/support/services.ts';
import { MailService, type MailSettings } from '../../app/mail/mail-service.ts';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type {
  MailDelivery,
  MailLogger,
  MailSendError,
  MailTransport,
  OutboxMessage,
  OutgoingMail,
} from '../../app/mail/ports.ts';
import type { Database } from '../db/client.ts';
import { outboxMessages } from '../db/mail-schema.ts';
import { createUnitOfWork } from '../db/unit-of-work.ts';
import { LoopbackSmtp } from './loopback-smtp.ts';
import { outboxRepository } from './repositories.ts';

/** Every log line mail wrote, to prove none carries an address, subject or body. */
export class CapturingLogger implements MailLogger {
  readonly lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
  info(obj: Record<string, unknown>, msg: string): void {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: Record<string, unknown>, msg: string): void {
    this.lines.push({ level: 'warn', obj, msg });
  }
  text(): string {
    return JSON.stringify(this.lines);
  }
}

/** A transport that records what it was asked to send, and fails while `failWith` is set. */
export class FakeTransport implements MailTransport {
  readonly name = 'smtp' as const;
  readonly sent: OutgoingMail[] = [];
  failWith: MailSendError | Error | null = null;
  async send(message: OutgoingMail): Promise<{ providerId: string }> {
    if (this.failWith) throw this.failWith;
    this.sent.push(message);
    return { providerId: `<fake-${this.sent.length}@test>` };
  }
}

export interface MailHarness {
  database: Database;
  clock: TestClock;
  logger: CapturingLogger;
  /** Message ids whose delivery was queued, in order. */
  queued: string[];
  mail: MailService;
  /** A service over the same database with another delivery (e.g. a real SMTP transport). */
  withDelivery(delivery: MailDelivery): MailService;
  /** Empties the mail tables and forgets what was queued and logged, so one database serves many tests. */
  reset(): Promise<void>;
  /** The audit trail's length when `reset` last ran: a test reads only the entries after it. */
  auditSince: number;
  dispose(): Promise<void>;
}

export const TEST_SETTINGS: MailSettings = { councilName: 'Eastshire Council' };

/** A migrated database (mail's tables come from migration 0006), and a MailService whose delivery jobs are only noted. */
export async function mailHarness(
  kind: 'pglite' | 'postgres',
  delivery: MailDelivery = { kind: 'keep' },
): Promise<MailHarness> {
  const fresh = await freshDatabase(kind, { migrated: true });
  const clock = new TestClock();
  const logger = new CapturingLogger();
  const queued: string[] = [];
  const make = (d: MailDelivery) =>
    new MailService({
      uow: createUnitOfWork(fresh.database.db, () => clock.now()),
      clock,
      delivery: d,
      queue: { enqueueDelivery: async (id) => void queued.push(id) },
      logger,
      settings: TEST_SETTINGS,
    });
  const harness: MailHarness = {
    database: fresh.database,
    clock,
    logger,
    queued,
    mail: make(delivery),
    withDelivery: make,
    auditSince: 0,
    async reset() {
      await fresh.database.execute('delete from outbox_messages');
      await fresh.database.execute('delete from message_templates');
      queued.length = 0;
      logger.lines.length = 0;
      clock.current = new TestClock().current;
      const [row] = (await fresh.database.execute('select coalesce(max(seq), 0)::int as seq from audit_events'))
        .rows as Array<{ seq: number }>;
      harness.auditSince = Number(row?.seq ?? 0);
    },
    dispose: () => fresh.dispose(),
  };
  return harness;
}

/** Values for every placeholder the copy-ready email takes. */
export const COPY_READY_VALUES = {
  requester_name: 'Jordan Requester',
  request_reference: 'CR-2026-0007',
  download_link: 'https://cpcr.example.test/download/abc',
  expires_on: '30 April 2026',
  chair_name: 'Sam Chair',
  conference_date: '16 March 2026',
  reply_to: 'support@council.example',
} as const;

/**
 * For tests: every email in the outbox, oldest first (those created at the same instant in no set order), with its full text, optionally only those to one
 * address or from one template. Reads the table directly, so nothing is audited.
 *
 *   const [email] = await readOutbox(ctx.services.database, { to: 'jo@example.org', template: 'one-time-code' });
 */
export async function readOutbox(
  database: Database,
  filter: { to?: string; template?: string } = {},
): Promise<OutboxMessage[]> {
  const where: SQL[] = [];
  if (filter.to) where.push(eq(outboxMessages.toAddress, filter.to));
  if (filter.template) where.push(eq(outboxMessages.templateKey, filter.template));
  const rows = await database.db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(and(...where))
    .orderBy(asc(outboxMessages.createdAt), asc(outboxMessages.id));
  const repo = outboxRepository(database.db);
  const messages: OutboxMessage[] = [];
  for (const { id } of rows) messages.push((await repo.get(id))!);
  return messages;
}

/**
 * For tests of what a recipient gets: a loopback SMTP server the service sends through (inline, as a
 * relay would deliver it). The outbox keeps a download link or code only masked, so a test that
 * needs the real link or code reads it here, as the requester would from their inbox.
 *
 *   const mailbox = await TestMailbox.start();
 *   ctx = await createTestServices(kind, mailbox.env());
 *   const { subject, text } = mailbox.sent(messageId);
 */
export class TestMailbox {
  readonly smtp = new LoopbackSmtp();

  static async start(): Promise<TestMailbox> {
    const box = new TestMailbox();
    await box.smtp.start();
    return box;
  }

  /** The environment that sends the service's email to this mailbox. */
  env(): Record<string, string> {
    return {
      MAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(this.smtp.port),
      SMTP_REQUIRE_TLS: 'false',
      MAIL_FROM: 'Children’s Services <cp@council.example>',
    };
  }

  /** What was delivered for the outbox message `messageId` (its X-Message-Reference), or null. */
  sent(messageId: string): { to: string[]; subject: string; text: string } | null {
    const m = this.smtp.received.find((r) => r.parsed.headers.get('x-message-reference') === messageId);
    return m ? { to: m.envelope.to, subject: m.parsed.subject ?? '', text: m.parsed.text ?? '' } : null;
  }

  stop(): Promise<void> {
    return this.smtp.stop();
  }
}
