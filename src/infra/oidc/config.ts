import { CALLBACK_PATH, SIGNED_OUT_PATH } from '../../app/accounts/council-sign-in-ports.ts';
import { isRole, type Role } from '../../domain/access/roles.ts';

/**
 * Signing in with the council's identity provider (Microsoft Entra ID or any OpenID Connect provider).
 * Off unless OIDC_ISSUER is set; then OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are required.
 */
export interface OidcConfig {
  /** The provider's issuer identifier, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0 */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the person back: OIDC_REDIRECT_URI, or PUBLIC_BASE_URL + CALLBACK_PATH. */
  redirectUri: string;
  /** Where the provider sends the person after signing out there: PUBLIC_BASE_URL + SIGNED_OUT_PATH. */
  postLogoutRedirectUri: string;
  /** OIDC_SCOPES: what is asked of the provider (openid is always included). */
  scopes: string;
  /** OIDC_GROUPS_CLAIM: the ID token claim listing the person's groups (Entra ID: `groups`). */
  groupsClaim: string;
  /** OIDC_ROLE_GROUPS: each role managed by the provider, with the groups that give it. Empty: roles are given in the service. */
  roleGroups: ReadonlyMap<Role, readonly string[]>;
  /** OIDC_REQUIRE_MFA: refuse a sign-in whose ID token's `amr` claim does not include `mfa`. */
  requireMfa: boolean;
  /** OIDC_ONLY: the password sign-in is kept for administrators only (the break-glass account). */
  only: boolean;
  /** OIDC_DISPLAY_NAME: the words on the button, "Sign in with …". */
  displayName: string;
}

const unset = (v: string | undefined): string | undefined =>
  v === undefined || v.trim() === '' ? undefined : v.trim();
const BOOLEAN = new Map([
  ['true', true],
  ['1', true],
  ['yes', true],
  ['false', false],
  ['0', false],
  ['no', false],
]);

/** Reads the OIDC_* settings, naming every problem; `config` is undefined when the feature is off or a value is bad. */
export function parseOidcConfig(
  env: Record<string, string | undefined>,
  opts: { production: boolean; publicBaseUrl: string },
): { config: OidcConfig | undefined; problems: string[] } {
  const problems: string[] = [];
  const issuer = unset(env['OIDC_ISSUER']);
  const bool = (name: string): boolean => {
    const raw = unset(env[name]);
    if (raw === undefined) return false;
    const v = BOOLEAN.get(raw.toLowerCase());
    if (v === undefined) problems.push(`${name}: must be true or false`);
    return v ?? false;
  };
  const only = bool('OIDC_ONLY');
  const requireMfa = bool('OIDC_REQUIRE_MFA');
  if (!issuer) {
    const stray = Object.keys(env).filter((k) => k.startsWith('OIDC_') && unset(env[k]) !== undefined);
    if (stray.length > 0)
      problems.push(
        `OIDC_ISSUER: required when ${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set (council sign-in is off without it)`,
      );
    return { config: undefined, problems };
  }

  const url = (name: string, value: string): URL | undefined => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      problems.push(`${name}: must be a full URL such as https://login.microsoftonline.com/<tenant-id>/v2.0`);
      return undefined;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') problems.push(`${name}: must be an https:// URL`);
    else if (opts.production && parsed.protocol !== 'https:') problems.push(`${name}: must use https:// in production`);
    if (parsed.search || parsed.hash) problems.push(`${name}: must not have a query or fragment`);
    return parsed;
  };
  url('OIDC_ISSUER', issuer);
  const clientId = unset(env['OIDC_CLIENT_ID']);
  if (!clientId) problems.push('OIDC_CLIENT_ID: required when OIDC_ISSUER is set (the application (client) ID)');
  const clientSecret = unset(env['OIDC_CLIENT_SECRET']);
  if (!clientSecret) problems.push('OIDC_CLIENT_SECRET: required when OIDC_ISSUER is set (the client secret’s value)');
  const redirectUri = unset(env['OIDC_REDIRECT_URI']) ?? `${opts.publicBaseUrl}${CALLBACK_PATH}`;
  const redirect = url('OIDC_REDIRECT_URI', redirectUri);
  if (redirect && redirect.pathname !== CALLBACK_PATH)
    problems.push(`OIDC_REDIRECT_URI: must end with ${CALLBACK_PATH} (the service's address followed by it)`);

  const scopes = new Set(['openid', ...(unset(env['OIDC_SCOPES']) ?? 'profile email').split(/\s+/)]);
  const groupsClaim = unset(env['OIDC_GROUPS_CLAIM']) ?? 'groups';
  const roleGroups = parseRoleGroups(unset(env['OIDC_ROLE_GROUPS']), problems);
  const displayName = unset(env['OIDC_DISPLAY_NAME']) ?? 'your council account';
  if (displayName.length > 80) problems.push('OIDC_DISPLAY_NAME: must be 80 characters or fewer');

  if (problems.length > 0) return { config: undefined, problems };
  return {
    config: {
      issuer,
      clientId: clientId!,
      clientSecret: clientSecret!,
      redirectUri,
      postLogoutRedirectUri: `${new URL(redirectUri).origin}${SIGNED_OUT_PATH}`,
      scopes: [...scopes].join(' '),
      groupsClaim,
      roleGroups,
      requireMfa,
      only,
      displayName,
    },
    problems,
  };
}

/** OIDC_ROLE_GROUPS="chair=<group id>,business_support=<group id>,chair=<another group id>" */
function parseRoleGroups(raw: string | undefined, problems: string[]): Map<Role, string[]> {
  const map = new Map<Role, string[]>();
  if (!raw) return map;
  for (const entry of raw.split(',').map((e) => e.trim())) {
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const role = eq > 0 ? entry.slice(0, eq).trim() : '';
    const group = eq > 0 ? entry.slice(eq + 1).trim() : '';
    if (!role || !group) {
      problems.push(`OIDC_ROLE_GROUPS: "${entry}" must be written role=group-id, such as chair=<group object id>`);
      continue;
    }
    if (!isRole(role)) {
      problems.push(`OIDC_ROLE_GROUPS: "${role}" is not a role of this service`);
      continue;
    }
    map.set(role, [...(map.get(role) ?? []), group]);
  }
  return map;
}
