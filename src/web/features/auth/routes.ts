/** Signing in and out, staying signed in, the first administrator's set-up link and password reset links. */
import type { FastifyInstance } from 'fastify';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import type { Services } from '../../../composition.ts';
import { keptFormCookieName } from '../../plugins/auth.ts';
import { councilSignInPages, councilSignOut } from './oidc.ts';
import { waitingAccountPages } from './oidc-waiting.ts';
import { sessionPages } from './session.ts';
import { setPasswordPage } from './set-password.ts';
import { setupPage } from './setup.ts';
import { signInPages } from './sign-in.ts';

export interface AuthRoutesOptions {
  accounts: AccountsService;
  cookieSecure: boolean;
  /** Signing in with the council's identity provider, when configured (OIDC_*). */
  councilSignIn?: Services['councilSignIn'];
}

export async function authRoutes(
  app: FastifyInstance,
  { accounts, cookieSecure, councilSignIn }: AuthRoutesOptions,
): Promise<void> {
  const keptCookie = keptFormCookieName(cookieSecure);
  if (councilSignIn) {
    // Before the sign-out route, so signing out of the service goes on to the provider's sign-out.
    councilSignOut(app, councilSignIn);
    councilSignInPages(app, { ...councilSignIn, keptCookie, cookieSecure });
    waitingAccountPages(app, { accounts, service: councilSignIn.service });
  }
  signInPages(app, { accounts, keptCookie });
  sessionPages(app, { accounts, keptCookie, cookieSecure });
  setupPage(app, { accounts });
  setPasswordPage(app, { accounts });
}
