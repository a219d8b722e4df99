import path from 'node:path';
import type { Logger } from 'pino';
import { AccountsService } from './app/accounts/accounts-service.ts';
import type { Clock, UnitOfWork } from './app/unit-of-work.ts';
import type { BankHolidayCalendar } from './domain/calendar/index.ts';
import { AuditTamperError, AuditTrail } from './infra/audit/audit-trail.ts';
import { loadOrCreateSigningKey, loadSigningKey } from './infra/audit/checkpoints.ts';
import { buildBankHolidayCalendar, loadTimescaleSettings } from './infra/calendar/holiday-file.ts';
import type { Config } from './infra/config.ts';
import { scryptPasswordHasher } from './infra/crypto/password.ts';
import { hashToken, newSecretToken } from './infra/crypto/tokens.ts';
import { type Database, openDatabase } from './infra/db/client.ts';
import { createUnitOfWork } from './infra/db/unit-of-work.ts';
import { JobQueue, type ScheduledJob } from './infra/queue/queue.ts';
import { FsBlobStore } from './infra/blobs/fs-blob-store.ts';
import { ConveningService } from './app/conferences/convening-service.ts';
import { DashboardService } from './app/conferences/dashboard-service.ts';
import { MeetingService } from './app/conferences/meeting-service.ts';
import { PeopleService } from './app/people/people-service.ts';

export const systemClock: Clock = { now: () => new Date() };

/**
 * The one place that builds every dependency. Tests call it with an in-memory database and
 * their own clock; the server and the CLI call it with the validated configuration.
 */
export async function buildServices(
  config: Config,
  logger: Logger,
  overrides: { database?: Database; clock?: Clock } = {},
) {
  const clock = overrides.clock ?? systemClock;
  const database = overrides.database ?? (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      onIdleError: (err) => logger.warn({ err }, 'idle database connection lost'),
    }));
  await database.migrate();
  const now = () => clock.now();
  const uow: UnitOfWork = createUnitOfWork(database.db, now);
  let signingKey: ReturnType<typeof loadOrCreateSigningKey> | undefined;
  const auditTrail = new AuditTrail({
    db: database.db,
    checkpointDir: config.auditCheckpointDir,
    signingKey: () => (signingKey ??= loadOrCreateSigningKey(config.auditSigningKeyFile)),
    existingKey: () => loadSigningKey(config.auditSigningKeyFile),
    clock: now,
  });
  const calendar: BankHolidayCalendar = await buildBankHolidayCalendar(config.bankHolidaysFile);
  const timescales = await loadTimescaleSettings(config.timescalesFile);
  const accounts = new AccountsService({
    uow,
    hasher: scryptPasswordHasher,
    secrets: { newToken: newSecretToken, hash: hashToken },
    clock,
    settings: {
      sessionIdleMs: config.sessionIdleMs,
      sessionAbsoluteMs: config.sessionAbsoluteMs,
      signInMaxAttempts: config.signInMaxAttempts,
      signInWindowMs: 15 * 60_000,
      setupLinkTtlMs: 24 * 3_600_000,
    },
  });
  const people = new PeopleService({ uow, clock });
  const conferenceDeps = { uow, clock, calendar, timescales, people };
  // Agencies' reports (and later recordings) as files under DATA_DIR/blobs, named by random keys.
  const blobs = new FsBlobStore(path.join(config.dataDir, 'blobs'));
  const convening = new ConveningService({ ...conferenceDeps, blobs, councilName: config.councilName });
  const meeting = new MeetingService(conferenceDeps);
  const dashboards = new DashboardService(conferenceDeps);
  const queue = new JobQueue(database, logger);
  const scheduledJobs: ScheduledJob[] = [
    {
      name: 'audit-checkpoint',
      cron: `*/${config.auditCheckpointMinutes} * * * *`,
      run: async () => {
        try {
          const r = await auditTrail.checkpoint();
          if (r.written) logger.info({ size: r.size }, 'audit checkpoint written');
        } catch (err) {
          // An alert for monitoring: the trail no longer extends its last signed checkpoint.
          if (err instanceof AuditTamperError) logger.fatal({ alert: 'audit-tamper' }, err.message);
          throw err;
        }
      },
    },
  ];

  return {
    config,
    logger,
    clock,
    database,
    uow,
    calendar,
    timescales,
    accounts,
    people,
    blobs,
    convening,
    meeting,
    dashboards,
    auditTrail,
    queue,
    scheduledJobs,
    async close() {
      await queue.stop();
      await database.close();
    },
  };
}

export type Services = Awaited<ReturnType<typeof buildServices>>;
