import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestProvider, startTestProvider } from '../support/oidc-provider.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { arrive, expectFieldError, signIn, signOut, summaryValue } from './journey-steps.ts';

/** A port free now, so the service's address (its redirect URI) is known before the provider registers it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('signing in with the council’s account in a real browser', () => {
  let provider: TestProvider;
  let h: BrowserHarness;

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    provider = await startTestProvider({
      serviceBaseUrl: base,
      people: {
        'cara.chair': { name: 'Cara Chair', email: 'cara.chair@council.gov.uk', groups: ['g-chairs'] },
        'nia.new': { name: 'Nia New', email: 'nia.new@council.gov.uk' },
      },
    });
    h = await startBrowserHarness({ port, env: provider.env({ OIDC_ROLE_GROUPS: 'chair=g-chairs' }) });
  });
  afterAll(async () => {
    await h?.close();
    await provider?.close();
  });

  /** The provider's own development login and consent pages (not this service's, so not checked with axe). */
  async function atProvider(login: string) {
    const { page } = h;
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.origin === provider.issuer && url.pathname.startsWith('/interaction/'));
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('signs in through the provider and back, signs out of both, and every page of the service passes axe', async () => {
    const { page } = h;
    await page.goto('/sign-in');
    await expectAccessible(h, 'sign-in with the council button');
    await page.getByRole('button', { name: 'Sign in with your council account' }).click();
    await atProvider('cara.chair');
    await expect.poll(() => page.locator('.app-sign-out').innerText()).toContain('Signed in as Cara Chair');
    await expectAccessible(h, 'home after council sign-in');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('button[name="logout"][value="yes"]').click();
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toContain('You have signed out');
    await expectAccessible(h, 'signed out');
  });

  it('tells someone new their account is waiting for an administrator, who gives roles (none refused); then they sign in and out', async () => {
    const { page } = h;
    const before = h.checked.length;
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in with your council account' }).click();
    await atProvider('nia.new');
    await expect.poll(() => page.locator('h1').innerText()).toBe('Your account is waiting for an administrator');
    await expectAccessible(h, 'waiting for an administrator');
    // Still waiting: asking for a page leads back to signing in, not into the service.
    await page.goto('/');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');

    // The administrator (a password and a second factor) finds the account waiting and gives it roles.
    await h.ctx.services.accounts.createUser(
      { email: 'ada@council.gov.uk', name: 'Ada Admin', roles: ['admin'], password: TEST_PASSWORD },
      { actor: { id: null, label: 'test' } },
    );
    await signIn(h, 'ada@council.gov.uk');
    await page.goto('/admin/users');
    await arrive(h, 'Users', 'users, one waiting');
    await page.getByRole('link', { name: 'Nia New', exact: true }).click();
    await arrive(h, 'Nia New', 'the account waiting for roles');
    expect(await summaryValue(page, 'Status')).toBe('Waiting for roles');
    await page.getByRole('button', { name: 'Give roles and enable the account' }).click();
    await expectFieldError(h, 'the account waiting for roles, none given', 'Select at least one role', 'roles');
    expect(await summaryValue(page, 'Status')).toBe('Waiting for roles');
    await page.getByLabel('Social worker', { exact: true }).check();
    await page.getByRole('button', { name: 'Give roles and enable the account' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').count()).toBe(1);
    await expectAccessible(h, 'the account given roles');
    expect(await summaryValue(page, 'Status')).toBe('Active');
    await signOut(h, 'the administrator');

    // Now she is let in (still signed in at the council, so not asked again there), and signs out of both.
    await page.getByRole('button', { name: 'Sign in with your council account' }).click();
    await expect.poll(() => page.locator('.app-sign-out').innerText()).toContain('Signed in as Nia New');
    await expectAccessible(h, 'home after roles were given');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('button[name="logout"][value="yes"]').click();
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toContain('You have signed out');
    await expectAccessible(h, 'signed out (Nia)');
    // Every page of the service on the way, the security code page after the administrator's password included.
    expect(h.checked.length - before).toBe(11);
  });
});
