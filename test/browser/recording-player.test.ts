import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { staff } from '../support/people.ts';
import { fixtureDir, type FixtureDir, toneWav } from '../support/audio-fixtures.ts';
import { siblingGroupConference } from '../support/conferences.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { passSecondFactor } from './journey-steps.ts';

// The recording page, the explanatory statement, a bookmark and a withheld part, then listening:
// a reason first, the player streaming the playback copy with Range requests, the waveform drawn from
// precomputed peaks, and a timeline button that moves the audio. Axe on every page.
const AUDIO = `document.getElementById('recording-audio')`;

describe('a recording’s page and player, in a real browser', () => {
  let h: BrowserHarness;
  let fx: FixtureDir;
  let rid: string;
  const audioRequests: Array<{ range: string | undefined }> = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    h = await startBrowserHarness();
    fx = await fixtureDir('cpcr-recording-browser-');
    const chair = await staff(h.ctx, 'Chris Chair', ['chair']);
    const support: Actor = await staff(h.ctx, 'Bo Support', ['business_support']);
    const sw = await staff(h.ctx, 'Sam Social', ['social_worker']);
    const g = await siblingGroupConference(h.ctx, { socialWorker: sw, chair, status: 'in-progress' });
    const ctx = { actor: { id: support.id, label: support.name } };
    const r = await h.ctx.services.recordings.createUpload(support, ctx, g.conferenceId, {
      kind: 'meeting',
      source: 'dictaphone',
      partId: g.partId,
    });
    const file = await toneWav(fx.file('meeting.wav'), { seconds: 30 });
    const copy = path.join(h.ctx.dataDir, `upload-${r.id}`);
    await copyFile(file, copy);
    await h.ctx.services.recordings.completeUpload(support, ctx, r.id, copy);
    rid = r.id;
    h.page.on('request', (req) => {
      if (req.url().endsWith(`/recordings/${rid}/audio`)) audioRequests.push({ range: req.headers()['range'] });
    });
    h.page.on('console', (msg) => {
      if (/Content Security Policy|Refused to/i.test(msg.text())) cspViolations.push(msg.text());
    });
  });
  afterAll(async () => {
    await h?.close();
    await fx?.cleanup();
  });

  it('confirms the statement, adds a bookmark and a withheld part, then listens and seeks from the timeline', async () => {
    const { page } = h;
    const base = `/recordings/${rid}`;
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('chris.chair@example.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, 'chris.chair@example.gov.uk');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');

    await page.goto(base);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Recording of the conference');
    expect(await page.locator('main').innerText()).toMatch(/Status\s+Stored/);
    await expectAccessible(h, 'recording page');

    // the statement, pre-filled from the conference; the end time is not known yet, so one error first.
    await page.getByRole('link', { name: 'Confirm the explanatory statement' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Confirm the explanatory statement');
    expect(await page.getByLabel('Where the recording was made').inputValue()).toBe('Room 2, Civic Centre');
    await expectAccessible(h, 'statement form');
    await page.getByRole('button', { name: 'Confirm the statement' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter the time the meeting ended');
    await expectAccessible(h, 'statement form with an error');
    await page.locator('.govuk-error-summary a', { hasText: 'Enter the time the meeting ended' }).click();
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.id')).toBe('endedAt');
    await page.getByLabel('Time the meeting ended').fill('11:30');
    await page.getByRole('button', { name: 'Confirm the statement' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('The explanatory statement is confirmed.');
    expect(await page.locator('main').innerText()).toMatch(/Meeting ended\s+11:30/);
    await expectAccessible(h, 'recording page with its statement');

    // A bookmark.
    await page.getByRole('link', { name: 'Add a bookmark' }).click();
    // The form's own page, loaded, before axe looks at it.
    await page.waitForURL((u) => u.pathname === `${base}/bookmarks/new`);
    await expectAccessible(h, 'bookmark form');
    await page.getByLabel('Time in the recording').fill('0:12');
    await page.getByLabel('Decision').check();
    await page.getByLabel('Description').fill('Plan agreed');
    await page.getByRole('button', { name: 'Add the bookmark' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toContain('The bookmark is added.');
    expect(await page.locator('#bookmarks + .app-scroll-region table').innerText()).toMatch(
      /0:12\s+Decision\s+Plan agreed\s+Chris Chair/,
    );

    // A withheld part, kept from the whole family.
    await page.getByRole('link', { name: 'Mark a part as withheld' }).click();
    await page.waitForURL((u) => u.pathname === `${base}/withheld/new`);
    await expectAccessible(h, 'withheld form');
    await page.getByLabel('Starts at').fill('0:20');
    await page.getByLabel('Ends at').fill('0:25');
    await page.getByLabel('Police information').check();
    await page
      .getByLabel('What is said in this part and why it must be withheld')
      .fill('Police intelligence about a visitor');
    await page.getByLabel('Only the people I choose').check();
    // govuk-frontend reveals the people to choose from once "Only the people I choose" is picked.
    await page.getByLabel('Daniel Mensah').check();
    await expectAccessible(h, 'withheld form, choosing people');
    await page.getByRole('button', { name: 'Mark the part as withheld' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('The withheld part is marked.');
    expect(await page.locator('#withheld ~ .app-scroll-region table').innerText()).toMatch(
      /0:20\s+0:25\s+Police information\s+Police intelligence about a visitor\s+Daniel Mensah\s+Chris Chair/,
    );
    await expectAccessible(h, 'recording page with a bookmark and a withheld part');

    // Listening: the reason first (audited).
    await page.getByRole('link', { name: 'Listen to the recording' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Why do you need to listen to this recording?');
    await expectAccessible(h, 'reason to listen');
    await page.getByRole('button', { name: 'Continue to the recording' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'reason to listen with an error');
    await page
      .getByLabel('Why do you need to listen to this recording?')
      .fill('Checking the recording before it is shared');
    await page.getByRole('button', { name: 'Continue to the recording' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Listen to the recording');

    // The waveform is drawn from the peaks (nothing is fetched to decode), in its own colours.
    await expect.poll(() => page.locator('#recording-waveform').getAttribute('data-ready')).toBe('true');
    // Browser code as text: this project's TypeScript has no DOM types.
    const waveform = await page.evaluate<{
      canvases: number;
      height: number;
      regions: number;
      markers: number;
    }>(`(() => {
      const host = document.querySelector('#recording-waveform > div');
      const root = host?.shadowRoot;
      return {
        canvases: root?.querySelectorAll('canvas').length ?? 0,
        height: host?.getBoundingClientRect().height ?? 0,
        regions: root?.querySelectorAll('[part~="region"]').length ?? 0,
        markers: root?.querySelectorAll('[part~="marker"]').length ?? 0,
      };
    })()`);
    expect(waveform.canvases).toBeGreaterThan(0);
    expect(waveform.height).toBeGreaterThan(50);
    expect(waveform).toMatchObject({ regions: 1, markers: 1 });
    // wavesurfer's styles carry the page's CSP nonce. (Checked before axe, whose own reading of
    // shadow-root styles is refused by the same policy.)
    expect(cspViolations).toEqual([]);
    await expectAccessible(h, 'player');

    // The timeline, with buttons that move the audio (keyboard: focus and Enter).
    const playFrom = page.getByRole('button', { name: 'Play from 0:12' });
    await playFrom.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate<number>(`${AUDIO}.readyState`), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.evaluate<number>(`${AUDIO}.currentTime`), { timeout: 20_000 }).toBeGreaterThan(12.2);
    expect(await page.getByRole('button', { name: 'Play from 0:20' }).count()).toBe(1);
    // The audio came by Range requests, and was never fetched whole for the waveform.
    expect(audioRequests.length).toBeGreaterThan(0);
    expect(audioRequests.every((r) => r.range?.startsWith('bytes='))).toBe(true);

    // The bookmark form follows the player; the chair adds one where they are.
    await page.evaluate(`${AUDIO}.pause()`);
    await expect.poll(() => page.locator('#at').inputValue()).toMatch(/^0:1\d$/);
    const at = await page.locator('#at').inputValue();
    await page.locator('#recording-bookmark-form').getByLabel('Note').check();
    await page.locator('#recording-bookmark-form').getByLabel('Description').fill('Marked while listening');
    await page.getByRole('button', { name: 'Add the bookmark' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').innerText()).toContain('The bookmark is added.');
    expect(await page.locator('.app-recording-timeline').innerText()).toContain('Note: Marked while listening');
    expect(await page.getByRole('button', { name: `Play from ${at}` }).count()).toBeGreaterThan(0);
    await expectAccessible(h, 'player after a bookmark');
  });
});
