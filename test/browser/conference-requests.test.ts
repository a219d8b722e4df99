import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { type SiblingFixture, siblingFixture } from '../support/convening.ts';
import { addChild, emailOf, staff } from '../support/people.ts';
import { type BrowserHarness, startBrowserHarness } from './browser.ts';
import { arrive, expectFieldError, fillDate, group, saved, signIn, signOut } from './journey-steps.ts';

// Professionals asking for a conference (002 §1.1) and why a conference is held (002 §1.3), in one browser, axe on
// every page visited: a social worker records the teacher's request, supported by the named professional, from the
// child's record; the team manager finds it from the home page, cannot decline it without saying why it is an
// exception, agrees, and convening starts for the child. A pre-birth conference's type step asks its grounds.

describe('professionals asking for a conference, and a pre-birth conference’s grounds, in a real browser', () => {
  let h: BrowserHarness;
  let f: SiblingFixture;
  let tm: Actor;
  let baby: string;

  beforeAll(async () => {
    h = await startBrowserHarness();
    f = await siblingFixture(h.ctx, 'Browserasks');
    tm = await staff(h.ctx, 'Tam Manager', ['team_manager']);
    baby = await addChild(h.ctx, f.sw, {
      givenNames: 'Baby',
      familyName: 'Browserasks',
      dateOfBirth: null,
      expectedDeliveryDate: '2026-08-20',
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('002 §1.1: recorded from the child’s record, declined only with why a supported request is an exception, then agreed', async () => {
    const { page } = h;
    await signIn(h, emailOf(f.sw));
    await page.goto(`/children/${f.ava}`);
    await page.getByRole('link', { name: /Professionals’ requests for a conference/ }).click();
    await arrive(h, 'Requests for a conference', 'the child’s requests');
    await page.getByRole('button', { name: 'Record a request for a conference' }).click();
    await arrive(h, 'Record a request for a conference', 'the new request form');
    await group(page, 'Who asked for the conference?').getByLabel('A professional on the child’s record').check();
    await page.getByLabel('Professional', { exact: true }).selectOption(f.teacher);
    await page.getByLabel('What are their concerns?').fill('Ava has told her teacher she is afraid to go home.');
    await group(page, 'Does a senior manager, named professional or designated professional support the request?')
      .getByLabel('A named professional')
      .check();
    await page.getByRole('button', { name: 'Record the request' }).click();
    await expectFieldError(
      h,
      'the new request, no supporter',
      'Enter the name of the person supporting the request',
      'supporterName',
    );
    await page.getByLabel('Name of the person supporting it').fill('Nia Named');
    await page.getByRole('button', { name: 'Record the request' }).click();
    await saved(h, 'The request is recorded.', 'the child’s requests, recorded');
    await signOut(h, 'the social worker');

    await signIn(h, emailOf(tm));
    await page.getByRole('link', { name: 'Requests for a conference waiting for your decision' }).click();
    await arrive(h, 'Requests for a conference waiting for a decision', 'the team manager’s queue');
    await page.getByRole('link', { name: /Ava Browserasks/ }).click();
    await arrive(h, 'Request for a conference', 'the request');
    await page.getByRole('button', { name: 'Decide the request' }).click();
    await arrive(h, 'Decide the request for a conference', 'the decision form');
    await group(page, 'Will a conference be held?').getByLabel('No, decline the request').check();
    await page.getByLabel('Reasons for declining').fill('A child in need plan is already in place.');
    await page.getByLabel(/The discussion held with them/).fill('Spoke with the teacher and Nia Named on 2 March.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expectFieldError(h, 'the decision, no exception', 'should normally be agreed', 'exceptionReason');
    await group(page, 'Will a conference be held?').getByLabel('Yes, agree to convene a conference').check();
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await saved(h, 'The request is agreed.', 'the request, agreed');
    await page.getByRole('button', { name: 'Convene the conference' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/conferences/new/children');
    await signOut(h, 'the team manager');
  });

  it('002 §1.3: the pre-birth type step asks the grounds, each required, and whether a premature birth is likely', async () => {
    const { page } = h;
    await signIn(h, emailOf(f.sw));
    await page.goto(`/conferences/new?child=${baby}`);
    await arrive(h, 'Which children is the conference about?', 'convening: the children', { contains: true });
    await page.getByRole('button', { name: 'Continue' }).click();
    await arrive(h, 'What type of conference is it?', 'convening: the type', { contains: true });
    await page.getByLabel('Pre-birth initial child protection conference').check();
    await fillDate(page, 'expectedDeliveryDate', [20, 8, 2026]);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectFieldError(
      h,
      'convening: the type, no grounds',
      'Select the grounds for holding a pre-birth conference',
      'preBirthGrounds',
    );
    await group(page, 'Why is a pre-birth conference being held?')
      .getByLabel(/poses a risk to children/)
      .check();
    await page.getByLabel('A premature birth is likely').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await arrive(h, 'Conference arrangements', 'convening: the arrangements', { contains: true });
    expect(await page.locator('main').innerText()).toContain('2 April 2026');
  });
});
