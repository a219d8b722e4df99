import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DeliveryService } from '../../../app/requests/delivery-service.ts';
import { londonDateTime } from '../../../app/requests/delivery-service.ts';
import { DEFAULT_DELIVERY_SETTINGS } from '../../../domain/requests/delivery.ts';
import { bodyOf, requestContext } from '../../forms/index.ts';

/**
 * The requester's download pages. No sign-in: the link's token is the key, a one-time code sent to
 * the verified address opens the files, and a short-lived grant in an HttpOnly, SameSite=Strict cookie
 * scoped to /copy/ lets the browser download. Every page is rate-limited per IP address; the token is
 * never logged (logs carry the route pattern, and the logger redacts /copy/<token> wherever it appears).
 */

export const GRANT_COOKIE = 'cpcr_download';
const PATH_SCOPE = '/copy/';

/** Per IP address, for pages anyone holding a link could hammer. */
const PAGE_LIMIT = { max: 60, timeWindow: '15 minutes' } as const;
const FORM_LIMIT = { max: 30, timeWindow: '15 minutes' } as const;

const UNAVAILABLE = {
  unknown: { status: 404, title: 'This link does not work' },
  expired: { status: 410, title: 'This link has expired' },
  revoked: { status: 410, title: 'This link has been cancelled' },
  'used-up': { status: 410, title: 'This recording has already been downloaded' },
} as const;
type Unavailable = keyof typeof UNAVAILABLE;

const isUnavailable = (s: string): s is Unavailable => s in UNAVAILABLE;

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export async function downloadRoutes(
  app: FastifyInstance,
  opts: { deliveries: DeliveryService; cookieSecure: boolean; replyTo: string },
): Promise<void> {
  const { deliveries, replyTo } = opts;
  const grantMaxAge = Math.floor(DEFAULT_DELIVERY_SETTINGS.grantLifetimeMs / 1000);

  const tokenOf = (request: FastifyRequest) => (request.params as { token: string }).token;
  const base = (token: string) => `${PATH_SCOPE}${token}`;

  const grantOf = (request: FastifyRequest): string | null => {
    const raw = request.cookies[GRANT_COOKIE];
    if (!raw) return null;
    const r = request.unsignCookie(raw);
    return r.valid ? r.value : null;
  };

  const unavailable = async (reply: FastifyReply, status: Unavailable) => {
    reply.code(UNAVAILABLE[status].status);
    return reply.view('download/unavailable.njk', { title: UNAVAILABLE[status].title, status, replyTo });
  };

  /** The start page, or the files when the browser holds a grant. */
  const landing = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const token = tokenOf(request);
    const opened = await deliveries.open(token, requestContext(request));
    if (opened.status !== 'active') return unavailable(reply, opened.status);
    const view = { base: base(token), expiresAt: londonDateTime(opened.expiresAt), replyTo, ...extra };
    if (await deliveries.hasGrant(token, grantOf(request))) {
      return reply.view('download/files.njk', {
        title: 'Download the recording',
        ...view,
        files: opened.files.map((f) => ({ ...f, size: formatSize(f.sizeBytes) })),
      });
    }
    return reply.view('download/start.njk', { title: 'Download a copy of a conference recording', ...view });
  };

  const config = (limit: typeof PAGE_LIMIT | typeof FORM_LIMIT) => ({ access: 'public' as const, rateLimit: limit });

  app.get('/copy/:token', { config: config(PAGE_LIMIT) }, async (request, reply) => landing(request, reply));

  // Send (or send again) a one-time code to the verified address.
  app.post('/copy/:token/code', { config: config(FORM_LIMIT) }, async (request, reply) => {
    const token = tokenOf(request);
    const r = await deliveries.sendCode(token, requestContext(request));
    if (isUnavailable(r.status)) return unavailable(reply, r.status);
    if (r.status === 'too-many') {
      reply.code(429);
      const errors = [
        {
          text: `You have asked for too many codes. You can ask for a new code after ${londonDateTime(r.retryAt)}`,
          href: '#send-code',
        },
      ];
      return landing(request, reply, { errors });
    }
    return reply.redirect(`${base(token)}/code`, 303);
  });

  app.get('/copy/:token/code', { config: config(PAGE_LIMIT) }, async (request, reply) => {
    const token = tokenOf(request);
    const opened = await deliveries.open(token, requestContext(request));
    if (opened.status !== 'active') return unavailable(reply, opened.status);
    return reply.view('download/code.njk', { title: 'Enter the code we sent you', base: base(token), values: {} });
  });

  app.post('/copy/:token/code/check', { config: config(FORM_LIMIT) }, async (request, reply) => {
    const token = tokenOf(request);
    const typed = String(bodyOf(request)['code'] ?? '');
    const page = (errors: Array<{ text: string; href: string }>, extra: Record<string, unknown> = {}) => {
      reply.code(400);
      return reply.view('download/code.njk', {
        title: 'Enter the code we sent you',
        base: base(token),
        errors,
        values: { code: typed.slice(0, 20) },
        ...extra,
      });
    };
    if (!typed.trim()) return page([{ text: 'Enter the 6-digit code from the email', href: '#code' }]);
    const r = await deliveries.checkCode(token, typed, requestContext(request));
    switch (r.status) {
      case 'ok':
        reply.setCookie(GRANT_COOKIE, r.grant, {
          path: PATH_SCOPE,
          httpOnly: true,
          sameSite: 'strict',
          secure: opts.cookieSecure,
          signed: true,
          maxAge: grantMaxAge,
        });
        return reply.redirect(base(token), 303);
      case 'invalid-format':
        return page([{ text: 'The code must be 6 numbers, like 482915', href: '#code' }]);
      case 'wrong':
        return page([
          {
            text: `The code is not correct. You can try ${r.remaining} more ${r.remaining === 1 ? 'time' : 'times'} before you need a new code`,
            href: '#code',
          },
        ]);
      case 'locked':
        return page([{ text: 'You entered the wrong code too many times. Ask for a new code', href: '#send-code' }], {
          needNewCode: true,
          values: {},
        });
      case 'code-expired':
        return page([{ text: 'The code has expired. Ask for a new code', href: '#send-code' }], {
          needNewCode: true,
          values: {},
        });
      case 'no-code':
        return page([{ text: 'This code can no longer be used. Ask for a new code', href: '#send-code' }], {
          needNewCode: true,
          values: {},
        });
      default:
        return unavailable(reply, r.status);
    }
  });

  app.post('/copy/:token/download', { config: config(FORM_LIMIT) }, async (request, reply) => {
    const token = tokenOf(request);
    const fileId = String(bodyOf(request)['fileId'] ?? '');
    const r = await deliveries.download(token, grantOf(request), fileId, requestContext(request));
    switch (r.status) {
      case 'ok':
        reply.header('Content-Type', r.contentType);
        reply.header('Content-Length', String(r.size));
        reply.header('Content-Disposition', `attachment; filename="${r.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
        return reply.send(r.stream);
      case 'no-grant':
        return reply.redirect(base(token), 303);
      case 'limit':
        reply.code(409);
        return landing(request, reply, {
          errors: [{ text: 'You have downloaded this file as many times as allowed', href: `#file-${fileId}` }],
        });
      case 'no-file':
        return unavailable(reply, 'unknown');
      default:
        return unavailable(reply, r.status);
    }
  });
}
