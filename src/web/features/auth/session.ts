/** Staying signed in, and a form sent after the session had ended, ready to send again once signed in. */
import type { FastifyInstance } from 'fastify';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { bodyOf, requestContext, str } from '../../forms/index.ts';
import { safePath } from '../../plugins/auth.ts';

export interface SessionDeps {
  accounts: AccountsService;
  keptCookie: string;
  cookieSecure: boolean;
}

export function sessionPages(app: FastifyInstance, { accounts, keptCookie, cookieSecure }: SessionDeps): void {
  const keptCookieOpts = { path: '/', httpOnly: true, secure: cookieSecure, sameSite: 'lax' as const };

  // "Stay signed in" from the time-out warning: any signed-in request extends the session; this one does nothing else.
  app.post('/session/extend', { config: { access: 'signed-in' } }, async (request, reply) => {
    if (request.headers.accept?.includes('application/json'))
      return reply.send({ idleSeconds: Math.floor(accounts.sessionIdleMs / 1000) });
    return reply.redirect(safePath(str(bodyOf(request)['returnTo'])), 303);
  });

  // After signing in again: the form the person sent when their session had ended, ready to send again.
  app.get('/kept-answers', { config: { access: 'signed-in' } }, async (request, reply) => {
    const key = request.cookies[keptCookie];
    reply.clearCookie(keptCookie, keptCookieOpts);
    const kept = key ? await accounts.takeKeptForm(key, request.actor!, requestContext(request)) : null;
    if (!kept) return reply.redirect('/', 303);
    const fields = Object.entries(kept.fields).flatMap(([name, v]) =>
      (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })),
    );
    return reply.view('auth/kept-answers.njk', { title: 'You were signed out', action: kept.path, fields });
  });
}
