/**
 * Recordings that need attention in a real browser: live recordings begun in the browser, given audio and
 * never stopped, are listed a week later for business support and for the conference's chair, who discard them with
 * a reason (none is refused on the field), or stop one from its own page, which says it is stuck. Every page is checked with axe and at a 375 px phone's width.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../support/conferences.ts';
import { emailOf, staff } from '../support/people.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { arrive, expectFieldError, saved, signIn, signOut } from './journey-steps.ts';

describe('recordings that need attention, in a real browser (R-3, R-4)', () => {
  let h: BrowserHarness;
  let chair: Actor;
  let support: Actor;
  let g: SiblingGroupConference;
  const live: string[] = [];

  beforeAll(async () => {
    h = await startBrowserHarness();
    h.ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    chair = await staff(h.ctx, 'Cal Chair', ['chair']);
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    const sw = await staff(h.ctx, 'Sam Worker', ['social_worker']);
    g = await siblingGroupConference(h.ctx, { socialWorker: sw, chair, status: 'in-progress' });
    const as = { actor: { id: support.id, label: support.name }, requestId: 'test' };
    // Three live recordings, each given a little audio, then left: a week and a day later they are stuck.
    for (let i = 0; i < 3; i += 1) {
      const started = await h.ctx.services.recordings.startLive(support, as, g.conferenceId, { kind: 'meeting' });
      await h.ctx.services.recordings.appendChunk(support, as, started.id, { seq: 0, bytes: Buffer.alloc(4000, 1) });
      live.push(started.id);
    }
    h.ctx.clock.advance(8 * 86_400_000);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const statusOf = async (rid: string) =>
    (await h.ctx.services.recordings.status(support, { actor: { id: support.id, label: 'test' } }, rid)).status;

  it('R-4: a stuck recording’s own page says it was never stopped, links to the list, and business support stop it from there; the page passes axe and fits a phone', async () => {
    const { page } = h;
    await signIn(h, emailOf(support));
    await page.goto(`/conferences/${g.conferenceId}/recordings`);
    await arrive(h, 'Recordings', 'the conference’s recordings, three stuck (business support)', { contains: true });
    await page.locator(`a[href="/recordings/${live[2]}"]`).first().click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/recordings/${live[2]}`);
    const banner = page.locator('#needs-attention');
    await expect.poll(() => banner.innerText()).toContain('This live recording was never stopped');
    expect(await banner.getByRole('link', { name: 'See all recordings that need attention' }).count()).toBe(1);
    await expectAccessible(h, 'the stuck live recording’s own page, with its banner (business support)');
    await page.getByRole('button', { name: 'Stop and store it' }).click();
    await expect.poll(() => statusOf(live[2]!)).not.toBe('receiving');
    await expect.poll(() => page.locator('main').innerText()).not.toContain('never stopped');
    // Stored, or (this test's few bytes are not audio that decodes) the recorder page says why it was not stored.
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/recordings/${live[2]}(/live)?$`));
    await expectAccessible(h, 'the stopped recording, stored or not (business support)');
    await page.goto('/recordings/attention');
    await arrive(h, 'Recordings that need attention', 'needing attention, one stopped (business support)');
    expect(await page.locator(`a[href="/recordings/${live[2]}"]`).count()).toBe(0);
    await signOut(h, 'business support');
  });

  it('R-4: business support and the chair find the stuck live recordings and discard each with a reason; every page passes axe and fits a phone', async () => {
    const { page } = h;
    await signIn(h, emailOf(support));
    await page.goto(`/conferences/${g.conferenceId}/recordings`);
    await arrive(h, 'Recordings', 'the conference’s recordings (business support)', { contains: true });
    await page.getByRole('link', { name: 'Recordings that need attention' }).click();
    await arrive(h, 'Recordings that need attention', 'needing attention (business support)');
    expect(await page.locator('#live-unfinished ~ *').first().innerText()).toContain('a week after they began');
    for (const rid of live.slice(0, 2))
      expect(await page.locator(`a[href="/recordings/${rid}/discard"]`).count()).toBe(1);

    await page.locator(`a[href="/recordings/${live[0]}/discard"]`).click();
    await arrive(h, 'Discard this live recording', 'discard (business support)', { contains: true });
    await page.getByRole('button', { name: 'Discard the recording' }).click();
    await expectFieldError(h, 'discard, no reason', 'Enter why the recording is discarded', 'reason');
    await page
      .getByLabel('Why is this recording discarded?')
      .fill('Started by mistake; the meeting was recorded on Teams');
    await page.getByRole('button', { name: 'Discard the recording' }).click();
    await saved(h, 'The recording is discarded.', 'needing attention, one discarded');
    expect(await page.locator(`a[href="/recordings/${live[0]}/discard"]`).count()).toBe(0);
    expect(await statusOf(live[0]!)).toBe('rejected');
    await signOut(h, 'business support');

    // The conference's chair sees the one left, from the same list, and discards it.
    await signIn(h, emailOf(chair));
    await page.goto('/recordings/attention');
    await arrive(h, 'Recordings that need attention', 'needing attention (chair)');
    await page.locator(`a[href="/recordings/${live[1]}"]`).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/recordings/${live[1]}`);
    await expectAccessible(h, 'the stuck live recording (chair)');
    await page.goBack();
    await page.locator(`a[href="/recordings/${live[1]}/discard"]`).click();
    await arrive(h, 'Discard this live recording', 'discard (chair)', { contains: true });
    await page.getByLabel('Why is this recording discarded?').fill('   ');
    await page.getByRole('button', { name: 'Discard the recording' }).click();
    await expectFieldError(h, 'discard, blank reason (chair)', 'Enter why the recording is discarded', 'reason');
    await page.getByLabel('Why is this recording discarded?').fill('A test of the microphone before the meeting');
    await page.getByRole('button', { name: 'Discard the recording' }).click();
    await saved(h, 'The recording is discarded.', 'needing attention, none left');
    await expect.poll(() => page.locator('main').innerText()).toContain('No live recording has been left unstopped');
    expect(await statusOf(live[1]!)).toBe('rejected');
    await signOut(h, 'the chair');
    expect(h.checked.length).toBeGreaterThanOrEqual(16);
  });
});
