/**
 * Ingest in one pass, then the job that makes a recording playable: the staged audio is read once (hashed,
 * encrypted, written and flushed) and the recording acknowledged as stored before anything is decoded; the full
 * decode, the playback copy and its waveform come after, in their own job. Jobs are run by hand.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { fixtureDir, type FixtureDir, toneWav, encode, undecodableWav } from '../../../test/support/audio-fixtures.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import {
  createTestServices,
  runQueuedIngests,
  testDatabases,
  type TestContext,
} from '../../../test/support/services.ts';
import type { RecordingService } from './recording-service.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, requestId: 'test-request' });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-recording-one-pass-');
  // Longer than a few write batches (1 MiB each), and not a whole number of 64 KiB age chunks.
  await toneWav(fx.file('meeting.wav'), { seconds: 25, sampleRate: 48_000 });
  await encode(fx.file('meeting.wav'), fx.file('teams.m4a'), ['-c:a', 'aac', '-b:a', '64k']);
  await writeFile(fx.file('undecodable.wav'), undecodableWav());
});
afterAll(async () => {
  await fx.cleanup();
});

describe.each(testDatabases())('ingest in one pass, then made playable (%s)', (kind) => {
  let ctx: TestContext;
  let service: RecordingService;
  let support: Actor;
  let g: SiblingGroupConference;

  beforeAll(async () => {
    ctx = await createTestServices(kind, {}, { ingest: 'manual' });
    service = ctx.services.recordings;
    support = await staff(ctx, 'Bo Support', ['business_support']);
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /** An upload whose file has been handed over (acknowledged, staged, ingest queued) but not ingested. */
  async function handedOver(file: string, clientSha256: string | null = null): Promise<string> {
    const r = await service.createUpload(support, as(support), g.conferenceId, {
      kind: 'meeting',
      source: 'dictaphone',
      partId: g.partId,
      clientSha256,
    });
    const copy = path.join(ctx.dataDir, `upload-${r.id}`);
    await copyFile(file, copy);
    await service.completeUpload(support, as(support), r.id, copy);
    ctx.queuedIngests.length = 0;
    return r.id;
  }

  async function blobKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const k of ctx.services.blobs.list()) keys.push(k);
    return keys.sort();
  }

  /** The stored encrypted file, opened with the standard age tool and the council's key. */
  function ageDecrypt(blobKey: string): Buffer {
    const file = path.join(ctx.dataDir, 'blobs', blobKey.slice(0, 2), blobKey);
    const age = spawnSync('age', ['-d', '-i', ctx.config.recordingIdentityFile, file], { maxBuffer: 64 << 20 });
    expect(age.status).toBe(0);
    return age.stdout;
  }

  it('R-3: stores in one pass, acknowledged before any decode: the encrypted original decrypts to the bytes whose SHA-256 is recorded', async () => {
    const bytes = await readFile(fx.file('meeting.wav'));
    const id = await handedOver(fx.file('meeting.wav'), sha(bytes));
    const probe = vi.spyOn(ctx.audio, 'probe');
    const copy = vi.spyOn(ctx.audio, 'makePlaybackCopy');
    const onePass = vi.spyOn(ctx.audio, 'makePlayable');
    const readBack = vi.spyOn(ctx.services.blobs, 'get');
    try {
      expect(await service.ingest(id)).toBe('stored');
      // Nothing decoded, no copy made, and the encrypted file not read back in full while storing.
      expect(probe).not.toHaveBeenCalled();
      expect(copy).not.toHaveBeenCalled();
      expect(onePass).not.toHaveBeenCalled();
      expect(readBack).not.toHaveBeenCalled();
    } finally {
      probe.mockRestore();
      copy.mockRestore();
      onePass.mockRestore();
      readBack.mockRestore();
    }
    const stored = await service.detail(support, as(support), id);
    expect(stored.recording).toMatchObject({
      status: 'stored',
      playable: 'preparing',
      originalSha256: sha(bytes),
      originalSize: bytes.length,
      durationMs: null,
    });
    expect(stored.playback).toBeNull();
    // The encrypted file is what was written: its SHA-256 and size as recorded, and it decrypts to the original.
    const blob = await readFile(
      path.join(ctx.dataDir, 'blobs', stored.recording.originalBlobKey!.slice(0, 2), stored.recording.originalBlobKey!),
    );
    expect(sha(blob)).toBe(stored.recording.originalBlobSha256);
    expect(blob.length).toBe(stored.recording.originalBlobSize);
    expect(sha(ageDecrypt(stored.recording.originalBlobKey!))).toBe(sha(bytes));
    expect(stored.fixity.map((f) => [f.trigger, f.result])).toEqual([['ingest', 'ok']]);
    // The staged audio stays for the next job, which is queued.
    expect(await ctx.services.staging.size(id)).toBe(bytes.length);
    expect(ctx.queuedPlayables).toEqual([id]);

    await runQueuedIngests(ctx);
    const playable = await service.detail(support, as(support), id);
    expect(playable.recording).toMatchObject({ playable: 'ready', container: 'wav', codec: 'pcm_s16le' });
    expect(playable.recording.durationMs).toBeGreaterThan(24_000);
    expect(playable.playback).toMatchObject({ kind: 'playback', originalSha256: sha(bytes) });
    expect(await ctx.services.staging.size(id)).toBeNull();
    // Running the job again changes nothing.
    expect(await service.makePlayable(id)).toBe('ready');
  });

  it('a file that changed on the way is rejected after the pass, and its encrypted file removed', async () => {
    const before = await blobKeys();
    const id = await handedOver(fx.file('teams.m4a'), 'a'.repeat(64));
    expect(await service.ingest(id)).toBe('rejected');
    expect((await service.detail(support, as(support), id)).recording.rejectionReason).toMatch(
      /not the file that was sent/,
    );
    expect(await blobKeys()).toEqual(before);
    expect(ctx.queuedPlayables).toEqual([]);
  });

  it('R-4: a staged file cut short after it was acknowledged still goes to audio missing, and nothing is stored', async () => {
    const bytes = await readFile(fx.file('teams.m4a'));
    const before = await blobKeys();
    const id = await handedOver(fx.file('teams.m4a'));
    await truncate(ctx.services.staging.pathFor(id), Math.floor(bytes.length / 2));
    expect(await service.ingest(id)).toBe('audio_missing');
    expect(await blobKeys()).toEqual(before);
    expect((await service.detail(support, as(support), id)).recording.status).toBe('audio_missing');
  });

  it('a crash between storing and making playable is recovered at start-up: the playable job is queued again', async () => {
    const id = await handedOver(fx.file('teams.m4a'));
    expect(await service.ingest(id)).toBe('stored');
    ctx.queuedPlayables.length = 0;
    const before = await blobKeys();
    // The process dies while making the playback copy: the recording is stored, not yet playable.
    let reached!: () => void;
    const atCopy = new Promise<void>((resolve) => (reached = resolve));
    const copy = vi.spyOn(ctx.audio, 'makePlayable').mockImplementationOnce(() => {
      reached();
      return new Promise<never>(() => undefined);
    });
    void service.makePlayable(id);
    await atCopy;
    copy.mockRestore();
    expect((await service.detail(support, as(support), id)).recording).toMatchObject({
      status: 'stored',
      playable: 'preparing',
    });

    // Start-up: this node's staging holds it, so its playable job (not ingest) is cancelled and queued again.
    const cancelled: string[] = [];
    const r = await service.recoverInterruptedIngests(new Set(await ctx.services.staging.list()), {
      beforeRequeue: async (rid, job) => void cancelled.push(`${job} ${rid}`),
    });
    expect(r).toEqual({ requeued: [id], removed: 0 });
    expect(cancelled).toEqual([`playable ${id}`]);
    expect(ctx.queuedIngests).toEqual([]);
    expect(ctx.queuedPlayables).toEqual([id]);
    await runQueuedIngests(ctx);
    const ready = await service.detail(support, as(support), id);
    expect(ready.recording.playable).toBe('ready');
    // Exactly the playback copy added: nothing doubled.
    expect((await blobKeys()).filter((k) => !before.includes(k))).toEqual([ready.playback!.blobKey]);
    expect(await service.recoverInterruptedIngests(new Set(await ctx.services.staging.list()))).toEqual({
      requeued: [],
      removed: 0,
    });
  });

  it('a stored recording whose staged audio is not on this node is made playable from its decrypted original by the stalled sweep', async () => {
    const id = await handedOver(fx.file('teams.m4a'));
    expect(await service.ingest(id)).toBe('stored');
    ctx.queuedPlayables.length = 0;
    await ctx.services.staging.remove(id);
    expect(await service.requeueStalled()).toBe(0);
    ctx.clock.advance(31 * 60_000);
    expect(await service.requeueStalled()).toBe(1);
    expect(ctx.queuedPlayables).toEqual([id]);
    await runQueuedIngests(ctx);
    const ready = await service.detail(support, as(support), id);
    expect(ready.recording).toMatchObject({ playable: 'ready', codec: 'aac' });
    expect(ready.playback).not.toBeNull();
  });

  it('R-3: audio that turns out not to decode after it was acknowledged is shown as stored but not playable, and its encrypted original is kept', async () => {
    const bytes = undecodableWav();
    const id = await handedOver(fx.file('undecodable.wav'), sha(bytes));
    expect(await service.ingest(id)).toBe('stored');
    const fatal = vi.spyOn(ctx.services.logger, 'fatal');
    try {
      expect(await service.makePlayable(ctx.queuedPlayables.shift()!)).toBe('undecodable');
      expect(fatal).toHaveBeenCalledWith(
        expect.objectContaining({ alert: 'recording-undecodable', recordingId: id }),
        expect.any(String),
      );
    } finally {
      fatal.mockRestore();
    }
    const detail = await service.detail(support, as(support), id);
    expect(detail.recording).toMatchObject({ status: 'stored', playable: 'undecodable', originalSha256: sha(bytes) });
    expect(detail.recording.playableProblem).toMatch(/incomplete or damaged/);
    expect(detail.playback).toBeNull();
    expect(sha(ageDecrypt(detail.recording.originalBlobKey!))).toBe(sha(bytes));
    expect((await auditRows(ctx, 'recording.undecodable')).filter((a) => a.subjectId === id)).toEqual([
      expect.objectContaining({ outcome: 'failure', actorLabel: 'system: recording playback' }),
    ]);
    expect(await ctx.services.staging.size(id)).toBeNull();
    // The job run again changes nothing; the stored original is never touched.
    expect(await service.makePlayable(id)).toBe('undecodable');
    expect(await service.requeueStalled()).toBe(0);
  });
});
