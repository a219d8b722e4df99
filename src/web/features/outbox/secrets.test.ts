import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { deliveryFixture, notingSecrets, REQUESTER_EMAIL } from '../../../app/requests/delivery-test-support.ts';
import { TestMailbox } from '../../../infra/mail/test-support.ts';

const CTX = { actor: { id: null, label: 'requester' } };

/** Every stored outbox row, every column, as one string. */
async function outboxRows(ctx: TestContext): Promise<string> {
  return JSON.stringify((await ctx.services.database.execute('select * from outbox_messages')).rows);
}

/** A requester's link and code emailed, through a fixture delivery: the real token and code, noted. */
async function linkAndCode(ctx: TestContext) {
  const secrets = notingSecrets();
  const f = await deliveryFixture(ctx, {}, secrets);
  await f.service.create(
    f.support,
    { requestId: f.requestId, copyId: f.copyId },
    { actor: { id: f.support.id, label: f.support.name } },
  );
  ctx.clock.advance(1000);
  const token = secrets.tokens.at(-1)!;
  expect(await f.service.sendCode(token, CTX)).toMatchObject({ status: 'sent' });
  return { f, token, code: secrets.codes.at(-1)! };
}

describe.each(testDatabases())('A-6: the outbox never holds a usable download link or code (%s)', (kind) => {
  describe('with the default outbox transport', () => {
    let ctx: TestContext;
    let app: FastifyInstance;
    let admin: WebClient;
    beforeAll(async () => {
      ctx = await createTestServices(kind);
      app = await testApp(ctx);
      admin = (await signedInClient(ctx, app, { email: 'ada@council.gov.uk', name: 'Ada Admin', roles: ['admin'] }))
        .client;
    });
    afterAll(async () => {
      await app.close();
      await ctx.dispose();
    });

    it('A-6: an administrator’s outbox pages and the stored rows show the link and the code masked, never usable', async () => {
      const { token, code } = await linkAndCode(ctx);
      const list = await admin.get('/admin/outbox');
      expect(list.statusCode).toBe(200);
      const ids = [...list.body.matchAll(/href="\/admin\/outbox\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
      expect(ids.length).toBeGreaterThanOrEqual(2);
      const pages = [list.body];
      for (const id of new Set(ids)) {
        const page = await admin.get(`/admin/outbox/${id}`);
        expect(page.statusCode).toBe(200);
        pages.push(page.body);
      }
      const all = pages.join('\n');
      expect(all).not.toContain(token);
      expect(all).not.toContain(code);
      // What was sent can still be checked: the link's address, and that a code was sent.
      expect(all).toContain(`${ctx.config.publicBaseUrl}/copy/••••••••`);
      expect(all).toContain('The download link or one-time code in this email is hidden');
      expect(all).toMatch(/one-time code to download the conference recording is:[\s\S]{0,200}••••••••/);

      const rows = await outboxRows(ctx);
      expect(rows).toContain(REQUESTER_EMAIL);
      expect(rows).not.toContain(token);
      expect(rows).not.toContain(code);
    });
  });

  describe('with SMTP', () => {
    let ctx: TestContext;
    let mailbox: TestMailbox;
    beforeAll(async () => {
      mailbox = await TestMailbox.start();
      ctx = await createTestServices(kind, mailbox.env(), { mail: 'manual' });
    });
    afterAll(async () => {
      await ctx.dispose();
      await mailbox.stop();
    });

    it('A-6: the usable text is held apart only until the message is handed to the relay, then removed; the requester gets it whole', async () => {
      const { token, code } = await linkAndCode(ctx);
      expect(await outboxRows(ctx)).toContain(token);
      for (const id of ctx.queuedMail) await ctx.services.mail.deliver(id);
      const rows = await outboxRows(ctx);
      expect(rows).not.toContain(token);
      expect(rows).not.toContain(code);
      const received = ctx.queuedMail.map((id) => mailbox.sent(id)?.text ?? '').join('\n');
      expect(received).toContain(`${ctx.config.publicBaseUrl}/copy/${token}`);
      expect(received).toContain(code);
      // Sent once: a retry would have nothing usable to send, and is refused with the reason.
      await expect(ctx.services.mail.retryMessage(ctx.queuedMail[0]!, CTX)).rejects.toThrow(
        /Only a message that has not been sent/,
      );
    });
  });
});
