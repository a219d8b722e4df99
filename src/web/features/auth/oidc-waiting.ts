/** An administrator gives roles to an account made by a council sign-in, which enables it in the same step. */
import type { FastifyInstance } from 'fastify';
import type { CouncilSignInService } from '../../../app/accounts/council-sign-in.ts';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { isRole } from '../../../domain/access/roles.ts';
import { asArray, bodyOf, fieldIds, idParams, problemsAsErrors, requestContext } from '../../forms/index.ts';
import { ADMIN, userPageWithErrors } from '../admin/user-page.ts';

export function waitingAccountPages(
  app: FastifyInstance,
  deps: { accounts: AccountsService; service: CouncilSignInService },
): void {
  app.post('/admin/users/:id/give-roles', { config: ADMIN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const roles = asArray(bodyOf(request)['roles']).filter(isRole);
    try {
      await deps.service.giveRoles(id, roles, requestContext(request));
    } catch (err) {
      const errors = problemsAsErrors(err, fieldIds({ renames: { roles: 'roles' } }));
      return userPageWithErrors(reply, { accounts: deps.accounts, councilSignIn: deps.service }, id, { errors, roles });
    }
    reply.flash('user-roles-given');
    return reply.redirect(`/admin/users/${id}`, 303);
  });
}
