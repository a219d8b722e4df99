import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const c = loadConfig({}, () => 'generated-secret');
    expect(c).toMatchObject({ env: 'development', port: 3000, databaseUrl: undefined, cookieSecure: false, sessionSecret: 'generated-secret', sessionSecretGenerated: true });
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.sessionIdleMs).toBe(30 * 60_000);
  });

  it('names every bad value in one message', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SESSION_IDLE_MINUTES: '0' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as ConfigError).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL: must start with postgres://');
      expect(message).toContain('SESSION_IDLE_MINUTES');
    }
  });

  it('production refuses insecure defaults', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: required in production[\s\S]*PUBLIC_BASE_URL: required/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), PUBLIC_BASE_URL: 'https://cpcr.example.gov.uk', COOKIE_SECURE: 'false' }),
    ).toThrow(/COOKIE_SECURE: must not be false/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), PUBLIC_BASE_URL: 'http://cpcr.example.gov.uk' })).toThrow(/must use https/);
    const ok = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), PUBLIC_BASE_URL: 'https://cpcr.example.gov.uk/' });
    expect(ok).toMatchObject({ cookieSecure: true, publicBaseUrl: 'https://cpcr.example.gov.uk', sessionSecretGenerated: false });
  });

  it('rejects a short session secret', () => {
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET: must be at least 32 characters/);
  });
});
