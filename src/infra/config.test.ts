import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, trustProxyOption } from './config.ts';

/** What production needs for the audit trail: keys and checkpoints outside DATA_DIR, and a witness. */
const PRODUCTION_AUDIT = {
  AUDIT_SIGNING_KEY_FILE: '/etc/cpcr/audit-signing.pem',
  AUDIT_VERIFY_KEY_FILE: '/etc/cpcr/audit-verify.pem',
  AUDIT_CHECKPOINT_DIR: '/var/lib/cpcr-audit',
  AUDIT_WITNESS_URL: 'https://siem.council.example/audit',
};

describe('configuration', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const c = loadConfig({}, () => 'generated-secret');
    expect(c).toMatchObject({
      env: 'development',
      port: 3000,
      databaseUrl: undefined,
      cookieSecure: false,
      sessionSecret: 'generated-secret',
      sessionSecretGenerated: true,
    });
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
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SESSION_SECRET: required in production[\s\S]*PUBLIC_BASE_URL: required/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: 's'.repeat(40),
        PUBLIC_BASE_URL: 'https://cpcr.example.gov.uk',
        DELIVERY_CODE_KEY_FILE: '/etc/cpcr/delivery-codes.key',
        SECOND_FACTOR_KEY_FILE: '/etc/cpcr/second-factor.key',
        COOKIE_SECURE: 'false',
      }),
    ).toThrow(/COOKIE_SECURE: must not be false/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: 's'.repeat(40),
        PUBLIC_BASE_URL: 'http://cpcr.example.gov.uk',
      }),
    ).toThrow(/must use https/);
    const ok = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(40),
      PUBLIC_BASE_URL: 'https://cpcr.example.gov.uk/',
      DELIVERY_CODE_KEY_FILE: '/etc/cpcr/delivery-codes.key',
      SECOND_FACTOR_KEY_FILE: '/etc/cpcr/second-factor.key',
      ...PRODUCTION_AUDIT,
    });
    expect(ok).toMatchObject({
      cookieSecure: true,
      publicBaseUrl: 'https://cpcr.example.gov.uk',
      sessionSecretGenerated: false,
    });
  });

  it('keeps the key that seals authenticator apps’ secrets outside DATA_DIR in production, and defaults it inside elsewhere', () => {
    expect(loadConfig({ DATA_DIR: '/srv/cpcr' }).secondFactorKeyFile).toBe('/srv/cpcr/keys/second-factor.key');
    const production = {
      NODE_ENV: 'production',
      DATA_DIR: '/srv/cpcr',
      SESSION_SECRET: 's'.repeat(40),
      PUBLIC_BASE_URL: 'https://cpcr.example.gov.uk',
      DELIVERY_CODE_KEY_FILE: '/etc/cpcr/delivery-codes.key',
      ...PRODUCTION_AUDIT,
    };
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems.filter((p) => p.startsWith('SECOND_FACTOR_KEY_FILE'));
      }
    };
    expect(problems(production)).toEqual([
      'SECOND_FACTOR_KEY_FILE: required in production (a key file outside DATA_DIR, mode 0600)',
    ]);
    expect(problems({ ...production, SECOND_FACTOR_KEY_FILE: '/srv/cpcr/keys/second-factor.key' })).toEqual([
      'SECOND_FACTOR_KEY_FILE: must be outside DATA_DIR in production',
    ]);
    expect(loadConfig({ ...production, SECOND_FACTOR_KEY_FILE: '/etc/cpcr/2fa.key' }).secondFactorKeyFile).toBe(
      '/etc/cpcr/2fa.key',
    );
  });

  it('rejects a short session secret', () => {
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET: must be at least 32 characters/);
  });

  it('W-7: letters tell the reader how to contact the council (COUNCIL_CONTACT), with a default and a checked length', () => {
    expect(loadConfig({}).councilContact).toBe('the child protection conference team at the council');
    expect(loadConfig({ COUNCIL_CONTACT: '  the conference team on 01234 567890 ' }).councilContact).toBe(
      'the conference team on 01234 567890',
    );
    expect(() => loadConfig({ COUNCIL_CONTACT: '   ' })).toThrow(/COUNCIL_CONTACT/);
    expect(() => loadConfig({ COUNCIL_CONTACT: 'x'.repeat(201) })).toThrow(/COUNCIL_CONTACT/);
  });

  it('T-6, T-7: WRITTEN_RECORD_FROM is an optional real date written YYYY-MM-DD', () => {
    expect(loadConfig({}).writtenRecordFrom).toBeUndefined();
    expect(loadConfig({ WRITTEN_RECORD_FROM: '' }).writtenRecordFrom).toBeUndefined();
    expect(loadConfig({ WRITTEN_RECORD_FROM: '2027-01-04' }).writtenRecordFrom).toBe('2027-01-04');
    expect(() => loadConfig({ WRITTEN_RECORD_FROM: '4/1/2027' })).toThrow(
      /WRITTEN_RECORD_FROM: must be a date written YYYY-MM-DD/,
    );
    expect(() => loadConfig({ WRITTEN_RECORD_FROM: '2027-02-30' })).toThrow(/WRITTEN_RECORD_FROM: must be a real date/);
  });

  describe('blob storage', () => {
    const s3 = { BLOB_STORE: 's3', S3_BUCKET: 'council-records' };

    it('keeps blobs under DATA_DIR/blobs by default', () => {
      expect(loadConfig({ DATA_DIR: '/srv/cpcr' }).blobStore).toEqual({ kind: 'fs', root: '/srv/cpcr/blobs' });
      expect(loadConfig({ DATA_DIR: '/srv/cpcr', BLOB_STORE: 'fs' }).blobStore).toEqual({
        kind: 'fs',
        root: '/srv/cpcr/blobs',
      });
    });

    it('uses an S3-compatible store with the SDK default credentials, eu-west-2 and virtual-hosted addressing unless told otherwise', () => {
      expect(loadConfig(s3).blobStore).toEqual({
        kind: 's3',
        bucket: 'council-records',
        region: 'eu-west-2',
        forcePathStyle: false,
      });
    });

    it('reads every S3 setting, and ends a prefix with a slash', () => {
      const c = loadConfig({
        ...s3,
        S3_REGION: 'us-east-1',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        S3_SECRET_ACCESS_KEY: 'secret-example',
        S3_PREFIX: 'cpcr/blobs',
      });
      expect(c.blobStore).toEqual({
        kind: 's3',
        bucket: 'council-records',
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:9000',
        forcePathStyle: true,
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'secret-example',
        prefix: 'cpcr/blobs/',
      });
      expect(loadConfig({ ...s3, S3_PREFIX: 'cpcr/' }).blobStore).toMatchObject({ prefix: 'cpcr/' });
    });

    it('treats S3 variables set to the empty string as unset', () => {
      expect(
        loadConfig({
          ...s3,
          S3_ENDPOINT: '',
          S3_PREFIX: '',
          S3_ACCESS_KEY_ID: '',
          S3_SECRET_ACCESS_KEY: '',
          S3_REGION: '',
        }).blobStore,
      ).toEqual({
        kind: 's3',
        bucket: 'council-records',
        region: 'eu-west-2',
        forcePathStyle: false,
      });
    });

    it('BLOB_STORE=s3 without S3_BUCKET is an error naming S3_BUCKET', () => {
      expect(() => loadConfig({ BLOB_STORE: 's3' })).toThrow(/S3_BUCKET: required when BLOB_STORE=s3/);
      expect(() => loadConfig({ BLOB_STORE: 's3', S3_BUCKET: '' })).toThrow(/S3_BUCKET: required when BLOB_STORE=s3/);
    });

    it('names each bad S3 value', () => {
      const problems = (env: Record<string, string>) => {
        try {
          loadConfig(env);
        } catch (err) {
          return (err as ConfigError).problems;
        }
        return [];
      };
      expect(problems({ BLOB_STORE: 'minio' })).toEqual([expect.stringMatching(/^BLOB_STORE: must be fs or s3/)]);
      expect(problems({ ...s3, S3_ENDPOINT: 'minio:9000' })).toEqual([
        expect.stringMatching(/^S3_ENDPOINT: must be a full http/),
      ]);
      expect(problems({ ...s3, S3_ENDPOINT: 'ftp://minio.example' })).toEqual([expect.stringMatching(/^S3_ENDPOINT:/)]);
      expect(problems({ ...s3, S3_FORCE_PATH_STYLE: 'maybe' })).toEqual([
        expect.stringMatching(/^S3_FORCE_PATH_STYLE:/),
      ]);
      expect(problems({ ...s3, S3_BUCKET: 'a/b' })).toEqual([
        expect.stringMatching(/^S3_BUCKET: must be a bucket name/),
      ]);
      for (const prefix of ['/cpcr', 'cpcr//blobs', '../cpcr', 'cpcr/./x', 'cpcr/..', 'cp cr'])
        expect(problems({ ...s3, S3_PREFIX: prefix }), prefix).toEqual([
          expect.stringMatching(/^S3_PREFIX: must be a key prefix/),
        ]);
      expect(problems({ ...s3, S3_ACCESS_KEY_ID: 'AKIDEXAMPLE' })).toEqual([
        'S3_SECRET_ACCESS_KEY: required when S3_ACCESS_KEY_ID is set',
      ]);
      expect(problems({ ...s3, S3_SECRET_ACCESS_KEY: 'secret' })).toEqual([
        'S3_ACCESS_KEY_ID: required when S3_SECRET_ACCESS_KEY is set',
      ]);
    });

    it('refuses S3 settings while BLOB_STORE is fs, so blobs never land on local disk by mistake', () => {
      expect(() => loadConfig({ S3_BUCKET: 'council-records', S3_PREFIX: 'cpcr/' })).toThrow(
        /BLOB_STORE: is fs \(the default\) but S3_BUCKET, S3_PREFIX are set/,
      );
    });

    it('production refuses a plain-http S3 endpoint', () => {
      const production = {
        NODE_ENV: 'production',
        SESSION_SECRET: 's'.repeat(40),
        PUBLIC_BASE_URL: 'https://cpcr.example.gov.uk',
        DELIVERY_CODE_KEY_FILE: '/etc/cpcr/delivery-codes.key',
        SECOND_FACTOR_KEY_FILE: '/etc/cpcr/second-factor.key',
        ...PRODUCTION_AUDIT,
      };
      expect(() => loadConfig({ ...production, ...s3, S3_ENDPOINT: 'http://minio.internal:9000' })).toThrow(
        /S3_ENDPOINT: must use https:\/\/ in production/,
      );
      expect(loadConfig({ ...production, ...s3, S3_ENDPOINT: 'https://minio.internal:9000' }).blobStore).toMatchObject({
        endpoint: 'https://minio.internal:9000',
      });
    });
  });

  describe('recordings', () => {
    const recipient = `age1${'q'.repeat(58)}`;

    it('defaults: the identity under DATA_DIR/keys, no recovery recipient, 4 GiB per recording, a 90-day fixity cycle', () => {
      const c = loadConfig({ DATA_DIR: '/srv/cpcr' });
      expect(c).toMatchObject({
        recordingIdentityFile: '/srv/cpcr/keys/recordings.agekey',
        recordingRecoveryRecipient: undefined,
        recordingMaxBytes: 4294967296,
        fixityCycleDays: 90,
        diskReserveBytes: 1024 * 1024 * 1024,
      });
    });

    it('reads the disk reserve in megabytes and names a bad one', () => {
      expect(loadConfig({ DISK_RESERVE_MB: '200' }).diskReserveBytes).toBe(200 * 1024 * 1024);
      expect(loadConfig({ DISK_RESERVE_MB: '0' }).diskReserveBytes).toBe(0);
      expect(() => loadConfig({ DISK_RESERVE_MB: 'lots' })).toThrow(/DISK_RESERVE_MB/);
      expect(() => loadConfig({ DISK_RESERVE_MB: '-1' })).toThrow(/DISK_RESERVE_MB/);
    });

    it('reads each setting', () => {
      const c = loadConfig({
        RECORDING_IDENTITY_FILE: '/etc/cpcr/recordings.agekey',
        RECORDING_RECOVERY_RECIPIENT: recipient,
        RECORDING_MAX_BYTES: '1073741824',
        FIXITY_CYCLE_DAYS: '30',
      });
      expect(c).toMatchObject({
        recordingIdentityFile: '/etc/cpcr/recordings.agekey',
        recordingRecoveryRecipient: recipient,
        recordingMaxBytes: 1073741824,
        fixityCycleDays: 30,
      });
      expect(loadConfig({ FIXITY_CYCLE_DAYS: '1' }).fixityCycleDays).toBe(1);
      expect(loadConfig({ FIXITY_CYCLE_DAYS: '3650' }).fixityCycleDays).toBe(3650);
    });

    it('names each bad value', () => {
      for (const bad of [
        `age1${'q'.repeat(57)}`,
        `age1${'Q'.repeat(58)}`,
        `AGE-SECRET-KEY-1${'Q'.repeat(58)}`,
        `age1${'q'.repeat(59)}`,
      ])
        expect(() => loadConfig({ RECORDING_RECOVERY_RECIPIENT: bad }), bad).toThrow(
          /RECORDING_RECOVERY_RECIPIENT: must be an age public key/,
        );
      for (const bad of ['4GiB', '1.5', '0', '-1'])
        expect(() => loadConfig({ RECORDING_MAX_BYTES: bad }), bad).toThrow(/RECORDING_MAX_BYTES/);
      for (const bad of ['0', '3651', 'ninety', '7.5'])
        expect(() => loadConfig({ FIXITY_CYCLE_DAYS: bad }), bad).toThrow(
          /FIXITY_CYCLE_DAYS: must be a whole number of days from 1 to 3650/,
        );
    });
  });

  describe('TRUST_PROXY', () => {
    const prod = {
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(40),
      PUBLIC_BASE_URL: 'https://cpcr.example.gov.uk',
      DELIVERY_CODE_KEY_FILE: '/etc/cpcr/delivery-codes.key',
      SECOND_FACTOR_KEY_FILE: '/etc/cpcr/second-factor.key',
      ...PRODUCTION_AUDIT,
    };

    it('trusts no proxy by default, in production too, so X-Forwarded-For cannot choose the client address', () => {
      expect(loadConfig({}).trustProxy).toBe(false);
      expect(loadConfig(prod).trustProxy).toBe(false);
      expect(loadConfig({ ...prod, TRUST_PROXY: '' }).trustProxy).toBe(false);
    });

    it('takes a list of addresses and CIDR ranges, or a hop count', () => {
      expect(loadConfig({ ...prod, TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,fd00::/8,::1,loopback' }).trustProxy).toEqual([
        '10.0.0.1',
        '10.1.0.0/16',
        'fd00::/8',
        '::1',
        'loopback',
      ]);
      expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
      const hops = trustProxyOption(2) as (address: string, hop: number) => boolean;
      expect([hops('203.0.113.9', 0), hops('203.0.113.9', 1), hops('203.0.113.9', 2)]).toEqual([true, true, false]);
    });

    it('refuses anything else at start-up with an error naming it', () => {
      for (const bad of ['true', 'everyone', '10.0.0.0/33', '300.1.1.1', '10.0.0.1/8/1', '0', '10.0.0.1,,10.0.0.2']) {
        try {
          loadConfig({ TRUST_PROXY: bad });
          expect.unreachable(bad);
        } catch (err) {
          expect(err, bad).toBeInstanceOf(ConfigError);
          expect((err as ConfigError).message, bad).toMatch(/TRUST_PROXY: /);
        }
      }
    });
  });
});
