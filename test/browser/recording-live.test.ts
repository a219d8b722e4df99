import { stat } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { parseOffset } from '../../src/domain/recordings/recording.ts';
import { recordings } from '../../src/infra/db/recordings-schema.ts';
import { staff } from '../support/people.ts';
import { seedConference, siblingGroupConference, type SiblingGroupConference } from '../support/conferences.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { fixtureDir, toneWav } from '../support/audio-fixtures.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { arrive, signIn, passSecondFactor } from './journey-steps.ts';

// Chromium's fake microphone (a beep every second) with the permission prompt answered yes.
const FAKE_MICROPHONE = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const as = (a: Actor) => ({ actor: { id: a.id, label: a.name } });

/** The value of a GOV.UK summary list row, by its key. */
async function summaryValue(page: Page, key: string): Promise<string> {
  const row = page
    .locator('.govuk-summary-list__row', { has: page.locator('.govuk-summary-list__key', { hasText: key }) })
    .first();
  return (await row.locator('.govuk-summary-list__value').innerText()).trim();
}

/**
 * axe cannot run in a page with JavaScript turned off (its timers never fire there), so the page as a
 * browser without JavaScript built it is copied, without its scripts, into a page that can run axe.
 */
async function expectAccessibleWithoutJs(h: BrowserHarness, page: Page, label: string): Promise<void> {
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const context = await h.browser.newContext({ baseURL: h.baseUrl, bypassCSP: true });
  try {
    const checker = await context.newPage();
    await checker.goto('/health'); // the service's origin, so the page's stylesheet loads as it does for people
    await checker.setContent(html, { waitUntil: 'load' });
    await expectAccessible({ ...h, page: checker }, label);
  } finally {
    await context.close();
  }
}

/** The page's heading once it reads `heading`, then axe on it as served without JavaScript. */
async function arriveWithoutJs(h: BrowserHarness, page: Page, heading: string, label: string): Promise<void> {
  await expect.poll(() => page.locator('h1').first().innerText()).toBe(heading);
  await expectAccessibleWithoutJs(h, page, label);
}

describe('recording a conference in the browser from a fake microphone', () => {
  let h: BrowserHarness;
  let g: SiblingGroupConference;
  let chair: Actor;
  let start: string;

  beforeAll(async () => {
    h = await startBrowserHarness({ args: FAKE_MICROPHONE });
    chair = await staff(h.ctx, 'Chris Chair', ['chair']);
    const sw = await staff(h.ctx, 'Sam Social', ['social_worker']);
    g = await siblingGroupConference(h.ctx, { socialWorker: sw, chair, status: 'in-progress' });
    start = `/conferences/${g.conferenceId}/recordings/live`;
  });
  afterAll(async () => {
    await h?.close();
  });

  let signedIn = false;

  /** From the start page to a running recorder; returns the recording id and when audio started. */
  async function startRecording(label: string): Promise<{ rid: string; startedAt: number }> {
    if (!signedIn) {
      await signIn(h, 'chris.chair@example.gov.uk');
      signedIn = true;
    }
    const { page } = h;
    await page.goto(start);
    await arrive(h, 'Record in the browser', `live: start (${label})`);
    await page.getByLabel('Recording of the conference').check();
    await page.getByRole('button', { name: 'Continue to the recorder' }).click();
    await arrive(h, 'Record the conference', `live: recorder before starting (${label})`);
    const rid = /\/recordings\/([0-9a-f-]{36})\/live$/.exec(page.url())![1]!;
    expect(await page.locator('#live-no-js').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.locator('#live-running').waitFor({ state: 'visible' });
    return { rid, startedAt: Date.now() };
  }

  const health = () => h.page.locator('#live-save-health').innerText();

  it('records, shows the microphone is live and the audio saved, pauses with a reason, resumes and stores it (R-2)', async () => {
    const { page } = h;
    const { rid, startedAt } = await startRecording('recording');

    // The level meter moves with the fake microphone's beeps.
    const levels: number[] = [];
    for (let i = 0; i < 30; i++) {
      levels.push(await page.locator('#live-level').evaluate((m) => (m as unknown as { value: number }).value));
      await sleep(50);
    }
    expect(Math.max(...levels)).toBeGreaterThan(0.2);
    expect(new Set(levels.map((v) => v.toFixed(3))).size).toBeGreaterThan(3);
    // The first chunk is sent within LIVE_CHUNK_MS.
    await expect.poll(health, { timeout: 10_000 }).toBe('all audio saved');
    expect(await page.locator('#live-saved-upto').innerText()).toMatch(/^Saved up to 0:0[4-6]$/);
    expect(await page.locator('#live-elapsed').innerText()).toMatch(/^0:0\d$/);
    await expectAccessible(h, 'live: recording');

    // A break: the reason is asked for first.
    await sleep(1_000);
    await page.getByRole('button', { name: 'Pause recording' }).click();
    await expect.poll(() => page.locator('#reason-error').textContent()).toBe('Error: Enter the reason for the break');
    await expectAccessible(h, 'live: pause without a reason');
    await page.getByLabel('Reason for the break').fill('Comfort break');
    await page.getByRole('button', { name: 'Pause recording' }).click();
    const pausedAt = Date.now();
    await expect.poll(() => page.locator('#live-state-heading').innerText()).toBe('Paused');
    expect(await page.locator('#live-paused-reason').innerText()).toMatch(/^Paused at \d\d:\d\d: Comfort break$/);
    await expectAccessible(h, 'live: paused');
    await sleep(3_000);
    const elapsedWhilePaused = await page.locator('#live-elapsed').innerText();
    await page.getByLabel('Changes in who is present (optional)').fill('The father left');
    await page.getByRole('button', { name: 'Resume recording' }).click();
    const resumedAt = Date.now();
    await expect.poll(() => page.locator('#live-state-heading').innerText()).toBe('Recording');
    expect(Math.abs(parseOffset(elapsedWhilePaused)! - (pausedAt - startedAt))).toBeLessThan(1_500);
    await sleep(4_000);

    await page.getByRole('button', { name: 'Stop recording' }).click();
    const stoppedAt = Date.now();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 20_000 }).toBe(`/recordings/${rid}`);
    const recorded = pausedAt - startedAt + (stoppedAt - resumedAt);

    const detail = await h.ctx.services.recordings.detail(chair, as(chair), rid);
    expect(detail.recording).toMatchObject({
      status: 'stored',
      source: 'browser',
      container: 'webm',
      codec: 'opus',
      endsAbruptly: false,
    });
    expect(Math.abs(detail.recording.durationMs! - recorded)).toBeLessThan(1_500);
    expect(detail.breaks).toEqual([
      expect.objectContaining({ reason: 'Comfort break', participantChanges: 'The father left' }),
    ]);
    expect(Math.abs(detail.breaks[0]!.atMs - (pausedAt - startedAt))).toBeLessThan(1_000);

    // The recording's page shows it stored, with its length and the break.
    await expect.poll(() => summaryValue(page, 'Length')).toMatch(/^0:\d\d$/);
    expect(Math.abs(parseOffset(await summaryValue(page, 'Length'))! - recorded)).toBeLessThan(2_000);
    expect(await page.locator('main').innerText()).toContain('Comfort break');
    await expectAccessible(h, 'live: the stored recording');
  });

  it('Stop recording moves on to the recording being checked and stored with no "Leave site?" prompt', async () => {
    const { page } = h;
    const dialogs: string[] = [];
    const onDialog = (dialog: Dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept(); // never left waiting: the assertion below says it should not have been asked
    };
    page.on('dialog', onDialog);
    try {
      const { rid } = await startRecording('stop without a prompt');
      await expect.poll(health, { timeout: 10_000 }).toBe('all audio saved');
      await page.getByRole('button', { name: 'Stop recording' }).click();
      await expect.poll(() => new URL(page.url()).pathname, { timeout: 20_000 }).toBe(`/recordings/${rid}`);
      expect(dialogs).toEqual([]);
      // The service stores it (here before the page arrives): the page says so by itself.
      await expect.poll(() => summaryValue(page, 'Status'), { timeout: 20_000 }).toBe('Stored');
      expect(dialogs).toEqual([]);
    } finally {
      page.off('dialog', onDialog);
    }
  });

  it('“Checking and storing” says by itself, in its live region, when the recording is stored, and links to it', async () => {
    const { page } = h;
    if (!signedIn) {
      await signIn(h, 'chris.chair@example.gov.uk');
      signedIn = true;
    }
    // A Teams file that has arrived and waits to be checked and stored (its ingest is run below).
    const fx = await fixtureDir('cpcr-live-storing-');
    try {
      const file = await toneWav(fx.file('teams.wav'), { seconds: 3 });
      const r = await h.ctx.services.recordings.createUpload(chair, as(chair), g.conferenceId, {
        kind: 'meeting',
        source: 'teams',
        partId: g.partId,
      });
      await h.ctx.services.staging.adopt(r.id, file);
      await h.ctx.services.database.db
        .update(recordings)
        .set({
          status: 'processing',
          processingStartedAt: new Date(),
          receivedBytes: (await stat(h.ctx.services.staging.pathFor(r.id))).size,
        })
        .where(eq(recordings.id, r.id));

      await page.goto(`/recordings/${r.id}`);
      await arrive(h, 'Recording of the conference', 'recording: being checked and stored');
      expect(await page.locator('#recording-status[role="status"]').innerText()).toContain(
        'The recording is being checked, encrypted and stored.',
      );
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
      const url = page.url();

      await h.ctx.services.recordings.ingest(r.id);
      await expect
        .poll(() => page.locator('#recording-status').innerText(), { timeout: 20_000 })
        .toContain('The recording is stored.');
      expect(page.url()).toBe(url); // not reloaded: a screen reader keeps its place
      await expectAccessible(h, 'recording: stored, said in the live region');
      await page.getByRole('link', { name: 'Show the stored recording' }).click();
      await expect.poll(() => summaryValue(page, 'Status')).toBe('Stored');

      // A short label added to its name, to tell it apart in a referral.
      await page.getByRole('link', { name: 'Add a label to the recording’s name' }).click();
      await arrive(h, 'Label the recording', 'recording: label');
      await page.getByLabel('Label (optional)').fill('after the fire alarm');
      await page.getByRole('button', { name: 'Save the label' }).click();
      await expect
        .poll(() => summaryValue(page, 'Name'))
        .toMatch(
          /^Initial child protection conference, 2 March 2026, .*after the fire alarm \(Microsoft Teams recording\)/,
        );
      await expectAccessible(h, 'recording: labelled');
    } finally {
      await fx.cleanup();
    }
  });

  it('R-1: starting the conference with “Start recording” ticked opens the recorder, which does not ask about the reminder again', async () => {
    const { page } = h;
    if (!signedIn) {
      await signIn(h, 'chris.chair@example.gov.uk');
      signedIn = true;
    }
    const planned = await seedConference(h.ctx, { childIds: [g.children.ava], chairUserId: chair.id });
    await page.goto(`/conferences/${planned.conferenceId}/meeting/start`);
    await arrive(h, 'Start the conference', 'meeting: start, with the recording choice');
    for (const box of await page.locator('input[name="pointsGiven"]').all()) await box.check();
    await page.getByLabel('Start recording in this browser').check();
    await page.getByRole('button', { name: 'Start the conference' }).click();
    await arrive(h, 'Record the conference', 'live: recorder after starting the conference');
    expect(new URL(page.url()).pathname).toMatch(/^\/recordings\/[0-9a-f-]{36}\/live$/);
    expect(await page.locator('#live-reminder-given').innerText()).toMatch(
      /^You told those present about the recording at \d\d:\d\d, when you started the conference/,
    );
    expect(await page.locator('#live-reminder').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Start recording' }).isVisible()).toBe(true);
  });

  it('loses no audio while the connection is lost for a while, a break included', async () => {
    const { page } = h;
    const context = page.context();
    const { rid, startedAt } = await startRecording('offline');
    await expect.poll(health, { timeout: 10_000 }).toBe('all audio saved');

    await context.setOffline(true);
    const offlineAt = Date.now();
    await sleep(3_000);
    // A break while offline: it is sent after the audio before it, once the connection is back.
    await page.getByLabel('Reason for the break').fill('Fire alarm test');
    await page.getByRole('button', { name: 'Pause recording' }).click();
    const pausedAt = Date.now();
    await sleep(2_000);
    await page.getByRole('button', { name: 'Resume recording' }).click();
    const resumedAt = Date.now();
    await expect.poll(health, { timeout: 20_000 }).toMatch(/^Not saved for (15|20) seconds: check the connection$/);
    await expectAccessible(h, 'live: not saved while offline');
    const savedBefore = await page.locator('#live-saved-upto').innerText();
    expect(parseOffset(savedBefore.replace('Saved up to ', ''))).toBeLessThanOrEqual(offlineAt - startedAt + 500);

    await context.setOffline(false);
    await expect.poll(health, { timeout: 20_000 }).toBe('all audio saved');
    await sleep(2_000);
    await page.getByRole('button', { name: 'Stop recording' }).click();
    const stoppedAt = Date.now();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 20_000 }).toBe(`/recordings/${rid}`);

    const recorded = pausedAt - startedAt + (stoppedAt - resumedAt);
    const detail = await h.ctx.services.recordings.detail(chair, as(chair), rid);
    expect(detail.recording.status).toBe('stored');
    expect(Math.abs(detail.recording.durationMs! - recorded)).toBeLessThan(1_500);
    expect(detail.breaks).toEqual([expect.objectContaining({ reason: 'Fire alarm test', participantChanges: null })]);
    expect(Math.abs(detail.breaks[0]!.atMs - (pausedAt - startedAt))).toBeLessThan(1_000);
  });

  it('after a crash, the reopened page says the recording was interrupted and keeps what was saved', async () => {
    const { rid } = await startRecording('crash');
    await expect.poll(health, { timeout: 10_000 }).toBe('all audio saved');
    // The laptop fails: the page goes without a chance to send anything more.
    const context = h.page.context();
    await h.page.close({ runBeforeUnload: false });
    h.page = await context.newPage();
    await h.page.goto(`/recordings/${rid}/live`);
    await arrive(h, 'Record the conference', 'live: interrupted');
    // What the server holds once the page has gone (the recorder sends until the moment it closes).
    const saved = (await h.ctx.services.recordings.detail(chair, as(chair), rid)).recording.receivedBytes;
    expect(saved).toBeGreaterThan(0);
    expect(await h.page.locator('#live-interrupted').innerText()).toContain('This recording was interrupted');
    expect(await summaryValue(h.page, 'State')).toBe('Interrupted');
    expect(await h.page.locator('#live-start-panel').isHidden()).toBe(true);
    expect(await h.page.locator('#live-pause-form').isHidden()).toBe(true);
    await h.page.getByRole('button', { name: 'Stop and keep what was saved' }).click();
    await expect.poll(() => new URL(h.page.url()).pathname, { timeout: 20_000 }).toBe(`/recordings/${rid}`);
    const detail = await h.ctx.services.recordings.detail(chair, as(chair), rid);
    expect(detail.recording).toMatchObject({ status: 'stored', originalSize: saved });
    expect(detail.recording.durationMs).toBeGreaterThan(4_000);
  });

  it('without JavaScript the recorder offers the upload, and its forms still pause, resume and stop', async () => {
    const context = await h.browser.newContext({ baseURL: h.baseUrl, javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto('/sign-in');
      await page.getByLabel('Email address').fill('chris.chair@example.gov.uk');
      await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await passSecondFactor(h.ctx, page, 'chris.chair@example.gov.uk');
      await page.waitForURL((u) => u.pathname === '/');
      await page.goto(start);
      await arriveWithoutJs(h, page, 'Record in the browser', 'live (no JavaScript): start');
      await page.getByRole('button', { name: 'Continue to the recorder' }).click();
      await arriveWithoutJs(h, page, 'Record the conference', 'live (no JavaScript): recorder');
      expect(await page.locator('#live-no-js').innerText()).toContain('Recording in the browser needs JavaScript');
      expect(await page.getByRole('link', { name: 'upload the recording' }).getAttribute('href')).toBe(
        `/conferences/${g.conferenceId}/recordings/upload`,
      );
      expect(await page.locator('#live-recorder').isHidden()).toBe(true);

      await page.getByRole('button', { name: 'Pause recording' }).click();
      await expect.poll(() => page.title()).toMatch(/^Error: /);
      await arriveWithoutJs(h, page, 'Record the conference', 'live (no JavaScript): pause without a reason');
      await page.getByLabel('Reason for the break').fill('Interpreter arriving');
      await page.getByRole('button', { name: 'Pause recording' }).click();
      await expect
        .poll(() => page.locator('.govuk-notification-banner').innerText())
        .toContain('The recording is paused.');
      await expectAccessibleWithoutJs(h, page, 'live (no JavaScript): paused');
      await page.getByLabel('Changes in who is present (optional)').fill('The interpreter joined');
      await page.getByRole('button', { name: 'Resume recording' }).click();
      await expect
        .poll(() => page.locator('.govuk-notification-banner').innerText())
        .toContain('The recording has resumed.');
      expect(await page.locator('#live-breaks').innerText()).toContain('The interpreter joined');
      await expectAccessibleWithoutJs(h, page, 'live (no JavaScript): resumed');
      await page.getByRole('button', { name: 'Stop recording' }).click();
      await arriveWithoutJs(h, page, 'The recording was not stored', 'live (no JavaScript): nothing recorded');
      expect(await summaryValue(page, 'Reason')).toBe('No audio was received');
    } finally {
      await context.close();
    }
  });
});
