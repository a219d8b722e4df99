/**
 * A conference's recordings through the web app: the list, describing an upload, sending the file
 * without JavaScript (a streamed multipart form) and resumably (tus, raw HTTP here), the evidence
 * page and exports of the original (R-3, R-5, R-6). Ingest is run by hand so a test can see what a
 * recording looks like before it is stored.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import { readFile, readdir, stat, utimes, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { recordings as recordingsTable } from '../../../infra/db/recordings-schema.ts';
import { encode, fixtureDir, type FixtureDir, toneWav } from '../../../../test/support/audio-fixtures.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import {
  createTestServices,
  runQueuedIngests,
  testDatabases,
  type TestContext,
} from '../../../../test/support/services.ts';
import { TEST_PASSWORD, signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import { enrolTestAuthenticator, nextSecondFactorCode } from '../../../../test/support/second-factor.ts';
import { formatBytes } from '../../../domain/shared/bytes.ts';
import { exportFileName } from '../../../app/recordings/export-file.ts';
import { purgeAbandonedUploads, tusDir, uploadsDir } from '../../../infra/recordings/upload-files.ts';

const MAX_BYTES = 2_000_000;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The error summary's links, as `#id: message`. */
function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, '’')
    .replace(/\s+/g, ' ');

/**
 * A signed-in session for requests a form cannot make (multipart bodies, tus): its own cookie jar,
 * the CSRF token read from the last page.
 */
class RawSession {
  private readonly jar = new Map<string, string>();
  app: FastifyInstance;
  lastHtml = '';
  constructor(app: FastifyInstance) {
    this.app = app;
  }
  cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async inject(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), cookie: this.cookie() } });
    for (const c of res.cookies as Array<{ name: string; value: string }>) this.jar.set(c.name, c.value);
    if (res.headers['content-type']?.toString().startsWith('text/html')) this.lastHtml = res.body;
    return res;
  }
  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
    if (!m?.[1]) throw new Error('No CSRF token on the page');
    return m[1];
  }
  /** Fetches `page` for a fresh CSRF token and returns it. */
  async token(page: string): Promise<string> {
    await this.inject({ method: 'GET', url: page });
    return this.csrf();
  }
}

/** Signs in with the password and then the second factor (set up through the service if need be). */
async function rawSignIn(app: FastifyInstance, actor: Actor, ctx: TestContext): Promise<RawSession> {
  const s = new RawSession(app);
  const form = async (url: string, fields: Record<string, string>) =>
    s.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: s.csrf(), ...fields }).toString(),
    });
  await enrolTestAuthenticator(ctx, actor.id);
  await s.token('/sign-in');
  const password = await form('/sign-in', { email: emailOf(actor), password: TEST_PASSWORD });
  if (password.statusCode !== 303) throw new Error(`sign-in failed: ${password.statusCode}`);
  await s.token('/sign-in/second-factor');
  const res = await form('/sign-in/second-factor', { code: await nextSecondFactorCode(ctx, actor.id) });
  if (res.statusCode !== 303) throw new Error(`second factor failed: ${res.statusCode}`);
  return s;
}

function multipartBody(parts: Array<{ name: string; filename?: string; content: Buffer | string }>): {
  payload: Buffer;
  contentType: string;
} {
  const boundary = `----cpcr${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `Content-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const type = p.filename !== undefined ? 'Content-Type: audio/wav\r\n' : '';
    chunks.push(
      Buffer.from(`--${boundary}\r\n${disposition}\r\n${type}\r\n`),
      Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Every file name under `dir`, recursively. */
async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await allFiles(full)));
    else out.push(full);
  }
  return out;
}

let fx: FixtureDir;
let wav: Buffer;
let m4a: Buffer;
let big: Buffer;
const notAudio = Buffer.from('Typed notes of the conference, not a recording.\n'.repeat(60));

beforeAll(async () => {
  fx = await fixtureDir('cpcr-recording-upload-');
  // Larger than the app's 1 MB body limit, which must not apply to recordings: 12 s of 48 kHz 16-bit mono.
  wav = await readFile(await toneWav(fx.file('meeting.wav'), { seconds: 12 }));
  m4a = await readFile(await encode(fx.file('meeting.wav'), fx.file('teams.m4a'), ['-c:a', 'aac', '-b:a', '64k']));
  // Larger than the limit these tests set (2 MB): 25 s of 48 kHz 16-bit mono.
  big = await readFile(await toneWav(fx.file('long.wav'), { seconds: 25 }));
});
afterAll(async () => {
  await fx?.cleanup();
});

describe.each(testDatabases())('recordings on the web: list, upload, evidence, export (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let support: Actor;
  let sw: Actor;
  let otherSw: Actor;
  let qa: Actor;
  let chairClient: WebClient;
  let supportClient: WebClient;
  let swClient: WebClient;
  let otherSwClient: WebClient;
  let qaClient: WebClient;
  let supportRaw: RawSession;
  let g: SiblingGroupConference;
  let list: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind, { RECORDING_MAX_BYTES: String(MAX_BYTES) }, { ingest: 'manual' });
    app = await testApp(ctx);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Other', ['social_worker']);
    qa = await staff(ctx, 'Quinn Quality', ['qa_manager']);
    const client = async (a: Actor) =>
      (await signedInClient(ctx, app, { email: emailOf(a), name: a.name, roles: [...a.roles] })).client;
    chairClient = await client(chair);
    supportClient = await client(support);
    swClient = await client(sw);
    otherSwClient = await client(otherSw);
    qaClient = await client(qa);
    supportRaw = await rawSignIn(app, support, ctx);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    list = `/conferences/${g.conferenceId}/recordings`;
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.dispose();
  });

  /** Runs the ingest the service queued (ingest is manual in these tests). */
  async function ingestQueued(): Promise<void> {
    await runQueuedIngests(ctx);
  }

  /** Describes an upload through the form, returning the new recording's id. */
  async function describeUpload(form: Record<string, string>, as: WebClient = supportClient): Promise<string> {
    const res = await as.post(`${list}/upload`, form, { fromPage: `${list}/upload` });
    expect(res.statusCode, res.body).toBe(303);
    const m = /^\/recordings\/([0-9a-f-]{36})\/upload$/.exec(String(res.headers.location));
    expect(m).not.toBeNull();
    return m![1]!;
  }

  /** Sends a file through the page's plain (no JavaScript) form. */
  async function sendPlain(
    rid: string,
    parts: Array<{ name: string; filename?: string; content: Buffer | string }>,
    opts: { csrf?: boolean; session?: RawSession } = {},
  ) {
    const session = opts.session ?? supportRaw;
    const token = opts.csrf === false ? null : await session.token(`/recordings/${rid}/upload`);
    const { payload, contentType } = multipartBody(parts);
    return session.inject({
      method: 'POST',
      url: `/recordings/${rid}/upload${token ? `?_csrf=${encodeURIComponent(token)}` : ''}`,
      headers: { 'content-type': contentType },
      payload,
    });
  }

  async function recordingRow(rid: string) {
    const [row] = await ctx.services.database.db.select().from(recordingsTable).where(eq(recordingsTable.id, rid));
    return row!;
  }

  it('R-5: the list offers upload and recording to the chair and business support; a social worker only reads it', async () => {
    const page = await chairClient.get(list);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Initial child protection conference');
    expect(page.body).toContain('There are no recordings of this conference yet.');
    expect(page.body).toContain(`href="${list}/upload"`);
    expect(page.body).toContain(`href="${list}/live"`);
    expect(text(page.body)).toContain('Record in the browser');
    const swPage = await swClient.get(list);
    expect(swPage.statusCode).toBe(200);
    expect(swPage.body).not.toContain('Upload a recording');
    // A social worker of another child sees nothing of it, and the denial is audited.
    expect((await otherSwClient.get(list)).statusCode).toBe(403);
    expect(
      (await auditRows(ctx, 'recording.list')).some((r) => r.subjectId === g.conferenceId && r.outcome === 'denied'),
    ).toBe(true);
    // Only the chair and business support may start an upload.
    expect((await swClient.get(`${list}/upload`)).statusCode).toBe(403);
    expect((await supportClient.get(`/conferences/${randomUUID()}/recordings`)).statusCode).toBe(404);
  });

  it('describing the file: every problem at once, in the order of the form, then the send-the-file page', async () => {
    const page = await supportClient.get(`${list}/upload`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Microsoft Teams recording');
    expect(page.body).toContain('Chair’s dictation after the conference');
    // One part: the recording is linked to it without asking.
    expect(page.body).toContain('linked to the conference’s only part, “Whole conference”');
    const bad = await supportClient.post(
      `${list}/upload`,
      { clientSha256: 'not a hash' },
      { fromPage: `${list}/upload` },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<title>Error: /);
    expect(errorSummary(bad.body)).toEqual([
      '#kind: Select what the recording is of',
      '#source: Select where the recording was made',
      '#clientSha256: The file’s SHA-256 must be 64 letters a to f and digits, like the one your recording software or sha256sum shows',
    ]);
    expect(bad.body).toContain('value="not a hash"');
    const noCsrf = await supportClient.post(`${list}/upload`, { kind: 'meeting', source: 'teams' }, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);

    const rid = await describeUpload({ kind: 'meeting', source: 'teams', clientSha256: sha(m4a).toUpperCase() });
    const row = await recordingRow(rid);
    expect(row).toMatchObject({
      status: 'receiving',
      kind: 'meeting',
      source: 'teams',
      conferencePartId: g.partId,
      clientSha256: sha(m4a),
    });
    const send = await supportClient.get(`/recordings/${rid}/upload`);
    expect(send.statusCode).toBe(200);
    expect(send.body).toMatch(
      new RegExp(`action="/recordings/${rid}/upload\\?_csrf=[^"]+" enctype="multipart/form-data"`),
    );
    expect(send.body).toContain('type="file"');
    expect(send.body).toContain(`data-max-bytes="${MAX_BYTES}"`);
    expect(send.body).toContain(`data-declared-sha256="${sha(m4a)}"`);
    expect(send.body).toContain('src="/static/vendor/tus-js-client/tus.min.js"');
    expect(send.body).toContain('src="/static/recording-upload.js"');
    // The list shows it as waiting for its file.
    const listed = text((await supportClient.get(list)).body);
    expect(listed).toContain('Receiving audio');
    expect(listed).toContain('Not stored yet: the file has not been sent');
    // The client library is served, and nothing else from its folder.
    const lib = await supportClient.get('/static/vendor/tus-js-client/tus.min.js');
    expect(lib.statusCode).toBe(200);
    expect(lib.body).toContain('tus');
    expect((await supportClient.get('/static/vendor/tus-js-client/browser-test-bundle.js')).statusCode).toBe(404);
  });

  it('without JavaScript: the file is streamed to disk under a random name, checked and stored; errors are specific', async () => {
    const rid = await describeUpload({ kind: 'meeting', source: 'dictaphone' });
    const hostile = 'Ava Okafor ../../../etc/passwd.wav';

    // No CSRF token: refused before a byte is read.
    expect(
      (await sendPlain(rid, [{ name: 'file', filename: 'x.wav', content: wav }], { csrf: false })).statusCode,
    ).toBe(403);
    // No file chosen: browsers send an empty part with an empty name.
    const none = await sendPlain(rid, [{ name: 'file', filename: '', content: '' }]);
    expect(none.statusCode).toBe(400);
    expect(errorSummary(none.body)).toEqual(['#file: Select the recording file']);
    const empty = await sendPlain(rid, [{ name: 'file', filename: 'empty.wav', content: '' }]);
    expect(errorSummary(empty.body)).toEqual(['#file: The selected file is empty']);
    // Too large: refused while streaming, nothing kept.
    const tooBig = await sendPlain(rid, [{ name: 'file', filename: 'long.wav', content: big }]);
    expect(tooBig.statusCode).toBe(413);
    expect(errorSummary(tooBig.body)).toEqual([
      `#file: The selected file must be smaller than ${formatBytes(MAX_BYTES)}`,
    ]);
    expect(await readdir(uploadsDir(ctx.dataDir))).toEqual(['tus']);
    // A social worker may not send a file at all.
    const swRaw = await rawSignIn(app, sw, ctx);
    expect(
      (await sendPlain(rid, [{ name: 'file', filename: 'x.wav', content: wav }], { session: swRaw, csrf: false }))
        .statusCode,
    ).toBe(403);

    const ok = await sendPlain(rid, [{ name: 'file', filename: hostile, content: wav }]);
    expect(ok.statusCode, ok.body).toBe(303);
    expect(ok.headers.location).toBe(`/recordings/${rid}`);
    expect(await recordingRow(rid)).toMatchObject({ status: 'processing', receivedBytes: wav.length });
    const processing = text((await supportClient.get(list)).body);
    expect(processing).toContain('Checking and storing');
    expect(processing).toContain('Not stored yet: the audio is being checked, encrypted and stored');
    await ingestQueued();
    expect(await recordingRow(rid)).toMatchObject({ status: 'stored', originalSha256: sha(wav), container: 'wav' });
    // The person's file name reached no path and no audit entry.
    const names = await allFiles(ctx.dataDir);
    expect(names.filter((f) => /okafor|passwd|\.wav$/i.test(f))).toEqual([]);
    expect(JSON.stringify(await auditRows(ctx))).not.toMatch(/passwd|Okafor \.\./);
    expect((await readdir(uploadsDir(ctx.dataDir))).filter((f) => f !== 'tus')).toEqual([]);
    // Once the file is in, the send page goes to the recording.
    expect((await supportClient.get(`/recordings/${rid}/upload`)).headers.location).toBe(`/recordings/${rid}`);

    const stored = text((await supportClient.get(list)).body);
    expect(stored).toContain('Stored');
    expect(stored).toContain('0:12');
    expect(stored).toContain('Dictaphone or room recorder');
    expect(stored).toContain('Whole conference');
    expect(stored).toContain('Not confirmed yet');
  });

  it('rejected audio: a text file named .mp3 is not stored, and the list says why', async () => {
    const rid = await describeUpload({ kind: 'meeting', source: 'dictaphone' });
    expect((await sendPlain(rid, [{ name: 'file', filename: 'notes.mp3', content: notAudio }])).statusCode).toBe(303);
    await ingestQueued();
    const row = await recordingRow(rid);
    expect(row.status).toBe('rejected');
    const listed = text((await supportClient.get(list)).body);
    expect(listed).toContain(`Why: ${row.rejectionReason}`);
    expect(row.rejectionReason).toMatch(/not a sound or video recording/);
  });

  it('tus: created, sent in two PATCHes across an interruption and a server restart, resumed from HEAD, then stored', async () => {
    const rid = await describeUpload({ kind: 'meeting', source: 'teams' });
    const token = await supportRaw.token(`/recordings/${rid}/upload`);
    const cookie = supportRaw.cookie();
    let server = await testApp(ctx);
    let base = await server.listen({ host: '127.0.0.1', port: 0 });
    const tusHeaders = { 'Tus-Resumable': '1.0.0', cookie, 'x-csrf-token': token };
    try {
      // Without the CSRF header, or for a recording that does not exist, nothing is created.
      const noCsrf = await fetch(`${base}/uploads/recordings`, {
        method: 'POST',
        headers: {
          ...tusHeaders,
          'x-csrf-token': '',
          'Upload-Length': String(wav.length),
          'Upload-Metadata': `recordingId ${b64(rid)}`,
        },
      });
      expect(noCsrf.status).toBe(403);
      const unknown = await fetch(`${base}/uploads/recordings`, {
        method: 'POST',
        headers: { ...tusHeaders, 'Upload-Length': '10', 'Upload-Metadata': `recordingId ${b64(randomUUID())}` },
      });
      expect(unknown.status).toBe(404);
      const tooLarge = await fetch(`${base}/uploads/recordings`, {
        method: 'POST',
        headers: {
          ...tusHeaders,
          'Upload-Length': String(MAX_BYTES + 1),
          'Upload-Metadata': `recordingId ${b64(rid)}`,
        },
      });
      expect(tooLarge.status).toBe(413);
      expect(await tooLarge.text()).toContain(`smaller than ${formatBytes(MAX_BYTES)}`);

      // Create, with the SHA-256 the browser computed and a file name the server must drop.
      const created = await fetch(`${base}/uploads/recordings`, {
        method: 'POST',
        headers: {
          ...tusHeaders,
          'Upload-Length': String(wav.length),
          'Upload-Metadata': `recordingId ${b64(rid)},sha256 ${b64(sha(wav))},filename ${b64('Ava Okafor meeting.m4a')}`,
        },
      });
      expect(created.status, await created.clone().text()).toBe(201);
      const location = created.headers.get('location')!;
      expect(location).toMatch(new RegExp(`^/uploads/recordings/${rid}-[0-9a-f]{32}$`));
      expect(created.headers.get('access-control-allow-origin')).toBeNull();
      expect(created.headers.get('cache-control')).toBe('no-store');
      const uploadId = location.split('/').at(-1)!;
      const info = JSON.parse(await readFile(path.join(tusDir(ctx.dataDir), `${uploadId}.json`), 'utf8')) as {
        metadata: Record<string, string>;
      };
      expect(info.metadata).toEqual({ recordingId: rid, sha256: sha(wav) });
      expect((await recordingRow(rid)).clientSha256).toBe(sha(wav));

      // The first part.
      const first = Math.floor(wav.length / 3);
      const patch1 = await fetch(`${base}${location}`, {
        method: 'PATCH',
        headers: { ...tusHeaders, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
        body: wav.subarray(0, first),
      });
      expect(patch1.status).toBe(204);
      expect(patch1.headers.get('upload-offset')).toBe(String(first));
      // PATCH needs the CSRF header too.
      const patchNoCsrf = await fetch(`${base}${location}`, {
        method: 'PATCH',
        headers: {
          ...tusHeaders,
          'x-csrf-token': '',
          'Upload-Offset': String(first),
          'Content-Type': 'application/offset+octet-stream',
        },
        body: wav.subarray(first),
      });
      expect(patchNoCsrf.status).toBe(403);

      // The second PATCH is cut off part-way: the connection drops after some of its bytes.
      const sentBeforeDrop = Math.floor((wav.length - first) / 2);
      await new Promise<void>((resolve) => {
        const url = new URL(`${base}${location}`);
        const req = http.request({
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'PATCH',
          headers: {
            ...tusHeaders,
            'Upload-Offset': String(first),
            'Content-Type': 'application/offset+octet-stream',
            'Content-Length': String(wav.length - first),
          },
        });
        req.on('error', () => resolve());
        req.on('response', () => resolve());
        req.write(wav.subarray(first, first + sentBeforeDrop));
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 300);
      });
      // The server is killed and started again (same data folder and database).
      await server.close();
      server = await testApp(ctx);
      base = await server.listen({ host: '127.0.0.1', port: 0 });

      // HEAD says how much arrived: nothing acknowledged is lost, and what arrived before the drop is kept.
      const head = await fetch(`${base}${location}`, { method: 'HEAD', headers: tusHeaders });
      expect(head.status).toBe(200);
      const offset = Number(head.headers.get('upload-offset'));
      expect(head.headers.get('upload-length')).toBe(String(wav.length));
      expect(offset).toBeGreaterThan(first);
      expect(offset).toBeLessThanOrEqual(first + sentBeforeDrop);
      // Another social worker may not even ask.
      const otherRaw = await rawSignIn(server, otherSw, ctx);
      const otherHead = await fetch(`${base}${location}`, {
        method: 'HEAD',
        headers: { ...tusHeaders, cookie: otherRaw.cookie() },
      });
      expect(otherHead.status).toBe(403);
      // A PATCH from the wrong offset is refused by the protocol.
      const wrong = await fetch(`${base}${location}`, {
        method: 'PATCH',
        headers: { ...tusHeaders, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
        body: wav.subarray(0, 10),
      });
      expect(wrong.status).toBe(409);

      // Resume from the offset to the end: the last byte hands the file to the service.
      const rest = await fetch(`${base}${location}`, {
        method: 'PATCH',
        headers: { ...tusHeaders, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
        body: wav.subarray(offset),
      });
      expect(rest.status).toBe(204);
      expect(rest.headers.get('upload-offset')).toBe(String(wav.length));
      expect(await recordingRow(rid)).toMatchObject({ status: 'processing', receivedBytes: wav.length });
      await ingestQueued();
      expect(await recordingRow(rid)).toMatchObject({
        status: 'stored',
        originalSha256: sha(wav),
        container: 'wav',
        codec: 'pcm_s16le',
      });
      // Nothing of the upload is left behind, and no name a person gave reached a path.
      expect(await readdir(tusDir(ctx.dataDir))).toEqual([]);
      expect((await allFiles(ctx.dataDir)).filter((f) => /okafor/i.test(f))).toEqual([]);
      // The recording no longer takes bytes: a new upload for it is refused with the reason.
      const again = await fetch(`${base}/uploads/recordings`, {
        method: 'POST',
        headers: { ...tusHeaders, 'Upload-Length': '10', 'Upload-Metadata': `recordingId ${b64(rid)}` },
      });
      expect(again.status).toBe(410);
      expect(await again.text()).toContain('This recording is not waiting for a file');
    } finally {
      await server.close();
    }
  });

  it('tus: a SHA-256 that differs from the one given is refused before any byte is sent; a changed file is rejected at ingest', async () => {
    const rid = await describeUpload({ kind: 'meeting', source: 'teams', clientSha256: sha(wav) });
    const token = await supportRaw.token(`/recordings/${rid}/upload`);
    const headers = { 'tus-resumable': '1.0.0', 'x-csrf-token': token };
    const refused = await supportRaw.inject({
      method: 'POST',
      url: '/uploads/recordings',
      headers: {
        ...headers,
        'upload-length': String(m4a.length),
        'upload-metadata': `recordingId ${b64(rid)},sha256 ${b64(sha(m4a))}`,
      },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('The file chosen is not the file whose SHA-256 was given for this upload');
    // Without a SHA-256 from the browser the upload goes ahead; ingest compares with the one given.
    const created = await supportRaw.inject({
      method: 'POST',
      url: '/uploads/recordings',
      headers: { ...headers, 'upload-length': String(m4a.length), 'upload-metadata': `recordingId ${b64(rid)}` },
    });
    expect(created.statusCode).toBe(201);
    // The bytes of an upload are never served back.
    expect((await supportRaw.inject({ method: 'GET', url: String(created.headers.location) })).statusCode).toBe(404);
    const sent = await supportRaw.inject({
      method: 'PATCH',
      url: String(created.headers.location),
      headers: { ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      payload: m4a,
    });
    expect(sent.statusCode).toBe(204);
    await ingestQueued();
    expect((await recordingRow(rid)).rejectionReason).toMatch(/not the file that was sent/);
    // An empty file is refused when the upload is created.
    const rid2 = await describeUpload({ kind: 'meeting', source: 'teams' });
    const empty = await supportRaw.inject({
      method: 'POST',
      url: '/uploads/recordings',
      headers: { ...headers, 'upload-length': '0', 'upload-metadata': `recordingId ${b64(rid2)}` },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('The selected file is empty');
    // An upload can be abandoned (tus termination, with the CSRF header): its bytes are removed.
    const started = await supportRaw.inject({
      method: 'POST',
      url: '/uploads/recordings',
      headers: { ...headers, 'upload-length': '10', 'upload-metadata': `recordingId ${b64(rid2)}` },
    });
    const startedAt = String(started.headers.location);
    expect((await readdir(tusDir(ctx.dataDir))).length).toBe(2);
    expect(
      (await supportRaw.inject({ method: 'DELETE', url: startedAt, headers: { 'tus-resumable': '1.0.0' } })).statusCode,
    ).toBe(403);
    expect((await supportRaw.inject({ method: 'DELETE', url: startedAt, headers })).statusCode).toBe(204);
    expect(await readdir(tusDir(ctx.dataDir))).toEqual([]);
    // A made-up upload id is not found; a social worker's tus request is refused by role.
    expect(
      (await supportRaw.inject({ method: 'HEAD', url: `/uploads/recordings/${rid2}-${'0'.repeat(32)}`, headers }))
        .statusCode,
    ).toBe(404);
    expect(
      (await supportRaw.inject({ method: 'HEAD', url: '/uploads/recordings/..%2F..%2Fetc', headers })).statusCode,
    ).toBe(404);
    const swRaw = await rawSignIn(app, sw, ctx);
    expect(
      (
        await swRaw.inject({
          method: 'POST',
          url: '/uploads/recordings',
          headers: { ...headers, 'upload-length': '10', 'upload-metadata': `recordingId ${b64(rid2)}` },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('the evidence page: hashes, the playback copy naming its original, fixity events and audited uses with reasons', async () => {
    const rid = await describeUpload({ kind: 'meeting', source: 'dictaphone' });
    await sendPlain(rid, [{ name: 'file', filename: 'a.wav', content: wav }]);
    await ingestQueued();
    const row = await recordingRow(rid);
    await ctx.services.recordings.startListening(
      sw,
      { actor: { id: sw.id, label: sw.name } },
      rid,
      'Preparing the core group meeting',
    );

    const page = await swClient.get(`/recordings/${rid}/evidence`);
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain(`SHA-256 ${sha(wav)}`);
    expect(body).toContain(`Encrypted file SHA-256 ${row.originalBlobSha256}`);
    expect(body).toContain(`Size ${wav.length.toLocaleString('en-GB')} bytes`);
    expect(body).toContain(`Encrypted file size ${row.originalBlobSize!.toLocaleString('en-GB')} bytes`);
    expect(body).toContain(`Made from the original with SHA-256 ${sha(wav)}`);
    expect(body).toMatch(/When it was stored Unchanged/);
    expect(body).toContain('File received');
    expect(body).toContain('Original stored');
    expect(body).toMatch(/Played Sam Worker Done Reason: Preparing the core group meeting/);
    // The social worker may look but not run a check or export.
    expect(page.body).not.toContain('Check integrity now');
    expect(page.body).not.toContain(`/recordings/${rid}/original`);
    expect(
      (await swClient.post(`/recordings/${rid}/evidence/check`, {}, { fromPage: `/recordings/${rid}/evidence` }))
        .statusCode,
    ).toBe(403);
    expect((await otherSwClient.get(`/recordings/${rid}/evidence`)).statusCode).toBe(403);

    // The chair checks integrity now.
    const evidence = await chairClient.get(`/recordings/${rid}/evidence`);
    expect(evidence.body).toContain('Check integrity now');
    expect((await chairClient.post(`/recordings/${rid}/evidence/check`, {}, { csrf: false })).statusCode).toBe(403);
    const checked = await chairClient.post(
      `/recordings/${rid}/evidence/check`,
      {},
      { fromPage: `/recordings/${rid}/evidence` },
    );
    expect(checked.statusCode).toBe(303);
    expect(checked.headers.location).toBe(`/recordings/${rid}/evidence?checked=ok`);
    const after = text((await chairClient.get(String(checked.headers.location))).body);
    expect(after).toContain('The integrity check passed');
    expect(after).toMatch(/Original Checked on request Unchanged/);
    expect(after).toMatch(/Playback copy Checked on request Unchanged/);
    expect(after).toMatch(/Integrity checked Cal Chair Done Checked on request/);
    // A recording that is not stored cannot be checked; the page says why.
    const waiting = await describeUpload({ kind: 'meeting', source: 'teams' });
    const notStored = await chairClient.post(
      `/recordings/${waiting}/evidence/check`,
      {},
      { fromPage: `/recordings/${waiting}/evidence` },
    );
    expect(notStored.statusCode).toBe(409);
    expect(errorSummary(notStored.body)).toEqual(['#check: Only a stored recording can be checked']);
  });

  it('R-3: exports the original exactly as received with a reason; a changed file is refused with a clear page', async () => {
    const rid = await describeUpload({ kind: 'meeting', source: 'dictaphone' });
    await sendPlain(rid, [{ name: 'file', filename: 'b.wav', content: wav }]);
    await ingestQueued();
    const row = await recordingRow(rid);
    const url = `/recordings/${rid}/original`;
    const expectedName = exportFileName(rid, row.startedAt, 'wav');
    expect(expectedName).toBe(`recording-2026-03-02-${rid.slice(0, 8)}.wav`);

    const form = await supportClient.get(url);
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toContain(`File name ${expectedName}`);
    expect((await qaClient.get(url)).statusCode).toBe(200);
    expect((await swClient.get(url)).statusCode).toBe(403);
    const noReason = await supportClient.post(url, { reason: '  ' }, { fromPage: url });
    expect(noReason.statusCode).toBe(400);
    expect(errorSummary(noReason.body)).toEqual(['#reason: Enter why you need a copy of the original']);
    expect((await supportClient.post(url, { reason: 'Court order' }, { csrf: false })).statusCode).toBe(403);

    const res = await supportClient.post(url, { reason: 'Court order C-123' }, { fromPage: url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${expectedName}"`);
    expect(res.headers['content-length']).toBe(String(wav.length));
    expect(res.headers['content-type']).toBe('audio/wav');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(sha(wav), 'hex').toString('base64')}:`);
    expect(sha(res.rawPayload)).toBe(sha(wav));
    const evidence = text((await supportClient.get(`/recordings/${rid}/evidence`)).body);
    expect(evidence).toMatch(/Original exported Bo Support Done Reason: Court order C-123/);
    expect(evidence).toMatch(/Original Before an export Unchanged/);

    // A bit flipped in the stored file: no copy, a page that says so, the failure recorded.
    const blob = path.join(ctx.dataDir, 'blobs', row.originalBlobKey!.slice(0, 2), row.originalBlobKey!);
    const bytes = await readFile(blob);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    await writeFile(blob, bytes);
    const refused = await supportClient.post(url, { reason: 'Court order C-123' }, { fromPage: url });
    expect(refused.statusCode).toBe(500);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.headers['content-disposition']).toBeUndefined();
    expect(text(refused.body)).toContain('No copy was made: the recording failed its integrity check');
    expect(text(refused.body)).toContain('The failure has been reported');
    const failedEvidence = text((await supportClient.get(`/recordings/${rid}/evidence`)).body);
    expect(failedEvidence).toMatch(/Original Before an export Changed/);

    // A recording that is not stored has no original to export.
    const waiting = await describeUpload({ kind: 'meeting', source: 'teams' });
    const none = await supportClient.get(`/recordings/${waiting}/original`);
    expect(none.statusCode).toBe(409);
    expect(text(none.body)).toContain('This recording is not stored, so there is no original to export.');
  });

  it('R-6: a split conference asks which part; the chair’s dictation need not be one', async () => {
    const add = await chairClient.post(
      `/conferences/${g.conferenceId}/meeting/parts`,
      { label: 'Part 2: with Ava', startsAt: '11:30', durationMinutes: '30' },
      { fromPage: `/conferences/${g.conferenceId}/meeting/parts` },
    );
    expect(add.statusCode).toBe(303);
    const page = await chairClient.get(`${list}/upload`);
    expect(page.body).toContain('Which part of the conference does it record?');
    expect(page.body).toContain('Part 2: with Ava');
    const missing = await chairClient.post(
      `${list}/upload`,
      { kind: 'meeting', source: 'dictaphone' },
      { fromPage: `${list}/upload` },
    );
    expect(errorSummary(missing.body)).toEqual(['#partId: Select which part of the conference it records']);
    const rid = await describeUpload({ kind: 'dictation', source: 'dictaphone', partId: 'none' }, chairClient);
    expect(await recordingRow(rid)).toMatchObject({ kind: 'dictation', conferencePartId: null });
    const parts = await ctx.services.meeting.getMeeting(chair, g.conferenceId, {
      actor: { id: chair.id, label: chair.name },
    });
    const part2 = parts.parts.find((p) => p.label === 'Part 2: with Ava')!;
    const rid2 = await describeUpload({ kind: 'meeting', source: 'other', partId: part2.id }, chairClient);
    expect((await recordingRow(rid2)).conferencePartId).toBe(part2.id);
    // Tidy: cancelling an upload stores nothing and says so.
    for (const id of [rid, rid2]) {
      const res = await chairClient.post(
        `/recordings/${id}/upload/cancel`,
        {},
        { fromPage: `/recordings/${id}/upload` },
      );
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`${list}?done=cancelled`);
      expect(await recordingRow(id)).toMatchObject({
        status: 'rejected',
        rejectionReason: 'Cancelled before any audio was stored',
      });
    }
    const after = text((await chairClient.get(`${list}?done=cancelled`)).body);
    expect(after).toContain('The upload was cancelled. Nothing was stored.');
    expect(after).toContain('Why: Cancelled before any audio was stored');
    // A cancelled upload's page goes to the recording.
    expect((await chairClient.get(`/recordings/${rid}/upload`)).headers.location).toBe(`/recordings/${rid}`);
  });
});

describe('purgeAbandonedUploads', () => {
  it('removes uploads untouched for longer than the grace period and keeps the rest', async () => {
    const dataDir = fx.file('purge');
    const tus = tusDir(dataDir);
    await mkdir(tus, { recursive: true });
    const rid = randomUUID();
    const old = `${rid}-${'a'.repeat(32)}`;
    const fresh = `${rid}-${'b'.repeat(32)}`;
    for (const id of [old, fresh]) {
      await writeFile(path.join(tus, id), 'bytes');
      await writeFile(path.join(tus, `${id}.json`), '{}');
    }
    const oldPart = path.join(uploadsDir(dataDir), `${randomUUID()}.part`);
    const freshPart = path.join(uploadsDir(dataDir), `${randomUUID()}.part`);
    await writeFile(oldPart, 'x');
    await writeFile(freshPart, 'x');
    await writeFile(path.join(tus, 'not-an-upload'), 'kept');
    const now = new Date();
    const eightDaysAgo = new Date(now.getTime() - 8 * 86_400_000);
    for (const f of [path.join(tus, old), path.join(tus, `${old}.json`), oldPart, path.join(tus, 'not-an-upload')])
      await utimes(f, eightDaysAgo, eightDaysAgo);
    expect(await purgeAbandonedUploads(dataDir, 7 * 86_400_000, now)).toBe(2);
    expect((await readdir(tus)).sort()).toEqual([fresh, `${fresh}.json`, 'not-an-upload'].sort());
    expect(await readdir(uploadsDir(dataDir))).toEqual(expect.arrayContaining([path.basename(freshPart), 'tus']));
    await expect(stat(oldPart)).rejects.toThrow();
    // An upload still being added to is kept even when it was started long ago.
    await utimes(path.join(tus, `${fresh}.json`), eightDaysAgo, eightDaysAgo);
    expect(await purgeAbandonedUploads(dataDir, 7 * 86_400_000, now)).toBe(0);
    expect(await purgeAbandonedUploads(fx.file('nothing-here'), 1)).toBe(0);
  });
});
