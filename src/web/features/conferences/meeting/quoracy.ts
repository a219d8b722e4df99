/** whether the conference is quorate, and when it is not, going ahead with a reason or adjourning. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MeetingView } from '../../../../app/conferences/meeting-service.ts';
import type { IsoDate } from '../../../../domain/calendar/index.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  readDate,
  requestContext,
  text,
} from '../../../forms/index.ts';
import { type MeetingPages, READ, WRITE, done, meetingParams, render, submit } from './shared.ts';

const quoracyPage = (
  reply: FastifyReply,
  view: MeetingView,
  values: FormValues,
  errors: FormError[] = [],
  status?: 400 | 409,
) => render(reply, 'meeting-quoracy.njk', view, 'Quoracy', { values, present: view.agenciesPresent }, errors, status);

export function quoracyRoutes(app: FastifyInstance, { meeting, load }: MeetingPages): void {
  app.get('/conferences/:id/meeting/quoracy', { config: READ }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id);
    return quoracyPage(reply, view, {});
  });

  app.post('/conferences/:id/meeting/quoracy/proceed', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const values: FormValues = { proceedReason: text(bodyOf(request), 'proceedReason') };
    const input = { reason: values['proceedReason'] as string };
    return submit({
      call: () => meeting.proceedInquorate(request.actor!, id, input, requestContext(request)),
      next: () => done(reply, id, 'proceed'),
      again: async (errors, status) => quoracyPage(reply, await load(request, id, 'chair'), values, errors, status),
    });
  });

  app.post('/conferences/:id/meeting/quoracy/adjourn', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = { safetySteps: text(body, 'safetySteps'), ...dateFields(body, 'reconveneDate') };
    const errors: FormError[] = [];
    const reconveneDate = readDate(values, 'reconveneDate', 'The new date', errors) as IsoDate | null;
    const input = { safetySteps: values['safetySteps'] as string, reconveneDate };
    return submit({
      errors,
      call: () => meeting.adjournInquorate(request.actor!, id, input, requestContext(request)),
      next: () => done(reply, id, 'adjourned'),
      again: async (errors, status) => quoracyPage(reply, await load(request, id, 'chair'), values, errors, status),
    });
  });
}
