/**
 * Recording a copy as posted, with the date it went (W-6, T-6): a form on the sending page.
 */
import type { FastifyInstance } from 'fastify';
import { type FormError, bodyOf, dateFields, readDate, requestContext } from '../../forms/index.ts';
import { WRITE, conferenceParams, documentsBase, send } from './shared.ts';
import { type SendingPagesOptions, copyFields, sendingPageKit } from './sending-shared.ts';

export function sendingPostedRoutes(app: FastifyInstance, { sending }: SendingPagesOptions): void {
  const { load, page, fieldId, problems } = sendingPageKit(sending);

  app.post('/conferences/:id/documents/sending/posted', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const ids = copyFields.safeParse(body);
    const view = await load(request, id);
    const key = ids.success ? fieldId(view, ids.data.draftId, ids.data.issueNumber, ids.data.recipientInviteeId) : null;
    const typed = dateFields(body, 'postedOn');
    const errors: FormError[] = [];
    if (!ids.success || !key) errors.push({ text: 'Choose a recipient from the list', href: '#main-content' });
    const dateId = `postedOn-${key}`;
    const postedOn = readDate(typed, 'postedOn', 'The date posted', errors);
    for (const e of errors) if (e.href === '#postedOn-day') e.href = `#${dateId}-day`;
    if (!postedOn && !errors.length)
      errors.push({ text: 'Enter the date the copy was posted', href: `#${dateId}-day` });
    // The boxes as typed, under this recipient's form.
    const values = Object.fromEntries(Object.entries(typed).map(([k, v]) => [k.replace('postedOn', dateId), v]));
    return send({
      errors,
      call: () =>
        sending.recordPosted(request.actor!, id, { ...ids.data!, postedOn: postedOn! }, requestContext(request)),
      next: () => reply.redirect(`${documentsBase(id)}/sending?done=posted#recipient-${key}`, 303),
      problems: problems(key),
      again: async (errors, status) =>
        page(request, reply, status === 409 ? await load(request, id) : view, null, values, errors, status),
    });
  });
}
