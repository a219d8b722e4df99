/** The child's views, recorded whether or not the child attends (002 §3.2). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MeetingChildView, MeetingView } from '../../../../app/conferences/meeting-service.ts';
import { type FormError, type FormValues, bodyOf, requestContext, text } from '../../../forms/index.ts';
import { type MeetingPages, WRITE, childOf, childParams, done, render, submit } from './shared.ts';

const viewsPage = (
  reply: FastifyReply,
  view: MeetingView,
  child: MeetingChildView,
  values: FormValues,
  errors: FormError[] = [],
  status?: 400 | 409,
) => render(reply, 'meeting-views.njk', view, `${child.givenNames}’s views`, { child, values }, errors, status);

export function viewsRoutes(app: FastifyInstance, { meeting, load }: MeetingPages): void {
  app.get('/conferences/:id/meeting/children/:childId/views', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const child = childOf(view, childId);
    return viewsPage(reply, view, child, { childViews: child.childViews ?? '' });
  });

  app.post('/conferences/:id/meeting/children/:childId/views', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const values: FormValues = { childViews: text(bodyOf(request), 'childViews') };
    const input = { views: values['childViews'] as string };
    return submit({
      call: () => meeting.recordChildViews(request.actor!, id, childId, input, requestContext(request)),
      next: () => done(reply, id, 'views', `#child-${childId}`),
      again: async (errors, status) => {
        const view = await load(request, id, 'chair');
        return viewsPage(reply, view, childOf(view, childId), values, errors, status);
      },
    });
  });
}
