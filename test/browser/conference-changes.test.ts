import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { passSecondFactor } from './journey-steps.ts';

// Business support changes a convened conference's date (checked before it is confirmed), sends the
// invitations by email, then cancels it; and records a conference held without being booked.
describe('changing and cancelling a conference in a real browser', () => {
  let h: BrowserHarness;
  let ava: string;
  let conferenceId: string;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const { accounts, people, convening } = h.ctx.services;
    const system = { actor: { id: null, label: 'test' } };
    const sw = await accounts.createUser(
      { email: 'sam@council.gov.uk', name: 'Sam Social', roles: ['social_worker'], password: TEST_PASSWORD },
      system,
    );
    const chair = await accounts.createUser(
      { email: 'cal@council.gov.uk', name: 'Cal Chair', roles: ['chair'], password: TEST_PASSWORD },
      system,
    );
    const support = await accounts.createUser(
      { email: 'bo@council.gov.uk', name: 'Bo Support', roles: ['business_support'], password: TEST_PASSWORD },
      system,
    );
    const actor = { id: sw.id, name: sw.name, roles: sw.roles };
    const c = { actor: { id: sw.id, label: sw.name } };
    ava = (
      await people.createChild(
        actor,
        {
          givenNames: 'Ava',
          familyName: 'Okafor',
          dateOfBirth: '2012-01-10',
          address: '12 Mill Lane\nLuton\nLU1 1AA',
          localReference: 'CS-3001',
        },
        c,
      )
    ).id;
    const grace = (
      await people.addFamilyMember(
        actor,
        ava,
        {
          person: {
            givenNames: 'Grace',
            familyName: 'Okafor',
            address: '12 Mill Lane\nLuton\nLU1 1AA',
            email: 'grace@example.com',
          },
          relationship: 'mother',
          parentalResponsibility: true,
        },
        c,
      )
    ).person.id;
    const dev = (
      await people.addFamilyMember(
        actor,
        ava,
        {
          person: { givenNames: 'Dev', familyName: 'Mensah', address: '4 Hill Road\nDunstable' },
          relationship: 'father',
          parentalResponsibility: true,
        },
        c,
      )
    ).person.id;
    ({ id: conferenceId } = await convening.convene(
      actor,
      {
        childIds: [ava],
        type: 'initial',
        strategyDiscussionDate: '2026-02-27',
        scheduledDate: '2026-03-16',
        startTime: '10:00',
        durationMinutes: 120,
        venueKind: 'in-person',
        venueDetails: 'Room 2, Town Hall',
        chairUserId: chair.id,
        minuteTakerUserId: support.id,
      },
      c,
    ));
    await convening.invite(
      actor,
      conferenceId,
      [
        { kind: 'family-member', personId: grace, interpreterNeeded: false },
        { kind: 'family-member', personId: dev },
      ],
      c,
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('changes the date, sends the invitations, cancels, and records a conference afterwards; every page passes axe', async () => {
    const { page } = h;
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('bo@council.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, 'bo@council.gov.uk');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');

    await page.goto(`/conferences/${conferenceId}`);
    await page.getByRole('link', { name: 'Send the invitations by email or record them as posted' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Send the invitations');
    await expectAccessible(h, 'send the invitations');
    await page.getByRole('button', { name: 'Send all by email (1)' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('Invitations sent by email');
    expect(await page.locator('main').innerText()).toContain('Email sent (copy 1)');
    await page.getByRole('button', { name: 'Record all as posted (1)' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('Posted (copy 1)');

    await page.goto(`/conferences/${conferenceId}`);
    await page.getByRole('link', { name: 'Change the date, time or venue' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Change the date, time or venue');
    await expectAccessible(h, 'change the date, time or venue');
    await page.locator('#scheduledDate-day').fill('18');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'change with errors');
    await page.getByLabel('Why is the conference being changed?').fill('The chair is ill on the 16th');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Check the change before confirming it');
    await expectAccessible(h, 'check the change');
    await page.getByRole('button', { name: 'Confirm the change' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').first().innerText())
      .toContain('Conference changed');
    expect(await page.locator('main').innerText()).toContain(
      'Date: was Monday 16 March 2026, now Wednesday 18 March 2026',
    );
    await expectAccessible(h, 'conference after the change');

    await page.getByRole('link', { name: 'Cancel the conference' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Cancel the conference');
    await expectAccessible(h, 'cancel the conference');
    await page.getByLabel('Why is the conference cancelled?').fill('The family has moved to another council');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Check the cancellation before confirming it');
    await expectAccessible(h, 'check the cancellation');
    await page.getByRole('button', { name: 'Cancel the conference' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('This conference was cancelled on');
    expect(await page.locator('main').innerText()).toContain(
      'A new initial child protection conference is still needed',
    );
    await expectAccessible(h, 'cancelled conference');
    await page.getByRole('link', { name: 'Cancellation notices: emailed, or letters to post' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Cancellation letters');
    await expectAccessible(h, 'cancellation letters');
    await page.getByRole('link', { name: 'Cancellation notice to Dev Mensah' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Cancellation notice to Dev Mensah');
    expect(await page.locator('main').innerText()).toContain('To print and post');
    await expectAccessible(h, 'cancellation notice');

    await page.goto(`/conferences/by-child/${ava}`);
    await page.getByRole('link', { name: 'Record a conference that was held without being booked' }).click();
    await expect
      .poll(() => page.locator('h1').innerText())
      .toBe('Record a conference that was held without being booked');
    await expectAccessible(h, 'record a conference afterwards');
  });
});
