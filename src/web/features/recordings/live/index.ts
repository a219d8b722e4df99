/**
 * Recording a conference live in the browser (R-1 … R-6): choosing what is recorded, the recorder page,
 * the chunks it sends while recording, and the break (pause with its reason, resume with any change of
 * who is present, R-2) and stop controls.
 *
 * The recorder page works without JavaScript as far as it can: it says that recording in the browser
 * needs JavaScript and offers the upload instead, and Pause, Resume and Stop are plain forms. With
 * JavaScript (/static/recording-live.js) the same forms drive the MediaRecorder and are sent with
 * `Accept: application/json`, so the script gets JSON and a person without it gets pages.
 */
import type { FastifyInstance } from 'fastify';
import { MAX_CHUNK_BYTES } from '../../../../domain/recordings/recording.ts';
import type { RecordingPagesOptions } from '../common.ts';
import { chunkRoutes } from './chunks.ts';
import { controlRoutes } from './controls.ts';
import { recorderRoutes } from './recorder.ts';
import { liveStartRoutes } from './start.ts';

export async function livePages(app: FastifyInstance, opts: RecordingPagesOptions): Promise<void> {
  // Chunks are raw audio. This parser exists only inside this plugin, so no other route accepts octet-streams.
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: MAX_CHUNK_BYTES },
    (_request, body, done) => done(null, body),
  );
  liveStartRoutes(app, opts);
  recorderRoutes(app, opts);
  chunkRoutes(app, opts);
  controlRoutes(app, opts);
}
