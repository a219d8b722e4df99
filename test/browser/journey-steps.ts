/**
 * Steps a browser journey takes the way a person does: sign in and out, arrive on a page (known by
 * its heading or its success banner), fill GOV.UK date inputs, find a fieldset by its legend, read a
 * summary list, and check an error page (its title, its summary, the message by the field, and that
 * the summary's link moves focus to the field). Each step that lands on a page checks it with axe.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { generate } from 'otplib';
import { enrolTestAuthenticator, nextSecondFactorCode, noteEnrolment } from '../support/second-factor.ts';
import type { TestContext } from '../support/services.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible } from './browser.ts';

/** The page's main heading once it reads `text` (exactly, or containing it when `contains`). */
export async function expectHeading(page: Page, text: string, opts: { contains?: boolean } = {}): Promise<void> {
  const h1 = page.locator('h1').first();
  if (opts.contains) await expect.poll(() => h1.innerText()).toContain(text);
  else await expect.poll(() => h1.innerText()).toBe(text);
}

/** Waits for the page with this main heading, then checks it with axe. */
export async function arrive(
  h: BrowserHarness,
  heading: string,
  label: string,
  opts: { contains?: boolean } = {},
): Promise<void> {
  await expectHeading(h.page, heading, opts);
  await expectAccessible(h, label);
}

/** Waits for the success banner a saved form leads to, then checks the page with axe. */
export async function saved(h: BrowserHarness, banner: string, label: string): Promise<void> {
  await expect.poll(() => h.page.locator('.govuk-notification-banner').innerText()).toContain(banner);
  await expectAccessible(h, label);
}

/** The user's id, with their authenticator app set up (through the service) if it was not. */
export async function enrolled(h: BrowserHarness, email: string): Promise<string> {
  const user = await h.ctx.services.accounts.findUserByEmail(email);
  if (!user) throw new Error(`No account for ${email}`);
  await enrolTestAuthenticator(h.ctx, user.id);
  return user.id;
}

/** The sign-in's second step: the code page (checked with axe), a code computed now, Continue. */
export async function giveSecondFactor(h: BrowserHarness, userId: string, label: string): Promise<void> {
  await arrive(h, 'Enter your security code', `security code (${label})`);
  await h.page.getByLabel('Security code').fill(await nextSecondFactorCode(h.ctx, userId));
  await h.page.getByRole('button', { name: 'Continue' }).click();
}

/**
 * After the password, on any page (with or without JavaScript): the security code page, given a code computed
 * now; or, for someone with no second factor yet, the set-up page as a person uses it (the key read from the
 * page, a code from it, the recovery codes noted for later sign-ins), then on to where sign-in was going.
 */
export async function passSecondFactor(ctx: TestContext, page: Page, email: string): Promise<void> {
  const user = await ctx.services.accounts.findUserByEmail(email);
  if (!user) throw new Error(`No account for ${email}`);
  await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/(sign-in\/second-factor|second-factor\/set-up)$/);
  if (new URL(page.url()).pathname === '/second-factor/set-up') {
    const secret = (await page.locator('[data-totp-secret]').innerText()).replace(/\s/g, '');
    const now = ctx.clock.now();
    await page
      .getByLabel('Code from the app')
      .fill(await generate({ secret, epoch: Math.floor(now.getTime() / 1000) }));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectHeading(page, 'Your recovery codes');
    const codes = (await page.locator('[data-recovery-codes] li').allInnerTexts()).map((c) => c.trim());
    noteEnrolment(ctx, user.id, secret, codes, now);
    await page.getByRole('button', { name: /continue/ }).click();
    return;
  }
  await page.getByLabel('Security code').fill(await nextSecondFactorCode(ctx, user.id));
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Signs in through the sign-in page and the security code page and waits for the home page (each checked with axe). */
export async function signIn(h: BrowserHarness, email: string): Promise<void> {
  const { page } = h;
  const userId = await enrolled(h, email);
  await page.goto('/sign-in');
  await arrive(h, 'Sign in', `sign in (${email})`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await giveSecondFactor(h, userId, email);
  await arrive(h, 'Child protection conference records', `home (${email})`, { contains: true });
}

/**
 * Follows a link to a page while signed out: the sign-in page (checked with axe), then back to the
 * page asked for, which the caller waits for and checks.
 */
export async function signInAt(h: BrowserHarness, path: string, email: string): Promise<void> {
  const { page } = h;
  const userId = await enrolled(h, email);
  await page.goto(path);
  await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
  await arrive(h, 'Sign in', `sign in (${email}), on the way to ${path}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await giveSecondFactor(h, userId, `${email}, on the way to ${path}`);
  await expect.poll(() => new URL(page.url()).pathname).toBe(path);
}

/** Signs out with the button in the header; the signed-out page is checked with axe. */
export async function signOut(h: BrowserHarness, who: string): Promise<void> {
  await h.page.getByRole('button', { name: 'Sign out' }).click();
  await expect.poll(() => new URL(h.page.url()).pathname).toBe('/sign-in');
  await arrive(h, 'Sign in', `signed out (${who})`);
}

/** Fills a GOV.UK date input (`<prefix>-day`, `-month`, `-year`). */
export async function fillDate(
  page: Page,
  prefix: string,
  [day, month, year]: readonly [number, number, number],
): Promise<void> {
  await page.locator(`#${prefix}-day`).fill(String(day));
  await page.locator(`#${prefix}-month`).fill(String(month));
  await page.locator(`#${prefix}-year`).fill(String(year));
}

/** The values a GOV.UK date input shows, as [day, month, year] strings. */
export async function dateShown(page: Page, prefix: string): Promise<[string, string, string]> {
  return [
    await page.locator(`#${prefix}-day`).inputValue(),
    await page.locator(`#${prefix}-month`).inputValue(),
    await page.locator(`#${prefix}-year`).inputValue(),
  ];
}

/** The radios or checkboxes of one fieldset, found by its legend (a fieldset is a `group`). */
export function group(page: Page, legend: string): Locator {
  return page.getByRole('group', { name: legend, exact: true });
}

/**
 * An error page as the GOV.UK pattern requires: "Error: " in the title, the summary listing
 * `message`, the summary's link for it pointing at `fieldId`, and a click on that link moving
 * focus to that field, which is visible. Checked with axe as well.
 */
export async function expectFieldError(
  h: BrowserHarness,
  label: string,
  message: string,
  fieldId: string,
): Promise<void> {
  const { page } = h;
  await expect.poll(() => page.title()).toMatch(/^Error: /);
  const summary = page.locator('.govuk-error-summary');
  await expect.poll(() => summary.innerText()).toContain(message);
  const link = summary.locator('a', { hasText: message });
  expect(await link.count(), `one summary link for “${message}”`).toBe(1);
  expect(await link.getAttribute('href')).toBe(`#${fieldId}`);
  // The same message by the field, in its form group marked as in error.
  const field = page.locator(`#${cssEscape(fieldId)}`);
  expect(await field.count(), `a field with id ${fieldId}`).toBe(1);
  const fieldGroup = page.locator('.govuk-form-group--error', { has: field }).last();
  expect(await fieldGroup.locator('.govuk-error-message').first().innerText()).toContain(message);
  await expectAccessible(h, label);
  expect(
    await fieldGroup.locator('.govuk-error-message').first().isVisible(),
    'the message by the field is visible',
  ).toBe(true);
  await link.click();
  const focused = page.locator('*:focus');
  await expect
    .poll(async () => ((await focused.count()) === 1 ? await focused.getAttribute('id') : null))
    .toBe(fieldId);
  expect(await field.isVisible(), `${fieldId} is visible once focused`).toBe(true);
}

function cssEscape(id: string): string {
  return id.replace(/([^a-zA-Z0-9_-])/g, '\\$1');
}

/** The value of a GOV.UK summary list row, by its key (the first list on the page that has it). */
export async function summaryValue(page: Page, key: string, scope: Page | Locator = page): Promise<string> {
  const keyCell = page.locator('.govuk-summary-list__key', { hasText: new RegExp(`^\\s*${escapeRegExp(key)}\\s*$`) });
  const row = scope.locator('.govuk-summary-list__row', { has: keyCell }).first();
  return (await row.locator('.govuk-summary-list__value').innerText()).trim();
}

/** The conditional question a GOV.UK checkbox or radio reveals (its `aria-controls`). */
export async function revealedBy(page: Page, input: Locator): Promise<Locator> {
  const controls = await input.getAttribute('aria-controls');
  if (!controls) throw new Error('The option reveals no conditional question');
  return page.locator(`#${cssEscape(controls)}`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
