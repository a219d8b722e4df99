import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../support/conferences.ts';
import { emailOf, staff } from '../support/people.ts';
import { type BrowserHarness, expectFitsPhone, startBrowserHarness } from './browser.ts';
import { arrive, expectFieldError, fillDate, group, saved, signIn } from './journey-steps.ts';

// The family's recording on the day (P-4, P-5, P-6, P-7), as the chair meets it: the mother was allowed to record;
// before any discussion the register prompts the chair to ask everyone; three agree and one refuses (a refusal
// without its reason refused by its field); a health visitor who joins late brings the prompt back until she has
// answered; the page shows every request, each answer and the outcome, and the limits. Axe on every page visited,
// and the pages fit a phone.

describe('the family’s recording on the day, in a real browser', () => {
  let h: BrowserHarness;
  let g: SiblingGroupConference;
  let chair: Actor;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const sw = await staff(h.ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(h.ctx, 'Cal Chair', ['chair']);
    g = await siblingGroupConference(h.ctx, { socialWorker: sw, chair, status: 'in-progress' });
    const { uow, meeting } = h.ctx.services;
    const request = await uow.run((r) =>
      r.recordingPermission.insert({
        conferenceId: g.conferenceId,
        childId: null,
        meetingKind: 'conference',
        meetingDate: null,
        meetingTime: null,
        organiser: null,
        requesterKind: 'family',
        requesterChildId: null,
        requesterPersonId: g.people.mother,
        requesterName: 'Grace Okafor',
        askedAt: new Date('2026-02-25T10:00:00Z'),
        method: 'email',
        purpose: 'I find it hard to remember what is said.',
        undertakingMethod: 'online',
        undertakingFile: null,
        undertakingSignedAt: new Date('2026-02-25T10:00:00Z'),
        undertakingSignedVia: 'online',
        hoursBefore: 120,
        late: false,
        status: 'awaiting-decision',
        notEligibleReason: null,
        createdByUserId: sw.id,
        at: new Date('2026-02-25T10:00:00Z'),
      }),
    );
    await uow.run((r) =>
      r.recordingPermission.update(request.id, request.version, {
        status: 'granted',
        decision: { grounds: [], alternatives: [], alternativesNote: null, reasons: 'Agreed.', byUserId: chair.id },
        at: new Date('2026-02-26T10:00:00Z'),
      }),
    );
    h.ctx.clock.current = new Date('2026-03-02T10:05:00Z');
    await meeting.recordAttendance(
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
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('P-4, P-5, P-6, P-7: three agree and one refuses; a late arrival brings the prompt back until she answers', async () => {
    const { page } = h;
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
    const main = () => page.locator('main').innerText();
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

    // At the end the chair asks for a copy of what the mother recorded before the refusal: it is stored as hers.
    await page.getByRole('link', { name: 'Store a copy of the family’s recording' }).click();
    await arrive(h, 'Store a copy of the family’s recording', 'the copy form');
    await expectFitsPhone(h, 'the copy form');
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
    await page.goto(`/conferences/${g.conferenceId}`);
    await expect.poll(main).toContain('Everyone present was asked 2 times.');
    await expect
      .poll(main)
      .toContain('1 copy of the family’s recording stored with the conference (not the official record).');
  });
});
