/** Whether a family member or child who is invited needs an interpreter, and the language. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayUseInterpreter } from '../../../../domain/conferences/invitees.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  pickValues,
  readingContext,
  requestContext,
  str,
} from '../../../forms/index.ts';
import { serviceErrors } from '../convening-forms.ts';
import { EDIT, type InvitationServices } from './shared.ts';

export function interpreterNeedPage(app: FastifyInstance, { convening }: InvitationServices): void {
  const renderInterpreterNeed = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const overview = await convening.getConference(request.actor!, id, readingContext(request));
    const invitee = overview.invitees.find((i) => i.id === inviteeId);
    if (!invitee || !mayUseInterpreter(invitee.kind)) return reply.code(404).view('errors/not-found.njk');
    if (errors.length) reply.code(400);
    return reply.view('conferences/convening/interpreter-need.njk', {
      title: `Does ${invitee.name} need an interpreter?`,
      o: overview,
      invitee,
      errors,
      values,
    });
  };

  app.get('/conferences/:id/invitations/:inviteeId/interpreter', { config: EDIT }, async (request, reply) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const overview = await convening.getConference(request.actor!, id, requestContext(request));
    const invitee = overview.invitees.find((i) => i.id === inviteeId);
    const values: FormValues = invitee?.interpreterLanguage
      ? { interpreterNeeded: 'yes', interpreterLanguage: invitee.interpreterLanguage }
      : { interpreterNeeded: 'no' };
    return renderInterpreterNeed(request, reply, values);
  });

  app.post('/conferences/:id/invitations/:inviteeId/interpreter', { config: EDIT }, async (request, reply) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const values = pickValues(bodyOf(request), ['interpreterNeeded', 'interpreterLanguage']);
    const answer = values['interpreterNeeded'];
    try {
      await convening.recordInterpreterNeed(
        request.actor!,
        id,
        inviteeId,
        {
          interpreterNeeded: answer === 'yes' ? true : answer === 'no' ? false : null,
          interpreterLanguage: str(values['interpreterLanguage']),
        },
        requestContext(request),
      );
    } catch (err) {
      return renderInterpreterNeed(request, reply, values, serviceErrors(err, values));
    }
    return reply.redirect(`/conferences/${id}#invitations`, 303);
  });
}
