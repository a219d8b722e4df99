import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { auditEvents } from '../../infra/db/schema.ts';
import { outboxMessages } from '../../infra/db/mail-schema.ts';
import { TestMailbox } from '../../infra/mail/test-support.ts';
import { deliveries, deliveryCodes, deliveryEvents, deliveryGrants } from '../../infra/db/delivery-schema.ts';
import {
  type DeliveryFixture,
  REQUESTER_EMAIL,
  deliveryFixture,
  emailedCode,
  emailedLink,
  latestEmail,
  streamText,
} from './delivery-test-support.ts';
import { keyedCodeHash, nodeDeliverySecrets } from './delivery-service.ts';
import { type ConfigError, loadConfig } from '../../infra/config.ts';

const CTX = { actor: { id: null, label: 'requester' }, requestId: 'req-1' };
const MINUTE = 60_000;

describe.each(testDatabases())('secure delivery (A-6) on %s', (kind) => {
  let ctx: TestContext;
  let mailbox: TestMailbox;
  beforeAll(async () => {
    // The requester's email goes through a real (loopback) relay: the outbox holds the link and code only masked.
    mailbox = await TestMailbox.start();
    ctx = await createTestServices(kind, mailbox.env());
  });
  afterAll(async () => {
    await ctx.dispose();
    await mailbox.stop();
  });

  const staff = (f: DeliveryFixture) => ({
    actor: { id: f.support.id, label: f.support.name },
    requestId: 'staff-req',
  });
  const tick = () => ctx.clock.advance(1000);

  async function delivered(settings = {}) {
    const f = await deliveryFixture(ctx, settings);
    const { deliveryId } = await f.service.create(f.support, { requestId: f.requestId, copyId: f.copyId }, staff(f));
    tick();
    const { token, url } = await emailedLink(ctx, mailbox);
    return { f, deliveryId, token, url };
  }

  async function granted(settings = {}) {
    const d = await delivered(settings);
    expect(await d.f.service.sendCode(d.token, CTX)).toEqual({ status: 'sent', expiresIn: '10 minutes' });
    tick();
    const result = await d.f.service.checkCode(d.token, await emailedCode(ctx, mailbox), CTX);
    if (result.status !== 'ok') throw new Error(result.status);
    return { ...d, grant: result.grant };
  }

  async function secretsAbsent(...secrets: string[]) {
    const { db } = ctx.services.database;
    const dump = JSON.stringify([
      await db.select().from(auditEvents),
      await db.select().from(deliveries),
      await db.select().from(deliveryCodes),
      await db.select().from(deliveryEvents),
      await db.select().from(deliveryGrants),
      await db.select().from(outboxMessages),
    ]);
    for (const s of secrets) expect(dump).not.toContain(s);
  }

  it('A-6, 000 Appendix 2: the link carries a 256-bit token stored only as its SHA-256; the copy-ready email holds the link and the conference date', async () => {
    const { f, deliveryId, token, url } = await delivered();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(url).toBe(`${ctx.config.publicBaseUrl}/copy/${token}`);
    const [row] = await ctx.services.database.db.select().from(deliveries).where(eq(deliveries.id, deliveryId));
    expect(row!.tokenHash).toBe(nodeDeliverySecrets.hash(token));
    expect(row!.email).toBe(REQUESTER_EMAIL);
    const email = await latestEmail(ctx, 'copy-ready');
    expect(email.body).toContain('Dear Jo Clerk');
    expect(email.body).toMatch(/The link works until \d{1,2}:\d{2}(am|pm) on \d{1,2} \w+ 2026/);
    expect(email.body).toContain('confidential');
    // 000 Appendix 2: the email names the conference's date and warns about others reading the requester's email.
    expect(email.body).toMatch(/child protection conference on \d{1,2} \w+ 20\d\d that you asked for/);
    expect(email.body).toMatch(/mindful of other people who may be able to read your emails/);
    await secretsAbsent(token);
    expect(await f.service.deliveryReady(deliveryId, f.requestId)).toBe(true);
    expect(await f.service.deliveryReady(deliveryId, crypto.randomUUID())).toBe(false);
    const audit = await ctx.services.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, deliveryId));
    expect(audit.map((a) => a.action)).toEqual(['delivery.created']);
  });

  it('A-6: only for an approved copy, to the confirmed address, one live link at a time, by someone who may see the children', async () => {
    const f = await deliveryFixture(ctx);
    await expect(
      f.service.create(f.support, { requestId: f.requestId, copyId: crypto.randomUUID() }, staff(f)),
    ).rejects.toMatchObject({ code: 'DELIVERY_NOT_ALLOWED', field: 'copyId' });
    await expect(
      f.service.create(
        f.support,
        { requestId: f.requestId, copyId: f.copyId, email: 'someone.else@example.org' },
        staff(f),
      ),
    ).rejects.toMatchObject({ code: 'DELIVERY_NOT_ALLOWED', field: 'email' });
    await expect(
      f.service.create(f.chair, { requestId: f.requestId, copyId: f.copyId }, staff(f)),
    ).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    const { deliveryId } = await f.service.create(
      f.support,
      { requestId: f.requestId, copyId: f.copyId, email: ` ${REQUESTER_EMAIL.toUpperCase()} ` },
      staff(f),
    );
    await expect(f.service.create(f.support, { requestId: f.requestId, copyId: f.copyId }, staff(f))).rejects.toThrow(
      'A link for this request still works',
    );
    await expect(f.service.summary(f.outsider, f.requestId, staff(f))).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    const denied = await ctx.services.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'delivery.summary'));
    expect(denied.some((a) => a.outcome === 'denied')).toBe(true);
    // After revoking, a new link may be sent.
    await f.service.revoke(f.support, deliveryId, 'Sent before the chair agreed the wording', staff(f));
    await expect(
      f.service.create(f.support, { requestId: f.requestId, copyId: f.copyId }, staff(f)),
    ).resolves.toMatchObject({ deliveryId: expect.any(String) });
  });

  it('A-6: an unknown or malformed token opens nothing and is audited without the token', async () => {
    const { f } = await delivered();
    const guess = nodeDeliverySecrets.newToken();
    expect(await f.service.open(guess, CTX)).toEqual({ status: 'unknown' });
    expect(await f.service.open('../../etc/passwd', CTX)).toEqual({ status: 'unknown' });
    expect(await f.service.sendCode(guess, CTX)).toEqual({ status: 'unknown' });
    expect(await f.service.download(guess, null, f.fileIds[0]!, CTX)).toEqual({ status: 'unknown' });
    await secretsAbsent(guess);
    expect(
      (await ctx.services.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'delivery.unknown-link')))
        .length,
    ).toBeGreaterThanOrEqual(3);
  });

  /** Another correct code for the link: a new grant, so a new download window for each file. */
  async function newGrant(f: DeliveryFixture, token: string): Promise<string> {
    await f.service.sendCode(token, CTX);
    tick();
    const r = await f.service.checkCode(token, await emailedCode(ctx, mailbox), CTX);
    if (r.status !== 'ok') throw new Error(r.status);
    return r.grant;
  }

  async function whole(f: DeliveryFixture, token: string, grant: string, fileId: string): Promise<void> {
    const r = await f.service.download(token, grant, fileId, CTX);
    if (r.status !== 'ok') throw new Error(r.status);
    expect((await streamText(r.stream)).equals(f.bytes.get(fileId)!)).toBe(true);
    await r.finish({ completed: true, bytes: r.size });
  }

  const auditOf = async (deliveryId: string) =>
    (await ctx.services.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, deliveryId))).map(
      (a) => [a.action, a.outcome, a.details] as const,
    );

  it('A-6: nothing is released before the right code; each code’s window counts once, three windows per file at most', async () => {
    const { f, token, grant, deliveryId } = await granted();
    const [mp3, txt] = f.fileIds as [string, string];
    expect(await f.service.download(token, null, mp3, CTX)).toEqual({ status: 'no-grant' });
    expect(await f.service.download(token, nodeDeliverySecrets.newToken(), mp3, CTX)).toEqual({ status: 'no-grant' });
    expect(await f.service.download(token, grant, crypto.randomUUID(), CTX)).toEqual({ status: 'no-file' });
    expect(f.files.opened).toEqual([]);
    const grants = [grant, await newGrant(f, token), await newGrant(f, token)];
    for (const [i, g] of grants.entries()) {
      const r = await f.service.download(token, g, mp3, CTX);
      if (r.status !== 'ok') throw new Error(r.status);
      expect(r.fileName).toBe('copy-recording-1.mp3');
      expect(r.size).toBe(f.bytes.get(mp3)!.length);
      expect((await streamText(r.stream)).equals(f.bytes.get(mp3)!)).toBe(true);
      await r.finish({ completed: true, bytes: r.size });
      // The same code's window again: the whole file once more, not counted again.
      await whole(f, token, g, mp3);
      expect(await f.service.open(token, CTX)).toMatchObject({ files: [{ fileId: mp3, left: 2 - i }, {}] });
    }
    // A fourth code: no new window for a file downloaded three times.
    const fourth = await newGrant(f, token);
    expect(await f.service.download(token, fourth, mp3, CTX)).toEqual({ status: 'limit' });
    // A window already open still serves its file (a resumed download's last pieces), and is not counted again.
    await whole(f, token, grants[2]!, mp3);
    for (const g of grants) await whole(f, token, g, txt);
    expect(await f.service.open(token, CTX)).toEqual({ status: 'used-up' });
    const [summary] = await f.service.summary(f.support, f.requestId, staff(f));
    expect(summary).toMatchObject({
      deliveryId,
      state: 'used-up',
      files: [
        { downloads: 3, left: 0 },
        { downloads: 3, left: 0 },
      ],
    });
    expect(summary!.events[0]).toMatchObject({ kind: 'used-up-hit', label: 'Used-up link opened' });
    const actions = (await auditOf(deliveryId)).map(([a]) => a);
    expect(actions.filter((a) => a === 'delivery.downloaded')).toHaveLength(6);
    // Each press of Download is audited (3 windows of the MP3, each pressed twice, one more time for the open
    // window at the end; 3 of the statement); the refusals too.
    expect(actions.filter((a) => a === 'delivery.download-granted')).toHaveLength(10);
    expect(actions.filter((a) => a === 'delivery.download-denied')).toHaveLength(2);
    expect(actions).toEqual(
      expect.arrayContaining([
        'delivery.viewed',
        'delivery.code-sent',
        'delivery.code-accepted',
        'delivery.download-refused',
        'delivery.used-up-hit',
      ]),
    );
    await secretsAbsent(token, ...grants, fourth);
  });

  it('A-6: a window counts once its last byte is written out; one that broke off is resumed from a byte, unaudited, and holds its place meanwhile', async () => {
    const { f, token, grant, deliveryId } = await granted({ downloadsPerFile: 1 });
    const [mp3] = f.fileIds as [string, string];
    const bytes = f.bytes.get(mp3)!;
    const first = await f.service.download(token, grant, mp3, CTX);
    if (first.status !== 'ok') throw new Error(first.status);
    // While it streams, another code's window for the same file would pass the limit: refused, nothing opened.
    const other = await newGrant(f, token);
    expect(await f.service.download(token, other, mp3, CTX)).toEqual({ status: 'busy' });
    expect(f.files.opened).toHaveLength(1);
    // The connection closed part way: not counted.
    first.stream.destroy();
    await first.finish({ completed: false, bytes: 1000 });
    await first.finish({ completed: true, bytes: first.size }); // reported once only
    expect(await f.service.open(token, CTX)).toMatchObject({ status: 'active', files: [{ fileId: mp3, left: 1 }, {}] });
    // Resumed: the same window, from byte 1000 to the end. Nothing of the fetch is audited; it counts once.
    const granted2 = await f.service.grantDownload(token, grant, mp3, CTX);
    if (granted2.status !== 'ok') throw new Error(granted2.status);
    const before = (await auditOf(deliveryId)).length;
    const fetched = await f.service.fetchDownload(token, granted2.window, CTX);
    if (fetched.status !== 'ok') throw new Error(fetched.status);
    expect(fetched).toMatchObject({ size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    const piece = await fetched.open({ start: 1000, end: 1999 });
    if (piece.status !== 'ok') throw new Error(piece.status);
    expect((await streamText(piece.stream)).equals(bytes.subarray(1000, 2000))).toBe(true);
    await fetched.finish({ completed: true, end: 1999 }); // a middle piece: not the end, not counted
    const rest = await f.service.fetchDownload(token, granted2.window, CTX);
    if (rest.status !== 'ok') throw new Error(rest.status);
    const tail = await rest.open({ start: 2000, end: bytes.length - 1 });
    if (tail.status !== 'ok') throw new Error(tail.status);
    expect((await streamText(tail.stream)).equals(bytes.subarray(2000))).toBe(true);
    expect(f.files.ranges.slice(-2).map((r) => r.range)).toEqual([
      { start: 1000, end: 1999 },
      { start: 2000, end: bytes.length - 1 },
    ]);
    expect((await auditOf(deliveryId)).length).toBe(before);
    await rest.finish({ completed: true, end: bytes.length - 1 });
    expect(await f.service.open(token, CTX)).toMatchObject({ status: 'active', files: [{ fileId: mp3, left: 0 }, {}] });
    // The window's whole file again: served, not counted again.
    await whole(f, token, grant, mp3);
    expect(await f.service.download(token, other, mp3, CTX)).toEqual({ status: 'limit' });
    const [summary] = await f.service.summary(f.support, f.requestId, staff(f));
    expect(summary!.files[0]).toMatchObject({ downloads: 1, left: 0 });
    expect(summary!.events.filter((e) => e.kind === 'download-started')).toHaveLength(1);
    const actions = (await auditOf(deliveryId)).map(([a, o]) => [a, o]);
    expect(actions.filter(([a]) => a === 'delivery.downloaded')).toEqual([['delivery.downloaded', 'success']]);
    expect(actions.filter(([a]) => a === 'delivery.download-interrupted')).toEqual([]);
  });

  it('A-6: a window never completed stops holding its place when it expires, and then serves nothing (audited)', async () => {
    const { f, token, grant, deliveryId } = await granted({ downloadsPerFile: 1 });
    const [mp3] = f.fileIds as [string, string];
    const lost = await f.service.grantDownload(token, grant, mp3, CTX);
    if (lost.status !== 'ok') throw new Error(lost.status);
    expect(Math.round((lost.expiresAt.getTime() - ctx.clock.now().getTime()) / 1000)).toBe(120 * 60);
    expect(await f.service.download(token, await newGrant(f, token), mp3, CTX)).toEqual({ status: 'busy' });
    ctx.clock.advance(120 * MINUTE);
    expect(await f.service.fetchDownload(token, lost.window, CTX)).toEqual({ status: 'window-expired' });
    const denied = (await auditOf(deliveryId)).filter(([a]) => a === 'delivery.download-denied');
    expect(denied.at(-1)).toMatchObject(['delivery.download-denied', 'denied', { reason: 'window-expired' }]);
    // The grant has lapsed too: a new code gives a new window, and the file.
    expect(await f.service.download(token, grant, mp3, CTX)).toEqual({ status: 'no-grant' });
    await whole(f, token, await newGrant(f, token), mp3);
    expect(await f.service.open(token, CTX)).toMatchObject({ files: [{ fileId: mp3, left: 0 }, {}] });
  });

  it('A-6: a window serves only its own link’s file at the version it was opened for; forged ones serve nothing', async () => {
    const a = await granted();
    const b = await granted();
    const [mp3] = a.f.fileIds as [string, string];
    const w = await a.f.service.grantDownload(a.token, a.grant, mp3, CTX);
    if (w.status !== 'ok') throw new Error(w.status);
    // Another requester's window on this link, and a window altered by a byte: nothing.
    expect(await b.f.service.fetchDownload(b.token, w.window, CTX)).toEqual({ status: 'no-window' });
    // Its expiry moved on by an hour: the signature no longer holds.
    const raw = Buffer.from(w.window, 'base64url');
    raw.writeUInt32BE(raw.readUInt32BE(32) + 3600, 32);
    const forged = raw.toString('base64url');
    expect(await a.f.service.fetchDownload(a.token, forged, CTX)).toEqual({ status: 'no-window' });
    expect(await a.f.service.fetchDownload(a.token, 'not-a-window', CTX)).toEqual({ status: 'no-window' });
    expect((await auditOf(b.deliveryId)).filter(([act]) => act === 'delivery.download-denied')).toEqual([
      ['delivery.download-denied', 'denied', { reason: 'not-a-window' }],
    ]);
    // A new version of the file under the same id: the window stops (a resume never mixes two versions).
    await a.f.files.replace(a.f.copyId, mp3, Buffer.from('a copy made again'));
    expect(await a.f.service.fetchDownload(a.token, w.window, CTX)).toEqual({ status: 'changed' });
    // A file the copy no longer has, and a link cancelled: nothing.
    a.f.files.remove(a.f.copyId, mp3);
    expect(await a.f.service.fetchDownload(a.token, w.window, CTX)).toEqual({ status: 'no-file' });
    const [summary] = await a.f.service.summary(a.f.support, a.f.requestId, staff(a.f));
    await a.f.service.revoke(a.f.support, summary!.deliveryId, 'Wrong address', staff(a.f));
    expect(await a.f.service.fetchDownload(a.token, w.window, CTX)).toEqual({ status: 'revoked' });
    const reasons = (await auditOf(a.deliveryId))
      .filter(([act]) => act === 'delivery.download-denied' || act === 'delivery.revoked-hit')
      .map(([act, , details]) => (act === 'delivery.revoked-hit' ? act : (details as { reason: string }).reason));
    expect(reasons).toEqual(['not-a-window', 'not-a-window', 'changed', 'no-file', 'delivery.revoked-hit']);
  });

  it('A-6: a one-time code is stored as an HMAC-SHA-256 keyed with the server’s secret, so a stolen database cannot recover it offline', async () => {
    const { f, token, deliveryId } = await delivered();
    await f.service.sendCode(token, CTX);
    tick();
    const code = await emailedCode(ctx, mailbox);
    const [row] = await ctx.services.database.db
      .select()
      .from(deliveryCodes)
      .where(eq(deliveryCodes.deliveryId, deliveryId));
    // Not the digest of the delivery's id and the code, which anyone could compute for all 10^6 codes.
    expect(row!.codeHash).not.toBe(nodeDeliverySecrets.hash(`${deliveryId}:${code}`));
    expect(row!.codeHash).not.toContain(nodeDeliverySecrets.hash(`${deliveryId}:${code}`));
    expect(row!.codeHash).toBe(keyedCodeHash(f.codeKey, deliveryId, code));
    expect(row!.codeHash).not.toBe(keyedCodeHash(Buffer.alloc(32, 1), deliveryId, code));
    expect(row!.codeHash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    await secretsAbsent(code, f.codeKey.toString('base64'), f.codeKey.toString('hex'));
    expect(await f.service.checkCode(token, code, CTX)).toMatchObject({ status: 'ok' });
  });

  it('A-6: a code issued before codes were keyed (a plain SHA-256 digest) is never accepted: the requester asks for a new one', async () => {
    const { f, token, deliveryId } = await delivered();
    const at = ctx.clock.now();
    await ctx.services.database.db.insert(deliveryCodes).values({
      deliveryId,
      codeHash: nodeDeliverySecrets.hash(`${deliveryId}:123456`),
      issuedAt: at,
      expiresAt: new Date(at.getTime() + 10 * MINUTE),
    });
    expect(await f.service.checkCode(token, '123456', CTX)).toEqual({ status: 'no-code' });
    tick();
    await f.service.sendCode(token, CTX);
    tick();
    expect(await f.service.checkCode(token, await emailedCode(ctx, mailbox), CTX)).toMatchObject({ status: 'ok' });
  });

  it('A-6: a brute-force attempt on the code: the fifth wrong entry voids it, audited; the right code then fails too', async () => {
    const { f, token, deliveryId } = await delivered();
    await f.service.sendCode(token, CTX);
    tick();
    const code = await emailedCode(ctx, mailbox);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(await f.service.checkCode(token, 'abc', CTX)).toEqual({ status: 'invalid-format' });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await f.service.checkCode(token, wrong, CTX));
    expect(results).toEqual([
      { status: 'wrong', remaining: 4 },
      { status: 'wrong', remaining: 3 },
      { status: 'wrong', remaining: 2 },
      { status: 'wrong', remaining: 1 },
      { status: 'locked' },
    ]);
    expect(await f.service.checkCode(token, code, CTX)).toEqual({ status: 'no-code' });
    const audit = await ctx.services.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, deliveryId));
    expect(audit.filter((a) => a.action === 'delivery.code-wrong')).toHaveLength(5);
    expect(audit.filter((a) => a.action === 'delivery.code-locked').map((a) => a.outcome)).toEqual(['failure']);
    await secretsAbsent(code, wrong);
    // A new code works (and replaces any older one).
    await f.service.sendCode(token, CTX);
    tick();
    expect(
      await f.service.checkCode(token, ` ${(await emailedCode(ctx, mailbox)).replace(/(\d{3})/, '$1 ')}`, CTX),
    ).toMatchObject({ status: 'ok' });
  });

  it('A-6: at most five codes an hour; a code stops working after 10 minutes', async () => {
    const { f, token } = await delivered();
    for (let i = 0; i < 5; i++) {
      expect(await f.service.sendCode(token, CTX)).toMatchObject({ status: 'sent' });
      tick();
    }
    const refused = await f.service.sendCode(token, CTX);
    expect(refused).toMatchObject({ status: 'too-many' });
    ctx.clock.advance(60 * MINUTE);
    expect(await f.service.sendCode(token, CTX)).toMatchObject({ status: 'sent' });
    tick();
    const code = await emailedCode(ctx, mailbox);
    ctx.clock.advance(10 * MINUTE);
    expect(await f.service.checkCode(token, code, CTX)).toEqual({ status: 'code-expired' });
  });

  it('A-6: an expired link and a revoked link get their own answer and never the file', async () => {
    const expiring = await granted({ linkLifetimeDays: 1 });
    ctx.clock.advance(24 * 60 * MINUTE);
    expect(await expiring.f.service.open(expiring.token, CTX)).toEqual({ status: 'expired' });
    expect(await expiring.f.service.sendCode(expiring.token, CTX)).toEqual({ status: 'expired' });
    expect(await expiring.f.service.download(expiring.token, expiring.grant, expiring.f.fileIds[0]!, CTX)).toEqual({
      status: 'expired',
    });
    expect(expiring.f.files.opened).toEqual([]);
    expect(await expiring.f.service.deliveryReady(expiring.deliveryId, expiring.f.requestId)).toBe(false);

    const revoked = await granted();
    await expect(
      revoked.f.service.revoke(revoked.f.support, revoked.deliveryId, '  ', staff(revoked.f)),
    ).rejects.toMatchObject({ code: 'INVALID_REVOCATION' });
    await revoked.f.service.revoke(
      revoked.f.support,
      revoked.deliveryId,
      'The requester reported the email was read by someone else',
      staff(revoked.f),
    );
    await expect(
      revoked.f.service.revoke(revoked.f.support, revoked.deliveryId, 'again', staff(revoked.f)),
    ).rejects.toThrow('already been cancelled');
    expect(await revoked.f.service.open(revoked.token, CTX)).toEqual({ status: 'revoked' });
    expect(await revoked.f.service.download(revoked.token, revoked.grant, revoked.f.fileIds[0]!, CTX)).toEqual({
      status: 'revoked',
    });
    expect(revoked.f.files.opened).toEqual([]);
    const [summary] = await revoked.f.service.summary(revoked.f.support, revoked.f.requestId, staff(revoked.f));
    expect(summary).toMatchObject({
      state: 'revoked',
      revoked: { by: { name: 'Bea Support' }, reason: 'The requester reported the email was read by someone else' },
    });
    const actions = (await ctx.services.database.db.select().from(auditEvents)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['delivery.revoked', 'delivery.revoked-hit', 'delivery.expired-hit']),
    );
  });

  it('delivery events are append-only', async () => {
    const { deliveryId } = await delivered();
    await expect(
      ctx.services.database.execute('update delivery_events set kind = $1 where delivery_id = $2', [
        'viewed',
        deliveryId,
      ]),
    ).rejects.toThrow(/never change/);
    await expect(
      ctx.services.database.execute('delete from delivery_events where delivery_id = $1', [deliveryId]),
    ).rejects.toThrow(/never change/);
  });
});

describe('delivery settings (A-6)', () => {
  const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/cpcr-config-test', SESSION_SECRET: 'x'.repeat(40) };
  it('A-6: the link lasts 14 days and allows 3 downloads per file unless the council sets otherwise; bad values stop the service naming the setting', () => {
    expect(loadConfig(base).delivery).toEqual({ linkLifetimeDays: 14, downloadsPerFile: 3 });
    expect(loadConfig({ ...base, DELIVERY_LINK_DAYS: '7', DELIVERY_DOWNLOADS_PER_FILE: '1' }).delivery).toEqual({
      linkLifetimeDays: 7,
      downloadsPerFile: 1,
    });
    expect(() => loadConfig({ ...base, DELIVERY_LINK_DAYS: '0' })).toThrow(/DELIVERY_LINK_DAYS/);
    expect(() => loadConfig({ ...base, DELIVERY_DOWNLOADS_PER_FILE: '21' })).toThrow(/DELIVERY_DOWNLOADS_PER_FILE/);
  });

  it('A-6: the one-time code key file is under DATA_DIR/keys outside production; production requires one outside DATA_DIR', () => {
    expect(loadConfig(base).deliveryCodeKeyFile).toBe('/tmp/cpcr-config-test/keys/delivery-codes.key');
    expect(loadConfig({ ...base, DELIVERY_CODE_KEY_FILE: '/etc/cpcr/codes.key' }).deliveryCodeKeyFile).toBe(
      '/etc/cpcr/codes.key',
    );
    const production = {
      ...base,
      NODE_ENV: 'production',
      DATA_DIR: '/srv/cpcr',
      PUBLIC_BASE_URL: 'https://cpcr.example.gov.uk',
    };
    // Only this setting's problems: production has other requirements of its own.
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        return (err as ConfigError).problems.filter((p) => p.startsWith('DELIVERY_CODE_KEY_FILE'));
      }
      return [];
    };
    expect(problems(production)).toEqual([
      'DELIVERY_CODE_KEY_FILE: required in production (a key file outside DATA_DIR, mode 0600)',
    ]);
    for (const inside of ['/srv/cpcr/keys/delivery-codes.key', '/srv/cpcr/../cpcr/codes.key', '/srv/cpcr'])
      expect(problems({ ...production, DELIVERY_CODE_KEY_FILE: inside }), inside).toEqual([
        'DELIVERY_CODE_KEY_FILE: must be outside DATA_DIR in production',
      ]);
    for (const outside of ['/etc/cpcr/delivery-codes.key', '/srv/cpcr-keys/codes.key'])
      expect(problems({ ...production, DELIVERY_CODE_KEY_FILE: outside }), outside).toEqual([]);
  });
});
