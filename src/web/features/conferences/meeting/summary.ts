/** The chair's summary (003): worries, positives and what needs to change. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MeetingView } from '../../../../app/conferences/meeting-service.ts';
import { type FormError, type FormValues, bodyOf, requestContext, text } from '../../../forms/index.ts';
import { type MeetingPages, WRITE, done, meetingParams, render, submit } from './shared.ts';

const summaryPage = (
  reply: FastifyReply,
  view: MeetingView,
  values: FormValues,
  errors: FormError[] = [],
  status?: 400 | 409,
) =>
  render(
    reply,
    'meeting-summary.njk',
    view,
    'Chair’s summary: worries, positives and changes',
    { values },
    errors,
    status,
  );

export function summaryRoutes(app: FastifyInstance, { meeting, load }: MeetingPages): void {
  app.get('/conferences/:id/meeting/summary', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const s = view.summary;
    return summaryPage(reply, view, {
      worries: s?.worries ?? '',
      positives: s?.positives ?? '',
      changes: s?.changes ?? '',
      changeReason: '',
    });
  });

  app.post('/conferences/:id/meeting/summary', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const body = bodyOf(request);
    const input = {
      worries: text(body, 'worries'),
      positives: text(body, 'positives'),
      changes: text(body, 'changes'),
      changeReason: text(body, 'changeReason'),
    };
    return submit({
      call: () => meeting.recordSummary(request.actor!, id, input, requestContext(request)),
      next: () => done(reply, id, 'summary', '#summary'),
      again: async (errors, status) => summaryPage(reply, await load(request, id, 'chair'), input, errors, status),
    });
  });
}
