import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import { CHILD_RECORD_ROLES } from '../../domain/access/child-access.ts';
import { ROLE_LABELS, type Role, hasAnyRole } from '../../domain/access/roles.ts';
import { errorFor } from '../forms/index.ts';
import type { FormError } from '../types.ts';
import { formatLongDate } from './format.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const webRoot = path.resolve(here, '..');
const govukRoot = path.resolve(webRoot, '../../node_modules/govuk-frontend/dist');

export interface ViewOptions {
  serviceName: string;
  councilName: string;
  /** Signing in with the council's identity provider, when configured: the button's words, and whether it is the only way. */
  councilSignIn?: { displayName: string; only: boolean } | undefined;
}

export function createNunjucks(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([path.join(webRoot, 'views'), path.join(webRoot, 'features'), govukRoot], {
      noCache: false,
    }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  env.addFilter('longDate', (v: unknown) => (typeof v === 'string' || v instanceof Date ? formatLongDate(v) : ''));
  env.addGlobal('errorFor', (errors: FormError[] | undefined, id: string) => errorFor(errors ?? [], id));
  env.addFilter('roleLabel', (r: string) => ROLE_LABELS[r as Role] ?? r);
  return env;
}

/**
 * `reply.view(template, ctx)` renders with the locals every page needs: the signed-in user,
 * a CSRF token for its forms and the CSP nonce for govuk-frontend's inline script.
 */
export const viewsPlugin = fp(async (app: FastifyInstance, opts: ViewOptions) => {
  const env = createNunjucks();
  app.decorateReply(
    'view',
    async function view(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
      const request = this.request;
      const locals = {
        serviceName: opts.serviceName,
        councilName: opts.councilName,
        councilSignIn: opts.councilSignIn ?? null,
        actor: request.actor,
        isAdmin: request.actor?.roles.includes('admin') ?? false,
        canSeeChildren: request.actor ? hasAnyRole(request.actor, CHILD_RECORD_ROLES) : false,
        isAuditor: request.actor?.roles.includes('auditor') ?? false,
        // Signed in with a session: the idle time-out the time-out warning counts down to (WCAG 2.2.1).
        sessionIdleSeconds: request.sessionIdleSeconds,
        csrfToken: this.generateCsrf({ userInfo: request.sessionToken ?? 'anonymous' }),
        cspNonce: (this as FastifyReply & { cspNonce?: { script: string } }).cspNonce?.script,
        currentPath: request.routeOptions.url,
        // A confirmation from the step before the redirect, shown once by the layout (see plugins/flash.ts).
        flash: request.method === 'GET' ? request.takeFlash(this) : null,
        ...context,
      };
      const html = await new Promise<string>((resolve, reject) =>
        env.render(template, locals, (err, out) => (err ? reject(err) : resolve(out ?? ''))),
      );
      this.type('text/html; charset=utf-8');
      return html;
    },
  );
});
