import type { FastifyInstance } from 'fastify';
import type { FeatureOptions } from '../index.ts';

export async function dashboardRoutes(_app: FastifyInstance, _opts: FeatureOptions): Promise<void> {}
