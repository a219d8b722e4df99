/**
 * Recordings through the web app when something underneath fails: a full disk (507 on tus POST
 * and PATCH, /health degraded), a crash while a finished tus upload is handed over (HEAD finishes it), audio
 * missing at ingest (the page says so and takes the audio again), a damaged playback copy (a clear page, not
 * a 500) and business support's list of recordings needing attention. Ingest is run by hand.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { PrivateFileStore } from '../../../infra/recordings/upload-tus.ts';
import { tusDir } from '../../../infra/recordings/upload-files.ts';
import { fixtureDir, type FixtureDir, toneWav } from '../../../../test/support/audio-fixtures.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import {
  createTestServices,
  runQueuedIngests,
  testDatabases,
  type TestContext,
} from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, '’')
    .replace(/\s+/g, ' ');

let fx: FixtureDir;
let wav: Buffer;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-recording-faults-web-');
  await toneWav(fx.file('meeting.wav'), { seconds: 3 });
  wav = await readFile(fx.file('meeting.wav'));
});
afterAll(async () => {
  await fx.cleanup();
});

describe.each(testDatabases())('recording faults through the web app (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let support: Actor;
  let sw: Actor;
  let supportClient: WebClient;
  let swClient: WebClient;
  let g: SiblingGroupConference;
  let server: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind, {}, { ingest: 'manual' });
    app = await testApp(ctx);
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    supportClient = (
      await signedInClient(ctx, app, { email: emailOf(support), name: support.name, roles: [...support.roles] })
    ).client;
    swClient = (await signedInClient(ctx, app, { email: emailOf(sw), name: sw.name, roles: [...sw.roles] })).client;
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    server = await testApp(ctx);
    base = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await app?.close();
    await ctx?.dispose();
  });

  const as = () => ({ actor: { id: support.id, label: support.name }, requestId: 'test' });

  async function ingestQueued(): Promise<void> {
    await runQueuedIngests(ctx);
  }

  async function newUpload(clientSha256: string | null = null): Promise<string> {
    const r = await ctx.services.recordings.createUpload(support, as(), g.conferenceId, {
      kind: 'meeting',
      source: 'teams',
      partId: g.partId,
      clientSha256,
    });
    return r.id;
  }

  async function tusHeaders(rid: string) {
    await supportClient.get(`/recordings/${rid}/upload`);
    return {
      'Tus-Resumable': '1.0.0',
      cookie: supportClient.cookieHeader(),
      'x-csrf-token': supportClient.csrfToken(),
    };
  }

  async function createTus(rid: string, length = wav.length) {
    const headers = await tusHeaders(rid);
    const res = await fetch(`${base}/uploads/recordings`, {
      method: 'POST',
      headers: { ...headers, 'Upload-Length': String(length), 'Upload-Metadata': `recordingId ${b64(rid)}` },
    });
    return { res, headers };
  }

  it('a full disk: a tus upload is refused with 507 and a plain message, on POST by the free-space check and on PATCH when the write fails (ENOSPC); /health says why', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const rid = await newUpload();
    const disk = ctx.services.uploads.disk;
    const probe = vi.spyOn(disk, 'freeBytes').mockResolvedValue(disk.reserveBytes + wav.length - 1);
    try {
      const refused = await createTus(rid);
      expect(refused.res.status).toBe(507);
      expect(await refused.res.text()).toContain('The server has no room to store this recording just now');
      expect(await readdirSafe(tusDir(ctx.dataDir))).toEqual([]);

      probe.mockResolvedValue(disk.reserveBytes - 1);
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'degraded', problems: [{ code: 'disk-space-low' }] });
      expect(health.body).not.toMatch(/Okafor|Ava|@/);
    } finally {
      probe.mockRestore();
    }

    // Room again: the upload is created, then the disk fills while a part is written.
    const { res: created, headers } = await createTus(rid);
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    const write = vi
      .spyOn(PrivateFileStore.prototype, 'write')
      .mockRejectedValue(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    try {
      const patch = await fetch(`${base}${location}`, {
        method: 'PATCH',
        headers: { ...headers, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
        body: wav,
      });
      expect(patch.status).toBe(507);
      expect(await patch.text()).toContain('The server has no room to store this recording just now');
    } finally {
      write.mockRestore();
    }
    // Nothing is lost: once there is room, the same upload carries on and finishes.
    const head = await fetch(`${base}${location}`, { method: 'HEAD', headers });
    const offset = Number(head.headers.get('upload-offset'));
    const patch = await fetch(`${base}${location}`, {
      method: 'PATCH',
      headers: { ...headers, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      body: wav.subarray(offset),
    });
    expect(patch.status).toBe(204);
    await ingestQueued();
    expect((await ctx.services.recordings.status(support, as(), rid)).status).toBe('stored');
  });

  it('a live recording’s chunk is refused with 507 when the disk is full, never a 500 to retry for ever', async () => {
    const live = await ctx.services.recordings.startLive(support, as(), g.conferenceId, { kind: 'meeting' });
    await supportClient.get(`/recordings/${live.id}/live`);
    const probe = vi.spyOn(ctx.services.uploads.disk, 'freeBytes').mockResolvedValue(0);
    try {
      const res = await app.inject({
        method: 'POST',
        url: `/recordings/${live.id}/chunks/0`,
        headers: {
          cookie: supportClient.cookieHeader(),
          'x-csrf-token': supportClient.csrfToken(),
          'content-type': 'application/octet-stream',
          accept: 'application/json',
        },
        payload: wav.subarray(0, 1000),
      });
      expect(res.statusCode).toBe(507);
      expect(res.json()).toMatchObject({ code: 'DISK_FULL' });
    } finally {
      probe.mockRestore();
    }
  });

  it('a crash after the finished file was moved into staging and before it was committed: HEAD finishes the hand-over and reports the upload complete', async () => {
    const rid = await newUpload(sha(wav));
    const { res: created, headers } = await createTus(rid);
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    const uploadId = location.split('/').at(-1)!;
    // The last bytes arrived (written to the tus file), then the service died having moved it into staging.
    const tusFile = path.join(tusDir(ctx.dataDir), uploadId);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(tusFile, wav);
    await rename(tusFile, ctx.services.staging.pathFor(rid));
    expect((await ctx.services.recordings.status(support, as(), rid)).status).toBe('receiving');

    const head = await fetch(`${base}${location}`, { method: 'HEAD', headers });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(wav.length));
    expect(head.headers.get('upload-length')).toBe(String(wav.length));
    expect((await ctx.services.recordings.status(support, as(), rid)).status).toBe('processing');
    // Asked again (the client retrying): still complete, nothing handed over twice.
    const again = await fetch(`${base}${location}`, { method: 'HEAD', headers });
    expect(again.status).toBe(200);
    expect(again.headers.get('upload-offset')).toBe(String(wav.length));
    expect(ctx.queuedIngests).toEqual([rid]);
    await ingestQueued();
    expect((await ctx.services.recordings.status(support, as(), rid)).status).toBe('stored');
    expect((await auditRows(ctx, 'recording.uploaded')).filter((a) => a.subjectId === rid)).toHaveLength(1);
  });

  it('a crash after every byte arrived and before the hand-over ran: HEAD hands the file over instead of offering a full re-upload', async () => {
    const rid = await newUpload();
    const { res: created, headers } = await createTus(rid);
    const location = created.headers.get('location')!;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(tusDir(ctx.dataDir), location.split('/').at(-1)!), wav);
    const head = await fetch(`${base}${location}`, { method: 'HEAD', headers });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(wav.length));
    expect((await ctx.services.recordings.status(support, as(), rid)).status).toBe('processing');
    await ingestQueued();
  });

  it('R-4: audio missing at ingest is shown on the recording page and in business support’s list, and staff upload it again against the same recording', async () => {
    const rid = await newUpload();
    const { res: created, headers } = await createTus(rid);
    const location = created.headers.get('location')!;
    expect(
      (
        await fetch(`${base}${location}`, {
          method: 'PATCH',
          headers: { ...headers, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
          body: wav,
        })
      ).status,
    ).toBe(204);
    await ctx.services.staging.remove(rid);
    await ingestQueued();

    const page = await supportClient.get(`/recordings/${rid}`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('The audio for this recording is missing');
    expect(text(page.body)).not.toContain('No audio was received');
    expect(page.body).toContain(`href="/recordings/${rid}/upload"`);
    // The banner of a recording that needs attention (the list's own test), pointing to the upload and the list.
    expect(text(page.body)).toContain(
      'Needs attention The audio for this recording is missing, so it cannot be stored',
    );
    expect(page.body).toContain('href="/recordings/attention"');
    // A social worker sees that it is missing, without the link to upload or to the list.
    const swPage = await swClient.get(`/recordings/${rid}`);
    expect(text(swPage.body)).toContain('Business support or the chair can upload the audio again');
    expect(text(swPage.body)).toContain('The audio for this recording is missing, so it cannot be stored');
    expect(swPage.body).not.toContain('href="/recordings/attention"');

    const attention = await supportClient.get('/recordings/attention');
    expect(attention.statusCode).toBe(200);
    expect(attention.body).toContain(`href="/recordings/${rid}"`);
    expect((await swClient.get('/recordings/attention')).statusCode).toBe(403);

    const send = await supportClient.get(`/recordings/${rid}/upload`);
    expect(send.statusCode).toBe(200);
    expect(text(send.body)).toContain('Upload the missing audio again');
    const boundary = `----cpcr${randomUUID()}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="restored.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
      ),
      wav,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await app.inject({
      method: 'POST',
      url: `/recordings/${rid}/upload?_csrf=${encodeURIComponent(supportClient.csrfToken(send.body))}`,
      headers: { cookie: supportClient.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`/recordings/${rid}`);
    await ingestQueued();
    expect((await ctx.services.recordings.status(support, as(), rid)).status).toBe('stored');
  });

  it('R-3: a damaged playback copy gives a clear page (not a 500), recorded as a failed check and alerted; the pages say it is being repaired until the queued job has made a new copy from the original, which then plays', async () => {
    const rid = await newUpload();
    const { res: created, headers } = await createTus(rid);
    await fetch(`${base}${created.headers.get('location')!}`, {
      method: 'PATCH',
      headers: { ...headers, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: wav,
    });
    await ingestQueued();
    const detail = await ctx.services.recordings.detail(support, as(), rid);
    const blob = path.join(ctx.dataDir, 'blobs', detail.playback!.blobKey.slice(0, 2), detail.playback!.blobKey);
    const bytes = await readFile(blob);
    bytes[bytes.length - 10]! ^= 0xff;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(blob, bytes);
    expect(
      (
        await supportClient.post(
          `/recordings/${rid}/listen`,
          { reason: 'Checking it before the review' },
          { fromPage: `/recordings/${rid}/listen` },
        )
      ).statusCode,
    ).toBe(303);
    const fatal = vi.spyOn(ctx.services.logger, 'fatal');
    try {
      const audio = await app.inject({
        method: 'GET',
        url: `/recordings/${rid}/audio`,
        headers: { cookie: supportClient.cookieHeader(), range: `bytes=${detail.playback!.size - 100}-` },
      });
      expect(audio.statusCode).toBe(503);
      expect(audio.headers['content-type']).toMatch(/text\/html/);
      expect(text(audio.body)).toContain('failed its integrity check');
      expect(fatal).toHaveBeenCalledWith(
        expect.objectContaining({ alert: 'recording-fixity', recordingId: rid }),
        expect.any(String),
      );
    } finally {
      fatal.mockRestore();
    }
    const listen = await supportClient.get(`/recordings/${rid}/listen`);
    expect(listen.statusCode).toBe(503);
    expect(text(listen.body)).toContain('This recording is being repaired');
    const events = (await ctx.services.recordings.evidence(support, as(), rid)).fixity;
    expect(events.at(-1)).toMatchObject({ derivativeId: detail.playback!.id, result: 'mismatch' });
    // The recording page says so too, with no button to ask again.
    const page = await supportClient.get(`/recordings/${rid}`);
    expect(text(page.body)).toContain('This recording is being repaired');
    expect(page.body).not.toContain(`action="/recordings/${rid}/repair-playback"`);

    // The job makes a new copy from the original: the recording plays again, from a different file, as long.
    expect(ctx.queuedRepairs).toEqual([rid]);
    expect(await ctx.services.recordings.repairPlayback(ctx.queuedRepairs.shift()!)).toBe('repaired');
    const repaired = await ctx.services.recordings.detail(support, as(), rid);
    expect(repaired.playback!.blobKey).not.toBe(detail.playback!.blobKey);
    expect(repaired.playback!.durationMs).toBe(detail.playback!.durationMs);
    const player = await supportClient.get(`/recordings/${rid}/listen`);
    expect(player.statusCode).toBe(200);
    expect(text(player.body)).not.toContain('being repaired');
    const audio = await app.inject({
      method: 'GET',
      url: `/recordings/${rid}/audio`,
      headers: { cookie: supportClient.cookieHeader() },
    });
    expect(audio.statusCode).toBe(200);
    expect(audio.rawPayload.length).toBe(repaired.playback!.size);
    expect(sha(audio.rawPayload)).toBe(repaired.playback!.sha256);
    expect(text((await supportClient.get(`/recordings/${rid}`)).body)).not.toContain('being repaired');
  });

  /** A stored recording, with a reason to listen given, whose playback copy (and original too) is damaged on disk. */
  async function damagedRecording(opts: { original?: boolean } = {}): Promise<string> {
    const rid = await newUpload();
    const { res: created, headers } = await createTus(rid);
    await fetch(`${base}${created.headers.get('location')!}`, {
      method: 'PATCH',
      headers: { ...headers, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: wav,
    });
    await ingestQueued();
    const detail = await ctx.services.recordings.detail(support, as(), rid);
    const { writeFile } = await import('node:fs/promises');
    for (const key of [detail.playback!.blobKey, ...(opts.original ? [detail.recording.originalBlobKey!] : [])]) {
      const blob = path.join(ctx.dataDir, 'blobs', key.slice(0, 2), key);
      const bytes = await readFile(blob);
      bytes[bytes.length - 10]! ^= 0xff;
      await writeFile(blob, bytes);
    }
    await supportClient.post(
      `/recordings/${rid}/listen`,
      { reason: 'Checking it before the review' },
      { fromPage: `/recordings/${rid}/listen` },
    );
    return rid;
  }

  it('R-3: when the original is damaged too, nothing is made again, and the pages say the recording cannot be played and the IT team has been told', async () => {
    ctx.queuedRepairs.length = 0;
    const rid = await damagedRecording({ original: true });
    const audio = await app.inject({
      method: 'GET',
      url: `/recordings/${rid}/audio`,
      headers: { cookie: supportClient.cookieHeader() },
    });
    expect(audio.statusCode).toBe(503);
    expect(await ctx.services.recordings.repairPlayback(ctx.queuedRepairs.shift()!)).toBe('original-damaged');
    const listen = await supportClient.get(`/recordings/${rid}/listen`);
    expect(listen.statusCode).toBe(503);
    expect(text(listen.body)).toContain('This recording cannot be played');
    expect(text(listen.body)).toContain('The council’s IT team has been told');
    expect(text(listen.body)).not.toContain('being repaired');
    const page = await supportClient.get(`/recordings/${rid}`);
    expect(text(page.body)).toContain('The council’s IT team has been told');
    expect(page.body).not.toContain(`action="/recordings/${rid}/repair-playback"`);
  });

  it('R-3: business support ask from the recording page for a damaged copy to be repaired when no repair is under way (CSRF, audited)', async () => {
    ctx.queuedRepairs.length = 0;
    const rid = await damagedRecording();
    // The queue could not take the repair when the damage was found while playing.
    const down = vi
      .spyOn(ctx.repairQueue, 'enqueuePlaybackRepair')
      .mockRejectedValueOnce(new Error('queue unavailable'));
    await app.inject({
      method: 'GET',
      url: `/recordings/${rid}/audio`,
      headers: { cookie: supportClient.cookieHeader() },
    });
    down.mockRestore();
    expect(ctx.queuedRepairs).toEqual([]);
    const page = await supportClient.get(`/recordings/${rid}`);
    expect(page.body).toContain(`action="/recordings/${rid}/repair-playback"`);
    expect(text((await swClient.get(`/recordings/${rid}`)).body)).toContain(
      'Business support or the chair can ask for it to be repaired',
    );
    // Without the form's token, refused.
    expect(
      (await supportClient.post(`/recordings/${rid}/repair-playback`, {}, { csrf: false })).statusCode,
    ).toBeGreaterThanOrEqual(400);
    expect(ctx.queuedRepairs).toEqual([]);
    // Someone without the role is refused.
    expect(
      (await swClient.post(`/recordings/${rid}/repair-playback`, {}, { fromPage: `/recordings/${rid}` })).statusCode,
    ).toBe(403);
    const asked = await supportClient.post(
      `/recordings/${rid}/repair-playback`,
      {},
      { fromPage: `/recordings/${rid}` },
    );
    expect(asked.statusCode).toBe(303);
    expect(asked.headers['location']).toBe(`/recordings/${rid}?done=repair-queued#playback-repair`);
    expect(ctx.queuedRepairs).toEqual([rid]);
    expect((await auditRows(ctx, 'recording.playback_repair_queued')).filter((a) => a.subjectId === rid)).toEqual([
      expect.objectContaining({ actorLabel: 'system: playback repair' }),
      expect.objectContaining({ actorUserId: support.id }),
    ]);
    const after = await supportClient.get(`/recordings/${rid}`);
    expect(text(after.body)).toContain('This recording is being repaired');
    expect(after.body).not.toContain(`action="/recordings/${rid}/repair-playback"`);
    // Asking again once it has started: a clear error on the page.
    const again = await supportClient.post(
      `/recordings/${rid}/repair-playback`,
      {},
      { fromPage: `/recordings/${rid}` },
    );
    expect(again.statusCode).toBe(400);
    expect(text(again.body)).toContain('The copy is already being repaired');
  });

  it('a live recording left receiving with audio for a week is listed with what to do, and discarded with a reason from the list', async () => {
    const live = await ctx.services.recordings.startLive(support, as(), g.conferenceId, { kind: 'meeting' });
    await ctx.services.recordings.appendChunk(support, as(), live.id, { seq: 0, bytes: wav.subarray(0, 4000) });
    ctx.clock.advance(8 * 86_400_000);
    // A week later: signed in afresh.
    supportClient = (
      await signedInClient(ctx, app, { email: emailOf(support), name: support.name, roles: [...support.roles] })
    ).client;
    const list = await supportClient.get('/recordings/attention');
    expect(list.body).toContain(`action="/recordings/${live.id}/stop"`);
    expect(list.body).toContain(`href="/recordings/${live.id}/discard"`);
    const empty = await supportClient.post(
      `/recordings/${live.id}/discard`,
      { reason: '' },
      { fromPage: `/recordings/${live.id}/discard` },
    );
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter why the recording is discarded');
    const done = await supportClient.post(
      `/recordings/${live.id}/discard`,
      { reason: 'Started by mistake' },
      { fromPage: `/recordings/${live.id}/discard` },
    );
    expect(done.statusCode).toBe(303);
    expect((await ctx.services.recordings.status(support, as(), live.id)).status).toBe('rejected');
    expect((await supportClient.get('/recordings/attention')).body).not.toContain(`/recordings/${live.id}/discard`);
  });
});

async function readdirSafe(dir: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}
