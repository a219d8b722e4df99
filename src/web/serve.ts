// Starts the service: configuration, logger, services, the web app, the job queue, then listening.
// Started by the entry point src/web/server.ts once module loading is set up; importing this file starts nothing.
import { buildServices } from '../composition.ts';
import { ConfigError, loadConfig } from '../infra/config.ts';
import { createLogger } from '../infra/logger.ts';
import { buildApp } from './app.ts';

export async function startService(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (config.sessionSecretGenerated) {
    logger.warn('SESSION_SECRET is not set: using a random secret, so sessions end when the service restarts');
  }
  const services = await buildServices(config, logger);
  // Plaintext left by an ingest or copy that was interrupted (a crash, a kill) goes before any job runs again.
  const leftover = await services.staging.removeLeftoverScratch();
  if (leftover > 0) logger.info({ files: leftover }, 'removed scratch files left by interrupted work');
  const app = await buildApp(services);
  // Ingests interrupted by the stop are resumed at once, before any job runs (not after their job expires).
  await services.queue.start(services.scheduledJobs, services.workers, {
    beforeWork: async () => {
      await services.recoverInterruptedIngests();
    },
  });

  const setupToken = await services.accounts.createSetupLinkIfNeeded({ actor: { id: null, label: 'system' } });
  if (setupToken) {
    // Printed once to the operator's console (not through the request log); valid for 24 hours, single use.
    process.stdout.write(
      `\nNo administrator exists yet. Create the first one within 24 hours at:\n  ${config.publicBaseUrl}/setup/${setupToken}\n\n`,
    );
  }

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    // Not ready from now on (GET /readyz answers 503), so a load balancer sends no new traffic here.
    services.readiness.stopping();
    await app.close();
    await services.auditTrail
      .checkpoint()
      .catch((err: unknown) => logger.error({ err }, 'final audit checkpoint failed'));
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void close('SIGINT'));
  process.on('SIGTERM', () => void close('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  logger.info({ database: services.database.kind, port: config.port }, 'service ready');
}
