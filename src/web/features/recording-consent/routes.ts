/**
 * The family's recording on the day (P-4, P-5, P-6, P-7), under /conferences/:id/recording-consent, reached from the
 * conference's page and prompted from the meeting's pages: the overview, asking everyone present, a request made
 * during the meeting, and storing and downloading a copy of the family's recording. One page per file; every form
 * works without JavaScript; the use cases check who may do what per conference and audit it.
 */
import type { FastifyInstance } from 'fastify';
import { askRoutes } from './ask.ts';
import { copyRoutes } from './copies.ts';
import { meetingRequestRoutes } from './meeting-request.ts';
import { overviewRoutes } from './overview.ts';
import type { RecordingConsentPagesOptions } from './shared.ts';

export type { RecordingConsentPagesOptions };

export async function recordingConsentRoutes(app: FastifyInstance, opts: RecordingConsentPagesOptions): Promise<void> {
  overviewRoutes(app, opts);
  askRoutes(app, opts);
  meetingRequestRoutes(app, opts);
  copyRoutes(app, opts);
}
