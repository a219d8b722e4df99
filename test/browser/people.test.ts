import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { passSecondFactor } from './journey-steps.ts';

// The newcomer's journey of the foundation issue: add a child with two parents, one holding
// parental responsibility and one not, find the child again, and work out a deadline.
describe('a child’s record in a real browser', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
    await h.ctx.services.accounts.createUser(
      { email: 'sam@council.gov.uk', name: 'Sam Social', roles: ['social_worker'], password: TEST_PASSWORD },
      { actor: { id: null, label: 'test' } },
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('adds a child with two parents, finds the child, and every page passes axe', async () => {
    const { page } = h;
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('sam@council.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, 'sam@council.gov.uk');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');

    await page.goto('/children/new');
    await expectAccessible(h, 'add a child');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(h, 'add a child with errors');

    await page.getByLabel('Given names').fill('Amira');
    await page.getByLabel('Family name').fill('Okafor');
    await page.getByLabel('Yes').check();
    await page.locator('#dateOfBirth-day').fill('14');
    await page.locator('#dateOfBirth-month').fill('6');
    await page.locator('#dateOfBirth-year').fill('2016');
    await page.getByLabel('Address').fill('12 Mill Lane\nLuton\nLU1 1AA');
    await page.getByLabel('Local case reference').fill('CS-100234');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('Check the child’s details');
    await expectAccessible(h, 'check answers');
    await page.getByRole('button', { name: 'Save the child’s record' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Amira Okafor');
    await expectAccessible(h, 'child record');

    for (const parent of [
      { given: 'Grace', family: 'Okafor', relationship: 'Mother', pr: 'Yes' },
      { given: 'Daniel', family: 'Mensah', relationship: 'Father', pr: 'No' },
    ]) {
      await page.getByRole('button', { name: 'Add a family or network member' }).click();
      await expectAccessible(h, 'choose family member');
      await page.getByRole('button', { name: 'Add someone new' }).click();
      await expectAccessible(h, 'new family member');
      await page.getByLabel('Given names').fill(parent.given);
      await page.getByLabel('Family name').fill(parent.family);
      await page.getByLabel(parent.relationship, { exact: true }).check();
      await page
        .locator('fieldset', { hasText: 'Do they have parental responsibility' })
        .getByLabel(parent.pr, { exact: true })
        .check();
      await page.getByRole('button', { name: /family and network/ }).click();
      await expect.poll(() => page.locator('h1').innerText()).toBe('Amira Okafor');
    }
    const family = await page.locator('main').innerText();
    expect(family).toMatch(/Grace Okafor[\s\S]*Mother[\s\S]*Yes/);
    expect(family).toMatch(/Daniel Mensah[\s\S]*Father[\s\S]*No/);
    await expectAccessible(h, 'child record with family');

    await page.goto('/children');
    await expectAccessible(h, 'find a child');
    await page.getByLabel('Name').fill('okafor');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByRole('link', { name: /Amira Okafor/ }).count()).toBe(1);
    expect(page.url()).not.toContain('okafor');
    await expectAccessible(h, 'search results');
  });
});
