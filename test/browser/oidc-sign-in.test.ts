import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestProvider, startTestProvider } from '../support/oidc-provider.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';

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

  it('tells someone new their account is waiting for an administrator', async () => {
    const { page } = h;
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in with your council account' }).click();
    await atProvider('nia.new');
    await expect.poll(() => page.locator('h1').innerText()).toBe('Your account is waiting for an administrator');
    await expectAccessible(h, 'waiting for an administrator');
  });
});
