import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import { recordings } from '../../infra/db/recordings-schema.ts';
import { ABANDONED_UPLOADS_JOB, cleanUpAbandonedUploads } from '../../infra/recordings/abandoned-uploads.ts';
import { tusDir } from '../../infra/recordings/upload-files.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import {
  fixtureDir,
  type FixtureDir,
  liveWebm,
  toneWav,
  encode,
  truncatedCopy,
} from '../../../test/support/audio-fixtures.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { RecordingService } from './recording-service.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, requestId: 'test-request' });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-recording-service-');
  await toneWav(fx.file('meeting.wav'), { seconds: 6 });
  await encode(fx.file('meeting.wav'), fx.file('teams.m4a'), ['-c:a', 'aac', '-b:a', '64k']);
  await liveWebm(fx.file('meeting.wav'), fx.file('live.webm'));
  await writeFile(fx.file('notes.mp3'), 'Typed notes, not a recording.\n'.repeat(40));
});
afterAll(async () => {
  await fx.cleanup();
});

describe.each(testDatabases())('the audio record (%s)', (kind) => {
  let ctx: TestContext;
  let service: RecordingService;
  let chair: Actor;
  let support: Actor;
  let sw: Actor;
  let otherSw: Actor;
  let g: SiblingGroupConference;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    service = ctx.services.recordings;
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Other', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /** Uploads a fixture as business support would, returning the recording id after ingest. */
  async function upload(file: string, source = 'teams', clientSha256?: string) {
    const r = await service.createUpload(support, as(support), g.conferenceId, {
      kind: 'meeting',
      source,
      partId: g.partId,
      clientSha256: clientSha256 ?? null,
    });
    const copy = path.join(ctx.dataDir, `upload-${r.id}`);
    await copyFile(file, copy);
    await service.completeUpload(support, as(support), r.id, copy);
    return r.id;
  }

  it('stores an MS Teams file (R-5): probed by content, hashed, encrypted with age, with a playback copy (R-3)', async () => {
    const bytes = await readFile(fx.file('teams.m4a'));
    const id = await upload(fx.file('teams.m4a'), 'teams', sha(bytes));
    const detail = await service.detail(support, as(support), id);
    expect(detail.recording).toMatchObject({
      status: 'stored',
      originalSha256: sha(bytes),
      originalSize: bytes.length,
      container: 'mp4',
      codec: 'aac',
      endsAbruptly: false,
    });
    expect(detail.recording.durationMs).toBeGreaterThan(5_500);
    expect(detail.playback).toMatchObject({ kind: 'playback', mediaType: 'audio/mpeg', originalSha256: sha(bytes) });
    expect(detail.playback!.peaks!.values.length).toBeGreaterThan(50);
    expect(detail.fixity.map((f) => [f.trigger, f.result])).toEqual([['ingest', 'ok']]);

    // The stored file is an age file that the standard tool opens with the council's key.
    const blobPath = path.join(
      ctx.dataDir,
      'blobs',
      detail.recording.originalBlobKey!.slice(0, 2),
      detail.recording.originalBlobKey!,
    );
    const stored = await readFile(blobPath);
    expect(stored.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(stored.includes(bytes.subarray(1000, 1064))).toBe(false);
    const age = spawnSync('age', ['-d', '-i', ctx.config.recordingIdentityFile, blobPath]);
    expect(age.status).toBe(0);
    expect(sha(age.stdout)).toBe(sha(bytes));
    // Nothing is left in staging once the original is stored.
    expect((await readdir(path.join(ctx.dataDir, 'staging'))).filter((f) => f.endsWith('.audio'))).toEqual([]);
    const stored1 = (await auditRows(ctx, 'recording.stored')).find((r) => r.subjectId === id)!;
    expect(stored1.details).toMatchObject({ sha256: sha(bytes), container: 'mp4', playable: 'preparing' });
    // What the full decode found is the next job's, audited when the recording became playable.
    const playable = (await auditRows(ctx, 'recording.playable')).find((r) => r.subjectId === id)!;
    expect(playable.details).toMatchObject({ codec: 'aac', container: 'mp4' });
  });

  it('rejects a text file named .mp3 with the reason, and a file that changed on the way', async () => {
    const id = await upload(fx.file('notes.mp3'), 'dictaphone');
    const detail = await service.detail(support, as(support), id);
    expect(detail.recording.status).toBe('rejected');
    expect(detail.recording.rejectionReason).toMatch(/not a sound or video recording/);
    const changed = await upload(fx.file('teams.m4a'), 'teams', 'a'.repeat(64));
    expect((await service.detail(support, as(support), changed)).recording.rejectionReason).toMatch(
      /not the file that was sent/,
    );
  });

  it('records live in chunks with a break (R-2), keeps a resend once, and stores what arrived', async () => {
    const webm = await readFile(fx.file('live.webm'));
    const r = await service.startLive(chair, as(chair), g.conferenceId, { partId: g.partId, kind: 'meeting' });
    const pieces = [webm.subarray(0, 4000), webm.subarray(4000, 9000), webm.subarray(9000)];
    await service.appendChunk(chair, as(chair), r.id, { seq: 0, bytes: pieces[0]!, sha256: sha(pieces[0]!) });
    // A lost response: the same chunk again is acknowledged without being stored twice.
    expect(
      await service.appendChunk(chair, as(chair), r.id, { seq: 0, bytes: pieces[0]!, sha256: sha(pieces[0]!) }),
    ).toMatchObject({ duplicate: true, nextChunk: 1 });
    await expect(service.appendChunk(chair, as(chair), r.id, { seq: 2, bytes: pieces[2]! })).rejects.toMatchObject({
      code: 'CHUNK_GAP',
    });
    await expect(
      service.appendChunk(chair, as(chair), r.id, { seq: 1, bytes: pieces[1]!, sha256: 'b'.repeat(64) }),
    ).rejects.toMatchObject({ code: 'CHUNK_CORRUPT' });
    await service.appendChunk(chair, as(chair), r.id, { seq: 1, bytes: pieces[1]! });
    ctx.clock.advance(60_000);
    await service.pause(chair, as(chair), r.id, { atMs: 3_000, reason: 'Comfort break' });
    ctx.clock.advance(10 * 60_000);
    await service.resume(chair, as(chair), r.id, { participantChanges: 'The father left' });
    await service.appendChunk(chair, as(chair), r.id, { seq: 2, bytes: pieces[2]! });
    await service.stop(chair, as(chair), r.id);
    const detail = await service.detail(chair, as(chair), r.id);
    expect(detail.recording).toMatchObject({
      status: 'stored',
      source: 'browser',
      originalSha256: sha(webm),
      container: 'webm',
      codec: 'opus',
    });
    expect(detail.breaks).toEqual([
      expect.objectContaining({ atMs: 3_000, reason: 'Comfort break', participantChanges: 'The father left' }),
    ]);
    // The statement is pre-filled from the conference and the breaks.
    const { draft, confirmed } = await service.draftStatement(chair, as(chair), r.id);
    expect(confirmed).toBeNull();
    expect(draft.context).toMatch(/Initial child protection conference for Ava and Ben/);
    expect(draft.breaks).toHaveLength(1);
    expect(draft.breaks[0]!.reason).toBe('Comfort break');
    expect((await service.statementForm(chair, as(chair), r.id)).draft).toEqual(draft);
  });

  it('shows the page that starts a live recording in one unit of work: the parts with their times and the recordings still open (R-1)', async () => {
    const views = async () =>
      (await auditRows(ctx, 'conference.meeting.view')).filter((r) => r.subjectId === g.conferenceId);
    const before = (await views()).length;
    const view = await service.liveStart(chair, as(chair), g.conferenceId);
    expect(view.conference).toMatchObject({ id: g.conferenceId, type: 'initial', status: 'in-progress' });
    expect(view.childNames).toEqual(['Ava Okafor', 'Ben Okafor']);
    expect(view.parts).toEqual([
      expect.objectContaining({ id: g.partId, startsAt: expect.stringMatching(/^\d\d:\d\d$/) }),
    ]);
    expect(view.open.every((r) => r.source === 'browser' && r.status === 'receiving')).toBe(true);
    // Audited as a view of the conference's meeting, as the meeting's own page is; a refusal too.
    expect((await views()).slice(before).map((r) => r.outcome)).toEqual(['success']);
    await expect(service.liveStart(otherSw, as(otherSw), g.conferenceId)).rejects.toThrow(AccessDeniedError);
    expect((await views()).slice(before).map((r) => r.outcome)).toEqual(['success', 'denied']);
  });

  it('keeps a live recording whose sender failed mid-chunk, marked as ending abruptly', async () => {
    const cut = await readFile(await truncatedCopy(fx.file('live.webm'), fx.file('live-cut.webm'), 0.7));
    const r = await service.startLive(chair, as(chair), g.conferenceId, { kind: 'meeting' });
    await service.appendChunk(chair, as(chair), r.id, { seq: 0, bytes: cut });
    await service.stop(chair, as(chair), r.id);
    const detail = await service.detail(chair, as(chair), r.id);
    expect(detail.recording).toMatchObject({ status: 'stored', endsAbruptly: true, originalSha256: sha(cut) });
  });

  it('recovers a live recording after a crash between writing a chunk and acknowledging it', async () => {
    const webm = await readFile(fx.file('live.webm'));
    const r = await service.startLive(chair, as(chair), g.conferenceId, { kind: 'meeting' });
    await service.appendChunk(chair, as(chair), r.id, { seq: 0, bytes: webm.subarray(0, 5000) });
    // Bytes written to staging but never acknowledged (the process died before committing).
    await ctx.services.staging.append(r.id, 5000, Buffer.from('garbage that was never acknowledged'));
    await service.appendChunk(chair, as(chair), r.id, { seq: 1, bytes: webm.subarray(5000) });
    await service.stop(chair, as(chair), r.id);
    expect((await service.detail(chair, as(chair), r.id)).recording.originalSha256).toBe(sha(webm));
  });

  it('confirms the explanatory statement (R-2), and a change is a new version with its reason', async () => {
    const id = await upload(fx.file('meeting.wav'), 'dictaphone');
    const statement = {
      location: 'Room 2, Civic Centre',
      recordedOn: '2026-03-02',
      startedAt: '10:00',
      endedAt: '11:30',
      context: 'Initial conference',
      speakers: [{ name: 'Cal Chair', role: 'Chair' }],
      breaks: [],
    };
    expect(await service.confirmStatement(chair, as(chair), id, statement)).toBe(1);
    await expect(service.confirmStatement(chair, as(chair), id, { ...statement, location: 'Room 3' })).rejects.toThrow(
      InvalidDetailsError,
    );
    expect(
      await service.confirmStatement(chair, as(chair), id, {
        ...statement,
        location: 'Room 3',
        changeReason: 'Wrong room',
      }),
    ).toBe(2);
    const { confirmed } = await service.draftStatement(chair, as(chair), id);
    expect(confirmed).toMatchObject({ version: 2, changeReason: 'Wrong room', content: { location: 'Room 3' } });
    // The statement's form: the same statement, with the recording its page shows.
    const form = await service.statementForm(chair, as(chair), id);
    expect(form.confirmed).toEqual(confirmed);
    expect(form.draft).toEqual(confirmed!.content);
    expect(form.detail.statements.map((s) => s.version)).toEqual([1, 2]);
    // Confirmed versions are never updated or deleted, even directly in the database.
    await expect(
      ctx.services.database.db.execute(sql`update explanatory_statements set change_reason = 'x'`),
    ).rejects.toThrow();
  });

  it('marks bookmarks and withheld parts within the recording, naming people in the conference', async () => {
    const id = await upload(fx.file('meeting.wav'), 'dictaphone');
    await service.addBookmark(chair, as(chair), id, { at: '0:02', kind: 'decision', label: 'Plan agreed' });
    await expect(
      service.addBookmark(chair, as(chair), id, { at: '0:09', kind: 'decision', label: 'x' }),
    ).rejects.toThrow(InvalidDetailsError);
    await service.addWithheld(chair, as(chair), id, {
      start: '0:01',
      end: '0:03',
      reason: 'confidential-to-parent',
      explanation: 'Mother’s address',
      audience: 'named',
      personIds: [g.people.father],
    });
    await expect(
      service.addWithheld(chair, as(chair), id, {
        start: '0:01',
        end: '0:03',
        reason: 'police',
        explanation: 'x',
        audience: 'named',
        personIds: [sw.id],
      }),
    ).rejects.toThrow(InvalidDetailsError);
    const detail = await service.detail(chair, as(chair), id);
    expect(detail.bookmarks.map((b) => [b.atMs, b.kind, b.label])).toEqual([[2_000, 'decision', 'Plan agreed']]);
    expect(detail.withheld).toEqual([
      expect.objectContaining({
        startMs: 1_000,
        endMs: 3_000,
        withheldFrom: { kind: 'named', personIds: [g.people.father] },
      }),
    ]);
    await service.removeBookmark(chair, as(chair), id, detail.bookmarks[0]!.id);
    expect((await service.detail(chair, as(chair), id)).bookmarks).toEqual([]);
  });

  it('plays only after a reason is given (audited), by ranges decrypted from the middle', async () => {
    const id = await upload(fx.file('teams.m4a'));
    await expect(service.playback(sw, as(sw), id)).rejects.toMatchObject({ code: 'REASON_NEEDED' });
    await expect(service.startListening(sw, as(sw), id, '  ')).rejects.toThrow(InvalidDetailsError);
    expect((await service.listening(sw, as(sw), id)).until).toBeNull();
    await service.startListening(sw, as(sw), id, 'Preparing the core group meeting');
    // The player's page: the recording with its view audited, and until when it may be played without asking again.
    const views = (await auditRows(ctx, 'recording.view')).filter((r) => r.subjectId === id).length;
    const listening = await service.listening(sw, as(sw), id);
    expect(listening.detail.recording.id).toBe(id);
    expect(listening.until).toEqual(new Date(ctx.clock.now().getTime() + 3 * 3_600_000));
    expect((await auditRows(ctx, 'recording.view')).filter((r) => r.subjectId === id).length).toBe(views + 1);
    const reads = vi.spyOn(ctx.services.blobs, 'getRange');
    const player = await service.playback(sw, as(sw), id);
    const whole = await player.read(0, player.size - 1);
    expect(sha(whole)).toBe((await service.detail(sw, as(sw), id)).playback!.sha256);
    expect(whole.length).toBeGreaterThan(40_000);
    expect(await player.read(30_000, 30_099)).toEqual(whole.subarray(30_000, 30_100));
    expect(await player.read(35_000, player.size - 1)).toEqual(whole.subarray(35_000));
    // One request's pieces share one opened file: its header is read (and unwrapped) once, not for every piece.
    expect(reads.mock.calls.filter(([, start]) => start === 0)).toHaveLength(1);
    reads.mockRestore();
    const played = (await auditRows(ctx, 'recording.played')).filter((r) => r.subjectId === id);
    expect(played.map((r) => r.details)).toEqual([{ reason: 'Preparing the core group meeting' }]);
    // The reason lets them listen for three hours, then they are asked again.
    ctx.clock.advance(3 * 3_600_000 + 1);
    await expect(service.playback(sw, as(sw), id)).rejects.toMatchObject({ code: 'REASON_NEEDED' });
  });

  it('lets only people with access to every child listen; denials are audited', async () => {
    const id = await upload(fx.file('teams.m4a'));
    await expect(service.startListening(otherSw, as(otherSw), id, 'curious')).rejects.toThrow(AccessDeniedError);
    await expect(service.detail(otherSw, as(otherSw), id)).rejects.toThrow(AccessDeniedError);
    expect(
      (await auditRows(ctx, 'recording.played')).some((r) => r.subjectId === g.conferenceId && r.outcome === 'denied'),
    ).toBe(true);
    // A social worker may listen but not record or upload.
    await expect(
      service.createUpload(sw, as(sw), g.conferenceId, { kind: 'meeting', source: 'teams' }),
    ).rejects.toThrow(AccessDeniedError);
  });

  it('exports the original exactly as received after a fixity check; a flipped bit is caught and refused', async () => {
    const bytes = await readFile(fx.file('meeting.wav'));
    const id = await upload(fx.file('meeting.wav'), 'dictaphone');
    const exported = await service.exportOriginal(support, as(support), id, 'Court order 123');
    const chunks: Buffer[] = [];
    for await (const c of exported.stream) chunks.push(c as Buffer);
    expect(sha(Buffer.concat(chunks))).toBe(sha(bytes));

    const [row] = await ctx.services.database.db.select().from(recordings).where(eq(recordings.id, id));
    const blobPath = path.join(ctx.dataDir, 'blobs', row!.originalBlobKey!.slice(0, 2), row!.originalBlobKey!);
    const stored = await readFile(blobPath);
    stored[Math.floor(stored.length / 2)]! ^= 0x01;
    await writeFile(blobPath, stored);
    expect(await service.checkFixity(id, 'on-demand')).toBe('mismatch');
    await expect(service.exportOriginal(support, as(support), id, 'Court order 123')).rejects.toMatchObject({
      code: 'FIXITY_FAILED',
    });
    const events = (await service.evidence(support, as(support), id)).fixity.map((f) => [f.trigger, f.result]);
    expect(events).toContainEqual(['on-demand', 'mismatch']);
    expect(events).toContainEqual(['export', 'mismatch']);
  });

  it('detects two stored originals swapped (each is bound to its recording)', async () => {
    const a = await upload(fx.file('meeting.wav'), 'dictaphone');
    const b = await upload(fx.file('meeting.wav'), 'dictaphone');
    const rows = await ctx.services.database.db
      .select()
      .from(recordings)
      .where(sql`${recordings.id} in (${a}, ${b})`);
    const pathOf = (id: string) => {
      const key = rows.find((r) => r.id === id)!.originalBlobKey!;
      return path.join(ctx.dataDir, 'blobs', key.slice(0, 2), key);
    };
    const [fa, fb] = [await readFile(pathOf(a)), await readFile(pathOf(b))];
    await writeFile(pathOf(a), fb);
    await writeFile(pathOf(b), fa);
    expect(await service.checkFixity(a, 'on-demand')).toBe('mismatch');
    expect(
      (await service.evidence(support, as(support), a)).fixity.filter((f) => f.derivativeId === null).at(-1)?.detail,
    ).toMatch(/does not decrypt/);
    expect(await service.checkFixity(b, 'on-demand')).toBe('mismatch');
  });

  it('never lets a stored original change in the database (R-3)', async () => {
    const id = await upload(fx.file('meeting.wav'), 'dictaphone');
    await expect(
      ctx.services.database.db
        .update(recordings)
        .set({ originalSha256: 'f'.repeat(64) })
        .where(eq(recordings.id, id)),
    ).rejects.toThrow();
    await expect(ctx.services.database.db.delete(recordings).where(eq(recordings.id, id))).rejects.toThrow();
  });

  it('checks every original on the fixity cycle (default 90 days)', async () => {
    const first = await service.fixitySweep();
    expect(first.checked).toBe(0);
    ctx.clock.advance(91 * 86_400_000);
    const sweep = await service.fixitySweep();
    expect(sweep.checked).toBeGreaterThan(3);
    expect(sweep.failed).toBe(3); // the flipped bit and both halves of the swapped pair
  });

  it('checks a recording whose last check failed again after a day, not 90, raising the alert each time (R-3)', async () => {
    const fatal = vi.spyOn(ctx.services.logger, 'fatal');
    try {
      const alerts = () =>
        fatal.mock.calls.filter(([obj]) => (obj as { alert?: string }).alert === 'recording-fixity').length;
      // Within the day after the failures: nothing is due (the ones that passed wait for the next cycle).
      ctx.clock.advance(23 * 3_600_000);
      expect(await service.fixitySweep()).toEqual({ checked: 0, failed: 0 });
      const overdue = await service.fixityOverdue();
      expect(overdue.overdue).toEqual([]);
      // A day after: only the three that failed are checked again, and each raises the alert again.
      ctx.clock.advance(3_600_000 + 1);
      expect((await service.fixityOverdue()).overdue.map((o) => o.lastResult)).toEqual([
        'mismatch',
        'mismatch',
        'mismatch',
      ]);
      expect(await service.fixitySweep()).toEqual({ checked: 3, failed: 3 });
      expect(alerts()).toBe(3);
      ctx.clock.advance(86_400_000 + 1);
      expect(await service.fixitySweep()).toEqual({ checked: 3, failed: 3 });
      expect(alerts()).toBe(6);
      const scheduled = (await auditRows(ctx, 'recording.fixity_checked')).filter(
        (r) => (r.details as { trigger?: string }).trigger === 'scheduled' && r.outcome === 'failure',
      );
      expect(scheduled.length).toBeGreaterThanOrEqual(9);
    } finally {
      fatal.mockRestore();
    }
  });

  it('cancels uploads nobody finished within 7 days and deletes their leftovers, sparing uploads still being sent and live audio', async () => {
    const webm = await readFile(fx.file('live.webm'));
    const staleUpload = await service.createUpload(support, as(support), g.conferenceId, {
      kind: 'meeting',
      source: 'teams',
    });
    const resuming = await service.createUpload(support, as(support), g.conferenceId, {
      kind: 'meeting',
      source: 'dictaphone',
    });
    // A live recording that crashed after writing its first chunk but before acknowledging it: no audio was received.
    const liveEmpty = await service.startLive(chair, as(chair), g.conferenceId, { kind: 'meeting' });
    await ctx.services.staging.append(liveEmpty.id, 0, webm.subarray(0, 4000));
    const liveWithAudio = await service.startLive(chair, as(chair), g.conferenceId, { kind: 'meeting' });
    await service.appendChunk(chair, as(chair), liveWithAudio.id, { seq: 0, bytes: webm.subarray(0, 4000) });
    // Each began 8 days ago; the resuming upload's tus file had bytes yesterday, the stale one's 8 days ago.
    ctx.clock.advance(8 * 86_400_000);
    const recent = await service.createUpload(support, as(support), g.conferenceId, {
      kind: 'meeting',
      source: 'teams',
    });
    const tus = tusDir(ctx.dataDir);
    await mkdir(tus, { recursive: true });
    const now = ctx.clock.now().getTime();
    const stalePath = path.join(tus, `${staleUpload.id}-${'a'.repeat(32)}`);
    const resumingPath = path.join(tus, `${resuming.id}-${'b'.repeat(32)}`);
    for (const [file, at] of [
      [stalePath, now - 8 * 86_400_000],
      [resumingPath, now - 86_400_000],
    ] as const) {
      await writeFile(file, 'some bytes');
      await writeFile(`${file}.json`, '{}');
      for (const f of [file, `${file}.json`]) await utimes(f, new Date(at), new Date(at));
    }
    const logger = { info: vi.fn(), warn: vi.fn() };
    const r = await cleanUpAbandonedUploads({
      dataDir: ctx.dataDir,
      recordings: service,
      logger,
      now: () => ctx.clock.now(),
    });
    expect(r.filesRemoved).toBe(1);
    expect([...r.cancelled].sort()).toEqual([staleUpload.id, liveEmpty.id].sort());
    expect(r.liveWithAudio).toEqual([liveWithAudio.id]);
    expect(logger.warn).toHaveBeenCalledWith({ recordingIds: [liveWithAudio.id] }, expect.any(String));
    expect((await readdir(tus)).sort()).toEqual(
      [path.basename(resumingPath), `${path.basename(resumingPath)}.json`].sort(),
    );

    const statusOf = async (id: string) => (await service.detail(support, as(support), id)).recording;
    expect(await statusOf(staleUpload.id)).toMatchObject({
      status: 'rejected',
      rejectionReason: 'Cancelled: the upload was not finished within 7 days of starting',
    });
    expect(await statusOf(liveEmpty.id)).toMatchObject({
      status: 'rejected',
      rejectionReason: 'Cancelled: no audio arrived within 7 days of starting',
    });
    expect((await statusOf(liveEmpty.id)).liveStoppedAt).not.toBeNull();
    for (const id of [resuming.id, liveWithAudio.id, recent.id]) expect((await statusOf(id)).status).toBe('receiving');
    // The crashed live recording's unacknowledged bytes are gone from staging; the live audio is kept.
    expect(await ctx.services.staging.size(liveEmpty.id)).toBeNull();
    expect(await ctx.services.staging.size(liveWithAudio.id)).toBe(4000);
    const audited = (await auditRows(ctx, 'recording.upload_cancelled')).filter((a) => a.subjectId === staleUpload.id);
    expect(audited).toEqual([
      expect.objectContaining({
        actorUserId: null,
        actorLabel: 'system: abandoned uploads',
        details: expect.objectContaining({ reason: 'abandoned', source: 'teams' }),
      }),
    ]);
    // Nothing more to do the next day; the job is scheduled daily.
    expect(
      (await cleanUpAbandonedUploads({ dataDir: ctx.dataDir, recordings: service, logger, now: () => ctx.clock.now() }))
        .cancelled,
    ).toEqual([]);
    expect(ctx.services.scheduledJobs.find((j) => j.name === ABANDONED_UPLOADS_JOB)).toMatchObject({
      cron: '25 4 * * *',
    });
    // A cancelled upload takes no more bytes.
    await expect(service.assertCanUpload(support, as(support), staleUpload.id)).rejects.toMatchObject({
      code: 'NOT_RECEIVING',
    });
  });
});
