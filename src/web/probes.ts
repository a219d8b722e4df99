// Probes for load balancers and Kubernetes, beside GET /health (kept as it was for existing monitors).
// - GET /livez, liveness: the process is up and its event loop turns (answering at all shows that; a loop
//   stuck in a long computation does not answer within the probe's time-out). Touches neither the database
//   nor the disk, so an outage of either never has a healthy node restarted.
// - GET /readyz, readiness: the database answers with every migration applied, the blob store can be reached
//   and the job queue is running. 503 with short reason codes when not (facts about the server only).
// Both are public (no session is read: probes carry no cookie), not rate-limited, never audited, logged only
// at warning level, and never cached.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../composition.ts';

const probe = { config: { access: 'public' as const }, logLevel: 'warn' as const };

export async function probesPlugin(app: FastifyInstance, opts: { readiness: Services['readiness'] }): Promise<void> {
  app.get('/livez', probe, async (_request, reply) => {
    return reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });

  app.get('/readyz', probe, async (_request, reply) => {
    const reasons = await opts.readiness.check();
    reply.header('cache-control', 'no-store');
    if (reasons.length > 0) return reply.code(503).send({ status: 'not-ready', reasons });
    return reply.send({ status: 'ready' });
  });
}
