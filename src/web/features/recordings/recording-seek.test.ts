// Seeking in a recording: a Range request carrying the player's playback grant is one lookup,
// whatever the offset and however many fixity checks the recording has had; a grant that is missing, expired,
// altered, another person's or another recording's is never trusted (the full check runs, a denial is audited).
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { ageHeaderLength } from '../../../infra/crypto/age/index.ts';
import { recordingsRepository } from '../../../infra/db/recordings/recordings-repository.ts';
import { fixtureDir, type FixtureDir, toneWav } from '../../../../test/support/audio-fixtures.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { countStatements } from '../../../../test/support/statement-counter.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { PLAYBACK_GRANT_MS } from '../../../app/recordings/recording-playback.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, requestId: 'test' });

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-recording-seek-');
  await toneWav(fx.file('meeting.wav'), { seconds: 150 });
});
afterAll(async () => {
  await fx?.cleanup();
});

describe.each(testDatabases())('seeking with a playback grant (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let support: Actor;
  let sw: Actor;
  let otherSw: Actor;
  let supportClient: WebClient;
  let swClient: WebClient;
  let otherClient: WebClient;
  let g: SiblingGroupConference;
  let rid: string;
  let rid2: string;
  let whole: Buffer;

  const clientFor = async (actor: Actor) =>
    (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;

  async function upload(): Promise<string> {
    const r = await ctx.services.recordings.createUpload(support, as(support), g.conferenceId, {
      kind: 'meeting',
      source: 'teams',
      partId: g.partId,
    });
    const copy = path.join(ctx.dataDir, `upload-${r.id}`);
    await copyFile(fx.file('meeting.wav'), copy);
    await ctx.services.recordings.completeUpload(support, as(support), r.id, copy);
    return r.id;
  }

  /** The player page's grant, as its Set-Cookie header. */
  async function openPlayer(client: WebClient, id: string): Promise<string> {
    const page = await client.get(`/recordings/${id}/listen`);
    expect(page.statusCode).toBe(200);
    const set = [page.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('cpcr_play='));
    expect(set).toBeDefined();
    return set!;
  }

  const grantOf = (setCookie: string) => /^cpcr_play=([^;]+)/.exec(setCookie)![1]!;

  /** A Range request with the session of `client` and the grant given (none when null). */
  function range(client: WebClient, id: string, start: number, grant: string | null) {
    const session = client
      .cookieHeader()
      .split('; ')
      .filter((c) => !c.startsWith('cpcr_play='));
    return app.inject({
      method: 'GET',
      url: `/recordings/${id}/audio`,
      headers: {
        cookie: [...session, ...(grant ? [`cpcr_play=${grant}`] : [])].join('; '),
        range: `bytes=${start}-`,
      },
    });
  }

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Other', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    [supportClient, swClient, otherClient] = await Promise.all([clientFor(support), clientFor(sw), clientFor(otherSw)]);
    rid = await upload();
    rid2 = await upload();
    for (const id of [rid, rid2]) {
      await ctx.services.recordings.startListening(support, as(support), id, 'Checking the record');
      await ctx.services.recordings.startListening(sw, as(sw), id, 'Preparing the core group');
    }
    const full = await app.inject({
      method: 'GET',
      url: `/recordings/${rid}/audio`,
      headers: { cookie: supportClient.cookieHeader() },
    });
    expect(full.statusCode).toBe(200);
    whole = full.rawPayload;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('the player page issues a grant for this recording’s audio only (HttpOnly, SameSite Strict), its issue audited', async () => {
    const issued = (await auditRows(ctx, 'recording.play_granted')).length;
    const set = await openPlayer(supportClient, rid);
    expect(set).toContain(`Path=/recordings/${rid}/audio`);
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    expect(set).toContain(`Max-Age=${PLAYBACK_GRANT_MS / 1000}`);
    const rows = await auditRows(ctx, 'recording.play_granted');
    expect(rows).toHaveLength(issued + 1);
    expect(rows.at(-1)).toMatchObject({ subjectId: rid, actorUserId: support.id, outcome: 'success' });
  });

  it('a Range request with the grant is one lookup after the session, whatever the offset and however many fixity checks', async () => {
    const grant = grantOf(await openPlayer(supportClient, rid));
    const counter = countStatements(ctx.services.database);
    try {
      // What any signed-in request costs: its session.
      counter.reset();
      expect((await supportClient.get(`/recordings/${rid}/bookmarks`)).statusCode).toBe(303);
      const session = counter.statements.length;
      const counts: number[] = [];
      const measure = async () => {
        for (const start of [0, Math.floor(whole.length / 2), whole.length - 1000]) {
          counter.reset();
          const res = await range(supportClient, rid, start, grant);
          expect(res.statusCode).toBe(206);
          expect(res.headers['content-range']).toBe(`bytes ${start}-${whole.length - 1}/${whole.length}`);
          expect(res.rawPayload.equals(whole.subarray(start))).toBe(true);
          // The grant was trusted: no new one is sent.
          expect(res.headers['set-cookie']).toBeUndefined();
          counts.push(counter.statements.length - session);
        }
      };
      await measure();
      // Many fixity checks later, each request still reads only the latest.
      const repo = recordingsRepository(ctx.services.database.db);
      const [copy] = (await repo.listDerivatives(rid, { withPeaks: false })).filter((d) => d.kind === 'playback');
      for (let i = 0; i < 100; i++)
        for (const derivativeId of [copy!.id, null])
          await repo.insertFixityEvent({
            recordingId: rid,
            derivativeId,
            trigger: 'scheduled',
            result: 'ok',
            detail: null,
            checkedAt: new Date(ctx.clock.now().getTime() - (200 - i) * 60_000),
          });
      await measure();
      expect(counts).toEqual(counts.map(() => 1));
    } finally {
      counter.stop();
    }
  });

  it('never trusts a grant that is altered, another person’s or another recording’s: the full check runs and issues a new one', async () => {
    const grant = grantOf(await openPlayer(supportClient, rid));
    const [body, sig] = grant.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const longer = Buffer.from(JSON.stringify({ ...claims, e: (claims['e'] as number) + 86_400_000 })).toString(
      'base64url',
    );
    const flipped = `${sig.slice(0, -2)}${sig.at(-2) === 'A' ? 'B' : 'A'}${sig.at(-1)}`;
    const otherRecording = grantOf(await openPlayer(supportClient, rid2));
    for (const [who, bad] of [
      ['altered signature', `${body}.${flipped}`],
      ['longer expiry, same signature', `${longer}.${sig}`],
      ['another recording’s', otherRecording],
      ['not a grant', 'nonsense'],
      ['none', null],
    ] as const) {
      const issued = (await auditRows(ctx, 'recording.play_granted')).length;
      const res = await range(supportClient, rid, 1000, bad);
      expect(res.statusCode, who).toBe(206);
      expect(res.rawPayload.equals(whole.subarray(1000)), who).toBe(true);
      expect(String(res.headers['set-cookie']), who).toMatch(/^cpcr_play=/);
      expect((await auditRows(ctx, 'recording.play_granted')).length, who).toBe(issued + 1);
    }
    // Another person holding it is checked as themselves: the social worker may play (their own grant is issued) …
    const issued = (await auditRows(ctx, 'recording.play_granted')).length;
    const theirs = await range(swClient, rid, 0, grant);
    expect(theirs.statusCode).toBe(206);
    expect((await auditRows(ctx, 'recording.play_granted')).at(-1)).toMatchObject({ actorUserId: sw.id });
    expect((await auditRows(ctx, 'recording.play_granted')).length).toBe(issued + 1);
    // … someone without access to the children is refused, and the refusal audited, grant or not.
    const denials = (await auditRows(ctx, 'recording.play')).filter((r) => r.outcome === 'denied').length;
    const refused = await range(otherClient, rid, 0, grant);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['set-cookie']).toBeUndefined();
    const after = (await auditRows(ctx, 'recording.play')).filter((r) => r.outcome === 'denied');
    expect(after).toHaveLength(denials + 1);
    expect(after.at(-1)).toMatchObject({ actorUserId: otherSw.id });
  });

  it('R-3: a response ended before its pieces are read (the player seeked elsewhere) is not taken for a damaged copy', async () => {
    const repo = recordingsRepository(ctx.services.database.db);
    const checks = (await repo.listFixityEvents(rid)).length;
    const repairs = ctx.queuedRepairs.length;
    const player = await ctx.services.recordings.playback(support, as(support), rid);
    expect((await player.read(0, 65_535)).equals(whole.subarray(0, 65_536))).toBe(true);
    const next = player.read(65_536, 1_048_575);
    player.close();
    await expect(next).rejects.toThrow();
    expect(await repo.listFixityEvents(rid)).toHaveLength(checks);
    expect(ctx.queuedRepairs).toHaveLength(repairs);
    expect((await range(supportClient, rid, 0, null)).statusCode).toBe(206);
  });

  /** Where the playback copy of `id` is stored, its key and size. */
  async function storedCopy(id: string) {
    const copy = (await ctx.services.recordings.detail(support, as(support), id)).playback!;
    return { ...copy, file: path.join(ctx.dataDir, 'blobs', copy.blobKey.slice(0, 2), copy.blobKey) };
  }

  it('a copy opened in the last few minutes is read through one open, of only the chunks served; opened afresh after PLAYBACK_GRANT_MS or a failed read', async () => {
    const copy = await storedCopy(rid);
    const reads = vi.spyOn(ctx.services.blobs, 'getRange');
    /** Plays bytes `start`- (300 kB at most) as one request, and gives the stored file's reads it made. */
    const play = async (start: number) => {
      const player = await ctx.services.recordings.playback(support, as(support), rid);
      reads.mockClear();
      try {
        const end = Math.min(whole.length - 1, start + 300_000);
        expect((await player.read(start, end)).equals(whole.subarray(start, end + 1))).toBe(true);
      } finally {
        player.close();
      }
      return reads.mock.calls.map(([key, from, to]) => ({ key, from, to }));
    };
    const opens = (calls: { from: number; to: number }[]) => ({
      header: calls.filter((c) => c.from === 0).length,
      finalChunk: calls.filter((c) => c.to === copy.blobSize - 1 && c.from > copy.blobSize - 65_552 - 1).length,
      all: calls.length,
    });
    const middle = Math.floor(whole.length / 2);
    try {
      // Whatever the tests before opened has lapsed: this request opens the copy (header, final chunk, data).
      ctx.clock.advance(PLAYBACK_GRANT_MS);
      expect(opens(await play(middle))).toEqual({ header: 1, finalChunk: 1, all: 3 });
      // The next requests read the stored file once, from the first chunk they serve; near the end too (the final
      // chunk then read and authenticated as the last one, like any other).
      for (const start of [middle, 1000, whole.length - 1000]) {
        const calls = await play(start);
        expect(calls, `bytes=${start}-`).toHaveLength(1);
        expect(calls[0]!.key).toBe(copy.blobKey);
        expect(calls[0]!.from).toBeGreaterThan(0);
      }
      // Never past a grant's lifetime.
      ctx.clock.advance(PLAYBACK_GRANT_MS);
      expect(opens(await play(middle)).header).toBe(1);
      expect(opens(await play(middle)).header).toBe(0);
      // A read that fails (here, the stored file cut short) drops what was kept: the next request opens it afresh.
      const bytes = await readFile(copy.file);
      await writeFile(copy.file, bytes.subarray(0, 1000));
      const player = await ctx.services.recordings.playback(support, as(support), rid);
      await expect(player.read(middle, middle + 99)).rejects.toThrow();
      player.close();
      await writeFile(copy.file, bytes);
      expect(opens(await play(middle))).toEqual({ header: 1, finalChunk: 1, all: 3 });
    } finally {
      reads.mockRestore();
    }
  });

  it('R-3: a stored copy altered after it was opened for playback is still refused: every chunk served is authenticated first', async () => {
    const grant = grantOf(await openPlayer(supportClient, rid2));
    const copy = await storedCopy(rid2);
    const bytes = await readFile(copy.file);
    // A byte in the middle of the stored file, and the first plaintext byte of the chunk holding it.
    const at = Math.floor(bytes.length / 2);
    const headerLength = ageHeaderLength(bytes)!;
    const start = Math.floor((at - headerLength - 16) / 65_552) * 65_536;
    const first = await range(supportClient, rid2, start, grant);
    expect(first.statusCode).toBe(206);
    const played = first.rawPayload;
    // Kept: the next request reads only the chunks it serves.
    const reads = vi.spyOn(ctx.services.blobs, 'getRange');
    try {
      expect((await range(supportClient, rid2, start, grant)).rawPayload.equals(played)).toBe(true);
      expect(reads.mock.calls.filter(([, from]) => from === 0)).toHaveLength(0);
      bytes[at]! ^= 0x01;
      await writeFile(copy.file, bytes);
      const repairs = ctx.queuedRepairs.length;
      reads.mockClear();
      const refused = await range(supportClient, rid2, start, grant);
      // Refused from what was kept (no header read), before any of the altered chunk's bytes went out.
      expect(reads.mock.calls.filter(([, from]) => from === 0)).toHaveLength(0);
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['content-range']).toBeUndefined();
      const repo = recordingsRepository(ctx.services.database.db);
      expect((await repo.listFixityEvents(rid2)).at(-1)).toMatchObject({ derivativeId: copy.id, result: 'mismatch' });
      expect(ctx.queuedRepairs.length).toBe(repairs + 1);
    } finally {
      reads.mockRestore();
    }
  });

  it('a grant expires after PLAYBACK_GRANT_MS (so a change of access is honoured within it), and never outlives the reason to listen', async () => {
    const grant = grantOf(await openPlayer(supportClient, rid));
    ctx.clock.advance(PLAYBACK_GRANT_MS - 1000);
    expect((await range(supportClient, rid, 0, grant)).headers['set-cookie']).toBeUndefined();
    ctx.clock.advance(2000);
    const issued = (await auditRows(ctx, 'recording.play_granted')).length;
    const expired = await range(supportClient, rid, 0, grant);
    expect(expired.statusCode).toBe(206);
    expect(String(expired.headers['set-cookie'])).toMatch(/^cpcr_play=/);
    expect((await auditRows(ctx, 'recording.play_granted')).length).toBe(issued + 1);
    // Near the end of the three-hour listening window, the grant ends with it.
    const reasonGiven = (await auditRows(ctx, 'recording.played')).filter(
      (r) => r.subjectId === rid && r.actorUserId === support.id,
    );
    const until = reasonGiven.at(-1)!.at.getTime() + 3 * 3_600_000;
    ctx.clock.current = new Date(until - 60_000);
    // A new session: the one before has been idle for hours.
    supportClient = await clientFor(support);
    const set = await openPlayer(supportClient, rid);
    expect(set).toContain('Max-Age=60');
    const last = grantOf(set);
    expect((await auditRows(ctx, 'recording.play_granted')).at(-1)!.details).toEqual({
      expiresAt: new Date(until).toISOString(),
    });
    // Once the reason has lapsed, the grant's request is refused at once (the lookup reads the reason too).
    ctx.clock.current = new Date(until + 1000);
    const lapsed = await range(supportClient, rid, 0, last);
    expect(lapsed.statusCode).toBe(403);
  });
});
