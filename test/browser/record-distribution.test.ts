// Distributing the written record, in a real browser, with axe on every page (W-4 … W-7, T-6 … T-8, A-5, A-6). One
// held conference, one decision letter, followed from the list of who receives it to its second version going out:
// business support reads who receives the letter and why and changes the list with a reason; the chair approves and
// business support issues it; the mother is sent her copy by a secure link, the father's is posted and the social
// worker's emailed; the mother opens hers with the one-time code; her amendment request is recorded, the chair
// accepts one point and refuses the other, and the letter with the decisions goes to her; the corrected letter is
// issued as version 2 and sent in one step to everyone who had the first. Each step waits for what it asserts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receivedEmail } from '../../src/app/requests/delivery-test-support.ts';
import type { Actor } from '../../src/domain/access/roles.ts';
import { londonDateOf } from '../../src/domain/calendar/index.ts';
import { TestMailbox } from '../../src/infra/mail/test-support.ts';
import type { SiblingGroupConference } from '../support/conferences.ts';
import { emailOf, staff } from '../support/people.ts';
import { issuedDecisionLetter, LETTER_REASONS } from '../support/sending.ts';
import { type BrowserHarness, expectAccessible, expectFitsPhone, startBrowserHarness } from './browser.ts';
import { arrive, expectFieldError, fillDate, group, saved, signIn, signInAt, signOut } from './journey-steps.ts';

const MOTHER = 'grace.okafor@example.org';
const WRONG = 'Their father attended the whole conference.';
const REASONS_LABEL = 'Why the conference made its decision, in plain English';

describe('the written record from its distribution list to its second version, in a real browser', () => {
  let h: BrowserHarness;
  let mailbox: TestMailbox;
  let g: SiblingGroupConference;
  let draftId: string;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let docs: string;
  let requestPath: string;
  let firstLink: string;
  let letterId: string;

  const today = (): [number, number, number] => {
    const [y, m, d] = londonDateOf(h.ctx.services.clock.now()).split('-').map(Number) as [number, number, number];
    return [d, m, y];
  };
  const card = (name: string) => h.page.locator('.govuk-summary-card', { hasText: name });
  /** Every secure download link emailed to an address, as it was received. */
  async function secureLinksTo(address: string): Promise<string[]> {
    const { mail } = h.ctx.services;
    const out: string[] = [];
    for (const m of (await mail.listMessages({})).messages) {
      if (m.templateKey !== 'document-secure-link') continue;
      if ((await mail.viewMessage(m.id, { actor: { id: null, label: 'test' } })).to !== address) continue;
      out.push(/(\/copy\/[A-Za-z0-9_-]+)/.exec(mailbox.sent(m.id)!.text)![1]!);
    }
    return out;
  }

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    h = await startBrowserHarness({ env: mailbox.env() });
    sw = await staff(h.ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(h.ctx, 'Cal Chair', ['chair']);
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    // Drafted, not yet approved or issued: the chair approves and business support issues it in the browser.
    const letter = await issuedDecisionLetter(h.ctx, { socialWorker: sw, chair, support }, { issue: false });
    g = letter.g;
    draftId = letter.draftId;
    docs = `/conferences/${g.conferenceId}/documents`;
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    await mailbox?.stop();
  });

  it('W-4: business support reads who receives the letter and why, adds Ava with a reason and records the GP’s “no involvement”', async () => {
    const { page } = h;
    await signIn(h, emailOf(support));
    await page.goto(`${docs}/${draftId}`);
    await page.getByRole('link', { name: 'Who receives this document and why' }).click();
    await arrive(h, 'Who receives this document', 'the distribution list');
    await expectFitsPhone(h, 'the distribution list');
    const advocateRow = page.getByRole('row', { name: /Ada Advocate/ });
    await expect.poll(() => advocateRow.innerText()).toMatch(/No[\s\S]*never receives the record/);

    // A change without a reason is refused, with the error by the box.
    await page.getByLabel('Who should receive it').selectOption(g.invitee.ava);
    await page.getByRole('button', { name: 'Add to the list' }).click();
    await expectFieldError(h, 'the distribution list, no reason', 'Enter why they should receive it', 'add-reason');
    await page.getByLabel('Why they should receive it').fill('The chair agreed Ava should have her own copy');
    await page.getByRole('button', { name: 'Add to the list' }).click();
    await saved(h, 'They are added to the list, with your reason.', 'the list after adding Ava');
    await expect
      .poll(() => page.getByRole('row', { name: /Ava Okafor/ }).innerText())
      .toMatch(/Yes[\s\S]*Added by Bo Support: The chair agreed Ava should have her own copy/);

    await page.getByLabel('Agency').selectOption(g.invitee.gp);
    await fillDate(page, 'saidOn', [20, 2, 2026]);
    await page.getByLabel('Note (optional)').fill('The practice manager, by phone');
    await page.getByRole('button', { name: 'Record no current or planned involvement' }).click();
    await saved(h, 'What the agency said about its involvement is recorded.', 'the list after the GP said so');
    await expect
      .poll(() => page.getByRole('row', { name: /Dr Lee/ }).innerText())
      .toMatch(/No[\s\S]*20 February 2026 it has no current or planned involvement/);
    await signOut(h, 'business support');
  });

  it('W-1: the chair approves the letter and business support issues it', async () => {
    const { page } = h;
    await signIn(h, emailOf(chair));
    await page.goto(`${docs}/${draftId}`);
    await arrive(h, 'Decision letter', 'the letter to approve', { contains: true });
    await page.getByRole('button', { name: 'Approve the document' }).click();
    await saved(h, 'Approved. The document can now be issued.', 'the approved letter');
    await signOut(h, 'the chair');

    await signIn(h, emailOf(support));
    await page.goto(`${docs}/${draftId}`);
    await arrive(h, 'Decision letter', 'the approved letter, for business support', { contains: true });
    await page.getByRole('button', { name: 'Issue the document' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'issued');
    await expectAccessible(h, 'the written record with the letter issued');
    expect(await page.locator('#document-list').innerText()).toMatch(/Issued, 0 of \d+ sent/);
  });

  it('W-4, W-6, T-6, A-5, A-6: the mother is sent a secure link, the father’s copy is posted and the social worker’s emailed', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Send the copies to their recipients' }).click();
    await arrive(h, 'Send the copies', 'the sending page');
    await expectFitsPhone(h, 'the sending page');

    // The father's copy, posted: a date in the future is refused by its box.
    const postedId = (await card('Daniel Mensah').locator('.govuk-date-input').first().getAttribute('id'))!;
    await fillDate(page, postedId, [1, 1, 2999]);
    await card('Daniel Mensah')
      .getByRole('button', { name: /Record as posted/ })
      .click();
    await expectFieldError(
      h,
      'a date posted in the future',
      'The date posted must be today or in the past',
      `${postedId}-day`,
    );
    await fillDate(page, postedId, today());
    await card('Daniel Mensah')
      .getByRole('button', { name: /Record as posted/ })
      .click();
    await saved(h, 'The copy is recorded as posted.', 'the sending page after posting');

    await card('Sam Worker')
      .getByRole('button', { name: /Email a link/ })
      .click();
    await saved(h, 'The link is emailed.', 'the sending page after emailing');

    // The mother's, by secure link: a mistyped second address is caught and everything typed is kept.
    const mother = () => card('Grace Okafor');
    await mother().getByText('Send a secure download link').click();
    await mother().getByLabel('Email address', { exact: true }).fill(MOTHER);
    await mother().getByLabel('Email address again').fill('grace.okafr@example.org');
    await mother().getByLabel('By phone').check();
    const confirmedId = (await mother().locator('form[action$="/secure-link"] .govuk-date-input').getAttribute('id'))!;
    await fillDate(page, confirmedId, today());
    await mother()
      .getByRole('button', { name: /Send the secure link/ })
      .click();
    const againId = (await mother().getByLabel('Email address again').getAttribute('id'))!;
    await expectFieldError(h, 'a second address that differs', 'The email addresses do not match', againId);
    expect(await mother().getByLabel('Email address', { exact: true }).inputValue()).toBe(MOTHER);
    await mother().getByLabel('Email address again').fill(MOTHER);
    await mother()
      .getByRole('button', { name: /Send the secure link/ })
      .click();
    await saved(h, 'The secure download link is emailed', 'the sending page after sending a secure link');
    expect(page.url()).not.toContain('grace');

    await page.getByRole('link', { name: 'Print the post pack' }).click();
    await arrive(h, 'Post pack', 'the post pack');
    expect(await page.locator('main').innerText()).not.toContain('Daniel Mensah');
    await page.goto(`${docs}/report`);
    await arrive(h, 'Distribution report', 'the distribution report');
    expect(await page.locator('main').innerText()).toContain('Posted');

    // The social worker follows the emailed link after signing in: it opens the copy and is recorded.
    const sending = (await h.ctx.services.uow.run((r) => r.documentSendings.listForConferences([g.conferenceId]))).find(
      (s) => s.method === 'email-link',
    )!;
    await signOut(h, 'business support');
    await signInAt(h, `${docs}/sent/${sending.id}`, emailOf(sw));
    await arrive(h, 'Decision letter', 'the copy an emailed link opens', { contains: true });
    expect(await page.locator('.govuk-warning-text').innerText()).toContain('This document is confidential');
    await expect
      .poll(async () => (await h.ctx.services.uow.run((r) => r.documentSendings.find(sending.id)))?.openedAt)
      .toBeInstanceOf(Date);
    await signOut(h, 'the social worker');
  });

  it('A-6, W-3, W-6: the mother opens her copy with the one-time code and downloads her parent’s copy', async () => {
    const { page } = h;
    const { body } = await receivedEmail(h.ctx, mailbox, 'document-secure-link', MOTHER);
    expect(body).toContain('This document is confidential');
    const link = /(\/copy\/[A-Za-z0-9_-]+)/.exec(body)![1]!;
    firstLink = link;
    await page.goto(link);
    await arrive(h, 'Download your copy of a conference document', 'the secure link’s start page');
    await expectFitsPhone(h, 'the secure link’s start page');
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await arrive(h, 'Enter the code we sent you', 'enter the code');
    const code = /\b(\d{6})\b/.exec((await receivedEmail(h.ctx, mailbox, 'document-one-time-code', MOTHER)).body)![1]!;
    await page.getByLabel('Code').fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: Enter the code we sent you/);
    await expectAccessible(h, 'a wrong code');
    await page.getByLabel('Code').fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await arrive(h, 'Download your copy of the decision letter', 'the copy’s files');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: /^Download/ })
        .first()
        .click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^decision-letter-.*-v1-parents-copy.*\.pdf$/);
    expect(download.suggestedFilename()).not.toContain('Okafor');
  });

  it('W-5, T-8: the mother’s amendment request is recorded; the chair accepts one point, refuses the other and approves the letter with the decisions', async () => {
    const { page } = h;
    await signIn(h, emailOf(support));
    await page.goto(`/conferences/${g.conferenceId}/amendments`);
    await arrive(h, 'Amendments to the written record', 'the amendment requests, none yet');
    await page.getByRole('button', { name: 'Record an amendment request' }).click();
    await arrive(h, 'Record an amendment request', 'the new amendment request');
    await page.locator('input[name="draftId"]').first().check();
    await page.getByLabel('Who asked?').selectOption({ label: 'Grace Okafor' });
    await page.getByLabel('Email', { exact: true }).check();
    await fillDate(page, 'receivedOn', today());
    await page.locator('#points-0-sectionId').selectOption({ label: REASONS_LABEL });
    await page.locator('#points-0-originalText').fill(WRONG);
    // The first point's change is left out: refused by its box, everything else kept.
    await page.getByRole('button', { name: 'Record the request' }).click();
    await expectFieldError(
      h,
      'a point with no change asked for',
      'Enter what they want changed',
      'points-0-requestedChange',
    );
    await page.locator('#points-0-requestedChange').fill('He left at half time.');
    await page.locator('#points-1-sectionId').selectOption({ label: REASONS_LABEL });
    await page.locator('#points-1-originalText').fill(LETTER_REASONS);
    await page.locator('#points-1-requestedChange').fill('The home was safe.');
    await page.getByRole('button', { name: 'Record the request' }).click();
    await arrive(h, 'Amendment request from Grace Okafor', 'the recorded request');
    requestPath = new URL(page.url()).pathname;
    await signOut(h, 'business support');

    await signIn(h, emailOf(chair));
    await page.goto(requestPath);
    await arrive(h, 'Amendment request from Grace Okafor', 'the request waiting for the chair');
    await expectFitsPhone(h, 'the request waiting for the chair');
    await group(page, 'Your decision on point 1').getByLabel('Accepted', { exact: true }).check();
    await page.getByLabel('Reasons for point 1').fill('The register shows he left at 11:00.');
    await group(page, 'Your decision on point 2').getByLabel('Not accepted', { exact: true }).check();
    await page.getByLabel('Reasons for point 2').fill('The conference found the home was not safe.');
    await page.getByRole('button', { name: 'Record your decision' }).click();
    await saved(h, 'The letter giving them your decision on each point is ready', 'the decided request');
    await expect.poll(() => page.locator('#letter ~ p').first().innerText()).toMatch(/^Prepared/);

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
    await saved(h, 'Approved. The document can now be issued.', 'the approved answer');
    await signOut(h, 'the chair');
  });

  it('W-5, W-6: business support issues the chair’s answer and sends it to the mother by secure link', async () => {
    const { page } = h;
    await signIn(h, emailOf(support));
    await page.goto(requestPath);
    await arrive(h, 'Amendment request from Grace Okafor', 'the request with its approved letter');
    const open = page.getByRole('link', { name: 'Open the letter to Grace Okafor' });
    letterId = /documents\/([0-9a-f-]{36})/.exec((await open.getAttribute('href'))!)![1]!;
    await open.click();
    await arrive(h, 'Decision on a request to amend the record: Grace Okafor', 'the answer to issue', {
      contains: true,
    });
    await page.getByRole('button', { name: 'Issue the document' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'issued');
    await page.goto(`${docs}/sending`);
    await arrive(h, 'Send the copies', 'the sending page with the answer issued');
    const answer = page.locator(`input[name="draftId"][value="${letterId}"]`);
    const toMother = card('Grace Okafor').filter({ has: answer });
    await toMother.getByText('Send a secure download link').click();
    await toMother.getByLabel('Email address', { exact: true }).fill(MOTHER);
    await toMother.getByLabel('Email address again').fill(MOTHER);
    await toMother.getByLabel('In writing').check();
    const id = (await toMother.locator('form[action$="/secure-link"] .govuk-date-input').getAttribute('id'))!;
    await fillDate(page, id, today());
    await toMother.getByRole('button', { name: /Send the secure link/ }).click();
    await saved(h, 'The secure download link is emailed', 'the sending page after sending the answer');
    await page.goto(requestPath);
    await arrive(h, 'Amendment request from Grace Okafor', 'the request with its letter sent');
    await expect.poll(() => page.locator('#letter ~ p').first().innerText()).toMatch(/^Sent/);
  });

  it('W-5: the corrected letter is issued as version 2 and sent in one step to everyone who had the first, the way they had it', async () => {
    const { page } = h;
    await page.goto(`${docs}/${draftId}`);
    await arrive(h, 'Decision letter', 'version 2 of the letter, drafting', { contains: true });
    // The change the chair accepted is beside the box it is made in; the refused one is not.
    const accepted = await page.locator('[id^="accepted-"]').innerText();
    expect(accepted).toContain('He left at half time.');
    expect(accepted).toContain('The register shows he left at 11:00.');
    expect(accepted).not.toContain('The home was safe.');
    await page.getByLabel(REASONS_LABEL, { exact: true }).fill(`${LETTER_REASONS} Their father left at half time.`);
    // Save pressed straight after typing: the autosave that leaving the box starts neither moves the button from
    // under the pointer nor races the form with an older version.
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await saved(h, 'The draft is saved.', 'version 2 saved');
    await signOut(h, 'business support');

    await signIn(h, emailOf(chair));
    await page.goto(`${docs}/${draftId}`);
    await arrive(h, 'Decision letter', 'version 2 to approve', { contains: true });
    await page.getByRole('button', { name: 'Approve the document' }).click();
    await saved(h, 'Approved. The document can now be issued.', 'version 2 approved');
    await signOut(h, 'the chair');

    await signIn(h, emailOf(support));
    await page.goto(`${docs}/${draftId}`);
    await page.getByRole('button', { name: 'Issue the document' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'issued');
    await page.goto(`${docs}/sending`);
    await arrive(h, 'Send the copies', 'the sending page with version 2 issued');
    await page.getByRole('button', { name: /^Send this version to everyone who had the last one/ }).click();
    await expect.poll(() => page.locator('#redistribution').count()).toBe(1);
    await expectAccessible(h, 'what went in one step');
    const banner = await page.locator('#redistribution').innerText();
    expect(banner).toMatch(/Sam Worker/);
    expect(banner).toMatch(/Grace Okafor/);
    expect(banner).toMatch(/Daniel Mensah/);

    // Only the new version went: the mother has a second link, the first version's sendings are unchanged.
    // Three secure links have gone to the mother: version 1, the chair's answer and now version 2.
    const links = await secureLinksTo(MOTHER);
    expect(links).toHaveLength(3);
    expect(links).toContain(firstLink);
    const sendings = await h.ctx.services.uow.run((r) => r.documentSendings.listForConferences([g.conferenceId]));
    const letterSendings = sendings.filter((s) => s.draftId === draftId);
    expect(
      letterSendings
        .filter((s) => s.issueNumber === 1)
        .map((s) => s.method)
        .sort(),
    ).toEqual(['email-link', 'post', 'secure-link']);
    expect(
      letterSendings
        .filter((s) => s.issueNumber === 2)
        .map((s) => s.method)
        .sort(),
    ).toEqual(['email-link', 'secure-link']);
    await page.getByRole('link', { name: 'Print the post pack' }).click();
    await arrive(h, 'Post pack', 'the post pack for version 2');
    expect(await page.locator('main').innerText()).toContain('Daniel Mensah');
    await signOut(h, 'business support');

    // The mother's new link is to version 2 of the decision letter.
    const pages: string[] = [];
    for (const link of links.filter((l) => l !== firstLink)) {
      await page.goto(link);
      await arrive(h, 'Download your copy of a conference document', `a newer link’s start page (${pages.length + 1})`);
      pages.push(await page.locator('main').innerText());
    }
    expect(pages.some((text) => /Decision letter[\s\S]*version 2/i.test(text))).toBe(true);
  });
});
