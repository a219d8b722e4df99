/** 002 §4.1: an administrator sets a member of staff's line manager, so a chair who manages the case is warned about. */
import type { FastifyInstance } from 'fastify';
import { bodyOf, idParams, problemsAsErrors, requestContext, text } from '../../forms/index.ts';
import { ADMIN, type AdminDeps, userPageWithErrors } from './user-page.ts';

export function lineManagerForm(app: FastifyInstance, deps: AdminDeps): void {
  const { chairing } = deps;
  if (!chairing) return;
  app.post('/admin/users/:id/line-manager', { config: ADMIN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const lineManagerId = text(bodyOf(request), 'lineManagerId');
    try {
      await chairing.setLineManager(id, lineManagerId || null, requestContext(request));
    } catch (err) {
      return userPageWithErrors(reply, deps, id, { errors: problemsAsErrors(err), values: { lineManagerId } });
    }
    reply.flash('user-line-manager-saved');
    return reply.redirect(`/admin/users/${id}`, 303);
  });
}
