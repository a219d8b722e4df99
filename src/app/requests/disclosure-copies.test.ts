import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import { DISCLOSURE_COPY_JOB } from '../../composition.ts';
import { DEFAULT_GUARD_MS } from '../../infra/audio/index.ts';
import { defaultToolPaths, runTool } from '../../infra/audio/tools.ts';
import { disclosureCopies, disclosureCopyFiles } from '../../infra/db/disclosure-schema.ts';
import { fixityEvents, recordings } from '../../infra/db/recordings-schema.ts';
import { copyRequests } from '../../infra/db/requests-schema.ts';
import { children } from '../../infra/db/schema.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import {
  decodeToPcm,
  espeakAvailable,
  fixtureDir,
  type FixtureDir,
  peakDbfs,
  rmsDbfs,
  speechWav,
  toneWav,
} from '../../../test/support/audio-fixtures.ts';
import { verifiedCopyRequest } from '../../../test/support/copy-requests.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { DisclosureCopyService, OpenedCopyFile } from './disclosure-copies.ts';
import type { WithheldRangeInput } from './disclosure-ports.ts';

// R-3 and A-3 / A-6 (issue 5, "The copy"): a disclosure copy is a new MP3 derived from the original,
// which is never touched; every withheld range holds no sample of the withheld audio. Each test decodes
// the copy as the requester receives it (decrypted from the blob store, ID3 tag and all) and measures it.

const RATE = 48_000;
const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, requestId: 'test-request' });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** The fixture tone: 440 Hz at half scale, −9.03 dBFS RMS. */
const TONE_RMS_DBFS = 20 * Math.log10(0.5 / Math.SQRT2);
/** How far MP3 coding smears kept sound into the guard (see redaction.test.ts): never into the range itself. */
const SMEAR = Math.round(0.025 * RATE);

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-disclosure-');
  expect(
    await espeakAvailable(),
    'espeak-ng (installed by scripts/test) makes the speech fixtures and the spoken notice',
  ).toBe(true);
  await toneWav(fx.file('tone20.wav'), { seconds: 20, frequencyHz: 440, amplitude: 0.5 });
  await speechWav(
    fx.file('speech.wav'),
    'The conference began at ten. The police officer shared information that must not be heard by the family. The plan will be reviewed in three months, and the core group meets next week.',
  );
});
afterAll(async () => {
  await fx.cleanup();
});

async function readAll(opened: OpenedCopyFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of opened.stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe.each(testDatabases())('disclosure copies (%s)', (kind) => {
  let ctx: TestContext;
  let service: DisclosureCopyService;
  let chair: Actor;
  let support: Actor;
  let sw: Actor;
  let otherSw: Actor;
  let g: SiblingGroupConference;
  let requestId: string;
  let tone: string;
  let speech: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    service = ctx.services.disclosureCopies;
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Other', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    requestId = await requestFor(g.conferenceId);
    tone = await upload(g.conferenceId, fx.file('tone20.wav'));
    speech = await upload(g.conferenceId, fx.file('speech.wav'));
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /** A request for a copy, as RequestService stores it (its workflow is tested there). */
  const requestFor = (conferenceId: string) => verifiedCopyRequest(ctx, conferenceId);

  /** Uploads and stores a recording (inline ingest) and confirms its explanatory statement. */
  async function upload(conferenceId: string, file: string, statement = true): Promise<string> {
    const r = await ctx.services.recordings.createUpload(support, as(support), conferenceId, {
      kind: 'meeting',
      source: 'dictaphone',
    });
    const copy = path.join(ctx.dataDir, `upload-${r.id}`);
    await copyFile(file, copy);
    await ctx.services.recordings.completeUpload(support, as(support), r.id, copy);
    if (statement) {
      await ctx.services.recordings.confirmStatement(chair, as(chair), r.id, {
        location: 'Room 4, County Hall',
        recordedOn: '2026-03-02',
        startedAt: '10:00',
        endedAt: '11:30',
        context: 'Initial child protection conference for Ava and Ben.',
        speakers: [
          { name: 'Cal Chair', role: 'Conference chair' },
          { name: 'DC Priya Shah', role: 'Detective constable' },
        ],
        breaks: [],
      });
    }
    return r.id;
  }

  const range = (recordingId: string, startMs: number, endMs: number, reason = 'police'): WithheldRangeInput => ({
    recordingId,
    startMs,
    endMs,
    reason,
    explanation: 'Police information about an investigation the family must not hear.',
    approvedBy: 'Cal Chair',
  });

  /** The copy's MP3 for a recording, decrypted as the requester gets it, written to a file and decoded. */
  async function decodedCopy(
    copyId: string,
    recordingId: string,
  ): Promise<{ pcm: Int16Array; file: string; bytes: Buffer }> {
    const status = await service.status(support, copyId);
    const file = status.files.find((f) => f.recordingId === recordingId)!;
    const opened = await service.openFile(copyId, file.fileId, { purpose: 'test: measure the copy', ctx: as(support) });
    const out = fx.file(`${copyId}-${recordingId}.mp3`);
    await pipeline(opened.stream, createWriteStream(out));
    return { pcm: await decodeToPcm(out), file: out, bytes: await readFile(out) };
  }

  describe('a copy of two recordings, one with two withheld ranges', () => {
    let copyId: string;
    const withheld = () => [
      range(tone, 3_000, 5_000),
      range(tone, 11_000.5, 12_250, 'marac'),
      range(speech, 2_500, 4_500),
    ];
    let before: { row: typeof recordings.$inferSelect; blob: string };
    let made: unknown[][] = [];

    beforeAll(async () => {
      const info = vi.spyOn(ctx.services.logger, 'info');
      const [row] = await ctx.services.database.db.select().from(recordings).where(eq(recordings.id, tone));
      before = {
        row: row!,
        blob: sha(
          await readFile(path.join(ctx.dataDir, 'blobs', row!.originalBlobKey!.slice(0, 2), row!.originalBlobKey!)),
        ),
      };
      ({ copyId } = await service.start(
        support,
        { requestId, conferenceId: g.conferenceId, recordingIds: [tone, speech], withheld: withheld() },
        as(support),
      ));
      made = info.mock.calls.filter((c) => c[1] === 'disclosure copy file made');
      info.mockRestore();
    });

    it('is spliced from each playback copy, or made in full only when that copy uses the bit reservoir, and the log says which', () => {
      expect(made).toHaveLength(2);
      for (const [fields] of made) {
        const f = fields as { copyId: string; method: string; reason?: string };
        expect(f.copyId).toBe(copyId);
        // Playback copies made before the bit reservoir was turned off cannot be spliced; nothing else stops it.
        if (f.method !== 'spliced')
          expect(f).toMatchObject({ method: 'full', reason: 'the playback copy uses the bit reservoir' });
      }
    });

    it('is made by the job: ready at 100%, one checked MP3 per recording, each naming its original (R-3)', async () => {
      const status = await service.status(support, copyId, as(support));
      expect(status).toMatchObject({ state: 'ready', percent: 100, error: null, fill: 'silence', requestId });
      expect(status.files.map((f) => [f.recordingId, f.ordinal])).toEqual([
        [tone, 1],
        [speech, 2],
      ]);
      const [toneRow] = await ctx.services.database.db.select().from(recordings).where(eq(recordings.id, tone));
      expect(status.files[0]!.originalSha256).toBe(toneRow!.originalSha256);
      for (const f of status.files) {
        const { bytes } = await decodedCopy(copyId, f.recordingId);
        expect(sha(bytes)).toBe(f.sha256);
        expect(bytes.length).toBe(f.sizeBytes);
        // No personal data in the download's name.
        expect(f.fileName).toMatch(/^copy-[0-9a-f]{8}-recording-\d\.mp3$/);
      }
      expect(await service.copyReady(copyId, requestId)).toBe(true);
      expect(await service.copyReady(copyId, await requestFor(g.conferenceId))).toBe(false);
    });

    it('holds digital silence inside each withheld range of the decoded copy, and the tone everywhere else (A-3)', async () => {
      const status = await service.status(support, copyId);
      const file = status.files[0]!;
      const { pcm } = await decodedCopy(copyId, tone);
      // The notice comes first: the copy is the recording, sample for sample, after it.
      const notice = pcm.length - 20 * RATE;
      expect(notice).toBeGreaterThan(RATE); // a spoken sentence
      expect(Math.abs(file.noticeMs - (notice * 1000) / RATE)).toBeLessThan(1);
      expect(rmsDbfs(pcm, 0, notice)).toBeGreaterThan(-40); // the spoken notice is there
      for (const w of withheld().filter((r) => r.recordingId === tone)) {
        const start = notice + Math.floor((w.startMs * RATE) / 1000);
        const end = notice + Math.ceil((w.endMs * RATE) / 1000);
        expect(peakDbfs(pcm, start, end)).toBeLessThan(-60);
        expect(rmsDbfs(pcm, start, end)).toBeLessThan(-60);
      }
      // Outside the ranges (less the guard and the codec's smear): the tone at its level.
      const guard = (DEFAULT_GUARD_MS * RATE) / 1000;
      const kept = [
        [notice + 0, notice + 3 * RATE - guard - SMEAR],
        [notice + 5 * RATE + guard + SMEAR, notice + 11 * RATE - guard - SMEAR],
        [notice + 12.25 * RATE + guard + SMEAR, notice + 20 * RATE],
      ] as const;
      for (const [a, b] of kept) expect(Math.abs(rmsDbfs(pcm, a, b) - TONE_RMS_DBFS)).toBeLessThan(1);
      // The withheld-content log: each range, its reason, who approved it, and where it is in the copy.
      expect(file.withheld).toHaveLength(2);
      expect(file.withheld[0]).toMatchObject({
        startMs: 3_000,
        endMs: 5_000,
        reason: 'police',
        reasonLabel: 'Police information',
        approvedBy: 'Cal Chair',
        explanation: expect.stringMatching(/Police information/),
      });
      expect(file.withheld[1]).toMatchObject({ startMs: 11_000.5, reason: 'marac', reasonLabel: 'MARAC information' });
      // stated in samples, exactly the range asked for after the notice (the guard is silent too, but not stated).
      const noticeSamples = file.withheld[0]!.output.startSample! - 3 * RATE;
      expect(notice - noticeSamples).toBeGreaterThanOrEqual(0); // the decoded length also holds up to 46 samples of end padding
      expect(notice - noticeSamples).toBeLessThanOrEqual(46);
      expect(file.withheld[0]!.output).toMatchObject({ endSample: noticeSamples + 5 * RATE, sampleRate: RATE });
      expect(file.withheld[1]!.output).toMatchObject({
        startSample: noticeSamples + 11 * RATE,
        endSample: noticeSamples + 12.25 * RATE,
      });
    });

    it('R-3: every span the copy states as withheld (ID3 text and log) decodes as digital silence, measured exactly as stated', async () => {
      const { pcm, file } = await decodedCopy(copyId, tone);
      const probe = await runTool(
        defaultToolPaths.ffprobe,
        ['-hide_banner', '-v', 'error', '-show_entries', 'format_tags', '-of', 'json', file],
        { timeoutMs: 30_000 },
      );
      const stated = (JSON.parse(probe.stdout) as { format: { tags: Record<string, string> } }).format.tags[
        'Withheld'
      ]!;
      const spans = [
        ...stated.matchAll(
          /^(\d+):(\d\d):(\d\d)\.(\d{3}) to (\d+):(\d\d):(\d\d)\.(\d{3}) \(samples (\d+) to (\d+) of 48000 a second\): replaced with silence$/gm,
        ),
      ];
      expect(spans).toHaveLength(2);
      const log = (await service.status(support, copyId)).files[0]!.withheld;
      for (const [i, m] of spans.entries()) {
        const [startSample, endSample] = [Number(m[9]), Number(m[10])];
        expect([startSample, endSample]).toEqual([log[i]!.output.startSample, log[i]!.output.endSample]);
        // The times stated lie within the samples stated.
        const ms = (h: string, mi: string, se: string, f: string) =>
          ((Number(h) * 60 + Number(mi)) * 60 + Number(se)) * 1000 + Number(f);
        expect(ms(m[1]!, m[2]!, m[3]!, m[4]!) * 48).toBeGreaterThanOrEqual(startSample);
        expect(ms(m[5]!, m[6]!, m[7]!, m[8]!) * 48).toBeLessThanOrEqual(endSample);
        // Every sample of the stated span, first to last: no spread from the kept tone, no kept sample.
        let peak = 0;
        for (let k = startSample; k < endSample; k++) peak = Math.max(peak, Math.abs(pcm[k]!));
        expect(peak, `stated span ${i + 1}`).toBeLessThanOrEqual(Math.round(32768 * 10 ** (-60 / 20)));
      }
    });

    it('silences the withheld speech and keeps the rest of the speech', async () => {
      const original = await decodeToPcm(fx.file('speech.wav'));
      const { pcm } = await decodedCopy(copyId, speech);
      const notice = pcm.length - original.length;
      const [start, end] = [notice + 2.5 * RATE, notice + 4.5 * RATE];
      expect(rmsDbfs(original, 2.5 * RATE, 4.5 * RATE)).toBeGreaterThan(-40); // the control: speech there
      expect(peakDbfs(pcm, start, end)).toBeLessThan(-60);
      expect(rmsDbfs(pcm, notice + 5 * RATE, notice + 8 * RATE)).toBeGreaterThan(-40);
    });

    it('carries the notice and the explanatory statement in its ID3 text, and the statement as text beside it (R-2)', async () => {
      const { file } = await decodedCopy(copyId, tone);
      const probe = await runTool(
        defaultToolPaths.ffprobe,
        ['-hide_banner', '-v', 'error', '-show_entries', 'format_tags', '-of', 'json', file],
        { timeoutMs: 30_000 },
      );
      const tags = (JSON.parse(probe.stdout) as { format: { tags: Record<string, string> } }).format.tags;
      expect(tags['title']).toBe('Copy of a conference recording (1 of 2)');
      expect(tags['comment']).toMatch(/confidential: do not share it/);
      expect(tags['Explanatory statement']).toMatch(
        /Recorded on 2 March 2026 at Room 4, County Hall\.[\s\S]*DC Priya Shah, Detective constable/,
      );
      expect(tags['Made from']).toMatch(new RegExp(`${tone}, SHA-256 [0-9a-f]{64}`));
      expect(tags['Withheld']).toMatch(
        /^0:00:\d\d\.\d{3} to 0:00:\d\d\.\d{3} \(samples \d+ to \d+ of 48000 a second\): replaced with silence\n/,
      );
      const status = await service.status(support, copyId);
      const statement = await readAll(
        await service.openFile(copyId, status.files[0]!.statementFileId, { purpose: 'test', ctx: as(support) }),
      );
      expect(statement.toString('utf8')).toBe(status.files[0]!.statementText);
      expect(statement.toString('utf8')).toMatch(/^Explanatory statement: Initial child protection conference/);
      const listed = await service.list(copyId);
      expect(listed.map((f) => [f.kind, f.fileName])).toEqual([
        ['audio', status.files[0]!.fileName],
        ['statement', status.files[0]!.statementFileName],
        ['audio', status.files[1]!.fileName],
        ['statement', status.files[1]!.statementFileName],
      ]);
    });

    it('leaves the original exactly as it was: its SHA-256, its row and its stored bytes (R-3)', async () => {
      const [row] = await ctx.services.database.db.select().from(recordings).where(eq(recordings.id, tone));
      expect(row).toEqual(before.row);
      expect(
        sha(await readFile(path.join(ctx.dataDir, 'blobs', row!.originalBlobKey!.slice(0, 2), row!.originalBlobKey!))),
      ).toBe(before.blob);
      // Reading it proved it: an ok fixity event naming the copy.
      const events = await ctx.services.database.db
        .select()
        .from(fixityEvents)
        .where(eq(fixityEvents.recordingId, tone));
      expect(events.map((e) => [e.trigger, e.result])).toContainEqual(['export', 'ok']);
      const exported = await ctx.services.recordings.exportOriginal(support, as(support), tone, 'test: compare');
      const bytes = await readAll({ stream: exported.stream } as OpenedCopyFile);
      expect(sha(bytes)).toBe(sha(await readFile(fx.file('tone20.wav'))));
    });

    it('serves a byte range of the MP3 decrypted, and audits every open with its purpose', async () => {
      const status = await service.status(support, copyId);
      const whole = await readAll(
        await service.openFile(copyId, status.files[0]!.fileId, { purpose: 'test: whole', ctx: as(support) }),
      );
      const part = await service.openFile(copyId, status.files[0]!.fileId, {
        purpose: 'Requester download',
        ctx: as(support),
        range: { start: 100, end: 70_099 },
      });
      expect(part.range).toEqual({ start: 100, end: 70_099 });
      expect((await readAll(part)).equals(whole.subarray(100, 70_100))).toBe(true);
      await expect(
        service.openFile(copyId, status.files[0]!.fileId, {
          purpose: 'x',
          ctx: as(support),
          range: { start: 0, end: whole.length },
        }),
      ).rejects.toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
      const opened = (await auditRows(ctx, 'disclosure_copy.file_opened')).filter((r) => r.subjectId === copyId);
      expect(opened.map((r) => (r.details as { purpose: string }).purpose)).toContain('Requester download');
      // Staff listening before approval give a reason; the chair may (a possible approver).
      await readAll(await service.listen(chair, copyId, status.files[0]!.fileId, 'Checking before I approve it'));
      expect((await auditRows(ctx, 'disclosure_copy.file_opened')).at(-1)!.details).toMatchObject({
        purpose: 'Staff check: Checking before I approve it',
      });
      await expect(service.listen(chair, copyId, status.files[0]!.fileId, '  ')).rejects.toBeInstanceOf(
        InvalidDetailsError,
      );
    });

    it('is idempotent: running the job again, or after a crash, changes nothing', async () => {
      const files = await ctx.services.database.db
        .select()
        .from(disclosureCopyFiles)
        .where(eq(disclosureCopyFiles.copyId, copyId));
      expect(await service.run(copyId)).toBe('ready');
      expect(
        await ctx.services.database.db.select().from(disclosureCopyFiles).where(eq(disclosureCopyFiles.copyId, copyId)),
      ).toEqual(files);
      // A crash after both files were stored but before the copy was marked ready: the re-run keeps them.
      const blobs = async () => (await readdir(path.join(ctx.dataDir, 'blobs'), { recursive: true })).length;
      const stored = await blobs();
      await ctx.services.database.db
        .update(disclosureCopies)
        .set({ state: 'running', percent: 99 })
        .where(eq(disclosureCopies.id, copyId));
      expect(await service.run(copyId)).toBe('ready');
      expect(
        await ctx.services.database.db.select().from(disclosureCopyFiles).where(eq(disclosureCopyFiles.copyId, copyId)),
      ).toEqual(files);
      expect(await blobs()).toBe(stored);
      expect(await service.progress(support, copyId)).toEqual({ requestId, state: 'ready', percent: 100, error: null });
      // The log is evidence: the database refuses to change or delete it.
      await expect(
        ctx.services.database.db
          .update(disclosureCopyFiles)
          .set({ sha256: 'f'.repeat(64) })
          .where(eq(disclosureCopyFiles.copyId, copyId)),
      ).rejects.toThrow();
      await expect(
        ctx.services.database.db.delete(disclosureCopyFiles).where(eq(disclosureCopyFiles.copyId, copyId)),
      ).rejects.toThrow();
    });
  });

  it('records progress in the table as it goes, up to 100', async () => {
    const seen: number[] = [];
    const uow = ctx.services.uow;
    const run = uow.run.bind(uow);
    const spy = vi.spyOn(uow, 'run').mockImplementation((fn) =>
      run((repos) =>
        fn({
          ...repos,
          disclosureCopies: {
            ...repos.disclosureCopies,
            async setPercent(id, percent, at) {
              await repos.disclosureCopies.setPercent(id, percent, at);
              seen.push((await repos.disclosureCopies.find(id))!.percent);
            },
          },
        }),
      ),
    );
    try {
      const { copyId } = await service.start(support, {
        requestId,
        conferenceId: g.conferenceId,
        recordingIds: [tone],
        withheld: [range(tone, 1_000, 2_000)],
      });
      expect(seen.length).toBeGreaterThan(10);
      expect(seen[0]).toBeGreaterThan(0);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
      expect(seen.at(-1)!).toBeLessThan(100);
      expect(await service.progress(support, copyId)).toEqual({ requestId, state: 'ready', percent: 100, error: null });
    } finally {
      spy.mockRestore();
    }
  });

  it('fails the copy of a tampered original with a clear message, raising the fixity alert, keeping nothing', async () => {
    const tampered = await upload(g.conferenceId, fx.file('tone20.wav'));
    const [row] = await ctx.services.database.db.select().from(recordings).where(eq(recordings.id, tampered));
    const blobPath = path.join(ctx.dataDir, 'blobs', row!.originalBlobKey!.slice(0, 2), row!.originalBlobKey!);
    const stored = await readFile(blobPath);
    stored[Math.floor(stored.length / 2)]! ^= 0x01;
    await writeFile(blobPath, stored);
    const fatal = vi.spyOn(ctx.services.logger, 'fatal');
    try {
      const { copyId } = await service.start(support, {
        requestId,
        conferenceId: g.conferenceId,
        recordingIds: [tampered],
        withheld: [],
      });
      const status = await service.status(support, copyId);
      expect(status.state).toBe('failed');
      expect(status.error).toMatch(
        /^Recording 1 failed its integrity check when it was read to make the copy \(the stored original does not decrypt: .+\), so no copy was made\. The failure has been reported\.$/,
      );
      expect(status.files).toEqual([]);
      expect(
        fatal.mock.calls.some(
          ([obj]) =>
            (obj as { alert?: string; recordingId?: string }).alert === 'recording-fixity' &&
            (obj as { recordingId?: string }).recordingId === tampered,
        ),
      ).toBe(true);
      const events = await ctx.services.database.db
        .select()
        .from(fixityEvents)
        .where(eq(fixityEvents.recordingId, tampered));
      expect(events.map((e) => [e.trigger, e.result])).toContainEqual(['export', 'mismatch']);
      expect(await service.copyReady(copyId, requestId)).toBe(false);
      expect((await auditRows(ctx, 'disclosure_copy.failed')).map((r) => r.subjectId)).toContain(copyId);
      // No plaintext left behind in the scratch folder.
      expect(
        (await readdir(path.join(ctx.dataDir, 'staging', 'scratch'))).filter((f) => f.startsWith('copy-')),
      ).toEqual([]);
      // And a new copy is refused until the failure has been dealt with.
      await expect(
        service.start(support, { requestId, conferenceId: g.conferenceId, recordingIds: [tampered], withheld: [] }),
      ).rejects.toMatchObject({
        problems: [
          {
            field: 'recordingIds[0]',
            message:
              'Recording 1 failed its last integrity check, so no copy can be made of it until that has been dealt with',
          },
        ],
      });
    } finally {
      fatal.mockRestore();
    }
  });

  it('refuses what it cannot copy, naming the field, and records nothing', async () => {
    const count = async () => (await ctx.services.database.db.select().from(disclosureCopies)).length;
    const before = await count();
    const other = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held', familyName: 'Other' });
    const elsewhere = await upload(other.conferenceId, fx.file('tone20.wav'));
    const unconfirmed = await upload(g.conferenceId, fx.file('tone20.wav'), false);
    const cases: Array<[string, Parameters<DisclosureCopyService['start']>[1], string, RegExp]> = [
      [
        'no recording',
        { requestId, conferenceId: g.conferenceId, recordingIds: [], withheld: [] },
        'recordingIds',
        /Select the recording/,
      ],
      [
        'a recording of another conference',
        { requestId, conferenceId: g.conferenceId, recordingIds: [elsewhere], withheld: [] },
        'recordingIds[0]',
        /not a recording of this conference/,
      ],
      [
        'a range after the end',
        { requestId, conferenceId: g.conferenceId, recordingIds: [tone], withheld: [range(tone, 25_000, 26_000)] },
        'withheld[0].startMs',
        /starts after the end of recording 1/,
      ],
      [
        'a range ending before it starts',
        { requestId, conferenceId: g.conferenceId, recordingIds: [tone], withheld: [range(tone, 5_000, 4_000)] },
        'withheld[0].endMs',
        /must end after it starts/,
      ],
      [
        'a range of a recording not copied',
        { requestId, conferenceId: g.conferenceId, recordingIds: [tone], withheld: [range(speech, 1_000, 2_000)] },
        'withheld[0].recordingId',
        /not in a recording being copied/,
      ],
      [
        'a range nobody approved',
        {
          requestId,
          conferenceId: g.conferenceId,
          recordingIds: [tone],
          withheld: [{ ...range(tone, 1_000, 2_000), approvedBy: ' ' }],
        },
        'withheld[0].approvedBy',
        /Say who approved/,
      ],
      [
        'no explanatory statement (R-2)',
        { requestId, conferenceId: g.conferenceId, recordingIds: [unconfirmed], withheld: [] },
        `statements.${unconfirmed}`,
        /Confirm the explanatory statement of recording 1/,
      ],
    ];
    for (const [label, input, field, message] of cases) {
      const err = (await service.start(support, input).catch((e: unknown) => e)) as InvalidDetailsError;
      expect(err, label).toBeInstanceOf(InvalidDetailsError);
      expect(err.problems.find((p) => p.field === field)?.message, label).toMatch(message);
    }
    // A request of another conference is not found; a finished request takes no new copy.
    await expect(
      service.start(support, {
        requestId: await requestFor(other.conferenceId),
        conferenceId: g.conferenceId,
        recordingIds: [tone],
        withheld: [],
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const sent = await requestFor(g.conferenceId);
    await ctx.services.database.db.update(copyRequests).set({ state: 'sent' }).where(eq(copyRequests.id, sent));
    await expect(
      service.start(support, { requestId: sent, conferenceId: g.conferenceId, recordingIds: [tone], withheld: [] }),
    ).rejects.toMatchObject({ code: 'REQUEST_FINISHED' });
    // A statement given for the copy is used when none was confirmed.
    const { copyId } = await service.start(support, {
      requestId,
      conferenceId: g.conferenceId,
      recordingIds: [unconfirmed],
      withheld: [],
      statements: { [unconfirmed]: 'Recorded in Room 4 on 2 March 2026.' },
    });
    expect((await service.status(support, copyId)).files[0]!.statementText).toBe('Recorded in Room 4 on 2 March 2026.');
    expect(await count()).toBe(before + 1);
  });

  it('denies anyone who cannot see every child in the conference, and audits the denial', async () => {
    const { copyId } = await service.start(support, {
      requestId,
      conferenceId: g.conferenceId,
      recordingIds: [speech],
      withheld: [],
    });
    // A social worker not allocated to these children.
    await expect(service.status(otherSw, copyId)).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(service.progress(otherSw, copyId)).rejects.toBeInstanceOf(AccessDeniedError);
    const file = (await service.status(support, copyId)).files[0]!;
    await expect(service.listen(otherSw, copyId, file.fileId, 'curious')).rejects.toBeInstanceOf(AccessDeniedError);
    // The allocated social worker sees the copy but does not prepare copies (business support does).
    expect((await service.status(sw, copyId)).state).toBe('ready');
    await expect(
      service.start(sw, { requestId, conferenceId: g.conferenceId, recordingIds: [speech], withheld: [] }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    // Business support who may not see one of the children (a restricted record they are not named on).
    await ctx.services.database.db
      .update(children)
      .set({ restricted: true })
      .where(inArray(children.id, [g.children.ben]));
    try {
      await expect(
        service.start(support, { requestId, conferenceId: g.conferenceId, recordingIds: [speech], withheld: [] }),
      ).rejects.toBeInstanceOf(AccessDeniedError);
      await expect(service.status(support, copyId)).rejects.toBeInstanceOf(AccessDeniedError);
    } finally {
      await ctx.services.database.db
        .update(children)
        .set({ restricted: false })
        .where(inArray(children.id, [g.children.ben]));
    }
    const denied = (await auditRows(ctx)).filter(
      (r) => r.outcome === 'denied' && r.action.startsWith('disclosure_copy.'),
    );
    expect(denied.map((r) => r.action)).toEqual(
      expect.arrayContaining(['disclosure_copy.viewed', 'disclosure_copy.started']),
    );
  });
});

describe.each(testDatabases())('the disclosure copy job on pg-boss (%s)', (kind) => {
  let ctx: TestContext;
  afterAll(async () => {
    await ctx?.dispose();
  });

  it('start returns at once with the copy queued; the worker makes it', async () => {
    ctx = await createTestServices(kind, {}, { copy: 'queue' });
    await ctx.services.queue.start(
      [],
      ctx.services.workers.filter((w) => w.name === DISCLOSURE_COPY_JOB),
    );
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    const r = await ctx.services.recordings.createUpload(support, as(support), g.conferenceId, {
      kind: 'meeting',
      source: 'dictaphone',
    });
    const upload = path.join(ctx.dataDir, 'upload.wav');
    await copyFile(fx.file('tone20.wav'), upload);
    await ctx.services.recordings.completeUpload(support, as(support), r.id, upload);
    const requestId = await verifiedCopyRequest(ctx, g.conferenceId);
    const { copyId } = await ctx.services.disclosureCopies.start(support, {
      requestId,
      conferenceId: g.conferenceId,
      recordingIds: [r.id],
      withheld: [
        {
          recordingId: r.id,
          startMs: 2_000,
          endMs: 3_000,
          reason: 'third-party',
          explanation: 'A neighbour’s health.',
          approvedBy: 'Cal Chair',
        },
      ],
      statements: { [r.id]: 'Recorded in Room 4.' },
    });
    expect(ctx.queuedCopies).toEqual([]);
    expect(['queued', 'running']).toContain((await ctx.services.disclosureCopies.progress(support, copyId)).state);
    await expect
      .poll(async () => (await ctx.services.disclosureCopies.progress(support, copyId)).state, {
        timeout: 60_000,
        interval: 200,
      })
      .toBe('ready');
    const status = await ctx.services.disclosureCopies.status(support, copyId);
    expect(status.percent).toBe(100);
    expect(status.files[0]!.withheld[0]).toMatchObject({
      reasonLabel: 'Information about another person who has not agreed to share it',
    });
    const jobs = await ctx.services.database.execute(
      `select state, retry_count from pgboss.job where name = $1 and data->>'copyId' = $2`,
      [DISCLOSURE_COPY_JOB, copyId],
    );
    expect(jobs.rows).toEqual([{ state: 'completed', retry_count: 0 }]);
    expect((await stat(path.join(ctx.dataDir, 'staging', 'scratch'))).isDirectory()).toBe(true);
  });
});
