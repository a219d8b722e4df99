/**
 * The second step of signing in with a password: a code from the authenticator app, a recovery code, or a
 * passkey (offered when the browser runs JavaScript and the person has one). Wrong codes count towards the
 * same lock-outs as wrong passwords; too many end the waiting session.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SecondFactorService, VerifyResult } from '../../../app/second-factor/second-factor-service.ts';
import { bodyOf, zodErrors } from '../../forms/index.ts';
import { SECOND_FACTOR_PATH } from '../../plugins/auth.ts';
import { landSignedIn } from '../auth/sign-in.ts';
import { isPending, parseJsonField, pendingOf, returnToOf } from './pending.ts';

const codeForm = z.object({
  code: z
    .string()
    .trim()
    .min(1, 'Enter the code from your authenticator app, or a recovery code')
    .max(64, 'Enter the 6-digit code from your authenticator app, or a recovery code'),
});

const WRONG = 'The code is not correct. Enter the 6-digit code your authenticator app shows now, or a recovery code';
const REPLAYED = 'That code has already been used. Wait for your authenticator app to show a new code and enter that';
const PASSKEY_FAILED = 'Your passkey could not be checked. Try again, or enter a code instead';

/** Guessing is limited per address like the password form, on top of the per-account lock-outs. */
const LIMITED = { access: 'public' as const, rateLimit: { max: 30, timeWindow: '15 minutes' } };

export function verifyPages(
  app: FastifyInstance,
  { secondFactor, keptCookie }: { secondFactor: SecondFactorService; keptCookie: string },
): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    extra: { errors?: Array<{ text: string; href: string }> } = {},
  ) => {
    const status = await secondFactor.status(userId);
    return reply.view('second-factor/verify.njk', {
      title: 'Enter your security code',
      returnTo: returnToOf(request),
      hasPasskeys: status.passkeys > 0,
      ...extra,
    });
  };

  /** Signed in, locked out, or the page again with what went wrong. */
  const answer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    result: VerifyResult,
    href: string,
  ) => {
    if (result.ok) {
      if (result.method === 'recovery-code') reply.flash('recovery-code-used');
      return landSignedIn(app, request, reply, {
        sessionToken: result.sessionToken,
        user: result.user,
        returnTo: returnToOf(request),
        keptCookie,
      });
    }
    if (result.reason === 'no-session') return reply.redirect('/sign-in', 303);
    if (result.reason === 'locked') {
      app.clearSessionCookie(reply);
      return reply.redirect('/sign-in?reason=locked', 303);
    }
    reply.code(400);
    const text = href === '#passkey' ? PASSKEY_FAILED : result.reason === 'replayed' ? REPLAYED : WRONG;
    return render(request, reply, userId, { errors: [{ text, href }] });
  };

  app.get(SECOND_FACTOR_PATH, { config: { access: 'public' } }, async (request, reply) => {
    const pending = pendingOf(request, reply);
    if (!isPending(pending)) return pending;
    const status = await secondFactor.status(pending.userId);
    if (!status.enrolled)
      return reply.redirect(`/second-factor/set-up?returnTo=${encodeURIComponent(returnToOf(request))}`, 303);
    return render(request, reply, pending.userId);
  });

  app.post(SECOND_FACTOR_PATH, { config: LIMITED }, async (request, reply) => {
    const pending = pendingOf(request, reply);
    if (!isPending(pending)) return pending;
    const parsed = codeForm.safeParse(bodyOf(request));
    if (!parsed.success) {
      reply.code(400);
      return render(request, reply, pending.userId, { errors: zodErrors(parsed.error) });
    }
    const result = await secondFactor.verifyCode(pending.sessionToken, parsed.data.code, {
      correlationId: request.id,
      clientAddress: request.ip,
    });
    return answer(request, reply, pending.userId, result, '#code');
  });

  // The passkey, with JavaScript: the options for the browser (JSON), then its answer posted as a normal form.
  app.post(`${SECOND_FACTOR_PATH}/passkey-options`, { config: LIMITED }, async (request, reply) => {
    const pending = pendingOf(request, reply);
    if (!isPending(pending)) return reply.code(401).send({ error: 'not_signing_in' });
    return reply.send(await secondFactor.passkeySignInOptions(pending.sessionToken));
  });

  app.post(`${SECOND_FACTOR_PATH}/passkey`, { config: LIMITED }, async (request, reply) => {
    const pending = pendingOf(request, reply);
    if (!isPending(pending)) return pending;
    const response = parseJsonField(String(bodyOf(request)['response'] ?? ''));
    const result = await secondFactor.verifyPasskey(pending.sessionToken, response, {
      correlationId: request.id,
      clientAddress: request.ip,
    });
    return answer(request, reply, pending.userId, result, '#passkey');
  });
}
