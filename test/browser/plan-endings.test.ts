import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { emailOf, staff } from '../support/people.ts';
import { heldConference } from '../support/plan-endings.ts';
import type { SiblingGroupConference } from '../support/conferences.ts';
import { type BrowserHarness, startBrowserHarness } from './browser.ts';
import {
  arrive,
  expectFieldError,
  fillDate,
  group,
  revealedBy,
  saved,
  signIn,
  signOut,
  summaryValue,
} from './journey-steps.ts';

// Plans ending, stepping down and moving away (002 §3.8, §3.9, T-4), only through the pages. A review held on
// Monday 2 March 2026 ended Ava's plan: the chair records that she steps down to a team around the child, and
// business support records the ending, which tells every agency invited (two by email, three by letter) and
// marks a letter posted. Another family moves to Southshire: told on 2 March, its conference is due by 23 March
// (15 working days), overdue by today, Wednesday 25 March; its conference and written confirmation end the plan
// here. A third child leaves the UK, recorded with a team manager's authority. axe runs on every page reached.

describe('a plan ends at a review with the agencies told, and a family moves away, in a real browser', () => {
  let h: BrowserHarness;
  let chair: Actor;
  let support: Actor;
  let manager: Actor;
  let ended: SiblingGroupConference;
  let moving: SiblingGroupConference;
  let leaving: SiblingGroupConference;

  beforeAll(async () => {
    h = await startBrowserHarness();
    h.page.setDefaultTimeout(10_000);
    h.ctx.clock.current = new Date('2026-03-25T09:00:00Z');
    const sw = await staff(h.ctx, 'Sam Social', ['social_worker']);
    chair = await staff(h.ctx, 'Chris Chair', ['chair']);
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    manager = await staff(h.ctx, 'Tia Manager', ['team_manager']);
    ended = await heldConference(h.ctx, { socialWorker: sw, chair, outcome: 'plan-ends' });
    moving = await heldConference(h.ctx, { socialWorker: sw, chair, outcome: 'plan-continues' });
    leaving = await heldConference(h.ctx, { socialWorker: sw, chair, outcome: 'plan-needed' });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('002 §3.9: the chair records the step-down; the ending tells every agency; a move ends the plan once confirmed', async () => {
    const { page } = h;

    // The chair: Ava steps down to a team around the child.
    await signIn(h, emailOf(chair));
    await page.goto(`/conferences/${ended.conferenceId}/meeting/children/${ended.children.ava}/step-down`);
    await arrive(h, 'What Ava steps down to', 'step-down');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectFieldError(
      h,
      'step-down: nothing chosen',
      'Select whether the child steps down to a child in need plan or a team around the child plan',
      'kind',
    );
    const tac = group(page, 'Which plan?').getByLabel('Team around the child plan');
    await tac.check();
    expect(await (await revealedBy(page, tac)).isVisible()).toBe(true);
    await fillDate(page, 'firstMeetingDate', [30, 3, 2026]);
    await page.getByLabel('Lead professional').fill('Tom Reid, designated safeguarding lead, Riverside Academy');
    await page.getByLabel('Services that continue').fill('Early help family worker weekly; school nurse');
    await page.getByLabel('Reason for the change').fill('Recorded after the conference from the chair’s notes');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/conferences/${ended.conferenceId}/meeting`);
    await signOut(h, 'chair');

    // Business support records the ending: every agency invited is told.
    await signIn(h, emailOf(support));
    await page.goto(`/children/${ended.children.ava}/plan-ending`);
    await arrive(h, 'Child protection plan', 'plan ended at the conference');
    expect(await summaryValue(page, 'Steps down to')).toContain('Team around the child plan');
    await page.getByRole('button', { name: 'Record the ending and tell the agencies' }).click();
    await saved(h, 'The plan’s ending is recorded', 'plan ended, agencies told');
    const told = page.getByRole('table', { name: 'Agencies told that the plan ended' });
    expect(await told.getByRole('row', { name: /DC Priya Shah/ }).innerText()).toContain('Email');
    expect(await told.getByRole('row', { name: /Nia Evans/ }).innerText()).toContain('Letter to post');
    await page.getByRole('button', { name: 'Mark as posted – the letter to Nia Evans' }).click();
    await saved(h, 'The letter is recorded as posted', 'letter posted');
    expect(await told.getByRole('row', { name: /Nia Evans/ }).innerText()).toContain('Letter, posted 25 March 2026');

    // Transfer out: the plan stays until the receiving conference is held and confirmed in writing (T-4).
    await page.goto(`/children/${moving.children.ava}/plan-ending`);
    await arrive(h, 'Child protection plan', 'plan in place');
    await page.getByRole('link', { name: 'Record a move to another authority' }).click();
    await arrive(h, 'Record a move to another authority', 'transfer out');
    await page.getByRole('button', { name: 'Record the move and send the transfer pack' }).click();
    await expectFieldError(
      h,
      'transfer out: nothing entered',
      'Enter the name of the authority the family has moved to',
      'authorityName',
    );
    await page.getByLabel('Authority the family has moved to').fill('Southshire Council');
    await page.getByLabel('Email address of their contact').fill('cp.transfers@southshire.example.gov.uk');
    await fillDate(page, 'noticeOn', [2, 3, 2026]);
    await page.getByRole('button', { name: 'Record the move and send the transfer pack' }).click();
    await saved(h, 'The move is recorded', 'transfer recorded');
    expect(await summaryValue(page, 'Their conference due by')).toBe('23 March 2026');
    expect(await page.locator('.govuk-warning-text').first().innerText()).toContain('was due by 23 March 2026');
    await page.goto(`/children/${moving.children.ava}`);
    await arrive(h, 'Ava Okafor', 'child record: receiving conference overdue');
    expect(await page.locator('#plan ~ .govuk-warning-text').first().innerText()).toContain('was due by 23 March 2026');
    await page.goto(`/children/${moving.children.ava}/plan-ending/transfer/progress`);
    await arrive(h, 'The receiving authority’s conference', 'receiving conference');
    await fillDate(page, 'receivingConferenceOn', [24, 3, 2026]);
    await fillDate(page, 'confirmationReceivedOn', [25, 3, 2026]);
    await page.getByRole('button', { name: 'Save' }).click();
    await saved(h, 'The plan’s ending is recorded', 'plan ended by the move');
    expect(await summaryValue(page, 'Reason')).toBe('Moved to another authority');

    // Leaving the UK: with a team manager's authority.
    await page.goto(`/children/${leaving.children.ava}/plan-ending/record`);
    await arrive(h, 'Record why the plan ends', 'another reason');
    await group(page, 'Why does the plan end?').getByLabel('The child permanently left the UK').check();
    await fillDate(page, 'endedOn', [20, 3, 2026]);
    await page.getByRole('button', { name: 'Record the ending and tell the agencies' }).click();
    await expectFieldError(
      h,
      'another reason: no authority',
      'Select the senior manager who authorised the ending',
      'authorisedByUserId',
    );
    await page.getByLabel('Senior manager who authorised the ending').selectOption({ label: manager.name });
    await fillDate(page, 'authorisedOn', [20, 3, 2026]);
    await page.getByRole('button', { name: 'Record the ending and tell the agencies' }).click();
    await saved(h, 'The plan’s ending is recorded', 'plan ended: left the UK');
    expect(await summaryValue(page, 'Authorised by')).toBe('Tia Manager on 20 March 2026');
    await signOut(h, 'business support');
  }, 240_000);
});
