// More than one node (docs/multi-node.md): two service processes on one PostgreSQL database and one S3 bucket,
// as a council runs them behind a load balancer. A session and its CSRF token from one node work on the other;
// scheduled jobs run once across both for one tick; an upload sent half to each completes; and the node ingesting
// it, killed part-way, is recovered by the other, the recording stored exactly once.
// PostgreSQL only: the embedded database (PGlite) is one process by construction.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBlobKey } from '../../src/app/blobs/blob-store.ts';
import { createS3Client } from '../../src/infra/blobs/s3-blob-store.ts';
import { type LocalS3, startLocalS3 } from '../../src/infra/blobs/testing/s3rver.ts';
import { recordingDerivatives, recordingPendingBlobs, recordings } from '../../src/infra/db/recordings-schema.ts';
import { auditEvents } from '../../src/infra/db/schema.ts';
import { type FixtureDir, fixtureDir, toneWav } from '../support/audio-fixtures.ts';
import { siblingGroupConference } from '../support/conferences.ts';
import { emailOf, staff } from '../support/people.ts';
import { enrolTestAuthenticator, nextSecondFactorCode } from '../support/second-factor.ts';
import { type TestContext, createTestServices } from '../support/services.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { Browser, type ServiceNode, startNode, waitFor } from './support.ts';

const onPostgres = Boolean(process.env['TEST_DATABASE_URL']);

const b64 = (s: string) => Buffer.from(s).toString('base64');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const title = onPostgres
  ? 'two service processes on one database and one bucket'
  : 'two service processes (skipped: set TEST_DATABASE_URL; two processes need PostgreSQL, PGlite is one process)';

describe.skipIf(!onPostgres)(title, () => {
  let s3: LocalS3;
  let fx: FixtureDir;
  let ctx: TestContext;
  let a: ServiceNode;
  let b: ServiceNode;
  let wav: Buffer;
  const nodes: ServiceNode[] = [];

  const sql = async <T>(text: string, values: unknown[] = []) =>
    (await ctx.services.database.execute(text, values)).rows as T[];

  beforeAll(async () => {
    s3 = await startLocalS3();
    fx = await fixtureDir('cpcr-nodes-');
    // Long enough (5 minutes at 8 kHz, 4.8 MB) that its ingest is still running when its node is killed; each half
    // shorter than an S3 part (5 MiB), so the first node's half waits as an incomplete part the second node takes up.
    wav = await readFile(await toneWav(fx.file('meeting.wav'), { seconds: 5 * 60, sampleRate: 8000 }));
    const s3Env = {
      BLOB_STORE: 's3',
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: s3.region,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_PREFIX: 'blobs/',
    };
    // The fixtures (people, a conference) are made in this process, on the same fresh database the nodes use.
    ctx = await createTestServices('postgres', s3Env, { ingest: 'manual' });
    ctx.clock.current = new Date();
    const conn = ctx.services.database.queueConnection;
    if (!('connectionString' in conn)) throw new Error('Expected PostgreSQL');
    const env = {
      ...s3Env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: conn.connectionString,
      SESSION_SECRET: 'x'.repeat(40),
      // Every node holds the same keys, as a council's nodes do (from its secret store).
      RECORDING_IDENTITY_FILE: ctx.config.recordingIdentityFile,
      AUDIT_SIGNING_KEY_FILE: ctx.config.auditSigningKeyFile,
      DELIVERY_CODE_KEY_FILE: ctx.config.deliveryCodeKeyFile,
      SECOND_FACTOR_KEY_FILE: ctx.config.secondFactorKeyFile,
      AUDIT_CHECKPOINT_MINUTES: '1',
      INGEST_HEARTBEAT_SECONDS: '10',
      INGEST_RETRY_DELAY_SECONDS: '1',
      QUEUE_SUPERVISE_SECONDS: '1',
    };
    a = await startNode('a', env);
    nodes.push(a);
    b = await startNode('b', env);
    nodes.push(b);
  });

  afterAll(async () => {
    for (const n of nodes) await n.stop('SIGKILL');
    await ctx?.dispose();
    await s3?.stop();
    await fx?.cleanup();
  });

  it('a session made on one node works on the other, and scheduled jobs run once across both', async () => {
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    await enrolTestAuthenticator(ctx, support.id);

    // Signed in on A: the password on A, the second factor on A.
    const browser = new Browser();
    await browser.page(`${a.base}/sign-in`);
    const password = await browser.post(`${a.base}/sign-in`, { email: emailOf(support), password: TEST_PASSWORD });
    expect(password.status).toBe(303);
    await browser.page(`${a.base}/sign-in/second-factor`);
    const factor = await browser.post(`${a.base}/sign-in/second-factor`, {
      code: await nextSecondFactorCode(ctx, support.id),
    });
    expect(factor.status).toBe(303);
    // The same cookie on B: the conference's recordings, as support sees them.
    const list = `/conferences/${g.conferenceId}/recordings`;
    const onB = await browser.page(`${b.base}${list}/upload`);
    expect(onB.status).toBe(200);
    // A CSRF token from a page A served, accepted by B; a made-up one refused.
    await browser.page(`${a.base}${list}/upload`);
    const tokenFromA = browser.csrf();
    expect((await browser.post(`${b.base}${list}/upload`, { kind: 'meeting', source: 'teams' }, 'forged')).status).toBe(
      403,
    );
    const described = await browser.post(
      `${b.base}${list}/upload`,
      { kind: 'meeting', source: 'teams', clientSha256: sha(wav) },
      tokenFromA,
    );
    expect(described.status).toBe(303);
    const rid = /^\/recordings\/([0-9a-f-]{36})\/upload$/.exec(String(described.headers.get('location')))?.[1];
    expect(rid).toBeDefined();
    state.browser = browser;
    state.rid = rid!;

    // Fixity runs hourly: for this test, every minute (the audit checkpoint already does, AUDIT_CHECKPOINT_MINUTES=1).
    await sql(`UPDATE pgboss.schedule SET cron = '* * * * *' WHERE name = 'recording-fixity'`);
    const perTick = async (name: string) =>
      sql<{ tick: number; n: number; done: number }>(
        `SELECT extract(epoch FROM date_trunc('minute', created_on))::int AS tick, count(*)::int AS n,
                count(*) FILTER (WHERE state = 'completed')::int AS done
           FROM pgboss.job WHERE name = $1 GROUP BY 1 ORDER BY 1`,
        [name],
      );
    // A tick both jobs ran in, to the end; then the next cron pass (on either node) has been and gone.
    const tick = await waitFor('a schedule tick with both jobs completed', async () => {
      const fixity = await perTick('recording-fixity');
      const checkpoint = await perTick('audit-checkpoint');
      const t = fixity.find((f) => f.done > 0 && checkpoint.some((c) => c.tick === f.tick && c.done > 0));
      return t?.tick;
    });
    await waitFor('the next cron pass', async () => {
      // Passes for later minutes only: no second job for this tick can come now.
      const [row] = await sql<{ at: number }>(`SELECT extract(epoch FROM cron_on)::int AS at FROM pgboss.version`);
      return row && row.at > tick + 60 ? true : undefined;
    });
    for (const name of ['recording-fixity', 'audit-checkpoint'])
      expect((await perTick(name)).find((t) => t.tick === tick)).toMatchObject({ n: 1, done: 1 });
  });

  it('an upload sent half to each node completes, and the node ingesting it, killed, is recovered by the other', async () => {
    const { browser, rid } = state;
    await browser.page(`${a.base}/recordings/${rid}/upload`);
    const headers = { 'tus-resumable': '1.0.0', 'x-csrf-token': browser.csrf() };
    const created = await browser.request(`${a.base}/uploads/recordings`, {
      method: 'POST',
      headers: {
        ...headers,
        'upload-length': String(wav.length),
        'upload-metadata': `recordingId ${b64(rid)},sha256 ${b64(sha(wav))}`,
      },
    });
    expect(created.status, a.output().slice(-3000)).toBe(201);
    const location = String(created.headers.get('location'));
    const half = Math.floor(wav.length / 2);
    const patch = (node: ServiceNode, offset: number, bytes: Buffer) =>
      browser.request(`${node.base}${location}`, {
        method: 'PATCH',
        headers: { ...headers, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        body: bytes,
      });
    const first = await patch(a, 0, wav.subarray(0, half));
    expect(first.status, a.output().slice(-3000)).toBe(204);
    expect(first.headers.get('upload-offset')).toBe(String(half));
    // B knows how much arrived at A, and takes the rest.
    const head = await browser.request(`${b.base}${location}`, { method: 'HEAD', headers });
    expect(head.headers.get('upload-offset')).toBe(String(half));
    const second = await patch(b, half, wav.subarray(half));
    expect(second.status, b.output().slice(-3000)).toBe(204);

    // Whichever node took the ingest holds its lock: that node is killed mid-way.
    const holder = await waitFor('a node holding the ingest lock', async () => {
      const rows = await sql<{ application_name: string }>(
        `SELECT application_name FROM pg_stat_activity WHERE application_name LIKE 'cpcr ingest lock pid %'`,
      );
      const pid = Number(rows[0]?.application_name.split(' ').pop());
      return nodes.find((n) => n.child.pid === pid);
    });
    const [before] = await ctx.services.database.db.select().from(recordings).where(eq(recordings.id, rid));
    expect(before?.status).toBe('processing');
    await holder.stop('SIGKILL');
    const survivor = holder === a ? b : a;

    const stored = await waitFor(
      'the recording stored and made playable by the surviving node',
      async () => {
        const [row] = await ctx.services.database.db.select().from(recordings).where(eq(recordings.id, rid));
        if (row?.status === 'rejected') throw new Error(`rejected: ${row.rejectionReason}`);
        if (row?.playable === 'undecodable') throw new Error(`undecodable: ${row.playableProblem}`);
        // Stored, then made playable by the next job: only then is its staged audio let go.
        return row?.status === 'stored' && row.playable === 'ready' ? row : undefined;
      },
      110_000,
    );
    expect(stored.originalSha256).toBe(sha(wav));
    // Stored by the node still running: the other was killed before it could finish.
    expect(survivor.child.exitCode).toBeNull();
    expect(holder.child.signalCode).toBe('SIGKILL');
    // Stored exactly once: one audit of it, and the bucket holds only the files the recording refers to (none left
    // by the killed run), nothing pending, and nothing of it left in staging.
    const storedAudits = await ctx.services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'recording.stored'), eq(auditEvents.subjectId, rid)));
    expect(storedAudits).toHaveLength(1);
    const derivatives = await ctx.services.database.db
      .select()
      .from(recordingDerivatives)
      .where(eq(recordingDerivatives.originalRecordingId, rid));
    const referenced = [stored.originalBlobKey, ...derivatives.map((d) => d.blobKey)].sort();
    const client = createS3Client({
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    const keys =
      (await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }))).Contents?.map((o) => o.Key!) ?? [];
    expect(
      keys
        .filter((k) => k.startsWith('blobs/') && isBlobKey(k.slice(6)))
        .map((k) => k.slice(6))
        .sort(),
    ).toEqual(referenced);
    expect(keys.filter((k) => k.startsWith('staging/') && k.includes(rid))).toEqual([]);
    expect(
      await ctx.services.database.db
        .select()
        .from(recordingPendingBlobs)
        .where(eq(recordingPendingBlobs.recordingId, rid)),
    ).toEqual([]);
  });
});

const state: { browser: Browser; rid: string } = { browser: new Browser(), rid: '' };
