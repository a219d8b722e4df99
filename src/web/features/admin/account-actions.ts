/** What an administrator does to an account: reset its password, set its roles, disable or enable it. */
import type { FastifyInstance } from 'fastify';
import { isRole } from '../../../domain/access/roles.ts';
import { asArray, bodyOf, fieldIds, idParams, problemsAsErrors, requestContext } from '../../forms/index.ts';
import { ADMIN, type AdminDeps, userPageWithErrors } from './user-page.ts';

export function accountActions(app: FastifyInstance, deps: AdminDeps): void {
  const { accounts } = deps;
  // The administrator never sets or sees the new password: the person gets a one-time link (emailed, or shown here once).
  app.post('/admin/users/:id/reset-password', { config: ADMIN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    let result;
    try {
      result = await accounts.resetPassword(id, requestContext(request));
    } catch (err) {
      return userPageWithErrors(reply, deps, id, { errors: problemsAsErrors(err) });
    }
    if (result.delivery === 'emailed') {
      reply.flash('password-reset-emailed');
      return reply.redirect(`/admin/users/${id}`, 303);
    }
    return reply.view('admin/reset-link.njk', {
      title: 'Password reset',
      user: result.user,
      link: result.link,
      expiresAt: result.expiresAt,
    });
  });

  app.post('/admin/users/:id/roles', { config: ADMIN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const roles = asArray(bodyOf(request)['roles']).filter(isRole);
    try {
      await accounts.setRoles(id, roles, requestContext(request));
    } catch (err) {
      const errors = problemsAsErrors(err, fieldIds({ renames: { roles: 'roles' } }));
      return userPageWithErrors(reply, deps, id, { errors, roles });
    }
    reply.flash('user-roles-saved');
    return reply.redirect(`/admin/users/${id}`, 303);
  });

  app.post('/admin/users/:id/disable', { config: ADMIN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    try {
      await accounts.disableUser(id, requestContext(request));
    } catch (err) {
      return userPageWithErrors(reply, deps, id, { errors: problemsAsErrors(err) });
    }
    reply.flash('user-disabled');
    return reply.redirect(`/admin/users/${id}`, 303);
  });

  app.post('/admin/users/:id/enable', { config: ADMIN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    await accounts.enableUser(id, requestContext(request));
    reply.flash('user-enabled');
    return reply.redirect(`/admin/users/${id}`, 303);
  });
}
