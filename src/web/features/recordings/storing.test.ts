import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { conferenceParts } from '../../../infra/db/schema.ts';
import { fixtureDir, type FixtureDir, toneWav, undecodableWav } from '../../../../test/support/audio-fixtures.ts';
import {
  seedConference,
  siblingGroupConference,
  type SiblingGroupConference,
} from '../../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { addChild, auditRows, emailOf, staff } from '../../../../test/support/people.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, requestId: 'test' });

/** A row of a summary list, as text with tags removed. */
function summaryRow(html: string, key: string): string | null {
  const m = new RegExp(
    `<dt class="govuk-summary-list__key">\\s*${key.replace(/[()]/g, '\\$&')}\\s*</dt>\\s*<dd class="govuk-summary-list__value">([\\s\\S]*?)</dd>`,
  ).exec(html);
  return m
    ? m[1]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    : null;
}

/** The text inside the element with this id (to its first closing tag of the same name). */
function textOf(html: string, id: string): string {
  const m = new RegExp(`<([a-z]+)\\b[^>]*\\sid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  if (!m) throw new Error(`no element #${id}`);
  return m[2]!
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-storing-web-');
  await toneWav(fx.file('meeting.wav'), { seconds: 4 });
  await writeFile(fx.file('notes.mp3'), 'Typed notes, not a recording.\n'.repeat(40));
});
afterAll(async () => {
  await fx?.cleanup();
});

describe.each(testDatabases())(
  'a recording being checked and stored, one not stored, and recording names (%s)',
  (kind) => {
    let ctx: TestContext;
    let app: FastifyInstance;
    let support: Actor;
    let sw: Actor;
    let otherSw: Actor;
    let supportClient: WebClient;
    let swClient: WebClient;
    let otherClient: WebClient;
    let g: SiblingGroupConference;

    const clientFor = async (actor: Actor) =>
      (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;

    /** Sends a file for the conference; with manual ingest it waits in `processing` until `ingest` runs. */
    async function upload(file: string, source = 'teams', partId: string = g.partId): Promise<string> {
      const r = await ctx.services.recordings.createUpload(support, as(support), g.conferenceId, {
        kind: 'meeting',
        source,
        partId,
      });
      const copy = path.join(ctx.dataDir, `upload-${r.id}`);
      await copyFile(file, copy);
      await ctx.services.recordings.completeUpload(support, as(support), r.id, copy);
      return r.id;
    }

    beforeAll(async () => {
      ctx = await createTestServices(kind, {}, { ingest: 'manual' });
      app = await testApp(ctx);
      support = await staff(ctx, 'Bo Support', ['business_support']);
      sw = await staff(ctx, 'Sam Worker', ['social_worker']);
      otherSw = await staff(ctx, 'Olu Other', ['social_worker']);
      g = await siblingGroupConference(ctx, { socialWorker: sw, chair: null, status: 'in-progress' });
      [supportClient, swClient, otherClient] = await Promise.all([
        clientFor(support),
        clientFor(sw),
        clientFor(otherSw),
      ]);
    });
    afterAll(async () => {
      await app.close();
      await ctx.dispose();
    });

    it('“Checking and storing” updates a live region from a status route (no meta refresh), with a refresh link without JavaScript; polls are not audited but denials are', async () => {
      const rid = await upload(fx.file('meeting.wav'));
      const page = await swClient.get(`/recordings/${rid}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toMatch(/http-equiv="refresh"/i);
      expect(page.body).toMatch(/<div id="recording-status" role="status" aria-live="polite">/);
      expect(textOf(page.body, 'recording-status-text')).toMatch(
        /^The recording is being checked, encrypted and stored\./,
      );
      expect(page.body).toContain(
        `<a class="govuk-link" id="recording-status-link" href="/recordings/${rid}">Refresh to see whether it is stored</a>`,
      );
      expect(page.body).toContain(`data-status-url="/recordings/${rid}/status"`);
      expect(page.body).toContain('<script type="module" src="/static/recording-status.js"></script>');
      expect((await swClient.get('/static/recording-status.js')).statusCode).toBe(200);

      const polled = await swClient.get(`/recordings/${rid}/status`);
      expect(polled.statusCode).toBe(200);
      expect(polled.headers['cache-control']).toBe('no-store');
      expect(polled.json()).toMatchObject({ status: 'processing', done: false, href: `/recordings/${rid}` });

      await ctx.services.recordings.ingest(rid);
      // R-3: acknowledged as stored safely as soon as it is encrypted and flushed; the page waits on while it is
      // prepared for playback (the next job), and says so.
      const preparing = await swClient.get(`/recordings/${rid}/status`);
      expect(preparing.json()).toMatchObject({ status: 'stored', playable: 'preparing', done: false });
      expect(preparing.json().text).toMatch(/^The recording is stored safely: .* It is being prepared for playback/);
      const preparingPage = await swClient.get(`/recordings/${rid}`);
      expect(textOf(preparingPage.body, 'recording-status-text')).toMatch(/^The recording is stored safely/);
      expect(preparingPage.body).toContain('recording-status.js');
      expect(preparingPage.body).not.toContain(`href="/recordings/${rid}/listen"`);
      await ctx.services.recordings.makePlayable(rid);
      const stored = await swClient.get(`/recordings/${rid}/status`);
      expect(stored.json()).toEqual({
        status: 'stored',
        playable: 'ready',
        done: true,
        text: 'The recording is stored.',
        linkText: 'Show the stored recording',
        href: `/recordings/${rid}`,
      });
      // The stored page has nothing left to wait for.
      const after = await swClient.get(`/recordings/${rid}`);
      expect(after.body).not.toContain('recording-status.js');
      expect(summaryRow(after.body, 'Status')).toBe('Stored');

      // Same access check as the page: another child's social worker is refused, and that is audited.
      expect((await otherClient.get(`/recordings/${rid}/status`)).statusCode).toBe(403);
      const statusAudits = await auditRows(ctx, 'recording.status');
      expect(statusAudits.filter((r) => r.outcome === 'denied')).toHaveLength(1);
      expect(statusAudits.filter((r) => r.outcome === 'success')).toHaveLength(0);
      expect((await swClient.get('/recordings/not-a-uuid/status')).statusCode).toBe(404);
    });

    it('the “Not stored” page says why and links to upload again for the same conference', async () => {
      const rid = await upload(fx.file('notes.mp3'), 'dictaphone');
      await ctx.services.recordings.ingest(rid);
      const page = await supportClient.get(`/recordings/${rid}`);
      expect(summaryRow(page.body, 'Status')).toBe('Not stored');
      expect(textOf(page.body, 'not-stored-why')).toMatch(
        /could not be stored as a recording: it is checked by decoding it/,
      );
      expect(page.body).toContain(
        `<a class="govuk-link" href="/conferences/${g.conferenceId}/recordings/upload">Upload the recording again</a>`,
      );
      // Those who cannot upload are not offered it.
      expect((await swClient.get(`/recordings/${rid}`)).body).not.toContain(
        `/conferences/${g.conferenceId}/recordings/upload"`,
      );
      const status = await swClient.get(`/recordings/${rid}/status`);
      expect(status.json()).toMatchObject({ status: 'rejected', done: true, linkText: 'Show why and what to do' });
    });

    it('names each recording by conference type, date, part, number and where it was made on the list, recording and evidence pages', async () => {
      const [second] = await ctx.services.database.db
        .insert(conferenceParts)
        .values({
          conferenceId: g.conferenceId,
          ordinal: 2,
          label: 'Part 2: Ava with the chair',
          startOffsetMinutes: 120,
          durationMinutes: 30,
        })
        .returning({ id: conferenceParts.id });
      const inPart2 = await upload(fx.file('meeting.wav'), 'dictaphone', second!.id);
      await ctx.services.recordings.ingest(inPart2);
      await ctx.services.recordings.makePlayable(inPart2);
      const list = await supportClient.get(`/conferences/${g.conferenceId}/recordings`);
      expect(list.statusCode).toBe(200);
      const links = [
        ...list.body.matchAll(/<a class="govuk-link" href="\/recordings\/[0-9a-f-]{36}">([^<]+)<\/a>/g),
      ].map((m) => m[1]);
      // The first test's stored Teams file is recording 1 of part 1; the file not stored takes no number.
      expect(links).toEqual([
        'Initial child protection conference, 2 March 2026, part 1: Whole conference (Microsoft Teams recording)',
        'Initial child protection conference, 2 March 2026, part 1: Whole conference (dictaphone or room recorder)',
        'Initial child protection conference, 2 March 2026, part 2: Ava with the chair (dictaphone or room recorder)',
      ]);
      const name =
        'Initial child protection conference, 2 March 2026, part 2: Ava with the chair (dictaphone or room recorder)';
      // The conference's own page names its recordings too (not the one not stored).
      const conferencePage = await swClient.get(`/conferences/${g.conferenceId}`);
      expect(conferencePage.statusCode).toBe(200);
      const onConference = conferencePage.body.split('id="conference-recordings"')[1]!.split('</ul>')[0]!;
      expect(
        [...onConference.matchAll(/<a class="govuk-link" href="\/recordings\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map(
          (m) => m[1],
        ),
      ).toEqual([links[0], name]);
      expect(summaryRow((await swClient.get(`/recordings/${inPart2}`)).body, 'Name')).toBe(name);
      expect(summaryRow((await swClient.get(`/recordings/${inPart2}/evidence`)).body, 'Name')).toBe(name);

      // The chair (or business support) may add a short label to the name; it is audited and shown on the evidence page.
      const url = `/recordings/${inPart2}/label`;
      const form = await supportClient.get(url);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain(name);
      const tooLong = await supportClient.post(url, { label: 'x'.repeat(81) }, { fromPage: url });
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.body).toContain('The label must be 80 characters or fewer');
      expect(tooLong.body).toContain(`value="${'x'.repeat(81)}"`); // nothing typed is lost
      expect((await supportClient.post(url, { label: 'after the fire alarm' }, { csrf: false })).statusCode).toBe(403);
      expect((await swClient.get(url)).statusCode).toBe(403); // the social worker may not label it
      const saved = await supportClient.post(url, { label: '  after the   fire alarm ' }, { fromPage: url });
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe(`/recordings/${inPart2}?done=label`);
      const labelled =
        'Initial child protection conference, 2 March 2026, part 2: Ava with the chair, after the fire alarm (dictaphone or room recorder)';
      const labelledPage = await supportClient.get(`/recordings/${inPart2}?done=label`);
      expect(summaryRow(labelledPage.body, 'Name')).toContain(labelled);
      expect(labelledPage.body).toContain('The recording’s label is saved.');
      expect((await auditRows(ctx, 'recording.labelled')).map((r) => r.details)).toEqual([
        { label: 'after the fire alarm' },
      ]);
      expect((await swClient.get(`/recordings/${inPart2}/evidence`)).body).toContain('Label: after the fire alarm');
      // Blank takes it away.
      await supportClient.get(url);
      await supportClient.post(url, { label: ' ' }, { fromPage: url });
      expect(summaryRow((await swClient.get(`/recordings/${inPart2}`)).body, 'Name')).toBe(name);

      // A-3: the chair's referral offers the stored recordings of the meeting by the same names, with their length.
      const chair = await staff(ctx, 'Cal Chair', ['chair']);
      const chairClient = await clientFor(chair);
      const received = await ctx.services.requests.receive(
        support,
        {
          conferenceId: g.conferenceId,
          receivedOn: '2026-03-02',
          requester: { type: 'pr-holder', personId: g.people.mother },
          chairId: chair.id,
        },
        as(support),
      );
      const referralPage = await chairClient.get(`/requests/${received.id}/referral`);
      expect(referralPage.statusCode).toBe(200);
      const choices = [
        ...referralPage.body.matchAll(
          /<label class="govuk-label govuk-checkboxes__label" for="recordingIds[^"]*">\s*([^<]+?)\s*<\/label>/g,
        ),
      ].map((m) => m[1]);
      expect(choices).toEqual([
        expect.stringMatching(
          /^Initial child protection conference, 2 March 2026, part 1: Whole conference \(Microsoft Teams recording\), 0:04 long$/,
        ),
        `${name}, 0:04 long`,
      ]);

      // R-4: the child's record lists the recordings of the child's conferences by the same names (not those not stored), audited.
      const record = await swClient.get(`/children/${g.children.ben}`);
      expect(record.statusCode).toBe(200);
      const section = record.body.split('id="recordings"')[1]!.split('<h2')[0]!;
      expect(
        [...section.matchAll(/<a class="govuk-link" href="\/recordings\/([0-9a-f-]{36})">([^<]+)<\/a>/g)].map(
          (m) => m[2],
        ),
      ).toEqual([
        'Initial child protection conference, 2 March 2026, part 1: Whole conference (Microsoft Teams recording)',
        name,
      ]);
      // The view of the record is audited once, naming the recordings seen.
      expect((await auditRows(ctx, 'child.view')).at(-1)).toMatchObject({
        subjectType: 'child',
        subjectId: g.children.ben,
        outcome: 'success',
        details: {
          recordingIds: [...section.matchAll(/href="\/recordings\/([0-9a-f-]{36})"/g)].map((m) => m[1]),
        },
      });
      // Another child's social worker sees neither the record nor its recordings.
      expect((await otherClient.get(`/children/${g.children.ben}`)).statusCode).toBe(403);
    });

    it('R-4: a child’s record leaves out the recordings of a conference with a sibling this person may not see', async () => {
      // Rae's record is restricted to her social worker and business support; Ava's social worker cannot see it.
      const rae = await addChild(ctx, otherSw, {
        givenNames: 'Rae',
        familyName: 'Okafor',
        restricted: true,
        namedStaffIds: [support.id],
      });
      const both = await seedConference(ctx, { childIds: [g.children.ava, rae], status: 'in-progress' });
      const r = await ctx.services.recordings.createUpload(support, as(support), both.conferenceId, {
        kind: 'meeting',
        source: 'teams',
        partId: both.partId,
      });
      const copy = path.join(ctx.dataDir, `upload-${r.id}`);
      await copyFile(fx.file('meeting.wav'), copy);
      await ctx.services.recordings.completeUpload(support, as(support), r.id, copy);
      await ctx.services.recordings.ingest(r.id);

      const swView = await swClient.get(`/children/${g.children.ava}`);
      expect(swView.statusCode).toBe(200);
      expect(swView.body).not.toContain(`/recordings/${r.id}"`);
      const supportView = await supportClient.get(`/children/${g.children.ava}`);
      expect(supportView.body).toContain(
        `<a class="govuk-link" href="/recordings/${r.id}">Initial child protection conference, 2 March 2026 (Microsoft Teams recording)</a>`,
      );
    });

    it('R-3: audio found undecodable after it was stored safely says so on its page and the list, and is not offered for listening', async () => {
      await writeFile(fx.file('undecodable.wav'), undecodableWav());
      const rid = await upload(fx.file('undecodable.wav'), 'dictaphone');
      await ctx.services.recordings.ingest(rid);
      expect(await ctx.services.recordings.makePlayable(rid)).toBe('undecodable');
      const page = await supportClient.get(`/recordings/${rid}`);
      expect(page.statusCode).toBe(200);
      expect(summaryRow(page.body, 'Status')).toBe('Stored');
      const plain = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      expect(plain).toMatch(
        /stored safely, but it cannot be played: The recording is incomplete or damaged.*kept exactly as it arrived, encrypted/,
      );
      expect(page.body).not.toContain(`href="/recordings/${rid}/listen"`);
      expect(page.body).not.toContain('recording-status.js');
      const status = await swClient.get(`/recordings/${rid}/status`);
      expect(status.json()).toMatchObject({ status: 'stored', playable: 'undecodable', done: true });
      expect((await supportClient.get(`/conferences/${g.conferenceId}/recordings`)).body).toContain(
        'Stored safely, but it cannot be played',
      );
    });
  },
);
