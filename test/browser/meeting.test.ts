import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staff } from '../support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../support/conferences.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { passSecondFactor } from './journey-steps.ts';

/** Marks each person on the register; the radios are named `status-<inviteeId>`. */
async function mark(
  page: Page,
  statuses: Record<string, 'attended' | 'apologies' | 'absent' | 'invited'>,
): Promise<void> {
  for (const [inviteeId, status] of Object.entries(statuses))
    await page.locator(`input[name="status-${inviteeId}"][value="${status}"]`).check();
}

async function fillDate(page: Page, prefix: string, day: string, month: string, year: string): Promise<void> {
  await page.locator(`#${prefix}-day`).fill(day);
  await page.locator(`#${prefix}-month`).fill(month);
  await page.locator(`#${prefix}-year`).fill(year);
}

// The chair's day: a seeded initial conference for a sibling group (Ava, 12, and Ben, 6), from the
// recording reminder through the register, quoracy, decisions with dissent, the plan, the summary and
// conclusion, with axe on every page and every error state visited.
describe('a sibling group’s initial conference, held by the chair in a real browser', () => {
  let h: BrowserHarness;
  let g: SiblingGroupConference;
  let base: string;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const chair = await staff(h.ctx, 'Chris Chair', ['chair']);
    const sw = await staff(h.ctx, 'Sam Social', ['social_worker']);
    g = await siblingGroupConference(h.ctx, { socialWorker: sw, chair });
    base = `/conferences/${g.conferenceId}/meeting`;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('holds the conference from the reminder to the record, and every page passes axe', async () => {
    const { page } = h;
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('chris.chair@example.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, 'chris.chair@example.gov.uk');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');

    await page.goto(base);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Conference for Ava and Ben Okafor');
    await expectAccessible(h, 'meeting: planned');

    // the reminder, first without ticking anything.
    await page.getByRole('button', { name: 'Start the conference' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Start the conference');
    await expectAccessible(h, 'start');
    await page.getByRole('button', { name: 'Start the conference' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'start with errors');
    for (const box of await page.locator('input[name="pointsGiven"]').all()) await box.check();
    await page.getByLabel('Time the conference started').fill('10:04');
    await page.getByRole('button', { name: 'Start the conference' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('The conference has started');
    expect(await page.locator('main').innerText()).toContain(
      '10:04 – the chair told those present about the recording',
    );
    expect(await page.locator('main').innerText()).toMatch(
      /Recording reminder\s+Given to those present; recorded at 09:00 on 2 March 2026/,
    );
    await expectAccessible(h, 'meeting: in progress');

    // Split: a second part for Ava alone, 11:30 to 12:00.
    await page.getByRole('link', { name: 'Split the conference into parts, or change the parts' }).click();
    await expectAccessible(h, 'parts');
    await page.getByLabel('Name of the part').fill('Part 2: Ava with the chair');
    await page.getByLabel('Starts at').fill('11:30');
    await page.getByLabel('Length in minutes').fill('30');
    await page.getByRole('button', { name: 'Add the part' }).click();
    await expect.poll(() => page.locator('table').innerText()).toContain('Part 2: Ava with the chair');
    await page.getByRole('link', { name: 'Change Whole conference' }).click();
    await expectAccessible(h, 'change a part');
    await page.getByLabel('Length in minutes').fill('90');
    await page.getByRole('button', { name: 'Save the part' }).click();
    await expect.poll(() => page.locator('table').innerText()).toContain('11:30');

    // The register for the first part: only children's social care and the police so far.
    await page.goto(`${base}/parts/${g.partId}/register`);
    await expectAccessible(h, 'register');
    await mark(page, {
      [g.invitee.socialWorker]: 'attended',
      [g.invitee.police]: 'attended',
      [g.invitee.mother]: 'attended',
      [g.invitee.father]: 'attended',
      [g.invitee.ava]: 'attended',
      [g.invitee.gp]: 'apologies',
    });
    await page.locator(`#joinedAt-${g.invitee.police}`).fill('quarter past ten');
    await page.getByRole('button', { name: 'Save the register' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'register with errors');
    await page.locator(`#joinedAt-${g.invitee.police}`).fill('10:15');
    await page.getByRole('button', { name: 'Save the register' }).click();
    await expect.poll(() => page.locator('#quoracy + p').innerText()).toContain('Not quorate');

    // not quorate, so the chair sees both choices.
    await page.getByRole('link', { name: 'Not quorate: decide whether to go ahead or adjourn' }).click();
    await expectAccessible(h, 'quoracy: not quorate');
    await page.getByRole('button', { name: 'Adjourn the conference' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'quoracy: adjourn errors');

    // The school arrives late: now quorate.
    await page.goto(`${base}/parts/${g.partId}/register`);
    await mark(page, { [g.invitee.school]: 'attended' });
    await page.locator(`#joinedAt-${g.invitee.school}`).fill('10:20');
    await page.getByRole('button', { name: 'Save the register' }).click();
    await expect
      .poll(() => page.locator('main').innerText())
      .toContain('Quorate: children’s social care and 2 other agencies with direct contact');
    await page.getByRole('link', { name: 'How quoracy is worked out' }).click();
    await expectAccessible(h, 'quoracy: quorate');

    // A supporter turns up; the father is excluded for part of the first part.
    await page.goto(`${base}/arrivals`);
    await expectAccessible(h, 'arrival');
    await page.getByLabel('A friend, supporter or advocate not yet recorded').check();
    await page.getByLabel('Supporter', { exact: true }).check();
    await page.getByLabel('Given names').fill('Sue');
    await page.getByLabel('Family name').fill('Porter');
    await page.getByLabel('Whole conference (10:00 to 11:30)').check();
    await page.getByRole('button', { name: 'Add to the register' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toContain('added to the register');
    await page.goto(`${base}/parts/${g.partId}/exclusions/${g.invitee.father}`);
    await expectAccessible(h, 'exclusion');
    await page.getByLabel('Partly excluded').check();
    await page.getByRole('button', { name: 'Record the exclusion' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'exclusion with errors');
    await page
      .getByLabel('As an alleged perpetrator, their presence may affect the outcome of criminal proceedings')
      .check();
    const told = page.getByRole('group', { name: 'Date they were told the reasons' });
    await told.getByLabel('Day').fill('2');
    await told.getByLabel('Month').fill('3');
    await told.getByLabel('Year').fill('2026');
    await page.getByLabel('Who told them').fill('Cal Chair');
    await page.getByLabel('Telling the chair, before or after their exclusion').check();
    await page.getByRole('button', { name: 'Record the exclusion' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('was partly excluded from Whole conference');

    // Ava: plan needed, neglect; police and school dissent, so the D-1 referral is needed.
    await page.goto(`${base}/children/${g.children.ava}/views`);
    await expectAccessible(h, 'child’s views');
    await page.getByLabel('Ava’s views').fill('Ava told the chair she wants to stay at home and feels safe at school.');
    await page.getByRole('button', { name: 'Save Ava’s views' }).click();
    await page.getByRole('link', { name: 'Record the decision for Ava Okafor' }).click();
    await expectAccessible(h, 'decision');
    await page.getByLabel('Child protection plan needed', { exact: true }).check();
    await page.getByLabel('Neglect').check();
    await page.getByLabel('Reasons for the decision').fill('Persistent neglect of basic care and health needs.');
    const view = (agency: string, value: 'agrees' | 'dissents') =>
      page.locator(`input[name="view-${agency}"][value="${value}"]`).check();
    await view(g.agencies.csc, 'agrees');
    await view(g.agencies.police, 'dissents');
    await view(g.agencies.school, 'dissents');
    await page.getByRole('button', { name: 'Save the decision' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'enter the senior manager the case is referred to',
    );
    await expectAccessible(h, 'decision with errors');
    await page.getByLabel('Senior manager the case is referred to').fill('Head of Quality Assurance');
    await fillDate(page, 'referredOn', '2', '3', '2026');
    await page.getByRole('button', { name: 'Save the decision' }).click();
    await expect
      .poll(() => page.locator('main').innerText())
      .toContain('Dissenting: Police Public Protection Unit, Riverside Academy');
    await page.getByRole('link', { name: 'Record the review by the senior manager for Ava Okafor' }).click();
    await expectAccessible(h, 'referral review');
    await page.goto(base);

    // Ben: plan needed, physical abuse, every agency agrees.
    await page.getByRole('link', { name: 'Record the decision for Ben Okafor' }).click();
    await page.getByLabel('Child protection plan needed', { exact: true }).check();
    await page.getByLabel('Physical abuse').check();
    await page.getByLabel('Reasons for the decision').fill('Unexplained bruising.');
    for (const agency of [g.agencies.csc, g.agencies.police, g.agencies.school]) await view(agency, 'agrees');
    await page.getByRole('button', { name: 'Save the decision' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('The decision is recorded');

    // Ava's plan, with a second action row added without a script.
    await page.getByRole('link', { name: 'Record the plan for Ava Okafor' }).click();
    await expectAccessible(h, 'plan');
    expect(await page.locator('#nextReviewDate-day').inputValue()).toBe('29');
    await page.getByLabel('Grace Okafor').check();
    await page.getByLabel('Tom Reid').check();
    await fillDate(page, 'firstCoreGroupDate', '12', '3', '2026');
    await page.locator('#action-0').fill('Register both children with a dentist');
    await page.locator('#who-0').fill('Grace Okafor');
    await fillDate(page, 'byWhen-0', '1', '4', '2026');
    await page.locator('#action-1').fill('Weekly visits');
    await page.getByRole('button', { name: 'Add another action row' }).click();
    await expect.poll(() => page.locator('textarea[id^="action-"]').count()).toBe(4);
    expect(await page.locator('#action-1').inputValue()).toBe('Weekly visits');
    await page.getByLabel('Contingency plan').fill('A legal planning meeting if the home is not made safe.');
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'plan with errors');
    await page.locator('#who-1').fill('Sam Social');
    await fillDate(page, 'byWhen-1', '29', '5', '2026');
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toContain('The plan is recorded');
    expect(await page.locator(`#child-${g.children.ava}`).innerText()).toContain('Next review by: 29 May 2026');

    await page.getByRole('link', { name: 'Record the plan for Ben Okafor' }).click();
    await page.getByLabel('Grace Okafor').check();
    await fillDate(page, 'firstCoreGroupDate', '12', '3', '2026');
    await page.locator('#action-0').fill('Paediatric assessment');
    await page.locator('#who-0').fill('Health visitor');
    await fillDate(page, 'byWhen-0', '16', '3', '2026');
    await page.getByLabel('Contingency plan').fill('Strategy discussion if further injuries.');
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toContain('The plan is recorded');

    // The chair's summary (003).
    await page.getByRole('link', { name: 'Record the summary' }).click();
    await expectAccessible(h, 'summary');
    await page.getByRole('button', { name: 'Save the summary' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'summary with errors');
    await page.getByLabel('What are we worried about?').fill('Home conditions; Ben’s bruising.');
    await page.getByLabel('What is working well?').fill('Ava is at school every day; Grace is engaging.');
    await page.getByLabel('What needs to happen?').fill('A safe home and health needs met.');
    await page.getByRole('button', { name: 'Save the summary' }).click();
    await expect.poll(() => page.locator('#summary').isVisible()).toBe(true);

    // Conclude, then change the summary with a reason and see both versions.
    await page.getByRole('button', { name: 'Conclude the conference' }).click();
    await expectAccessible(h, 'conclude');
    await page.getByLabel('Time the conference ended').fill('11:55');
    await page.getByRole('button', { name: 'Conclude the conference' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toContain('recorded as held');
    expect(await page.locator('main').innerText()).toMatch(/Ended\s+11:55/);
    await expectAccessible(h, 'meeting: held');
    await page.getByRole('link', { name: 'Change the summary' }).click();
    await page
      .getByLabel('What needs to happen?')
      .fill('A safe home, health needs met, and a dentist for both children.');
    await page.getByRole('button', { name: 'Save the summary' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'summary change needs a reason');
    await page.getByLabel('Reason for the change').fill('The dentist was agreed at the end of the conference.');
    await page.getByRole('button', { name: 'Save the summary' }).click();
    await page.getByRole('link', { name: /History of the record/ }).click();
    const history = await page.locator('main').innerText();
    expect(history).toMatch(/Version 2[\s\S]*The dentist was agreed at the end of the conference\.[\s\S]*Version 1/);
    await expectAccessible(h, 'history');

    expect(h.checked).toHaveLength(26);
  }, 240_000);
});
