/** Cancelling a planned conference, with check your answers before it is confirmed. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  pickValues,
  requestContext,
  str,
} from '../../../forms/index.ts';
import { serviceErrors } from '../convening-forms.ts';
import { type ChangeServices, EDIT, closed, recipientRows, when } from './shared.ts';

const reasonOf = (values: FormValues) => ({ reason: str(values['reason']) });

export function cancelPages(app: FastifyInstance, { convening, rearrangement }: ChangeServices): void {
  const render = async (request: FastifyRequest, reply: FastifyReply, values: FormValues, errors: FormError[] = []) => {
    const { id } = idParams('id').parse(request.params);
    const o = await convening.getConference(request.actor!, id, requestContext(request));
    if (o.conference.status !== 'planned')
      return closed(reply, o, `This conference is ${o.statusLabel.toLowerCase()}: it can no longer be cancelled`);
    if (errors.length) reply.code(400);
    return reply.view('conferences/change/cancel.njk', {
      title: 'Cancel the conference',
      o,
      values,
      errors,
      when: when(o.conference.scheduledDate, o.conference.startTime),
    });
  };

  app.get('/conferences/:id/cancel', { config: EDIT }, async (request, reply) => render(request, reply, {}));

  app.post('/conferences/:id/cancel', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const values = pickValues(bodyOf(request), ['reason']);
    try {
      const p = await rearrangement.prepareCancellation(request.actor!, id, reasonOf(values), requestContext(request));
      return reply.view('conferences/change/cancel-check.njk', {
        title: 'Check the cancellation before confirming it',
        o: p.overview,
        reason: p.reason,
        when: when(p.overview.conference.scheduledDate, p.overview.conference.startTime),
        recipients: recipientRows(p.notify),
      });
    } catch (err) {
      return render(request, reply, values, serviceErrors(err, values));
    }
  });

  app.post('/conferences/:id/cancel/confirm', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const body = bodyOf(request);
    const values = pickValues(body, ['reason']);
    if (body['action'] === 'edit') return render(request, reply, values);
    try {
      await rearrangement.cancel(request.actor!, id, reasonOf(values), requestContext(request));
    } catch (err) {
      return render(request, reply, values, serviceErrors(err, values));
    }
    reply.flash('conference-cancelled');
    return reply.redirect(`/conferences/${id}`, 303);
  });
}
