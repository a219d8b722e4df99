import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type AuditConfig, parseAuditConfig } from './audit/config.ts';
import { type MailConfig, parseMailConfig } from './mail/config.ts';
import { type OidcConfig, parseOidcConfig } from './oidc/config.ts';
import { type NodesConfig, parseNodesConfig } from './recordings/staging-config.ts';

/** The bank holiday file shipped with the service, wherever the process is started from. */
export const SHIPPED_BANK_HOLIDAYS_FILE = fileURLToPath(new URL('../../resources/bank-holidays.json', import.meta.url));

/** Every setting is an environment variable, validated once at start-up (fail fast, name each bad value). */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** An optional variable set to the empty string (as compose files and unit files often do) counts as unset. */
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);

const GiB = 1024 ** 3;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  COOKIE_SECURE: booleanFromEnv.optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24).default(10),
  PUBLIC_BASE_URL: z.url('must be a full URL such as https://cpcr.example.gov.uk').optional(),
  BANK_HOLIDAYS_FILE: z.string().min(1).optional(),
  TIMESCALES_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_DIR: z.string().min(1).optional(),
  AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(1),
  SIGN_IN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  TRUST_PROXY: z.preprocess(unsetIfEmpty, z.string().optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COUNCIL_NAME: z.string().min(1).default('Children’s Services'),
  /** How requesters reach conference business support about a request for a copy (an email address or phone number), for ((reply_to)) in emails. */
  REQUESTS_REPLY_TO: z.string().trim().min(1).max(200).default('conference business support at the council'),
  /** How a family member or agency contacts the council about a conference, for ((council_contact)) in letters (W-1, W-7). */
  COUNCIL_CONTACT: z.string().trim().min(1).max(200).default('the child protection conference team at the council'),
  /**
   * T-6, T-7: the first conference date whose written record is kept in the service. Conferences held before it
   * had their letters and records sent another way, so they leave the dashboard once their dates pass, as before.
   */
  WRITTEN_RECORD_FROM: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
      .refine(
        (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
        'must be a real date',
      )
      .optional(),
  ),
  /** A-6: how many days the requester's download link works, and how many times each file may be downloaded through it. */
  DELIVERY_LINK_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  DELIVERY_DOWNLOADS_PER_FILE: z.coerce.number().int().min(1).max(20).default(3),
  /** A-6: the server's secret for one-time codes' keyed hashes, kept outside the database (and, in production, outside DATA_DIR). */
  DELIVERY_CODE_KEY_FILE: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  SECOND_FACTOR_KEY_FILE: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  /** P-9: an open covert recording incident reminds its chair every this many working days until it is closed. */
  COVERT_REMINDER_WORKING_DAYS: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number('must be a whole number of working days from 1 to 60')
      .int('must be a whole number of working days from 1 to 60')
      .min(1, 'must be a whole number of working days from 1 to 60')
      .max(60, 'must be a whole number of working days from 1 to 60')
      .default(5),
  ),
  BLOB_STORE: z.preprocess(unsetIfEmpty, z.enum(['fs', 's3'], 'must be fs or s3').default('fs')),
  S3_BUCKET: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/,
        'must be a bucket name (letters, digits, dots, hyphens, underscores)',
      )
      .optional(),
  ),
  S3_REGION: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be a region name such as eu-west-2')
      .default('eu-west-2'),
  ),
  S3_ENDPOINT: z.preprocess(
    unsetIfEmpty,
    z
      .url({
        protocol: /^https?$/,
        error: 'must be a full http:// or https:// URL such as https://minio.example.internal:9000',
      })
      .optional(),
  ),
  S3_FORCE_PATH_STYLE: z.preprocess(unsetIfEmpty, booleanFromEnv.default(false)),
  S3_ACCESS_KEY_ID: z.preprocess(unsetIfEmpty, z.string().optional()),
  S3_SECRET_ACCESS_KEY: z.preprocess(unsetIfEmpty, z.string().optional()),
  S3_PREFIX: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .max(512)
      .regex(
        /^(?!\/)(?!.*\/\/)(?!(.*\/)?\.{1,2}(\/|$))[A-Za-z0-9!_.*'()/-]+$/,
        'must be a key prefix such as cpcr/blobs/ (no leading slash, empty segments, "." or "..")',
      )
      .optional(),
  ),
  RECORDING_IDENTITY_FILE: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  RECORDING_RECOVERY_RECIPIENT: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^age1[0-9a-z]{58}$/, 'must be an age public key (age1 followed by 58 lower-case letters and digits)')
      .optional(),
  ),
  RECORDING_MAX_BYTES: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number('must be a whole number of bytes')
      .int('must be a whole number of bytes')
      .min(1, 'must be at least 1 byte')
      .max(Number.MAX_SAFE_INTEGER)
      .default(4 * GiB),
  ),
  FIXITY_CYCLE_DAYS: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number('must be a whole number of days from 1 to 3650')
      .int('must be a whole number of days from 1 to 3650')
      .min(1, 'must be a whole number of days from 1 to 3650')
      .max(3650, 'must be a whole number of days from 1 to 3650')
      .default(90),
  ),
  /** Disk space kept free under DATA_DIR: uploads and live recordings that would eat into it are refused (507). */
  DISK_RESERVE_MB: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number('must be a whole number of megabytes from 0 to 1048576')
      .int('must be a whole number of megabytes from 0 to 1048576')
      .min(0, 'must be a whole number of megabytes from 0 to 1048576')
      .max(1048576, 'must be a whole number of megabytes from 0 to 1048576')
      .default(1024),
  ),
});

/** Where blobs (reports, recordings) are kept. */
export type BlobStoreConfig =
  | { kind: 'fs'; root: string }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      endpoint?: string;
      forcePathStyle: boolean;
      accessKeyId?: string;
      secretAccessKey?: string;
      prefix?: string;
    };

export type Config = {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  sessionSecret: string;
  sessionSecretGenerated: boolean;
  cookieSecure: boolean;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  publicBaseUrl: string;
  bankHolidaysFile: string;
  timescalesFile: string | undefined;
  auditCheckpointDir: string;
  auditSigningKeyFile: string;
  auditCheckpointMinutes: number;
  /** The audit trail's verification keyring, checkpoint every N entries, and witnesses (AUDIT_*; src/infra/audit/config.ts). */
  audit: AuditConfig;
  signInMaxAttempts: number;
  /**
   * TRUST_PROXY: which proxies' X-Forwarded-For is believed for the client address (rate limits, lock-outs):
   * none (the default), the addresses or CIDR ranges listed, or the given number of hops.
   */
  trustProxy: TrustProxy;
  logLevel: string;
  councilName: string;
  /** REQUESTS_REPLY_TO: how a requester reaches conference business support (emails about requests for copies). */
  requestsReplyTo: string;
  /** COUNCIL_CONTACT: how the reader of a letter contacts the council about a conference (letters' wording). */
  councilContact: string;
  /** WRITTEN_RECORD_FROM: conferences held before this date had their written record sent outside the service. */
  writtenRecordFrom: string | undefined;
  /** DELIVERY_LINK_DAYS, DELIVERY_DOWNLOADS_PER_FILE: the requester's download link (A-6). */
  delivery: { linkLifetimeDays: number; downloadsPerFile: number };
  /**
   * DELIVERY_CODE_KEY_FILE: the key one-time codes are hashed with (HMAC-SHA-256), never in the database. Made (0600) on
   * first start outside production; in production it must be set, exist, and lie outside DATA_DIR.
   */
  deliveryCodeKeyFile: string;
  /**
   * SECOND_FACTOR_KEY_FILE: the key authenticator apps' secrets are sealed with (AES-256-GCM) in the database. Made
   * (0600) on first start outside production; in production it must be set, exist, and lie outside DATA_DIR.
   */
  secondFactorKeyFile: string;
  /** COVERT_REMINDER_WORKING_DAYS: how often an open covert recording incident reminds its chair (P-9). */
  covertReminderWorkingDays: number;
  blobStore: BlobStoreConfig;
  /** Staging shared by every node or on this node's disk, and ingest take-over (STAGING_*, INGEST_HEARTBEAT_SECONDS). */
  nodes: NodesConfig;
  /** The file holding the age identity (private key) whose public key recordings are encrypted to. */
  recordingIdentityFile: string;
  /** An additional age recipient (public key) for recovery, when one is configured. */
  recordingRecoveryRecipient: string | undefined;
  recordingMaxBytes: number;
  fixityCycleDays: number;
  /** Bytes kept free under DATA_DIR (DISK_RESERVE_MB): below it uploads are refused and /health is degraded. */
  diskReserveBytes: number;
  /** How email leaves: kept in the outbox (the default), SMTP or GOV.UK Notify (MAIL_TRANSPORT and friends). */
  mail: MailConfig;
  /** Signing in with the council's identity provider (OIDC_*); undefined when off. */
  oidc: OidcConfig | undefined;
};

export type TrustProxy = false | number | string[];

const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: unset means trust no proxy, so a client cannot choose its own address by sending
 * X-Forwarded-For. A whole number is a hop count; otherwise a comma-separated list of IP addresses,
 * CIDR ranges (10.0.0.0/8, fd00::/8) or proxy-addr's names loopback, linklocal, uniquelocal.
 */
export function parseTrustProxy(raw: string | undefined): { value: TrustProxy } | { problem: string } {
  if (raw === undefined || raw.trim() === '') return { value: false };
  const text = raw.trim();
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 10)
      return { problem: 'TRUST_PROXY: a hop count must be from 1 to 10 (or list the proxies’ addresses)' };
    return { value: hops };
  }
  const entries = text.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !validProxyEntry(e));
  if (bad.length > 0) {
    return {
      problem: `TRUST_PROXY: ${bad.map((b) => `"${b}"`).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not an IP address, a CIDR range such as 10.0.0.0/8, or loopback, linklocal or uniquelocal`,
    };
  }
  return { value: entries };
}

/** TRUST_PROXY as Fastify's `trustProxy`: a hop count becomes proxy-addr's "trust the nearest n hops" function. */
export function trustProxyOption(t: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof t === 'number' ? (_address, hop) => hop < t : t;
}

function validProxyEntry(entry: string): boolean {
  if (PROXY_KEYWORDS.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Whether `file` is `dir` or anything under it. */
function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || !(rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel));
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parse the environment. `randomSecret` is injected so the fallback is explicit and testable. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  randomSecret: () => string = () => randomBytes(32).toString('base64url'),
): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const production = e.NODE_ENV === 'production';
  const cookieSecure = e.COOKIE_SECURE ?? production;
  if (production) {
    // Production refuses insecure defaults rather than silently using them.
    if (!e.SESSION_SECRET) problems.push('SESSION_SECRET: required in production (32+ random characters)');
    if (!cookieSecure) problems.push('COOKIE_SECURE: must not be false in production (cookies need HTTPS)');
    if (!e.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: required in production (the https:// address users reach)');
    else if (!e.PUBLIC_BASE_URL.startsWith('https://'))
      problems.push('PUBLIC_BASE_URL: must use https:// in production');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const deliveryCodeKeyFile = path.resolve(
    e.DELIVERY_CODE_KEY_FILE ?? path.join(dataDir, 'keys', 'delivery-codes.key'),
  );
  if (production) {
    // A copy of DATA_DIR (the embedded database, its backups) must not also hold what reverses the codes in it.
    if (!e.DELIVERY_CODE_KEY_FILE)
      problems.push('DELIVERY_CODE_KEY_FILE: required in production (a key file outside DATA_DIR, mode 0600)');
    else if (isInside(dataDir, deliveryCodeKeyFile))
      problems.push('DELIVERY_CODE_KEY_FILE: must be outside DATA_DIR in production');
  }
  const secondFactorKeyFile = path.resolve(e.SECOND_FACTOR_KEY_FILE ?? path.join(dataDir, 'keys', 'second-factor.key'));
  if (production) {
    // A copy of DATA_DIR must not also hold what unseals the authenticator apps' secrets kept in its database.
    if (!e.SECOND_FACTOR_KEY_FILE)
      problems.push('SECOND_FACTOR_KEY_FILE: required in production (a key file outside DATA_DIR, mode 0600)');
    else if (isInside(dataDir, secondFactorKeyFile))
      problems.push('SECOND_FACTOR_KEY_FILE: must be outside DATA_DIR in production');
  }
  const blobStore = blobStoreConfig(e, dataDir, production, problems);
  const auditCheckpointDir = path.resolve(e.AUDIT_CHECKPOINT_DIR ?? path.join(dataDir, 'audit-checkpoints'));
  const auditSigningKeyFile = path.resolve(e.AUDIT_SIGNING_KEY_FILE ?? path.join(dataDir, 'keys', 'audit-signing.pem'));
  const audit = parseAuditConfig(env, {
    production,
    dataDir,
    checkpointDir: auditCheckpointDir,
    signingKeyFile: auditSigningKeyFile,
  });
  problems.push(...audit.problems);
  const mail = parseMailConfig(env, { production });
  problems.push(...mail.problems);
  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  if ('problem' in trustProxy) problems.push(trustProxy.problem);
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const oidc = parseOidcConfig(env, { production, publicBaseUrl });
  problems.push(...oidc.problems);
  const nodes = parseNodesConfig(env);
  problems.push(...nodes.problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    sessionSecret: e.SESSION_SECRET ?? randomSecret(),
    sessionSecretGenerated: !e.SESSION_SECRET,
    cookieSecure,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    publicBaseUrl,
    bankHolidaysFile: e.BANK_HOLIDAYS_FILE ? path.resolve(e.BANK_HOLIDAYS_FILE) : SHIPPED_BANK_HOLIDAYS_FILE,
    timescalesFile: e.TIMESCALES_FILE ? path.resolve(e.TIMESCALES_FILE) : undefined,
    auditCheckpointDir,
    auditSigningKeyFile,
    auditCheckpointMinutes: e.AUDIT_CHECKPOINT_MINUTES,
    audit: audit.config!,
    signInMaxAttempts: e.SIGN_IN_MAX_ATTEMPTS,
    trustProxy: 'value' in trustProxy ? trustProxy.value : false,
    logLevel: e.LOG_LEVEL,
    councilName: e.COUNCIL_NAME,
    requestsReplyTo: e.REQUESTS_REPLY_TO,
    councilContact: e.COUNCIL_CONTACT,
    writtenRecordFrom: e.WRITTEN_RECORD_FROM,
    delivery: { linkLifetimeDays: e.DELIVERY_LINK_DAYS, downloadsPerFile: e.DELIVERY_DOWNLOADS_PER_FILE },
    deliveryCodeKeyFile,
    secondFactorKeyFile,
    covertReminderWorkingDays: e.COVERT_REMINDER_WORKING_DAYS,
    blobStore: blobStore!,
    nodes: nodes.config!,
    recordingIdentityFile: path.resolve(e.RECORDING_IDENTITY_FILE ?? path.join(dataDir, 'keys', 'recordings.agekey')),
    recordingRecoveryRecipient: e.RECORDING_RECOVERY_RECIPIENT,
    recordingMaxBytes: e.RECORDING_MAX_BYTES,
    fixityCycleDays: e.FIXITY_CYCLE_DAYS,
    diskReserveBytes: e.DISK_RESERVE_MB * 1024 * 1024,
    mail: mail.config!,
    oidc: oidc.config,
  };
}

function blobStoreConfig(
  e: z.infer<typeof envSchema>,
  dataDir: string,
  production: boolean,
  problems: string[],
): BlobStoreConfig | undefined {
  if (e.BLOB_STORE === 'fs') {
    // S3 settings without BLOB_STORE=s3 would keep recordings on local disk while the operator believes otherwise.
    const s3Only = (
      ['S3_BUCKET', 'S3_ENDPOINT', 'S3_PREFIX', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const
    ).filter((name) => e[name] !== undefined);
    if (s3Only.length > 0)
      problems.push(
        `BLOB_STORE: is fs (the default) but ${s3Only.join(', ')} ${s3Only.length === 1 ? 'is' : 'are'} set; set BLOB_STORE=s3, or unset ${s3Only.length === 1 ? 'it' : 'them'}`,
      );
    return { kind: 'fs', root: path.join(dataDir, 'blobs') };
  }
  const before = problems.length;
  if (!e.S3_BUCKET) problems.push('S3_BUCKET: required when BLOB_STORE=s3');
  if (e.S3_ACCESS_KEY_ID && !e.S3_SECRET_ACCESS_KEY)
    problems.push('S3_SECRET_ACCESS_KEY: required when S3_ACCESS_KEY_ID is set');
  if (e.S3_SECRET_ACCESS_KEY && !e.S3_ACCESS_KEY_ID)
    problems.push('S3_ACCESS_KEY_ID: required when S3_SECRET_ACCESS_KEY is set');
  if (production && e.S3_ENDPOINT?.startsWith('http://')) problems.push('S3_ENDPOINT: must use https:// in production');
  if (problems.length > before) return undefined;
  return {
    kind: 's3',
    bucket: e.S3_BUCKET!,
    region: e.S3_REGION,
    ...(e.S3_ENDPOINT ? { endpoint: e.S3_ENDPOINT } : {}),
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
    ...(e.S3_ACCESS_KEY_ID ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY! } : {}),
    ...(e.S3_PREFIX ? { prefix: e.S3_PREFIX.replace(/\/*$/, '/') } : {}),
  };
}
