/**
 * a recording that needs attention says so on its own page, with the same test as the list at
 * /recordings/attention: a live recording never stopped gets a banner saying what happened and what to do, and the
 * chair and business support (who may open the list) can stop it or discard it with a reason from there (CSRF, back
 * to the recording page). Other readers see what happened without the actions or the link.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { emailOf, staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, '’')
    .replace(/\s+/g, ' ');

describe.each(testDatabases())('a recording that needs attention, on its own page (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let support: Actor;
  let chair: Actor;
  let sw: Actor;
  let g: SiblingGroupConference;
  const stuck: string[] = [];
  let recent: string;

  const client = async (a: Actor): Promise<WebClient> =>
    (await signedInClient(ctx, app, { email: emailOf(a), name: a.name, roles: [...a.roles] })).client;
  const as = () => ({ actor: { id: support.id, label: support.name }, requestId: 'test' });
  const statusOf = async (rid: string) => (await ctx.services.recordings.status(support, as(), rid)).status;
  const startWithAudio = async () => {
    const live = await ctx.services.recordings.startLive(support, as(), g.conferenceId, { kind: 'meeting' });
    await ctx.services.recordings.appendChunk(support, as(), live.id, { seq: 0, bytes: Buffer.alloc(4000, 1) });
    return live.id;
  };

  beforeAll(async () => {
    ctx = await createTestServices(kind, {}, { ingest: 'manual' });
    app = await testApp(ctx);
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    for (let i = 0; i < 3; i += 1) {
      stuck.push(await startWithAudio());
      ctx.clock.advance(60_000);
    }
    ctx.clock.advance(8 * 86_400_000);
    recent = await startWithAudio();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.dispose();
  });

  it('R-4: business support see that the live recording was never stopped, how to stop or discard it, and the list; the name tells it from the others', async () => {
    const c = await client(support);
    const page = await c.get(`/recordings/${stuck[0]}`);
    expect(page.statusCode).toBe(200);
    const words = text(page.body);
    expect(words).toContain('This live recording was never stopped');
    // Named as on the list, so it is told apart from the conference's other recordings.
    expect(words).toContain(
      'Initial child protection conference, 2 March 2026, recording 1 (recorded in the browser) began on 2 March 2026',
    );
    expect(words).toContain('Stop it to check and store the audio that arrived, or discard it with the reason');
    expect(words).not.toContain('Go to the recorder');
    expect(page.body).toContain('href="/recordings/attention"');
    expect(page.body).toContain(`action="/recordings/${stuck[0]}/stop"`);
    expect(page.body).toContain(`action="/recordings/${stuck[0]}/discard"`);
    expect(page.body).toContain('name="return" value="recording"');
    expect(page.body.match(/name="_csrf"/g)?.length).toBeGreaterThanOrEqual(2);
    // The same test as the list: the recording begun a day ago is not stuck, and its page says nothing of it.
    const fresh = await c.get(`/recordings/${recent}`);
    expect(text(fresh.body)).not.toContain('never stopped');
    expect(fresh.body).not.toContain('href="/recordings/attention"');
    expect(text(fresh.body)).toContain('Go to the recorder');
  });

  it('R-4: the conference’s list tags a stuck live recording as needing attention and links to its own page, not the recorder', async () => {
    const c = await client(support);
    const list = await c.get(`/conferences/${g.conferenceId}/recordings`);
    expect(list.statusCode).toBe(200);
    const row = (rid: string) => {
      const m = list.body.match(new RegExp(`<tr[^>]*id="recording-${rid}"[\\s\\S]*?</tr>`));
      expect(m).not.toBeNull();
      return m![0];
    };
    const stuckRow = row(stuck[0]!);
    expect(text(stuckRow)).toContain('Needs attention');
    expect(text(stuckRow)).toContain('See what happened and what to do');
    expect(stuckRow).toContain(`href="/recordings/${stuck[0]}"`);
    expect(text(stuckRow)).not.toContain('Go to the recorder');
    expect(stuckRow).not.toContain(`href="/recordings/${stuck[0]}/live"`);
    // The same test as the recording's page: the recording begun a day ago still goes to the recorder.
    const freshRow = row(recent);
    expect(text(freshRow)).not.toContain('Needs attention');
    expect(text(freshRow)).toContain('Go to the recorder');
    expect(freshRow).toContain(`href="/recordings/${recent}/live"`);
    // A reader who cannot manage still sees the tag and the way to the recording's page.
    const swRow = (await (await client(sw)).get(`/conferences/${g.conferenceId}/recordings`)).body;
    expect(text(swRow)).toContain('Needs attention');
    expect(swRow).toContain(`href="/recordings/${stuck[0]}"`);
    expect(text(swRow)).not.toContain('Go to the recorder');
  });

  it('R-4: a social worker reads what happened, without the actions or the link, and is refused stop and discard', async () => {
    const c = await client(sw);
    const page = await c.get(`/recordings/${stuck[0]}`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('This live recording was never stopped');
    expect(text(page.body)).toContain('Business support or the chair can stop it to store the audio, or discard it.');
    expect(page.body).not.toContain(`action="/recordings/${stuck[0]}/stop"`);
    expect(page.body).not.toContain(`action="/recordings/${stuck[0]}/discard"`);
    expect(page.body).not.toContain('href="/recordings/attention"');
    const fromPage = `/recordings/${stuck[0]}`;
    expect(
      (await c.post(`/recordings/${stuck[0]}/discard`, { reason: 'x', return: 'recording' }, { fromPage })).statusCode,
    ).toBe(403);
    expect((await c.post(`/recordings/${stuck[0]}/stop`, {}, { fromPage })).statusCode).toBe(403);
    expect(await statusOf(stuck[0]!)).toBe('receiving');
  });

  it('R-4: a blank reason keeps business support on the recording page with an error summary; a reason discards it and returns there', async () => {
    const c = await client(support);
    const fromPage = `/recordings/${stuck[0]}`;
    const blank = await c.post(`/recordings/${stuck[0]}/discard`, { reason: '   ', return: 'recording' }, { fromPage });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('govuk-error-summary');
    expect(blank.body).toContain('href="#reason"');
    expect(text(blank.body)).toContain('Enter why the recording is discarded');
    expect(text(blank.body)).toContain('This live recording was never stopped');
    expect(await statusOf(stuck[0]!)).toBe('receiving');
    // Without the token the form is refused, and nothing is discarded.
    const forged = await c.post(
      `/recordings/${stuck[0]}/discard`,
      { reason: 'x', return: 'recording' },
      { csrf: false },
    );
    expect(forged.statusCode).toBe(403);
    expect(await statusOf(stuck[0]!)).toBe('receiving');

    const done = await c.post(
      `/recordings/${stuck[0]}/discard`,
      { reason: 'Started by mistake', return: 'recording' },
      { fromPage },
    );
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/recordings/${stuck[0]}?done=discarded#not-stored-why`);
    expect(await statusOf(stuck[0]!)).toBe('rejected');
    const after = await c.get(done.headers.location as string);
    expect(text(after.body)).toContain('The recording is discarded.');
    expect(text(after.body)).not.toContain('never stopped');
  });

  it('R-4: the chair stops a stuck recording from its page: it goes to be stored and leaves the list', async () => {
    const c = await client(chair);
    const stop = await c.post(`/recordings/${stuck[1]}/stop`, {}, { fromPage: `/recordings/${stuck[1]}` });
    expect(stop.statusCode).toBe(303);
    expect(stop.headers.location).toBe(`/recordings/${stuck[1]}`);
    expect(await statusOf(stuck[1]!)).toBe('processing');
    expect(text((await c.get(`/recordings/${stuck[1]}`)).body)).not.toContain('never stopped');
    const list = await c.get('/recordings/attention');
    expect(list.body).not.toContain(`href="/recordings/${stuck[1]}"`);
    expect(list.body).toContain(`href="/recordings/${stuck[2]}"`);
  });
});
