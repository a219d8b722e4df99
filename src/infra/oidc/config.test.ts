import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';

const ENTRA = {
  OIDC_ISSUER: 'https://login.microsoftonline.com/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/v2.0',
  OIDC_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  OIDC_CLIENT_SECRET: 'the-secret-value',
};

describe('council sign-in settings (OIDC_*)', () => {
  it('is off when OIDC_ISSUER is not set', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
    expect(loadConfig({ OIDC_ISSUER: '' }).oidc).toBeUndefined();
  });

  it('reads an Entra ID app registration, deriving the addresses from PUBLIC_BASE_URL', () => {
    const c = loadConfig({
      ...ENTRA,
      PUBLIC_BASE_URL: 'https://cpcr.council.gov.uk/',
      OIDC_ROLE_GROUPS: 'chair=aaaa, business_support=bbbb,chair=cccc',
      OIDC_REQUIRE_MFA: 'true',
      OIDC_ONLY: 'yes',
    }).oidc!;
    expect(c).toMatchObject({
      issuer: ENTRA.OIDC_ISSUER,
      clientId: ENTRA.OIDC_CLIENT_ID,
      redirectUri: 'https://cpcr.council.gov.uk/sign-in/council/callback',
      postLogoutRedirectUri: 'https://cpcr.council.gov.uk/sign-in/council/signed-out',
      scopes: 'openid profile email',
      groupsClaim: 'groups',
      requireMfa: true,
      only: true,
      displayName: 'your council account',
    });
    expect(Object.fromEntries(c.roleGroups)).toEqual({ chair: ['aaaa', 'cccc'], business_support: ['bbbb'] });
  });

  it('names every bad or missing value', () => {
    expect(() => loadConfig({ OIDC_ONLY: 'true', OIDC_CLIENT_ID: 'x' })).toThrow(
      /OIDC_ISSUER: required when OIDC_ONLY, OIDC_CLIENT_ID are set/,
    );
    expect(() => loadConfig({ OIDC_ISSUER: 'https://idp.example' })).toThrow(
      /OIDC_CLIENT_ID: required[\s\S]*OIDC_CLIENT_SECRET: required/,
    );
    expect(() => loadConfig({ ...ENTRA, OIDC_ROLE_GROUPS: 'chief=aaaa,chair' })).toThrow(
      /"chief" is not a role of this service[\s\S]*"chair" must be written role=group-id/,
    );
    expect(() => loadConfig({ ...ENTRA, OIDC_REQUIRE_MFA: 'maybe' })).toThrow(
      /OIDC_REQUIRE_MFA: must be true or false/,
    );
    expect(() => loadConfig({ ...ENTRA, OIDC_REDIRECT_URI: 'https://cpcr.council.gov.uk/callback' })).toThrow(
      /OIDC_REDIRECT_URI: must end with \/sign-in\/council\/callback/,
    );
  });

  it('requires https in production', () => {
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(40),
      PUBLIC_BASE_URL: 'https://cpcr.council.gov.uk',
    };
    expect(() => loadConfig({ ...production, ...ENTRA, OIDC_ISSUER: 'http://idp.council.gov.uk' })).toThrow(
      /OIDC_ISSUER: must use https:\/\/ in production/,
    );
  });
});
