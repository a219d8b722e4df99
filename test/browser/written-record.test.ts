import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { fixtureDir, type FixtureDir, toneWav } from '../support/audio-fixtures.ts';
import type { SiblingGroupConference } from '../support/conferences.ts';
import { heldConferenceForRecord } from '../support/written-record.ts';
import { openPdf } from '../support/pdf.ts';
import { emailOf, staff } from '../support/people.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { arrive, expectFieldError, saved, signIn, passSecondFactor } from './journey-steps.ts';

// The written record as its people meet it (issue 11): business support writes the conference record beside the
// chair's dictation, the chair comments and approves, the copies are issued and the father's copy is downloaded
// and read. Axe and the phone-width reflow check on every page visited.

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'written-record-browser' });

/** Words only the withheld section holds, looked for in each copy. */
const MARAC = 'MARAC heard that a visitor to the home has a caution for assault';

const SECTIONS = {
  family: 'Family composition and legal status',
  reasons: 'Reasons for the conference',
  facts: 'Essential facts',
  discussion: 'Summary of discussion',
} as const;

describe('the written record, in a real browser', () => {
  let h: BrowserHarness;
  let fx: FixtureDir;
  let g: SiblingGroupConference;
  let chair: Actor;
  let support: Actor;
  let otherSupport: Actor;
  let dictationId: string;

  /** The same harness looking at another browser context's page, so its pages are checked with axe too. */
  const on = (page: Page): BrowserHarness => ({ ...h, page });

  /** A section's text as the service holds it now. */
  async function savedText(draftId: string, sectionId: string): Promise<string | undefined> {
    const v = await h.ctx.services.documents.draft(support, g.conferenceId, draftId, as(support));
    return v.sections.find((s) => s.id === sectionId)?.text;
  }

  /** Types a section and leaves the box: the autosave stores it and says when. */
  async function typeSection(page: Page, draftId: string, label: string, sectionId: string, text: string) {
    const box = page.getByLabel(label, { exact: true });
    await box.fill(text);
    await box.blur();
    await expect.poll(() => savedText(draftId, sectionId)).toBe(text);
    await expect.poll(() => page.locator('#autosave-status').innerText()).toMatch(/^Saved at \d{1,2}:\d\d/);
  }

  beforeAll(async () => {
    h = await startBrowserHarness();
    fx = await fixtureDir('cpcr-written-record-browser-');
    const { recordings } = h.ctx.services;
    const sw = await staff(h.ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(h.ctx, 'Cal Chair', ['chair']);
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    otherSupport = await staff(h.ctx, 'Bea Minutes', ['business_support']);
    // Held: the family and three agencies present, a plan for each child, the summary, concluded.
    g = await heldConferenceForRecord(h.ctx, { socialWorker: sw, chair, support });

    // The chair's dictation, uploaded and stored with a playback copy, with two bookmarks.
    const ctx = { actor: { id: support.id, label: support.name } };
    const r = await recordings.createUpload(support, ctx, g.conferenceId, { kind: 'dictation', source: 'dictaphone' });
    const file = await toneWav(fx.file('dictation.wav'), { seconds: 30 });
    const copy = path.join(h.ctx.dataDir, `upload-${r.id}`);
    await copyFile(file, copy);
    await recordings.completeUpload(support, ctx, r.id, copy);
    dictationId = r.id;
    await recordings.addBookmark(support, as(support), dictationId, {
      at: '0:05',
      kind: 'agenda-item',
      label: 'Family composition',
    });
    await recordings.addBookmark(support, as(support), dictationId, {
      at: '0:20',
      kind: 'decision',
      label: 'The decision for both children',
    });
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    await fx?.cleanup();
  });

  it('W-1, W-2, W-3, W-5, R-6: drafted beside the dictation, reviewed by the chair, issued, and the father’s copy read', async () => {
    const { page } = h;
    const docs = `/conferences/${g.conferenceId}/documents`;

    // Business support opens the conference's written record and starts the record.
    await signIn(h, emailOf(support));
    await page.goto(`/conferences/${g.conferenceId}`);
    await expectAccessible(h, 'the conference');
    await page
      .getByRole('link', { name: /^Written record/ })
      .first()
      .click();
    await arrive(h, 'Written record', 'written record');
    await page.getByRole('button', { name: 'Start drafting: Conference record' }).click();
    await page.waitForURL((u) => u.pathname.startsWith(`${docs}/`) && u.searchParams.get('done') === 'started');
    const draft = new URL(page.url()).pathname;
    const draftId = draft.split('/').at(-1)!;
    await saved(h, 'The draft is started.', 'the record’s draft');

    // the dictation beside the form, a reason asked before it plays, then back on the draft to listen.
    const aside = page.locator('.govuk-grid-column-one-third');
    await expect.poll(() => aside.innerText()).toContain('chair’s dictation');
    await aside.getByRole('link', { name: /^Say why you need to listen/ }).click();
    await arrive(h, 'Why do you need to listen to this recording?', 'reason to listen, from the draft');
    await page.getByLabel('Why do you need to listen to this recording?').fill('Writing the record of the conference');
    await page.getByRole('button', { name: 'Continue to the recording' }).click();
    await page.waitForURL((u) => u.pathname === draft && u.searchParams.get('listen') === dictationId);
    await expect.poll(() => page.locator('#recording-audio').count()).toBe(1);
    expect(await page.locator('#recording-audio').getAttribute('src')).toBe(`/recordings/${dictationId}/audio`);
    // The bookmarks as a table of contents, in time order, each a button that moves the dictation there.
    expect(await aside.locator('.app-recording-timeline').innerText()).toMatch(
      /0:05\s+Family composition\s+(Play from )?0:20\s+The decision for both children/,
    );
    await aside.getByRole('button', { name: 'Play from 0:20' }).click();
    await expect
      .poll(() => page.evaluate<number>(`document.getElementById('recording-audio').currentTime`), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(19.5);
    await page.evaluate(`document.getElementById('recording-audio').pause()`);
    await expectAccessible(h, 'the draft with the dictation playing beside it');

    // Three sections typed; each is saved as the writer leaves it.
    await typeSection(page, draftId, SECTIONS.family, 'family-composition', 'Ava (12) and Ben (6) live with Grace.');
    await typeSection(page, draftId, SECTIONS.reasons, 'reasons-for-convening', 'Concerns about neglect at home.');
    await typeSection(page, draftId, SECTIONS.facts, 'essential-facts', 'The home was found unsafe twice.');

    // Another minute taker saves the same draft while this one has it open: nothing is overwritten, the text stays.
    const otherContext = await h.browser.newContext({ baseURL: h.baseUrl });
    try {
      const otherPage = await otherContext.newPage();
      const them = on(otherPage);
      await signIn(them, emailOf(otherSupport));
      await otherPage.goto(draft);
      await arrive(them, 'Conference record', 'the draft, for another minute taker', { contains: true });
      await typeSection(
        otherPage,
        draftId,
        SECTIONS.reasons,
        'reasons-for-convening',
        'Concerns about neglect at home, raised by the school.',
      );
    } finally {
      await otherContext.close();
    }
    const facts = page.getByLabel(SECTIONS.facts, { exact: true });
    const typedDuringConflict = `The home was found unsafe twice. ${MARAC}.`;
    await facts.fill(typedDuringConflict);
    await facts.blur();
    await expect
      .poll(() => page.locator('#autosave-status').innerText())
      .toContain('Someone else has changed this draft since you opened it. Your text has not been saved.');
    expect(await facts.inputValue()).toBe(typedDuringConflict);
    expect(await savedText(draftId, 'essential-facts')).toBe('The home was found unsafe twice.');
    await expectAccessible(h, 'the draft after someone else saved it');
    await page.locator('#autosave-status').getByRole('link', { name: 'Reload the page to see their changes' }).click();
    await expect
      .poll(() => page.getByLabel(SECTIONS.reasons, { exact: true }).inputValue())
      .toBe('Concerns about neglect at home, raised by the school.');
    await expectAccessible(h, 'the draft reloaded with the other minute taker’s change');
    await typeSection(page, draftId, SECTIONS.facts, 'essential-facts', typedDuringConflict);

    // Sent to the chair with the summary of discussion still empty: the error, and its link to the box.
    await page.getByRole('button', { name: 'Send to the chair' }).click();
    await expectFieldError(
      h,
      'send to the chair with a section empty',
      'Write summary of discussion',
      'section-discussion-summary',
    );

    // W-3: the essential facts, which hold police (MARAC) information, left out of the father's copy.
    await page.goto(draft);
    await page.getByRole('link', { name: /what is left out: Essential facts$/ }).click();
    await page.waitForURL((u) => u.pathname === `${draft}/withholding/essential-facts`);
    await expectAccessible(h, 'what is left out of the essential facts');
    await page.getByLabel('Police or MARAC information').check();
    await page.getByLabel('Only the copies of people I choose').check();
    await page.getByLabel('Daniel Mensah').check();
    await expectAccessible(h, 'what is left out, choosing the father');
    await page.getByRole('button', { name: 'Leave it out' }).click();
    await saved(h, 'What is left out of the family’s copies is saved.', 'the draft with a section left out');
    expect(await page.locator('#withholding ~ .govuk-summary-list').first().innerText()).toMatch(
      /Essential facts\s+Left out of Daniel Mensah.*: Police or MARAC information/,
    );

    await typeSection(
      page,
      draftId,
      SECTIONS.discussion,
      'discussion-summary',
      'The police, the school and the social worker agreed the home is not yet safe.',
    );
    await page.getByRole('button', { name: 'Send to the chair' }).click();
    await saved(h, 'Sent to the chair.', 'the draft sent to the chair');

    // The chair, in their own browser, comments on a section and asks for changes.
    const chairContext = await h.browser.newContext({ baseURL: h.baseUrl });
    try {
      const chairPage = await chairContext.newPage();
      const ch = on(chairPage);
      await signIn(ch, emailOf(chair));
      await chairPage.goto(docs);
      await arrive(ch, 'Written record', 'written record, for the chair');
      await chairPage.getByRole('link', { name: 'Conference record', exact: true }).click();
      await arrive(ch, 'Conference record', 'the draft, for the chair', { contains: true });
      await chairPage
        .getByLabel(`Add a comment on ${SECTIONS.discussion}`)
        .fill('Say what the health visitor reported.');
      await chairPage.getByRole('button', { name: `Add the comment on ${SECTIONS.discussion}` }).click();
      await saved(ch, 'Your comment is added.', 'the draft with the chair’s comment');
      await chairPage.getByRole('button', { name: 'Ask for changes' }).click();
      await saved(ch, 'Sent back to the minute taker with your comments.', 'the draft sent back');

      // Business support sees the comment, writes the change, resolves it and sends the draft again.
      await page.goto(draft);
      await arrive(h, 'Conference record', 'the draft with the chair’s comment, for business support', {
        contains: true,
      });
      expect(await page.locator('#block-discussion-summary').innerText()).toContain(
        'Say what the health visitor reported.',
      );
      await typeSection(
        page,
        draftId,
        SECTIONS.discussion,
        'discussion-summary',
        'The police, the school and the social worker agreed the home is not yet safe. The health visitor reported missed appointments.',
      );
      await page
        .locator('#block-discussion-summary')
        .getByRole('button', { name: /^Mark as resolved/ })
        .click();
      await saved(h, 'The comment is marked as resolved.', 'the draft with the comment resolved');
      await page.getByRole('button', { name: 'Send to the chair' }).click();
      await saved(h, 'Sent to the chair.', 'the draft sent to the chair again');

      // The chair approves.
      await chairPage.goto(draft);
      await arrive(ch, 'Conference record', 'the draft to approve', { contains: true });
      await chairPage.getByRole('button', { name: 'Approve the document' }).click();
      await saved(ch, 'Approved. The document can now be issued.', 'the approved document');
    } finally {
      await chairContext.close();
    }

    // Business support issues it: the banner says how many copies, and each is listed to download.
    await page.goto(draft);
    await arrive(h, 'Conference record', 'the approved draft, for business support', { contains: true });
    await page.getByRole('button', { name: 'Issue the document' }).click();
    await page.waitForURL((u) => u.pathname === docs && u.searchParams.get('done') === 'issued');
    const banner = await page.locator('.govuk-notification-banner').innerText();
    const copies = Number(/Issued: (\d+) cop(?:y|ies)\./.exec(banner)?.[1]);
    const downloads = page.locator('#issued ~ .app-scroll-region table a[download], #issued ~ table a[download]');
    expect(copies).toBeGreaterThan(1);
    expect(await downloads.count()).toBe(copies);
    await expectAccessible(h, 'the written record with its issued copies');

    // W-5: the father's copy, downloaded from the table: marked on every page, the withheld facts absent.
    const fatherPdf = await downloadCopy(page, 'PDF of the parent’s copy for Daniel Mensah');
    const fullPdf = await downloadCopy(page, /^PDF of the full record for .+$/);
    const father = await openPdf(fatherPdf);
    const full = await openPdf(fullPdf);
    try {
      const pages = await father.pagesText();
      expect(pages.length).toBeGreaterThan(0);
      for (const [i, text] of pages.entries()) {
        expect(text, `page ${i + 1}`).toContain("PARENT'S COPY");
        expect(text, `page ${i + 1}`).toContain('OFFICIAL-SENSITIVE');
      }
      const flat = (s: string) => s.replace(/\s+/g, ' ');
      expect(flat(pages.join(' '))).not.toContain('MARAC');
      expect(flat(pages.join(' '))).toContain('The health visitor reported missed appointments.');
      const fullText = flat((await full.pagesText()).join(' '));
      expect(fullText).toContain(MARAC);
      expect(fullText).not.toContain("PARENT'S COPY");
    } finally {
      await father.dispose();
      await full.dispose();
    }
  }, 240_000);

  it('a session that ends mid-draft: the writer is told to sign in again, the typed text stays in the box, and signing in again saves it', async () => {
    // A browser of its own, signed in afresh, so this does not lean on the journey before it.
    const context = await h.browser.newContext({ baseURL: h.baseUrl });
    const page = await context.newPage();
    const fresh = on(page);
    const docs = `/conferences/${g.conferenceId}/documents`;
    await signIn(fresh, emailOf(support));
    await page.goto(docs);
    await arrive(fresh, 'Written record', 'written record, before the session ends');
    await page.getByRole('button', { name: 'Start drafting: Decision letter' }).click();
    await page.waitForURL((u) => u.pathname.startsWith(`${docs}/`) && u.searchParams.get('done') === 'started');
    const draftId = new URL(page.url()).pathname.split('/').at(-1)!;
    await saved(fresh, 'The draft is started.', 'the decision letter’s draft');
    const label = 'Why the conference made its decision, in plain English';
    await typeSection(page, draftId, label, 'plain-english-reasons', 'Ava and Ben need a plan.');

    // The session lapses on the server (30 minutes idle) while the page stays open.
    fresh.ctx.clock.advance(31 * 60_000);
    const box = page.getByLabel(label, { exact: true });
    const typed = 'Ava and Ben need a plan because the home is not yet safe for them.';
    await box.fill(typed);
    await box.blur();
    await expect
      .poll(() => page.locator('#autosave-status').innerText())
      .toBe('Not saved: you have been signed out. Copy your text, sign in again and reload the page.');
    expect(await box.inputValue()).toBe(typed);
    expect(await savedText(draftId, 'plain-english-reasons')).toBe('Ava and Ben need a plan.');
    await expectAccessible(fresh, 'the draft once signed out');

    // Signing in again: what was typed was kept with the sign-in, sent on, and the draft shows it saved.
    await page.reload();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
    await arrive(fresh, 'Sign in', 'sign in again, from the draft');
    await page.getByLabel('Email address').fill(emailOf(support));
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, emailOf(support));
    await arrive(fresh, 'You were signed out', 'the typed text kept');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((u) => u.pathname === `${docs}/${draftId}` && u.searchParams.get('done') === 'saved');
    await saved(fresh, 'The draft is saved.', 'the draft with the kept text saved');
    expect(await box.inputValue()).toBe(typed);
    expect(await savedText(draftId, 'plain-english-reasons')).toBe(typed);
    await context.close();
  }, 120_000);
});

/** Clicks a download link in the issued copies table and returns the file's bytes. */
async function downloadCopy(page: Page, name: string | RegExp): Promise<Buffer> {
  const link = page.getByRole('link', { name, exact: typeof name === 'string' });
  expect(await link.count(), String(name)).toBeGreaterThan(0);
  const [download] = await Promise.all([page.waitForEvent('download'), link.first().click()]);
  const file = await download.path();
  return readFile(file);
}
