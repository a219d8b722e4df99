/** Every version of every decision, plan and summary, newest first, with the reasons for changes. */
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../../forms/index.ts';
import { type MeetingPages, READ, headingModel, meetingParams } from './shared.ts';

export function historyRoutes(app: FastifyInstance, { meeting }: MeetingPages): void {
  app.get('/conferences/:id/meeting/history', { config: READ }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const history = await meeting.getHistory(request.actor!, id, requestContext(request));
    return reply.view('conferences/meeting-history.njk', {
      ...headingModel(history.conference, history.children),
      title: 'History of the conference record',
      history,
      perChild: history.children.map((c) => ({
        child: c,
        decisions: history.decisions.filter((d) => d.childId === c.childId).reverse(),
        plans: history.plans.filter((p) => p.childId === c.childId).reverse(),
      })),
      summaries: [...history.summaries].reverse(),
    });
  });
}
