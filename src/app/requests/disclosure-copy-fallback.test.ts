import { createWriteStream } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { SampleRedactor } from '../../infra/audio/sample-redactor.ts';
import type * as RedactionCheck from '../../infra/audio/redaction-check.ts';
import { staff } from '../../../test/support/people.ts';
import {
  decodeToPcm,
  fixtureDir,
  type FixtureDir,
  peakDbfs,
  rmsDbfs,
  toneWav,
} from '../../../test/support/audio-fixtures.ts';
import { verifiedCopyRequest } from '../../../test/support/copy-requests.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';

// the energy proof (checkRedactedCopy) is what stops a copy from being released with withheld sound in
// it. Here it is made to fail, for real, on the copy spliced from the playback copy: the first proof of the next
// copy measures spans of that copy that hold the kept tone (each stated span moved 3 s later), as a splice that put
// the fill in the wrong place would leave them. The copy must then be made again by the full re-encode from the
// original, and that copy must pass the proof, measured as stated.

const proofs = vi.hoisted(() => ({
  /** Armed: the next proof measures spans holding the kept tone. */
  forceNext: false,
  calls: [] as Array<{ file: string; forced: boolean; error: string | null }>,
}));

vi.mock('../../infra/audio/redaction-check.ts', async (importOriginal) => {
  const real = await importOriginal<typeof RedactionCheck>();
  return {
    ...real,
    checkRedactedCopy: async (args: Parameters<typeof real.checkRedactedCopy>[0]) => {
      const forced = proofs.forceNext;
      proofs.forceNext = false;
      const moved = forced
        ? { ...args, checkRanges: args.checkRanges.map((r) => ({ start: r.start + 3 * RATE, end: r.end + 3 * RATE })) }
        : args;
      try {
        await real.checkRedactedCopy(moved);
        proofs.calls.push({ file: args.file, forced, error: null });
      } catch (err) {
        proofs.calls.push({ file: args.file, forced, error: (err as Error).message });
        throw err;
      }
    },
  };
});

const RATE = 48_000;
const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, requestId: 'test-request' });

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-disclosure-fallback-');
  await toneWav(fx.file('tone12.wav'), { seconds: 12, frequencyHz: 440, amplitude: 0.5 });
});
afterAll(async () => {
  await fx.cleanup();
});

describe.each(testDatabases())('a disclosure copy whose spliced copy fails its energy proof (%s)', (kind) => {
  let ctx: TestContext;
  let support: Actor;
  let chair: Actor;
  let g: SiblingGroupConference;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('R-3: falls back to the full re-encode from the original, and that copy passes the proof as stated', async () => {
    const requestId = await verifiedCopyRequest(ctx, g.conferenceId);
    const upload = await ctx.services.recordings.createUpload(support, as(support), g.conferenceId, {
      kind: 'meeting',
      source: 'dictaphone',
    });
    const file = path.join(ctx.dataDir, `upload-${upload.id}`);
    await copyFile(fx.file('tone12.wav'), file);
    await ctx.services.recordings.completeUpload(support, as(support), upload.id, file);
    const recordingId = upload.id;
    const info = vi.spyOn(ctx.services.logger, 'info');
    proofs.calls.length = 0;
    proofs.forceNext = true;
    const { copyId } = await ctx.services.disclosureCopies.start(
      support,
      {
        requestId,
        conferenceId: g.conferenceId,
        recordingIds: [recordingId],
        withheld: [
          {
            recordingId,
            startMs: 3_000,
            endMs: 5_000,
            reason: 'police',
            explanation: 'Police information about an investigation the family must not hear.',
            approvedBy: 'Cal Chair',
          },
        ],
        statements: { [recordingId]: 'Explanatory statement (R-2): Room 4, County Hall, 10:00 to 11:30.' },
        fill: 'silence',
      },
      as(support),
    );
    const made = info.mock.calls.filter((c) => c[1] === 'disclosure copy file made').map((c) => c[0]);
    info.mockRestore();

    // The spliced copy was made and proved first, and failed on the energy in its spans; the full copy passed.
    expect(proofs.calls).toHaveLength(2);
    expect(proofs.calls[0]).toMatchObject({
      forced: true,
      error: expect.stringMatching(/failed its check: a withheld range holds more than its silence/),
    });
    expect(proofs.calls[1]).toMatchObject({ forced: false, error: null });
    expect(made).toEqual([expect.objectContaining({ copyId, method: 'full', reason: proofs.calls[0]!.error })]);

    // The copy is ready, and the file as the requester receives it passes the proof, measured exactly as stated.
    const status = await ctx.services.disclosureCopies.status(support, copyId);
    expect(status.state).toBe('ready');
    const [copy] = status.files;
    const opened = await ctx.services.disclosureCopies.openFile(copyId, copy!.fileId, {
      purpose: 'test: measure the copy',
      ctx: as(support),
    });
    const out = fx.file(`${copyId}.mp3`);
    await pipeline(opened.stream, createWriteStream(out));
    const pcm = await decodeToPcm(out);
    const stated = copy!.withheld.map((w) => ({ start: w.output.startSample!, end: w.output.endSample! }));
    expect(stated).toHaveLength(1);
    const { checkRedactedCopy } = await vi.importActual<typeof RedactionCheck>('../../infra/audio/redaction-check.ts');
    await expect(
      checkRedactedCopy({
        file: out,
        expectedSamples: pcm.length,
        checkRanges: stated,
        fill: 'silence',
        fillOf: new SampleRedactor({ ranges: stated, fill: 'silence', sampleRate: RATE }),
        timeoutMs: 60_000,
      }),
    ).resolves.toBeUndefined();
    const [span] = stated;
    expect(peakDbfs(pcm, span!.start, span!.end)).toBeLessThan(-60);
    // And the same proof, moved onto the kept tone as the forced one was, fails on this copy too: it can fail.
    await expect(
      checkRedactedCopy({
        file: out,
        expectedSamples: pcm.length,
        checkRanges: [{ start: span!.start + 3 * RATE, end: span!.end + 3 * RATE }],
        fill: 'silence',
        fillOf: new SampleRedactor({ ranges: stated, fill: 'silence', sampleRate: RATE }),
        timeoutMs: 60_000,
      }),
    ).rejects.toThrow(/holds more than its silence/);
    expect(rmsDbfs(pcm, span!.end + RATE, span!.end + 2 * RATE)).toBeGreaterThan(-12);
  }, 180_000);
});
