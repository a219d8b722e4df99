import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';

describe('foundation in a real browser', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sets up the first administrator, signs in, manages users, and every page passes axe', async () => {
    const { page } = h;
    const token = await h.ctx.services.accounts.createSetupLinkIfNeeded({ actor: { id: null, label: 'system' } });
    await page.goto(`/setup/${token}`);
    await expectAccessible(h, 'set-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'set-up with errors');
    await page.getByLabel('Full name').fill('Ada Admin');
    await page.getByLabel('Email address').fill('ada@council.gov.uk');
    await page.getByLabel('Create a password').fill(TEST_PASSWORD);
    await page.getByLabel('Confirm password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('Administrator account created');
    await expectAccessible(h, 'set-up done');

    await page.goto('/sign-in');
    await expectAccessible(h, 'sign-in');
    await page.getByLabel('Email address').fill('ada@council.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill('wrong password here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').innerText()).toContain('Enter a correct email address and password');
    await expectAccessible(h, 'sign-in with errors');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');
    await expectAccessible(h, 'home');

    await page.goto('/admin/users/new');
    await expectAccessible(h, 'add a user');
    await page.getByLabel('Full name').fill('Sam Social');
    await page.getByLabel('Email address').fill('sam@council.gov.uk');
    await page.getByLabel('Social worker').check();
    await page.getByLabel('Temporary password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Users');
    await expectAccessible(h, 'users');
    await page.getByRole('link', { name: 'Sam Social' }).click();
    await expectAccessible(h, 'a user');

    await page.goto('/account');
    await expectAccessible(h, 'your account');
    await page.getByLabel('Name').fill('Case system');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => page.locator('#api-token').innerText()).toMatch(/^cpcr_/);
    await expectAccessible(h, 'token created');

    await page.goto('/audit');
    await expectAccessible(h, 'audit trail');
    await page.getByRole('button', { name: 'Check the whole trail now' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('The audit trail is intact');
    await expectAccessible(h, 'audit check');

    await page.goto('/no-such-page');
    await expectAccessible(h, 'not found');
    await page.goto('/accessibility');
    await expectAccessible(h, 'accessibility statement');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toContain('You have signed out');
    await expectAccessible(h, 'signed out');
  });
});
