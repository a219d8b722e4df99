/**
 * Sending a secure download link to an address the recipient confirmed (A-5, T-7), and cancelling it: forms on the
 * sending page. The address is shown again in the page only, never put in a URL.
 */
import type { FastifyInstance } from 'fastify';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  idSchema,
  pageProblems,
  readDate,
  requestContext,
  text,
} from '../../forms/index.ts';
import { ConflictError } from '../../../domain/shared/errors.ts';
import { WRITE, conferenceParams, documentsBase, send } from './shared.ts';
import { type SendingPagesOptions, copyFields, sendingPageKit } from './sending-shared.ts';

export function sendingSecureLinkRoutes(app: FastifyInstance, { sending }: SendingPagesOptions): void {
  const { load, page, fieldId, problems } = sendingPageKit(sending);

  app.post('/conferences/:id/documents/sending/secure-link', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const ids = copyFields.safeParse(body);
    const view = await load(request, id);
    const key = ids.success ? fieldId(view, ids.data.draftId, ids.data.issueNumber, ids.data.recipientInviteeId) : null;
    const errors: FormError[] = [];
    if (!ids.success || !key) errors.push({ text: 'Choose a recipient from the list', href: '#main-content' });
    const dateId = `confirmedOn-${key}`;
    const typed = dateFields(body, 'confirmedOn');
    const confirmedOn = readDate(typed, 'confirmedOn', 'The date the address was confirmed', errors);
    for (const e of errors) if (e.href === '#confirmedOn-day') e.href = `#${dateId}-day`;
    const input = {
      email: text(body, 'email', 320),
      emailAgain: text(body, 'emailAgain', 320),
      confirmedHow: text(body, 'confirmedHow', 40),
    };
    // Everything typed comes back under this recipient's form (the address in the page only, never in a URL).
    const values: FormValues = {
      [`email-${key}`]: input.email,
      [`emailAgain-${key}`]: input.emailAgain,
      [`confirmedHow-${key}`]: input.confirmedHow,
      ...Object.fromEntries(Object.entries(typed).map(([k, v]) => [k.replace('confirmedOn', dateId), v])),
    };
    const where = (field: string) =>
      field === 'confirmedOn'
        ? `${dateId}-day`
        : ['email', 'emailAgain', 'confirmedHow'].includes(field)
          ? `${field}-${key}`
          : `recipient-${key}`;
    return send({
      errors,
      call: () =>
        sending.secureLink(
          request.actor!,
          id,
          { ...ids.data!, ...input, confirmedOn: confirmedOn ?? '' },
          requestContext(request),
        ),
      next: () => reply.redirect(`${documentsBase(id)}/sending?done=secure-link#recipient-${key}`, 303),
      problems: (err) => (err instanceof ConflictError ? problems(key)(err) : pageProblems(err, where)),
      again: async (errors, status) =>
        page(request, reply, status === 409 ? await load(request, id) : view, null, values, errors, status),
    });
  });

  app.post('/conferences/:id/documents/sending/cancel-link', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const sendingId = idSchema.safeParse(body['sendingId']);
    const reason = text(body, 'reason', 1000);
    const view = await load(request, id);
    const field = sendingId.success ? `reason-${sendingId.data}` : 'main-content';
    const errors: FormError[] = sendingId.success
      ? []
      : [{ text: 'Choose a link from the list', href: '#main-content' }];
    if (!errors.length && !reason.trim())
      errors.push({ text: 'Enter why the link is being cancelled', href: `#${field}` });
    return send({
      errors,
      call: () =>
        sending.revokeLink(request.actor!, id, { sendingId: sendingId.data!, reason }, requestContext(request)),
      next: () => reply.redirect(`${documentsBase(id)}/sending?done=cancelled`, 303),
      problems: (err) =>
        err instanceof ConflictError
          ? { status: 409 as const, errors: [{ text: err.message, href: `#${field}` }] }
          : pageProblems(err, () => field),
      again: async (errors, status) =>
        page(
          request,
          reply,
          status === 409 ? await load(request, id) : view,
          null,
          { [field]: reason },
          errors,
          status,
        ),
    });
  });
}
