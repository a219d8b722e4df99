/** The signed notice of intent (P-1): attached to a request (multipart, checked by content) and opened (audited). */
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { idParams, pageProblems, readingContext, requestContext, readMultipart, versionOf } from '../../forms/index.ts';
import { requestPage } from './request.ts';
import { EDIT, MULTIPART_LIMITS, type RecordingPermissionPagesOptions, VIEW, requestHref } from './shared.ts';

export function undertakingPages(app: FastifyInstance, { recordingPermission }: RecordingPermissionPagesOptions): void {
  void app.register(async (scoped) => {
    await scoped.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: false });
    scoped.post(
      '/recording-permission/:requestId/undertaking',
      { config: { ...EDIT, multipartCsrf: true } },
      async (request, reply) => {
        const { requestId } = idParams('requestId').parse(request.params);
        const parts = request.checkedParts;
        if (!request.isMultipart() || !parts) return reply.code(400).view('errors/bad-request.njk');
        const { body, file, tooLarge } = await readMultipart(parts);
        const again = async (errors: Array<{ text: string; href: string }>, status: 400 | 409) => {
          const d = await recordingPermission.detail(request.actor!, requestId, readingContext(request));
          return requestPage(reply, d, null, {}, errors, status);
        };
        if (tooLarge) return again([{ text: 'The selected file must be smaller than 10 MB', href: '#file' }], 400);
        try {
          await recordingPermission.attachUndertaking(
            request.actor!,
            requestId,
            { content: file, version: versionOf(body) },
            requestContext(request),
          );
        } catch (err) {
          const { status, errors } = pageProblems(err);
          return again(errors, status);
        }
        return reply.redirect(`${requestHref(requestId)}?done=undertaking`, 303);
      },
    );
  });

  app.get('/recording-permission/:requestId/undertaking', { config: VIEW }, async (request, reply) => {
    const { requestId } = idParams('requestId').parse(request.params);
    const file = await recordingPermission.undertakingFile(request.actor!, requestId, requestContext(request));
    reply.header('Content-Type', file.mediaType);
    reply.header(
      'Content-Disposition',
      `attachment; filename="signed-notice-of-intent.${file.format === 'jpeg' ? 'jpg' : file.format}"`,
    );
    reply.header('Content-Length', String(file.size));
    return reply.send(file.stream);
  });
}

/** P-1: email the requester a secure link to read and confirm the undertaking. */
export function sendLinkPage(app: FastifyInstance, { recordingPermission }: RecordingPermissionPagesOptions): void {
  app.post('/recording-permission/:requestId/link', { config: EDIT }, async (request, reply) => {
    const { requestId } = idParams('requestId').parse(request.params);
    try {
      await recordingPermission.sendUndertakingLink(request.actor!, requestId, requestContext(request));
    } catch (err) {
      const { status, errors } = pageProblems(err);
      const d = await recordingPermission.detail(request.actor!, requestId, readingContext(request));
      return requestPage(reply, d, null, {}, errors, status);
    }
    return reply.redirect(`${requestHref(requestId)}?done=link`, 303);
  });
}
