/**
 * Ingest when something went wrong underneath it: the acknowledged audio missing from staging
 * (a restore without the staging folder, a disk swap), a crash part-way through ingest, a damaged playback
 * copy found while it is played, and live recordings left receiving for a week. Ingest is run by hand.
 */
import { createHash } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { fixtureDir, type FixtureDir, liveWebm, toneWav, encode } from '../../../test/support/audio-fixtures.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import {
  createTestServices,
  runQueuedIngests,
  testDatabases,
  type TestContext,
} from '../../../test/support/services.ts';
import { PLAYBACK_REPAIR_JOB, RECORDING_INGEST_JOB, RECORDING_PLAYABLE_JOB } from '../../composition.ts';
import type { RecordingService } from './recording-service.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, requestId: 'test-request' });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-recording-faults-');
  await toneWav(fx.file('meeting.wav'), { seconds: 4 });
  await encode(fx.file('meeting.wav'), fx.file('teams.m4a'), ['-c:a', 'aac', '-b:a', '64k']);
  await liveWebm(fx.file('meeting.wav'), fx.file('live.webm'));
});
afterAll(async () => {
  await fx.cleanup();
});

describe.each(testDatabases())('recordings ingest fault recovery (%s)', (kind) => {
  let ctx: TestContext;
  let service: RecordingService;
  let chair: Actor;
  let support: Actor;
  let sw: Actor;
  let g: SiblingGroupConference;

  beforeAll(async () => {
    ctx = await createTestServices(kind, {}, { ingest: 'manual' });
    service = ctx.services.recordings;
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  async function ingestQueued(): Promise<void> {
    await runQueuedIngests(ctx);
  }

  /** An upload whose file has been handed over (acknowledged, staged, ingest queued) but not ingested. */
  async function handedOver(file: string, clientSha256: string | null = null): Promise<string> {
    const r = await service.createUpload(support, as(support), g.conferenceId, {
      kind: 'meeting',
      source: 'teams',
      partId: g.partId,
      clientSha256,
    });
    const copy = path.join(ctx.dataDir, `upload-${r.id}`);
    await copyFile(file, copy);
    await service.completeUpload(support, as(support), r.id, copy);
    return r.id;
  }

  async function blobKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const k of ctx.services.blobs.list()) keys.push(k);
    return keys.sort();
  }

  it('R-4: an acknowledged upload whose staged file is missing at ingest is kept as audio missing (never "no audio"), alerted, and its audio uploaded again against the same recording', async () => {
    const bytes = await readFile(fx.file('teams.m4a'));
    const id = await handedOver(fx.file('teams.m4a'), sha(bytes));
    // The server is restored from a backup without the staging folder.
    await ctx.services.staging.remove(id);
    ctx.queuedIngests.length = 0;
    const fatal = vi.spyOn(ctx.services.logger, 'fatal');
    try {
      expect(await service.ingest(id)).toBe('audio_missing');
      expect(fatal).toHaveBeenCalledWith(
        expect.objectContaining({ alert: 'recording-audio-missing', recordingId: id, receivedBytes: bytes.length }),
        expect.any(String),
      );
    } finally {
      fatal.mockRestore();
    }
    const missing = (await service.detail(support, as(support), id)).recording;
    expect(missing).toMatchObject({ status: 'audio_missing', rejectionReason: null });
    expect(missing.audioMissingAt).not.toBeNull();
    expect((await auditRows(ctx, 'recording.audio_missing')).filter((a) => a.subjectId === id)).toEqual([
      expect.objectContaining({ outcome: 'failure', actorLabel: 'system: recording ingest' }),
    ]);
    // Running the job again changes nothing.
    expect(await service.ingest(id)).toBe('audio_missing');

    // Business support sees it on the list of recordings needing attention; someone without access does not.
    expect((await service.needingAttention(support, as(support))).audioMissing.map((r) => r.id)).toContain(id);
    await expect(service.needingAttention(sw, as(sw))).rejects.toMatchObject({ code: 'ACCESS_DENIED' });

    // A different file is refused before it is sent (the SHA-256 the first sender gave is kept).
    await expect(service.declareClientSha256(support, as(support), id, 'b'.repeat(64))).rejects.toMatchObject({
      code: 'SHA256_DIFFERS',
    });
    // The same file, uploaded again: same recording id, audited, then stored with the usual checks.
    await service.assertCanUpload(support, as(support), id);
    const again = path.join(ctx.dataDir, `again-${id}`);
    await copyFile(fx.file('teams.m4a'), again);
    await service.completeUpload(support, as(support), id, again);
    expect(ctx.queuedIngests).toEqual([id]);
    await ingestQueued();
    expect((await service.detail(support, as(support), id)).recording).toMatchObject({
      id,
      status: 'stored',
      originalSha256: sha(bytes),
    });
    expect((await auditRows(ctx, 'recording.audio_reuploaded')).filter((a) => a.subjectId === id)).toEqual([
      expect.objectContaining({ actorUserId: support.id, details: expect.objectContaining({ size: bytes.length }) }),
    ]);
    expect((await service.needingAttention(support, as(support))).audioMissing.map((r) => r.id)).not.toContain(id);
  });

  it('a live recording whose staged audio went missing after it was stopped is audio missing too, and can be uploaded again', async () => {
    const webm = await readFile(fx.file('live.webm'));
    const live = await service.startLive(chair, as(chair), g.conferenceId, { kind: 'meeting' });
    await service.appendChunk(chair, as(chair), live.id, { seq: 0, bytes: webm });
    await service.stop(chair, as(chair), live.id);
    // A disk swap leaves only part of it.
    await writeFile(ctx.services.staging.pathFor(live.id), webm.subarray(0, 100));
    ctx.queuedIngests.length = 0;
    expect(await service.ingest(live.id)).toBe('audio_missing');
    const again = path.join(ctx.dataDir, `again-${live.id}`);
    await writeFile(again, webm);
    await service.completeUpload(chair, as(chair), live.id, again);
    await ingestQueued();
    expect((await service.detail(chair, as(chair), live.id)).recording).toMatchObject({
      status: 'stored',
      originalSha256: sha(webm),
    });
  });

  it('an ingest interrupted by a crash is resumed at start-up: its uncommitted encrypted file removed, never doubled, then stored', async () => {
    const id = await handedOver(fx.file('teams.m4a'));
    ctx.queuedIngests.length = 0;
    const before = await blobKeys();
    // The process dies while reading the encrypted original back: it is written, nothing committed.
    let reached!: () => void;
    const atReadBack = new Promise<void>((resolve) => (reached = resolve));
    const readBack = vi.spyOn(ctx.services.blobs, 'stat').mockImplementationOnce(() => {
      reached();
      return new Promise(() => undefined);
    });
    void service.ingest(id);
    await atReadBack;
    readBack.mockRestore();
    const leftover = (await blobKeys()).filter((k) => !before.includes(k));
    expect(leftover).toHaveLength(1);
    expect((await service.detail(support, as(support), id)).recording.status).toBe('processing');

    // Start-up: this node's staging holds it, so it is resumed at once (and only it).
    const cancelled: string[] = [];
    const r = await service.recoverInterruptedIngests(new Set(await ctx.services.staging.list()), {
      beforeRequeue: async (rid, job) => void cancelled.push(`${job} ${rid}`),
    });
    expect(r).toEqual({ requeued: [id], removed: 1 });
    expect(cancelled).toEqual([`ingest ${id}`]);
    expect(await blobKeys()).toEqual(before);
    expect(ctx.queuedIngests).toEqual([id]);
    await ingestQueued();
    const stored = (await service.detail(support, as(support), id)).recording;
    expect(stored.status).toBe('stored');
    // Exactly the original and its playback copy: nothing doubled, nothing leaked.
    const added = (await blobKeys()).filter((k) => !before.includes(k));
    expect(added).toHaveLength(2);
    expect(added).toContain(stored.originalBlobKey);
    // Recovering again does nothing.
    expect(await service.recoverInterruptedIngests(new Set(await ctx.services.staging.list()))).toEqual({
      requeued: [],
      removed: 0,
    });
  });

  it('R-3: a playback copy that fails to decrypt while played is recorded as a failed check, alerted as the fixity cycle does, and not played again', async () => {
    const id = await handedOver(fx.file('teams.m4a'));
    await ingestQueued();
    const detail = await service.detail(support, as(support), id);
    const blob = path.join(ctx.dataDir, 'blobs', detail.playback!.blobKey.slice(0, 2), detail.playback!.blobKey);
    const damaged = await readFile(blob);
    damaged[damaged.length - 20]! ^= 0xff;
    await writeFile(blob, damaged);
    await service.startListening(support, as(support), id, 'Checking the recording before a referral');
    const player = await service.playback(support, as(support), id);
    const fatal = vi.spyOn(ctx.services.logger, 'fatal');
    try {
      await expect(player.read(0, player.size - 1)).rejects.toMatchObject({ code: 'COPY_DAMAGED' });
      expect(fatal).toHaveBeenCalledWith(
        expect.objectContaining({ alert: 'recording-fixity', recordingId: id, result: 'mismatch' }),
        expect.any(String),
      );
    } finally {
      fatal.mockRestore();
    }
    const after = await service.detail(support, as(support), id);
    expect(after.fixity.at(-1)).toMatchObject({ derivativeId: detail.playback!.id, result: 'mismatch' });
    expect(after.playbackDamaged).toBe(true);
    const checks = (await auditRows(ctx, 'recording.fixity_checked')).filter((a) => a.subjectId === id);
    expect(checks.at(-1)).toMatchObject({ outcome: 'failure' });
    await expect(service.playback(support, as(support), id)).rejects.toMatchObject({ code: 'COPY_DAMAGED' });
  });

  /** A stored recording, listened to, whose playback copy (or original too) is then damaged on disk. */
  async function damagedCopy(opts: { original?: boolean } = {}) {
    const id = await handedOver(fx.file('teams.m4a'));
    await ingestQueued();
    const detail = await service.detail(support, as(support), id);
    const onDisk = (key: string) => path.join(ctx.dataDir, 'blobs', key.slice(0, 2), key);
    const keys = [detail.playback!.blobKey, ...(opts.original ? [detail.recording.originalBlobKey!] : [])];
    for (const key of keys) {
      const bytes = await readFile(onDisk(key));
      bytes[bytes.length - 20]! ^= 0xff;
      await writeFile(onDisk(key), bytes);
    }
    await service.startListening(support, as(support), id, 'Checking the recording before a referral');
    return { id, detail };
  }

  async function playAll(id: string): Promise<Buffer> {
    const player = await service.playback(support, as(support), id);
    return player.read(0, player.size - 1);
  }

  it('R-3: a damaged playback copy of a sound original is made again from it by a queued job, audited with both SHA-256s, played from then on, and no longer fails the daily check', async () => {
    ctx.queuedRepairs.length = 0;
    const { id, detail } = await damagedCopy();
    const fatal = vi.spyOn(ctx.services.logger, 'fatal');
    try {
      await expect(playAll(id)).rejects.toMatchObject({ code: 'COPY_DAMAGED' });
      // Queued once, however often it is played meanwhile; the listener is told it is being repaired.
      expect(ctx.queuedRepairs).toEqual([id]);
      await expect(playAll(id)).rejects.toMatchObject({ message: expect.stringContaining('being repaired') });
      expect(ctx.queuedRepairs).toEqual([id]);
      expect((await service.detail(support, as(support), id)).playbackRepair).toBe('repairing');
      // Staff cannot ask again once it has started.
      await expect(service.requestPlaybackRepair(support, as(support), id)).rejects.toMatchObject({
        code: 'REPAIR_STARTED',
      });

      expect(await service.repairPlayback(ctx.queuedRepairs.shift()!)).toBe('repaired');
      const after = await service.detail(support, as(support), id);
      expect(after.playbackDamaged).toBe(false);
      expect(after.playbackRepair).toBeNull();
      expect(after.playback!.id).not.toBe(detail.playback!.id);
      expect(after.playback!.blobKey).not.toBe(detail.playback!.blobKey);
      expect(after.playback!.durationMs).toBe(detail.playback!.durationMs);
      expect(after.playback!.peaks!.values.length).toBe(detail.playback!.peaks!.values.length);
      const audio = await playAll(id);
      expect(audio.length).toBe(after.playback!.size);
      expect(sha(audio)).toBe(after.playback!.sha256);
      // The damaged copy is retired: its file is gone from the store that backups and key rotation read, and no
      // record refers to it any more; its row stays, named by the copy that replaces it, on the evidence page.
      const stored = await blobKeys();
      expect(stored).not.toContain(detail.playback!.blobKey);
      expect(stored).toContain(after.playback!.blobKey);
      const referenced = await ctx.services.uow.run((r) => r.recordings.referencedBlobKeys());
      expect(referenced).not.toContain(detail.playback!.blobKey);
      expect(referenced).toEqual(expect.arrayContaining([after.playback!.blobKey, detail.recording.originalBlobKey!]));
      const evidence = await service.evidence(support, as(support), id);
      expect(evidence.derivatives.map((d) => [d.id, d.details])).toEqual([
        [detail.playback!.id, null],
        [after.playback!.id, { replaces: detail.playback!.id }],
      ]);
      expect((await auditRows(ctx, 'recording.playback_repaired')).filter((a) => a.subjectId === id)).toEqual([
        expect.objectContaining({
          outcome: 'success',
          actorLabel: 'system: playback repair',
          details: expect.objectContaining({
            oldSha256: detail.playback!.sha256,
            newSha256: after.playback!.sha256,
            oldEncryptedSha256: detail.playback!.blobSha256,
            newEncryptedSha256: after.playback!.blobSha256,
          }),
        }),
      ]);
      // Running the job again does nothing.
      expect(await service.repairPlayback(id)).toBe('not-needed');
      expect(await service.requestPlaybackRepair(support, as(support), id).catch((e: unknown) => e)).toMatchObject({
        code: 'NOT_DAMAGED',
      });

      // The daily re-check of failed recordings no longer picks it up; the full check passes.
      fatal.mockClear();
      ctx.clock.advance(2 * 86_400_000);
      await service.fixitySweep(1000);
      expect(await service.checkFixity(id, 'scheduled')).toBe('ok');
      expect(fatal).not.toHaveBeenCalledWith(expect.objectContaining({ recordingId: id }), expect.any(String));
      expect((await service.fixityOverdue()).overdue.map((o) => o.id)).not.toContain(id);
    } finally {
      fatal.mockRestore();
    }
  });

  it('R-3: a damaged copy whose file cannot be removed once it is replaced is still repaired, and no record refers to the file, so the orphan sweep removes it', async () => {
    ctx.queuedRepairs.length = 0;
    const { id, detail } = await damagedCopy();
    await expect(playAll(id)).rejects.toMatchObject({ code: 'COPY_DAMAGED' });
    const remove = vi.spyOn(ctx.services.blobs, 'delete').mockRejectedValueOnce(new Error('store unavailable'));
    try {
      expect(await service.repairPlayback(ctx.queuedRepairs.shift()!)).toBe('repaired');
    } finally {
      remove.mockRestore();
    }
    const after = await service.detail(support, as(support), id);
    expect(after.playbackDamaged).toBe(false);
    expect(await blobKeys()).toContain(detail.playback!.blobKey);
    const referenced = await ctx.services.uow.run((r) => r.recordings.referencedBlobKeys());
    expect(referenced).not.toContain(detail.playback!.blobKey);
    expect(referenced).toContain(after.playback!.blobKey);
    expect((await playAll(id)).length).toBe(after.playback!.size);
  });

  it('R-3: when the original is damaged too, nothing is made: the fatal alert stays and the recording says it cannot be played', async () => {
    ctx.queuedRepairs.length = 0;
    const { id, detail } = await damagedCopy({ original: true });
    const fatal = vi.spyOn(ctx.services.logger, 'fatal');
    try {
      await expect(playAll(id)).rejects.toMatchObject({ code: 'COPY_DAMAGED' });
      expect(ctx.queuedRepairs).toEqual([id]);
      const before = await blobKeys();
      expect(await service.repairPlayback(ctx.queuedRepairs.shift()!)).toBe('original-damaged');
      expect(await blobKeys()).toEqual(before);
      expect(fatal).toHaveBeenCalledWith(
        expect.objectContaining({ alert: 'recording-fixity', recordingId: id, result: 'mismatch' }),
        expect.any(String),
      );
    } finally {
      fatal.mockRestore();
    }
    const after = await service.detail(support, as(support), id);
    expect(after).toMatchObject({ playbackDamaged: true, playbackRepair: 'impossible' });
    expect(after.playback!.id).toBe(detail.playback!.id);
    await expect(playAll(id)).rejects.toMatchObject({
      code: 'COPY_DAMAGED',
      message: expect.stringContaining('IT team has been told'),
    });
    await expect(service.requestPlaybackRepair(support, as(support), id)).rejects.toMatchObject({
      code: 'ORIGINAL_DAMAGED',
    });
    expect((await auditRows(ctx, 'recording.playback_repaired')).filter((a) => a.subjectId === id)).toEqual([]);
    // The daily re-check keeps alerting.
    ctx.clock.advance(2 * 86_400_000);
    expect((await service.fixityOverdue()).overdue.map((o) => o.id)).toContain(id);
  });

  it('R-3: the chair or business support ask for the repair of a damaged copy nobody has queued (audited); others may not', async () => {
    ctx.queuedRepairs.length = 0;
    // Damaged and found before repairs were queued: the queue was not reachable when it was found.
    const { id } = await damagedCopy();
    const down = vi
      .spyOn(ctx.repairQueue, 'enqueuePlaybackRepair')
      .mockRejectedValueOnce(new Error('queue unavailable'));
    await expect(playAll(id)).rejects.toMatchObject({ code: 'COPY_DAMAGED' });
    down.mockRestore();
    // The queue did not take it (audited): the page offers the repair instead of saying it is under way.
    expect(ctx.queuedRepairs).toEqual([]);
    expect((await service.detail(support, as(support), id)).playbackRepair).toBe('needed');
    await expect(service.requestPlaybackRepair(sw, as(sw), id)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await service.requestPlaybackRepair(chair, as(chair), id);
    expect(ctx.queuedRepairs).toEqual([id]);
    expect((await auditRows(ctx, 'recording.playback_repair_queued')).filter((a) => a.subjectId === id)).toEqual([
      expect.objectContaining({ actorLabel: 'system: playback repair' }),
      expect.objectContaining({ actorUserId: chair.id, details: expect.objectContaining({ requestedBy: 'staff' }) }),
    ]);
    expect((await service.detail(chair, as(chair), id)).playbackRepair).toBe('repairing');
    expect(await service.repairPlayback(ctx.queuedRepairs.shift()!)).toBe('repaired');
    const audio = await playAll(id);
    expect(audio.length).toBe((await service.detail(chair, as(chair), id)).playback!.size);
  });

  it('a live recording with audio still receiving a week after it began is listed for business support, who discards it with a reason (audited)', async () => {
    const webm = await readFile(fx.file('live.webm'));
    const live = await service.startLive(chair, as(chair), g.conferenceId, { kind: 'meeting' });
    await service.appendChunk(chair, as(chair), live.id, { seq: 0, bytes: webm.subarray(0, 4000) });
    expect((await service.needingAttention(support, as(support))).liveUnfinished.map((r) => r.id)).not.toContain(
      live.id,
    );
    ctx.clock.advance(8 * 86_400_000);
    const listed = (await service.needingAttention(support, as(support))).liveUnfinished;
    expect(listed.map((r) => r.id)).toContain(live.id);
    expect(listed.find((r) => r.id === live.id)).toMatchObject({ receivedBytes: 4000, source: 'browser' });
    await expect(service.discardLive(support, as(support), live.id, ' ')).rejects.toMatchObject({
      code: 'INVALID_DETAILS',
    });
    await service.discardLive(
      support,
      as(support),
      live.id,
      'Started by mistake; the conference was recorded in Teams',
    );
    expect((await service.detail(support, as(support), live.id)).recording).toMatchObject({
      status: 'rejected',
      rejectionReason: 'Discarded: Started by mistake; the conference was recorded in Teams',
    });
    expect(await ctx.services.staging.size(live.id)).toBeNull();
    expect((await auditRows(ctx, 'recording.discarded')).filter((a) => a.subjectId === live.id)).toEqual([
      expect.objectContaining({ actorUserId: support.id, details: expect.objectContaining({ receivedBytes: 4000 }) }),
    ]);
    expect((await service.needingAttention(support, as(support))).liveUnfinished.map((r) => r.id)).not.toContain(
      live.id,
    );
  });
});

describe.each(testDatabases())('the playback repair job on pg-boss (%s)', (kind) => {
  let ctx: TestContext;
  afterAll(async () => {
    await ctx?.dispose();
  });

  it('R-3: a damaged playback copy found while played is repaired by the queued job, and the recording plays again', async () => {
    ctx = await createTestServices(kind, {}, { ingest: 'queue' });
    await ctx.services.queue.start(
      [],
      ctx.services.workers.filter((w) =>
        [RECORDING_INGEST_JOB, RECORDING_PLAYABLE_JOB, PLAYBACK_REPAIR_JOB].includes(w.name),
      ),
    );
    const service = ctx.services.recordings;
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    const r = await service.createUpload(support, as(support), g.conferenceId, { kind: 'meeting', source: 'teams' });
    const upload = path.join(ctx.dataDir, `upload-${r.id}`);
    await copyFile(fx.file('teams.m4a'), upload);
    await service.completeUpload(support, as(support), r.id, upload);
    // Stored by the ingest job, then made playable by the job it queues.
    await expect
      .poll(async () => (await service.detail(support, as(support), r.id)).recording.playable, {
        timeout: 60_000,
        interval: 200,
      })
      .toBe('ready');
    const before = await service.detail(support, as(support), r.id);
    const blob = path.join(ctx.dataDir, 'blobs', before.playback!.blobKey.slice(0, 2), before.playback!.blobKey);
    const damaged = await readFile(blob);
    damaged[damaged.length - 20]! ^= 0xff;
    await writeFile(blob, damaged);
    await service.startListening(support, as(support), r.id, 'Checking the recording before a referral');
    const player = await service.playback(support, as(support), r.id);
    await expect(player.read(0, player.size - 1)).rejects.toMatchObject({ code: 'COPY_DAMAGED' });
    await expect
      .poll(async () => (await service.detail(support, as(support), r.id)).playbackDamaged, {
        timeout: 60_000,
        interval: 200,
      })
      .toBe(false);
    const after = await service.detail(support, as(support), r.id);
    expect(after.playback!.blobKey).not.toBe(before.playback!.blobKey);
    expect(after.playback!.durationMs).toBe(before.playback!.durationMs);
    const again = await service.playback(support, as(support), r.id);
    expect(sha(await again.read(0, again.size - 1))).toBe(after.playback!.sha256);
    const jobs = await ctx.services.database.execute(
      `select state from pgboss.job where name = $1 and data->>'recordingId' = $2`,
      [PLAYBACK_REPAIR_JOB, r.id],
    );
    expect(jobs.rows).toEqual([{ state: 'completed' }]);
  });
});
