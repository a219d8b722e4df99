import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { passSecondFactor } from './journey-steps.ts';

describe('work out a deadline in a real browser', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows the form, its errors and a T-1 result across Easter 2025, each passing axe', async () => {
    const { page } = h;
    await h.ctx.services.accounts.createUser(
      { email: 'chris@council.gov.uk', name: 'Chris Chair', roles: ['chair'], password: TEST_PASSWORD },
      { actor: { id: null, label: 'test' } },
    );
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('chris@council.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, 'chris@council.gov.uk');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');

    await page.getByRole('link', { name: 'Work out a deadline' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Work out a deadline');
    await expectAccessible(h, 'deadline form');

    // Errors: no rule, 30 February.
    await page.getByLabel('Day').fill('30');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('2025');
    await page.getByRole('button', { name: 'Work out the deadline' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    const summary = page.locator('.govuk-error-summary');
    await expect.poll(() => summary.innerText()).toContain('Select the timescale to work out');
    expect(await summary.innerText()).toContain('Date to count from must be a real date');
    expect(await page.getByLabel('Day').inputValue()).toBe('30');
    await expectAccessible(h, 'deadline form with errors');
    // The summary links to the first radio button.
    await summary.getByRole('link', { name: 'Select the timescale to work out' }).click();
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe('rule');

    await page.getByLabel('Initial child protection conference', { exact: true }).check();
    await page.getByLabel('Day').fill('10');
    await page.getByLabel('Month').fill('4');
    await page.getByRole('button', { name: 'Work out the deadline' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Initial child protection conference');
    const result = await page.locator('.govuk-summary-list').innerText();
    expect(result).toContain('Thursday 10 April 2025');
    expect(result).toContain('Tuesday 6 May 2025');
    // How it was worked out, with the rule it comes from, is one click away.
    await page.getByText('How this was worked out').click();
    const how = page.locator('.govuk-details__text');
    await expect.poll(() => how.innerText()).toContain('Good Friday, 18 April 2025');
    expect(await how.innerText()).toContain('From rule T-1, 002 §1.2.');
    await expectAccessible(h, 'deadline result');

    await page.getByRole('link', { name: 'Work out another deadline' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Work out a deadline');
  });
});
