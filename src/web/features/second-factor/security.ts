/**
 * Sign-in security on the person's own account: their passkeys (added with a name, listed, removed) and
 * new recovery codes. Adding a passkey needs JavaScript (the browser's passkey prompt); everything else
 * is a plain form.
 */
import type { FastifyInstance } from 'fastify';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { PASSKEY_NAME_MAX, type SecondFactorService } from '../../../app/second-factor/second-factor-service.ts';
import { parseJsonField } from './pending.ts';
import { bodyOf, idParams, problemsAsErrors, requestContext, str } from '../../forms/index.ts';

export const SECURITY_PATH = '/account/sign-in-security';
const SIGNED_IN = { access: 'signed-in' as const };

export function securityPages(
  app: FastifyInstance,
  { secondFactor, accounts }: { secondFactor: SecondFactorService; accounts: AccountsService },
): void {
  const page = async (userId: string) => ({
    title: 'Sign-in security',
    status: await secondFactor.status(userId),
    passkeys: await secondFactor.listPasskeys(userId),
    nameMax: PASSKEY_NAME_MAX,
  });

  app.get(SECURITY_PATH, { config: SIGNED_IN }, async (request, reply) =>
    reply.view('second-factor/security.njk', { ...(await page(request.actor!.id)), values: {} }),
  );

  // The browser's options to create a passkey (JSON, for the page's script), bound to this session.
  app.post(`${SECURITY_PATH}/passkey-options`, { config: SIGNED_IN }, async (request, reply) => {
    const user = await accounts.getUser(request.actor!.id);
    return reply.send(await secondFactor.passkeyRegistrationOptions(user, request.sessionToken!));
  });

  app.post(`${SECURITY_PATH}/passkeys`, { config: SIGNED_IN }, async (request, reply) => {
    const body = bodyOf(request);
    const response = parseJsonField(str(body['response']));
    try {
      await secondFactor.registerPasskey(
        request.actor!.id,
        request.sessionToken!,
        { name: str(body['name']), response },
        requestContext(request),
      );
      reply.flash('passkey-added');
      return reply.redirect(SECURITY_PATH, 303);
    } catch (err) {
      reply.code(400);
      return reply.view('second-factor/security.njk', {
        ...(await page(request.actor!.id)),
        errors: problemsAsErrors(err),
        values: { name: str(body['name']) },
      });
    }
  });

  app.post(`${SECURITY_PATH}/passkeys/:id/remove`, { config: SIGNED_IN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    await secondFactor.removePasskey(request.actor!.id, id, requestContext(request));
    reply.flash('passkey-removed');
    return reply.redirect(SECURITY_PATH, 303);
  });

  app.post(`${SECURITY_PATH}/recovery-codes`, { config: SIGNED_IN }, async (request, reply) => {
    const codes = await secondFactor.renewRecoveryCodes(request.actor!.id, requestContext(request));
    // Shown on this response only: only their digests are kept.
    return reply.view('second-factor/recovery-codes.njk', {
      title: 'Your recovery codes',
      codes,
      continueTo: SECURITY_PATH,
      firstTime: false,
    });
  });
}
