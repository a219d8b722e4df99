/** Signing in and out, staying signed in, the first administrator's set-up link and password reset links. */
import type { FastifyInstance } from 'fastify';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { keptFormCookieName } from '../../plugins/auth.ts';
import { sessionPages } from './session.ts';
import { setPasswordPage } from './set-password.ts';
import { setupPage } from './setup.ts';
import { signInPages } from './sign-in.ts';

export interface AuthRoutesOptions {
  accounts: AccountsService;
  cookieSecure: boolean;
}

export async function authRoutes(app: FastifyInstance, { accounts, cookieSecure }: AuthRoutesOptions): Promise<void> {
  const keptCookie = keptFormCookieName(cookieSecure);
  signInPages(app, { accounts, keptCookie });
  sessionPages(app, { accounts, keptCookie, cookieSecure });
  setupPage(app, { accounts });
  setPasswordPage(app, { accounts });
}
