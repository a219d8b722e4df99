import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { type CouncilClaims, type CouncilSignInService, rolesAfterSignIn } from './council-sign-in.ts';

const GROUPS = new Map([
  ['chair', ['g-chairs']],
  ['business_support', ['g-support']],
] as const);

describe('roles after a council sign-in', () => {
  it('follows the groups for the roles they manage and keeps the roles given in the service', () => {
    expect(rolesAfterSignIn([], ['g-chairs', 'g-unknown'], GROUPS)).toEqual(['chair']);
    expect(rolesAfterSignIn(['chair', 'admin'], ['g-support'], GROUPS)).toEqual(['business_support', 'admin']);
    expect(rolesAfterSignIn(['chair'], [], GROUPS)).toEqual([]);
    expect(rolesAfterSignIn(['social_worker'], ['g-chairs'], new Map())).toEqual(['social_worker']);
  });
});

describe.each(testDatabases())('council sign-in accounts on %s', (kind) => {
  let ctx: TestContext;
  let service: CouncilSignInService;
  const claims = (subject: string, extra: Partial<CouncilClaims> = {}): CouncilClaims => ({
    issuer: 'https://idp.council.gov.uk',
    subject,
    email: `${subject}@council.gov.uk`,
    name: `Person ${subject}`,
    groups: ['g-chairs'],
    amr: ['pwd', 'mfa'],
    ...extra,
  });

  beforeAll(async () => {
    ctx = await createTestServices(kind, {
      OIDC_ISSUER: 'https://idp.council.gov.uk',
      OIDC_CLIENT_ID: 'cpcr',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_ROLE_GROUPS: 'chair=g-chairs,business_support=g-support',
      OIDC_REQUIRE_MFA: 'true',
    });
    service = ctx.services.councilSignIn!.service;
  });
  afterAll(() => ctx.dispose());

  it('refuses a sign-in without a second factor at the provider when OIDC_REQUIRE_MFA is set', async () => {
    expect(await service.signIn(claims('pw-only', { amr: ['pwd'] }), {})).toEqual({
      ok: false,
      reason: 'mfa-required',
    });
    expect(await ctx.services.accounts.findUserByEmail('pw-only@council.gov.uk')).toBeNull();
    expect((await service.signIn(claims('pw-only'), {})).ok).toBe(true);
  });

  it('keeps the account of someone who left every mapped group, waiting for roles, with nothing of theirs usable', async () => {
    const first = await service.signIn(claims('leaver'), {});
    if (!first.ok) throw new Error('expected a sign-in');
    expect(await ctx.services.accounts.resolveSession(first.sessionToken)).toMatchObject({ ok: true });
    expect(await service.signIn(claims('leaver', { groups: [] }), {})).toEqual({
      ok: false,
      reason: 'waiting-for-roles',
    });
    expect(await ctx.services.accounts.resolveSession(first.sessionToken)).toMatchObject({ ok: false });
    expect(await ctx.services.accounts.getUser(first.user.id)).toMatchObject({
      roles: [],
      disabledAt: expect.any(Date),
    });
    // Back in a group: the account is enabled again by the groups.
    expect(await service.signIn(claims('leaver', { groups: ['g-support'] }), {})).toMatchObject({ ok: true });
  });

  it('never enables an account an administrator disabled, whatever the groups say', async () => {
    const first = await service.signIn(claims('disabled'), {});
    if (!first.ok) throw new Error('expected a sign-in');
    await ctx.services.accounts.disableUser(first.user.id, { actor: { id: null, label: 'test' } });
    expect(await service.signIn(claims('disabled'), {})).toEqual({ ok: false, reason: 'disabled' });
  });

  it('keeps the name and email address the provider has now, and never takes another account’s email', async () => {
    const first = await service.signIn(claims('mover'), {});
    if (!first.ok) throw new Error('expected a sign-in');
    await service.signIn(claims('mover', { name: 'Mo Mover', email: 'mo.mover@council.gov.uk' }), {});
    expect(await ctx.services.accounts.getUser(first.user.id)).toMatchObject({
      name: 'Mo Mover',
      email: 'mo.mover@council.gov.uk',
    });
    await service.signIn(claims('mover', { email: 'leaver@council.gov.uk' }), {});
    expect((await ctx.services.accounts.getUser(first.user.id)).email).toBe('mo.mover@council.gov.uk');
  });
});
