import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { attendance } from '../../src/infra/db/schema.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../support/conferences.ts';
import { emailOf, staff } from '../support/people.ts';
import { type BrowserHarness, startBrowserHarness } from './browser.ts';
import { arrive, expectFieldError, fillDate, group, saved, signIn, signOut } from './journey-steps.ts';

// When recording goes wrong (P-8, P-9), as the chair and the social worker meet it: on the day the chair records
// the mother's friend asked to stop, the meeting halted and the friend asked to leave (a halt before the request to
// stop refused by its field); days later the social worker records a covert recording found online, and the chair,
// from the dashboard, records the actions considered and closes the incident. Axe on every page visited.

describe('when recording goes wrong, in a real browser', () => {
  let h: BrowserHarness;
  let g: SiblingGroupConference;
  let chair: Actor;
  let sw: Actor;

  beforeAll(async () => {
    h = await startBrowserHarness();
    sw = await staff(h.ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(h.ctx, 'Cal Chair', ['chair']);
    g = await siblingGroupConference(h.ctx, { socialWorker: sw, chair, status: 'held' });
    await h.ctx.services.database.db
      .insert(attendance)
      .values([{ partId: g.partId, inviteeId: g.invitee.advocate, status: 'attended' }]);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('P-8, P-9: the chair records each step with its time; a covert recording goes from discovery to closure', async () => {
    const { page } = h;
    h.ctx.clock.current = new Date('2026-03-02T11:00:00Z');
    await signIn(h, emailOf(chair));
    await page.goto(`/conferences/${g.conferenceId}`);
    await page.getByRole('link', { name: 'Recording without permission' }).click();
    await arrive(h, 'Recording without permission', 'the list, empty');
    await page.getByRole('button', { name: 'Record what happened' }).click();
    await arrive(h, 'Record someone recording against the parents’ wishes', 'the chair’s form');
    await group(page, 'Who was recording?').getByLabel('Ada Advocate').check();
    await page.getByLabel('Asked to stop recording at').fill('10:20');
    await page.getByLabel('Meeting halted at (if it was)').fill('10:10');
    await page.getByLabel('Asked to leave at (if they were)').fill('10:26');
    await group(page, 'How did it end?').getByLabel('They left the meeting').check();
    await page.getByLabel('Time it ended').fill('10:30');
    await page.getByRole('button', { name: 'Save what happened' }).click();
    await expectFieldError(
      h,
      'a halt before the request to stop',
      'The time the meeting was halted must be the same as or after the time they were asked to stop',
      'meetingHaltedAt',
    );
    expect(await page.getByLabel('Time it ended').inputValue()).toBe('10:30');
    await page.getByLabel('Meeting halted at (if it was)').fill('10:25');
    await page.getByRole('button', { name: 'Save what happened' }).click();
    await saved(h, 'What happened is recorded.', 'the list with what happened');
    await expect.poll(() => page.locator('main').innerText()).toContain('They left the meeting (10:30)');
    await signOut(h, 'the chair on the day');

    // Days later the social worker hears it was recorded and posted online.
    h.ctx.clock.current = new Date('2026-03-05T12:00:00Z');
    await signIn(h, emailOf(sw));
    await page.goto(`/conferences/${g.conferenceId}/recording-incidents`);
    await arrive(h, 'Recording without permission', 'the list, for the social worker');
    await page.getByRole('button', { name: 'Record a covert recording' }).click();
    await arrive(h, 'Record a covert recording', 'the discovery form');
    await fillDate(page, 'foundOn', [5, 3, 2026]);
    await page.getByLabel('Who found it?').fill('Sam Worker, social worker');
    await page.getByLabel('How was it found?').fill('The mother showed me a video of the conference online.');
    await group(page, 'Has it been published or shared?').getByLabel('Yes, it has been published or shared').check();
    await page.getByLabel('Where was it published or shared?').fill('A video sharing site');
    await group(page, 'Has it been taken down?').getByLabel('No, it is still there').check();
    await page.getByRole('button', { name: 'Save and tell the chair' }).click();
    await arrive(h, 'Covert recording recorded', 'the confirmation');
    await expect.poll(() => page.locator('main').innerText()).toContain('The conference’s chair has been emailed');
    await signOut(h, 'the social worker');

    // The chair finds it on their dashboard, records what was considered and closes it.
    await signIn(h, emailOf(chair));
    await page.goto('/dashboard');
    await arrive(h, 'Conferences you chair', 'the chair’s dashboard with the incident');
    await page
      .locator('#covert-recordings ~ ul')
      .first()
      .getByRole('link', { name: 'Initial child protection conference on 2 March 2026' })
      .click();
    await arrive(h, 'Covert recording incident', 'the incident');
    const act = async (action: string, decision: string, outcome: string) => {
      await group(page, 'Action').getByLabel(action).check();
      await group(page, 'Was it done?').getByLabel(decision).check();
      await fillDate(page, 'on', [5, 3, 2026]);
      await page.getByLabel('Outcome, or why it was decided against').fill(outcome);
      await page.getByRole('button', { name: 'Save the action' }).click();
      await saved(h, 'The action is recorded.', `the incident after “${action}”`);
    };
    await act('Tell the multi-agency network', 'Done', 'Emailed the core group');
    await act('Tell the council’s legal representative', 'Done', 'Spoke to the duty solicitor');
    await act(
      'Seek legal advice (including whether it is a civil or criminal matter)',
      'Done',
      'Advised to ask the site to remove it first',
    );
    await act(
      'Seek an injunction to have the published recording removed',
      'Considered and decided against',
      'The site removed it the same day',
    );
    await page.getByLabel('Outcome', { exact: true }).fill('The video was removed from the site.');
    await fillDate(page, 'closedOn', [5, 3, 2026]);
    await page.getByRole('button', { name: 'Close the incident' }).click();
    await saved(h, 'The incident is closed.', 'the closed incident');
    await page.goto('/dashboard');
    await arrive(h, 'Conferences you chair', 'the chair’s dashboard after closing');
    expect(await page.locator('#covert-recordings').count()).toBe(0);
  });
});
