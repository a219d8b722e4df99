/**
 * An administrator resets someone's sign-in security (a lost phone, or recovery codes gone): their authenticator
 * app, recovery codes and passkeys are removed and their sessions end; they set up an authenticator app again
 * at their next sign-in. A reason is required and kept in the audit trail.
 */
import type { FastifyInstance } from 'fastify';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { RESET_REASON_MAX, type SecondFactorService } from '../../../app/second-factor/second-factor-service.ts';
import { bodyOf, idParams, problemsAsErrors, requestContext, str } from '../../forms/index.ts';

const ADMIN = { access: ['admin'] as const };

export function adminResetPages(
  app: FastifyInstance,
  { secondFactor, accounts }: { secondFactor: SecondFactorService; accounts: AccountsService },
): void {
  const path = '/admin/users/:id/sign-in-security';

  app.get(path, { config: ADMIN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const user = await accounts.getUser(id);
    return reply.view('second-factor/admin-reset.njk', {
      title: 'Reset sign-in security',
      user,
      status: await secondFactor.status(id),
      reasonMax: RESET_REASON_MAX,
      values: {},
    });
  });

  app.post(path, { config: ADMIN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const reason = str(bodyOf(request)['reason']);
    try {
      await secondFactor.resetFactors(id, reason, requestContext(request));
    } catch (err) {
      reply.code(400);
      return reply.view('second-factor/admin-reset.njk', {
        title: 'Reset sign-in security',
        user: await accounts.getUser(id),
        status: await secondFactor.status(id),
        reasonMax: RESET_REASON_MAX,
        errors: problemsAsErrors(err),
        values: { reason },
      });
    }
    reply.flash('second-factor-reset');
    return reply.redirect(`/admin/users/${id}`, 303);
  });
}
