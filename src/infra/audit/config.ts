import path from 'node:path';
import { z } from 'zod';

/**
 * Where the audit trail's checkpoints are verified from and sent to. The trail must be checkable without
 * trusting this machine: checkpoints are verified with public keys only (AUDIT_VERIFY_KEY_FILE), and each
 * is sent to a witness away from it (an S3 bucket with Object Lock and/or an HTTPS endpoint).
 */
export interface AuditConfig {
  /** The keyring of Ed25519 public keys (PEM) checkpoints are verified with. */
  verifyKeyFile: string;
  /** A checkpoint is written whenever the trail reaches a multiple of this many entries. */
  checkpointEvery: number;
  witnessS3:
    | {
        bucket: string;
        region: string;
        endpoint?: string;
        forcePathStyle: boolean;
        accessKeyId?: string;
        secretAccessKey?: string;
        prefix?: string;
        retainDays: number;
      }
    | undefined;
  witnessUrl: { url: string; token?: string } | undefined;
}

const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const whole = (min: number, max: number, what: string) =>
  z.coerce
    .number(`must be a whole number of ${what} from ${min} to ${max}`)
    .int(`must be a whole number of ${what} from ${min} to ${max}`)
    .min(min, `must be a whole number of ${what} from ${min} to ${max}`)
    .max(max, `must be a whole number of ${what} from ${min} to ${max}`);

const auditEnv = z.object({
  AUDIT_VERIFY_KEY_FILE: optional(z.string().min(1)),
  AUDIT_CHECKPOINT_ENTRIES: z.preprocess(unsetIfEmpty, whole(1, 100_000, 'entries').default(100)),
  AUDIT_WITNESS_S3_BUCKET: optional(
    z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/, 'must be a bucket name (letters, digits, dots, hyphens)'),
  ),
  AUDIT_WITNESS_S3_REGION: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be a region name such as eu-west-2')
      .default('eu-west-2'),
  ),
  AUDIT_WITNESS_S3_ENDPOINT: optional(z.url({ protocol: /^https?$/, error: 'must be a full http:// or https:// URL' })),
  AUDIT_WITNESS_S3_FORCE_PATH_STYLE: z.preprocess(unsetIfEmpty, booleanFromEnv.default(false)),
  AUDIT_WITNESS_S3_ACCESS_KEY_ID: optional(z.string()),
  AUDIT_WITNESS_S3_SECRET_ACCESS_KEY: optional(z.string()),
  AUDIT_WITNESS_S3_PREFIX: optional(
    z
      .string()
      .max(512)
      .regex(/^(?!\/)(?!.*\/\/)[A-Za-z0-9!_.*'()/-]+$/, 'must be a key prefix such as cpcr/audit/ (no leading slash)'),
  ),
  AUDIT_WITNESS_RETAIN_DAYS: z.preprocess(unsetIfEmpty, whole(1, 36_500, 'days').default(2557)),
  AUDIT_WITNESS_URL: optional(z.url({ protocol: /^https?$/, error: 'must be a full https:// URL' })),
  AUDIT_WITNESS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
});

/** Whether `file` is `dir` or anything under it. */
function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || !(rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel));
}

export function parseAuditConfig(
  env: Record<string, string | undefined>,
  opts: { production: boolean; dataDir: string; checkpointDir: string; signingKeyFile: string },
): { config: AuditConfig | undefined; problems: string[] } {
  const parsed = auditEnv.safeParse(env);
  if (!parsed.success)
    return { config: undefined, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const e = parsed.data;
  const problems: string[] = [];
  const verifyKeyFile = path.resolve(e.AUDIT_VERIFY_KEY_FILE ?? path.join(opts.dataDir, 'keys', 'audit-verify.pem'));
  if (e.AUDIT_WITNESS_S3_ACCESS_KEY_ID && !e.AUDIT_WITNESS_S3_SECRET_ACCESS_KEY)
    problems.push('AUDIT_WITNESS_S3_SECRET_ACCESS_KEY: required when AUDIT_WITNESS_S3_ACCESS_KEY_ID is set');
  if (e.AUDIT_WITNESS_S3_SECRET_ACCESS_KEY && !e.AUDIT_WITNESS_S3_ACCESS_KEY_ID)
    problems.push('AUDIT_WITNESS_S3_ACCESS_KEY_ID: required when AUDIT_WITNESS_S3_SECRET_ACCESS_KEY is set');
  const s3Only = (
    ['AUDIT_WITNESS_S3_ENDPOINT', 'AUDIT_WITNESS_S3_PREFIX', 'AUDIT_WITNESS_S3_ACCESS_KEY_ID'] as const
  ).filter((n) => e[n] !== undefined);
  if (!e.AUDIT_WITNESS_S3_BUCKET && s3Only.length)
    problems.push(
      `AUDIT_WITNESS_S3_BUCKET: required when ${s3Only.join(', ')} ${s3Only.length === 1 ? 'is' : 'are'} set`,
    );
  if (e.AUDIT_WITNESS_TOKEN && !e.AUDIT_WITNESS_URL)
    problems.push('AUDIT_WITNESS_URL: required when AUDIT_WITNESS_TOKEN is set');

  if (opts.production) {
    // A copy or an intruder in DATA_DIR must not also hold what vouches for the trail.
    const keep =
      'outside DATA_DIR in production, so whoever can change the database cannot also re-sign its checkpoints';
    if (!env['AUDIT_SIGNING_KEY_FILE']) problems.push(`AUDIT_SIGNING_KEY_FILE: required, ${keep}`);
    else if (inside(opts.dataDir, opts.signingKeyFile)) problems.push(`AUDIT_SIGNING_KEY_FILE: must be ${keep}`);
    if (!env['AUDIT_CHECKPOINT_DIR']) problems.push(`AUDIT_CHECKPOINT_DIR: required, ${keep}`);
    else if (inside(opts.dataDir, opts.checkpointDir)) problems.push(`AUDIT_CHECKPOINT_DIR: must be ${keep}`);
    if (!e.AUDIT_VERIFY_KEY_FILE) problems.push(`AUDIT_VERIFY_KEY_FILE: required, ${keep}`);
    else if (inside(opts.dataDir, verifyKeyFile)) problems.push(`AUDIT_VERIFY_KEY_FILE: must be ${keep}`);
    if (!e.AUDIT_WITNESS_S3_BUCKET && !e.AUDIT_WITNESS_URL)
      problems.push(
        'AUDIT_WITNESS_S3_BUCKET or AUDIT_WITNESS_URL: required in production (a witness away from this machine keeps a copy of every audit checkpoint)',
      );
    if (e.AUDIT_WITNESS_URL?.startsWith('http://')) problems.push('AUDIT_WITNESS_URL: must use https:// in production');
    if (e.AUDIT_WITNESS_S3_ENDPOINT?.startsWith('http://'))
      problems.push('AUDIT_WITNESS_S3_ENDPOINT: must use https:// in production');
  }
  if (problems.length) return { config: undefined, problems };
  return {
    problems,
    config: {
      verifyKeyFile,
      checkpointEvery: e.AUDIT_CHECKPOINT_ENTRIES,
      witnessS3: e.AUDIT_WITNESS_S3_BUCKET
        ? {
            bucket: e.AUDIT_WITNESS_S3_BUCKET,
            region: e.AUDIT_WITNESS_S3_REGION,
            ...(e.AUDIT_WITNESS_S3_ENDPOINT ? { endpoint: e.AUDIT_WITNESS_S3_ENDPOINT } : {}),
            forcePathStyle: e.AUDIT_WITNESS_S3_FORCE_PATH_STYLE,
            ...(e.AUDIT_WITNESS_S3_ACCESS_KEY_ID
              ? {
                  accessKeyId: e.AUDIT_WITNESS_S3_ACCESS_KEY_ID,
                  secretAccessKey: e.AUDIT_WITNESS_S3_SECRET_ACCESS_KEY!,
                }
              : {}),
            ...(e.AUDIT_WITNESS_S3_PREFIX ? { prefix: e.AUDIT_WITNESS_S3_PREFIX.replace(/\/*$/, '/') } : {}),
            retainDays: e.AUDIT_WITNESS_RETAIN_DAYS,
          }
        : undefined,
      witnessUrl: e.AUDIT_WITNESS_URL
        ? { url: e.AUDIT_WITNESS_URL, ...(e.AUDIT_WITNESS_TOKEN ? { token: e.AUDIT_WITNESS_TOKEN } : {}) }
        : undefined,
    },
  };
}
