/**
 * The staging the configuration asks for (STAGING_STORE): this node's disk, or the shared staging in the blob
 * store's bucket with tus uploads beside it, so every node can take the rest of an upload or ingest it. The AWS
 * SDK is loaded only for the shared staging.
 */
import path from 'node:path';
import type { RecordingStaging } from '../../app/recordings/ports.ts';
import type { BlobStoreConfig } from '../config.ts';
import type { StagingConfig } from './staging-config.ts';
import { FsRecordingStaging } from './staging.ts';
import type { TusBackend } from './upload-tus-stores.ts';

export interface CreatedStaging {
  staging: RecordingStaging & {
    prepare(): Promise<void>;
    removeLeftoverScratch(): Promise<number>;
    list(): Promise<string[]>;
  };
  /** tus uploads in the shared staging; absent when they wait on this node's disk. */
  sharedTus?: TusBackend;
}

export async function createStaging(opts: {
  dataDir: string;
  blobStore: BlobStoreConfig;
  staging: StagingConfig;
}): Promise<CreatedStaging> {
  const localRoot = path.join(opts.dataDir, 'staging');
  if (opts.staging.kind === 'local') return { staging: new FsRecordingStaging(localRoot) };
  if (opts.blobStore.kind !== 's3') throw new Error('Shared staging needs the blob store in S3 (BLOB_STORE=s3)');
  const [{ createS3Client, s3ClientSettings }, { S3RecordingStaging }, { s3TusBackend }] = await Promise.all([
    import('../blobs/s3-blob-store.ts'),
    import('./s3-staging.ts'),
    import('./upload-tus-s3.ts'),
  ]);
  const client = createS3Client(opts.blobStore);
  const staging = new S3RecordingStaging({
    client,
    bucket: opts.blobStore.bucket,
    prefix: opts.staging.prefix,
    localRoot,
  });
  return {
    staging,
    sharedTus: s3TusBackend({
      client,
      clientConfig: s3ClientSettings(opts.blobStore),
      bucket: opts.blobStore.bucket,
      prefix: staging.tusPrefix,
    }),
  };
}
