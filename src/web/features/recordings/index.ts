import type { FastifyInstance } from 'fastify';
import type { RecordingPagesOptions } from './common.ts';
import { livePages } from './live/index.ts';
import { recordingPages } from './recording/index.ts';
import { uploadPages } from './upload/index.ts';

export type { RecordingPagesOptions } from './common.ts';

/**
 * The audio record (R-1 … R-6): a conference's recordings, uploads (tus and a plain form), live
 * recording in the browser, the recording page (statement, bookmarks, withheld parts), listening,
 * evidence and exports. Each journey is a plugin of its own, so the body parsers one needs (multipart
 * and tus for uploads, raw audio for the recorder) are accepted by its routes only.
 */
export async function recordingFeature(app: FastifyInstance, opts: RecordingPagesOptions): Promise<void> {
  await app.register(uploadPages, opts);
  await app.register(recordingPages, opts);
  await app.register(livePages, opts);
}
