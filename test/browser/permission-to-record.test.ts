import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { attendance } from '../../src/infra/db/schema.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../support/conferences.ts';
import { emailOf, staff } from '../support/people.ts';
import { type BrowserHarness, expectFitsPhone, startBrowserHarness } from './browser.ts';
import { arrive, expectFieldError, fillDate, group, saved, signIn, signOut } from './journey-steps.ts';

// Permission to record, the whole journey in one browser (004, 001, 002 §3.10), axe on every page visited:
// - P-1, P-2, P-3, P-6, T-11: business support records the mother's request with her signed notice of intent (the
//   father, with parental responsibility for Ben only, and the advocate, with none, are named as such); the
//   professionals disagree; the chair, from the dashboard, refuses on one ground (the father objects) offering a
//   note-taker, and the refusal is confirmed to her. Once the note-taker is agreed and the father withdraws his
//   objection she asks again: a decided request is never reopened, so the new request is recorded, allowed by the
//   chair and confirmed again, with the limits she accepted.
// - P-4, P-5, P-6, P-7: on the day the register prompts the chair before any discussion; three agree and one
//   refuses (a refusal without its reason refused by its field); a late arrival brings the prompt back until she has
//   answered; a copy of the mother's recording is stored as hers; the conference's pages show every request, each
//   answer and the outcome, and the limits.
// - P-8, P-9: at another family's conference the chair records someone recording against the parents' wishes, each
//   step with its time (a halt before the request to stop refused by its field); days later a covert recording found
//   online goes from discovery to closure, through the chair's dashboard.

const PDF = Buffer.from('%PDF-1.7\nsigned\n%%EOF\n');

describe('permission to record, from the request to the day and when it goes wrong, in a real browser', () => {
  let h: BrowserHarness;
  let g: SiblingGroupConference;
  let other: SiblingGroupConference;
  let chair: Actor;
  let sw: Actor;
  let support: Actor;

  beforeAll(async () => {
    h = await startBrowserHarness();
    h.ctx.clock.current = new Date('2026-02-20T09:00:00Z');
    sw = await staff(h.ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(h.ctx, 'Cal Chair', ['chair']);
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    g = await siblingGroupConference(h.ctx, { socialWorker: sw, chair });
    other = await siblingGroupConference(h.ctx, { socialWorker: sw, chair, status: 'held', familyName: 'Barnes' });
    await h.ctx.services.database.db
      .insert(attendance)
      .values([{ partId: other.partId, inviteeId: other.invitee.advocate, status: 'attended' }]);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const main = () => h.page.locator('main').innerText();

  /** Records a request from the mother through the pages, as business support does, and opens it. */
  async function recordMothersRequest(asked: readonly [number, number, number], time: string, purpose: string) {
    const { page } = h;
    await page.goto(`/conferences/${g.conferenceId}`);
    await arrive(h, 'Initial child protection conference', 'the conference', { contains: true });
    await page.getByRole('link', { name: 'Requests from the family to record the conference' }).click();
    await arrive(h, 'Requests to record the conference', 'the conference’s requests');
    await page.getByRole('button', { name: 'Record a request' }).click();
    await arrive(h, 'Record a request to record a meeting', 'the new request form');
    await group(page, 'Who asked?').getByLabel('Grace Okafor').check();
    await fillDate(page, 'askedOn', asked);
    await page.getByLabel('Time they asked').fill(time);
    await group(page, 'How did they ask?').getByLabel('By email').check();
    await page.getByLabel('Why do they want to record it?').fill(purpose);
    await group(page, 'Their undertaking not to publish or share the recording')
      .getByLabel('The signed notice of intent is attached')
      .check();
    await page.locator('#file').setInputFiles({
      name: 'notice.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await page.getByRole('button', { name: 'Record the request' }).click();
    await saved(h, 'The request is recorded.', 'the new request');
    await arrive(h, 'Request to record a meeting from Grace Okafor', 'the request');
    return new URL(page.url()).pathname;
  }

  /** The chair confirms the decision from the request's page: the letter, then the confirmation. */
  async function confirmDecision(label: string): Promise<string> {
    const { page } = h;
    await page.getByRole('button', { name: 'Confirm the decision to them' }).click();
    await arrive(h, 'Confirm the decision to them', `the letter, ${label}`);
    const letter = await page.locator('.govuk-inset-text').innerText();
    await page.getByRole('button', { name: 'Confirm the decision to them' }).click();
    await saved(h, 'The decision is confirmed to them, with a note on each child’s record.', `confirmed, ${label}`);
    await expect.poll(main).toContain('Confirmed to them by letter on');
    return letter;
  }

  it('P-1, P-2, P-3, P-6, T-11: the mother asks; the chair refuses on one ground, then allows a new request once an alternative is agreed', async () => {
    const { page } = h;
    await signIn(h, emailOf(support));
    await page.goto(`/conferences/${g.conferenceId}/recording-permission/new`);
    await arrive(h, 'Record a request to record a meeting', 'the new request form, who may ask');
    // P-1: the father holds parental responsibility for Ben only; the advocate for neither child.
    await expect.poll(main).toContain('Parental responsibility for Ben only');
    await expect.poll(main).toContain('No parental responsibility: they may not ask');
    const first = await recordMothersRequest(
      [19, 2, 2026],
      '16:00',
      'I find it hard to remember what is said when I am upset.',
    );
    await expect.poll(main).toContain('Open the signed notice of intent');
    await expect.poll(main).toContain('Time left before the meeting: 10 days');

    // P-6: the police disagree, the school agrees: the chair decides.
    await page.getByLabel('Professional').selectOption({ label: 'DC Priya Shah, Police Public Protection Unit' });
    await group(page, 'Their view').getByLabel('Disagrees with the meeting being recorded').check();
    await page.getByLabel('Their reason').fill('Police information will be shared.');
    await page.getByRole('button', { name: 'Record their view' }).click();
    await saved(h, 'Their view is recorded.', 'the police’s view');
    await page.getByLabel('Professional').selectOption({ label: 'Tom Reid, Riverside Academy' });
    await group(page, 'Their view').getByLabel('Agrees to the meeting being recorded').check();
    await page.getByRole('button', { name: 'Record their view' }).click();
    await saved(h, 'Their view is recorded.', 'the school’s view');
    await expect.poll(main).toContain('Professionals disagree. The chair decides.');
    // Only the chair decides.
    expect(await page.getByRole('button', { name: 'Decide' }).count()).toBe(0);
    await signOut(h, 'business support');

    // T-11: the chair finds it from the dashboard, with the time left before the meeting.
    await signIn(h, emailOf(chair));
    await page.goto('/dashboard');
    await arrive(h, 'Conferences you chair', 'the chair’s dashboard with a request to decide');
    await expect.poll(main).toContain('Time left before the soonest meeting: 10 days');
    await page.getByRole('link', { name: '1 request is waiting for your decision' }).click();
    await arrive(h, 'Requests to record meetings', 'the decision-makers’ list');
    await expectFitsPhone(h, 'the decision-makers’ list');
    await expect.poll(main).toContain('Yours to decide');
    await expect.poll(main).toContain('10 days');
    await page.locator(`a[href="${first}"]`).first().click();
    await arrive(h, 'Request to record a meeting from Grace Okafor', 'the request, for the chair');
    await page.getByRole('button', { name: 'Decide' }).click();
    await arrive(h, 'Decide the request to record', 'the decision form');
    await expectFitsPhone(h, 'the decision form');
    await expect.poll(main).toContain('Professionals disagree about the conference being recorded.');
    // P-2: refused on one ground, with its evidence and an alternative that meets the need.
    await group(page, 'May they record the meeting?').getByLabel('No, recording is refused').check();
    await page.getByLabel('Another person with parental responsibility objects to the meeting being recorded').check();
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expectFieldError(
      h,
      'a ground without its evidence',
      'Enter the evidence for this reason',
      'evidence-pr-holder-objects',
    );
    await page.locator('#evidence-pr-holder-objects').fill('Ben’s father told the social worker he objects.');
    await page.getByLabel('A note-taker to take notes for them').check();
    await page
      .getByLabel('The reasons for the decision')
      .fill('Ben’s father objects to the conference being recorded. We can arrange a note-taker for you.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await saved(h, 'The decision is recorded, with a note on each child’s record.', 'the refusal');
    // P-3: until it is confirmed to her, the chair's dashboard says so.
    await page.goto('/dashboard');
    await arrive(h, 'Conferences you chair', 'the chair’s dashboard, a decision to confirm');
    await page.getByRole('link', { name: '1 decision is not yet confirmed to the person who asked' }).click();
    await arrive(h, 'Requests to record meetings', 'the decisions not yet confirmed');
    await page.locator(`#unconfirmed ~ ul a[href="${first}"]`).click();
    await arrive(h, 'Request to record a meeting from Grace Okafor', 'the refused request');
    await expect.poll(main).toContain('Recording refused');
    await expect.poll(main).toContain('Ben’s father told the social worker he objects.');
    expect(await page.getByRole('button', { name: 'Decide' }).count()).toBe(0);
    const refusal = await confirmDecision('the refusal');
    expect(refusal).toContain('We cannot agree to the meeting being recorded.');
    expect(refusal).toContain('A note-taker to take notes for them');

    // The dashboard now has nothing waiting for the chair's decision.
    await page.goto('/dashboard');
    await arrive(h, 'Conferences you chair', 'the chair’s dashboard, nothing to decide');
    expect(await page.getByRole('link', { name: /waiting for your decision/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /not yet confirmed/ }).count()).toBe(0);
    await signOut(h, 'the chair, after refusing');

    // The note-taker is agreed and the father withdraws his objection: the mother asks again. A decided request is
    // never reopened, so business support records her new request and the chair decides it afresh.
    h.ctx.clock.current = new Date('2026-02-24T14:00:00Z');
    await signIn(h, emailOf(support));
    const second = await recordMothersRequest(
      [24, 2, 2026],
      '11:30',
      'A note-taker is agreed; Ben’s father no longer objects. I still want to listen again afterwards.',
    );
    expect(second).not.toBe(first);
    await signOut(h, 'business support, the new request');
    await signIn(h, emailOf(chair));
    await page.goto(second);
    await arrive(h, 'Request to record a meeting from Grace Okafor', 'the new request, for the chair');
    await page.getByRole('button', { name: 'Decide' }).click();
    await arrive(h, 'Decide the request to record', 'the decision form, again');
    await group(page, 'May they record the meeting?').getByLabel('Yes, recording is allowed').check();
    await page
      .getByLabel('The reasons for the decision')
      .fill('Ben’s father no longer objects, and the note-taker will attend as agreed.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await saved(h, 'The decision is recorded, with a note on each child’s record.', 'the grant');
    await expect.poll(main).toContain('Recording allowed');
    const grant = await confirmDecision('the grant');
    expect(grant).toContain('Ben’s father no longer objects');

    // The conference's list keeps both: the refusal and the later permission.
    await page.goto(`/conferences/${g.conferenceId}/recording-permission`);
    await arrive(h, 'Requests to record the conference', 'both requests');
    const table = () => page.locator('table').innerText();
    await expect.poll(table).toContain('Recording refused');
    await expect.poll(table).toContain('Recording allowed');
    await signOut(h, 'the chair, after allowing');
  });

  it('P-4, P-5, P-6, P-7: on the day three agree and one refuses; a late arrival brings the prompt back until she answers; the record shows it all', async () => {
    const { page } = h;
    await page.context().clearCookies();
    h.ctx.clock.current = new Date('2026-03-02T10:05:00Z');
    await h.ctx.services.meeting.recordAttendance(
      chair,
      g.conferenceId,
      g.partId,
      [g.invitee.mother, g.invitee.socialWorker, g.invitee.police, g.invitee.school].map((inviteeId) => ({
        inviteeId,
        status: 'attended' as const,
        joinedAt: null,
        leftAt: null,
        interpreterUsed: false,
      })),
      { actor: { id: chair.id, label: chair.name } },
    );
    await signIn(h, emailOf(chair));
    await page.goto(`/conferences/${g.conferenceId}/meeting/parts/${g.partId}/register`);
    await arrive(h, 'Register: Whole conference', 'the register with the prompt');
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('Grace Okafor has asked to record the meeting. Before any discussion');
    await page.getByRole('link', { name: 'Record everyone’s answers' }).click();
    await arrive(h, 'Ask everyone present about the family’s recording', 'the form, before any discussion');
    await expectFitsPhone(h, 'the form');
    await page.getByLabel('Time everyone was asked').fill('10:06');
    await group(page, 'Grace Okafor').getByLabel('Agrees to the recording').check();
    await group(page, 'Sam Worker').getByLabel('Agrees to the recording').check();
    await group(page, 'Tom Reid').getByLabel('Agrees to the recording').check();
    await group(page, 'DC Priya Shah').getByLabel('Does not agree').check();
    await page.getByRole('button', { name: 'Save everyone’s answers' }).click();
    await expectFieldError(
      h,
      'a refusal without its reason',
      'Enter why DC Priya Shah does not agree, or what further authorisation is needed',
      `reason-${g.invitee.police}`,
    );
    await page.getByLabel('Why they do not agree – DC Priya Shah').fill('A criminal investigation is under way.');
    await page
      .getByLabel('Further authorisation or information needed before recording (optional) – DC Priya Shah')
      .fill('Advice from the police’s legal team');
    await page.getByRole('button', { name: 'Save everyone’s answers' }).click();
    await saved(h, 'Everyone’s answers are recorded.', 'the family’s recording, not agreed');
    await expectFitsPhone(h, 'the overview');
    await expect.poll(main).toContain('Not everyone agreed: the family may not record from this point.');
    await expect.poll(main).toContain('A criminal investigation is under way.');
    await expect.poll(main).toContain('never');

    // The health visitor joins late: the register already shows her arrival, and the prompt comes back.
    h.ctx.clock.current = new Date('2026-03-02T10:35:00Z');
    await h.ctx.services.meeting.recordAttendance(
      chair,
      g.conferenceId,
      g.partId,
      [{ inviteeId: g.invitee.healthVisitor, status: 'attended', joinedAt: 30, leftAt: null, interpreterUsed: false }],
      { actor: { id: chair.id, label: chair.name } },
    );
    await page.goto(`/conferences/${g.conferenceId}/meeting`);
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('Nia Evans joined after consent to Grace Okafor’s recording was asked');
    await page.getByRole('link', { name: 'Record everyone’s answers' }).click();
    await arrive(h, 'Ask everyone present about the family’s recording', 'the form, after a late arrival');
    expect(await group(page, 'Why are you asking now?').getByLabel('Someone joined the meeting').isChecked()).toBe(
      true,
    );
    await page.getByLabel('Time everyone was asked').fill('10:36');
    for (const name of ['Grace Okafor', 'Sam Worker', 'Tom Reid'])
      await group(page, name).getByLabel('Agrees to the recording').check();
    await group(page, 'DC Priya Shah').getByLabel('Does not agree').check();
    await page.getByLabel('Why they do not agree – DC Priya Shah').fill('As before.');
    await group(page, 'Nia Evans').getByLabel('Does not agree').check();
    await page.getByLabel('Why they do not agree – Nia Evans').fill('I was not told beforehand.');
    await page.getByRole('button', { name: 'Save everyone’s answers' }).click();
    await saved(h, 'Everyone’s answers are recorded.', 'the family’s recording, asked again');
    await expect.poll(main).toContain('I was not told beforehand.');
    await expect.poll(main).not.toContain('Stop and ask everyone present');
    await page.goto(`/conferences/${g.conferenceId}/meeting`);
    await expect.poll(main).not.toContain('Record everyone’s answers');

    // At the end the chair asks for a copy of what the mother recorded before the refusal: it is stored as hers.
    await page.goto(`/conferences/${g.conferenceId}/recording-consent`);
    await arrive(h, 'Recording by the family', 'the family’s recording');
    await page.getByRole('link', { name: 'Store a copy of the family’s recording' }).click();
    await arrive(h, 'Store a copy of the family’s recording', 'the copy form');
    await expectFitsPhone(h, 'the copy form');
    // Both requests are in the meeting record: the copy is of the recording allowed on the second.
    await group(page, 'Whose recording is this a copy of?')
      .getByLabel(/24 february 2026/i)
      .check();
    await fillDate(page, 'handedOverOn', [2, 3, 2026]);
    await page.getByLabel('Who handed it over').fill('Grace Okafor, at the end of the meeting');
    await page.getByLabel('The recording').setInputFiles({
      name: 'phone.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), Buffer.alloc(32)]),
    });
    await page.getByRole('button', { name: 'Store the copy' }).click();
    await saved(h, 'The copy of the family’s recording is stored with the conference.', 'the overview with the copy');
    await expect.poll(() => page.locator('#family-copies').innerText()).toContain('Grace Okafor’s recording');
    // P-6: the record shows the request allowed beforehand, every answer and the outcome; P-7: the limits.
    await expect.poll(main).toContain('Ben’s father no longer objects');
    await expect.poll(main).toContain('Advice from the police’s legal team');
    await page.goto(`/conferences/${g.conferenceId}`);
    await arrive(h, 'Initial child protection conference', 'the conference with the family’s recording', {
      contains: true,
    });
    await expect.poll(main).toContain('Everyone present was asked 2 times.');
    await expect
      .poll(main)
      .toContain('1 copy of the family’s recording stored with the conference (not the official record).');
    await signOut(h, 'the chair on the day');
  });

  it('P-8, P-9: the chair records each step with its time; a covert recording goes from discovery to closure', async () => {
    const { page } = h;
    await page.context().clearCookies();
    h.ctx.clock.current = new Date('2026-03-02T11:00:00Z');
    await signIn(h, emailOf(chair));
    await page.goto(`/conferences/${other.conferenceId}`);
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
    await expect.poll(main).toContain('They left the meeting (10:30)');
    await signOut(h, 'the chair after the other conference');

    // Days later the social worker hears it was recorded and posted online.
    h.ctx.clock.current = new Date('2026-03-05T12:00:00Z');
    await signIn(h, emailOf(sw));
    await page.goto(`/conferences/${other.conferenceId}/recording-incidents`);
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
    await expect.poll(main).toContain('The conference’s chair has been emailed');
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
    await expectFitsPhone(h, 'the incident');
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
