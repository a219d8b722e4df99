/**
 * Setting up an authenticator app, required before anything else for someone signing in with a password who
 * has no second factor (a new account, or after an administrator's reset). The secret is shown as a QR code
 * to scan (inline SVG drawn on the server, no JavaScript), as an otpauth:// link and in groups of 4 to type
 * in; a code from the app confirms it. Then 10 recovery codes, shown on that response only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import type { SecondFactorService } from '../../../app/second-factor/second-factor-service.ts';
import { bodyOf, problemsAsErrors, zodErrors } from '../../forms/index.ts';
import { SECOND_FACTOR_PATH } from '../../plugins/auth.ts';
import { isPending, pendingContext, pendingOf, returnToOf } from './pending.ts';
import { qrCodeSvg } from './qr-code.ts';

const confirmForm = z.object({
  code: z
    .string()
    .trim()
    .min(1, 'Enter the 6-digit code your authenticator app shows')
    .max(20, 'Enter the 6-digit code your authenticator app shows'),
});

export const SET_UP_PATH = '/second-factor/set-up';

export function setUpPages(
  app: FastifyInstance,
  {
    secondFactor,
    accounts,
    keptCookie,
  }: { secondFactor: SecondFactorService; accounts: AccountsService; keptCookie: string },
): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    extra: { errors?: Array<{ text: string; href: string }> } = {},
  ) => {
    const user = await accounts.getUser(userId);
    const app = await secondFactor.startAppEnrolment(user);
    return reply.view('second-factor/set-up.njk', {
      title: 'Set up an authenticator app',
      returnTo: returnToOf(request),
      uri: app.uri,
      qrSvg: await qrCodeSvg(app.uri),
      groups: app.groups,
      ...extra,
    });
  };

  app.get(SET_UP_PATH, { config: { access: 'public' } }, async (request, reply) => {
    const pending = pendingOf(request, reply);
    if (!isPending(pending)) return pending;
    if ((await secondFactor.status(pending.userId)).enrolled)
      return reply.redirect(`${SECOND_FACTOR_PATH}?returnTo=${encodeURIComponent(returnToOf(request))}`, 303);
    return render(request, reply, pending.userId);
  });

  app.post(
    SET_UP_PATH,
    { config: { access: 'public', rateLimit: { max: 30, timeWindow: '15 minutes' } } },
    async (request, reply) => {
      const pending = pendingOf(request, reply);
      if (!isPending(pending)) return pending;
      const parsed = confirmForm.safeParse(bodyOf(request));
      if (!parsed.success) {
        reply.code(400);
        return render(request, reply, pending.userId, { errors: zodErrors(parsed.error) });
      }
      try {
        const done = await secondFactor.confirmAppEnrolment(
          pending.userId,
          parsed.data.code,
          { token: pending.sessionToken },
          pendingContext(request, pending.userId),
        );
        // Fully signed in from here; the codes are shown on this response only (stored as digests).
        app.setSessionCookie(reply, done.sessionToken!);
        return reply.view('second-factor/recovery-codes.njk', {
          title: 'Your recovery codes',
          codes: done.recoveryCodes,
          continueTo: request.cookies[keptCookie] ? '/kept-answers' : returnToOf(request),
          firstTime: true,
        });
      } catch (err) {
        reply.code(400);
        return render(request, reply, pending.userId, { errors: problemsAsErrors(err) });
      }
    },
  );
}
