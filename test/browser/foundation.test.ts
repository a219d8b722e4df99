import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { enrolled, giveSecondFactor } from './journey-steps.ts';

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
    await expect
      .poll(() => page.locator('.govuk-error-summary').innerText())
      .toContain('Enter a correct email address and password');
    await expectAccessible(h, 'sign-in with errors');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    const id0 = await enrolled(h, 'ada@council.gov.uk');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await giveSecondFactor(h, id0, 'ada');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');
    await expectAccessible(h, 'home');

    await page.goto('/admin/users/new');
    await expectAccessible(h, 'add a user');
    await page.getByLabel('Full name').fill('Sam Social');
    await page.getByLabel('Email address').fill('sam@council.gov.uk');
    await page.getByLabel('Social worker').check();
    await page.getByLabel('Temporary password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Sam Social');
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toContain('User added');
    await expectAccessible(h, 'a user, just added');
    await page.goto('/admin/users');
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
    // Filtered by what was done, in plain English; a bad date shows the error summary; a child by reference.
    await page.getByLabel('What they did').selectOption({ label: 'Signed in' });
    await page.getByRole('button', { name: 'Show entries' }).click();
    await page.waitForURL(/\/audit\?.*action=sign-in/);
    await expect.poll(() => page.locator('tbody').innerText()).toContain('Signed in');
    await expectAccessible(h, 'audit trail, filtered');
    await page.locator('#from-day').fill('31');
    await page.locator('#from-month').fill('2');
    await page.locator('#from-year').fill('2026');
    await page.getByRole('button', { name: 'Show entries' }).click();
    await expect
      .poll(() => page.locator('.govuk-error-summary').innerText())
      .toContain('Date from must be a real date');
    await expectAccessible(h, 'audit trail, a filter error');
    await page.goto('/audit');
    await page.getByLabel('Local case reference').fill('NO-SUCH-REF');
    await page.getByRole('button', { name: 'Find the child' }).click();
    await expect
      .poll(() => page.locator('.govuk-error-summary').innerText())
      .toContain('No child’s record has this local case reference');
    await expectAccessible(h, 'audit trail, no such child');
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

  it('passwords: reset with a link shown once, set with it, temporary passwords changed first, and every page passes axe', async () => {
    const { page } = h;
    const sam = (await h.ctx.services.accounts.findUserByEmail('sam@council.gov.uk'))!;
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('ada@council.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    const id1 = await enrolled(h, 'ada@council.gov.uk');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await giveSecondFactor(h, id1, 'ada');
    await page.waitForURL('**/');
    await page.goto(`/admin/users/${sam.id}`);
    await page.getByLabel('Full name').fill('');
    await page.getByRole('button', { name: 'Save name and email address' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'a user with errors');
    await page.getByLabel('Full name').fill('Sam Social-Worker');
    await page.getByRole('button', { name: 'Save name and email address' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toContain('Details saved');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await expect.poll(() => page.locator('#reset-link').innerText()).toContain('/set-password/');
    await expectAccessible(h, 'reset link shown once');
    const link = new URL(await page.locator('#reset-link').innerText());
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in?reason=signed-out');

    await page.goto(link.pathname);
    await expectAccessible(h, 'set a new password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'set a new password with errors');
    await page.getByLabel('New password', { exact: true }).fill('sam chose this one');
    await page.getByLabel('Confirm new password').fill('sam chose this one');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('Your new password has been set');
    await page.goto(link.pathname);
    await expectAccessible(h, 'reset link used');

    // An administrator-made account: its password must be changed before anything else.
    await h.ctx.services.accounts.createUser(
      {
        email: 'tom@council.gov.uk',
        name: 'Tom Temp',
        roles: ['chair'],
        password: 'temporary password!',
        mustChangePassword: true,
      },
      { actor: { id: null, label: 'test' } },
    );
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('tom@council.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill('temporary password!');
    const id2 = await enrolled(h, 'tom@council.gov.uk');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await giveSecondFactor(h, id2, 'tom');
    await page.waitForURL('**/account/password');
    await expectAccessible(h, 'change a temporary password');
    await page.getByLabel('Password you were given').fill('temporary password!');
    await page.getByLabel('New password', { exact: true }).fill('tom chose this one');
    await page.getByLabel('Confirm new password').fill('tom chose this one');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toContain('Password changed');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in?reason=signed-out');
  });

  it('warns before the idle time-out in an accessible dialog; "Stay signed in" keeps the session and returns focus (WCAG 2.2.1)', async () => {
    const { page } = h;
    await page.clock.install();
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('tom@council.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill('tom chose this one');
    const id3 = await enrolled(h, 'tom@council.gov.uk');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await giveSecondFactor(h, id3, 'tom');
    await page.waitForURL('**/');
    await page.goto('/account');
    await page.getByLabel('Name').fill('Typed before the warning');
    await page.getByLabel('Name').focus();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // 28 minutes after the page loaded: two minutes before the 30-minute idle time-out.
    await page.clock.fastForward('28:00');
    const dialog = page.getByRole('dialog', { name: 'You’re about to be signed out' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe('timeout-warning-heading');
    await expect.poll(() => dialog.innerText()).toContain('we will sign you out in 2 minutes');
    await expectAccessible(h, 'time-out warning');

    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => page.locator(':focus').getAttribute('name')).toBe('label');
    expect(await page.getByLabel('Name').inputValue()).toBe('Typed before the warning');

    // Left alone this time: the dialog says so when the time is up, and nothing typed is lost.
    await page.clock.fastForward('30:00');
    await expect.poll(() => page.getByRole('dialog', { name: 'You have been signed out' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await page.getByLabel('Name').inputValue()).toBe('Typed before the warning');

    // Sent after the session ended on the server: kept, and sent again after signing in.
    h.ctx.clock.advance(31 * 60_000);
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.waitForURL('**/sign-in?reason=timed-out');
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('your answers will be kept');
    await expectAccessible(h, 'signed out by the time-out');
    await page.getByLabel('Email address').fill('tom@council.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill('tom chose this one');
    const id4 = await enrolled(h, 'tom@council.gov.uk');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await giveSecondFactor(h, id4, 'tom');
    await page.waitForURL('**/kept-answers');
    await expect.poll(() => page.locator('main').innerText()).toContain('Your answers have been kept');
    await expectAccessible(h, 'answers kept');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('#api-token').innerText()).toMatch(/^cpcr_/);
    await expect.poll(() => page.locator('main').innerText()).toContain('Token for Typed before the warning');
  });
});
