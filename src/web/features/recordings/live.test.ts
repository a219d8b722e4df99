import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { REMINDER_POINT_IDS } from '../../../domain/conferences/meeting.ts';
import { MAX_CHUNK_BYTES } from '../../../domain/recordings/recording.ts';
import { conferenceParts } from '../../../infra/db/schema.ts';
import { fixtureDir, type FixtureDir, liveWebm, toneWav } from '../../../../test/support/audio-fixtures.ts';
import {
  seedConference,
  siblingGroupConference,
  type SiblingGroupConference,
} from '../../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { addChild, auditRows, emailOf, staff } from '../../../../test/support/people.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function clientFor(ctx: TestContext, app: FastifyInstance, actor: Actor): Promise<WebClient> {
  return (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;
}

/** The error summary's links, as `#id: message`. */
function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

/** Whether the element with this id carries the `hidden` attribute in the page as served (no JavaScript). */
function isHidden(html: string, id: string): boolean {
  const tag = new RegExp(`<[a-z]+ id="${id}"[^>]*>`).exec(html)?.[0];
  if (!tag) throw new Error(`no element #${id}`);
  return /\shidden(\s|>|=)/.test(tag);
}

/**
 * What the recorder's script sends: a raw POST with the session's cookies, and the CSRF token in the
 * x-csrf-token header (the form token from the last page the client fetched).
 */
async function send(
  client: WebClient,
  url: string,
  opts: {
    body?: Buffer | string;
    contentType?: string;
    headers?: Record<string, string>;
    csrf?: boolean;
    json?: boolean;
  } = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {
    // The client keeps its cookie jar private; the script's requests carry the same cookies.
    cookie: client['cookieHeader'](),
    'content-type': opts.contentType ?? 'application/octet-stream',
    ...(opts.json === false ? {} : { accept: 'application/json' }),
    ...(opts.csrf === false ? {} : { 'x-csrf-token': client.csrfToken() }),
    ...opts.headers,
  };
  return client.app.inject({ method: 'POST', url, headers, payload: opts.body ?? '' });
}

const chunk = (
  client: WebClient,
  rid: string,
  seq: number | string,
  bytes: Buffer,
  hash: string | null = sha(bytes),
  extra: Parameters<typeof send>[2] = {},
) =>
  send(client, `/recordings/${rid}/chunks/${seq}`, {
    body: bytes,
    ...(hash ? { headers: { 'x-chunk-sha256': hash } } : {}),
    ...extra,
  });

let fx: FixtureDir;
let webm: Buffer;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-live-web-');
  await toneWav(fx.file('meeting.wav'), { seconds: 6 });
  webm = await readFile(await liveWebm(fx.file('meeting.wav'), fx.file('live.webm')));
});
afterAll(async () => {
  await fx.cleanup();
});

describe.each(testDatabases())('recording live in the browser (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let otherChair: Actor;
  let sw: Actor;
  let chairClient: WebClient;
  let g: SiblingGroupConference;
  let start: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    otherChair = await staff(ctx, 'Olu Otherchair', ['chair']);
    chairClient = await clientFor(ctx, app, chair);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    start = `/conferences/${g.conferenceId}/recordings/live`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  /** Starts a live recording of the meeting through the form; returns its id. */
  async function startRecording(
    client = chairClient,
    form: Record<string, string> = { kind: 'meeting' },
    from = start,
  ): Promise<string> {
    const res = await client.post(from, form, { fromPage: from });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(303);
    const m = /^\/recordings\/([0-9a-f-]{36})\/live$/.exec(String(res.headers.location));
    expect(m).not.toBeNull();
    const rid = m![1]!;
    const page = await client.get(`/recordings/${rid}/live`); // and its CSRF token, as the script has it
    expect(page.statusCode).toBe(200);
    return rid;
  }

  it('R-1, R-6: the start page reminds the chair what to tell those present and asks what is recorded', async () => {
    const page = await chairClient.get(start);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tell everyone present');
    expect(page.body).toContain('This conference is being recorded.');
    expect(page.body).toContain('The recording is never edited.');
    expect(page.body).toContain('Chair’s dictation after the conference (decisions, recommendations and summary)');
    // One part: nothing to choose.
    expect(page.body).not.toContain('Which part of the conference are you recording?');
    expect(page.body).toContain(`href="/conferences/${g.conferenceId}/recordings/upload"`);

    const none = await chairClient.post(start, {}, { fromPage: start });
    expect(none.statusCode).toBe(400);
    expect(errorSummary(none.body)).toEqual(['#kind: Select what you are recording']);
    const noCsrf = await chairClient.post(start, { kind: 'meeting' }, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);

    const rid = await startRecording();
    const detail = await ctx.services.recordings.detail(chair, { actor: { id: chair.id, label: chair.name } }, rid);
    expect(detail.recording).toMatchObject({
      kind: 'meeting',
      source: 'browser',
      status: 'receiving',
      conferencePartId: g.partId,
    });
    // A recording that was started and not stopped is offered instead of starting another.
    expect((await chairClient.get(start)).body).toContain(`href="/recordings/${rid}/live"`);
  });

  it('R-1: starting the conference can start recording in the same step, the reminder ticked once; starting without recording still works', async () => {
    const ctxOf = { actor: { id: chair.id, label: chair.name } };
    const recordingsOf = async (cid: string) => ctx.services.recordings.listForConference(chair, ctxOf, cid);

    // Started and recorded in one step.
    const one = await seedConference(ctx, { childIds: [g.children.ava], chairUserId: chair.id });
    const base = `/conferences/${one.conferenceId}/meeting`;
    const form = await chairClient.get(`${base}/start`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Start recording in this browser');
    expect(form.body).not.toContain('Which part of the conference are you recording?'); // one part: nothing to choose
    const started = await chairClient.post(
      `${base}/start`,
      { pointsGiven: [...REMINDER_POINT_IDS], actualStartTime: '10:03', record: 'browser' },
      { fromPage: `${base}/start` },
    );
    expect(started.statusCode).toBe(303);
    const rid = /^\/recordings\/([0-9a-f-]{36})\/live$/.exec(String(started.headers.location))?.[1];
    expect(rid).toBeDefined();
    expect(await recordingsOf(one.conferenceId)).toEqual([
      expect.objectContaining({
        id: rid,
        kind: 'meeting',
        source: 'browser',
        status: 'receiving',
        conferencePartId: one.partId,
      }),
    ]);
    const opened = await ctx.services.meeting.getMeeting(chair, one.conferenceId, ctxOf);
    expect(opened.conference).toMatchObject({ status: 'in-progress', actualStartTime: '10:03' });
    expect(opened.conference.reminderGivenAt).not.toBeNull();
    // The recorder says the reminder was given, rather than asking for it again.
    const recorder = await chairClient.get(`/recordings/${rid}/live`);
    expect(recorder.body).toContain(
      'You told those present about the recording at 09:00, when you started the conference.',
    );
    expect(recorder.body).not.toContain('The recording is never edited.');
    expect(recorder.body).not.toContain('name="pointsGiven"');
    expect((await chairClient.get(`/conferences/${one.conferenceId}/recordings/live`)).body).not.toContain(
      'The recording is never edited.',
    );

    // Started without recording: the conference opens and nothing is recorded.
    const two = await seedConference(ctx, { childIds: [g.children.ava], chairUserId: chair.id });
    const base2 = `/conferences/${two.conferenceId}/meeting`;
    await chairClient.get(`${base2}/start`);
    const plain = await chairClient.post(
      `${base2}/start`,
      { pointsGiven: [...REMINDER_POINT_IDS], actualStartTime: '10:04' },
      { fromPage: `${base2}/start` },
    );
    expect(plain.statusCode).toBe(303);
    expect(plain.headers.location).toBe(`${base2}?done=opened`);
    expect(await recordingsOf(two.conferenceId)).toEqual([]);

    // A split conference: the part is asked for before anything is opened, with the other errors.
    const split = await seedConference(ctx, { childIds: [g.children.ava], chairUserId: chair.id, durationMinutes: 90 });
    const [second] = await ctx.services.database.db
      .insert(conferenceParts)
      .values({
        conferenceId: split.conferenceId,
        ordinal: 2,
        label: 'Part 2: Ava with the chair',
        startOffsetMinutes: 90,
        durationMinutes: 30,
      })
      .returning({ id: conferenceParts.id });
    const base3 = `/conferences/${split.conferenceId}/meeting`;
    expect((await chairClient.get(`${base3}/start`)).body).toContain('Which part of the conference are you recording?');
    const noPart = await chairClient.post(
      `${base3}/start`,
      { pointsGiven: ['recorded'], actualStartTime: '10:05', record: 'browser' },
      { fromPage: `${base3}/start` },
    );
    expect(noPart.statusCode).toBe(400);
    expect(errorSummary(noPart.body)).toEqual([
      '#pointsGiven: Tell those present about the recording and tick each point (8 not ticked)',
      '#partId: Select the part of the conference you are recording',
    ]);
    expect(noPart.body).toMatch(
      /<input class="govuk-checkboxes__input" id="record" name="record" type="checkbox" value="browser" checked/,
    );
    expect((await ctx.services.meeting.getMeeting(chair, split.conferenceId, ctxOf)).conference.status).toBe('planned');
    const withPart = await chairClient.post(
      `${base3}/start`,
      { pointsGiven: [...REMINDER_POINT_IDS], actualStartTime: '10:05', record: 'browser', partId: second!.id },
      { fromPage: `${base3}/start` },
    );
    expect(withPart.statusCode).toBe(303);
    expect(await recordingsOf(split.conferenceId)).toEqual([
      expect.objectContaining({ conferencePartId: second!.id, status: 'receiving' }),
    ]);
  });

  it('R-6: the chair’s dictation waits until the conference has started; a split conference asks for the part', async () => {
    const planned = await seedConference(ctx, { childIds: [g.children.ava], chairUserId: chair.id });
    const plannedStart = `/conferences/${planned.conferenceId}/recordings/live`;
    const early = await chairClient.post(plannedStart, { kind: 'dictation' }, { fromPage: plannedStart });
    expect(early.statusCode).toBe(400);
    expect(errorSummary(early.body)).toEqual([
      '#kind: The chair’s dictation is recorded after the conference has started',
    ]);

    const split = await seedConference(ctx, {
      childIds: [g.children.ava, g.children.ben],
      chairUserId: chair.id,
      status: 'in-progress',
      durationMinutes: 90,
    });
    const [second] = await ctx.services.database.db
      .insert(conferenceParts)
      .values({
        conferenceId: split.conferenceId,
        ordinal: 2,
        label: 'Part 2: Ava with the chair',
        startOffsetMinutes: 90,
        durationMinutes: 30,
      })
      .returning({ id: conferenceParts.id });
    const splitStart = `/conferences/${split.conferenceId}/recordings/live`;
    const form = await chairClient.get(splitStart);
    expect(form.body).toContain('Which part of the conference are you recording?');
    expect(form.body).toContain('Part 2: Ava with the chair (11:30 to 12:00)');
    const noPart = await chairClient.post(splitStart, { kind: 'meeting' }, { fromPage: splitStart });
    expect(noPart.statusCode).toBe(400);
    expect(errorSummary(noPart.body)).toEqual(['#partId: Select the part of the conference you are recording']);
    const otherConferencesPart = await chairClient.post(
      splitStart,
      { kind: 'meeting', partId: g.partId },
      { fromPage: splitStart },
    );
    expect(errorSummary(otherConferencesPart.body)).toEqual([
      '#partId: Select the part of the conference you are recording',
    ]);
    const rid = await startRecording(chairClient, { kind: 'meeting', partId: second!.id }, splitStart);
    const detail = await ctx.services.recordings.detail(chair, { actor: { id: chair.id, label: chair.name } }, rid);
    expect(detail.recording.conferencePartId).toBe(second!.id);
    // The dictation is of the whole conference: no part.
    const dictation = await startRecording(chairClient, { kind: 'dictation', partId: second!.id }, splitStart);
    expect(
      (await ctx.services.recordings.detail(chair, { actor: { id: chair.id, label: chair.name } }, dictation))
        .recording,
    ).toMatchObject({ kind: 'dictation', conferencePartId: null });
  });

  it('the recorder page without JavaScript offers the upload and plain Pause and Stop forms', async () => {
    const rid = await startRecording();
    const html = chairClient.lastHtml;
    expect(html).toContain('Recording in the browser needs JavaScript, which is turned off or did not load.');
    expect(html).toContain(`href="/conferences/${g.conferenceId}/recordings/upload"`);
    expect(isHidden(html, 'live-no-js')).toBe(false);
    expect(isHidden(html, 'live-recorder')).toBe(true);
    expect(isHidden(html, 'live-pause-form')).toBe(false);
    expect(isHidden(html, 'live-resume-form')).toBe(true);
    expect(isHidden(html, 'live-stop-form')).toBe(false);
    expect(html).toContain('<script type="module" src="/static/recording-live.js"></script>');
    expect(html).toContain(`data-recording-id="${rid}"`);
    expect(html).toContain('data-chunk-ms="5000"');
    expect(html).toContain('data-next-chunk="0"');
    expect(html).toMatch(/<meter id="live-level"[^>]*>/);
    expect(html).toMatch(/<label class="govuk-label" for="live-level">Microphone level<\/label>/);
    expect(html).toMatch(/<span id="live-save-health" role="status" aria-live="polite">/);
    // The script is served from 'self', as the CSP requires.
    const script = await chairClient.get('/static/recording-live.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
  });

  it('takes chunks in order, acknowledges a resend once, refuses a gap, a damaged chunk and an oversized one', async () => {
    const rid = await startRecording();
    const pieces = [webm.subarray(0, 4000), webm.subarray(4000, 9000), webm.subarray(9000)];
    const first = await chunk(chairClient, rid, 0, pieces[0]!);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ nextChunk: 1, receivedBytes: 4000, duplicate: false });
    // The response was lost and the script sends chunk 0 again: acknowledged, not stored twice.
    const again = await chunk(chairClient, rid, 0, pieces[0]!);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ nextChunk: 1, receivedBytes: 4000, duplicate: true });
    // Different audio under a number already taken: refused so nothing is misordered.
    const conflict = await chunk(chairClient, rid, 0, pieces[1]!);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ code: 'CHUNK_CONFLICT' });
    const gap = await chunk(chairClient, rid, 2, pieces[2]!);
    expect(gap.statusCode).toBe(409);
    expect(gap.json()).toEqual({ code: 'CHUNK_GAP', message: 'Chunk 1 is needed next', expected: 1 });
    const damaged = await chunk(chairClient, rid, 1, pieces[1]!, sha(pieces[2]!));
    expect(damaged.statusCode).toBe(400);
    expect(damaged.json()).toMatchObject({ code: 'CHUNK_CORRUPT' });
    const badHash = await chunk(chairClient, rid, 1, pieces[1]!, 'not-a-hash');
    expect(badHash.statusCode).toBe(400);
    expect(badHash.json()).toMatchObject({ code: 'BAD_CHUNK' });
    const tooBig = await chunk(chairClient, rid, 1, Buffer.alloc(MAX_CHUNK_BYTES + 1, 1), null);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ code: 'TOO_LARGE' });
    const empty = await chunk(chairClient, rid, 1, Buffer.alloc(0), null);
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'BAD_CHUNK', message: 'The chunk is empty' });
    const asForm = await chunk(chairClient, rid, 1, pieces[1]!, null, { contentType: 'text/plain' });
    expect(asForm.statusCode).toBe(415);
    expect(asForm.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const badSeq = await chunk(chairClient, rid, 'first', pieces[1]!);
    expect(badSeq.statusCode).toBe(400);
    // None of the refusals changed anything: chunk 1 still goes next, and the hash header is optional.
    expect((await chunk(chairClient, rid, 1, pieces[1]!, null)).json()).toEqual({
      nextChunk: 2,
      receivedBytes: 9000,
      duplicate: false,
    });
    expect((await chunk(chairClient, rid, 2, pieces[2]!)).json()).toEqual({
      nextChunk: 3,
      receivedBytes: webm.length,
      duplicate: false,
    });

    const stop = await send(chairClient, `/recordings/${rid}/stop`, {
      contentType: 'application/x-www-form-urlencoded',
      body: '',
    });
    expect(stop.statusCode).toBe(200);
    expect(stop.json()).toEqual({ state: 'stored', next: `/recordings/${rid}` });
    const detail = await ctx.services.recordings.detail(chair, { actor: { id: chair.id, label: chair.name } }, rid);
    expect(detail.recording).toMatchObject({
      status: 'stored',
      originalSha256: sha(webm),
      originalSize: webm.length,
      codec: 'opus',
    });
    // Once stored, the recorder sends people to the recording, and takes no more audio.
    const after = await chairClient.get(`/recordings/${rid}/live`);
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe(`/recordings/${rid}`);
    const late = await chunk(chairClient, rid, 3, pieces[0]!);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'NOT_RECEIVING' });
  });

  it('refuses a chunk without the CSRF token, from someone who does not record, and from a chair without access to a child', async () => {
    const rid = await startRecording();
    const bytes = webm.subarray(0, 4000);
    const noToken = await chunk(chairClient, rid, 0, bytes, sha(bytes), { csrf: false });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({ code: 'CSRF' });
    const wrongToken = await chunk(chairClient, rid, 0, bytes, sha(bytes), { headers: { 'x-csrf-token': 'forged' } });
    expect(wrongToken.statusCode).toBe(403);

    // A social worker may see the children but does not record.
    const swClient = await clientFor(ctx, app, sw);
    await swClient.get('/');
    const bySw = await chunk(swClient, rid, 0, bytes);
    expect(bySw.statusCode).toBe(403);
    expect((await swClient.get(`/recordings/${rid}/live`)).statusCode).toBe(403);
    expect((await swClient.get(start)).statusCode).toBe(403);

    // A restricted child's conference: only the chair named on the record may add to its recording.
    const hidden = await addChild(ctx, sw, {
      givenNames: 'Rae',
      familyName: 'Restricted',
      restricted: true,
      namedStaffIds: [chair.id],
    });
    const restricted = await seedConference(ctx, { childIds: [hidden], chairUserId: chair.id, status: 'in-progress' });
    const restrictedRid = await startRecording(
      chairClient,
      { kind: 'meeting' },
      `/conferences/${restricted.conferenceId}/recordings/live`,
    );
    const other = await clientFor(ctx, app, otherChair);
    await other.get('/');
    const byOther = await chunk(other, restrictedRid, 0, bytes);
    expect(byOther.statusCode).toBe(403);
    expect(byOther.json()).toMatchObject({ code: 'ACCESS_DENIED' });
    expect((await other.get(`/recordings/${restrictedRid}/live`)).statusCode).toBe(403);
    const denied = (await auditRows(ctx, 'recording.chunk')).filter((r) => r.outcome === 'denied');
    expect(denied.map((r) => [r.actorUserId, r.subjectType, r.subjectId])).toEqual([
      [otherChair.id, 'conference', restricted.conferenceId],
    ]);
    const unknown = await chunk(chairClient, '00000000-0000-4000-8000-000000000000', 0, bytes);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    // Nothing was taken.
    expect((await chunk(chairClient, rid, 0, bytes)).json()).toMatchObject({ nextChunk: 1, duplicate: false });
  });

  it('limits how fast one person may send chunks, answering 429 in JSON so the script sends again later', async () => {
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    const supportClient = await clientFor(ctx, app, support);
    const rid = await startRecording(supportClient);
    const bytes = webm.subarray(0, 4000);
    const statuses: number[] = [];
    for (let i = 0; i < 240; i++) statuses.push((await chunk(supportClient, rid, 0, bytes)).statusCode);
    expect(new Set(statuses)).toEqual(new Set([200]));
    const limited = await chunk(supportClient, rid, 0, bytes);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    // The limit is per person: the chair recording at the same time is not held up.
    const other = await startRecording();
    expect((await chunk(chairClient, other, 0, bytes)).statusCode).toBe(200);
  });

  it('R-2: Pause asks the reason and Resume the changes in who is present, as plain forms; a stale form says why it failed', async () => {
    const rid = await startRecording();
    const page = `/recordings/${rid}/live`;
    expect((await chunk(chairClient, rid, 0, webm.subarray(0, 9000))).statusCode).toBe(200);

    const noReason = await chairClient.post(
      `/recordings/${rid}/pause`,
      { reason: '  ', atMs: '0' },
      { fromPage: page },
    );
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toMatch(/<title>Error: /);
    expect(errorSummary(noReason.body)).toEqual(['#reason: Enter the reason for the break']);
    const noCsrf = await chairClient.post(
      `/recordings/${rid}/pause`,
      { reason: 'Comfort break', atMs: '0' },
      { csrf: false },
    );
    expect(noCsrf.statusCode).toBe(403);

    const paused = await chairClient.post(
      `/recordings/${rid}/pause`,
      { reason: 'Comfort break', atMs: '3000' },
      { fromPage: page },
    );
    expect(paused.statusCode).toBe(303);
    expect(paused.headers.location).toBe(`${page}?done=pause`);
    const whilePaused = await chairClient.get(paused.headers.location as string);
    expect(whilePaused.body).toContain('The recording is paused.');
    expect(whilePaused.body).toMatch(/Paused at \d\d:\d\d: Comfort break/);
    expect(isHidden(whilePaused.body, 'live-pause-form')).toBe(true);
    expect(isHidden(whilePaused.body, 'live-resume-form')).toBe(false);
    expect(whilePaused.body).toContain('data-state="paused"');

    // The same form again (a second tab): refused, with the reason on the page.
    const twice = await chairClient.post(
      `/recordings/${rid}/pause`,
      { reason: 'Again', atMs: '4000' },
      { fromPage: page },
    );
    expect(twice.statusCode).toBe(409);
    expect(errorSummary(twice.body)).toEqual(['#main-content: The recording is already paused']);

    const tooLong = await chairClient.post(
      `/recordings/${rid}/resume`,
      { participantChanges: 'x'.repeat(501) },
      { fromPage: page },
    );
    expect(tooLong.statusCode).toBe(400);
    expect(errorSummary(tooLong.body)).toEqual([
      '#participantChanges: Changes to who is present must be 500 characters or fewer',
    ]);
    const resumed = await chairClient.post(
      `/recordings/${rid}/resume`,
      { participantChanges: 'The father left' },
      { fromPage: page },
    );
    expect(resumed.statusCode).toBe(303);
    expect(resumed.headers.location).toBe(`${page}?done=resume`);
    const again = await chairClient.get(resumed.headers.location as string);
    expect(again.body).toContain('The recording has resumed.');
    expect(isHidden(again.body, 'live-pause-form')).toBe(false);
    expect(again.body).toContain('Comfort break');
    expect(again.body).toContain('The father left');
    const resumeTwice = await chairClient.post(
      `/recordings/${rid}/resume`,
      { participantChanges: '' },
      { fromPage: page },
    );
    expect(resumeTwice.statusCode).toBe(409);
    expect(errorSummary(resumeTwice.body)).toEqual(['#main-content: The recording is not paused']);

    // The script's way: the same forms asking for JSON.
    const jsonNoReason = await send(chairClient, `/recordings/${rid}/pause`, {
      contentType: 'application/x-www-form-urlencoded',
      body: 'reason=&atMs=5000',
    });
    expect(jsonNoReason.statusCode).toBe(400);
    expect(jsonNoReason.json()).toMatchObject({
      code: 'INVALID_DETAILS',
      message: 'Enter the reason for the break',
      field: 'reason',
    });
    const jsonNoToken = await send(chairClient, `/recordings/${rid}/pause`, {
      contentType: 'application/x-www-form-urlencoded',
      body: 'reason=Lunch&atMs=5000',
      csrf: false,
    });
    expect(jsonNoToken.statusCode).toBe(403);
    expect(jsonNoToken.json()).toMatchObject({ code: 'CSRF' });
    const jsonEarlier = await send(chairClient, `/recordings/${rid}/pause`, {
      contentType: 'application/x-www-form-urlencoded',
      body: 'reason=Lunch&atMs=1000',
    });
    expect(jsonEarlier.statusCode).toBe(400);
    expect(jsonEarlier.json()).toMatchObject({
      code: 'INVALID_DETAILS',
      message: 'The break must come after the last one',
    });
    const jsonPause = await send(chairClient, `/recordings/${rid}/pause`, {
      contentType: 'application/x-www-form-urlencoded',
      body: 'reason=Lunch&atMs=5000',
    });
    expect(jsonPause.statusCode).toBe(200);
    expect(jsonPause.json()).toEqual({ state: 'paused', next: `${page}?done=pause` });
    const jsonPauseAgain = await send(chairClient, `/recordings/${rid}/pause`, {
      contentType: 'application/x-www-form-urlencoded',
      body: 'reason=Lunch&atMs=5000',
    });
    expect(jsonPauseAgain.statusCode).toBe(409);
    expect(jsonPauseAgain.json()).toMatchObject({
      code: 'RECORDING_STATE',
      message: 'The recording is already paused',
    });

    // Stopped while paused: the break ends at the stop, and the recording is stored with both breaks.
    const stopped = await chairClient.post(`/recordings/${rid}/stop`, {}, { fromPage: page });
    expect(stopped.statusCode).toBe(303);
    expect(stopped.headers.location).toBe(`/recordings/${rid}`);
    const detail = await ctx.services.recordings.detail(chair, { actor: { id: chair.id, label: chair.name } }, rid);
    expect(detail.recording.status).toBe('stored');
    expect(detail.breaks.map((b) => [b.atMs, b.reason, b.participantChanges, b.endedAt !== null])).toEqual([
      [3000, 'Comfort break', 'The father left', true],
      [5000, 'Lunch', null, true],
    ]);
    const stopAgain = await chairClient.post(`/recordings/${rid}/stop`, {}, { csrf: false });
    expect(stopAgain.statusCode).toBe(403);
  });

  it('stopping with no audio keeps nothing and says so', async () => {
    const rid = await startRecording();
    const stopped = await chairClient.post(`/recordings/${rid}/stop`, {}, { fromPage: `/recordings/${rid}/live` });
    expect(stopped.statusCode).toBe(303);
    expect(stopped.headers.location).toBe(`/recordings/${rid}/live`);
    const page = await chairClient.get(`/recordings/${rid}/live`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The recording was not stored');
    expect(page.body).toContain('No audio was received');
    expect(page.body).toContain(`href="${start}"`);
    // Why, and the way to keep the conference's record another way: an upload for the same conference.
    expect(page.body).toContain('No audio reached the service from the browser, so there was nothing to store.');
    expect(page.body).toContain(
      `<a class="govuk-link" href="/conferences/${g.conferenceId}/recordings/upload">upload that recording</a>`,
    );
    const json = await send(chairClient, `/recordings/${rid}/stop`, {
      contentType: 'application/x-www-form-urlencoded',
      body: '',
    });
    expect(json.statusCode).toBe(409);
    expect(json.json()).toMatchObject({ code: 'NOT_RECEIVING' });
    const form = await chairClient.post(`/recordings/${rid}/stop`, {}, { fromPage: `/recordings/${rid}/live` });
    expect(form.statusCode).toBe(409);
    expect(errorSummary(form.body)).toEqual(['#main-content: This recording is not live']);
  });

  it('a recorder page opened again after audio was saved tells the script the recording was interrupted', async () => {
    const rid = await startRecording();
    await chunk(chairClient, rid, 0, webm.subarray(0, 9000));
    const page = await chairClient.get(`/recordings/${rid}/live`);
    expect(page.body).toContain('data-next-chunk="1"');
    expect(page.body).toContain('This recording was interrupted');
    expect(page.body).toContain('The audio saved before that is kept (9 KB in 1 part)');
  });
});
