/**
 * Emailing a recipient with an account a link to their copy (W-6, T-7): a form on the sending page.
 */
import type { FastifyInstance } from 'fastify';
import { bodyOf, requestContext } from '../../forms/index.ts';
import { WRITE, conferenceParams, documentsBase, send } from './shared.ts';
import { type SendingPagesOptions, copyFields, sendingPageKit } from './sending-shared.ts';

export function sendingEmailRoutes(app: FastifyInstance, { sending }: SendingPagesOptions): void {
  const { load, page, fieldId, problems } = sendingPageKit(sending);

  app.post('/conferences/:id/documents/sending/email', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const ids = copyFields.safeParse(bodyOf(request));
    const view = await load(request, id);
    const key = ids.success ? fieldId(view, ids.data.draftId, ids.data.issueNumber, ids.data.recipientInviteeId) : null;
    return send({
      errors: ids.success && key ? [] : [{ text: 'Choose a recipient from the list', href: '#main-content' }],
      call: () => sending.emailLink(request.actor!, id, ids.data!, requestContext(request)),
      next: () => reply.redirect(`${documentsBase(id)}/sending?done=emailed#recipient-${key}`, 303),
      problems: problems(key),
      again: async (errors, status) =>
        page(request, reply, status === 409 ? await load(request, id) : view, null, {}, errors, status),
    });
  });
}
