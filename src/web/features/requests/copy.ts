/**
 * Preparing the copy: starting it from the request's page, then the copy's page, which shows its
 * progress in a live region (copy-player.ts answers the script), links to listen to it once ready, and
 * the form that records it as prepared.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestService } from '../../../app/requests/request-service.ts';
import { REQUEST_STEP_ROLES } from '../../../domain/requests/index.ts';
import { bodyOf, idParams, requestContext, text } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import { LISTEN_ROLES } from './copy-player.ts';
import { ruleErrors } from './forms.ts';
import { renderRequestPage } from './request-page.ts';
import { requestBase, requestModel } from './shared.ts';

const PREPARE = { config: { access: REQUEST_STEP_ROLES['prepare-copy'] } };

/** The copy's page; with errors, as a 400. A copy made for another request is not found. */
async function renderCopyPage(
  requests: RequestService,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  copyId: string,
  errors: FormError[] = [],
) {
  const found = await requests.copyPage(request.actor!, id, copyId, requestContext(request));
  if (!found) return reply.callNotFound();
  const { view, copy: progress } = found;
  const running = progress.state === 'queued' || progress.state === 'running';
  if (errors.length) reply.code(400);
  return reply.view('requests/copy-progress.njk', {
    title: running
      ? 'Preparing the copy'
      : progress.state === 'ready'
        ? 'The copy is ready'
        : 'The copy could not be prepared',
    ...requestModel(view),
    copyId,
    progress,
    percent: Math.max(0, Math.min(100, Math.round(progress.percent))),
    running,
    progressUrl: `${requestBase(id)}/copies/${copyId}/progress`,
    mayRecord: view.actions.includes('prepare-copy'),
    listenLinks:
      progress.state === 'ready'
        ? progress.files.map((f) => ({
            href: `${requestBase(id)}/copies/${copyId}/files/${f.fileId}`,
            text: progress.files.length > 1 ? `Listen to recording ${f.ordinal} of the copy` : 'Listen to the copy',
          }))
        : [],
    mayApprove: view.actions.includes('approve-copy') && view.copy?.copyId === copyId,
    errors,
  });
}

export async function copyRoutes(app: FastifyInstance, opts: { requests: RequestService }): Promise<void> {
  const { requests } = opts;
  const requestParams = idParams('id');
  const copyParams = idParams('id', 'copyId');

  app.post('/requests/:id/copy', PREPARE, async (request, reply) => {
    const { id } = requestParams.parse(request.params);
    try {
      const { copyId } = await requests.startCopy(request.actor!, id, requestContext(request));
      return reply.redirect(`${requestBase(id)}/copies/${copyId}`, 303);
    } catch (err) {
      return renderRequestPage(requests, request, reply, id, {
        openStep: 'prepare-copy',
        errors: ruleErrors(err, 'prepare-copy').map((e) =>
          e.href === '#main-content' || e.href.startsWith('#prepare-copy') ? { ...e, href: '#prepare-copy' } : e,
        ),
      });
    }
  });

  // Whoever prepares or may approve a copy sees it, and listens to it there (copy-player.ts).
  app.get('/requests/:id/copies/:copyId', { config: { access: LISTEN_ROLES } }, async (request, reply) => {
    const { id, copyId } = copyParams.parse(request.params);
    return renderCopyPage(requests, request, reply, id, copyId);
  });

  app.post('/requests/:id/copies/:copyId', PREPARE, async (request, reply) => {
    const { id, copyId } = copyParams.parse(request.params);
    const version = Number.parseInt(text(bodyOf(request), 'version'), 10);
    try {
      const ctx = requestContext(request);
      await requests.prepareCopy(request.actor!, id, Number.isSafeInteger(version) ? version : -1, copyId, ctx);
    } catch (err) {
      const errors = ruleErrors(err).map((e) => ({ ...e, href: '#record-copy' }));
      return renderCopyPage(requests, request, reply, id, copyId, errors);
    }
    return reply.redirect(`${requestBase(id)}?done=prepare-copy`, 303);
  });
}
