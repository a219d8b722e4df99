import type { FastifyInstance } from 'fastify';
import type { FeatureOptions } from '../index.ts';
import { liveRoutes } from './live-routes.ts';
import { recordingRoutes } from './recording-routes.ts';
import { uploadRoutes } from './upload-routes.ts';

/**
 * The audio record (R-1 … R-6): a conference's recordings, uploads (tus and a plain form), live
 * recording in the browser, the recording page (statement, bookmarks, withheld parts), listening,
 * evidence and exports.
 */
export async function recordingFeature(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  await app.register(uploadRoutes, opts);
  await app.register(recordingRoutes, opts);
  await app.register(liveRoutes, opts);
}
