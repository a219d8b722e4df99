import { createHash } from 'node:crypto';
import { copyFile, readFile, readdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { recordingDerivatives, recordings } from '../../infra/db/recordings-schema.ts';
import { tusDir } from '../../infra/recordings/upload-files.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { type FixtureDir, fixtureDir, toneWav } from '../../../test/support/audio-fixtures.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';
import { TUS_ENDPOINT } from './recordings.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, requestId: 'test-request' });
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const statement = {
  location: 'Room 2, Civic Centre',
  recordedOn: '2026-03-02',
  startedAt: '10:00',
  endedAt: '11:30',
  context: 'Initial child protection conference for Ava and Ben',
  speakers: [{ name: 'Cal Chair', role: 'Conference chair' }],
  breaks: [{ startedAt: '10:40', endedAt: '10:50', reason: 'Comfort break', participantChanges: 'The father left' }],
};

let fx: FixtureDir;
let wav: Buffer;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-recordings-api-');
  await toneWav(fx.file('meeting.wav'), { seconds: 4 });
  wav = await readFile(fx.file('meeting.wav'));
});
afterAll(async () => {
  await fx.cleanup();
});

describe.each(testDatabases())('recordings API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let support: Actor;
  let sw: Actor;
  let otherSw: Actor;
  let chairToken: string;
  let supportToken: string;
  let swToken: string;
  let otherSwToken: string;
  let g: SiblingGroupConference;
  /** A stored recording most tests share. */
  let stored: string;

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string | null, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;
  const row = async (id: string) =>
    (await ctx.services.database.db.select().from(recordings).where(eq(recordings.id, id)))[0]!;
  const blobPath = (key: string) => path.join(ctx.dataDir, 'blobs', key.slice(0, 2), key);

  /** Starts an upload through the API, then sends the bytes as the tus endpoint would on completion. */
  async function uploadViaApi(body: Record<string, unknown> = {}): Promise<string> {
    const res = await call('POST', `/api/v1/conferences/${g.conferenceId}/recordings`, supportToken, {
      kind: 'meeting',
      source: 'dictaphone',
      partId: g.partId,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().recording.id as string;
    const copy = path.join(ctx.dataDir, `upload-${id}`);
    await copyFile(fx.file('meeting.wav'), copy);
    await ctx.services.recordings.completeUpload(support, as(support), id, copy);
    return id;
  }

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Other', ['social_worker']);
    [chairToken, supportToken, swToken, otherSwToken] = await Promise.all([
      tokenFor(chair),
      tokenFor(support),
      tokenFor(sw),
      tokenFor(otherSw),
    ]);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    stored = await uploadViaApi();
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('refuses every route without a token (401)', async () => {
    const r = `/api/v1/recordings/${UNKNOWN}`;
    for (const [method, url] of [
      ['GET', `/api/v1/conferences/${g.conferenceId}/recordings`],
      ['POST', `/api/v1/conferences/${g.conferenceId}/recordings`],
      ['GET', r],
      ['PUT', `${r}/label`],
      ['GET', `${r}/statement`],
      ['PUT', `${r}/statement`],
      ['POST', `${r}/bookmarks`],
      ['DELETE', `${r}/bookmarks/${UNKNOWN}`],
      ['POST', `${r}/withheld`],
      ['DELETE', `${r}/withheld/${UNKNOWN}`],
      ['GET', `${r}/evidence`],
      ['POST', `${r}/original`],
      ['POST', `${r}/cancellation`],
      ['POST', `${r}/fixity-checks`],
    ] as const) {
      const res = await call(method, url, null, method === 'POST' || method === 'PUT' ? {} : undefined);
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unauthorized' });
    }
  });

  it('end to end (R-5, R-3): created by the API, bytes uploaded, then shown as stored with its hashes and never its blob keys', async () => {
    const created = await call('POST', `/api/v1/conferences/${g.conferenceId}/recordings`, supportToken, {
      kind: 'meeting',
      source: 'teams',
      partId: g.partId,
      sha256: sha(wav).toUpperCase(),
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.recording).toMatchObject({
      conferenceId: g.conferenceId,
      partId: g.partId,
      kind: 'meeting',
      source: 'teams',
      status: 'receiving',
      clientSha256: sha(wav),
      original: null,
      storedAt: null,
    });
    expect(body.upload).toEqual({
      protocol: 'tus',
      endpoint: TUS_ENDPOINT,
      metadata: { recordingId: body.recording.id },
    });
    const id = body.recording.id as string;

    // Nothing looks complete before the bytes arrive.
    const waiting = await call('GET', `/api/v1/recordings/${id}`, swToken);
    expect(waiting.json().recording).toMatchObject({ status: 'receiving', original: null });
    expect(waiting.json().playback).toBeNull();

    const copy = path.join(ctx.dataDir, `upload-${id}`);
    await copyFile(fx.file('meeting.wav'), copy);
    await ctx.services.recordings.completeUpload(support, as(support), id, copy);

    const res = await call('GET', `/api/v1/recordings/${id}`, swToken);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.recording).toMatchObject({
      id,
      status: 'stored',
      partLabel: 'Whole conference',
      statementConfirmed: false,
      liveState: null,
      receivedBytes: wav.length,
    });
    expect(d.recording.original).toMatchObject({
      sha256: sha(wav),
      size: wav.length,
      container: 'wav',
      codec: 'pcm_s16le',
      sampleRate: 48_000,
      channels: 1,
      endsAbruptly: false,
    });
    expect(d.recording.original.durationMs).toBeGreaterThan(3_900);
    expect(d.playback).toMatchObject({ mediaType: 'audio/mpeg', originalSha256: sha(wav) });
    expect(d.playback.size).toBeGreaterThan(1_000);
    expect(d.fixity.map((f: { trigger: string; result: string }) => [f.trigger, f.result])).toEqual([['ingest', 'ok']]);
    expect(d.conference).toMatchObject({
      id: g.conferenceId,
      status: 'in-progress',
      childNames: ['Ava Okafor', 'Ben Okafor'],
    });
    expect(d.can).toEqual({ manage: false, export: false });

    // The recorded hashes are those of what is stored; where it is stored never leaves the server.
    const r = await row(id);
    const [playback] = await ctx.services.database.db
      .select()
      .from(recordingDerivatives)
      .where(eq(recordingDerivatives.originalRecordingId, id));
    expect(d.recording.original.encryptedSha256).toBe(sha(await readFile(blobPath(r.originalBlobKey!))));
    expect(d.playback.sha256).toBe(playback!.sha256);
    const evidence = await call('GET', `/api/v1/recordings/${id}/evidence`, supportToken);
    for (const text of [res.body, evidence.body]) {
      expect(text).not.toContain(r.originalBlobKey!);
      expect(text).not.toContain(playback!.blobKey);
      expect(text).not.toMatch(/blobKey/i);
    }

    const list = await call('GET', `/api/v1/conferences/${g.conferenceId}/recordings`, swToken);
    expect(list.statusCode).toBe(200);
    expect(list.json().recordings.find((x: { id: string }) => x.id === id)).toMatchObject({
      status: 'stored',
      original: { sha256: sha(wav) },
      statementConfirmed: false,
    });
    expect((await auditRows(ctx, 'recording.upload_started')).find((a) => a.subjectId === id)).toMatchObject({
      actorUserId: support.id,
      details: { kind: 'meeting', source: 'teams' },
    });
  });

  it('tus with a bearer token (R-5): created by the API, sent in two PATCHes across a dropped connection and a restart, resumed from HEAD, then stored', async () => {
    const created = await call('POST', `/api/v1/conferences/${g.conferenceId}/recordings`, supportToken, {
      kind: 'meeting',
      source: 'teams',
      partId: g.partId,
      sha256: sha(wav),
    });
    expect(created.statusCode, created.body).toBe(201);
    const rid = created.json().recording.id as string;
    expect(created.json().upload).toEqual({
      protocol: 'tus',
      endpoint: '/api/v1/uploads/recordings',
      metadata: { recordingId: rid },
    });
    const b64 = (v: string) => Buffer.from(v).toString('base64');
    const auth = { 'Tus-Resumable': '1.0.0', authorization: `Bearer ${supportToken}` };
    const octets = { 'Content-Type': 'application/offset+octet-stream' };
    let server = await testApp(ctx);
    let base = await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const create = (headers: Record<string, string>, length = wav.length, meta = `recordingId ${b64(rid)}`) =>
        fetch(`${base}${TUS_ENDPOINT}`, {
          method: 'POST',
          headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(length), 'Upload-Metadata': meta, ...headers },
        });
      // No token, another social worker's token, a social worker's (no upload role), a different SHA-256: nothing is created.
      expect((await create({})).status).toBe(401);
      expect((await create({ authorization: `Bearer ${otherSwToken}` })).status).toBe(403);
      expect((await create({ authorization: `Bearer ${swToken}` })).status).toBe(403);
      const otherHash = await create(auth, wav.length, `recordingId ${b64(rid)},sha256 ${b64('b'.repeat(64))}`);
      expect(otherHash.status).toBe(422);
      expect(await otherHash.text()).toContain('The file chosen is not the file whose SHA-256 was given');
      expect((await create(auth, wav.length, `recordingId ${b64(UNKNOWN)}`)).status).toBe(404);
      expect((await create(auth, 10, '')).status).toBe(400);

      // Created with the token alone: no cookie and no CSRF token. The file name is dropped.
      const made = await create(
        auth,
        wav.length,
        `recordingId ${b64(rid)},sha256 ${b64(sha(wav))},filename ${b64('Ava Okafor.wav')}`,
      );
      expect(made.status, await made.clone().text()).toBe(201);
      const location = made.headers.get('location')!;
      expect(location).toMatch(new RegExp(`^/api/v1/uploads/recordings/${rid}-[0-9a-f]{32}$`));
      const first = Math.floor(wav.length / 3);
      const patch1 = await fetch(`${base}${location}`, {
        method: 'PATCH',
        headers: { ...auth, ...octets, 'Upload-Offset': '0' },
        body: wav.subarray(0, first),
      });
      expect(patch1.status).toBe(204);
      expect(patch1.headers.get('upload-offset')).toBe(String(first));
      // Bytes with no token, or another's, are refused.
      expect(
        (
          await fetch(`${base}${location}`, {
            method: 'PATCH',
            headers: { 'Tus-Resumable': '1.0.0', ...octets, 'Upload-Offset': String(first) },
            body: wav.subarray(first),
          })
        ).status,
      ).toBe(401);
      expect(
        (
          await fetch(`${base}${location}`, {
            method: 'HEAD',
            headers: { ...auth, authorization: `Bearer ${otherSwToken}` },
          })
        ).status,
      ).toBe(403);

      // The second PATCH is cut off part-way, then the service is killed and started again.
      const sentBeforeDrop = Math.floor((wav.length - first) / 2);
      await new Promise<void>((resolve) => {
        const url = new URL(`${base}${location}`);
        const req = http.request({
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'PATCH',
          headers: { ...auth, ...octets, 'Upload-Offset': String(first), 'Content-Length': String(wav.length - first) },
        });
        req.on('error', () => resolve());
        req.on('response', () => resolve());
        req.write(wav.subarray(first, first + sentBeforeDrop));
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 300);
      });
      await server.close();
      server = await testApp(ctx);
      base = await server.listen({ host: '127.0.0.1', port: 0 });

      const head = await fetch(`${base}${location}`, { method: 'HEAD', headers: auth });
      expect(head.status).toBe(200);
      const offset = Number(head.headers.get('upload-offset'));
      expect(head.headers.get('upload-length')).toBe(String(wav.length));
      expect(offset).toBeGreaterThan(first);
      expect(offset).toBeLessThanOrEqual(first + sentBeforeDrop);
      expect(
        (
          await fetch(`${base}${location}`, {
            method: 'PATCH',
            headers: { ...auth, ...octets, 'Upload-Offset': '0' },
            body: wav.subarray(0, 10),
          })
        ).status,
      ).toBe(409);
      const rest = await fetch(`${base}${location}`, {
        method: 'PATCH',
        headers: { ...auth, ...octets, 'Upload-Offset': String(offset) },
        body: wav.subarray(offset),
      });
      expect(rest.status).toBe(204);
      expect(rest.headers.get('upload-offset')).toBe(String(wav.length));

      // The last byte handed the file to ingest (inline here): stored, with the SHA-256 the client gave.
      const got = await call('GET', `/api/v1/recordings/${rid}`, supportToken);
      expect(got.json().recording).toMatchObject({
        status: 'stored',
        clientSha256: sha(wav),
        original: { sha256: sha(wav), size: wav.length },
      });
      expect(await readdir(tusDir(ctx.dataDir))).toEqual([]);
      expect((await auditRows(ctx, 'recording.uploaded')).find((a) => a.subjectId === rid)).toMatchObject({
        actorUserId: support.id,
        details: { size: wav.length },
      });
      // The recording takes no more bytes.
      const again = await create(auth, 10);
      expect(again.status).toBe(410);
    } finally {
      await server.close();
    }
  });

  it('answers malformed requests 400 with every issue, rule problems 422 on their field, and saves nothing', async () => {
    const url = `/api/v1/conferences/${g.conferenceId}/recordings`;
    const count = async () => (await ctx.services.database.db.select().from(recordings)).length;
    const before = await count();
    const bad = await call('POST', url, supportToken, { kind: 'film', source: 'browser', sha256: 'abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_request' });
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['/kind', '/sha256', '/source']);
    expect((await call('POST', url, supportToken, { source: 'teams' })).statusCode).toBe(400);

    const other = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Hughes' });
    const wrongPart = await call('POST', url, supportToken, { kind: 'meeting', source: 'teams', partId: other.partId });
    expect(wrongPart.statusCode).toBe(422);
    expect(wrongPart.json()).toMatchObject({
      error: 'invalid_details',
      issues: [{ path: 'partId', message: 'Select a part of this conference' }],
    });
    expect(await count()).toBe(before);

    expect(
      (
        await call('POST', `/api/v1/conferences/${UNKNOWN}/recordings`, supportToken, {
          kind: 'meeting',
          source: 'teams',
        })
      ).statusCode,
    ).toBe(404);
    expect((await call('GET', `/api/v1/recordings/${UNKNOWN}`, supportToken)).json()).toMatchObject({
      error: 'not_found',
      message: 'The recording was not found',
    });
    expect((await call('PUT', `/api/v1/recordings/${UNKNOWN}/statement`, chairToken, statement)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/recordings/not-a-recording', supportToken)).statusCode).toBe(400);
  });

  it('R-4: a child’s record lists the recordings kept on it, by name, audited; someone without access to the child is refused and audited', async () => {
    const res = await call('GET', `/api/v1/children/${g.children.ava}/recordings`, swToken);
    expect(res.statusCode, res.body).toBe(200);
    const listed = res.json().recordings as Array<{ id: string; conferenceId: string; name: string; status: string }>;
    expect(listed.find((r) => r.id === stored)).toMatchObject({ conferenceId: g.conferenceId, status: 'stored' });
    expect(listed.every((r) => r.name.length > 0)).toBe(true);
    // An id typed in upper case is the same child.
    expect((await call('GET', `/api/v1/children/${g.children.ava.toUpperCase()}/recordings`, swToken)).json()).toEqual(
      res.json(),
    );
    const seen = (await auditRows(ctx, 'recording.list')).filter(
      (r) => r.subjectId === g.children.ava && r.actorUserId === sw.id && r.outcome === 'success',
    );
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)!.details['recordingIds']).toContain(stored);

    const refused = await call('GET', `/api/v1/children/${g.children.ava}/recordings`, otherSwToken);
    expect(refused.statusCode).toBe(403);
    expect(
      (await auditRows(ctx, 'recording.list')).some(
        (r) => r.subjectId === g.children.ava && r.actorUserId === otherSw.id && r.outcome === 'denied',
      ),
    ).toBe(true);
    expect((await call('GET', `/api/v1/children/not-an-id/recordings`, swToken)).statusCode).toBe(400);
  });

  it('access: a social worker of another child is refused (403, audited); one with every child may view but not manage', async () => {
    for (const url of [
      `/api/v1/conferences/${g.conferenceId}/recordings`,
      `/api/v1/recordings/${stored}`,
      `/api/v1/recordings/${stored}/evidence`,
    ]) {
      const res = await call('GET', url, otherSwToken);
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden' });
    }
    const denied = (await auditRows(ctx, 'recording.view')).filter(
      (r) => r.subjectId === g.conferenceId && r.outcome === 'denied' && r.actorUserId === otherSw.id,
    );
    expect(denied.map((r) => r.details['reason'])).toEqual(['not the allocated social worker']);

    // A sibling allocated to someone else: the conference's recordings need access to every child.
    const split = await siblingGroupConference(ctx, {
      socialWorker: sw,
      chair,
      familyName: 'Patel',
      status: 'in-progress',
    });
    await ctx.services.people.updateChild(sw, split.children.ben, 1, { allocatedSocialWorkerId: otherSw.id }, as(sw));
    expect((await call('GET', `/api/v1/conferences/${split.conferenceId}/recordings`, otherSwToken)).statusCode).toBe(
      403,
    );
    expect((await call('GET', `/api/v1/conferences/${split.conferenceId}/recordings`, swToken)).statusCode).toBe(403);

    // The allocated social worker sees the recording; recording and managing are for the chair and business support.
    expect((await call('GET', `/api/v1/recordings/${stored}`, swToken)).statusCode).toBe(200);
    expect(
      (
        await call('POST', `/api/v1/conferences/${g.conferenceId}/recordings`, swToken, {
          kind: 'meeting',
          source: 'teams',
        })
      ).statusCode,
    ).toBe(403);
    expect((await call('PUT', `/api/v1/recordings/${stored}/statement`, swToken, statement)).statusCode).toBe(403);
    expect(
      (await call('POST', `/api/v1/recordings/${stored}/bookmarks`, swToken, { at: '0:01', kind: 'note', label: 'x' }))
        .statusCode,
    ).toBe(403);
    expect((await call('POST', `/api/v1/recordings/${stored}/fixity-checks`, swToken, {})).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/recordings/${stored}`, chairToken)).json().can).toEqual({
      manage: true,
      export: true,
    });
  });

  it('R-2: the chair confirms the explanatory statement; a change is a new version with its reason', async () => {
    const url = `/api/v1/recordings/${stored}/statement`;
    const incomplete = await call('PUT', url, chairToken, { ...statement, speakers: [], endedAt: '09:00' });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json().issues).toEqual([
      { path: 'endedAt', message: 'The end time must be after the start time' },
      { path: 'speakers[0].name', message: 'Name at least one of the main speakers and their role or title' },
      { path: 'breaks[0].endedAt', message: 'The break must end before the meeting ended' },
    ]);
    const first = await call('PUT', url, chairToken, statement);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ version: 1 });
    const noReason = await call('PUT', url, chairToken, { ...statement, location: 'Room 3, Civic Centre' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().issues).toEqual([
      { path: 'changeReason', message: 'Give the reason for changing the confirmed statement' },
    ]);
    expect(
      (
        await call('PUT', url, supportToken, {
          ...statement,
          location: 'Room 3, Civic Centre',
          changeReason: 'Wrong room',
        })
      ).json(),
    ).toEqual({ version: 2 });

    const d = (await call('GET', `/api/v1/recordings/${stored}`, swToken)).json();
    expect(d.recording.statementConfirmed).toBe(true);
    expect(d.statement).toMatchObject({
      version: 2,
      changeReason: 'Wrong room',
      confirmedBy: { id: support.id, name: 'Bo Support' },
      content: { location: 'Room 3, Civic Centre', breaks: [statement.breaks[0]] },
    });
    expect(
      d.statementHistory.map((s: { version: number; content: { location: string } }) => [
        s.version,
        s.content.location,
      ]),
    ).toEqual([
      [1, 'Room 2, Civic Centre'],
      [2, 'Room 3, Civic Centre'],
    ]);
  });

  it('the chair’s label and the statement to confirm (R-2) are the pages’ use cases', async () => {
    const id = await uploadViaApi();
    const url = `/api/v1/recordings/${id}`;

    // The label: spaces tidied, audited, taken away with null; too long is a problem on its field.
    const labelled = await call('PUT', `${url}/label`, chairToken, { label: '  Second   half ' });
    expect(labelled.statusCode).toBe(200);
    expect(labelled.json()).toEqual({ label: 'Second half' });
    expect((await ctx.services.recordings.detail(chair, as(chair), id)).recording.label).toBe('Second half');
    expect((await auditRows(ctx, 'recording.labelled')).at(-1)?.details).toEqual({ label: 'Second half' });
    const long = await call('PUT', `${url}/label`, chairToken, { label: 'x'.repeat(81) });
    expect(long.statusCode).toBe(422);
    expect(long.json().issues).toEqual([{ path: 'label', message: 'The label must be 80 characters or fewer' }]);
    expect((await call('PUT', `${url}/label`, swToken, { label: 'Mine' })).statusCode).toBe(403);
    expect((await call('PUT', `${url}/label`, supportToken, { label: null })).json()).toEqual({ label: null });
    expect((await ctx.services.recordings.detail(chair, as(chair), id)).recording.label).toBeNull();

    // The statement: a draft filled in from the conference until one is confirmed, then the version in force.
    const draft = await call('GET', `${url}/statement`, chairToken);
    expect(draft.statusCode).toBe(200);
    expect(draft.json().confirmed).toBeNull();
    expect(draft.json().draft).toMatchObject({ recordedOn: '2026-03-02', breaks: [] });
    expect(draft.json().draft.context).toContain('Ava and Ben');
    expect((await call('GET', `${url}/statement`, swToken)).statusCode).toBe(403);
    expect((await call('PUT', `${url}/statement`, chairToken, statement)).json()).toEqual({ version: 1 });
    const confirmed = (await call('GET', `${url}/statement`, supportToken)).json();
    expect(confirmed.confirmed).toMatchObject({ version: 1, confirmedBy: { id: chair.id, name: 'Cal Chair' } });
    expect(confirmed.draft).toEqual(confirmed.confirmed.content);
    expect(confirmed.draft.location).toBe(statement.location);
  });

  it('R-3: exports the original exactly as received, with the reason, audited; cancels an upload that never finished', async () => {
    const url = `/api/v1/recordings/${stored}/original`;
    const noReason = await call('POST', url, supportToken, { reason: '  ' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().issues).toEqual([{ path: 'reason', message: 'Enter why you need a copy of the original' }]);
    expect((await call('POST', url, swToken, { reason: 'Curious' })).statusCode).toBe(403);
    const exported = await call('POST', url, supportToken, { reason: 'Requested by the court' });
    expect(exported.statusCode).toBe(200);
    expect(exported.rawPayload.equals(wav)).toBe(true);
    expect(exported.headers['content-type']).toBe('audio/wav');
    expect(exported.headers['content-disposition']).toMatch(
      /^attachment; filename="recording-2026-03-02-[0-9a-f]{8}\.wav"$/,
    );
    expect(exported.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(sha(wav), 'hex').toString('base64')}:`);
    expect((await auditRows(ctx, 'recording.exported')).at(-1)?.details).toEqual({
      reason: 'Requested by the court',
      sha256: sha(wav),
    });

    const created = await call('POST', `/api/v1/conferences/${g.conferenceId}/recordings`, supportToken, {
      kind: 'meeting',
      source: 'teams',
      partId: g.partId,
    });
    const id = created.json().recording.id as string;
    expect((await call('POST', `/api/v1/recordings/${id}/original`, chairToken, { reason: 'Early' })).statusCode).toBe(
      409,
    );
    expect((await call('POST', `/api/v1/recordings/${id}/cancellation`, swToken, {})).statusCode).toBe(403);
    const cancelled = await call('POST', `/api/v1/recordings/${id}/cancellation`, supportToken, {});
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toEqual({ cancelled: true });
    expect((await call('GET', `/api/v1/recordings/${id}`, supportToken)).json().recording).toMatchObject({
      status: 'rejected',
      rejectionReason: 'Cancelled before any audio was stored',
    });
    expect((await auditRows(ctx, 'recording.upload_cancelled')).some((r) => r.subjectId === id)).toBe(true);
    const again = await call('POST', `/api/v1/recordings/${id}/cancellation`, supportToken, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'not_receiving' });
  });

  it('bookmarks and withheld parts: within the recording, naming people in the conference, removable', async () => {
    const url = `/api/v1/recordings/${stored}`;
    const added = await call('POST', `${url}/bookmarks`, chairToken, {
      at: '0:02',
      kind: 'decision',
      label: 'Plan agreed',
    });
    expect(added.statusCode).toBe(201);
    const bookmarkId = added.json().id as string;
    expect(
      (await call('POST', `${url}/bookmarks`, chairToken, { at: 1_500, kind: 'person-left', label: 'Father left' }))
        .statusCode,
    ).toBe(201);
    const beyond = await call('POST', `${url}/bookmarks`, chairToken, {
      at: '0:09',
      kind: 'decision',
      label: 'Too late',
    });
    expect(beyond.statusCode).toBe(422);
    expect(beyond.json().issues).toEqual([
      { path: 'at', message: 'The time of the bookmark must be within the recording, which is 0:04 long' },
    ]);
    expect(
      (await call('POST', `${url}/bookmarks`, chairToken, { at: '0:01', kind: 'gossip', label: 'x' })).statusCode,
    ).toBe(400);

    const segment = {
      start: '0:01',
      end: '0:03',
      reason: 'confidential-to-parent',
      explanation: 'The mother’s new address',
      audience: 'named',
      personIds: [g.people.father],
    };
    const withheld = await call('POST', `${url}/withheld`, supportToken, segment);
    expect(withheld.statusCode).toBe(201);
    const segmentId = withheld.json().id as string;
    const stranger = await call('POST', `${url}/withheld`, supportToken, { ...segment, personIds: [sw.id] });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.json().issues).toEqual([
      { path: 'personIds', message: 'Select people connected with this conference' },
    ]);

    let d = (await call('GET', url, swToken)).json();
    expect(d.bookmarks.map((b: { atMs: number; kind: string; label: string }) => [b.atMs, b.kind, b.label])).toEqual([
      [1_500, 'person-left', 'Father left'],
      [2_000, 'decision', 'Plan agreed'],
    ]);
    expect(d.bookmarks[0].createdBy).toEqual({ id: chair.id, name: 'Cal Chair' });
    expect(d.withheld).toEqual([
      expect.objectContaining({
        id: segmentId,
        startMs: 1_000,
        endMs: 3_000,
        reason: 'confidential-to-parent',
        withheldFrom: { kind: 'named', personIds: [g.people.father] },
      }),
    ]);
    expect(d.people.map((p: { id: string }) => p.id)).toContain(g.people.father);

    expect((await call('DELETE', `${url}/bookmarks/${bookmarkId}`, chairToken)).json()).toEqual({ removed: true });
    expect((await call('DELETE', `${url}/bookmarks/${bookmarkId}`, chairToken)).statusCode).toBe(404);
    expect((await call('DELETE', `${url}/withheld/${segmentId}`, supportToken)).json()).toEqual({ removed: true });
    d = (await call('GET', url, swToken)).json();
    expect(d.bookmarks.map((b: { label: string }) => b.label)).toEqual(['Father left']);
    expect(d.withheld).toEqual([]);
    expect(
      (await auditRows(ctx, 'recording.withheld_removed')).filter((r) => r.subjectId === stored).map((r) => r.details),
    ).toEqual([{ segmentId }]);

    // A part cannot be withheld from a recording that is not stored yet: the state conflicts (409).
    const receiving = await call('POST', `/api/v1/conferences/${g.conferenceId}/recordings`, supportToken, {
      kind: 'dictation',
      source: 'dictaphone',
    });
    const early = await call(
      'POST',
      `/api/v1/recordings/${receiving.json().recording.id}/withheld`,
      supportToken,
      segment,
    );
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: 'not_stored' });
  });

  it('evidence lists the hashes, fixity checks and every audit entry about the recording', async () => {
    const res = await call('GET', `/api/v1/recordings/${stored}/evidence`, swToken);
    expect(res.statusCode).toBe(200);
    const e = res.json();
    expect(e.recording.original.sha256).toBe(sha(wav));
    expect(e.derivatives).toEqual([expect.objectContaining({ kind: 'playback', originalSha256: sha(wav) })]);
    expect(e.fixity[0]).toMatchObject({ trigger: 'ingest', result: 'ok', derivativeId: null });
    const actions = e.events.map((x: { action: string }) => x.action);
    expect(actions.slice(0, 3)).toEqual(['recording.upload_started', 'recording.uploaded', 'recording.stored']);
    expect(actions).toContain('recording.statement_confirmed');
    expect(e.events.find((x: { action: string }) => x.action === 'recording.stored')).toMatchObject({
      actor: 'system: recording ingest',
      outcome: 'success',
      details: { sha256: sha(wav) },
    });
    // Looking at the evidence is itself audited.
    expect(
      (await auditRows(ctx, 'recording.evidence_viewed')).some(
        (r) => r.subjectId === stored && r.actorUserId === sw.id,
      ),
    ).toBe(true);
  });

  it('R-3: a fixity check run now passes on an untouched recording and catches a flipped bit', async () => {
    const id = await uploadViaApi({ kind: 'dictation' });
    const url = `/api/v1/recordings/${id}/fixity-checks`;
    const ok = await call('POST', url, supportToken, {});
    expect(ok.statusCode).toBe(200);
    expect(ok.json().result).toBe('ok');
    // The original first, then its playback copy.
    expect(
      ok
        .json()
        .checks.map((c: { derivativeId: string | null; trigger: string; result: string }) => [
          c.derivativeId === null,
          c.trigger,
          c.result,
        ]),
    ).toEqual([
      [true, 'on-demand', 'ok'],
      [false, 'on-demand', 'ok'],
    ]);

    const file = blobPath((await row(id)).originalBlobKey!);
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    await writeFile(file, bytes);
    const bad = await call('POST', url, chairToken, {});
    expect(bad.statusCode).toBe(200);
    expect(bad.json().result).toBe('mismatch');
    expect(bad.json().checks[0]).toMatchObject({
      derivativeId: null,
      result: 'mismatch',
      detail: expect.stringMatching(/does not decrypt/),
    });
    expect(bad.json().checks[1]).toMatchObject({ result: 'ok' });

    const fixity = (await call('GET', `/api/v1/recordings/${id}`, swToken))
      .json()
      .fixity.filter((f: { derivativeId: string | null }) => f.derivativeId === null);
    expect(fixity.map((f: { trigger: string; result: string }) => [f.trigger, f.result])).toEqual([
      ['ingest', 'ok'],
      ['on-demand', 'ok'],
      ['on-demand', 'mismatch'],
    ]);
    const audited = (await auditRows(ctx, 'recording.fixity_checked')).filter((r) => r.subjectId === id);
    expect(audited.map((r) => [r.actorUserId, r.outcome])).toEqual([
      [support.id, 'success'],
      [chair.id, 'failure'],
    ]);

    const receiving = await call('POST', `/api/v1/conferences/${g.conferenceId}/recordings`, supportToken, {
      kind: 'meeting',
      source: 'other',
    });
    const notYet = await call(
      'POST',
      `/api/v1/recordings/${receiving.json().recording.id}/fixity-checks`,
      supportToken,
      {},
    );
    expect(notYet.statusCode).toBe(409);
    expect(notYet.json()).toMatchObject({ error: 'not_stored', message: 'Only a stored recording can be checked' });
    expect((await call('POST', `/api/v1/recordings/${UNKNOWN}/fixity-checks`, supportToken, {})).statusCode).toBe(404);
  });

  it('R-3: recordings needing attention: a live recording left a week is listed for business support and discarded with a reason', async () => {
    const live = await ctx.services.recordings.startLive(chair, as(chair), g.conferenceId, { kind: 'meeting' });
    await ctx.services.recordings.appendChunk(chair, as(chair), live.id, { seq: 0, bytes: wav.subarray(0, 4000) });
    const listed = async (token: string) => call('GET', '/api/v1/recordings/attention', token);
    expect((await listed(supportToken)).json().liveUnfinished.map((r: { id: string }) => r.id)).not.toContain(live.id);
    const now = ctx.clock.current;
    ctx.clock.current = new Date(now.getTime() + 8 * 86_400_000);
    try {
      const res = await listed(supportToken);
      expect(res.statusCode).toBe(200);
      expect(res.json().liveUnfinished).toContainEqual(
        expect.objectContaining({ id: live.id, conferenceId: g.conferenceId, source: 'browser', receivedBytes: 4000 }),
      );
      expect((await listed(swToken)).statusCode).toBe(403);
      const noReason = await call('POST', `/api/v1/recordings/${live.id}/discard`, supportToken, { reason: ' ' });
      expect(noReason.statusCode).toBe(422);
      const discarded = await call('POST', `/api/v1/recordings/${live.id}/discard`, supportToken, {
        reason: 'Started by mistake',
      });
      expect(discarded.statusCode).toBe(200);
      expect((await row(live.id)).status).toBe('rejected');
      expect(
        (await call('POST', `/api/v1/recordings/${stored}/discard`, supportToken, { reason: 'x' })).statusCode,
      ).toBe(409);
      expect((await listed(supportToken)).json().liveUnfinished.map((r: { id: string }) => r.id)).not.toContain(
        live.id,
      );
      expect((await auditRows(ctx, 'recording.discarded')).filter((a) => a.subjectId === live.id)).toHaveLength(1);
    } finally {
      ctx.clock.current = now;
    }
  });

  it('R-3: a repair of the listening copy is refused for a sound copy (409) and for anyone but the chair or business support', async () => {
    const sound = await call('POST', `/api/v1/recordings/${stored}/playback-repair`, supportToken, {});
    expect(sound.statusCode).toBe(409);
    expect(sound.json()).toMatchObject({ error: 'not_damaged' });
    expect((await call('POST', `/api/v1/recordings/${stored}/playback-repair`, swToken, {})).statusCode).toBe(403);
    expect((await call('POST', `/api/v1/recordings/${UNKNOWN}/playback-repair`, supportToken, {})).statusCode).toBe(
      404,
    );
  });
});
