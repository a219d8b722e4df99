/** The second factor of password sign-in: giving it, setting it up, passkeys and recovery codes, an administrator's reset. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import type { SecondFactorService } from '../../../app/second-factor/second-factor-service.ts';
import { keptFormCookieName } from '../../plugins/auth.ts';
import { adminResetPages } from './admin-reset.ts';
import { securityPages } from './security.ts';
import { setUpPages } from './set-up.ts';
import { verifyPages } from './verify.ts';

export interface SecondFactorRoutesOptions {
  secondFactor: SecondFactorService;
  accounts: AccountsService;
  cookieSecure: boolean;
}

/** The browser half of SimpleWebAuthn, served from the installed package (never a CDN). */
async function webAuthnBrowserBundle(): Promise<string> {
  const main = createRequire(import.meta.url).resolve('@simplewebauthn/browser'); // <package>/script/index.js
  return readFile(path.join(path.dirname(main), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
}

export async function secondFactorRoutes(
  app: FastifyInstance,
  { secondFactor, accounts, cookieSecure }: SecondFactorRoutesOptions,
): Promise<void> {
  const keptCookie = keptFormCookieName(cookieSecure);
  verifyPages(app, { secondFactor, keptCookie });
  setUpPages(app, { secondFactor, accounts, keptCookie });
  securityPages(app, { secondFactor, accounts });
  adminResetPages(app, { secondFactor, accounts });
  const bundle = await webAuthnBrowserBundle();
  app.get('/static/simplewebauthn-browser.js', { config: { access: 'public' } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(bundle),
  );
}
