/** Recording how and when an invitation was sent by hand. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { INVITATION_METHOD_LABELS, INVITATION_METHODS } from '../../../../domain/conferences/invitations.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateParts,
  dateValues,
  idParams,
  readDate,
  pickValues,
  readingContext,
  requestContext,
} from '../../../forms/index.ts';
import { serviceErrors } from '../convening-forms.ts';
import { EDIT, type InvitationServices } from './shared.ts';

export function sentPage(app: FastifyInstance, { convening }: InvitationServices): void {
  const renderSent = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const overview = await convening.getConference(request.actor!, id, readingContext(request));
    const invitee = overview.invitees.find((i) => i.id === inviteeId);
    if (!invitee) return reply.code(404).view('errors/not-found.njk');
    if (errors.length) reply.code(400);
    return reply.view('conferences/convening/invitation-sent.njk', {
      title: invitee.invitedAt
        ? `Record the invitation to ${invitee.name} as sent again`
        : `Record the invitation to ${invitee.name} as sent`,
      o: overview,
      invitee,
      errors,
      values,
      methodItems: INVITATION_METHODS.map((m) => ({
        value: m,
        text: INVITATION_METHOD_LABELS[m],
        checked: values['method'] === m,
      })),
    });
  };

  app.get('/conferences/:id/invitations/:inviteeId/sent', { config: EDIT }, async (request, reply) =>
    renderSent(request, reply, { ...dateValues('sentOn', convening.today()) }),
  );

  app.post('/conferences/:id/invitations/:inviteeId/sent', { config: EDIT }, async (request, reply) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const values = pickValues(bodyOf(request), ['method', ...dateParts('sentOn')]);
    const errors: FormError[] = [];
    const sentOn = readDate(values, 'sentOn', 'The date it was sent', errors);
    if (errors.length) return renderSent(request, reply, values, errors);
    try {
      await convening.recordInvitationSent(
        request.actor!,
        id,
        inviteeId,
        { method: values['method'] || undefined, sentOn },
        requestContext(request),
      );
    } catch (err) {
      return renderSent(request, reply, values, serviceErrors(err, values));
    }
    return reply.redirect(`/conferences/${id}#invitations`, 303);
  });
}
