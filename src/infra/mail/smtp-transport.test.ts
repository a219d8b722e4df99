import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/services.ts';
import { MailDeliveryRetry } from '../../app/mail/mail-service.ts';
import { MailSendError } from '../../app/mail/ports.ts';
import { type SmtpSettings, smtpFailure, smtpTransport } from './smtp-transport.ts';
import { LoopbackSmtp, REFUSED } from './loopback-smtp.ts';
import { COPY_READY_VALUES, type MailHarness, mailHarness } from './test-support.ts';

const TO = 'jordan.requester@example.org';
const ABOUT = { subjectType: 'copy_request', subjectId: '6f1c0e2a-0000-4000-8000-000000000001' };
const admin = { actor: { id: null, label: 'Ada Admin' } };

const settingsFor = (port: number, extra: Partial<SmtpSettings> = {}): SmtpSettings => ({
  host: '127.0.0.1',
  port,
  secure: false,
  requireTls: false,
  from: 'Northshire Children’s Services <cp-conferences@northshire.example>',
  timeoutMs: 5_000,
  ...extra,
});

describe('the SMTP transport against a real SMTP server on 127.0.0.1', () => {
  const smtp = new LoopbackSmtp();
  beforeAll(async () => {
    await smtp.start();
  });
  afterAll(async () => {
    await smtp.stop();
  });
  beforeEach(() => {
    smtp.received.length = 0;
  });

  it('delivers a plain-text message with its headers, reference and marking intact', async () => {
    const transport = smtpTransport(settingsFor(smtp.port));
    const text =
      'OFFICIAL-SENSITIVE\n\nDear Jordan Requester\n\nThe child’s record — confidential.\n\nOFFICIAL-SENSITIVE\n';
    const { providerId } = await transport.send({
      to: TO,
      subject: 'OFFICIAL-SENSITIVE: Your copy is ready',
      text,
      reference: 'ref-123',
    });
    await transport.close?.();
    expect(smtp.received).toHaveLength(1);
    const { envelope, parsed } = smtp.received[0]!;
    expect(envelope).toEqual({ from: 'cp-conferences@northshire.example', to: [TO] });
    expect(parsed.subject).toBe('OFFICIAL-SENSITIVE: Your copy is ready');
    expect(parsed.from?.value).toEqual([
      { address: 'cp-conferences@northshire.example', name: 'Northshire Children’s Services' },
    ]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : []).toEqual([TO]);
    expect(parsed.headers.get('x-message-reference')).toBe('ref-123');
    expect(parsed.messageId).toBe(providerId);
    expect(parsed.text).toBe(text);
    expect(parsed.html).toBe(false);
  });

  it('signs in to the relay when a user is configured', async () => {
    const transport = smtpTransport(settingsFor(smtp.port, { user: 'cpcr', password: 'relay-secret' }));
    await transport.send({ to: TO, subject: 's', text: 't', reference: 'r' });
    expect(smtp.logins).toEqual(['cpcr']);
    const wrong = smtpTransport(settingsFor(smtp.port, { user: 'cpcr', password: 'wrong' }));
    const err = await wrong.send({ to: TO, subject: 's', text: 't', reference: 'r' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'smtp:EAUTH 535', permanent: false });
  });

  it('refuses to send in clear when TLS is required and the server does not offer it', async () => {
    const transport = smtpTransport(settingsFor(smtp.port, { requireTls: true }));
    const err = await transport.send({ to: TO, subject: 's', text: 't', reference: 'r' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailSendError);
    expect(err).toMatchObject({ code: expect.stringMatching(/^smtp:ETLS\b/), permanent: false });
    expect(smtp.received).toHaveLength(0);
  });

  it('a refused address is a permanent failure, reported by code only (the reply quotes the address)', async () => {
    const transport = smtpTransport(settingsFor(smtp.port));
    const err = await transport.send({ to: REFUSED, subject: 's', text: 't', reference: 'r' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'smtp:EENVELOPE 550', permanent: true });
    expect(JSON.stringify({ ...(err as object), message: (err as Error).message })).not.toContain(REFUSED);
  });

  it('maps nodemailer errors to codes without their messages', () => {
    expect(smtpFailure({ code: 'ECONNECTION', message: `connect to x for ${TO}` })).toMatchObject({
      code: 'smtp:ECONNECTION',
      permanent: false,
    });
    expect(smtpFailure({ code: 'EMESSAGE', responseCode: 554, command: 'DATA' })).toMatchObject({
      code: 'smtp:EMESSAGE 554',
      permanent: true,
    });
    expect(smtpFailure({ code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' })).toMatchObject({
      code: 'smtp:EENVELOPE 451',
      permanent: false,
    });
    expect(smtpFailure({ code: 'EPROTOCOL', responseCode: 530, command: 'MAIL FROM' })).toMatchObject({
      permanent: false,
    });
    expect(smtpFailure({ code: `weird ${TO}` })).toMatchObject({ code: 'smtp:UNKNOWN' });
    expect(smtpFailure(null)).toMatchObject({ code: 'smtp:UNKNOWN' });
  });
});

describe.each(testDatabases())('email through SMTP with the outbox on %s', (kind) => {
  let h: MailHarness;
  const smtp = new LoopbackSmtp();
  beforeEach(async () => {
    h = await mailHarness(kind);
  });
  afterEach(async () => {
    await smtp.stop();
    smtp.received.length = 0;
    await h.dispose();
  });

  it('while the mail server is down the message stays in the outbox, attempts counted; it is delivered when the server is back', async () => {
    // Find a free port, then leave nothing listening on it.
    await smtp.start();
    const port = smtp.port;
    await smtp.stop();
    const mail = h.withDelivery({ kind: 'send', transport: smtpTransport(settingsFor(port)) });
    const { messageId } = await mail.send('copy-ready', TO, COPY_READY_VALUES, ABOUT);

    for (let i = 0; i < 2; i++) await expect(mail.deliver(messageId)).rejects.toBeInstanceOf(MailDeliveryRetry);
    const waiting = await mail.viewMessage(messageId, admin);
    expect(waiting).toMatchObject({ state: 'failed', attempts: 2, transport: 'smtp' });
    expect(waiting.lastError).toMatch(/^smtp:(ECONNECTION|ESOCKET)$/);

    await smtp.start(port);
    expect(await mail.deliver(messageId)).toBe('sent');
    const sent = await mail.viewMessage(messageId, admin);
    expect(sent).toMatchObject({ state: 'sent', attempts: 3, lastError: null });
    expect(smtp.received).toHaveLength(1);
    const { parsed } = smtp.received[0]!;
    expect(parsed.messageId).toBe(sent.providerId);
    expect(parsed.headers.get('x-message-reference')).toBe(messageId);
    expect(parsed.subject).toBe('OFFICIAL-SENSITIVE: Your copy of the conference recording is ready');
    // the requester gets the usable link; the message kept in the outbox holds it only masked.
    expect(parsed.text).toBe(sent.body.replace('/download/••••••••', '/download/abc'));
    expect(sent.body).not.toContain('/download/abc');
    expect(parsed.text).toMatch(/^OFFICIAL-SENSITIVE\n\nDear Jordan Requester\n/);
    expect(parsed.text).toMatch(/https:\/\/cpcr\.example\.test\/download\/abc/);
    expect(parsed.text?.trimEnd().endsWith('OFFICIAL-SENSITIVE')).toBe(true);
    expect(h.logger.text()).not.toContain(TO);
  });

  it('a refused address is recorded as rejected and not retried', async () => {
    await smtp.start();
    const mail = h.withDelivery({ kind: 'send', transport: smtpTransport(settingsFor(smtp.port)) });
    const { messageId } = await mail.send('copy-ready', REFUSED, COPY_READY_VALUES, ABOUT);
    expect(await mail.deliver(messageId)).toBe('rejected');
    expect(await mail.viewMessage(messageId, admin)).toMatchObject({
      state: 'rejected',
      attempts: 1,
      lastError: 'smtp:EENVELOPE 550',
    });
  });
});
