import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { mailConfigFromEnv, parseMailConfig } from './config.ts';

const NOTIFY_KEY = 'cpcr_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0';

function problems(env: Record<string, string | undefined>, production = false): string[] {
  try {
    mailConfigFromEnv(env, { production });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('email settings', () => {
  it('keeps messages in the outbox by default (nothing to set up)', () => {
    expect(mailConfigFromEnv({}, { production: false })).toEqual({ transport: 'outbox' });
    expect(mailConfigFromEnv({ MAIL_TRANSPORT: '' }, { production: true })).toEqual({ transport: 'outbox' });
  });

  it('refuses an unknown transport, naming the choices', () => {
    expect(problems({ MAIL_TRANSPORT: 'sendmail' })).toEqual(['MAIL_TRANSPORT: must be outbox, smtp or notify']);
  });

  it('refuses SMTP or Notify settings while messages only go to the outbox', () => {
    expect(
      problems({ SMTP_HOST: 'smtp.council.gov.uk', NOTIFY_TEMPLATE_ID: '0e5e3c0a-7b7a-4c2e-9d0f-6a8f3b2f1c11' }),
    ).toEqual([
      'MAIL_TRANSPORT: is outbox (the default) but SMTP_HOST, NOTIFY_TEMPLATE_ID are set; set MAIL_TRANSPORT to match, or unset them',
    ]);
  });

  describe('smtp', () => {
    const base = {
      MAIL_TRANSPORT: 'smtp',
      SMTP_HOST: 'smtp.council.gov.uk',
      MAIL_FROM: 'Children’s Services <cp-conferences@council.gov.uk>',
    };

    it('needs a host and a from address', () => {
      expect(problems({ MAIL_TRANSPORT: 'smtp' })).toEqual([
        'SMTP_HOST: required when MAIL_TRANSPORT=smtp',
        'MAIL_FROM: required when MAIL_TRANSPORT=smtp (the address messages come from)',
      ]);
    });

    it('defaults to port 587 with STARTTLS required, or 465 with SMTP_SECURE', () => {
      expect(mailConfigFromEnv(base, { production: true })).toEqual({
        transport: 'smtp',
        host: 'smtp.council.gov.uk',
        port: 587,
        secure: false,
        requireTls: true,
        from: base.MAIL_FROM,
      });
      expect(mailConfigFromEnv({ ...base, SMTP_SECURE: 'true' }, { production: true })).toMatchObject({
        port: 465,
        secure: true,
        requireTls: true,
      });
      expect(
        mailConfigFromEnv(
          { ...base, SMTP_PORT: '2525', SMTP_USER: 'cpcr', SMTP_PASSWORD: 'secret' },
          { production: false },
        ),
      ).toMatchObject({ port: 2525, user: 'cpcr', password: 'secret' });
    });

    it('refuses mail without TLS in production, allows it elsewhere (a relay on the same host)', () => {
      expect(problems({ ...base, SMTP_REQUIRE_TLS: 'false' }, true)).toEqual([
        'SMTP_REQUIRE_TLS: must not be false in production (messages are OFFICIAL-SENSITIVE)',
      ]);
      expect(mailConfigFromEnv({ ...base, SMTP_REQUIRE_TLS: 'false' }, { production: false })).toMatchObject({
        requireTls: false,
      });
    });

    it('names each bad value', () => {
      expect(
        problems({
          ...base,
          SMTP_PORT: '70000',
          SMTP_SECURE: 'maybe',
          MAIL_FROM: 'not an address',
          SMTP_HOST: 'smtp host',
        }),
      ).toEqual([
        'SMTP_HOST: must be a host name or IP address such as smtp.council.gov.uk',
        'SMTP_PORT: must be a port number from 1 to 65535',
        'SMTP_SECURE: must be true or false',
        'MAIL_FROM: must be an email address, or a name and address such as Children’s Services <cp-conferences@council.gov.uk>',
      ]);
    });

    it('needs a user and a password together, and no Notify settings', () => {
      expect(problems({ ...base, SMTP_USER: 'cpcr' })).toEqual(['SMTP_PASSWORD: required when SMTP_USER is set']);
      expect(problems({ ...base, SMTP_PASSWORD: 'secret' })).toEqual(['SMTP_USER: required when SMTP_PASSWORD is set']);
      expect(problems({ ...base, NOTIFY_API_KEY: NOTIFY_KEY })[0]).toMatch(
        /^MAIL_TRANSPORT: is smtp but NOTIFY_API_KEY is set/,
      );
    });

    it('accepts a bare from address', () => {
      expect(mailConfigFromEnv({ ...base, MAIL_FROM: 'cp@council.gov.uk' }, { production: false })).toMatchObject({
        from: 'cp@council.gov.uk',
      });
    });
  });

  describe('notify', () => {
    it('needs an API key and the template id', () => {
      expect(problems({ MAIL_TRANSPORT: 'notify' })).toEqual([
        'NOTIFY_API_KEY: required when MAIL_TRANSPORT=notify',
        'NOTIFY_TEMPLATE_ID: required when MAIL_TRANSPORT=notify (an email template whose subject is ((subject)) and body is ((body)))',
      ]);
      expect(
        mailConfigFromEnv(
          {
            MAIL_TRANSPORT: 'notify',
            NOTIFY_API_KEY: NOTIFY_KEY,
            NOTIFY_TEMPLATE_ID: '0e5e3c0a-7b7a-4c2e-9d0f-6a8f3b2f1c11',
          },
          { production: true },
        ),
      ).toEqual({
        transport: 'notify',
        apiKey: NOTIFY_KEY,
        templateId: '0e5e3c0a-7b7a-4c2e-9d0f-6a8f3b2f1c11',
      });
    });

    it('refuses a key or template id in the wrong shape', () => {
      expect(problems({ MAIL_TRANSPORT: 'notify', NOTIFY_API_KEY: 'abc', NOTIFY_TEMPLATE_ID: 'welcome' })).toEqual([
        'NOTIFY_API_KEY: must be a GOV.UK Notify API key (its name followed by two ids)',
        'NOTIFY_TEMPLATE_ID: must be the id of a GOV.UK Notify email template',
      ]);
    });
  });

  it('parseMailConfig returns the problems instead of throwing, for loadConfig to report with the rest', () => {
    expect(parseMailConfig({ MAIL_TRANSPORT: 'smtp' }, { production: false })).toEqual({
      problems: [
        'SMTP_HOST: required when MAIL_TRANSPORT=smtp',
        'MAIL_FROM: required when MAIL_TRANSPORT=smtp (the address messages come from)',
      ],
    });
    expect(parseMailConfig({}, { production: true })).toEqual({ config: { transport: 'outbox' }, problems: [] });
  });

  describe('as part of the service’s configuration (loadConfig, which stops the service at start)', () => {
    it('is config.mail, the outbox by default', () => {
      expect(loadConfig({}).mail).toEqual({ transport: 'outbox' });
      expect(
        loadConfig({
          MAIL_TRANSPORT: 'smtp',
          SMTP_HOST: 'smtp.council.gov.uk',
          SMTP_PORT: '2525',
          MAIL_FROM: 'cp@council.gov.uk',
        }).mail,
      ).toEqual({
        transport: 'smtp',
        host: 'smtp.council.gov.uk',
        port: 2525,
        secure: false,
        requireTls: true,
        from: 'cp@council.gov.uk',
      });
    });

    const configProblems = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
      } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
      }
      return [];
    };

    it('names each bad email setting, with every other bad setting, in one message', () => {
      expect(configProblems({ MAIL_TRANSPORT: 'smtp', SMTP_PORT: '0' })).toEqual([
        'SMTP_PORT: must be a port number from 1 to 65535',
      ]);
      expect(configProblems({ MAIL_TRANSPORT: 'smtp', MAIL_FROM: 'cp@council.gov.uk' })).toEqual([
        'SMTP_HOST: required when MAIL_TRANSPORT=smtp',
      ]);
      expect(
        configProblems({
          NODE_ENV: 'production',
          SESSION_SECRET: 'x'.repeat(40),
          DELIVERY_CODE_KEY_FILE: '/etc/cpcr/delivery-codes.key',
          SECOND_FACTOR_KEY_FILE: '/etc/cpcr/second-factor.key',
          AUDIT_SIGNING_KEY_FILE: '/etc/cpcr/audit-signing.pem',
          AUDIT_VERIFY_KEY_FILE: '/etc/cpcr/audit-verify.pem',
          AUDIT_CHECKPOINT_DIR: '/var/lib/cpcr-audit',
          AUDIT_WITNESS_URL: 'https://siem.council.example/audit',
          MAIL_TRANSPORT: 'notify',
        }),
      ).toEqual([
        'PUBLIC_BASE_URL: required in production (the https:// address users reach)',
        'NOTIFY_API_KEY: required when MAIL_TRANSPORT=notify',
        'NOTIFY_TEMPLATE_ID: required when MAIL_TRANSPORT=notify (an email template whose subject is ((subject)) and body is ((body)))',
      ]);
      const production = {
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(40),
        PUBLIC_BASE_URL: 'https://cpcr.example.gov.uk',
        DELIVERY_CODE_KEY_FILE: '/etc/cpcr/delivery-codes.key',
        SECOND_FACTOR_KEY_FILE: '/etc/cpcr/second-factor.key',
        AUDIT_SIGNING_KEY_FILE: '/etc/cpcr/audit-signing.pem',
        AUDIT_VERIFY_KEY_FILE: '/etc/cpcr/audit-verify.pem',
        AUDIT_CHECKPOINT_DIR: '/var/lib/cpcr-audit',
        AUDIT_WITNESS_URL: 'https://siem.council.example/audit',
      };
      expect(
        configProblems({
          ...production,
          MAIL_TRANSPORT: 'smtp',
          SMTP_HOST: 'smtp.council.gov.uk',
          MAIL_FROM: 'cp@council.gov.uk',
          SMTP_REQUIRE_TLS: 'false',
        }),
      ).toEqual(['SMTP_REQUIRE_TLS: must not be false in production (messages are OFFICIAL-SENSITIVE)']);
      expect(configProblems({ ...production, SMTP_HOST: 'smtp.council.gov.uk' })).toEqual([
        'MAIL_TRANSPORT: is outbox (the default) but SMTP_HOST is set; set MAIL_TRANSPORT to match, or unset it',
      ]);
    });
  });
});
