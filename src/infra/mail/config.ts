import { z } from 'zod';
import { ConfigError } from '../config.ts';

/**
 * Email settings. MAIL_TRANSPORT chooses how messages leave:
 * - `outbox` (the default): nothing is sent; administrators read every message in the service.
 * - `smtp`: an SMTP relay (SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_REQUIRE_TLS, SMTP_USER, SMTP_PASSWORD, MAIL_FROM).
 * - `notify`: GOV.UK Notify (NOTIFY_API_KEY, NOTIFY_TEMPLATE_ID: one email template with subject
 *   `((subject))` and body `((body))`).
 */
export type MailConfig =
  | { transport: 'outbox' }
  | {
      transport: 'smtp';
      host: string;
      port: number;
      secure: boolean;
      requireTls: boolean;
      user?: string;
      password?: string;
      from: string;
    }
  | { transport: 'notify'; apiKey: string; templateId: string };

const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A bare address or `Name <address>`, as MAIL_FROM is usually written. */
const fromAddress = z
  .string()
  .trim()
  .refine((v) => {
    const m = /^(?:[^<>\r\n]*<([^<>\s]+)>|([^<>\s]+))$/.exec(v);
    const address = m?.[1] ?? m?.[2];
    return address !== undefined && z.email().safeParse(address).success;
  }, 'must be an email address, or a name and address such as Children’s Services <cp-conferences@council.gov.uk>');

const mailEnv = z.object({
  MAIL_TRANSPORT: z.preprocess(
    unsetIfEmpty,
    z.enum(['outbox', 'smtp', 'notify'], 'must be outbox, smtp or notify').default('outbox'),
  ),
  SMTP_HOST: optional(
    z
      .string()
      .regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'must be a host name or IP address such as smtp.council.gov.uk'),
  ),
  SMTP_PORT: optional(
    z.coerce
      .number('must be a port number from 1 to 65535')
      .int('must be a port number from 1 to 65535')
      .min(1, 'must be a port number from 1 to 65535')
      .max(65535, 'must be a port number from 1 to 65535'),
  ),
  SMTP_SECURE: optional(booleanFromEnv),
  SMTP_REQUIRE_TLS: optional(booleanFromEnv),
  SMTP_USER: optional(z.string()),
  SMTP_PASSWORD: optional(z.string()),
  MAIL_FROM: optional(fromAddress),
  // A Notify key is its name, the service id and the secret: `name-<uuid>-<uuid>`.
  NOTIFY_API_KEY: optional(
    z
      .string()
      .regex(
        /^[A-Za-z0-9_-]*-?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        'must be a GOV.UK Notify API key (its name followed by two ids)',
      ),
  ),
  NOTIFY_TEMPLATE_ID: optional(z.uuid('must be the id of a GOV.UK Notify email template')),
});

const SMTP_VARS = [
  'SMTP_HOST',
  'SMTP_PORT',
  'SMTP_SECURE',
  'SMTP_REQUIRE_TLS',
  'SMTP_USER',
  'SMTP_PASSWORD',
  'MAIL_FROM',
] as const;
const NOTIFY_VARS = ['NOTIFY_API_KEY', 'NOTIFY_TEMPLATE_ID'] as const;

/** Reads the email settings from the environment, naming every problem (thrown as one ConfigError). */
export function mailConfigFromEnv(env: Record<string, string | undefined>, opts: { production: boolean }): MailConfig {
  const r = parseMailConfig(env, opts);
  if (!r.config) throw new ConfigError(r.problems);
  return r.config;
}

/** The same, returning the problems, for `loadConfig` to report with every other bad setting at once. */
export function parseMailConfig(
  env: Record<string, string | undefined>,
  opts: { production: boolean },
): { config: MailConfig; problems: [] } | { config?: undefined; problems: string[] } {
  try {
    return { config: readMailConfig(env, opts), problems: [] };
  } catch (err) {
    if (err instanceof MailConfigProblems) return { problems: err.problems };
    throw err;
  }
}

class MailConfigProblems extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('; '));
    this.problems = problems;
  }
}

function readMailConfig(env: Record<string, string | undefined>, opts: { production: boolean }): MailConfig {
  const parsed = mailEnv.safeParse(env);
  if (!parsed.success)
    throw new MailConfigProblems(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  const e = parsed.data;
  const problems: string[] = [];
  // Settings for a transport that is not chosen would leave an operator believing mail goes out when it does not.
  const stray = (names: readonly (keyof typeof e)[]) => names.filter((n) => e[n] !== undefined);
  const refuseStray = (names: readonly (keyof typeof e)[]) => {
    const s = stray(names);
    if (s.length > 0)
      problems.push(
        `MAIL_TRANSPORT: is ${e.MAIL_TRANSPORT}${e.MAIL_TRANSPORT === 'outbox' ? ' (the default)' : ''} but ${s.join(', ')} ${s.length === 1 ? 'is' : 'are'} set; set MAIL_TRANSPORT to match, or unset ${s.length === 1 ? 'it' : 'them'}`,
      );
  };

  if (e.MAIL_TRANSPORT === 'outbox') {
    refuseStray([...SMTP_VARS, ...NOTIFY_VARS]);
    if (problems.length) throw new MailConfigProblems(problems);
    return { transport: 'outbox' };
  }

  if (e.MAIL_TRANSPORT === 'notify') {
    refuseStray(SMTP_VARS);
    if (!e.NOTIFY_API_KEY) problems.push('NOTIFY_API_KEY: required when MAIL_TRANSPORT=notify');
    if (!e.NOTIFY_TEMPLATE_ID)
      problems.push(
        'NOTIFY_TEMPLATE_ID: required when MAIL_TRANSPORT=notify (an email template whose subject is ((subject)) and body is ((body)))',
      );
    if (problems.length) throw new MailConfigProblems(problems);
    return { transport: 'notify', apiKey: e.NOTIFY_API_KEY!, templateId: e.NOTIFY_TEMPLATE_ID! };
  }

  refuseStray(NOTIFY_VARS);
  if (!e.SMTP_HOST) problems.push('SMTP_HOST: required when MAIL_TRANSPORT=smtp');
  if (!e.MAIL_FROM) problems.push('MAIL_FROM: required when MAIL_TRANSPORT=smtp (the address messages come from)');
  if (e.SMTP_USER && e.SMTP_PASSWORD === undefined) problems.push('SMTP_PASSWORD: required when SMTP_USER is set');
  if (e.SMTP_PASSWORD !== undefined && !e.SMTP_USER) problems.push('SMTP_USER: required when SMTP_PASSWORD is set');
  const secure = e.SMTP_SECURE ?? false;
  if (secure && e.SMTP_REQUIRE_TLS !== undefined)
    problems.push('SMTP_REQUIRE_TLS: only applies without SMTP_SECURE (SMTP_SECURE=true always uses TLS)');
  const requireTls = secure || (e.SMTP_REQUIRE_TLS ?? true);
  if (opts.production && !requireTls)
    problems.push('SMTP_REQUIRE_TLS: must not be false in production (messages are OFFICIAL-SENSITIVE)');
  if (problems.length) throw new MailConfigProblems(problems);
  return {
    transport: 'smtp',
    host: e.SMTP_HOST!,
    port: e.SMTP_PORT ?? (secure ? 465 : 587),
    secure,
    requireTls,
    ...(e.SMTP_USER ? { user: e.SMTP_USER, password: e.SMTP_PASSWORD! } : {}),
    from: e.MAIL_FROM!,
  };
}
