/** P-3: the decision confirmed to the requester: the letter (and the email, where there is an address), checked first. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PermissionRequestDetail } from '../../../app/recording-permission/service.ts';
import {
  type FormError,
  bodyOf,
  idParams,
  readingContext,
  requestContext,
  submit,
  versionOf,
} from '../../forms/index.ts';
import { EDIT, type RecordingPermissionPagesOptions, VIEW, meetingText, render, requestHref } from './shared.ts';

function confirmPage(
  reply: FastifyReply,
  d: PermissionRequestDetail,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const r = d.request;
  return render(
    reply,
    'confirm.njk',
    r.confirmed ? 'The letter confirming the decision' : 'Confirm the decision to them',
    {
      r,
      d,
      caption: `${meetingText(r)} – ${r.requester.name}`,
      backHref: requestHref(r.id),
      action: `${requestHref(r.id)}/confirmation`,
      version: String(r.version),
      letterLines: (d.letter?.body ?? '').split('\n'),
    },
    errors,
    status,
  );
}

export function confirmPages(app: FastifyInstance, { recordingPermission }: RecordingPermissionPagesOptions): void {
  app.get('/recording-permission/:requestId/confirmation', { config: VIEW }, async (request, reply) => {
    const { requestId } = idParams('requestId').parse(request.params);
    const d = await recordingPermission.detail(request.actor!, requestId, requestContext(request));
    if (!d.letter) return reply.redirect(requestHref(d.request.id), 303);
    return confirmPage(reply, d);
  });

  app.post('/recording-permission/:requestId/confirmation', { config: EDIT }, async (request, reply) => {
    const { requestId } = idParams('requestId').parse(request.params);
    const body = bodyOf(request);
    return submit<unknown, unknown>({
      call: () =>
        recordingPermission.confirm(request.actor!, requestId, { version: versionOf(body) }, requestContext(request)),
      next: () => reply.redirect(`${requestHref(requestId)}?done=confirmed`, 303),
      again: async (errors, status) =>
        confirmPage(
          reply,
          await recordingPermission.detail(request.actor!, requestId, readingContext(request)),
          errors,
          status,
        ),
    });
  });
}
