import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutboxTestContext, outboxTestContext } from '../../src/web/features/outbox/test-support.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, CHROMIUM, expectAccessible } from './browser.ts';
import { passSecondFactor } from './journey-steps.ts';

describe('the wording of letters in a real browser', () => {
  let t: OutboxTestContext & { baseUrl: string };
  let h: BrowserHarness;

  beforeAll(async () => {
    t = await outboxTestContext('pglite', {
      listen: true,
      env: { COUNCIL_NAME: 'Eastshire Council', COUNCIL_CONTACT: 'the conference team on 01234 567890' },
    });
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

  it('W-7: an administrator changes how letters say how to complain, with checked placeholders and a preview; every page passes axe', async () => {
    const { page } = h;
    await t.ctx.services.accounts.createUser(
      { email: 'ada@council.gov.uk', name: 'Ada Admin', roles: ['admin'], password: TEST_PASSWORD },
      { actor: { id: null, label: 'test' } },
    );
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('ada@council.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, 'ada@council.gov.uk');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');

    await page.goto('/admin/templates');
    await page
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: 'Letter wording' })
      .click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Letter wording');
    await expectAccessible(h, 'letter wording');
    await page.getByRole('link', { name: 'How to complain' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('How to complain');
    await expectAccessible(h, 'change letter wording');

    await page.getByLabel('Wording').fill('Tell ((complaints_team)) if you are unhappy.');
    await page.getByRole('button', { name: 'Save wording' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expect
      .poll(() => page.locator('.govuk-error-summary').innerText())
      .toContain('((complaints_team)), which is not a placeholder this letter can use');
    await expect
      .poll(() => page.locator('.govuk-error-summary').innerText())
      .toContain('Wording must include ((council_contact))');
    await expectAccessible(h, 'letter wording with errors');
    await page.locator('.govuk-error-summary').getByRole('link').first().click();
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe('body');

    await page
      .getByLabel('Wording')
      .fill('If you are unhappy, ((recipient_name)), contact ((council_contact)).\n\n((council_name)) will reply.');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => page.getByRole('group', { name: 'Preview of the wording' }).innerText())
      .toBe(
        'If you are unhappy, Sam Example, contact the conference team on 01234 567890.\n\nEastshire Council will reply.',
      );
    await expectAccessible(h, 'letter wording preview');
    await page.getByRole('button', { name: 'Save wording' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('Your wording has been saved');
    await expectAccessible(h, 'letter wording saved');
    await page.getByRole('button', { name: 'Use the default wording' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('The default wording has been put back');
  });
});
