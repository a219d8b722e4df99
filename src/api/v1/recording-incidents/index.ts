/**
 * When recording goes wrong at a conference, for integrations (P-8, P-9): the same use cases, access rules and audit
 * trail as the pages. Someone recording against the parents' wishes is recorded by the chair with the time of each
 * step; a covert recording found is recorded by a chair, business support or the social worker (the chair is
 * emailed), read by chairs, team managers and the council's legal advisers, and moved on by the chair's actions to its
 * closure. Responses are allow-lists: only the fields named here leave.
 */
import type { FastifyInstance } from 'fastify';
import type { RecordingIncidentUseCases } from '../../../app/recording-incidents/recording-incident-service.ts';
import type { ApiOptions } from '../index.ts';
import { covertActionRoutes } from './covert-actions.ts';
import { covertRoutes } from './covert.ts';
import { unpermittedRoutes } from './unpermitted.ts';

export function recordingIncidentsRoutes(app: FastifyInstance, incidents: RecordingIncidentUseCases): void {
  unpermittedRoutes(app, incidents);
  covertRoutes(app, incidents);
  covertActionRoutes(app, incidents);
}

export async function recordingIncidentsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  recordingIncidentsRoutes(app, services.recordingIncidents);
}
