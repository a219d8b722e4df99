import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../config.ts';

const production = {
  NODE_ENV: 'production',
  SESSION_SECRET: 's'.repeat(40),
  PUBLIC_BASE_URL: 'https://cpcr.example.gov.uk',
  DATA_DIR: '/srv/cpcr/data',
  DELIVERY_CODE_KEY_FILE: '/etc/cpcr/delivery-codes.key',
  SECOND_FACTOR_KEY_FILE: '/etc/cpcr/second-factor.key',
};
const audit = {
  AUDIT_SIGNING_KEY_FILE: '/etc/cpcr/audit-signing.pem',
  AUDIT_VERIFY_KEY_FILE: '/etc/cpcr/audit-verify.pem',
  AUDIT_CHECKPOINT_DIR: '/var/lib/cpcr-audit/checkpoints',
  AUDIT_WITNESS_S3_BUCKET: 'council-audit-witness',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return (err as ConfigError).problems.filter((p) => p.startsWith('AUDIT_'));
  }
}

describe('audit trail settings', () => {
  it('in production refuses the signing key, the keyring or the checkpoints inside DATA_DIR, naming each', () => {
    expect(
      problems({
        ...production,
        ...audit,
        AUDIT_SIGNING_KEY_FILE: '/srv/cpcr/data/keys/audit-signing.pem',
        AUDIT_VERIFY_KEY_FILE: '/srv/cpcr/data/audit-verify.pem',
        AUDIT_CHECKPOINT_DIR: '/srv/cpcr/data/audit-checkpoints',
      }),
    ).toEqual([
      'AUDIT_SIGNING_KEY_FILE: must be outside DATA_DIR in production, so whoever can change the database cannot also re-sign its checkpoints',
      'AUDIT_CHECKPOINT_DIR: must be outside DATA_DIR in production, so whoever can change the database cannot also re-sign its checkpoints',
      'AUDIT_VERIFY_KEY_FILE: must be outside DATA_DIR in production, so whoever can change the database cannot also re-sign its checkpoints',
    ]);
  });

  it('in production requires each of them set, and a witness away from the machine', () => {
    expect(problems(production)).toEqual([
      expect.stringMatching(/^AUDIT_SIGNING_KEY_FILE: required, outside DATA_DIR in production/),
      expect.stringMatching(/^AUDIT_CHECKPOINT_DIR: required/),
      expect.stringMatching(/^AUDIT_VERIFY_KEY_FILE: required/),
      'AUDIT_WITNESS_S3_BUCKET or AUDIT_WITNESS_URL: required in production (a witness away from this machine keeps a copy of every audit checkpoint)',
    ]);
    expect(problems({ ...production, ...audit, AUDIT_WITNESS_URL: 'http://siem.council.internal/audit' })).toEqual([
      'AUDIT_WITNESS_URL: must use https:// in production',
    ]);
  });

  it('in production accepts them outside DATA_DIR with a witness', () => {
    const config = loadConfig({ ...production, ...audit, AUDIT_WITNESS_S3_PREFIX: 'cpcr' });
    expect(config.audit).toEqual({
      verifyKeyFile: '/etc/cpcr/audit-verify.pem',
      checkpointEvery: 100,
      witnessS3: {
        bucket: 'council-audit-witness',
        region: 'eu-west-2',
        forcePathStyle: false,
        prefix: 'cpcr/',
        retainDays: 2557,
      },
      witnessUrl: undefined,
    });
    expect(config.auditCheckpointMinutes).toBe(1);
  });

  it('outside production keeps everything under DATA_DIR by default, with no witness', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/cpcr-data' });
    expect(config.audit).toMatchObject({
      verifyKeyFile: '/tmp/cpcr-data/keys/audit-verify.pem',
      witnessS3: undefined,
      witnessUrl: undefined,
    });
  });

  it('names bad witness settings', () => {
    expect(problems({ AUDIT_CHECKPOINT_ENTRIES: '0', AUDIT_WITNESS_TOKEN: 'short' })).toEqual([
      'AUDIT_CHECKPOINT_ENTRIES: must be a whole number of entries from 1 to 100000',
      'AUDIT_WITNESS_TOKEN: must be at least 16 characters',
    ]);
    expect(problems({ AUDIT_WITNESS_TOKEN: 'x'.repeat(20), AUDIT_WITNESS_S3_PREFIX: 'a/' })).toEqual([
      'AUDIT_WITNESS_S3_BUCKET: required when AUDIT_WITNESS_S3_PREFIX is set',
      'AUDIT_WITNESS_URL: required when AUDIT_WITNESS_TOKEN is set',
    ]);
  });
});
