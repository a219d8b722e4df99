/** Concluding the conference: held only with every child decided (R-1: its end time is noted). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MeetingView } from '../../../../app/conferences/meeting-service.ts';
import { englandClockTime } from '../../../../domain/calendar/index.ts';
import { type FormError, type FormValues, bodyOf, requestContext, text } from '../../../forms/index.ts';
import { type MeetingPages, WRITE, done, meetingBase, meetingParams, render, submit } from './shared.ts';

const concludePage = (
  reply: FastifyReply,
  view: MeetingView,
  values: FormValues,
  errors: FormError[] = [],
  status?: 400 | 409,
) => render(reply, 'meeting-conclude.njk', view, 'Conclude the conference', { values }, errors, status);

export function concludeRoutes(app: FastifyInstance, { meeting, clock, load }: MeetingPages): void {
  app.get('/conferences/:id/meeting/conclude', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id, 'chair');
    if (view.conference.status !== 'in-progress') return reply.redirect(meetingBase(id), 303);
    return concludePage(reply, view, { actualEndTime: englandClockTime(clock.now()) });
  });

  app.post('/conferences/:id/meeting/conclude', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const input = { actualEndTime: text(bodyOf(request), 'actualEndTime') };
    return submit({
      call: () => meeting.conclude(request.actor!, id, input, requestContext(request)),
      next: () => done(reply, id, 'held'),
      again: async (errors, status) => concludePage(reply, await load(request, id, 'chair'), input, errors, status),
    });
  });
}
