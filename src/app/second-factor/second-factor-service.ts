/**
 * The second factor for accounts that sign in with a password. After the right password the session waits
 * (`secondFactorDue`) and is good for nothing but this: someone with no factor sets up an authenticator app
 * (and is given 10 single-use recovery codes, shown once); someone with one gives a code from the app, a
 * recovery code, or uses a passkey. Then the waiting session is replaced by a new, full one.
 *
 * Wrong codes are counted with wrong passwords (per client address and account, and per account), so
 * guessing codes locks out like guessing passwords. A code is refused a second time (its time step is kept).
 * Every enrolment, use, failure and reset is audited; secrets and codes never are.
 */
import { randomInt } from 'node:crypto';
import { ACCOUNT_WIDE_FACTOR, type SecretsPort } from '../accounts/accounts-service.ts';
import type { UserRecord } from '../accounts/ports.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { ConflictError, DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { PasskeyPort, SecretSealerPort, StoredPasskey, TotpPort } from './ports.ts';

export const RECOVERY_CODE_COUNT = 10;
/** Letters and digits that cannot be misread for each other (no 0/o, 1/l/i). */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const CHALLENGE_TTL_MS = 5 * 60_000;
export const PASSKEY_NAME_MAX = 60;
export const RESET_REASON_MAX = 500;

export interface SecondFactorSettings {
  /** Shown by authenticator apps beside the code. */
  issuer: string;
  signInMaxAttempts: number;
  signInWindowMs: number;
}

export interface SecondFactorStatus {
  authenticatorApp: boolean;
  passkeys: number;
  recoveryCodesLeft: number;
  /** Has a factor to give at sign-in; otherwise one must be set up first. */
  enrolled: boolean;
}

export type VerifyResult =
  | {
      ok: true;
      /** The new, full session's token (the waiting one has ended). */
      sessionToken: string;
      user: UserRecord;
      method: 'authenticator-app' | 'recovery-code' | 'passkey';
      recoveryCodesLeft: number;
    }
  /**
   * `invalid`: wrong code or passkey; `replayed`: a code already used; `locked`: too many failures, and the
   * waiting session has ended; `no-session`: nothing is waiting for a second factor.
   */
  | { ok: false; reason: 'invalid' | 'replayed' | 'locked' | 'no-session' };

/** Recovery codes are typed by hand: spaces, hyphens and capitals do not matter. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** A TOTP code as typed: 6 digits, spaces allowed. */
export function isAppCode(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s/g, ''));
}

/** A secret split into groups of 4, easier to type into an app by hand. */
export function groupSecret(secret: string): string[] {
  return secret.match(/.{1,4}/g) ?? [];
}

export class SecondFactorService {
  private readonly uow: UnitOfWork;
  private readonly clock: Clock;
  private readonly secrets: SecretsPort;
  private readonly totp: TotpPort;
  private readonly sealer: SecretSealerPort;
  private readonly passkeys: PasskeyPort;
  private readonly addressKey: (address: string) => string;
  private readonly settings: SecondFactorSettings;

  constructor(deps: {
    uow: UnitOfWork;
    clock: Clock;
    secrets: SecretsPort;
    totp: TotpPort;
    sealer: SecretSealerPort;
    passkeys: PasskeyPort;
    addressKey: (address: string) => string;
    settings: SecondFactorSettings;
  }) {
    this.uow = deps.uow;
    this.clock = deps.clock;
    this.secrets = deps.secrets;
    this.totp = deps.totp;
    this.sealer = deps.sealer;
    this.passkeys = deps.passkeys;
    this.addressKey = deps.addressKey;
    this.settings = deps.settings;
  }

  async status(userId: string): Promise<SecondFactorStatus> {
    return this.uow.run(async ({ secondFactor }) => {
      const totp = await secondFactor.findTotp(userId);
      const passkeys = (await secondFactor.listPasskeys(userId)).length;
      const authenticatorApp = Boolean(totp?.confirmedAt);
      return {
        authenticatorApp,
        passkeys,
        recoveryCodesLeft: await secondFactor.countUnusedRecoveryCodes(userId),
        enrolled: authenticatorApp || passkeys > 0,
      };
    });
  }

  /** The person waiting on this session for a second factor, or null if it is not such a session. */
  async pendingUser(sessionToken: string): Promise<UserRecord | null> {
    return this.uow.run(async ({ accounts }) => {
      const session = await accounts.findSession(this.secrets.hash(sessionToken));
      if (!session?.secondFactorDue) return null;
      const user = await accounts.findUserById(session.userId);
      return user && !user.disabledAt ? user : null;
    });
  }

  // Setting up an authenticator app.

  /**
   * The secret to put in an authenticator app, kept (sealed) until confirmed with a code, so coming back to
   * the page shows the same one. Refused once an app is set up: an administrator's reset comes first.
   */
  async startAppEnrolment(user: UserRecord): Promise<{ secret: string; uri: string; groups: string[] }> {
    const secret = await this.uow.run(async ({ secondFactor }) => {
      const existing = await secondFactor.findTotp(user.id);
      if (existing?.confirmedAt) throw new ConflictError('An authenticator app is already set up for this account');
      if (!existing) {
        const fresh = this.totp.newSecret();
        await secondFactor.insertPendingTotp(user.id, await this.sealer.seal(fresh, user.id), this.clock.now());
      }
      // Read back: of two first visits at once, both show the secret that was kept.
      const kept = existing ?? (await secondFactor.findTotp(user.id));
      return this.sealer.open(kept!.secretSealed, user.id);
    });
    return {
      secret,
      groups: groupSecret(secret),
      uri: this.totp.uri({ issuer: this.settings.issuer, label: user.email, secret }),
    };
  }

  /**
   * Confirms the app with a code from it: the app is set up, 10 new recovery codes are returned (to be shown
   * once: only their digests are kept), and a session waiting for the second factor becomes a full one.
   */
  async confirmAppEnrolment(
    userId: string,
    code: string,
    session: { token: string } | null,
    ctx: RequestContext,
  ): Promise<{ recoveryCodes: string[]; sessionToken: string | null }> {
    const now = this.clock.now();
    const pending = await this.uow.run(({ secondFactor }) => secondFactor.findTotp(userId));
    if (!pending || pending.confirmedAt)
      throw new DomainError('NOTHING_TO_CONFIRM', 'Start setting up your authenticator app again', 'code');
    const step = isAppCode(code)
      ? await this.totp.verify(await this.sealer.open(pending.secretSealed, userId), code.replace(/\s/g, ''), now)
      : null;
    if (step === null) {
      await this.uow.run(({ audit }) =>
        audit.record({
          action: 'second-factor.enrol',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: 'user', id: userId },
          outcome: 'failure',
          details: { method: 'authenticator-app', reason: 'wrong-code' },
        }),
      );
      throw new DomainError(
        'WRONG_CODE',
        'The code is not correct. Enter the 6-digit code your authenticator app shows now',
        'code',
      );
    }
    const recoveryCodes = newRecoveryCodes();
    return this.uow.run(async (repos) => {
      const { secondFactor, audit } = repos;
      await secondFactor.confirmTotp(userId, step, now);
      await secondFactor.replaceRecoveryCodes(
        userId,
        recoveryCodes.map((c) => this.secrets.hash(normaliseRecoveryCode(c))),
        now,
      );
      await audit.record({
        action: 'second-factor.enrol',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'user', id: userId },
        outcome: 'success',
        details: { method: 'authenticator-app', recoveryCodes: RECOVERY_CODE_COUNT },
      });
      const sessionToken = session ? await this.completeSession(repos, session.token, userId) : null;
      return { recoveryCodes, sessionToken };
    });
  }

  /** New recovery codes for the signed-in person (the old ones stop working), shown once. */
  async renewRecoveryCodes(userId: string, ctx: RequestContext): Promise<string[]> {
    const recoveryCodes = newRecoveryCodes();
    await this.uow.run(async ({ secondFactor, audit }) => {
      const totp = await secondFactor.findTotp(userId);
      if (!totp?.confirmedAt)
        throw new DomainError('NO_AUTHENTICATOR_APP', 'Set up an authenticator app before getting recovery codes');
      await secondFactor.replaceRecoveryCodes(
        userId,
        recoveryCodes.map((c) => this.secrets.hash(normaliseRecoveryCode(c))),
        this.clock.now(),
      );
      await audit.record({
        action: 'second-factor.recovery-codes',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'user', id: userId },
        outcome: 'success',
        details: { recoveryCodes: RECOVERY_CODE_COUNT },
      });
    });
    return recoveryCodes;
  }

  // Giving the second factor at sign-in.

  /** A code from the authenticator app (6 digits) or a recovery code, typed on the sign-in's second page. */
  async verifyCode(
    sessionToken: string,
    code: string,
    ctx: { correlationId?: string | undefined; clientAddress?: string | undefined },
  ): Promise<VerifyResult> {
    const method = isAppCode(code) ? 'authenticator-app' : 'recovery-code';
    return this.verify(sessionToken, method, ctx, async (repos, user, now) => {
      if (method === 'recovery-code') {
        const normalised = normaliseRecoveryCode(code);
        if (!normalised || normalised.length > 64) return 'invalid';
        return (await repos.secondFactor.useRecoveryCode(user.id, this.secrets.hash(normalised), now))
          ? 'ok'
          : 'invalid';
      }
      const totp = await repos.secondFactor.findTotp(user.id);
      if (!totp?.confirmedAt) return 'invalid';
      const step = await this.totp.verify(
        await this.sealer.open(totp.secretSealed, user.id),
        code.replace(/\s/g, ''),
        now,
      );
      if (step === null) return 'invalid';
      return (await repos.secondFactor.useTotpStep(user.id, step)) ? 'ok' : 'replayed';
    });
  }

  /** The options for the browser to sign in with one of the person's passkeys (the challenge is kept for the session). */
  async passkeySignInOptions(sessionToken: string): Promise<unknown> {
    const user = await this.pendingUser(sessionToken);
    if (!user) throw new NotFoundError('A sign-in waiting for a second factor');
    const mine = await this.uow.run(({ secondFactor }) => secondFactor.listPasskeys(user.id));
    const { options, challenge } = await this.passkeys.authenticationOptions(
      mine.map((p) => ({ credentialId: p.credentialId, transports: p.transports })),
    );
    await this.saveChallenge(sessionToken, 'sign-in', challenge);
    return options;
  }

  /** The browser's answer to the passkey challenge: the passkey must be the person's, its counter must go up. */
  async verifyPasskey(
    sessionToken: string,
    response: unknown,
    ctx: { correlationId?: string | undefined; clientAddress?: string | undefined },
  ): Promise<VerifyResult> {
    const challenge = await this.uow.run(({ secondFactor }) =>
      secondFactor.takeChallenge(this.secrets.hash(sessionToken), 'sign-in', this.clock.now()),
    );
    const credentialId = this.passkeys.credentialIdOf(response);
    const passkey = credentialId
      ? await this.uow.run(({ secondFactor }) => secondFactor.findPasskeyByCredentialId(credentialId))
      : null;
    const newCounter =
      challenge && passkey ? await this.passkeys.verifyAuthentication(response, challenge, passkey) : null;
    return this.verify(sessionToken, 'passkey', ctx, async (repos, user, now) => {
      if (!passkey || passkey.userId !== user.id || newCounter === null) return 'invalid';
      return (await repos.secondFactor.usePasskey(passkey.id, passkey.counter, newCounter, now)) ? 'ok' : 'invalid';
    });
  }

  /**
   * The common path of every second factor: the waiting session, the lock-outs (shared with passwords), the
   * check itself, then the full session, all audited. A lock-out ends the waiting session.
   */
  private async verify(
    sessionToken: string,
    method: 'authenticator-app' | 'recovery-code' | 'passkey',
    ctx: { correlationId?: string | undefined; clientAddress?: string | undefined },
    check: (repos: Repositories, user: UserRecord, now: Date) => Promise<'ok' | 'invalid' | 'replayed'>,
  ): Promise<VerifyResult> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - this.settings.signInWindowMs);
    const addressKey = this.addressKey(ctx.clientAddress ?? 'unknown');
    const max = this.settings.signInMaxAttempts;
    const idHash = this.secrets.hash(sessionToken);
    return this.uow.run(async (repos) => {
      const { accounts, secondFactor, audit } = repos;
      const session = await accounts.findSession(idHash);
      const user = session?.secondFactorDue ? await accounts.findUserById(session.userId) : null;
      if (!user || user.disabledAt) return { ok: false, reason: 'no-session' } as const;
      const locked =
        (await accounts.countAddressFailuresSince(addressKey, since, user.id)) >= max ||
        (await secondFactor.countFailuresSince(user.id, since)) >= max * ACCOUNT_WIDE_FACTOR;
      const outcome = locked ? 'locked' : await check(repos, user, now);
      const base = {
        actor: { id: user.id, label: user.name },
        correlationId: ctx.correlationId,
        subject: { type: 'user', id: user.id },
      } as const;
      if (outcome !== 'ok') {
        if (outcome === 'locked') await accounts.deleteSession(idHash);
        else await accounts.recordSignInFailure({ addressKey, userId: user.id, at: now }, since);
        await audit.record({
          ...base,
          action: 'second-factor.verify',
          outcome: 'failure',
          details: { method, reason: outcome },
        });
        return { ok: false, reason: outcome === 'replayed' ? 'replayed' : outcome };
      }
      const recoveryCodesLeft = await secondFactor.countUnusedRecoveryCodes(user.id);
      await audit.record({ ...base, action: 'second-factor.verify', outcome: 'success', details: { method } });
      if (method === 'recovery-code')
        await audit.record({
          ...base,
          action: 'second-factor.recovery-code-use',
          outcome: 'success',
          details: { recoveryCodesLeft },
        });
      const fresh = await this.completeSession(repos, sessionToken, user.id);
      return { ok: true, sessionToken: fresh, user, method, recoveryCodesLeft };
    });
  }

  /** The waiting session ends and a new, full one starts (a new token, so the old cookie is worth nothing). */
  private async completeSession(repos: Repositories, sessionToken: string, userId: string): Promise<string> {
    const fresh = this.secrets.newToken();
    const now = this.clock.now();
    await repos.accounts.deleteSession(this.secrets.hash(sessionToken));
    await repos.accounts.insertSession(this.secrets.hash(fresh), userId, now, { secondFactorDue: false });
    return fresh;
  }

  // Passkeys, added from the account page.

  async listPasskeys(userId: string): Promise<StoredPasskey[]> {
    return this.uow.run(({ secondFactor }) => secondFactor.listPasskeys(userId));
  }

  /** The options for the browser to create a passkey for the signed-in person (the challenge is kept for the session). */
  async passkeyRegistrationOptions(user: UserRecord, sessionToken: string): Promise<unknown> {
    const mine = await this.listPasskeys(user.id);
    const { options, challenge } = await this.passkeys.registrationOptions({
      userId: user.id,
      userName: user.email,
      displayName: user.name,
      exclude: mine.map((p) => ({ credentialId: p.credentialId, transports: p.transports })),
    });
    await this.saveChallenge(sessionToken, 'register', challenge);
    return options;
  }

  async registerPasskey(
    userId: string,
    sessionToken: string,
    input: { name: string; response: unknown },
    ctx: RequestContext,
  ): Promise<StoredPasskey> {
    const name = input.name.trim();
    if (!name)
      throw new DomainError('NAME_REQUIRED', 'Enter a name for the passkey, such as the device it is on', 'name');
    if (name.length > PASSKEY_NAME_MAX)
      throw new DomainError('NAME_TOO_LONG', `Name must be ${PASSKEY_NAME_MAX} characters or fewer`, 'name');
    const challenge = await this.uow.run(({ secondFactor }) =>
      secondFactor.takeChallenge(this.secrets.hash(sessionToken), 'register', this.clock.now()),
    );
    const credential = challenge ? await this.passkeys.verifyRegistration(input.response, challenge) : null;
    return this.uow
      .run(async ({ secondFactor, audit }) => {
        const fail = async (reason: string) => {
          await audit.record({
            action: 'second-factor.enrol',
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            subject: { type: 'user', id: userId },
            outcome: 'failure',
            details: { method: 'passkey', reason },
          });
        };
        if (!credential) {
          await fail(challenge ? 'not-verified' : 'no-challenge');
          return null;
        }
        if (await secondFactor.findPasskeyByCredentialId(credential.credentialId)) {
          await fail('already-registered');
          return null;
        }
        const passkey = await secondFactor.insertPasskey({ userId, name, ...credential, createdAt: this.clock.now() });
        await audit.record({
          action: 'second-factor.enrol',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: 'user', id: userId },
          outcome: 'success',
          details: { method: 'passkey', passkeyId: passkey.id },
        });
        return passkey;
      })
      .then((p) => {
        // Outside the transaction, so the failure's audit entry is kept.
        if (!p)
          throw new DomainError(
            'PASSKEY_NOT_ADDED',
            'The passkey could not be added. Try again, or use another device or security key',
            'name',
          );
        return p;
      });
  }

  async removePasskey(userId: string, passkeyId: string, ctx: RequestContext): Promise<void> {
    await this.uow.run(async ({ secondFactor, audit }) => {
      if (!(await secondFactor.deletePasskey(passkeyId, userId))) throw new NotFoundError('The passkey');
      await audit.record({
        action: 'second-factor.passkey-remove',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'user', id: userId },
        outcome: 'success',
        details: { passkeyId },
      });
    });
  }

  // An administrator's reset.

  /**
   * Removes the person's authenticator app, recovery codes and passkeys and ends their sessions: they set up
   * an authenticator app again at their next sign-in. The reason is required and audited.
   */
  async resetFactors(userId: string, reason: string, ctx: RequestContext): Promise<void> {
    const why = reason.trim();
    if (!why) throw new DomainError('REASON_REQUIRED', 'Enter why the sign-in security is being reset', 'reason');
    if (why.length > RESET_REASON_MAX)
      throw new DomainError('REASON_TOO_LONG', `Reason must be ${RESET_REASON_MAX} characters or fewer`, 'reason');
    await this.uow.run(async ({ accounts, secondFactor, audit }) => {
      const user = await accounts.findUserById(userId);
      if (!user) throw new NotFoundError('The account');
      const removed = await secondFactor.deleteAllFactors(userId);
      const sessionsEnded = await accounts.deleteSessionsForUser(userId);
      await audit.record({
        action: 'second-factor.reset',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'user', id: userId },
        outcome: 'success',
        details: { reason: why, removed, sessionsEnded },
      });
    });
  }

  private async saveChallenge(sessionToken: string, purpose: 'register' | 'sign-in', challenge: string) {
    const expiresAt = new Date(this.clock.now().getTime() + CHALLENGE_TTL_MS);
    await this.uow.run(({ secondFactor }) =>
      secondFactor.saveChallenge(this.secrets.hash(sessionToken), purpose, challenge, expiresAt),
    );
  }
}

/** 10 codes of 10 characters (about 49 bits each), shown as two groups of 5. */
function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}
