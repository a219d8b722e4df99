import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conferenceInvitees } from '../../src/infra/db/schema.ts';
import { staff } from '../support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../support/conferences.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { passSecondFactor } from './journey-steps.ts';

// 002 §3.2: before the conference, the social worker records whether Ava (12) attends, how her views reach the
// conference, the mother's advocate's role, the help arranged for the mother and her own report, with axe on every
// page and error state.
describe('taking part in a conference, in a real browser', () => {
  let h: BrowserHarness;
  let g: SiblingGroupConference;
  let base: string;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const chair = await staff(h.ctx, 'Chris Chair', ['chair']);
    const sw = await staff(h.ctx, 'Sam Social', ['social_worker']);
    g = await siblingGroupConference(h.ctx, { socialWorker: sw, chair });
    base = `/conferences/${g.conferenceId}/participation`;
    // The mother's friend, coming to support her.
    const friend = await h.ctx.services.people.addFamilyMember(
      sw,
      g.children.ava,
      { person: { givenNames: 'Fay', familyName: 'Friend' }, relationship: 'friend', parentalResponsibility: false },
      { actor: { id: sw.id, label: sw.name }, correlationId: 'set-up' },
    );
    await h.ctx.services.database.db
      .insert(conferenceInvitees)
      .values({ conferenceId: g.conferenceId, kind: 'supporter', personId: friend.person.id });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('002 §3.2: records a child’s wish not to attend, an advocate, help and a parent’s report; every page passes axe', async () => {
    const { page } = h;
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('sam.social@example.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, 'sam.social@example.gov.uk');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');

    await page.goto(base);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Taking part in the conference');
    await expectAccessible(h, 'participation');

    await page.getByRole('link', { name: 'Decide whether they attend for Ava Okafor' }).click();
    await expectAccessible(h, 'child attendance');
    await page.getByRole('button', { name: 'Save the decision' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'child attendance with errors');
    await page.getByRole('group', { name: 'Does the child understand' }).getByLabel('Yes').check();
    await page.getByLabel('Yes, they have said so').check();
    await page.getByLabel('What do the parents think about the child attending?').fill('Her mother wants her there.');
    await page.getByRole('group', { name: 'Would taking part benefit the child?' }).getByLabel('Yes').check();
    await page
      .getByRole('group', { name: 'What does the chair advise?' })
      .getByLabel('Attend the whole conference')
      .check();
    await page
      .getByRole('group', { name: 'What does the social worker advise?' })
      .getByLabel('Attend part of the conference')
      .check();
    await page.getByRole('group', { name: 'What does the child wish?' }).getByLabel('Not to attend').check();
    await page.getByRole('group', { name: 'Will the child attend?' }).getByLabel('Not attend').check();
    await page.getByLabel('A meeting with the chair before the conference').check();
    await page.getByRole('button', { name: 'Save the decision' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('The decision about the child attending is recorded.');
    expect(await page.locator('main').innerText()).toContain('A meeting with the chair before the conference');

    await page.getByRole('link', { name: 'Record the role of Ada Advocate' }).click();
    await expectAccessible(h, 'advocate');
    await page.getByLabel('Grace Okafor (parent or carer)').check();
    await page.getByLabel('Not yet').check();
    await page.getByRole('button', { name: 'Save the role' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('Has not yet found out their view.');

    await page.getByRole('link', { name: 'Record help offered or arranged for Grace Okafor' }).click();
    await expectAccessible(h, 'help');
    await page.getByLabel('Help with travel to and from the conference').check();
    await page.getByLabel('Arranged').check();
    await page.getByRole('button', { name: 'Save the help' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'help with errors');
    await page.getByLabel('Who arranges it').fill('Sam Social');
    await page.getByRole('button', { name: 'Save the help' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('Arranged: arranged by Sam Social');

    await page.getByRole('link', { name: 'Add their report from Grace Okafor' }).click();
    await expectAccessible(h, 'parent report');
    await page.getByLabel('Type it in for them').check();
    await page.getByLabel('Their report, as they gave it').fill('I am working with the school every week.');
    await page.getByRole('button', { name: 'Add the report' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('Typed in for them');
    await expectAccessible(h, 'participation with records');

    // The chair bars the friend: first without a reason.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.get('reason') === 'signed-out');
    await page.getByLabel('Email address').fill('chris.chair@example.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, 'chris.chair@example.gov.uk');
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto(base);
    await page.getByRole('link', { name: /^Bar from the conference\s*: Fay Friend$/ }).click();
    await expectAccessible(h, 'bar');
    await page.getByRole('button', { name: 'Bar them from the conference' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'bar with errors');
    await page.getByLabel('Their presence is disruptive').check();
    await page.getByRole('button', { name: 'Bar them from the conference' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('Barred by the chair');
  });
});
