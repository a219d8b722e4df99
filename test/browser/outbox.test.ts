import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPY_READY_VALUES } from '../../src/infra/mail/test-support.ts';
import { type OutboxTestContext, outboxTestContext } from '../../src/web/features/outbox/test-support.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, CHROMIUM, expectAccessible } from './browser.ts';
import { passSecondFactor } from './journey-steps.ts';

describe('the outbox and email wording in a real browser', () => {
  let t: OutboxTestContext & { baseUrl: string };
  let h: BrowserHarness;

  beforeAll(async () => {
    t = await outboxTestContext('pglite', { listen: true });
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
    const page = await (await browser.newContext({ baseURL: t.baseUrl })).newPage();
    h = {
      ctx: t.ctx,
      app: t.app,
      baseUrl: t.baseUrl,
      browser,
      page,
      checked: [],
      close: async () => {
        await browser.close();
        await t.dispose();
      },
    };
  });
  afterAll(async () => {
    await h?.close();
  });

  it('an administrator reads the outbox, sends a refused email again and changes an email’s wording; every page passes axe', async () => {
    const { page } = h;
    const actor = { actor: { id: null, label: 'test' } };
    await t.ctx.services.accounts.createUser(
      { email: 'ada@council.gov.uk', name: 'Ada Admin', roles: ['admin'], password: TEST_PASSWORD },
      actor,
    );
    await t.ctx.services.accounts.createUser(
      { email: 'chris@council.gov.uk', name: 'Chris Chair', roles: ['chair'], password: TEST_PASSWORD },
      actor,
    );
    const kept = (
      await t.mail.send('copy-ready', 'jordan.requester@example.org', COPY_READY_VALUES, {
        subjectType: 'copy_request',
        subjectId: 'r-1',
      })
    ).messageId;
    await t.mail.deliver(kept);
    const refused = (
      await t.mail.queue(
        'email-confirmation',
        'someone@example.org',
        {
          requester_name: 'Sam Parent',
          request_reference: 'CR-2',
          reply_to: 'support@council.example',
          chair_name: 'Chris Chair',
          conference_date: '16 March 2026',
        },
        { subjectType: 'copy_request', subjectId: 'r-2' },
      )
    ).messageId;
    await t.ctx.services.database.execute(
      `update outbox_messages set state = 'rejected', attempts = 1, last_error = 'smtp:EENVELOPE 550' where id = $1`,
      [refused],
    );

    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('ada@council.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, 'ada@council.gov.uk');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');

    // Administration's own navigation leads from the users page to the outbox and the email wording.
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Users' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Users');
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Outbox' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Outbox');
    await expectAccessible(h, 'outbox');
    await page.getByRole('link', { name: /Refused by the mail service \(1\)/ }).click();
    await expect.poll(() => page.title()).toMatch(/^Outbox: Refused by the mail service/);
    await expectAccessible(h, 'outbox filtered');
    await page.getByRole('link', { name: /please confirm your details/ }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('please confirm your details');
    await expect
      .poll(() => page.getByRole('group', { name: 'The text of the email' }).innerText())
      .toMatch(/^OFFICIAL-SENSITIVE\s+Dear Sam Parent/);
    await expectAccessible(h, 'refused message');
    await page.getByRole('button', { name: 'Try sending it again now' }).click();
    await expect.poll(() => page.locator('.govuk-summary-list').innerText()).toContain('Waiting to send');
    await expectAccessible(h, 'message queued again');

    await page.getByRole('link', { name: 'Back to the outbox' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Outbox');
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Email wording' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Email wording');
    await expectAccessible(h, 'email wording');
    await page.getByRole('link', { name: 'Tell the requester their copy is ready' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Tell the requester their copy is ready');
    await expectAccessible(h, 'change wording');

    await page.getByLabel('Message').fill('Hello ((requester_name)), see ((child_name)).');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expect
      .poll(() => page.locator('.govuk-error-summary').innerText())
      .toContain('((child_name)), which is not a placeholder');
    await expect
      .poll(() => page.locator('.govuk-error-summary').innerText())
      .toContain('Message must include ((download_link))');
    await expectAccessible(h, 'change wording with errors');
    await page.locator('.govuk-error-summary').getByRole('link').first().click();
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe('body');

    await page
      .getByLabel('Message')
      .fill('Hello ((requester_name)),\n\nYour copy: ((download_link))\n\nDo not share it.');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => page.getByRole('group', { name: 'Preview of the email' }).innerText())
      .toContain('Hello Alex Example,');
    await expect
      .poll(() => page.getByRole('group', { name: 'Preview of the email' }).innerText())
      .toMatch(/OFFICIAL-SENSITIVE$/);
    await expectAccessible(h, 'wording preview');
    await page.getByRole('button', { name: 'Save wording' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('Your wording has been saved');
    await expectAccessible(h, 'wording saved');
    await page.getByRole('button', { name: 'Use the default wording' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('The default wording has been put back');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('chris@council.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, 'chris@council.gov.uk');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');
    const res = await page.goto('/admin/outbox');
    expect(res?.status()).toBe(403);
    await expectAccessible(h, 'outbox refused to a chair');

    expect(h.checked).toHaveLength(10);
  });
});
