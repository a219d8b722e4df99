/**
 * P-1, P-7: the requester's own pages, opened from the secure link emailed to them (no account): what they are
 * asked to agree to, a one-time code sent to their email, and the confirmation. Rate-limited per IP address; the
 * token is in the path (never logged: logs carry route patterns) and only its digest is stored.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UNDERTAKING_LINK_PATH } from '../../../app/recording-permission/service.ts';
import type { LinkStatus, UndertakingLinkService } from '../../../app/recording-permission/undertaking-link.ts';
import { type FormError, bodyOf, pageProblems, requestContext, str, ticked } from '../../forms/index.ts';

const PAGE = { access: 'public' as const, rateLimit: { max: 60, timeWindow: '15 minutes' } };
const FORM = { access: 'public' as const, rateLimit: { max: 30, timeWindow: '15 minutes' } };

const UNAVAILABLE: Record<Exclude<LinkStatus, 'active'>, { status: number; title: string }> = {
  unknown: { status: 404, title: 'This link does not work' },
  expired: { status: 410, title: 'This link has expired' },
  revoked: { status: 410, title: 'This link no longer works' },
  confirmed: { status: 200, title: 'You have confirmed your undertaking' },
};

const tokenOf = (request: FastifyRequest) => str((request.params as Record<string, unknown>)['token']).slice(0, 200);
const base = (token: string) => `${UNDERTAKING_LINK_PATH}${token}`;

export function linkPages(
  app: FastifyInstance,
  { undertakingLinks }: { undertakingLinks: UndertakingLinkService },
): void {
  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FormError[]; values?: Record<string, unknown>; status?: number } = {},
  ) => {
    const token = tokenOf(request);
    const opened = await undertakingLinks.open(token, requestContext(request));
    if (opened.status !== 'active') {
      const u = UNAVAILABLE[opened.status];
      reply.code(u.status);
      return reply.view('recording-permission/link-closed.njk', { title: u.title, status: opened.status });
    }
    if (extra.status) reply.code(extra.status);
    return reply.view('recording-permission/link.njk', {
      title: 'Confirm your undertaking not to share the recording',
      base: base(token),
      p: opened,
      errors: extra.errors ?? [],
      values: extra.values ?? {},
    });
  };

  app.get(`${UNDERTAKING_LINK_PATH}:token`, { config: PAGE }, async (request, reply) => page(request, reply));

  app.post(`${UNDERTAKING_LINK_PATH}:token/code`, { config: FORM }, async (request, reply) => {
    const token = tokenOf(request);
    const r = await undertakingLinks.sendCode(token, requestContext(request));
    if (r.status === 'too-many')
      return page(request, reply, {
        status: 429,
        errors: [
          {
            text: 'You have asked for too many codes with this link. Ask your social worker to send you a new link',
            href: '#send-code',
          },
        ],
      });
    return reply.redirect(`${base(token)}#code`, 303);
  });

  app.post(`${UNDERTAKING_LINK_PATH}:token`, { config: FORM }, async (request, reply) => {
    const token = tokenOf(request);
    const body = bodyOf(request);
    const values = { agreed: ticked(body, 'agreed').includes('yes'), name: str(body['name']).slice(0, 300) };
    try {
      await undertakingLinks.confirm(
        token,
        { code: str(body['code']).slice(0, 20), name: values.name, agreed: values.agreed },
        requestContext(request),
      );
    } catch (err) {
      const { errors } = pageProblems(err);
      return page(request, reply, { errors, values, status: 400 });
    }
    return reply.redirect(base(token), 303);
  });
}
