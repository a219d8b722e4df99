import { createHash } from 'node:crypto';
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
import { auditEvents } from '../../../infra/db/schema.ts';
import { eq } from 'drizzle-orm';
import { appLoggerOptions, buildApp } from '../../app.ts';
import { redactDownloadTokens } from './redact.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(testDatabases())('the requester’s download pages (A-6) on %s', (kind) => {
  let ctx: TestContext;
  let mailbox: TestMailbox;
  let f: DeliveryFixture;
  let app: FastifyInstance;
  const logLines: string[] = [];
  /** Every download window's signed value handed out, to look for in the logs. */
  const windows: string[] = [];

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
    expect(files.body).toContain('If a download stops before it finishes, select Download again within 2 hours.');
    // Download (a form, so no script is needed) opens a download window and sends the browser to its address.
    const pressed = await requester.post(`${link}/download`, { fileId: f.fileIds[0]! });
    expect(pressed.statusCode).toBe(303);
    const location = String(pressed.headers.location);
    expect(location).toMatch(new RegExp(`^${link}/download/[A-Za-z0-9_-]{70}/copy-recording-1\\.mp3$`));
    windows.push(location.split('/')[4]!);
    const download = await requester.get(location);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('audio/mpeg');
    expect(download.headers['content-disposition']).toBe('attachment; filename="copy-recording-1.mp3"');
    expect(download.headers['cache-control']).toBe('no-store');
    expect(download.headers['accept-ranges']).toBe('bytes');
    expect(download.headers['etag']).toBe(`"${sha(f.bytes.get(f.fileIds[0]!)!)}"`);
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

  /**
   * A fresh link whose copy holds one file (`bytes`, in the app's copy files), its code entered in a browser, and
   * Download pressed for the file: the window's address.
   */
  async function windowFor(
    g: DeliveryFixture,
    bytes: Buffer = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 13) % 256)),
  ): Promise<{ path: string; location: string; requester: WebClient; fileId: string; bytes: Buffer }> {
    const fileId = await f.files.add(g.copyId, 'copy-recording-1.mp3', bytes);
    await f.service.create(g.support, { requestId: g.requestId, copyId: g.copyId }, staff());
    ctx.clock.advance(1000);
    const path = `/copy/${(await emailedLink(ctx, mailbox)).token}`;
    const requester = new WebClient(app);
    await requester.get(path);
    await requester.post(`${path}/code`, {}, { fromPage: path });
    ctx.clock.advance(1000);
    await requester.post(`${path}/code/check`, { code: await emailedCode(ctx, mailbox) }, { fromPage: `${path}/code` });
    await requester.get(path);
    const pressed = await requester.post(`${path}/download`, { fileId });
    expect(pressed.statusCode).toBe(303);
    const location = String(pressed.headers.location);
    windows.push(location.split('/')[4]!);
    return { path, location, requester, fileId, bytes };
  }

  const summaryOf = async (g: DeliveryFixture) => {
    const [summary] = await f.service.summary(g.support, g.requestId, staff());
    return { left: summary!.files[0]!.left, kinds: summary!.events.map((e) => e.kind) };
  };
  const auditCount = async (action: string) =>
    (await ctx.services.database.db.select().from(auditEvents).where(eq(auditEvents.action, action))).length;
  /** The app listening on a loopback port (once), for requests over a real connection. */
  let listening: Promise<string> | undefined;
  const address = () => (listening ??= app.listen({ host: '127.0.0.1', port: 0 }));
  /**
   * A fetch as a download manager makes it, over a real connection (so the server sees the response written out):
   * no cookie, the window's address and the headers it chooses.
   */
  const fetchWith = async (url: string, headers: Record<string, string> = {}) => {
    const base = await address();
    return new Promise<{ statusCode: number; headers: IncomingMessage['headers']; rawPayload: Buffer; body: string }>(
      (resolve, reject) => {
        const req = httpRequest(`${base}${url}`, { method: 'GET', headers });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const rawPayload = Buffer.concat(chunks);
            resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, rawPayload, body: rawPayload.toString() });
          });
        });
        req.on('error', reject);
        req.end();
      },
    );
  };

  it('A-6: a download window answers single byte ranges (first byte, middle, last byte, suffix) with 206; several ranges get the whole file; past the end, 416', async () => {
    const g = await deliveryFixture(ctx);
    const { location, bytes } = await windowFor(g);
    const size = bytes.length;
    const etag = `"${sha(bytes)}"`;
    const before = {
      granted: await auditCount('delivery.download-granted'),
      denied: await auditCount('delivery.download-denied'),
    };
    const piece = async (range: string, start: number, end: number) => {
      const r = await fetchWith(location, { range, 'if-range': etag });
      expect(r.statusCode, range).toBe(206);
      expect(r.headers['content-range']).toBe(`bytes ${start}-${end}/${size}`);
      expect(r.headers['content-length']).toBe(String(end - start + 1));
      expect(r.headers['accept-ranges']).toBe('bytes');
      expect(r.headers['etag']).toBe(etag);
      expect(r.headers['content-disposition']).toBe('attachment; filename="copy-recording-1.mp3"');
      expect(r.rawPayload.equals(bytes.subarray(start, end + 1))).toBe(true);
    };
    await piece('bytes=0-0', 0, 0);
    await piece('bytes=1000-1999', 1000, 1999);
    expect(await summaryOf(g)).toMatchObject({ left: 3 }); // nothing reached the end yet
    await piece(`bytes=${size - 1}-${size - 1}`, size - 1, size - 1);
    await piece('bytes=-500', size - 500, size - 1);
    await piece(`bytes=${size - 10}-${size + 1000}`, size - 10, size - 1);
    // HEAD, as a download manager asks before it resumes: the same headers, no body, nothing counted.
    const head = await app.inject({ method: 'HEAD', url: location, headers: { range: 'bytes=100-' } });
    expect(head.statusCode).toBe(206);
    expect(head.headers['content-range']).toBe(`bytes 100-${size - 1}/${size}`);
    expect(head.headers['content-length']).toBe(String(size - 100));
    expect(head.headers['content-type']).toBe('audio/mpeg');
    expect(head.headers['etag']).toBe(etag);
    expect(head.rawPayload.length).toBe(0);
    // Several ranges: the whole file (200), as for a Range header that is not one byte range.
    for (const range of ['bytes=0-9,20-29', 'items=0-9', 'bytes=9-5']) {
      const r = await fetchWith(location, { range });
      expect(r.statusCode, range).toBe(200);
      expect(r.headers['content-range']).toBeUndefined();
      expect(r.rawPayload.equals(bytes)).toBe(true);
    }
    for (const range of [`bytes=${size}-`, `bytes=${size + 5}-${size + 10}`, 'bytes=-0']) {
      const r = await fetchWith(location, { range });
      expect(r.statusCode, range).toBe(416);
      expect(r.headers['content-range']).toBe(`bytes */${size}`);
      expect(r.rawPayload.length).toBe(0);
    }
    // The window reached the file's last byte: counted once, however many pieces and whole copies it served.
    await expect.poll(() => summaryOf(g)).toMatchObject({ left: 2 });
    expect((await summaryOf(g)).kinds.filter((k) => k === 'downloaded')).toHaveLength(1);
    expect((await summaryOf(g)).kinds.filter((k) => k === 'download-started')).toHaveLength(1);
    // And no piece was audited one by one: the window was, when it was granted.
    expect(await auditCount('delivery.download-granted')).toBe(before.granted);
    expect(await auditCount('delivery.download-denied')).toBe(before.denied);
  });

  it('A-6: If-Range must match the strong ETag (the file’s SHA-256) exactly, else the whole file is sent', async () => {
    const g = await deliveryFixture(ctx);
    const { location, fileId, bytes } = await windowFor(g);
    const etag = `"${sha(bytes)}"`;
    expect((await fetchWith(location, { range: 'bytes=10-19', 'if-range': etag })).statusCode).toBe(206);
    for (const ifRange of [`"${'0'.repeat(64)}"`, `W/${etag}`, sha(bytes), 'Mon, 07 Dec 2026 10:00:00 GMT']) {
      const r = await fetchWith(location, { range: 'bytes=10-19', 'if-range': ifRange });
      expect(r.statusCode, ifRange).toBe(200);
      expect(r.headers['content-range']).toBeUndefined();
      expect(r.rawPayload.equals(bytes)).toBe(true);
    }
    // A new version of the file: the window refuses it rather than join two versions.
    await f.files.replace(g.copyId, fileId, Buffer.from('the copy, made again'));
    const changed = await fetchWith(location, { range: 'bytes=10-19', 'if-range': etag });
    expect(changed.statusCode).toBe(410);
    expect(changed.body).toContain('This file has changed since your download started');
    expect(changed.body).not.toContain(etag);
  });

  it('A-6: an expired window, another person’s window and a cancelled link serve nothing, each refusal audited', async () => {
    const g = await deliveryFixture(ctx);
    const mine = await windowFor(g);
    const h = await deliveryFixture(ctx);
    const theirs = await windowFor(h);
    // Another person's window on my link: the link does not work with it.
    const window = theirs.location.split('/')[4]!;
    const crossed = await fetchWith(`${mine.path}/download/${window}/copy-recording-1.mp3`, { range: 'bytes=0-9' });
    expect(crossed.statusCode).toBe(404);
    expect(crossed.body).toContain('This link does not work');
    const denied = async () =>
      (
        await ctx.services.database.db
          .select()
          .from(auditEvents)
          .where(eq(auditEvents.action, 'delivery.download-denied'))
      ).map((r) => (r.details as { reason: string }).reason);
    expect((await denied()).at(-1)).toBe('not-a-window');
    // The window expires (two hours): a page that says so and leads back to the link's page.
    ctx.clock.advance(2 * 3_600_000);
    const expired = await fetchWith(mine.location, { range: 'bytes=0-9' });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This download has stopped working');
    expect(expired.body).toContain(`href="${mine.path}"`);
    expect((await denied()).at(-1)).toBe('window-expired');
    // A cancelled link stops a window still open.
    const k = await deliveryFixture(ctx);
    const fresh = await windowFor(k);
    const [summary] = await f.service.summary(k.support, k.requestId, staff());
    await f.service.revoke(k.support, summary!.deliveryId, 'Wrong address', staff());
    const revoked = await fetchWith(fresh.location);
    expect(revoked.statusCode).toBe(410);
    expect(revoked.body).toContain('This link has been cancelled');
    expect(await auditCount('delivery.revoked-hit')).toBeGreaterThan(0);
  });

  it('A-6: a download the requester’s connection drops part way is not counted, and resumes from the next byte with If-Range', async () => {
    // A file far larger than the connection's buffers, so dropping the connection really stops it part way.
    const g = await deliveryFixture(ctx);
    const big = Buffer.from(Array.from({ length: 24 * 1024 * 1024 }, (_, i) => (i * 31) % 251));
    const { location, fileId } = await windowFor(g, big);
    const base = await address();
    const get = (headers: Record<string, string>, onResponse: (res: IncomingMessage, req: ClientRequest) => void) =>
      new Promise<void>((resolve, reject) => {
        // No cookie: a download manager resuming later has only the window's address.
        const req = httpRequest(`${base}${location}`, { method: 'GET', headers });
        req.on('response', (res) => {
          res.on('close', () => resolve());
          onResponse(res, req);
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(err)));
        req.end();
      });
    const left = async () => {
      const [summary] = await f.service.summary(g.support, g.requestId, staff());
      const i = summary!.files.findIndex((x) => x.fileId === fileId);
      return { left: summary!.files[i]!.left, kinds: summary!.events.map((e) => e.kind) };
    };

    // The requester's connection drops after the first bytes arrive.
    let status = 0;
    let etag = '';
    const first: Buffer[] = [];
    await get({}, (res, req) => {
      status = res.statusCode ?? 0;
      etag = String(res.headers['etag']);
      res.once('data', (c: Buffer) => {
        first.push(c);
        req.destroy();
      });
    });
    expect(status).toBe(200);
    const got = Buffer.concat(first);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(big.length);

    // The rest, from the next byte, as a browser resumes: a 206 of exactly the missing bytes, counted once complete.
    let resumed = 0;
    const rest: Buffer[] = [];
    await get({ range: `bytes=${got.length}-`, 'if-range': etag }, (res) => {
      resumed = res.statusCode ?? 0;
      res.on('data', (c: Buffer) => rest.push(c));
    });
    expect(resumed).toBe(206);
    expect(Buffer.concat([got, ...rest]).equals(big)).toBe(true);
    await expect
      .poll(left, { timeout: 20_000 })
      .toMatchObject({ left: 2, kinds: expect.arrayContaining(['downloaded']) });
    const kinds = (await left()).kinds;
    expect(kinds.filter((k) => k === 'download-started')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'downloaded')).toHaveLength(1);
    expect(kinds).not.toContain('download-interrupted');
  });

  it('the token never appears in the logs', async () => {
    const tokens = [link.slice('/copy/'.length), (await emailedLink(ctx, mailbox)).token];
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.some((l) => l.includes('"route":"/copy/:token"'))).toBe(true);
    for (const t of tokens) expect(logLines.join('\n')).not.toContain(t);
    // Nor does a download window, which lets its holder fetch a file for a while.
    expect(windows.length).toBeGreaterThan(3);
    for (const w of windows) expect(logLines.join('\n')).not.toContain(w);
    // And a line that quotes a download URL (an error message, a proxy header) is redacted before it is written.
    expect(redactDownloadTokens(`{"msg":"failed GET /copy/${tokens[0]}/code"}`)).toBe(
      '{"msg":"failed GET /copy/[redacted]/code"}',
    );
    expect(redactDownloadTokens(`GET /copy/${tokens[0]}/download/${windows[0]}/copy-recording-1.mp3`)).toBe(
      'GET /copy/[redacted]/download/[redacted]/copy-recording-1.mp3',
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
