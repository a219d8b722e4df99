import type { BlobStore } from '../../app/blobs/blob-store.ts';
import type { BlobStoreConfig } from '../config.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import type { S3BlobStoreOptions } from './s3-blob-store.ts';

/**
 * The blob store the configuration names: files under DATA_DIR/blobs, or an S3-compatible bucket. The AWS SDK
 * (some 70 MB of memory and a few hundred milliseconds to load) is imported only for BLOB_STORE=s3.
 */
export async function createBlobStore(config: BlobStoreConfig, log?: S3BlobStoreOptions['log']): Promise<BlobStore> {
  if (config.kind === 'fs') return new FsBlobStore(config.root);
  const { S3BlobStore, createS3Client } = await import('./s3-blob-store.ts');
  return new S3BlobStore({
    client: createS3Client(config),
    bucket: config.bucket,
    prefix: config.prefix,
    ...(log ? { log } : {}),
  });
}
