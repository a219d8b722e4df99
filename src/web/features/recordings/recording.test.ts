import { createHash } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import {
  fixtureDir,
  type FixtureDir,
  encode,
  liveWebm,
  toneWav,
  truncatedCopy,
} from '../../../../test/support/audio-fixtures.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import { answerRange, FIRST_PIECE_BYTES, PIECE_BYTES, pieces } from './recording-range.ts';
import { fieldId } from './common.ts';
import { downsamplePeaks } from './recording-view.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, requestId: 'test' });

/** The error summary's links, as `#id: message`. */
function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

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

/** The text of a table body's rows, one string per row. */
function tableRows(html: string, id: string): string[] {
  const section = html.split(`id="${id}"`)[1]?.split('<h2')[0] ?? '';
  const body = /<tbody[\s\S]*?<\/tbody>/.exec(section)?.[0] ?? '';
  return [...body.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((m) =>
    m[0]
      .replace(/<span class="govuk-visually-hidden">[\s\S]*?<\/span>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

describe('Range requests (RFC 9110 §14): one range, suffixes, and what is ignored or refused', () => {
  it('answers single ranges, clipped to the end', () => {
    expect(answerRange('bytes=0-99', 1000)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(answerRange('bytes=990-2000', 1000)).toEqual({ kind: 'partial', start: 990, end: 999 });
    expect(answerRange('bytes=500-', 1000)).toEqual({ kind: 'partial', start: 500, end: 999 });
    expect(answerRange('bytes=999-999', 1000)).toEqual({ kind: 'partial', start: 999, end: 999 });
  });
  it('answers suffix ranges, the whole file when the suffix is longer than it', () => {
    expect(answerRange('bytes=-100', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(answerRange('bytes=-5000', 1000)).toEqual({ kind: 'partial', start: 0, end: 999 });
  });
  it('refuses (416) a range starting at or past the end, and an empty suffix', () => {
    expect(answerRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(answerRange('bytes=1000-1001', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(answerRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(answerRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });
  it('ignores (200, the whole file) several ranges, other units, invalid ranges and any If-Range', () => {
    for (const h of [
      'bytes=0-1,5-9',
      'items=0-5',
      'bytes=9-5',
      'bytes=a-b',
      'bytes=-',
      'bytes=1-2-3',
      `bytes=0-${'9'.repeat(30)}`,
    ]) {
      expect(answerRange(h, 1000), h).toEqual({ kind: 'full' });
    }
    expect(answerRange(undefined, 1000)).toEqual({ kind: 'full' });
    expect(answerRange('bytes=0-9', 1000, '"some-etag"')).toEqual({ kind: 'full' });
  });
  it('cuts a range into pieces of at most 1 MiB on 1 MiB boundaries, the first ending at the next 64 KiB chunk', () => {
    expect([...pieces(0, 9)]).toEqual([[0, 9]]);
    // The first piece is one chunk, so the first byte waits for one chunk's decryption, not sixteen.
    expect([...pieces(100, PIECE_BYTES * 2 + 5)]).toEqual([
      [100, FIRST_PIECE_BYTES - 1],
      [FIRST_PIECE_BYTES, PIECE_BYTES - 1],
      [PIECE_BYTES, PIECE_BYTES * 2 - 1],
      [PIECE_BYTES * 2, PIECE_BYTES * 2 + 5],
    ]);
    expect([...pieces(5, 4)]).toEqual([]);
  });
});

describe('form fields and the waveform’s peaks', () => {
  it('points each statement rule at its input (R-2)', () => {
    expect(fieldId('speakers[0].name')).toBe('speakers-0-name');
    expect(fieldId('breaks[2].participantChanges')).toBe('breaks-2-participantChanges');
    expect(fieldId('recordedOn')).toBe('recordedOn-day');
    expect(fieldId('speakers')).toBe('speakers-0-name');
    expect(fieldId('')).toBe('main-content');
  });
  it('keeps the largest peak of each stretch when there are more peaks than the waveform needs', () => {
    expect(downsamplePeaks([0.1, 0.9, 0.2, 0.3], 2)).toEqual([0.9, 0.3]);
    expect(downsamplePeaks([0.12345, 2], 10)).toEqual([0.123, 1]);
    expect(downsamplePeaks(Array.from({ length: 72_000 }, (_, i) => (i % 100) / 100))).toHaveLength(4000);
  });
});

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-recording-web-');
  // 150 s: the playback copy (64 kbit/s MP3) is larger than one 1 MiB piece.
  await toneWav(fx.file('meeting.wav'), { seconds: 150 });
  await encode(fx.file('meeting.wav'), fx.file('teams.m4a'), ['-c:a', 'aac', '-b:a', '64k']);
  await toneWav(fx.file('short.wav'), { seconds: 8 });
  await liveWebm(fx.file('short.wav'), fx.file('live.webm'));
  await truncatedCopy(fx.file('live.webm'), fx.file('live-cut.webm'), 0.7);
  await writeFile(fx.file('notes.mp3'), 'Typed notes, not a recording.\n'.repeat(40));
});
afterAll(async () => {
  await fx?.cleanup();
});

describe.each(testDatabases())('the recording pages (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let support: Actor;
  let sw: Actor;
  let otherSw: Actor;
  let chairClient: WebClient;
  let supportClient: WebClient;
  let swClient: WebClient;
  let otherClient: WebClient;
  let g: SiblingGroupConference;
  let rid: string;
  let base: string;

  const clientFor = async (actor: Actor) =>
    (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;

  async function upload(file: string, source = 'teams'): Promise<string> {
    const r = await ctx.services.recordings.createUpload(support, as(support), g.conferenceId, {
      kind: 'meeting',
      source,
      partId: g.partId,
    });
    const copy = path.join(ctx.dataDir, `upload-${r.id}`);
    await copyFile(file, copy);
    await ctx.services.recordings.completeUpload(support, as(support), r.id, copy);
    return r.id;
  }

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Other', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    [chairClient, supportClient, swClient, otherClient] = await Promise.all([
      clientFor(chair),
      clientFor(support),
      clientFor(sw),
      clientFor(otherSw),
    ]);
    rid = await upload(fx.file('teams.m4a'));
    base = `/recordings/${rid}`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('shows the recording’s facts, its hash and what each person may do with it', async () => {
    const bytes = await readFile(fx.file('teams.m4a'));
    const page = await supportClient.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Recording of the conference – ');
    expect(page.body).toContain('Initial child protection conference – 2 March 2026 – Ava Okafor and Ben Okafor');
    expect(summaryRow(page.body, 'Children')).toBe('Ava Okafor, Ben Okafor');
    expect(summaryRow(page.body, 'What it records')).toBe('Recording of the conference');
    expect(summaryRow(page.body, 'Made with')).toBe('Microsoft Teams recording');
    expect(summaryRow(page.body, 'Part of the conference')).toBe('Whole conference');
    expect(summaryRow(page.body, 'Status')).toBe('Stored');
    expect(page.body).toMatch(/<strong class="govuk-tag govuk-tag--green">\s*Stored\s*<\/strong>/);
    expect(summaryRow(page.body, 'Length')).toMatch(/^2:(29|30)$/);
    expect(summaryRow(page.body, 'Format')).toBe('AAC, in MP4, 48 kHz, mono');
    expect(summaryRow(page.body, 'SHA-256 of the original')).toBe(sha(bytes));
    expect(summaryRow(page.body, 'Size of the original')).toBe(`${bytes.length.toLocaleString('en-GB')} bytes`);
    expect(summaryRow(page.body, 'Confirmed')).toBe('Not confirmed yet');
    expect(page.body).toContain(`href="${base}/statement">Confirm the explanatory statement</a>`);
    expect(page.body).toContain(`href="${base}/evidence"`);
    expect(page.body).toContain(`href="${base}/original"`);
    expect(page.body).toContain(`href="${base}/listen"`);
    expect(page.body).toContain(`href="${base}/bookmarks/new"`);
    expect(page.body).toContain(`href="${base}/withheld/new"`);
    expect(page.body).not.toContain('ends abruptly');
    expect((await supportClient.get(`${base}?done=constructor`)).body).not.toContain('govuk-notification-banner');
    expect((await auditRows(ctx, 'recording.view')).some((r) => r.subjectId === rid)).toBe(true);

    // The children's social worker may see and listen, but not export or manage it.
    const swPage = await swClient.get(base);
    expect(swPage.statusCode).toBe(200);
    expect(swPage.body).toContain(`href="${base}/listen"`);
    expect(swPage.body).not.toContain(`href="${base}/original"`);
    expect(swPage.body).not.toContain(`href="${base}/statement"`);
    expect(swPage.body).not.toContain(`href="${base}/bookmarks/new"`);

    // Another child's social worker sees nothing of it; the denial is audited.
    expect((await otherClient.get(base)).statusCode).toBe(403);
    expect(
      (await auditRows(ctx, 'recording.view')).some((r) => r.subjectId === g.conferenceId && r.outcome === 'denied'),
    ).toBe(true);
    expect((await chairClient.get('/recordings/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await chairClient.get('/recordings/not-a-uuid')).statusCode).toBe(404);
  });

  it('shows why a file was not stored, and that a live recording ended abruptly, with its breaks (R-2)', async () => {
    const rejected = await upload(fx.file('notes.mp3'), 'dictaphone');
    const page = await chairClient.get(`/recordings/${rejected}`);
    expect(summaryRow(page.body, 'Status')).toBe('Not stored');
    expect(summaryRow(page.body, 'Why it was not stored')).toMatch(/not a sound or video recording/);
    expect(page.body).not.toContain(`/recordings/${rejected}/listen"`);
    expect(page.body).not.toContain('Confirm the explanatory statement');
    expect((await chairClient.get(`/recordings/${rejected}/listen`)).body).toContain(
      'This recording was not stored, so there is nothing to play',
    );

    const cut = await readFile(fx.file('live-cut.webm'));
    const svc = ctx.services.recordings;
    const live = await svc.startLive(chair, as(chair), g.conferenceId, { partId: g.partId, kind: 'meeting' });
    await svc.appendChunk(chair, as(chair), live.id, { seq: 0, bytes: cut.subarray(0, 6000) });
    ctx.clock.advance(60_000);
    await svc.pause(chair, as(chair), live.id, { atMs: 3_000, reason: 'Comfort break' });
    ctx.clock.advance(10 * 60_000);
    await svc.resume(chair, as(chair), live.id, { participantChanges: 'The father left' });
    await svc.appendChunk(chair, as(chair), live.id, { seq: 1, bytes: cut.subarray(6000) });
    await svc.stop(chair, as(chair), live.id);
    const livePage = await chairClient.get(`/recordings/${live.id}`);
    expect(summaryRow(livePage.body, 'Made with')).toBe('Recorded in this service');
    expect(livePage.body).toContain('This recording ends abruptly: the device sending it stopped part-way through.');
    expect(tableRows(livePage.body, 'breaks')).toEqual(['0:03 09:01 09:11 Comfort break The father left']);
    ctx.clock.advance(-11 * 60_000);
  });

  it('R-2: the statement is pre-filled, errors point at their fields, rows can be added, and a change needs a reason', async () => {
    const url = `${base}/statement`;
    const form = await chairClient.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/name="location"[^>]*value="Room 2, Civic Centre"/);
    expect(form.body).toMatch(/name="recordedOn-day"[^>]*value="2"/);
    expect(form.body).toMatch(/name="recordedOn-month"[^>]*value="3"/);
    expect(form.body).toMatch(/name="recordedOn-year"[^>]*value="2026"/);
    expect(form.body).toMatch(/name="startedAt"[^>]*value="10:00"/);
    expect(form.body).toMatch(/name="speakers-0-name"[^>]*value="Cal Chair"/);
    expect(form.body).toMatch(/name="speakers-0-role"[^>]*value="Conference chair"/);
    expect(form.body).toContain('name="speakers-2-name"'); // spare blank rows
    expect(form.body).not.toContain('name="changeReason"');

    const good: Record<string, string> = {
      location: 'Room 2, Civic Centre',
      'recordedOn-day': '2',
      'recordedOn-month': '3',
      'recordedOn-year': '2026',
      startedAt: '10:00',
      endedAt: '11:30',
      context: 'Initial child protection conference for Ava and Ben.',
      speakerRows: '3',
      'speakers-0-name': 'Cal Chair',
      'speakers-0-role': 'Conference chair',
      'speakers-1-name': '',
      'speakers-1-role': 'Social worker',
      breakRows: '1',
      'breaks-0-startedAt': '10:40',
      'breaks-0-endedAt': '10:30',
      'breaks-0-reason': 'Comfort break',
    };
    const bad = await chairClient.post(
      url,
      { ...good, 'recordedOn-year': '', endedAt: '09:00', 'breaks-0-endedAt': '10:30' },
      { fromPage: url },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<title>Error: /);
    expect(errorSummary(bad.body)).toEqual([
      '#recordedOn-day: The date of the recording must include a year',
      '#endedAt: The end time must be after the start time',
      '#speakers-1-name: Enter the speaker’s name',
      '#breaks-0-endedAt: The break must end after it started',
    ]);
    expect(bad.body).toContain('id="speakers-1-name-error"');
    expect(bad.body).toMatch(/name="speakers-1-role"[^>]*value="Social worker"/);

    // "Add another speaker" without JavaScript: the form again, one row longer, nothing lost or checked.
    const more = await chairClient.post(url, { ...good, add: 'speaker' }, { fromPage: url });
    expect(more.statusCode).toBe(200);
    expect(errorSummary(more.body)).toEqual([]);
    expect(more.body).toContain('name="speakers-3-name"');
    expect(more.body).toMatch(/name="speakerRows" value="4"/);
    expect(more.body).toMatch(/name="breaks-0-endedAt"[^>]*value="10:30"/);

    expect((await chairClient.post(url, { ...good, 'breaks-0-endedAt': '10:50' }, { csrf: false })).statusCode).toBe(
      403,
    );
    expect((await swClient.get(url)).statusCode).toBe(403);

    const ok = await chairClient.post(
      url,
      { ...good, 'speakers-1-name': 'Sam Worker', startedAt: '10am', 'breaks-0-endedAt': '10.50am' },
      { fromPage: url },
    );
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`${base}?done=statement#statement`);
    const page = await chairClient.get(`${base}?done=statement`);
    expect(page.body).toContain('The explanatory statement is confirmed.');
    expect(summaryRow(page.body, 'Confirmed')).toMatch(
      /^Version 1, confirmed by Cal Chair on 2 March 2026(,| at) 09:00$/,
    );
    expect(summaryRow(page.body, 'Main speakers')).toBe('Cal Chair, Conference chair Sam Worker, Social worker');
    expect(summaryRow(page.body, 'Breaks')).toBe('10:40 to 10:50: Comfort break');
    expect(page.body).toContain(`href="${url}">Change the explanatory statement</a>`);

    // A confirmed statement changes only as a new version with its reason.
    const again = await chairClient.get(url);
    expect(again.body).toContain('name="changeReason"');
    expect(again.body).toMatch(/Version 1 was confirmed by Cal Chair on 2 March 2026(,| at) 09:00\./);
    const noReason = await chairClient.post(
      url,
      { ...good, 'speakers-1-name': 'Sam Worker', 'breaks-0-endedAt': '10:50', location: 'Room 3', changeReason: ' ' },
      { fromPage: url },
    );
    expect(errorSummary(noReason.body)).toEqual([
      '#changeReason: Give the reason for changing the confirmed statement',
    ]);
    const changed = await chairClient.post(
      url,
      {
        ...good,
        'speakers-1-name': 'Sam Worker',
        'breaks-0-endedAt': '10:50',
        location: 'Room 3',
        changeReason: 'Wrong room',
      },
      { fromPage: url },
    );
    expect(changed.statusCode).toBe(303);
    const after = await chairClient.get(base);
    expect(summaryRow(after.body, 'Confirmed')).toMatch(/^Version 2, confirmed by Cal Chair/);
    expect(summaryRow(after.body, 'Reason for the change')).toBe('Wrong room');
    expect(summaryRow(after.body, 'Where it was made')).toBe('Room 3');
    // Seen by the social worker too, without the link to change it.
    const swView = await swClient.get(base);
    expect(summaryRow(swView.body, 'Where it was made')).toBe('Room 3');
    expect(swView.body).not.toContain('Change the explanatory statement');
  });

  it('adds bookmarks with errors on their fields and removes them; a social worker cannot', async () => {
    const url = `${base}/bookmarks/new`;
    const form = await chairClient.get(url);
    expect(form.statusCode).toBe(200);
    for (const label of [
      'Agenda item',
      'Decision',
      'Break',
      'Person joined',
      'Person left',
      'Exclusion started',
      'Exclusion ended',
    ])
      expect(form.body).toContain(label);
    const bad = await chairClient.post(`${base}/bookmarks`, { at: 'soon', label: '' }, { fromPage: url });
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual([
      '#at: The time of the bookmark must be a time in the recording such as 1:02:05',
      '#kind: Select what the bookmark marks',
      '#label: Enter a short description',
    ]);
    expect(bad.body).toMatch(/name="at"[^>]*value="soon"/);
    const late = await chairClient.post(
      `${base}/bookmarks`,
      { at: '9:00', kind: 'decision', label: 'Plan' },
      { fromPage: url },
    );
    expect(errorSummary(late.body)).toEqual([
      expect.stringMatching(/^#at: The time of the bookmark must be within the recording, which is 2:(29|30) long$/),
    ]);
    expect(late.body).toMatch(/value="decision" checked/);

    const ok = await chairClient.post(
      `${base}/bookmarks`,
      { at: '1:02', kind: 'decision', label: 'Plan agreed' },
      { fromPage: url },
    );
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`${base}?done=bookmark-added#bookmarks`);
    // From the player: a mistake shows the bookmark form, which leads back to the player; success returns there.
    const badFromPlayer = await supportClient.post(
      `${base}/bookmarks`,
      { at: '', kind: 'agenda-item', label: 'Introductions', returnTo: 'listen' },
      { fromPage: url },
    );
    expect(errorSummary(badFromPlayer.body)).toEqual(['#at: Enter the time of the bookmark']);
    expect(badFromPlayer.body).toContain('name="returnTo" value="listen"');
    expect(badFromPlayer.body).toContain(`href="${base}/listen#timeline"`);
    const fromPlayer = await supportClient.post(
      `${base}/bookmarks`,
      { at: '0:10', kind: 'agenda-item', label: 'Introductions', returnTo: 'listen' },
      { fromPage: url },
    );
    expect(fromPlayer.headers.location).toBe(`${base}/listen?done=bookmark-added#timeline`);
    // Anything else in returnTo goes back to the recording page: never a redirect elsewhere.
    const elsewhere = await supportClient.post(
      `${base}/bookmarks`,
      { at: '0:11', kind: 'note', label: 'x', returnTo: 'https://example.com/' },
      { fromPage: url },
    );
    expect(elsewhere.headers.location).toBe(`${base}?done=bookmark-added#bookmarks`);
    const x = (await ctx.services.recordings.detail(chair, as(chair), rid)).bookmarks.find((b) => b.label === 'x')!;
    await chairClient.post(`${base}/bookmarks/${x.id}/remove`, {}, { fromPage: base });
    expect((await swClient.get(`${base}/bookmarks`)).headers.location).toBe(`${base}#bookmarks`);
    expect((await swClient.get(`${base}/withheld`)).headers.location).toBe(`${base}#withheld`);
    const page = await chairClient.get(base);
    expect(tableRows(page.body, 'bookmarks')).toEqual([
      '0:10 Agenda item Introductions Bo Support Remove',
      '1:02 Decision Plan agreed Cal Chair Remove',
    ]);

    // A social worker of the children can read them but not add or remove them.
    expect((await swClient.get(url)).statusCode).toBe(403);
    const swPage = await swClient.get(base);
    expect(tableRows(swPage.body, 'bookmarks')).toEqual([
      '0:10 Agenda item Introductions Bo Support',
      '1:02 Decision Plan agreed Cal Chair',
    ]);
    expect(
      (await swClient.post(`${base}/bookmarks`, { at: '0:20', kind: 'note', label: 'Mine' }, { fromPage: base }))
        .statusCode,
    ).toBe(403);

    const detail = await ctx.services.recordings.detail(chair, as(chair), rid);
    const introductions = detail.bookmarks.find((b) => b.label === 'Introductions')!;
    expect(
      (await chairClient.post(`${base}/bookmarks/${introductions.id}/remove`, {}, { csrf: false })).statusCode,
    ).toBe(403);
    const removed = await chairClient.post(`${base}/bookmarks/${introductions.id}/remove`, {}, { fromPage: base });
    expect(removed.headers.location).toBe(`${base}?done=bookmark-removed#bookmarks`);
    expect(tableRows((await chairClient.get(base)).body, 'bookmarks')).toEqual([
      '1:02 Decision Plan agreed Cal Chair Remove',
    ]);
    expect(
      (await chairClient.post(`${base}/bookmarks/${introductions.id}/remove`, {}, { fromPage: base })).statusCode,
    ).toBe(404);
    expect((await auditRows(ctx, 'recording.bookmark_removed')).filter((r) => r.subjectId === rid)).toHaveLength(2);
  });

  it('marks parts as withheld from named people or the whole family, with errors on their fields', async () => {
    const url = `${base}/withheld/new`;
    const form = await supportClient.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Information confidential to one parent');
    expect(form.body).toContain(`value="${g.people.father}"`);
    expect(form.body).toContain('Daniel Mensah');
    const bad = await supportClient.post(
      `${base}/withheld`,
      { start: '0:30', end: '0:20', explanation: '' },
      { fromPage: url },
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual([
      '#end: The end of the withheld part must be after its start',
      '#reason: Select why this part must be withheld',
      '#explanation: Explain what is said in this part and why it must be withheld',
      '#audience: Select who must not hear this part',
    ]);
    const nobody = await supportClient.post(
      `${base}/withheld`,
      {
        start: '0:20',
        end: '0:30',
        reason: 'confidential-to-parent',
        explanation: 'Mother’s new address',
        audience: 'named',
      },
      { fromPage: url },
    );
    expect(errorSummary(nobody.body)).toEqual(['#personIds: Select who must not hear this part']);
    expect(nobody.body).toContain('id="personIds-error"');
    const ok = await supportClient.post(
      `${base}/withheld`,
      {
        start: '0:20',
        end: '0:30',
        reason: 'confidential-to-parent',
        explanation: 'Mother’s new address',
        audience: 'named',
        personIds: [g.people.father],
      },
      { fromPage: url },
    );
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`${base}?done=withheld-added#withheld`);
    await supportClient.post(
      `${base}/withheld`,
      { start: '1:00', end: '1:10', reason: 'police', explanation: 'Police intelligence', audience: 'all-family' },
      { fromPage: url },
    );
    const rows = tableRows((await chairClient.get(base)).body, 'withheld');
    expect(rows).toEqual([
      '0:20 0:30 Information confidential to one parent Mother’s new address Daniel Mensah Bo Support Remove',
      '1:00 1:10 Police information Police intelligence All family members and the children Bo Support Remove',
    ]);
    expect((await swClient.get(url)).statusCode).toBe(403);
    const police = (await ctx.services.recordings.detail(chair, as(chair), rid)).withheld.find(
      (w) => w.reason === 'police',
    )!;
    const removed = await chairClient.post(`${base}/withheld/${police.id}/remove`, {}, { fromPage: base });
    expect(removed.headers.location).toBe(`${base}?done=withheld-removed#withheld`);
    expect(tableRows((await chairClient.get(base)).body, 'withheld')).toHaveLength(1);
  });

  it('asks the children’s social worker why they need to listen (audited), then plays; another social worker is refused', async () => {
    const listen = `${base}/listen`;
    const ask = await swClient.get(listen);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Why do you need to listen to this recording?');
    expect(ask.body).not.toContain('<audio');
    const blocked = await swClient.get(`${base}/audio`);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.body).toContain('Give the reason you need to listen before playing the recording');
    expect(blocked.body).toContain(`href="${listen}"`);

    const blank = await swClient.post(listen, { reason: '  ' }, { fromPage: listen });
    expect(blank.statusCode).toBe(400);
    expect(errorSummary(blank.body)).toEqual(['#reason: Enter why you need to listen to the recording']);
    expect((await swClient.post(listen, { reason: 'Core group' }, { csrf: false })).statusCode).toBe(403);
    const ok = await swClient.post(listen, { reason: 'Preparing the core group meeting' }, { fromPage: listen });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(listen);
    expect((await auditRows(ctx, 'recording.played')).filter((r) => r.subjectId === rid).map((r) => r.details)).toEqual(
      [{ reason: 'Preparing the core group meeting' }],
    );

    const player = await swClient.get(listen);
    expect(player.statusCode).toBe(200);
    expect(player.body).toMatch(
      new RegExp(`<audio id="recording-audio"[^>]*controls preload="metadata" src="${base}/audio"`),
    );
    expect(player.body).toContain('This recording is confidential.');
    expect(player.body).toContain('Each time you listen is recorded in the audit trail');
    expect(player.body).toMatch(/You can listen until 2 March 2026(,| at) 12:00 without giving a reason again\./);
    expect(player.body).toMatch(/<div id="recording-waveform" aria-hidden="true" data-style-nonce="[0-9a-f]+">/);
    expect(player.body).toContain('<script type="module" src="/static/recording-player.js"></script>');
    const data = JSON.parse(
      /<script type="application\/json" id="recording-player-data">([^<]*)<\/script>/.exec(player.body)![1]!,
    );
    expect(data.durationSeconds).toBeGreaterThan(149);
    expect(data.peaks.length).toBeGreaterThan(1000);
    expect(data.withheld).toEqual([{ start: 20, end: 30 }]);
    expect(data.bookmarks).toEqual([{ at: 62 }]);
    // The timeline, in the recording's order, as text that works without JavaScript.
    const items = [
      ...player.body.matchAll(
        /<li class="govuk-!-margin-bottom-3" data-seek="([^"]+)" data-time="([^"]+)">([\s\S]*?)<\/li>/g,
      ),
    ].map((m) => [
      m[1],
      m[3]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ]);
    expect(items).toEqual([
      [
        '20',
        '0:20 Withheld part until 0:30: Information confidential to one parent. Not to be heard by: Daniel Mensah',
      ],
      ['62', '1:02 Decision: Plan agreed'],
    ]);
    // A social worker may listen but not bookmark.
    expect(player.body).not.toContain('id="recording-bookmark-form"');
    expect((await swClient.get(`${base}/audio`)).statusCode).toBe(200);

    // Someone without access to every child is refused everything, and it is audited.
    expect((await otherClient.get(listen)).statusCode).toBe(403);
    expect((await otherClient.get(`${base}/audio`)).statusCode).toBe(403);
    expect((await otherClient.post(listen, { reason: 'Curious' }, { fromPage: '/' })).statusCode).toBe(403);
    expect((await auditRows(ctx, 'recording.played')).filter((r) => r.subjectId === rid)).toHaveLength(1);
  });

  it('streams the playback copy with Range requests: 206, 416, suffixes, and bytes equal to the decrypted copy', async () => {
    await chairClient.post(`${base}/listen`, { reason: 'Checking the recording' }, { fromPage: `${base}/listen` });
    const player = await chairClient.get(`${base}/listen`);
    expect(player.body).toContain('id="recording-bookmark-form"');
    expect(player.body).toContain('name="returnTo" value="listen"');

    const detail = await ctx.services.recordings.detail(chair, as(chair), rid);
    const expected = detail.playback!;
    const svc = ctx.services.recordings;
    const reads: Array<[number, number]> = [];
    const real = svc.playback.bind(svc);
    const spy = vi.spyOn(svc, 'playback').mockImplementation(async (...args) => {
      const p = await real(...args);
      return { ...p, read: (a: number, b: number) => (reads.push([a, b]), p.read(a, b)) };
    });
    const get = (range?: string, extra: Record<string, string> = {}) =>
      app.inject({
        method: 'GET',
        url: `${base}/audio`,
        headers: { cookie: chairClient.cookieHeader(), ...(range ? { range } : {}), ...extra },
      });
    try {
      const whole = await get();
      expect(whole.statusCode).toBe(200);
      expect(whole.headers['content-type']).toBe('audio/mpeg');
      expect(whole.headers['accept-ranges']).toBe('bytes');
      expect(whole.headers['cache-control']).toBe('no-store');
      expect(Number(whole.headers['content-length'])).toBe(expected.size);
      expect(whole.rawPayload.length).toBe(expected.size);
      expect(sha(whole.rawPayload)).toBe(expected.sha256);
      expect(expected.size).toBeGreaterThan(PIECE_BYTES);
      // Read a piece at a time, never the whole copy at once.
      expect(reads.length).toBeGreaterThanOrEqual(2);
      expect(reads.every(([a, b]) => b - a + 1 <= PIECE_BYTES)).toBe(true);
      const all = whole.rawPayload;

      const first = await get('bytes=0-99');
      expect(first.statusCode).toBe(206);
      expect(first.headers['content-range']).toBe(`bytes 0-99/${expected.size}`);
      expect(first.headers['content-length']).toBe('100');
      expect(first.rawPayload).toEqual(all.subarray(0, 100));

      const across = await get(`bytes=${PIECE_BYTES - 1000}-${PIECE_BYTES + 999}`);
      expect(across.statusCode).toBe(206);
      expect(across.rawPayload).toEqual(all.subarray(PIECE_BYTES - 1000, PIECE_BYTES + 1000));

      const open = await get('bytes=1000000-');
      expect(open.statusCode).toBe(206);
      expect(open.headers['content-range']).toBe(`bytes 1000000-${expected.size - 1}/${expected.size}`);
      expect(open.rawPayload).toEqual(all.subarray(1_000_000));

      const suffix = await get('bytes=-500');
      expect(suffix.statusCode).toBe(206);
      expect(suffix.headers['content-range']).toBe(
        `bytes ${expected.size - 500}-${expected.size - 1}/${expected.size}`,
      );
      expect(suffix.rawPayload).toEqual(all.subarray(expected.size - 500));

      const longSuffix = await get(`bytes=-${expected.size + 10}`);
      expect(longSuffix.statusCode).toBe(206);
      expect(longSuffix.headers['content-range']).toBe(`bytes 0-${expected.size - 1}/${expected.size}`);

      const clipped = await get(`bytes=${expected.size - 2}-${expected.size + 100}`);
      expect(clipped.statusCode).toBe(206);
      expect(clipped.rawPayload).toEqual(all.subarray(expected.size - 2));

      for (const range of [`bytes=${expected.size}-`, `bytes=${expected.size + 5}-${expected.size + 9}`, 'bytes=-0']) {
        const refused = await get(range);
        expect(refused.statusCode, range).toBe(416);
        expect(refused.headers['content-range']).toBe(`bytes */${expected.size}`);
        expect(refused.rawPayload.length).toBe(0);
      }
      // Several ranges, an invalid range or another unit: the Range header is ignored.
      for (const range of ['bytes=0-1,5-9', 'bytes=9-5', 'items=0-5']) {
        const full = await get(range);
        expect(full.statusCode, range).toBe(200);
        expect(full.rawPayload.length).toBe(expected.size);
      }
      const ifRange = await get('bytes=0-9', { 'if-range': '"abc"' });
      expect(ifRange.statusCode).toBe(200);
      const head = await app.inject({
        method: 'HEAD',
        url: `${base}/audio`,
        headers: { cookie: chairClient.cookieHeader(), range: 'bytes=0-99' },
      });
      expect(head.statusCode).toBe(206);
      expect(head.headers['content-length']).toBe('100');
      expect(head.rawPayload.length).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  /** How many transactions (units of work) a request runs against the database. */
  async function unitsOfWork(
    send: () => Promise<{ statusCode: number }>,
  ): Promise<{ status: number; transactions: number }> {
    const db = ctx.services.database.db;
    const spy = vi.spyOn(db, 'transaction');
    try {
      const res = await send();
      return { status: res.statusCode, transactions: spy.mock.calls.length };
    } finally {
      spy.mockRestore();
    }
  }

  it('resolves the recording, checks access and audits the view in one transaction (the page and each Range request)', async () => {
    // Every signed-in request reads its session first: a page that only redirects shows that cost.
    const session = await unitsOfWork(() => supportClient.get(`${base}/bookmarks`));
    expect(session.status).toBe(303);
    const page = await unitsOfWork(() => supportClient.get(base));
    expect(page).toEqual({ status: 200, transactions: session.transactions + 1 });
    await supportClient.post(`${base}/listen`, { reason: 'Checking the record' }, { fromPage: `${base}/listen` });
    const range = await unitsOfWork(() =>
      app.inject({
        method: 'GET',
        url: `${base}/audio`,
        headers: { cookie: supportClient.cookieHeader(), range: 'bytes=0-99' },
      }),
    );
    expect(range).toEqual({ status: 206, transactions: session.transactions + 1 });
    // The player and the statement's form are one unit of work each too, their view audited in it.
    const views = (await auditRows(ctx, 'recording.view')).length;
    const player = await unitsOfWork(() => supportClient.get(`${base}/listen`));
    expect(player).toEqual({ status: 200, transactions: session.transactions + 1 });
    const form = await unitsOfWork(() => supportClient.get(`${base}/statement`));
    expect(form).toEqual({ status: 200, transactions: session.transactions + 1 });
    expect((await auditRows(ctx, 'recording.view')).length).toBe(views + 2);
    // A refusal is one transaction, and its audit entry another (the refused one is rolled back).
    const denied = await unitsOfWork(() => otherClient.get(base));
    expect(denied).toEqual({ status: 403, transactions: session.transactions + 2 });
  });

  it('serves wavesurfer’s ES modules from its package, and nothing else from it', async () => {
    const js = await chairClient.get('/static/vendor/wavesurfer/wavesurfer.esm.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect((await chairClient.get('/static/vendor/wavesurfer/plugins/regions.esm.js')).statusCode).toBe(200);
    expect((await chairClient.get('/static/vendor/wavesurfer/wavesurfer.d.ts')).statusCode).toBe(404);
    expect((await chairClient.get('/static/vendor/wavesurfer/../../package.json')).statusCode).toBe(404);
  });

  it('links the chair’s meeting page of a held conference to its recordings', async () => {
    const held = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held', familyName: 'Held' });
    const page = await chairClient.get(`/conferences/${held.conferenceId}/meeting`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      `<a class="govuk-link" href="/conferences/${held.conferenceId}/recordings">Recordings of this conference</a>`,
    );
    expect((await chairClient.get(`/conferences/${held.conferenceId}/recordings`)).statusCode).toBe(200);
    // Not while the conference is still being held: the chair records from the conference page then.
    expect((await chairClient.get(`/conferences/${g.conferenceId}/meeting`)).body).not.toContain(
      'Recordings of this conference',
    );
  });

  it('says a recording that is still being received cannot be played yet', async () => {
    const r = await ctx.services.recordings.createUpload(support, as(support), g.conferenceId, {
      kind: 'meeting',
      source: 'dictaphone',
    });
    const page = await supportClient.get(`/recordings/${r.id}`);
    expect(summaryRow(page.body, 'Status')).toBe('Receiving audio');
    expect(page.body).toContain(`href="/recordings/${r.id}/upload">Send the file</a>`);
    expect((await supportClient.get(`/recordings/${r.id}/listen`)).body).toContain(
      'The recording can be played once it has been stored.',
    );
    const audio = await supportClient.get(`/recordings/${r.id}/audio`);
    expect(audio.statusCode).toBe(409);
    expect(audio.body).toContain('This recording is not stored yet');
  });
});
