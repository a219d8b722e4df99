/** The requests to record a conference, or the other meetings about a child (P-1, T-11). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MeetingRequests } from '../../../app/recording-permission/service.ts';
import { idParams, requestContext } from '../../forms/index.ts';
import { type RecordingPermissionPagesOptions, VIEW, doneOf, headingOf, render, rowOf } from './shared.ts';

function listPage(reply: FastifyReply, view: MeetingRequests, done: string | null) {
  const h = headingOf(view);
  return render(
    reply,
    'list.njk',
    view.conference ? 'Requests to record the conference' : 'Requests to record a meeting',
    {
      ...h,
      done,
      forConference: view.conference !== null,
      newHref: `${h.listHref}/new`,
      noticeHours: view.noticeHours,
      rows: view.requests.map(rowOf),
    },
  );
}

export function listPages(app: FastifyInstance, { recordingPermission }: RecordingPermissionPagesOptions): void {
  app.get('/conferences/:id/recording-permission', { config: VIEW }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const view = await recordingPermission.forConference(request.actor!, id, requestContext(request));
    return listPage(reply, view, doneOf(request.query));
  });
  app.get('/children/:childId/recording-permission', { config: VIEW }, async (request, reply) => {
    const { childId } = idParams('childId').parse(request.params);
    const view = await recordingPermission.forChild(request.actor!, childId, requestContext(request));
    return listPage(reply, view, doneOf(request.query));
  });
}
