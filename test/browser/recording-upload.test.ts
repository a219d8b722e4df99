import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page, Request, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { staff } from '../support/people.ts';
import { encode, fixtureDir, type FixtureDir, toneWav } from '../support/audio-fixtures.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../support/conferences.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { passSecondFactor } from './journey-steps.ts';
import type { TestContext } from '../support/services.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function signIn(page: Page, email: string, ctx: TestContext): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await passSecondFactor(ctx, page, email);
  await page.waitForURL((u) => u.pathname === '/');
}

type Check = (label: string) => Promise<void>;

/**
 * axe cannot run in a page whose JavaScript is off: the page as that browser built it is copied,
 * without its scripts, into a page that can run it.
 */
function accessibleWithoutJs(h: BrowserHarness, page: Page): Check {
  return async (label) => {
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
    const context = await h.browser.newContext({ baseURL: h.baseUrl, bypassCSP: true });
    try {
      const checker = await context.newPage();
      await checker.goto('/health'); // the service's origin, so the stylesheet loads as it does for people
      await checker.setContent(html, { waitUntil: 'load' });
      await expectAccessible({ ...h, page: checker }, label);
    } finally {
      await context.close();
    }
  };
}

/** Describes the upload on the first page and returns the new recording's id from the send page's address. */
async function describeTheFile(page: Page, check: Check, label: string): Promise<string> {
  await page.getByRole('button', { name: 'Upload a recording' }).click();
  await expect.poll(() => page.locator('h1').innerText()).toBe('Upload a recording');
  await check(`${label}: describe`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(() => page.title()).toMatch(/^Error: /);
  await check(`${label}: describe with errors`);
  await page.getByLabel('Recording of the conference').check();
  await page.getByLabel('Microsoft Teams recording').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(() => page.locator('h1').innerText()).toBe('Send the recording file');
  await check(`${label}: send the file`);
  return /\/recordings\/([0-9a-f-]{36})\/upload$/.exec(new URL(page.url()).pathname)![1]!;
}

// Business support uploads an MS Teams file twice: with JavaScript (tus, hashed in the browser,
// surviving a page reload and a dropped connection) and without (a plain multipart form).
describe('uploading a recording in a real browser', () => {
  let h: BrowserHarness;
  let fx: FixtureDir;
  let file: string;
  let bytes: Buffer;
  let g: SiblingGroupConference;
  let support: Actor;
  let list: string;

  beforeAll(async () => {
    fx = await fixtureDir('cpcr-browser-upload-');
    await toneWav(fx.file('tone.wav'), { seconds: 3 });
    file = await encode(fx.file('tone.wav'), fx.file('teams-meeting.m4a'), ['-c:a', 'aac', '-b:a', '64k']);
    bytes = await readFile(file);
    h = await startBrowserHarness();
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    const sw = await staff(h.ctx, 'Sam Social', ['social_worker']);
    g = await siblingGroupConference(h.ctx, { socialWorker: sw, status: 'in-progress' });
    list = `/conferences/${g.conferenceId}/recordings`;
  });
  afterAll(async () => {
    await h?.close();
    await fx?.cleanup();
  });

  it('with JavaScript: sent with tus, its SHA-256 worked out in the browser, resumed after a reload and a dropped connection', async () => {
    const { page } = h;
    const requests: string[] = [];
    const log = (r: Request) => {
      if (new URL(r.url()).pathname.startsWith('/uploads/recordings')) requests.push(r.method());
    };
    page.on('request', log);

    await signIn(page, 'bo.support@example.gov.uk', h.ctx);
    await page.goto(list);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Recordings');
    await expectAccessible(h, 'recordings: none yet');
    const rid = await describeTheFile(page, (label) => expectAccessible(h, label), 'js');
    expect(await page.locator('#upload-method').innerText()).toContain(
      'Your browser works out the file’s SHA-256 first',
    );

    // Nothing chosen: the script shows the error as the server would.
    await page.getByRole('button', { name: 'Send the file' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Select the recording file');
    expect(await page.locator('#file-error').innerText()).toContain('Select the recording file');
    await expectAccessible(h, 'js: no file chosen');

    // The connection drops every time the bytes are sent: the page keeps trying, asking the server
    // where to carry on from each time.
    const failPatches = (route: Route) =>
      route.request().method() === 'PATCH' ? route.abort('connectionreset') : route.continue();
    await page.route('**/uploads/recordings/*', failPatches);
    await page.getByLabel('Recording file').setInputFiles(file);
    await page.getByRole('button', { name: 'Send the file' }).click();
    await expect
      .poll(() => requests.filter((m) => m === 'PATCH').length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    expect(await page.locator('#upload-status').innerText()).toBe('The connection was lost. Trying again…');
    expect(requests.slice(0, 4)).toEqual(['POST', 'PATCH', 'HEAD', 'PATCH']);
    expect(await page.locator('#upload-progress').isVisible()).toBe(true);
    await expectAccessible(h, 'js: connection lost');
    expect(
      (await h.ctx.services.recordings.detail(support, { actor: { id: support.id, label: support.name } }, rid))
        .recording.clientSha256,
    ).toBe(sha(bytes));

    // The page is reloaded while it is still trying; leaving asks first.
    let warned = false;
    page.once('dialog', (dialog) => {
      warned = dialog.type() === 'beforeunload';
      void dialog.accept();
    });
    await page.reload();
    expect(warned).toBe(true);
    await page.unroute('**/uploads/recordings/*', failPatches);
    await expect
      .poll(() => page.locator('#upload-status').innerText())
      .toContain('You have started sending a file for this recording');
    await expectAccessible(h, 'js: after a reload');

    // Choosing the same file again carries on with the same upload: no new one is created.
    const before = requests.length;
    await page.getByLabel('Recording file').setInputFiles(file);
    await page.getByRole('button', { name: 'Send the file' }).click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 30_000 }).toBe(`/recordings/${rid}`);
    page.off('request', log);
    expect(requests.slice(before)).toEqual(['HEAD', 'PATCH']);
    expect(requests.filter((m) => m === 'POST')).toHaveLength(1);
    const detail = await h.ctx.services.recordings.detail(
      support,
      { actor: { id: support.id, label: support.name } },
      rid,
    );
    expect(detail.recording).toMatchObject({
      status: 'stored',
      originalSha256: sha(bytes),
      clientSha256: sha(bytes),
      container: 'mp4',
    });
    // The browser forgets the finished upload.
    expect(
      await page.evaluate(() => Object.keys(globalThis.localStorage).filter((k) => k.includes('cpcr-recording'))),
    ).toEqual([]);

    await page.goto(list);
    await expect.poll(() => page.locator('main').innerText()).toContain('Stored');
    await expectAccessible(h, 'recordings: one stored');
    await page.goto(`/recordings/${rid}/evidence`);
    expect(await page.locator('main').innerText()).toContain(sha(bytes));
    await expectAccessible(h, 'evidence');
    await page.getByRole('button', { name: 'Check integrity now' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').innerText())
      .toContain('The integrity check passed');
    await expectAccessible(h, 'evidence: checked');
    await page.getByRole('link', { name: 'Export the original' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Export the original recording');
    await expectAccessible(h, 'export');
    await page.getByRole('button', { name: 'Export the original' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(h, 'export: no reason');
    await page.getByLabel('Why do you need a copy of the original?').fill('Court order C-42');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export the original' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`recording-2026-03-02-${rid.slice(0, 8)}.mp4`);
    expect(sha(await readFile((await download.path())!))).toBe(sha(bytes));
  });

  it('without JavaScript: the plain form sends the file; its errors are the server’s', async () => {
    const context = await h.browser.newContext({ baseURL: h.baseUrl, javaScriptEnabled: false });
    const page = await context.newPage();
    const check = accessibleWithoutJs(h, page);
    const tusCalls: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/uploads/recordings')) tusCalls.push(r.method());
    });
    try {
      await signIn(page, 'bo.support@example.gov.uk', h.ctx);
      await page.goto(list);
      await check('no js: recordings');
      const rid = await describeTheFile(page, check, 'no js');
      await page.getByRole('button', { name: 'Send the file' }).click();
      await expect.poll(() => page.title()).toMatch(/^Error: /);
      expect(await page.locator('.govuk-error-summary').innerText()).toContain('Select the recording file');
      await check('no js: no file chosen');
      await page.getByLabel('Recording file').setInputFiles(file);
      await page.getByRole('button', { name: 'Send the file' }).click();
      await page.waitForURL((u) => u.pathname === `/recordings/${rid}`, { timeout: 30_000 });
      expect(tusCalls).toEqual([]);
      const detail = await h.ctx.services.recordings.detail(
        support,
        { actor: { id: support.id, label: support.name } },
        rid,
      );
      expect(detail.recording).toMatchObject({ status: 'stored', originalSha256: sha(bytes), clientSha256: null });
      await page.goto(list);
      await check('no js: recordings, two stored');
      expect((await page.locator('main').innerText()).match(/Stored/g)?.length).toBeGreaterThanOrEqual(2);
    } finally {
      await context.close();
    }
  });
});
