import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import type { SiblingGroupConference } from '../support/conferences.ts';
import { conferenceWithCoreGroups } from '../support/core-groups.ts';
import { emailOf, staff } from '../support/people.ts';
import { type BrowserHarness, startBrowserHarness } from './browser.ts';
import { arrive, dateShown, expectFieldError, fillDate, group, saved, signIn, signOut } from './journey-steps.ts';

// Core groups (002 §3.7, §3.10, §3.11), only through the pages. An initial conference on Monday 2 March 2026 made
// plans for Ava and Ben with the first core group on Thursday 12 March, but named no lead social worker for Ava.
// Today is that Thursday: the team manager appoints one from the dashboard; the social worker schedules and records
// Ava's first core group, then corrects its record with a reason. axe runs on every page reached.

describe('core groups in a real browser', () => {
  let h: BrowserHarness;
  let sw: Actor;
  let manager: Actor;
  let g: SiblingGroupConference;

  beforeAll(async () => {
    h = await startBrowserHarness();
    h.page.setDefaultTimeout(10_000);
    h.ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    sw = await staff(h.ctx, 'Sam Social', ['social_worker']);
    const chair = await staff(h.ctx, 'Chris Chair', ['chair']);
    const support = await staff(h.ctx, 'Bo Support', ['business_support']);
    manager = await staff(h.ctx, 'Tia Manager', ['team_manager']);
    g = await conferenceWithCoreGroups(h.ctx, { socialWorker: sw, chair, support }, { leadForAva: false });
    h.ctx.clock.current = new Date('2026-03-12T15:00:00Z');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('002 §3.7, §3.10, §3.11: a lead social worker appointed from the dashboard; the first core group scheduled, recorded and corrected', async () => {
    const { page } = h;

    await signIn(h, emailOf(manager));
    await page.goto('/dashboard?section=lead-social-worker');
    await arrive(h, 'All conferences', 'dashboard: lead social workers to appoint');
    await page.getByRole('link', { name: 'Appoint a lead social worker for Ava Okafor' }).click();
    await arrive(h, 'Appoint a lead social worker', 'appoint a lead social worker');
    await page.getByRole('button', { name: 'Appoint' }).click();
    await expectFieldError(h, 'appoint: nobody chosen', 'Select a social worker from the list', 'userId');
    await group(page, 'Who is the lead social worker?').getByLabel('Sam Social').check();
    await page.getByRole('button', { name: 'Appoint' }).click();
    await saved(h, 'The lead social worker is appointed', 'core group: lead appointed');
    await signOut(h, 'team manager');

    await signIn(h, emailOf(sw));
    await page.goto(`/children/${g.children.ava}`);
    await arrive(h, 'Ava Okafor', 'child record with the core group due');
    await page.getByRole('link', { name: /Ava’s core group/ }).click();
    await arrive(h, 'Core group', 'core group: first due today');
    await page.getByRole('button', { name: 'Schedule a core group meeting' }).click();
    await arrive(h, 'Schedule a core group meeting', 'schedule a core group');
    // The date the conference set, and the lead social worker as chair, are filled in already.
    expect(await dateShown(page, 'date')).toEqual(['12', '3', '2026']);
    expect(await group(page, 'Who chairs it').getByLabel('Sam Social (lead social worker)').isChecked()).toBe(true);
    await fillDate(page, 'date', [31, 2, 2026]);
    await page.getByRole('button', { name: 'Schedule the meeting' }).click();
    await expectFieldError(h, 'schedule: no such date', 'The date of the meeting must be a real date', 'date-day');
    await fillDate(page, 'date', [12, 3, 2026]);
    await page.getByRole('button', { name: 'Schedule the meeting' }).click();
    await saved(h, 'The core group meeting is scheduled', 'core group: meeting scheduled');

    await page.getByRole('link', { name: 'First core group' }).click();
    await arrive(h, 'First core group', 'core group meeting: not recorded');
    await page.getByRole('button', { name: 'Record the meeting' }).click();
    await arrive(h, 'Record the meeting', 'record a core group');
    await page.getByRole('button', { name: 'Save the record' }).click();
    await expectFieldError(
      h,
      'record: nothing answered',
      'Select whether Grace Okafor attended, sent apologies or did not attend',
      `attendance-${g.invitee.mother}`,
    );
    for (const [name, answer] of [
      ['Grace Okafor', 'Attended'],
      ['Sam Social', 'Attended'],
      ['Tom Reid', 'Sent apologies'],
    ] as const)
      await page
        .getByRole('group', { name: new RegExp(`^${name}`) })
        .getByLabel(answer)
        .check();
    await page
      .getByRole('group', { name: /^Register Ben with a dentist/ })
      .getByLabel('Not done')
      .check();
    await page.locator('#note-1').fill('No dentist has space until April');
    await page
      .getByRole('group', { name: /^Weekly home visits/ })
      .getByLabel('In progress')
      .check();
    await page.getByLabel('Notes of the meeting').fill('The home is tidier. Grace has asked the school for help.');
    await page.getByRole('button', { name: 'Save the record' }).click();
    await saved(h, 'The record of the meeting is saved', 'core group meeting: recorded');
    expect(await page.locator('main').innerText()).toContain('No dentist has space until April');

    await page.getByRole('button', { name: 'Change the record' }).click();
    await arrive(h, 'Change the record of the meeting', 'change a core group record');
    await page
      .getByRole('group', { name: /^Tom Reid/ })
      .getByLabel('Attended')
      .check();
    await page.getByRole('button', { name: 'Save the record' }).click();
    await expectFieldError(
      h,
      'change: no reason',
      'Enter why the record of the meeting is being changed',
      'changeReason',
    );
    await page.getByLabel('Why is the record being changed?').fill('Tom Reid joined by phone after the start');
    await page.getByRole('button', { name: 'Save the record' }).click();
    await saved(h, 'The record of the meeting is saved', 'core group meeting: changed');
    expect(await page.locator('main').innerText()).toContain('Earlier versions of the record');
  });
});
