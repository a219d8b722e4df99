import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { londonDateOf } from '../../src/domain/calendar/index.ts';
import type { SiblingGroupConference } from '../support/conferences.ts';
import { emailOf, staff } from '../support/people.ts';
import { heldConferenceForRecord } from '../support/written-record.ts';
import { type BrowserHarness, expectAccessible, expectFitsPhone, startBrowserHarness } from './browser.ts';
import { arrive, group, saved, signIn, signOut } from './journey-steps.ts';

// The answer to an amendment request (W-5, T-8), as the chair and business support meet it: the chair decides each
// point of the mother's request, accepting one and refusing the other; the letter giving her the decisions is
// prepared at once, the chair reads and approves it, business support issues it, and the request's page follows it
// from prepared to issued. Axe on every page visited, and the phone-width check on the request's page.

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'amendment-letter-browser' });

const KEPT = 'The conference agreed that Ava and Ben need a plan because the home was not safe.';
const WRONG = 'Their father attended the whole conference.';

describe('the letter with the chair’s decision on an amendment request, in a real browser', () => {
  let h: BrowserHarness;
  let g: SiblingGroupConference;
  let chair: Actor;
  let support: Actor;
  let requestPath: string;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const sw = await staff(h.ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(h.ctx, 'Cal Chair', ['chair']);
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    g = await heldConferenceForRecord(h.ctx, { socialWorker: sw, chair, support });
    const { documents, amendments } = h.ctx.services;
    const started = await documents.startDraft(
      support,
      g.conferenceId,
      { kind: 'decision-letter', subjectInviteeId: null },
      as(support),
    );
    const written = await documents.saveSections(
      support,
      g.conferenceId,
      started.id,
      { version: started.version, sections: { 'plain-english-reasons': `${KEPT}\n\n${WRONG}` } },
      as(support),
    );
    const approved = await documents.approve(
      chair,
      g.conferenceId,
      started.id,
      { version: written.version },
      as(chair),
    );
    await documents.issue(support, g.conferenceId, started.id, { version: approved.version }, as(support));
    const request = await amendments.recordRequest(
      support,
      g.conferenceId,
      {
        draftId: started.id,
        requesterInviteeId: g.invitee.mother,
        channel: 'letter',
        receivedOn: londonDateOf(h.ctx.clock.now()),
        recordReceivedOn: null,
        points: [
          { sectionId: 'plain-english-reasons', originalText: WRONG, requestedChange: 'He left at half time.' },
          { sectionId: 'plain-english-reasons', originalText: KEPT, requestedChange: 'The home was safe.' },
        ],
      },
      as(support),
    );
    requestPath = `/conferences/${g.conferenceId}/amendments/${request.id}`;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('W-5, W-6, W-7: the chair decides each point, reads and approves the letter, and business support issues it', async () => {
    const { page } = h;
    await signIn(h, emailOf(chair));
    await page.goto(requestPath);
    await arrive(h, 'Amendment request from Grace Okafor', 'the request waiting for the chair');
    await group(page, 'Your decision on point 1').getByLabel('Accepted', { exact: true }).check();
    await page.getByLabel('Reasons for point 1').fill('The register shows he left at 11:00.');
    await group(page, 'Your decision on point 2').getByLabel('Not accepted', { exact: true }).check();
    await page.getByLabel('Reasons for point 2').fill('The conference found the home was not safe.');
    await page.getByRole('button', { name: 'Record your decision' }).click();
    await saved(h, 'The letter giving them your decision on each point is ready', 'the decided request');
    await expectFitsPhone(h, 'the decided request');
    await expect.poll(() => page.locator('#letter ~ p').first().innerText()).toMatch(/^Prepared/);

    // The letter, prepared: its draft links back to the request; the preview reads as the letter she will get.
    await page.getByRole('link', { name: 'Open the letter to Grace Okafor' }).click();
    await arrive(h, 'Decision on a request to amend the record: Grace Okafor', 'the prepared letter', {
      contains: true,
    });
    await page.getByRole('link', { name: 'preview the whole letter' }).click();
    await arrive(h, 'Decision on a request to amend the record', 'the letter’s preview', { contains: true });
    const preview = await page.locator('main').innerText();
    for (const words of [
      'Dear Grace Okafor',
      'He left at half time.',
      'The register shows he left at 11:00.',
      'The conference found the home was not safe.',
      'will be written again as version 2',
      'If you want to complain',
      'Keeping this letter confidential',
    ])
      expect(preview).toContain(words);
    await page.goBack();
    await arrive(h, 'Decision on a request to amend the record: Grace Okafor', 'the letter to approve', {
      contains: true,
    });
    await page.getByRole('button', { name: 'Approve the document' }).click();
    await saved(h, 'Approved. The document can now be issued.', 'the approved letter');
    await page.goto(requestPath);
    await arrive(h, 'Amendment request from Grace Okafor', 'the request with its approved letter');
    await expect.poll(() => page.locator('#letter ~ p').first().innerText()).toMatch(/^Approved/);
    await signOut(h, 'the chair');

    // Business support issues it: her copy alone, as a PDF and a web page, and the request says it is issued, not
    // yet sent.
    await signIn(h, emailOf(support));
    await page.goto(requestPath);
    await arrive(h, 'Amendment request from Grace Okafor', 'the request, for business support');
    await page.getByRole('link', { name: 'Open the letter to Grace Okafor' }).click();
    await arrive(h, 'Decision on a request to amend the record: Grace Okafor', 'the approved letter to issue', {
      contains: true,
    });
    await page.getByRole('button', { name: 'Issue the document' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'issued');
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toMatch(/Issued: 2 copies\./);
    await expectAccessible(h, 'the written record with the issued letter');
    await page.goto(requestPath);
    await arrive(h, 'Amendment request from Grace Okafor', 'the request with its issued letter');
    await expect.poll(() => page.locator('#letter ~ p').first().innerText()).toMatch(/^Issued[\s\S]*Not sent yet/);
  });
});
