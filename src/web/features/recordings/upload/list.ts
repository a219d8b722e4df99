/** A conference's recordings: what is stored, what is still arriving, and what was not stored. */
import type { FastifyInstance } from 'fastify';
import { requestContext, str } from '../../../forms/index.ts';
import { conferenceHeading, conferenceParams, READ, type RecordingPagesOptions } from '../common.ts';
import { listRow } from '../list-view.ts';

const DONE: Record<string, string> = {
  cancelled: 'The upload was cancelled. Nothing was stored.',
};

export function recordingListRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  app.get('/conferences/:id/recordings', { config: READ }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await recordings.conferenceRecordings(request.actor!, requestContext(request), id);
    const done = DONE[str((request.query as Record<string, unknown>)['done'])] ?? null;
    return reply.view('recordings/list-recordings.njk', {
      title: 'Recordings',
      ...conferenceHeading(view.conference),
      conferenceId: id,
      cancelled: view.conference.status === 'cancelled',
      rows: view.recordings.map(listRow),
      can: view.can,
      done,
    });
  });
}
