import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { emailOf, staff } from '../support/people.ts';
import { fixtureDir, type FixtureDir, toneWav } from '../support/audio-fixtures.ts';
import { siblingGroupConference } from '../support/conferences.ts';
import { type BrowserHarness, startBrowserHarness } from './browser.ts';
import { arrive, signIn } from './journey-steps.ts';

// The copy's progress page updates a live region from a small JSON status instead of reloading itself
// (a reload loses a screen reader's place). The copy is made at once in tests, so its row is set back
// to "running" to watch the page follow it, as it would a two-hour recording.

describe('the copy’s progress, followed without reloading the page', () => {
  let h: BrowserHarness;
  let fx: FixtureDir;
  let support: Actor;
  let copyUrl: string;
  let copyId: string;
  const by = (a: Actor) => ({ actor: { id: a.id, label: a.name } });
  const setCopy = (state: string, percent: number) =>
    h.ctx.services.database.execute(
      'update disclosure_copies set state = $1, percent = $2, updated_at = now() where id = $3',
      [state, percent, copyId],
    );

  beforeAll(async () => {
    h = await startBrowserHarness();
    fx = await fixtureDir('cpcr-copy-progress-');
    h.ctx.clock.current = new Date('2026-05-11T09:00:00Z');
    const chair = await staff(h.ctx, 'Chris Chair', ['chair']);
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    const sw = await staff(h.ctx, 'Sam Social', ['social_worker']);
    const g = await siblingGroupConference(h.ctx, { socialWorker: sw, chair, status: 'held' });
    const upload = await h.ctx.services.recordings.createUpload(support, by(support), g.conferenceId, {
      kind: 'meeting',
      source: 'dictaphone',
      partId: g.partId,
    });
    const staged = path.join(h.ctx.dataDir, `upload-${upload.id}`);
    await copyFile(await toneWav(fx.file('meeting.wav'), { seconds: 6 }), staged);
    await h.ctx.services.recordings.completeUpload(support, by(support), upload.id, staged);
    await h.ctx.services.recordings.confirmStatement(chair, by(chair), upload.id, {
      location: 'Room 4, County Hall',
      recordedOn: '2026-03-02',
      startedAt: '10:00',
      endedAt: '11:30',
      context: 'Initial child protection conference for Ava and Ben.',
      speakers: [{ name: 'Chris Chair', role: 'Conference chair' }],
      breaks: [],
    });
    const svc = h.ctx.services.requests;
    const received = await svc.receive(
      support,
      {
        conferenceId: g.conferenceId,
        receivedOn: '2026-05-11',
        requester: { type: 'pr-holder', personId: g.people.mother },
      },
      by(support),
    );
    const id = received.id;
    let v = (
      await svc.refer(
        chair,
        id,
        received.version,
        {
          childIds: [g.children.ava, g.children.ben],
          email: 'grace.private@example.org',
          emailVerified: true,
          nothingWithheld: true,
          recordingIds: [upload.id],
        },
        by(chair),
      )
    ).version;
    v = (await svc.resolveQueries(support, id, v, null, by(support))).version;
    v = (
      await svc.checkRecording(
        support,
        id,
        v,
        { partsListened: '0:00 to 0:06', confirmedRightRecording: true },
        by(support),
      )
    ).version;
    v = (await svc.requestVerification(support, id, v, by(support))).version;
    await svc.recordVerification(
      support,
      id,
      v,
      {
        emailConfirmedSecure: true,
        children: [
          { fullName: 'Ava Okafor', dateOfBirth: '2013-05-10' },
          { fullName: 'Ben Okafor', dateOfBirth: '2019-08-01' },
        ],
      },
      by(support),
    );
    const plan = await svc.disclosurePlan(support, id, by(support));
    ({ copyId } = await h.ctx.services.disclosureCopies.start(
      support,
      { requestId: id, conferenceId: plan.conferenceId, recordingIds: plan.recordingIds, withheld: plan.withheld },
      by(support),
    ));
    copyUrl = `/requests/${id}/copies/${copyId}`;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await fx?.cleanup();
  });

  it('reads the progress into a live region as it changes, the page never reloading, then offers the way on', async () => {
    const { page } = h;
    page.setDefaultTimeout(20_000);
    await signIn(h, emailOf(support));
    await setCopy('running', 40);
    await page.goto(copyUrl);
    await arrive(h, 'Preparing the copy', 'the copy, being made');
    const region = page.locator('#copy-progress-text');
    expect(await region.getAttribute('role')).toBe('status');
    expect(await region.innerText()).toBe('40% done');
    // Marks this page load: a reload would lose it.
    await page.evaluate('window.__sameLoad = true');
    await setCopy('running', 70);
    // The script asks every 3 seconds.
    await expect.poll(() => region.innerText(), { timeout: 15_000 }).toBe('70% done');
    expect(await page.locator('#copy-progress').getAttribute('value')).toBe('70');
    await setCopy('ready', 100);
    await expect.poll(() => region.innerText(), { timeout: 15_000 }).toBe('The copy is ready.');
    expect(await page.evaluate('window.__sameLoad === true')).toBe(true);
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    await page.getByRole('link', { name: 'Continue to the copy' }).click();
    await arrive(h, 'The copy is ready', 'the copy, ready');
    expect(await page.getByRole('button', { name: 'Record the copy as prepared' }).count()).toBe(1);
  });
});
