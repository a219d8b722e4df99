import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from './index.ts';

export async function conferencesApi(_app: FastifyInstance, _opts: ApiOptions): Promise<void> {}
