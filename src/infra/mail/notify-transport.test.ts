import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailDeliveryRetry } from '../../app/mail/mail-service.ts';
import { notifyFailure, notifyTransport } from './notify-transport.ts';
import { COPY_READY_VALUES, mailHarness } from './test-support.ts';

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const API_KEY = `cpcr_test-${SERVICE_ID}-${SECRET}`;
const TEMPLATE_ID = '0e5e3c0a-7b7a-4c2e-9d0f-6a8f3b2f1c11';
const TO = 'jordan.requester@example.org';

interface Received {
  path: string;
  jwt: { header: Record<string, unknown>; claims: Record<string, unknown>; signatureValid: boolean } | null;
  body: Record<string, unknown>;
}

/** GOV.UK Notify's one endpoint the service uses, POST /v2/notifications/email, checking the client's JWT as Notify does. */
class FakeNotify {
  readonly received: Received[] = [];
  /** The next responses to give, in order; after them, 201 created. */
  script: Array<{ status: number; body: unknown } | 'hang'> = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/v2/notifications/email')
      return reply(404, { status_code: 404, errors: [{ error: 'NotFound', message: 'No such endpoint' }] });
    const jwt = verifyJwt(req.headers.authorization);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    this.received.push({ path: req.url, jwt, body });
    if (!jwt?.signatureValid)
      return reply(403, {
        status_code: 403,
        errors: [{ error: 'AuthError', message: 'Invalid token: signature, api token not found' }],
      });
    const next = this.script.shift();
    if (next === 'hang') return; // never answers
    if (next) return reply(next.status, next.body);
    const personalisation = body['personalisation'] as Record<string, string>;
    reply(201, {
      id: randomUUID(),
      reference: body['reference'],
      content: {
        subject: personalisation['subject'],
        body: personalisation['body'],
        from_email: 'cp.conferences@notifications.service.gov.uk',
      },
      uri: `${this.url}/v2/notifications/x`,
      template: { id: body['template_id'], version: 1, uri: `${this.url}/v2/templates/x` },
    });
  }
}

function verifyJwt(authorization: string | undefined): Received['jwt'] {
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? '');
  if (!m) return null;
  const [h = '', c = '', s = ''] = m.slice(1);
  const expected = createHmac('sha256', SECRET).update(`${h}.${c}`).digest();
  const given = Buffer.from(s, 'base64url');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown>,
    signatureValid: given.length === expected.length && timingSafeEqual(given, expected),
  };
}

describe('the GOV.UK Notify transport against a local fake of Notify', () => {
  const notify = new FakeNotify();
  beforeAll(async () => {
    await notify.start();
  });
  afterAll(async () => {
    await notify.stop();
  });
  beforeEach(() => {
    notify.received.length = 0;
    notify.script = [];
  });

  const transport = (timeoutMs = 5_000) =>
    notifyTransport({ apiKey: API_KEY, templateId: TEMPLATE_ID, baseUrl: notify.url, timeoutMs });

  it('sends the service’s wording as ((subject)) and ((body)) to the one template, signed with the key', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { providerId } = await transport().send({
      to: TO,
      subject: 'OFFICIAL-SENSITIVE: Ready',
      text: 'OFFICIAL-SENSITIVE\n\nHello\n\nOFFICIAL-SENSITIVE\n',
      reference: 'msg-1',
    });
    expect(providerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(notify.received).toHaveLength(1);
    const { jwt, body } = notify.received[0]!;
    expect(jwt).toMatchObject({
      header: { alg: 'HS256', typ: 'JWT' },
      claims: { iss: SERVICE_ID },
      signatureValid: true,
    });
    expect(Number(jwt!.claims['iat'])).toBeGreaterThanOrEqual(before - 1);
    expect(body).toEqual({
      template_id: TEMPLATE_ID,
      email_address: TO,
      personalisation: {
        subject: 'OFFICIAL-SENSITIVE: Ready',
        body: 'OFFICIAL-SENSITIVE\n\nHello\n\nOFFICIAL-SENSITIVE\n',
      },
      reference: 'msg-1',
    });
  });

  it('a request Notify will never accept is a permanent failure, named by status and error only', async () => {
    notify.script = [
      {
        status: 400,
        body: {
          status_code: 400,
          errors: [{ error: 'BadRequestError', message: `Can’t send to ${TO} using a team-only API key` }],
        },
      },
    ];
    const err = await transport()
      .send({ to: TO, subject: 's', text: 't', reference: 'r' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'notify:400 BadRequestError', permanent: true });
    expect((err as Error).message).not.toContain(TO);
  });

  it('a wrong key, rate limiting, Notify being down or not answering are retried', async () => {
    const wrongKey = notifyTransport({
      apiKey: `cpcr_test-${SERVICE_ID}-${randomUUID()}`,
      templateId: TEMPLATE_ID,
      baseUrl: notify.url,
    });
    expect(
      await wrongKey.send({ to: TO, subject: 's', text: 't', reference: 'r' }).catch((e: unknown) => e),
    ).toMatchObject({ code: 'notify:403 AuthError', permanent: false });
    notify.script = [
      {
        status: 429,
        body: { status_code: 429, errors: [{ error: 'RateLimitError', message: 'Exceeded rate limit' }] },
      },
      { status: 500, body: { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] } },
      'hang',
    ];
    expect(
      await transport()
        .send({ to: TO, subject: 's', text: 't', reference: 'r' })
        .catch((e: unknown) => e),
    ).toMatchObject({ code: 'notify:429 RateLimitError', permanent: false });
    expect(
      await transport()
        .send({ to: TO, subject: 's', text: 't', reference: 'r' })
        .catch((e: unknown) => e),
    ).toMatchObject({ code: 'notify:500 Exception', permanent: false });
    expect(
      await transport(300)
        .send({ to: TO, subject: 's', text: 't', reference: 'r' })
        .catch((e: unknown) => e),
    ).toMatchObject({ code: 'notify:ECONNABORTED', permanent: false });
  });

  it('maps errors without their messages', () => {
    expect(notifyFailure({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })).toMatchObject({
      code: 'notify:ECONNREFUSED',
      permanent: false,
    });
    expect(
      notifyFailure({
        response: { status: 400, data: { errors: [{ error: `ValidationError ${TO}` }, { error: 'ValidationError' }] } },
      }),
    ).toMatchObject({ code: 'notify:400 ValidationError', permanent: true });
    expect(notifyFailure({ response: { status: 502, data: '<html>Bad gateway</html>' } })).toMatchObject({
      code: 'notify:502',
      permanent: false,
    });
    expect(notifyFailure(undefined)).toMatchObject({ code: 'notify:UNKNOWN' });
  });

  it('through the outbox: Notify down, then up, delivers the message once with its id as reference', async () => {
    const h = await mailHarness('pglite');
    try {
      notify.script = [
        { status: 503, body: { status_code: 503, errors: [{ error: 'ServiceUnavailable', message: 'down' }] } },
      ];
      const mail = h.withDelivery({ kind: 'send', transport: transport() });
      const { messageId } = await mail.send('copy-ready', TO, COPY_READY_VALUES, {
        subjectType: 'copy_request',
        subjectId: 'r-1',
      });
      await expect(mail.deliver(messageId)).rejects.toBeInstanceOf(MailDeliveryRetry);
      expect(await mail.viewMessage(messageId, { actor: { id: null, label: 't' } })).toMatchObject({
        state: 'failed',
        attempts: 1,
        lastError: 'notify:503 ServiceUnavailable',
        transport: 'notify',
      });
      expect(await mail.deliver(messageId)).toBe('sent');
      const sent = await mail.viewMessage(messageId, { actor: { id: null, label: 't' } });
      expect(sent).toMatchObject({ state: 'sent', attempts: 2, transport: 'notify' });
      const last = notify.received.at(-1)!.body;
      expect(sent.providerId).toMatch(/^[0-9a-f-]{36}$/);
      // Notify gets the usable link; the outbox shows it masked.
      expect(last).toMatchObject({
        reference: messageId,
        personalisation: { subject: sent.subject, body: sent.body.replace('/download/••••••••', '/download/abc') },
      });
      expect(sent.body).not.toContain(COPY_READY_VALUES.download_link);
      expect(String((last['personalisation'] as Record<string, string>)['body'])).toMatch(
        /^OFFICIAL-SENSITIVE\n\nDear Jordan Requester/,
      );
    } finally {
      await h.dispose();
    }
  });
});
