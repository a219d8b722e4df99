// Staging shared by every node is chosen with the blob store in S3, never without it, and never inside the blobs'
// own prefix (the blob sweep would see staged audio); the take-over timings are bounded.
import { describe, expect, it } from 'vitest';
import { parseNodesConfig } from './staging-config.ts';

describe('staging and ingest take-over settings', () => {
  it('shared staging with the blob store in S3, local otherwise, with the defaults', () => {
    expect(parseNodesConfig({ BLOB_STORE: 's3' }).config).toEqual({
      staging: { kind: 's3', prefix: 'staging/' },
      ingestHeartbeatSeconds: 30,
      ingestRetryDelaySeconds: 30,
      queueSuperviseSeconds: 60,
    });
    expect(parseNodesConfig({}).config?.staging).toEqual({ kind: 'local' });
    expect(parseNodesConfig({ BLOB_STORE: 's3', STAGING_STORE: 'local' }).config?.staging).toEqual({ kind: 'local' });
    expect(parseNodesConfig({ BLOB_STORE: 's3', STAGING_PREFIX: 'cpcr/staging' }).config?.staging).toEqual({
      kind: 's3',
      prefix: 'cpcr/staging/',
    });
  });

  it('names each bad setting', () => {
    expect(parseNodesConfig({ STAGING_STORE: 's3' }).problems).toEqual([
      'STAGING_STORE: is s3 but BLOB_STORE is not; staging uses the blob store’s bucket, so set BLOB_STORE=s3',
    ]);
    expect(parseNodesConfig({ BLOB_STORE: 's3', S3_PREFIX: 'cpcr', STAGING_PREFIX: 'cpcr/staging/' }).problems).toEqual(
      ['STAGING_PREFIX: must not overlap S3_PREFIX (cpcr/); use a sibling such as staging/'],
    );
    expect(parseNodesConfig({ STAGING_PREFIX: '../x' }).problems[0]).toMatch(/^STAGING_PREFIX: must be a key prefix/);
    expect(parseNodesConfig({ INGEST_HEARTBEAT_SECONDS: '5' }).problems).toEqual([
      'INGEST_HEARTBEAT_SECONDS: must be a whole number of seconds from 10 to 3600',
    ]);
    expect(parseNodesConfig({ QUEUE_SUPERVISE_SECONDS: '0' }).problems).toEqual([
      'QUEUE_SUPERVISE_SECONDS: must be a whole number of seconds from 1 to 3600',
    ]);
    expect(parseNodesConfig({ STAGING_STORE: 'nfs' }).problems).toEqual(['STAGING_STORE: must be local or s3']);
  });
});
