/**
 * Where recordings wait before ingest, and how quickly another node takes over a lost ingest (docs/multi-node.md):
 * - STAGING_STORE: `local` (DATA_DIR/staging on this node's disk) or `s3` (the blob store's bucket, under
 *   STAGING_PREFIX, which every node reaches). `s3` by default when BLOB_STORE=s3, and only allowed with it.
 * - STAGING_PREFIX: the staging objects' key prefix (default `staging/`), never the blobs' own (S3_PREFIX).
 * - INGEST_HEARTBEAT_SECONDS: a running ingest tells the queue it is alive this often (10 to 3600, default 30);
 *   one that stops doing so (its node died) is failed and retried on any node.
 * - INGEST_RETRY_DELAY_SECONDS: the wait before an ingest is tried again, doubling each time (1 to 3600, default 30).
 * - QUEUE_SUPERVISE_SECONDS: how often the queue looks for lost jobs and due schedules (1 to 3600, default 60).
 */
import { z } from 'zod';

export type StagingConfig = { kind: 'local' } | { kind: 's3'; prefix: string };

export interface NodesConfig {
  staging: StagingConfig;
  ingestHeartbeatSeconds: number;
  ingestRetryDelaySeconds: number;
  queueSuperviseSeconds: number;
}

const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);
const PREFIX = /^(?!\/)(?!.*\/\/)(?!(.*\/)?\.{1,2}(\/|$))[A-Za-z0-9!_.*'()/-]+$/;

const schema = z.object({
  BLOB_STORE: z.preprocess(unsetIfEmpty, z.string().optional()),
  S3_PREFIX: z.preprocess(unsetIfEmpty, z.string().optional()),
  STAGING_STORE: z.preprocess(unsetIfEmpty, z.enum(['local', 's3'], 'must be local or s3').optional()),
  STAGING_PREFIX: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .max(512)
      .regex(PREFIX, 'must be a key prefix such as staging/ (no leading slash, empty segments, "." or "..")')
      .default('staging/'),
  ),
  INGEST_HEARTBEAT_SECONDS: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number('must be a whole number of seconds from 10 to 3600')
      .int('must be a whole number of seconds from 10 to 3600')
      .min(10, 'must be a whole number of seconds from 10 to 3600')
      .max(3600, 'must be a whole number of seconds from 10 to 3600')
      .default(30),
  ),
  INGEST_RETRY_DELAY_SECONDS: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number('must be a whole number of seconds from 1 to 3600')
      .int('must be a whole number of seconds from 1 to 3600')
      .min(1, 'must be a whole number of seconds from 1 to 3600')
      .max(3600, 'must be a whole number of seconds from 1 to 3600')
      .default(30),
  ),
  QUEUE_SUPERVISE_SECONDS: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number('must be a whole number of seconds from 1 to 3600')
      .int('must be a whole number of seconds from 1 to 3600')
      .min(1, 'must be a whole number of seconds from 1 to 3600')
      .max(3600, 'must be a whole number of seconds from 1 to 3600')
      .default(60),
  ),
});

const withSlash = (p: string) => p.replace(/\/*$/, '/');

/** The settings, or every problem with them (each naming its variable). */
export function parseNodesConfig(
  env: Record<string, string | undefined>,
): { config: NodesConfig; problems: [] } | { config?: undefined; problems: string[] } {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    return { problems: parsed.error.issues.map((i) => `${String(i.path[0] ?? 'setting')}: ${i.message}`) };
  const e = parsed.data;
  const s3Blobs = e.BLOB_STORE === 's3';
  const kind = e.STAGING_STORE ?? (s3Blobs ? 's3' : 'local');
  const problems: string[] = [];
  if (kind === 's3' && !s3Blobs)
    problems.push(
      'STAGING_STORE: is s3 but BLOB_STORE is not; staging uses the blob store’s bucket, so set BLOB_STORE=s3',
    );
  const prefix = withSlash(e.STAGING_PREFIX);
  if (kind === 's3' && e.S3_PREFIX !== undefined) {
    const blobs = withSlash(e.S3_PREFIX);
    // The blob store's sweep lists its own prefix: staging inside it (or it inside staging) would mix the two.
    if (prefix.startsWith(blobs) || blobs.startsWith(prefix))
      problems.push(`STAGING_PREFIX: must not overlap S3_PREFIX (${blobs}); use a sibling such as staging/`);
  }
  if (problems.length) return { problems };
  return {
    config: {
      staging: kind === 's3' ? { kind, prefix } : { kind },
      ingestHeartbeatSeconds: e.INGEST_HEARTBEAT_SECONDS,
      ingestRetryDelaySeconds: e.INGEST_RETRY_DELAY_SECONDS,
      queueSuperviseSeconds: e.QUEUE_SUPERVISE_SECONDS,
    },
    problems: [],
  };
}
