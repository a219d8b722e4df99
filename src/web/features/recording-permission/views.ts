/** P-6: a professional's view on the conference being recorded, where professionals disagree the chair decides. */
import type { FastifyInstance } from 'fastify';
import { type FormValues, bodyOf, idParams, readingContext, requestContext, submit, text } from '../../forms/index.ts';
import { requestPage } from './request.ts';
import { EDIT, type RecordingPermissionPagesOptions, requestHref } from './shared.ts';

export function viewPages(app: FastifyInstance, { recordingPermission }: RecordingPermissionPagesOptions): void {
  app.post('/recording-permission/:requestId/views', { config: EDIT }, async (request, reply) => {
    const { requestId } = idParams('requestId').parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      inviteeId: text(body, 'inviteeId'),
      view: text(body, 'view'),
      reason: text(body, 'reason', 2_000),
    };
    return submit<unknown, unknown>({
      call: () =>
        recordingPermission.recordView(
          request.actor!,
          requestId,
          {
            inviteeId: values['inviteeId'] as string,
            view: values['view'] as string,
            reason: values['reason'] as string,
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`${requestHref(requestId)}?done=view#views`, 303),
      again: async (errors, status) =>
        requestPage(
          reply,
          await recordingPermission.detail(request.actor!, requestId, readingContext(request)),
          null,
          values,
          errors,
          status,
        ),
    });
  });
}
