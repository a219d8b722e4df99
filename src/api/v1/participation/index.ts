/**
 * Participation in a conference, for integrations (002 §3.2, 001): the same use cases, access rules and audit trail as
 * the pages. Each child's attendance decided before the conference (a child's refusal respected), friends and
 * supporters the chair bars, advocates' roles, parents' help and their own reports. Exclusions are recorded with the
 * meeting's register (PUT …/meeting/parts/{partId}/exclusions/{inviteeId}). Responses are allow-lists.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../index.ts';
import { childRoutes } from './children.ts';
import { parentRoutes } from './parents.ts';
import { supporterRoutes } from './supporters.ts';

export async function participationApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  childRoutes(app, services.participation);
  supporterRoutes(app, services.participation);
  await parentRoutes(app, services.participation);
}
