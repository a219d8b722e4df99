import type { Db } from '../db/client.ts';
import type { Config } from '../config.ts';
import { AuditTrail, type TrailLog } from './audit-trail.ts';
import { loadOrCreateSigningKey, replaceSigningKey } from './checkpoints.ts';
import { HttpWitness, S3Witness, type Witness } from './witnesses.ts';

/**
 * The audit trail as configured: its checkpoint directory, signing key, public keyring and witnesses. The AWS
 * SDK is loaded only when an S3 witness is configured.
 */
export async function createAuditTrail(
  config: Pick<Config, 'auditCheckpointDir' | 'auditSigningKeyFile' | 'audit'>,
  db: Db,
  clock: () => Date,
  log?: TrailLog,
): Promise<{ trail: AuditTrail; close(): Promise<void> }> {
  const witnesses: Witness[] = [];
  const closers: (() => void)[] = [];
  const s3 = config.audit.witnessS3;
  if (s3) {
    const { createS3Client } = await import('../blobs/s3-blob-store.ts');
    const client = createS3Client(s3);
    closers.push(() => client.destroy());
    witnesses.push(new S3Witness({ client, bucket: s3.bucket, prefix: s3.prefix, retainDays: s3.retainDays, clock }));
  }
  if (config.audit.witnessUrl) witnesses.push(new HttpWitness(config.audit.witnessUrl));
  const trail = new AuditTrail({
    db,
    checkpointDir: config.auditCheckpointDir,
    signingKey: () => loadOrCreateSigningKey(config.auditSigningKeyFile),
    replaceSigningKey: () => replaceSigningKey(config.auditSigningKeyFile),
    keyringFile: config.audit.verifyKeyFile,
    witnesses,
    checkpointEvery: config.audit.checkpointEvery,
    clock,
    ...(log ? { log } : {}),
  });
  return {
    trail,
    async close() {
      await trail.close();
      for (const c of closers) c();
    },
  };
}
