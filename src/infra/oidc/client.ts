/**
 * The council's identity provider, through openid-client: the authorisation code flow with PKCE, state and nonce,
 * every check on the response done by the library. The provider's metadata is discovered on first use (and again
 * after a failure), so the service starts even while the provider cannot be reached.
 */
import * as client from 'openid-client';
import type { CouncilClaims } from '../../app/accounts/council-sign-in.ts';
import { type CouncilIdentityProvider, type FlowSecrets, OidcError } from '../../app/accounts/council-sign-in-ports.ts';
import type { OidcConfig } from './config.ts';

export function openIdConnectProvider(config: OidcConfig): CouncilIdentityProvider {
  let discovered: Promise<client.Configuration> | null = null;
  const configuration = async (): Promise<client.Configuration> => {
    discovered ??= client.discovery(
      new URL(config.issuer),
      config.clientId,
      { redirect_uris: [config.redirectUri], response_types: ['code'] },
      client.ClientSecretPost(config.clientSecret),
      // Plain http is refused by the configuration in production; outside it, a provider on this machine may use it.
      { execute: config.issuer.startsWith('http://') ? [client.allowInsecureRequests] : [], timeout: 10 },
    );
    try {
      return await discovered;
    } catch {
      discovered = null;
      throw new OidcError('unavailable');
    }
  };

  return {
    async start() {
      const c = await configuration();
      const secrets: FlowSecrets = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
      };
      const url = client.buildAuthorizationUrl(c, {
        redirect_uri: config.redirectUri,
        scope: config.scopes,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(secrets.codeVerifier),
        code_challenge_method: 'S256',
        state: secrets.state,
        nonce: secrets.nonce,
      });
      return { url, secrets };
    },

    async finish(callbackUrl, secrets) {
      const c = await configuration();
      let tokens;
      try {
        tokens = await client.authorizationCodeGrant(c, callbackUrl, {
          pkceCodeVerifier: secrets.codeVerifier,
          expectedState: secrets.state,
          expectedNonce: secrets.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw classify(err);
      }
      const claims = tokens.claims();
      if (!claims) throw new OidcError('invalid-response');
      return claimsOf(claims, config);
    },

    async endSessionUrl() {
      const c = await configuration();
      if (!c.serverMetadata().end_session_endpoint) return null;
      // No id_token_hint: tokens never go into an address. The client id says which application signs out.
      return client.buildEndSessionUrl(c, { post_logout_redirect_uri: config.postLogoutRedirectUri });
    },
  };
}

/** The library's refusal as a reason: its message and cause hold the state, the claims and the tokens, so neither is kept. */
function classify(err: unknown): OidcError {
  if (err instanceof OidcError) return err;
  if (err instanceof client.AuthorizationResponseError) return new OidcError('provider-refused', safeCode(err.error));
  // openid-client wraps oauth4webapi's error, whose message and cause say which check failed.
  type Failure = { code?: unknown; message?: unknown; cause?: { claim?: unknown } };
  const e = err as Failure & { cause?: Failure };
  const inner: Failure = e.cause && typeof e.cause === 'object' && 'message' in e.cause ? e.cause : e;
  if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && inner.cause?.claim === 'nonce') return new OidcError('nonce');
  if (e.code === 'OAUTH_INVALID_RESPONSE' && typeof inner.message === 'string' && inner.message.includes('"state"'))
    return new OidcError('state');
  if (err instanceof TypeError || e.code === 'OAUTH_RESPONSE_IS_NOT_JSON') return new OidcError('unavailable');
  return new OidcError('invalid-response');
}

/** An OAuth error code is a short token from the standard (access_denied); anything else is not kept. */
function safeCode(code: unknown): string | undefined {
  return typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? code : undefined;
}

function claimsOf(claims: client.IDToken, config: OidcConfig): CouncilClaims {
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const given = [text(claims['given_name']), text(claims['family_name'])].filter(Boolean).join(' ');
  return {
    issuer: claims.iss,
    subject: claims.sub,
    // Entra ID sends `email` only when the account has a mailbox address; its sign-in name is the address otherwise.
    email: text(claims['email']) ?? text(claims['preferred_username']),
    name: text(claims['name']) ?? (given || undefined),
    groups: list(claims[config.groupsClaim]),
    amr: list(claims['amr']),
  };
}
