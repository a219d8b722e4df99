/**
 * The conference on the day, for integrations: the same use cases, access rules and audit trail as the
 * chair's pages (opening with R-1, register, Q-1, decisions with D-1, plans with T-3 and T-9, the
 * summary, concluding), one group of routes per file under conference-meeting/. Responses are
 * allow-lists: only the fields named there leave the server.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from './index.ts';
import { childrenApi } from './conference-meeting/children.ts';
import { openingApi } from './conference-meeting/opening.ts';
import { outcomesApi } from './conference-meeting/outcomes.ts';
import { partsApi } from './conference-meeting/parts.ts';
import { quoracyApi } from './conference-meeting/quoracy.ts';
import { readingApi } from './conference-meeting/reading.ts';
import { registerApi } from './conference-meeting/register.ts';
import { summaryApi } from './conference-meeting/summary.ts';

export async function conferenceMeetingApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const { meeting, recordings } = services;
  readingApi(app, meeting);
  openingApi(app, meeting, recordings);
  partsApi(app, meeting);
  registerApi(app, meeting);
  quoracyApi(app, meeting);
  childrenApi(app, meeting);
  summaryApi(app, meeting);
  outcomesApi(app, meeting);
}
