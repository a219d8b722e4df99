import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The bank holiday file shipped with the service, wherever the process is started from. */
export const SHIPPED_BANK_HOLIDAYS_FILE = fileURLToPath(new URL('../../resources/bank-holidays.json', import.meta.url));

/** Every setting is an environment variable, validated once at start-up (fail fast, name each bad value). */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

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
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24).default(10),
  PUBLIC_BASE_URL: z.url('must be a full URL such as https://cpcr.example.gov.uk').optional(),
  BANK_HOLIDAYS_FILE: z.string().min(1).optional(),
  TIMESCALES_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_DIR: z.string().min(1).optional(),
  AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  SIGN_IN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COUNCIL_NAME: z.string().min(1).default('Children’s Services'),
});

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
  signInMaxAttempts: number;
  logLevel: string;
  councilName: string;
};

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
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`),
    );
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
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(e.DATA_DIR);
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
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    bankHolidaysFile: e.BANK_HOLIDAYS_FILE ? path.resolve(e.BANK_HOLIDAYS_FILE) : SHIPPED_BANK_HOLIDAYS_FILE,
    timescalesFile: e.TIMESCALES_FILE ? path.resolve(e.TIMESCALES_FILE) : undefined,
    auditCheckpointDir: path.resolve(e.AUDIT_CHECKPOINT_DIR ?? path.join(dataDir, 'audit-checkpoints')),
    auditSigningKeyFile: path.resolve(e.AUDIT_SIGNING_KEY_FILE ?? path.join(dataDir, 'keys', 'audit-signing.pem')),
    auditCheckpointMinutes: e.AUDIT_CHECKPOINT_MINUTES,
    signInMaxAttempts: e.SIGN_IN_MAX_ATTEMPTS,
    logLevel: e.LOG_LEVEL,
    councilName: e.COUNCIL_NAME,
  };
}
