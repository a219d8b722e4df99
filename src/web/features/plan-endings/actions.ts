/** 002 §3.9: recording a conference's ending (every agency invited told), and a letter to an agency posted. */
import type { FastifyInstance } from 'fastify';
import { idParams, requestContext } from '../../forms/index.ts';
import { type PlanEndingPagesOptions, RECORD, statusHref } from './shared.ts';

export function actionPages(app: FastifyInstance, { planEndings }: PlanEndingPagesOptions): void {
  app.post('/children/:id/plan-ending/conference', { config: RECORD }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const view = await planEndings.recordConferenceEnding(request.actor!, id, requestContext(request));
    return reply.redirect(`${statusHref(view.child.id)}?done=ended`, 303);
  });

  app.post('/children/:id/plan-ending/letters/:noticeId/posted', { config: RECORD }, async (request, reply) => {
    const { id, noticeId } = idParams('id', 'noticeId').parse(request.params);
    const view = await planEndings.markLetterPosted(request.actor!, id, noticeId, requestContext(request));
    return reply.redirect(`${statusHref(view.child.id)}?done=posted`, 303);
  });
}
