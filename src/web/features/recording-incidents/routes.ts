/**
 * When recording goes wrong at a conference (P-8, P-9), under /conferences/:id/recording-incidents, reached from the
 * conference's page: the list, recording someone recording against the parents' wishes, recording a covert recording
 * found, and an incident's page where the chair records actions and closes it; and /recording-incidents, every
 * open incident the person may see (the legal advisers' way in). The use cases check who may do what per conference
 * and audit every view, change and refusal.
 */
import type { FastifyInstance } from 'fastify';
import { covertIncidentRoutes } from './covert-incident.ts';
import { covertReportRoutes } from './covert-report.ts';
import { openIncidentsRoutes } from './open-incidents.ts';
import { overviewRoutes } from './overview.ts';
import type { RecordingIncidentPagesOptions } from './shared.ts';
import { unpermittedRoutes } from './unpermitted.ts';

export type { RecordingIncidentPagesOptions };

export async function recordingIncidentRoutes(
  app: FastifyInstance,
  opts: RecordingIncidentPagesOptions,
): Promise<void> {
  overviewRoutes(app, opts);
  unpermittedRoutes(app, opts);
  covertReportRoutes(app, opts);
  covertIncidentRoutes(app, opts);
  openIncidentsRoutes(app, opts);
}
