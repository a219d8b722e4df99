/**
 * The second factor in a real browser: setting up an authenticator app at first sign-in (the key shown to
 * type in, a code, the recovery codes), then a passkey added from the account page and used to sign in, with
 * Chromium's virtual authenticator (DevTools protocol: WebAuthn.enable, WebAuthn.addVirtualAuthenticator).
 * Passkeys need a host name, not an address, so this harness serves the app on http://localhost:<port>,
 * which is also the service’s PUBLIC_BASE_URL (the passkeys’ relying party). A wrong code at set-up, a recovery code
 * used once (then refused, as are old ones once new codes are made): every new page is checked with axe and at
 * phone width.
 */
import { createServer } from 'node:net';
import { generate } from 'otplib';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows } from '../support/people.ts';
import { createTestServices } from '../support/services.ts';
import { TEST_PASSWORD, testApp } from '../support/web.ts';
import { CHROMIUM, type BrowserHarness, expectAccessible } from './browser.ts';
import { arrive, expectFieldError, saved, signIn, signOut, summaryValue } from './journey-steps.ts';

const system = { actor: { id: null, label: 'test' } };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function localhostHarness(): Promise<BrowserHarness> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const ctx = await createTestServices('pglite', { PUBLIC_BASE_URL: baseUrl });
  const app = await testApp(ctx);
  await app.listen({ host: 'localhost', port });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync', '--no-first-run'],
  });
  const page = await (await browser.newContext({ baseURL: baseUrl })).newPage();
  return {
    ctx,
    app,
    baseUrl,
    browser,
    page,
    checked: [],
    async close() {
      await browser.close();
      await app.close();
      await ctx.dispose();
    },
  };
}

/** The app's code at the service's time now. */
function codeNow(secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(h.ctx.clock.now().getTime() / 1000) });
}

/** A code one digit off the right one. */
function wrongCode(code: string): string {
  return code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
}

let h: BrowserHarness;

describe('second factor in a real browser', () => {
  beforeAll(async () => {
    h = await localhostHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sets up an authenticator app at first sign-in (a wrong code refused), signs in with a recovery code once, gets new codes, adds a passkey and signs in with it; every page passes axe and fits a phone', async () => {
    const { page, ctx } = h;
    const kit = await ctx.services.accounts.createUser(
      { email: 'kit@council.gov.uk', name: 'Kit Chair', roles: ['chair'], password: TEST_PASSWORD },
      system,
    );

    // First sign-in: the password, then the authenticator app must be set up before anything else.
    await page.goto('/account');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Email address').fill(kit.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await arrive(h, 'Set up an authenticator app', 'set up an authenticator app');
    const secret = (await page.locator('[data-totp-secret]').innerText()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'set up an authenticator app, with errors');
    // A wrong code (mistyped): refused on the field, and the same key is shown, so the app need not be set up again.
    await page.getByLabel('Code from the app').fill(wrongCode(await codeNow(secret)));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectFieldError(h, 'set up an authenticator app, wrong code', 'not correct', 'code');
    expect((await page.locator('[data-totp-secret]').innerText()).replace(/\s/g, '')).toBe(secret);
    // The code is computed at the moment it is typed, from the service's clock.
    await page.getByLabel('Code from the app').fill(await codeNow(secret));
    await page.getByRole('button', { name: 'Continue' }).click();
    await arrive(h, 'Your recovery codes', 'recovery codes');
    await expect.poll(() => page.locator('[data-recovery-codes] li').count()).toBe(10);
    const recoveryCodes = (await page.locator('[data-recovery-codes] li').allInnerTexts()).map((c) => c.trim());
    await page.getByRole('button', { name: /continue/ }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/account');

    // A passkey, from the account's sign-in security page, on Chromium's virtual authenticator.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.getByRole('link', { name: /Sign-in security/ }).click();
    await arrive(h, 'Sign-in security', 'sign-in security');
    await page.getByLabel('Name').fill('Work laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await saved(h, 'Passkey added', 'sign-in security, passkey added');
    await expect.poll(() => page.locator('table').innerText()).toContain('Work laptop');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    const [stored] = await ctx.services.secondFactor.listPasskeys(kit.id);
    expect(stored!.counter).toBe(credentials[0]!.signCount);

    // Signing in again: the password, then the passkey instead of a code.
    await signOut(h, 'kit');
    await page.getByLabel('Email address').fill(kit.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await arrive(h, 'Enter your security code', 'security code with a passkey offered');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await arrive(h, 'Child protection conference records', 'home after a passkey', { contains: true });
    const [used] = await ctx.services.secondFactor.listPasskeys(kit.id);
    expect(used!.counter).toBeGreaterThan(stored!.counter);
    expect(used!.lastUsedAt).not.toBeNull();
    const verified = (await auditRows(ctx, 'second-factor.verify')).filter((r) => r.subjectId === kit.id);
    expect(verified.map((r) => [r.outcome, r.details])).toEqual([['success', { method: 'passkey' }]]);

    // A wrong code shows its error on an accessible page.
    await signOut(h, 'kit');
    await page.getByLabel('Email address').fill(kit.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await arrive(h, 'Enter your security code', 'security code');
    await page.getByLabel('Security code').fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').innerText()).toContain('The code is not correct');
    await expectAccessible(h, 'security code, wrong');
    // No phone: a recovery code instead, which then works no more.
    await page.getByLabel('Security code').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await arrive(h, 'Child protection conference records', 'home after a recovery code', { contains: true });
    await page.goto('/account/sign-in-security');
    await arrive(h, 'Sign-in security', 'sign-in security, a recovery code used');
    expect(await summaryValue(page, 'Recovery codes left')).toBe('9');
    // New codes: the old ones, even those never used, stop working.
    await page.getByRole('button', { name: 'Get new recovery codes' }).click();
    await arrive(h, 'Your recovery codes', 'new recovery codes');
    const newCodes = (await page.locator('[data-recovery-codes] li').allInnerTexts()).map((c) => c.trim());
    expect(newCodes).toHaveLength(10);
    expect(newCodes).not.toContain(recoveryCodes[1]);
    await signOut(h, 'kit');
    await page.getByLabel('Email address').fill(kit.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await arrive(h, 'Enter your security code', 'security code, again');
    await page.getByLabel('Security code').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectFieldError(h, 'security code, a recovery code used before', 'The code is not correct', 'code');
    await page.getByLabel('Security code').fill(recoveryCodes[1]!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectFieldError(h, 'security code, an old recovery code', 'The code is not correct', 'code');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await arrive(h, 'Child protection conference records', 'home after a passkey, again', { contains: true });

    // Removed: listed no more.
    await page.goto('/account/sign-in-security');
    await page.getByRole('button', { name: 'Remove Work laptop' }).click();
    await saved(h, 'Passkey removed', 'sign-in security, passkey removed');
    expect(await ctx.services.secondFactor.listPasskeys(kit.id)).toEqual([]);
    await signOut(h, 'kit');
  });

  it('an administrator’s reset page passes axe, and the person sets up their app again at next sign-in', async () => {
    const { page, ctx } = h;
    await ctx.services.accounts.createUser(
      { email: 'ada@council.gov.uk', name: 'Ada Admin', roles: ['admin'], password: TEST_PASSWORD },
      system,
    );
    const kit = (await ctx.services.accounts.findUserByEmail('kit@council.gov.uk'))!;
    await signIn(h, 'ada@council.gov.uk');
    await page.goto(`/admin/users/${kit.id}`);
    await page.getByRole('link', { name: 'reset their sign-in security' }).click();
    await arrive(h, 'Reset sign-in security', 'reset sign-in security');
    await page.getByRole('button', { name: 'Reset sign-in security' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').innerText()).toContain('Enter why');
    await expectAccessible(h, 'reset sign-in security, with errors');
    await page
      .getByLabel('Why are you resetting it?')
      .fill('New phone, recovery codes lost; called back on her desk line');
    await page.getByRole('button', { name: 'Reset sign-in security' }).click();
    await saved(h, 'Sign-in security reset', 'user page after the reset');
    await signOut(h, 'ada');
    await page.getByLabel('Email address').fill(kit.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await arrive(h, 'Set up an authenticator app', 'set up again after the reset');
  });
});
