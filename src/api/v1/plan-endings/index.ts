/**
 * Plans ending, stepping down and moving away, for integrations (002 §3.8, §3.9, T-4, T-9): the same use cases,
 * access rules and audit trail as the pages. Responses are allow-lists: only the fields named here leave.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../index.ts';
import { childPlanRoutes } from './routes.ts';
import { stepDownRoutes } from './step-down.ts';

export async function planEndingsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  childPlanRoutes(app, services.planEndings);
  stepDownRoutes(app, services.planEndings);
}
