import type { BlobStore } from '../../app/blobs/blob-store.ts';
import type { BlobStoreConfig } from '../config.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import { S3BlobStore, type S3BlobStoreOptions, createS3Client } from './s3-blob-store.ts';

/** The blob store the configuration names: files under DATA_DIR/blobs, or an S3-compatible bucket. */
export function createBlobStore(config: BlobStoreConfig, log?: S3BlobStoreOptions['log']): BlobStore {
  if (config.kind === 'fs') return new FsBlobStore(config.root);
  return new S3BlobStore({
    client: createS3Client(config),
    bucket: config.bucket,
    prefix: config.prefix,
    ...(log ? { log } : {}),
  });
}
