import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import { WebClient } from '../../../../test/support/web.ts';
import {
  type DeliveryFixture,
  deliveryFixture,
  emailedCode,
  emailedLink,
} from '../../../app/requests/delivery-test-support.ts';
import { TestMailbox } from '../../../infra/mail/test-support.ts';
import { appLoggerOptions, buildApp } from '../../app.ts';
import { redactDownloadTokens } from './redact.ts';

describe.each(testDatabases())('the requester’s download pages (A-6) on %s', (kind) => {
  let ctx: TestContext;
  let mailbox: TestMailbox;
  let f: DeliveryFixture;
  let app: FastifyInstance;
  const logLines: string[] = [];

  beforeAll(async () => {
    // The requester's email goes through a real (loopback) relay: the outbox holds the link and code only masked.
    mailbox = await TestMailbox.start();
    ctx = await createTestServices(kind, mailbox.env());
    f = await deliveryFixture(ctx);
    // The app as composed, with the fixture's delivery service (its copy files are in the blob store), and
    // the production logger writing to an array.
    app = await buildApp(
      { ...ctx.services, deliveries: f.service },
      { logger: appLoggerOptions('trace', { write: (line) => void logLines.push(line) }) },
    );
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
    await mailbox.stop();
  });

  const staff = () => ({ actor: { id: f.support.id, label: f.support.name } });

  async function newLink(): Promise<string> {
    await f.service.create(f.support, { requestId: f.requestId, copyId: f.copyId }, staff());
    ctx.clock.advance(1000);
    const { url, token } = await emailedLink(ctx, mailbox);
    expect(url.endsWith(`/copy/${token}`)).toBe(true);
    return `/copy/${token}`;
  }

  let link: string;

  it('A-6: from the emailed link to the file: reminder, code, files, download; nothing cached, no referrer', async () => {
    link = await newLink();
    const requester = new WebClient(app);
    const start = await requester.get(link);
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('The recording is confidential. It is for you only.');
    expect(start.body).toContain('Send me a code');
    expect(start.body).not.toContain('dad@example.org');
    expect(start.headers['referrer-policy']).toBe('no-referrer');
    expect(start.headers['cache-control']).toBe('no-store');

    expect((await requester.post(`${link}/code`, {}, { csrf: false })).statusCode).toBe(403);
    const sent = await requester.post(`${link}/code`, {}, { fromPage: link });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${link}/code`);
    ctx.clock.advance(1000);
    const code = await emailedCode(ctx, mailbox);

    const page = await requester.get(`${link}/code`);
    expect(page.body).toContain('Enter the code we sent you');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const refused = await requester.post(`${link}/code/check`, { code: wrong });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<title>Error: ');
    expect(refused.body).toContain('The code is not correct. You can try 4 more times before you need a new code');
    expect(refused.body).toContain('href="#code"');
    expect((await requester.post(`${link}/code/check`, { code: '' })).body).toContain(
      'Enter the 6-digit code from the email',
    );

    // Nothing is released before the code.
    const early = await requester.post(`${link}/download`, { fileId: f.fileIds[0]! }, { fromPage: link });
    expect(early.statusCode).toBe(303);
    expect(early.headers.location).toBe(link);

    const accepted = await requester.post(`${link}/code/check`, { code }, { fromPage: `${link}/code` });
    expect(accepted.statusCode).toBe(303);
    const cookie = String(accepted.headers['set-cookie']);
    expect(cookie).toMatch(/cpcr_download=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/copy\//);

    const files = await requester.get(link);
    expect(files.body).toContain('Download the recording');
    expect(files.body).toContain('copy-recording-1.mp3');
    const download = await requester.post(`${link}/download`, { fileId: f.fileIds[0]! });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('audio/mpeg');
    expect(download.headers['content-disposition']).toBe('attachment; filename="copy-recording-1.mp3"');
    expect(download.headers['cache-control']).toBe('no-store');
    expect(download.rawPayload.equals(f.bytes.get(f.fileIds[0]!)!)).toBe(true);
  });

  it('A-6: another browser with the link but not the code gets nothing', async () => {
    const stranger = new WebClient(app);
    await stranger.get(link);
    const r = await stranger.post(`${link}/download`, { fileId: f.fileIds[0]! });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(link);
  });

  it('A-6: unknown, revoked and expired links get clear pages, never the file', async () => {
    const client = new WebClient(app);
    const unknown = await client.get('/copy/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('This link does not work');

    const [summary] = await f.service.summary(f.support, f.requestId, staff());
    await f.service.revoke(f.support, summary!.deliveryId, 'Wrong address', staff());
    const revoked = await client.get(link);
    expect(revoked.statusCode).toBe(410);
    expect(revoked.body).toContain('This link has been cancelled');

    const fresh = await newLink();
    ctx.clock.advance(14 * 24 * 3_600_000);
    const expired = await client.get(fresh);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
    const post = await client.post(`${fresh}/code`, {}, { fromPage: '/sign-in' });
    expect(post.statusCode).toBe(410);
  });

  it('A-6: a download is counted once written out in full: one the requester’s connection drops part way leaves the allowance', async () => {
    // A file far larger than the connection's buffers, so dropping the connection really stops it part way.
    const g = await deliveryFixture(ctx);
    const big = Buffer.alloc(24 * 1024 * 1024, 0x5a);
    const fileId = await f.files.add(g.copyId, 'copy-recording-2.mp3', big);
    await f.service.create(g.support, { requestId: g.requestId, copyId: g.copyId }, staff());
    ctx.clock.advance(1000);
    const path = `/copy/${(await emailedLink(ctx, mailbox)).token}`;
    const requester = new WebClient(app);
    await requester.get(path);
    await requester.post(`${path}/code`, {}, { fromPage: path });
    ctx.clock.advance(1000);
    await requester.post(`${path}/code/check`, { code: await emailedCode(ctx, mailbox) }, { fromPage: `${path}/code` });
    await requester.get(path);
    const body = new URLSearchParams({ _csrf: requester.csrfToken(), fileId }).toString();
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const post = (onResponse: (res: IncomingMessage, req: ClientRequest) => void) =>
      new Promise<void>((resolve, reject) => {
        const req = httpRequest(`${address}${path}/download`, {
          method: 'POST',
          headers: {
            cookie: requester.cookieHeader(),
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
          },
        });
        req.on('response', (res) => {
          res.on('close', () => resolve());
          onResponse(res, req);
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(err)));
        req.end(body);
      });
    const left = async () => {
      const [summary] = await f.service.summary(g.support, g.requestId, staff());
      return { left: summary!.files[0]!.left, kinds: summary!.events.map((e) => e.kind) };
    };

    // The requester's connection drops after the first bytes arrive.
    let status = 0;
    await post((res, req) => {
      status = res.statusCode ?? 0;
      res.once('data', () => req.destroy());
    });
    expect(status).toBe(200);
    await expect
      .poll(left, { timeout: 20_000 })
      .toMatchObject({ left: 3, kinds: expect.arrayContaining(['download-interrupted']) });

    // Then the whole file: counted once the last byte is written.
    let received = 0;
    await post((res) => res.on('data', (c: Buffer) => (received += c.length)));
    expect(received).toBe(big.length);
    await expect
      .poll(left, { timeout: 20_000 })
      .toMatchObject({ left: 2, kinds: expect.arrayContaining(['downloaded']) });
    const kinds = (await left()).kinds;
    expect(kinds.filter((k) => k === 'download-started')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'downloaded')).toHaveLength(1);
  });

  it('the token never appears in the logs', async () => {
    const tokens = [link.slice('/copy/'.length), (await emailedLink(ctx, mailbox)).token];
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.some((l) => l.includes('"route":"/copy/:token"'))).toBe(true);
    for (const t of tokens) expect(logLines.join('\n')).not.toContain(t);
    // And a line that quotes a download URL (an error message, a proxy header) is redacted before it is written.
    expect(redactDownloadTokens(`{"msg":"failed GET /copy/${tokens[0]}/code"}`)).toBe(
      '{"msg":"failed GET /copy/[redacted]/code"}',
    );
  });

  it('A-6: the code form is rate-limited per IP address', async () => {
    const fresh = await newLink();
    const client = new WebClient(app);
    await client.get(`${fresh}/code`);
    const _csrf = client.csrfToken();
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++)
      statuses.push((await client.post(`${fresh}/code/check`, { _csrf, code: '000000' }, { csrf: false })).statusCode);
    expect(statuses).toContain(400);
    expect(statuses.at(-1)).toBe(429);
    const tooMany = await client.post(`${fresh}/code/check`, { _csrf, code: '000000' }, { csrf: false });
    expect(tooMany.body).toContain('Too many attempts');
  });
});
