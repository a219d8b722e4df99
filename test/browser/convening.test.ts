import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDF_BYTES } from '../support/convening.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { passSecondFactor } from './journey-steps.ts';

// Convening a sibling group's initial conference in a real browser: find the child, add the
// sibling, the type and the strategy discussion (T-1), the arrangements, check answers, then invite
// the family, the young person and a professional, read the letter and add a report.
describe('convening a conference in a real browser', () => {
  let h: BrowserHarness;
  let ava: string;
  let conferenceUrl = '';

  beforeAll(async () => {
    h = await startBrowserHarness();
    const { accounts, people } = h.ctx.services;
    const system = { actor: { id: null, label: 'test' } };
    const sw = await accounts.createUser(
      { email: 'sam@council.gov.uk', name: 'Sam Social', roles: ['social_worker'], password: TEST_PASSWORD },
      system,
    );
    await accounts.createUser(
      { email: 'cal@council.gov.uk', name: 'Cal Chair', roles: ['chair'], password: TEST_PASSWORD },
      system,
    );
    await accounts.createUser(
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
          localReference: 'CS-2001',
        },
        c,
      )
    ).id;
    const ben = (
      await people.createChild(
        actor,
        {
          givenNames: 'Ben',
          familyName: 'Okafor',
          dateOfBirth: '2019-05-05',
          address: '12 Mill Lane\nLuton\nLU1 1AA',
          localReference: 'CS-2002',
        },
        c,
      )
    ).id;
    const grace = (
      await people.addFamilyMember(
        actor,
        ava,
        {
          person: { givenNames: 'Grace', familyName: 'Okafor', address: '12 Mill Lane\nLuton\nLU1 1AA' },
          relationship: 'mother',
          parentalResponsibility: true,
        },
        c,
      )
    ).person.id;
    await people.addFamilyMember(
      actor,
      ben,
      { personId: grace, relationship: 'mother', parentalResponsibility: true },
      c,
    );
    const school = await people.createAgency(actor, { name: 'Mill Lane Primary', kind: 'school' }, c);
    await people.addProfessional(
      actor,
      ava,
      { professional: { name: 'Tess Teacher', roleTitle: 'Designated safeguarding lead', agencyId: school.id } },
      c,
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('convenes, invites and adds a report, and every page passes axe', async () => {
    const { page } = h;
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('sam@council.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, 'sam@council.gov.uk');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');

    // The child's record; its "Convene a conference" button is added by the children feature and leads to /conferences/new?child=….
    await page.goto(`/children/${ava}`);
    await expectAccessible(h, 'child record');
    await page.goto('/conferences/new');
    await expectAccessible(h, 'find the child');
    await page.getByLabel('Name').fill('okafor');
    await page.getByRole('button', { name: 'Search' }).click();
    await expectAccessible(h, 'search results');
    await page.getByRole('link', { name: 'Choose Ava Okafor' }).click();

    await expect.poll(() => page.locator('h1').innerText()).toContain('Which children is the conference about?');
    await expectAccessible(h, 'sibling group');
    await page.getByLabel('Ben Okafor').check();
    await page.getByRole('button', { name: 'Continue' }).click();

    await expect.poll(() => page.locator('h1').innerText()).toContain('What type of conference is it?');
    await expectAccessible(h, 'type of conference');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'type of conference with errors');
    await page.getByLabel('Initial child protection conference').check();
    await page.locator('#strategyDiscussionDate-day').fill('27');
    await page.locator('#strategyDiscussionDate-month').fill('2');
    await page.locator('#strategyDiscussionDate-year').fill('2026');
    await page.getByRole('button', { name: 'Continue' }).click();

    await expect.poll(() => page.locator('h1').innerText()).toBe('Conference arrangements');
    expect(await page.locator('main').innerText()).toContain('By Friday 20 March 2026');
    await expectAccessible(h, 'arrangements');
    await page.locator('#scheduledDate-day').fill('16');
    await page.locator('#scheduledDate-month').fill('3');
    await page.locator('#scheduledDate-year').fill('2026');
    await page.getByLabel('Start time').fill('10am');
    await page.getByLabel('Expected length').selectOption('120');
    await page.getByLabel('Online, with Microsoft Teams').check();
    await page.locator('#onlineLink').fill('teams.microsoft.com/l/meetup-join/abc');
    await page.getByLabel('Chair').selectOption({ label: 'Cal Chair' });
    await page.getByLabel('Minute taker').selectOption({ label: 'Bo Support' });
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'arrangements with errors');
    await page.locator('#onlineLink').fill('https://teams.microsoft.com/l/meetup-join/abc');
    await page.getByRole('button', { name: 'Continue' }).click();

    await expect.poll(() => page.locator('h1').innerText()).toContain('Check the conference details');
    await expectAccessible(h, 'check answers');
    const answers = await page.locator('main').innerText();
    expect(answers).toContain('Ava Okafor (born 10 January 2012)');
    expect(answers).toContain('Ben Okafor (born 5 May 2019)');
    expect(answers).toContain('The date you chose is within the timescale.');
    await page.getByRole('button', { name: 'Convene the conference' }).click();

    await expect.poll(() => page.locator('h1').innerText()).toBe('Initial child protection conference');
    await expectAccessible(h, 'conference');
    conferenceUrl = page.url();
    expect(conferenceUrl).toMatch(/\/conferences\/[0-9a-f-]{36}$/);
    const summary = await page.locator('main').innerText();
    expect(await page.locator('.govuk-notification-banner--success').innerText()).toContain('Conference convened');
    expect(summary).toContain('Monday 16 March 2026');
    expect(summary).toContain('Presumed to attend (12+)');

    await page.getByRole('button', { name: 'Invite people' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Invite people to the conference');
    await expectAccessible(h, 'invite people');
    await page.getByRole('checkbox', { name: 'Grace Okafor', exact: true }).check();
    await page
      .locator('fieldset', { hasText: 'Children and young people' })
      .getByRole('checkbox', { name: 'Ava Okafor', exact: true })
      .check();
    await page.getByRole('checkbox', { name: 'Tess Teacher, Designated safeguarding lead', exact: true }).check();
    // Children's social care: the children's allocated social worker, from their staff account.
    await page.getByRole('checkbox', { name: 'Sam Social, allocated social worker', exact: true }).check();
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'invite people with errors');
    await page.locator('fieldset', { hasText: 'Has their agency had direct contact' }).getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Invite', exact: true }).click();

    await expect.poll(() => page.locator('h1').innerText()).toBe('Initial child protection conference');
    const invited = await page.locator('#invitations ~ .app-scroll-region table').first().innerText();
    expect(invited).toContain('Grace Okafor');
    expect(invited).toContain('Mother of Ava: has parental responsibility');
    expect(invited).toContain('Direct contact with the child and family: yes');
    expect(invited).toContain('Allocated social worker, Children’s social care');
    expect(await page.locator('.govuk-notification-banner--success').innerText()).toContain('People invited');
    await expectAccessible(h, 'conference with invitations');

    await page.getByRole('link', { name: 'Letter to Tess Teacher' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('Invitation letter to Tess Teacher');
    const letter = await page.locator('article').innerText();
    expect(letter).toContain('Ava Okafor, born 10 January 2012, of 12 Mill Lane, Luton, LU1 1AA');
    expect(letter).toContain('The conference will be audio recorded.');
    await expectAccessible(h, 'letter');
    await page.goBack();
    await page.getByRole('link', { name: 'Email to Grace Okafor' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('Invitation email to Grace Okafor');
    expect(await page.getByLabel('Message').inputValue()).toContain('The conference will be audio recorded.');
    await expectAccessible(h, 'email');
    await page.getByRole('link', { name: 'record it as sent' }).click();
    await expectAccessible(h, 'record as sent');
    await page.getByLabel('Letter and email').check();
    await page.getByRole('button', { name: 'Record as sent' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Initial child protection conference');
    expect(await page.locator('main').innerText()).toContain('Letter and email, 2 March 2026');

    await page.getByRole('button', { name: 'Add a report' }).click();
    await expectAccessible(h, 'add a report');
    await page.getByLabel('Agency the report is from').selectOption({ label: 'Mill Lane Primary' });
    await page
      .getByLabel('Report file', { exact: true })
      .setInputFiles({ name: 'school-report.txt', mimeType: 'text/plain', buffer: Buffer.from('not a document') });
    await page.getByRole('button', { name: 'Add the report' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'add a report with errors');
    await page.getByLabel('Agency the report is from').selectOption({ label: 'Mill Lane Primary' });
    await page
      .getByLabel('Report file', { exact: true })
      .setInputFiles({ name: 'school-report.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES });
    await page.getByRole('button', { name: 'Add the report' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Initial child protection conference');
    expect(await page.locator('.govuk-notification-banner--success').innerText()).toContain('Report added');
    expect(await page.locator('main').innerText()).toContain('Not shared with the family yet: share by 11 March 2026');
    await expectAccessible(h, 'conference with a report');

    // The social worker's report is the children's social care report.
    await page.getByRole('button', { name: 'Add the social worker’s report' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Add a report to the conference');
    expect(await page.getByLabel('Agency the report is from').locator('option:checked').innerText()).toBe(
      'Children’s social care: the social worker’s report',
    );
    await expectAccessible(h, 'add the social worker’s report');
    await page
      .getByLabel('Report file', { exact: true })
      .setInputFiles({ name: 'sw-report.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES });
    await page.getByRole('button', { name: 'Add the report' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Initial child protection conference');
    const reports = await page.locator('#reports ~ .app-scroll-region table').first().innerText();
    expect(reports).toContain('Children’s social care');
    expect(await page.getByRole('button', { name: 'Add the social worker’s report' }).count()).toBe(0);

    expect(h.checked).toHaveLength(20);
  }, 180_000);

  it('every other convening page passes axe: the T-1 agreement, an interpreter, reports shared or withheld, a child’s conferences', async () => {
    const { page } = h;
    const start = h.checked.length;
    const date = async (prefix: string, d: string, m: string, y: string) => {
      await page.locator(`#${prefix}-day`).fill(d);
      await page.locator(`#${prefix}-month`).fill(m);
      await page.locator(`#${prefix}-year`).fill(y);
    };

    // A date after the T-1 due date: the senior manager's agreement and the reason.
    await page.goto(`/conferences/new?child=${ava}`);
    await page.getByRole('link', { name: 'Add a child who is not listed' }).click();
    await expectAccessible(h, 'add another child');
    await page.goBack();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Initial child protection conference').check();
    await date('strategyDiscussionDate', '27', '2', '2026');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Conference arrangements');
    await date('scheduledDate', '30', '3', '2026');
    await page.getByLabel('Start time').fill('14:00');
    await page.getByLabel('Expected length').selectOption('90');
    await page.getByLabel('In person', { exact: true }).check();
    await page.locator('#venueDetails').fill('Room 1, Town Hall, Luton');
    await page.getByLabel('Chair').selectOption({ label: 'Cal Chair' });
    await page.getByLabel('Minute taker').selectOption({ label: 'Bo Support' });
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('The date is outside the timescale');
    await expectAccessible(h, 'outside the timescale');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'outside the timescale with errors');
    await page.getByLabel('Senior manager who agreed the date').fill('Jo Head, Head of Service');
    await page
      .getByLabel('Why the conference cannot be held in time')
      .fill('The family’s interpreter is not available sooner.');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('Check the conference details');
    expect(await page.locator('main').innerText()).toContain('Jo Head, Head of Service');
    await expectAccessible(h, 'check answers outside the timescale');
    await page.getByRole('button', { name: 'Convene the conference' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Initial child protection conference');
    expect(await page.locator('main').innerText()).toContain('The family’s interpreter is not available sooner.');
    await expectAccessible(h, 'conference outside the timescale');

    await page.goto(`${conferenceUrl}/invitations/interpreter`);
    await expectAccessible(h, 'add an interpreter');
    await page.getByRole('button', { name: 'Invite the interpreter' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'add an interpreter with errors');

    await page.goto(`${conferenceUrl}/reports/shared`);
    await expectAccessible(h, 'record reports as shared');
    const reportLink = await page
      .goto(conferenceUrl)
      .then(() => page.locator('a', { hasText: 'Record as shared' }).first().getAttribute('href'));
    await page.goto(reportLink!);
    await expectAccessible(h, 'record a report as shared');
    await page.goto(reportLink!.replace('/shared', '/withhold'));
    await expectAccessible(h, 'withhold a report');
    await page.getByRole('button', { name: 'Withhold from the family' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'withhold a report with errors');

    await page.goto(`/conferences/by-child/${ava}`);
    expect(await page.getByRole('link', { name: /Initial child protection conference/ }).count()).toBe(2);
    await expectAccessible(h, 'a child’s conferences');
    expect(h.checked.length - start).toBe(12);
  }, 180_000);
});
