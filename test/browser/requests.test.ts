import { createHash } from 'node:crypto';
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { defaultToolPaths } from '../../src/infra/audio/index.ts';
import { runTool } from '../../src/infra/audio/tools.ts';
import { readOutbox, TestMailbox } from '../../src/infra/mail/test-support.ts';
import { emailOf, staff } from '../support/people.ts';
import { fixtureDir, type FixtureDir, toneWav } from '../support/audio-fixtures.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../support/conferences.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { arrive, expectFieldError, fillDate, group, saved, signIn, signOut } from './journey-steps.ts';

// A parent's request for a copy of the recording (A-1 … A-7), in a real browser: business support
// records it, the chair refers it with a part withheld, business support checks it, asks the
// requester to confirm their details and records the reply, prepares the copy with the
// withheld parts silenced, a second person approves it, and it is sent securely. The
// requester, in a browser with no staff session, follows the emailed link, enters the emailed
// one-time code (wrong once) and downloads the real MP3, which is checked against the stored copy.
// Business support then records notifications and case notes and closes the request; each
// child's record shows the case note. Axe on every page.
const REQUESTER = 'grace.private@example.org';

describe('a request for a copy of the recording, from receipt to the requester’s download and closed, in a real browser', () => {
  let h: BrowserHarness;
  let fx: FixtureDir;
  let g: SiblingGroupConference;
  let chair: Actor;
  let support: Actor;
  let support2: Actor;

  let mailbox: TestMailbox;

  beforeAll(async () => {
    // The requester's email goes through a real (loopback) relay: the outbox holds the link and code only masked.
    mailbox = await TestMailbox.start();
    h = await startBrowserHarness({ env: mailbox.env() });
    fx = await fixtureDir('cpcr-requests-browser-');
    // 11 May 2026: the request is received on the day.
    h.ctx.clock.current = new Date('2026-05-11T09:00:00Z');
    chair = await staff(h.ctx, 'Chris Chair', ['chair']);
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    support2 = await staff(h.ctx, 'Bex Support', ['business_support']);
    const sw = await staff(h.ctx, 'Sam Social', ['social_worker']);
    await staff(h.ctx, 'Quinn Quality', ['qa_manager']);
    g = await siblingGroupConference(h.ctx, { socialWorker: sw, chair, status: 'held' });
    const as = { actor: { id: support.id, label: support.name } };
    const r = await h.ctx.services.recordings.createUpload(support, as, g.conferenceId, {
      kind: 'meeting',
      source: 'dictaphone',
      partId: g.partId,
    });
    const file = await toneWav(fx.file('meeting.wav'), { seconds: 20 });
    const copy = path.join(h.ctx.dataDir, `upload-${r.id}`);
    await copyFile(file, copy);
    await h.ctx.services.recordings.completeUpload(support, as, r.id, copy);
    // a copy carries the recording's confirmed explanatory statement.
    await h.ctx.services.recordings.confirmStatement(chair, { actor: { id: chair.id, label: chair.name } }, r.id, {
      location: 'Room 4, County Hall',
      recordedOn: '2026-03-02',
      startedAt: '10:00',
      endedAt: '11:30',
      context: 'Initial child protection conference for Ava and Ben.',
      speakers: [{ name: 'Chris Chair', role: 'Conference chair' }],
      breaks: [],
    });
    // Marked on the recording's timeline: withheld from the whole family.
    await h.ctx.services.recordings.addWithheld(chair, { actor: { id: chair.id, label: chair.name } }, r.id, {
      start: '0:02',
      end: '0:04',
      reason: 'police',
      explanation: 'Police intelligence',
      audience: 'all-family',
      personIds: [],
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await fx?.cleanup();
    await mailbox?.stop();
  });

  it('records a parent’s request, refers it with a withheld part, takes it to sent, the requester downloads the copy, and it is closed', async () => {
    const { page } = h;
    // A missing button fails the step within seconds, naming it, rather than timing the whole test out.
    page.setDefaultTimeout(20_000);
    const requestsOf = `/conferences/${g.conferenceId}/requests`;

    // Business support records the request from the work queue, finding the conference by a child first.
    await signIn(h, emailOf(support));
    await page.goto(`/conferences/${g.conferenceId}`);
    await page.getByRole('link', { name: 'Requests for copies of the recording' }).click();
    await arrive(h, 'Requests for copies of the recording', 'the conference’s requests');
    await page.goto('/requests');
    await arrive(h, 'Requests for copies of recordings', 'the work queue, empty');
    await page.getByRole('button', { name: 'Record a request' }).click();
    await arrive(h, 'Find the conference', 'record a request: find the conference');
    await page.getByRole('button', { name: 'Find the conference' }).click();
    await expect
      .poll(() => page.locator('.govuk-error-summary').innerText())
      .toContain('Enter the child’s name or local case reference');
    await expectAccessible(h, 'find the conference, with an error');
    await page.getByLabel('Child’s name').fill('Okafor');
    await page.getByRole('button', { name: 'Find the conference' }).click();
    await expect.poll(() => page.locator('#results').count()).toBe(1);
    await expectAccessible(h, 'find the conference, found');
    await page.getByRole('link', { name: /^Record a request for the / }).click();
    await arrive(h, 'Who is asking for a copy of the recording?', 'requester type');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(() => page.locator('.govuk-error-summary').innerText())
      .toContain('Select who is asking for the recording');
    await expectAccessible(h, 'requester type, with an error');
    await page.getByLabel('A person with parental responsibility for a child in the conference').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await arrive(h, 'Details of the request', 'request details');
    await group(page, 'Who is asking?').getByLabel('Grace Okafor').check();
    await fillDate(page, 'receivedOn', [11, 5, 2026]);
    await page.getByRole('button', { name: 'Continue' }).click();
    await arrive(h, 'Check the request before recording it', 'check the request');
    expect(await page.locator('main').innerText()).toMatch(
      /Children whose information they may have\s+Ava Okafor, Ben Okafor/,
    );
    await page.getByRole('button', { name: 'Record the request' }).click();
    await saved(h, 'The request is recorded.', 'the request, received');
    const requestUrl = new URL(page.url()).pathname;
    expect(await page.locator('main').innerText()).toMatch(/Copy due by\s+11 June 2026/);
    await page.goto('/requests');
    await arrive(h, 'Requests for copies of recordings', 'the work queue');
    expect(await page.locator('tbody tr').count()).toBe(1);
    await signOut(h, 'business support');

    // The chair refers it, confirming the part marked on the timeline and adding one for this request.
    await signIn(h, emailOf(chair));
    await page.goto(requestUrl);
    await arrive(h, 'Request', 'the request, for the chair', { contains: true });
    await page.getByRole('button', { name: 'Refer the request to business support' }).click();
    await arrive(h, 'Refer the request to business support', 'the referral form');
    expect(await page.getByLabel(/0:02 to 0:04: Police information/).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(() => page.locator('.govuk-error-summary').innerText())
      .toContain('Enter the requester’s email address');
    await expectAccessible(h, 'the referral form, with errors');
    await page.getByLabel('Email address, as checked with the requester').fill(REQUESTER);
    await page.getByLabel('I have checked this address with the requester').check();
    await page.getByLabel('Starts at').fill('0:10');
    await page.getByLabel('Ends at').fill('0:12');
    await page.getByLabel('Why it must be withheld').selectOption('third-party');
    await page.getByLabel('What is said and why the requester must not hear it').fill('A neighbour’s account');
    await page.getByRole('button', { name: 'Continue' }).click();
    await arrive(h, 'Check the referral before sending it', 'check the referral');
    expect(await page.locator('main').innerText()).toContain(
      '0:10 to 0:12: Information about another person who has not agreed to share it',
    );
    await page.getByRole('button', { name: 'Send the referral' }).click();
    await saved(h, 'The referral is sent to business support', 'the request, referred');
    await signOut(h, 'the chair');

    // Business support checks it and asks the requester to confirm their details.
    await signIn(h, emailOf(support));
    await page.goto(requestUrl);
    await page.getByRole('button', { name: 'Record queries as resolved' }).click();
    await saved(h, 'Queries with the chair are recorded as resolved.', 'queries resolved');
    await page.getByRole('button', { name: 'Record the recording as checked' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').innerText()).not.toBe('');
    await expectAccessible(h, 'check the recording, with errors');
    await page.getByLabel('Which parts you listened to').fill('The opening, 0:00 to 0:20');
    await page.getByLabel('This is the right recording of the right conference').check();
    await page.getByRole('button', { name: 'Record the recording as checked' }).click();
    await saved(h, 'The recording is recorded as checked.', 'recording checked');
    await page.getByRole('button', { name: 'Email the requester' }).click();
    await saved(h, 'The requester has been emailed to confirm their details.', 'verification asked');
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.locator('#record-verification-children-0-fullName').fill('Ava Okafor');
    await fillDate(page, 'record-verification-children-0-dateOfBirth', [10, 5, 2013]);
    await page.locator('#record-verification-children-1-fullName').fill('Ben Okafor');
    await fillDate(page, 'record-verification-children-1-dateOfBirth', [1, 8, 2019]);
    await page.getByRole('button', { name: 'Record the reply' }).click();
    await saved(h, 'The requester’s details match the children’s records.', 'verified');

    // The copy, with both parts silenced.
    await page.getByRole('button', { name: 'Start preparing the copy' }).click();
    await arrive(h, 'The copy is ready', 'the copy, ready');
    const copyId = new URL(page.url()).pathname.split('/').at(-1)!;
    await page.getByRole('button', { name: 'Record the copy as prepared' }).click();
    await saved(h, 'The copy is recorded as prepared.', 'copy prepared');
    expect(await page.locator('main').innerText()).toContain('You prepared this copy');
    expect(await page.getByRole('button', { name: 'Approve the copy' }).count()).toBe(0);
    await signOut(h, 'business support');

    // A second person listens to the copy, each withheld part marked on its timeline, and approves it;
    // then it is sent securely.
    await signIn(h, emailOf(support2));
    await page.goto(requestUrl);
    await page.getByRole('link', { name: 'Listen to the copy' }).click();
    await arrive(h, 'The copy is ready', 'the copy, for the approver');
    await page.getByRole('link', { name: 'Listen to the copy' }).click();
    await arrive(h, 'Listen to the copy', 'the copy’s player');
    expect(await page.locator('.app-recording-timeline').innerText()).toMatch(
      /Withheld part 2, until \d+:\d\d: Information about another person/,
    );
    // The player's script turns each entry into a button that moves the copy there.
    await page
      .getByRole('button', { name: /^Play from / })
      .nth(1)
      .click();
    await expect
      .poll(() => page.evaluate<number>(`document.getElementById('recording-audio').currentTime`))
      .toBeGreaterThan(1);
    await page.goto(requestUrl);
    await page.getByRole('button', { name: 'Approve the copy' }).click();
    await saved(h, 'The copy is approved.', 'copy approved');
    await page.getByRole('button', { name: 'Send the copy' }).click();
    await saved(h, 'The copy is sent.', 'sent');
    const main = await page.locator('main').innerText();
    expect(main).toMatch(/Sent\s+By Bex Support/);
    expect(main).toContain('Record the requester’s reply');
    await page.goto(`${requestsOf}`);
    await arrive(h, 'Requests for copies of the recording', 'the conference’s requests, sent');
    expect(await page.locator('tbody').innerText()).toContain('Sent');

    // the requester says the link went astray before they used it: cancelled with the reason, then a new link
    // sent in its place (the page shows every link; the reason is required), and the request stays sent.
    await page.goto(requestUrl);
    await page.locator('summary', { hasText: 'Cancel the download link' }).click();
    // No reason: refused on the field, the form shown open again.
    const cancelReasonId = (await page.getByLabel('Why are you cancelling the link?').getAttribute('id'))!;
    await page.getByRole('button', { name: 'Cancel the download link' }).click();
    await expectFieldError(h, 'cancel the link: no reason', 'Enter why the link is being cancelled', cancelReasonId);
    await page
      .getByLabel('Why are you cancelling the link?')
      .fill('The requester says the email went to a shared inbox');
    await page.getByRole('button', { name: 'Cancel the download link' }).click();
    await saved(h, 'The download link is cancelled.', 'link cancelled');
    h.ctx.clock.advance(60_000);
    await page.getByRole('link', { name: 'Send a new link' }).click();
    await arrive(h, 'Send a new download link', 'send a new link');
    expect(await page.locator('main').innerText()).toMatch(/Every link sent for this request[\s\S]*Cancelled/);
    await page.getByRole('button', { name: 'Send a new link' }).click();
    await expectFieldError(h, 'send a new link: no reason', 'Enter why the requester needs a new link', 'reason');
    await page.getByLabel('Why does the requester need a new link?').fill('The first link went to a shared inbox');
    await page.getByRole('button', { name: 'Send a new link' }).click();
    await saved(h, 'A new download link is sent.', 'new link sent');
    const afterNewLink = await page.locator('main').innerText();
    expect(afterNewLink).toMatch(/Link\s+Active[\s\S]*An earlier link[\s\S]*Link\s+Cancelled/);
    expect(afterNewLink).toMatch(/Send a new download link[\s\S]*Reason: The first link went to a shared inbox/);
    await signOut(h, 'business support, after sending');

    // The requester, in a browser that has never had a staff session, follows the link in the
    // copy-ready email, asks for a one-time code, gets it wrong once, then downloads the real copy.
    const [cancelledEmail, ready, ...moreReady] = await readOutbox(h.ctx.services.database, {
      to: REQUESTER,
      template: 'copy-ready',
    });
    expect(moreReady).toEqual([]);
    expect(ready!.body, 'the outbox keeps the link masked').toContain('/copy/••••••••');
    const linkIn = (id: string) => /https?:\/\/\S+?(\/copy\/[A-Za-z0-9_-]+)/.exec(mailbox.sent(id)?.text ?? '');
    const link = linkIn(ready!.id);
    expect(link, 'a download link in the copy-ready email').not.toBeNull();
    const oldLink = linkIn(cancelledEmail!.id);
    expect(oldLink![1]).not.toBe(link![1]);
    const requesterContext = await h.browser.newContext({ baseURL: h.baseUrl, acceptDownloads: true });
    try {
      const rp = await requesterContext.newPage();
      rp.setDefaultTimeout(20_000);
      const r: BrowserHarness = { ...h, page: rp };
      await rp.goto(oldLink![1]!);
      await arrive(r, 'This link has been cancelled', 'requester: the cancelled link');
      await rp.goto(link![1]!);
      await arrive(r, 'Download a copy of a conference recording', 'requester: the link’s start page');
      expect(await rp.locator('.govuk-warning-text').innerText()).toContain('The recording is confidential');
      expect(await rp.getByRole('button', { name: 'Sign out' }).count(), 'no staff session').toBe(0);
      await rp.getByRole('button', { name: 'Send me a code' }).click();
      await arrive(r, 'Enter the code we sent you', 'requester: enter the code');
      const [codeEmail, ...moreCodes] = await readOutbox(h.ctx.services.database, {
        to: REQUESTER,
        template: 'one-time-code',
      });
      expect(moreCodes).toEqual([]);
      const code = /\b(\d{6})\b/.exec(mailbox.sent(codeEmail!.id)?.text ?? '')?.[1];
      expect(code, 'a 6-digit code in the email').toMatch(/^\d{6}$/);
      await rp.getByLabel('Code').fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
      await rp.getByRole('button', { name: 'Continue' }).click();
      await expectFieldError(r, 'requester: wrong code', 'The code is not correct. You can try 4 more times', 'code');
      await rp.getByLabel('Code').fill(code!);
      await rp.getByRole('button', { name: 'Continue' }).click();
      await arrive(r, 'Download the recording', 'requester: the files');

      // The file downloaded is the copy as stored: same SHA-256, and a real MP3 that decodes.
      const status = await h.ctx.services.disclosureCopies.status(support, copyId);
      expect(status.files).toHaveLength(1);
      const stored = status.files[0]!;
      const [download] = await Promise.all([
        rp.waitForEvent('download'),
        rp.getByRole('button', { name: `Download ${stored.fileName}` }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(stored.fileName);
      const file = await download.path();
      expect(
        createHash('sha256')
          .update(await readFile(file))
          .digest('hex'),
      ).toBe(stored.sha256);
      const probe = await runTool(defaultToolPaths.ffprobe, [
        '-v',
        'error',
        '-print_format',
        'json',
        '-show_format',
        '-show_streams',
        file,
      ]);
      expect(probe.code).toBe(0);
      const info = JSON.parse(probe.stdout) as {
        format: { format_name: string; duration: string };
        streams: Array<{ codec_name: string }>;
      };
      expect(info.format.format_name).toBe('mp3');
      expect(info.streams.map((s) => s.codec_name)).toEqual(['mp3']);
      expect(Number(info.format.duration)).toBeGreaterThan(19);
      const decode = await runTool(defaultToolPaths.ffmpeg, ['-v', 'error', '-i', file, '-f', 'null', '-']);
      expect(decode.code, 'the whole file decodes').toBe(0);
      // the explanatory statement comes with it, as stored.
      const [statement] = await Promise.all([
        rp.waitForEvent('download'),
        rp.getByRole('button', { name: `Download ${stored.statementFileName}` }).click(),
      ]);
      expect(statement.suggestedFilename()).toBe(stored.statementFileName);
      expect(await readFile(await statement.path(), 'utf8')).toBe(stored.statementText);
      expect(stored.statementText).toContain('Room 4, County Hall');
    } finally {
      await requesterContext.close();
    }

    // Back as business support: notifications and case notes, then closed.
    await signIn(h, emailOf(support2));
    await page.goto(requestUrl);
    await page.getByRole('button', { name: 'Confirm notifications and case notes' }).click();
    await saved(h, 'Notifications and case notes are recorded.', 'notifications recorded');
    await page.getByRole('button', { name: 'Close the request' }).click();
    await saved(h, 'The request is closed.', 'closed');
    for (const [name, childId] of [
      ['Ava Okafor', g.children.ava],
      ['Ben Okafor', g.children.ben],
    ] as const) {
      await page.goto(`/children/${childId}`);
      await arrive(h, name, `${name}’s record, with the case note`, { contains: true });
      expect(await page.locator('main').innerText()).toMatch(
        /A copy of the audio recording of .* was sent securely on .*/,
      );
    }
    expect(h.checked.length).toBeGreaterThan(30);
  }, 480_000);
});
