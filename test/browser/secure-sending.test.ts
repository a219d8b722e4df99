// Sending a family member their copy by secure link in a real browser, with axe on every page (W-4, W-6, A-5, A-6):
// business support sends the father a secure download link (a second address that differs is refused by its box),
// the father opens the link, asks for a code, enters it and downloads his PDF, and the sending page then says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { londonDateOf } from '../../src/domain/calendar/index.ts';
import { TestMailbox } from '../../src/infra/mail/test-support.ts';
import { receivedEmail } from '../../src/app/requests/delivery-test-support.ts';
import { emailOf, staff } from '../support/people.ts';
import { type IssuedLetter, issuedDecisionLetter } from '../support/sending.ts';
import { type BrowserHarness, startBrowserHarness } from './browser.ts';
import { arrive, expectFieldError, fillDate, saved, signIn, signOut } from './journey-steps.ts';

const ADDRESS = 'daniel.mensah@example.org';

describe('sending a copy by secure link, in a real browser', () => {
  let h: BrowserHarness;
  let mailbox: TestMailbox;
  let letter: IssuedLetter;
  let support: Actor;

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    h = await startBrowserHarness({ env: mailbox.env() });
    const sw = await staff(h.ctx, 'Sam Worker', ['social_worker']);
    const chair = await staff(h.ctx, 'Cal Chair', ['chair']);
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    letter = await issuedDecisionLetter(h.ctx, { socialWorker: sw, chair, support });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await mailbox?.stop();
  });

  it('W-4, A-5, A-6: business support sends the father a secure link; he opens it, enters the code and downloads his copy', async () => {
    const { page } = h;
    const sendingPage = `/conferences/${letter.g.conferenceId}/documents/sending`;
    await signIn(h, emailOf(support));
    await page.goto(sendingPage);
    await arrive(h, 'Send the copies', 'the sending page');

    const father = () => page.locator('.govuk-summary-card', { hasText: 'Daniel Mensah' });
    await father().getByText('Send a secure download link').click();
    await father().getByLabel('Email address', { exact: true }).fill(ADDRESS);
    await father().getByLabel('Email address again').fill('daniel.mensa@example.org');
    await father().getByLabel('By phone').check();
    const dateId = (await father().locator('form[action$="/secure-link"] .govuk-date-input').getAttribute('id'))!;
    const [y, m, d] = londonDateOf(h.ctx.services.clock.now()).split('-').map(Number) as [number, number, number];
    await fillDate(page, dateId, [d, m, y]);
    await father()
      .getByRole('button', { name: /Send the secure link/ })
      .click();
    const againId = (await father().getByLabel('Email address again').getAttribute('id'))!;
    await expectFieldError(h, 'a second address that differs', 'The email addresses do not match', againId);
    expect(await father().getByLabel('Email address', { exact: true }).inputValue()).toBe(ADDRESS);

    await father().getByLabel('Email address again').fill(ADDRESS);
    await father()
      .getByRole('button', { name: /Send the secure link/ })
      .click();
    await saved(h, 'The secure download link is emailed', 'the sending page after sending a secure link');
    expect(new URL(page.url()).href).not.toContain('daniel');
    await signOut(h, 'business support');

    // The father, with no account, follows the link in his email.
    const { body } = await receivedEmail(h.ctx, mailbox, 'document-secure-link', ADDRESS);
    expect(body).toContain('This document is confidential');
    const link = /(\/copy\/[A-Za-z0-9_-]+)/.exec(body)![1]!;
    await page.goto(link);
    await arrive(h, 'Download your copy of a conference document', 'the secure link’s start page');
    expect(await page.locator('.govuk-warning-text').innerText()).toContain('This document is confidential');
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await arrive(h, 'Enter the code we sent you', 'enter the code');
    const code = /\b(\d{6})\b/.exec((await receivedEmail(h.ctx, mailbox, 'document-one-time-code', ADDRESS)).body)![1]!;
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
    expect(download.suggestedFilename()).toMatch(/^decision-letter-.*\.pdf$/);
    expect(download.suggestedFilename()).not.toContain('Mensah');

    await signIn(h, emailOf(support));
    await page.goto(sendingPage);
    await arrive(h, 'Send the copies', 'the sending page after the download');
    expect(await father().innerText()).toContain('Downloaded');
  }, 180_000);
});
