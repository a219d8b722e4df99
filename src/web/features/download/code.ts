/** The one-time code: sent (or sent again) to the verified address, then typed in to open the files. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DEFAULT_DELIVERY_SETTINGS } from '../../../domain/requests/delivery.ts';
import { englandTimeOnDate } from '../../../domain/calendar/index.ts';
import { type FormError, bodyOf, requestContext, str } from '../../forms/index.ts';
import {
  type DownloadDeps,
  FORM,
  GRANT_COOKIE,
  PAGE,
  PATH_SCOPE,
  base,
  isUnavailable,
  landing,
  tokenOf,
  unavailableFor,
} from './pages.ts';

const grantMaxAge = Math.floor(DEFAULT_DELIVERY_SETTINGS.grantLifetimeMs / 1000);
const NEW_CODE = { needNewCode: true, values: {} };

export function codePages(app: FastifyInstance, deps: DownloadDeps): void {
  const { deliveries } = deps;

  app.post('/copy/:token/code', { config: FORM }, async (request, reply) => {
    const token = tokenOf(request);
    const r = await deliveries.sendCode(token, requestContext(request));
    if (isUnavailable(r.status)) return unavailableFor(deps, token, reply, r.status);
    if (r.status === 'too-many') {
      reply.code(429);
      const text = `You have asked for too many codes. You can ask for a new code after ${englandTimeOnDate(r.retryAt)}`;
      return landing(deps, request, reply, { errors: [{ text, href: '#send-code' }] });
    }
    return reply.redirect(`${base(token)}/code`, 303);
  });

  app.get('/copy/:token/code', { config: PAGE }, async (request, reply) => {
    const token = tokenOf(request);
    const opened = await deliveries.open(token, requestContext(request));
    if (opened.status !== 'active') return unavailableFor(deps, token, reply, opened.status);
    return reply.view('download/code.njk', { title: 'Enter the code we sent you', base: base(token), values: {} });
  });

  app.post('/copy/:token/code/check', { config: FORM }, async (request, reply) => {
    const token = tokenOf(request);
    const typed = str(bodyOf(request)['code']);
    const page = (reply: FastifyReply, text: string, href: string, extra: Record<string, unknown> = {}) => {
      reply.code(400);
      const errors: FormError[] = [{ text, href }];
      const values = { code: typed.slice(0, 20) };
      return reply.view('download/code.njk', {
        title: 'Enter the code we sent you',
        base: base(token),
        errors,
        values,
        ...extra,
      });
    };
    if (!typed.trim()) return page(reply, 'Enter the 6-digit code from the email', '#code');
    const r = await deliveries.checkCode(token, typed, requestContext(request));
    switch (r.status) {
      case 'ok': {
        const cookie = { path: PATH_SCOPE, httpOnly: true, sameSite: 'strict' as const, signed: true };
        reply.setCookie(GRANT_COOKIE, r.grant, { ...cookie, secure: deps.cookieSecure, maxAge: grantMaxAge });
        return reply.redirect(base(token), 303);
      }
      case 'invalid-format':
        return page(reply, 'The code must be 6 numbers, like 482915', '#code');
      case 'wrong': {
        const times = `${r.remaining} more ${r.remaining === 1 ? 'time' : 'times'}`;
        return page(reply, `The code is not correct. You can try ${times} before you need a new code`, '#code');
      }
      case 'locked':
        return page(reply, 'You entered the wrong code too many times. Ask for a new code', '#send-code', NEW_CODE);
      case 'code-expired':
        return page(reply, 'The code has expired. Ask for a new code', '#send-code', NEW_CODE);
      case 'no-code':
        return page(reply, 'This code can no longer be used. Ask for a new code', '#send-code', NEW_CODE);
      default:
        return unavailableFor(deps, token, reply, r.status);
    }
  });
}
