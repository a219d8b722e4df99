import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DeliveryFixture,
  deliveryFixture,
  emailedCode,
  emailedLink,
} from '../../src/app/requests/delivery-test-support.ts';
import { TestMailbox } from '../../src/infra/mail/test-support.ts';
import { buildApp } from '../../src/web/app.ts';
import { createTestServices } from '../support/services.ts';
import { type BrowserHarness, CHROMIUM, expectAccessible } from './browser.ts';

describe('the requester downloads their copy in a real browser (A-6)', () => {
  let h: BrowserHarness;
  let f: DeliveryFixture;
  let mailbox: TestMailbox;

  beforeAll(async () => {
    // The requester's email goes through a real (loopback) relay: the outbox holds the link and code only masked.
    mailbox = await TestMailbox.start();
    const ctx = await createTestServices('pglite', mailbox.env());
    f = await deliveryFixture(ctx);
    // The app as composed, with the fixture's delivery service (its copy's files are in the blob store).
    const app = await buildApp({ ...ctx.services, deliveries: f.service }, { logger: false });
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
    const page = await (await browser.newContext({ baseURL: baseUrl, acceptDownloads: true })).newPage();
    h = {
      ctx,
      app,
      baseUrl,
      browser,
      page,
      checked: [],
      close: async () => {
        await browser.close();
        await app.close();
        await ctx.dispose();
        await mailbox.stop();
      },
    };
  });
  afterAll(async () => {
    await h?.close();
  });

  it('from the email link to the downloaded file, with a wrong code on the way and the expired page after; every page passes axe', async () => {
    const { page, ctx } = h;
    await f.service.create(
      f.support,
      { requestId: f.requestId, copyId: f.copyId },
      { actor: { id: f.support.id, label: f.support.name } },
    );
    ctx.clock.advance(1000);
    // The link as emailed, pointed at this test's server.
    const { token } = await emailedLink(ctx, mailbox);
    const link = `/copy/${token}`;

    await page.goto(link);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Download a copy of a conference recording');
    expect(await page.locator('.govuk-warning-text').innerText()).toContain('The recording is confidential');
    await expectAccessible(h, 'start');

    await page.getByRole('button', { name: 'Send me a code' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Enter the code we sent you');
    await expectAccessible(h, 'enter the code');
    ctx.clock.advance(1000);
    const code = await emailedCode(ctx, mailbox);

    await page.getByLabel('Code').fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: Enter the code we sent you/);
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'The code is not correct. You can try 4 more times',
    );
    await expectAccessible(h, 'wrong code');

    await page.getByLabel('Code').fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Download the recording');
    await expectAccessible(h, 'files');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download copy-recording-1.mp3' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('copy-recording-1.mp3');
    const saved = await download.path();
    expect((await readFile(saved)).equals(f.bytes.get(f.fileIds[0]!)!)).toBe(true);

    // Counted once the server has written the whole file: the page says so as soon as that is recorded.
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('#file-' + f.fileIds[0]).innerText();
      })
      .toMatch(/Downloads left\s+2/);

    ctx.clock.advance(14 * 24 * 3_600_000);
    await page.goto(link);
    await expect.poll(() => page.locator('h1').innerText()).toBe('This link has expired');
    await expectAccessible(h, 'expired');
    expect(h.checked).toEqual(['start', 'enter the code', 'wrong code', 'files', 'expired']);
  });
});
