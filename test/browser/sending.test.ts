// Sending the written record in a real browser, with axe on every page (W-4, W-6, T-6): business support opens the
// sending page from the written record, records the mother's copy as posted (a date in the future is refused by
// the field), emails the social worker a link, prints the post pack and the distribution report; the social
// worker follows the link after signing in, and the report then says they opened it.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { londonDateOf } from '../../src/domain/calendar/index.ts';
import { people, professionals } from '../../src/infra/db/schema.ts';
import type { SiblingGroupConference } from '../support/conferences.ts';
import { emailOf, staff } from '../support/people.ts';
import { heldConferenceForRecord } from '../support/written-record.ts';
import { type BrowserHarness, startBrowserHarness } from './browser.ts';
import { arrive, expectFieldError, fillDate, saved, signIn, signInAt, signOut } from './journey-steps.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'sending-browser' });

describe('sending the written record, in a real browser', () => {
  let h: BrowserHarness;
  let g: SiblingGroupConference;
  let sw: Actor;
  let support: Actor;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const { documents } = h.ctx.services;
    sw = await staff(h.ctx, 'Sam Worker', ['social_worker']);
    const chair = await staff(h.ctx, 'Cal Chair', ['chair']);
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    g = await heldConferenceForRecord(h.ctx, { socialWorker: sw, chair, support });
    const { db } = h.ctx.services.database;
    await db.update(people).set({ address: '1 Mill Lane\nEastbourne\nBN21 1AA' }).where(eq(people.id, g.people.mother));
    await db.update(professionals).set({ userId: sw.id }).where(eq(professionals.name, sw.name));
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
      { version: started.version, sections: { 'plain-english-reasons': 'Why the conference decided.' } },
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
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('W-4, W-6, T-6: business support posts one copy and emails another; the recipient opens it after signing in', async () => {
    const { page } = h;
    const docs = `/conferences/${g.conferenceId}/documents`;
    await signIn(h, emailOf(support));
    await page.goto(docs);
    await arrive(h, 'Written record', 'the written record with a document issued and not sent');
    expect(await page.locator('#document-list').innerText()).toMatch(/Issued, 0 of \d+ sent/);
    await page.getByRole('link', { name: 'Send the copies to their recipients' }).click();
    await arrive(h, 'Send the copies', 'the sending page');

    const mother = page.locator('.govuk-summary-card', { hasText: 'Grace Okafor' });
    const dateId = (await mother.locator('form[action$="/sending/posted"] .govuk-date-input').getAttribute('id'))!;
    await fillDate(page, dateId, [1, 1, 2999]);
    await mother.getByRole('button', { name: /Record as posted/ }).click();
    await expectFieldError(
      h,
      'a date posted in the future',
      'The date posted must be today or in the past',
      `${dateId}-day`,
    );

    const [y, m, d] = londonDateOf(h.ctx.services.clock.now()).split('-').map(Number) as [number, number, number];
    await fillDate(page, dateId, [d, m, y]);
    await page
      .locator('.govuk-summary-card', { hasText: 'Grace Okafor' })
      .getByRole('button', { name: /Record as posted/ })
      .click();
    await saved(h, 'The copy is recorded as posted.', 'the sending page after posting');

    await page
      .locator('.govuk-summary-card', { hasText: 'Sam Worker' })
      .getByRole('button', { name: /Email a link/ })
      .click();
    await saved(h, 'The link is emailed.', 'the sending page after emailing');

    await page.getByRole('link', { name: 'Print the post pack' }).click();
    await arrive(h, 'Post pack', 'the post pack');
    expect(await page.locator('main').innerText()).not.toContain('Grace Okafor');

    await page.goto(`${docs}/report`);
    await arrive(h, 'Distribution report', 'the distribution report');
    expect(await page.locator('main').innerText()).toContain('Posted');

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
  }, 180_000);
});
