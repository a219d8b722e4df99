/** Signing in and out, sessions with their time-outs, and forms kept for their author after a session ended. */
import type { Actor } from '../../domain/access/roles.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { AccountsDeps, SignInResult, SessionLookup } from './accounts-model.ts';
import { ADDRESS_WIDE_FACTOR, ACCOUNT_WIDE_FACTOR, toActor } from './accounts-model.ts';

/**
 * Lock-outs that neither reveal which emails have accounts nor let one client lock everyone out:
 * - failures are counted per client address and account: after `signInMaxAttempts` that address is
 *   locked out of that account for the window, while the owner, signing in from their own address, is not;
 * - an address that fails `ADDRESS_WIDE_FACTOR` times as often, across any accounts, is stopped for all of
 *   them (password spraying), before it can lock out many people;
 * - an account that fails `ACCOUNT_WIDE_FACTOR` times as often from all addresses together is locked for
 *   everyone, which bounds guessing spread over many addresses.
 * An unknown, locked, disabled account and a wrong password get the same answer, after the same work
 * (a password hash is always computed, against a dummy for unknown emails).
 */
export async function signIn(
  deps: AccountsDeps,
  email: string,
  password: string,
  ctx: { correlationId?: string | undefined; clientAddress?: string | undefined },
): Promise<SignInResult> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - deps.settings.signInWindowMs);
  const addressKey = deps.addressKey(ctx.clientAddress ?? 'unknown');
  const max = deps.settings.signInMaxAttempts;
  const { user, addressFailures, accountAddressFailures, accountFailures } = await deps.uow.run(
    async ({ accounts }) => {
      const found = await accounts.findUserByEmail(email.trim());
      return {
        user: found,
        addressFailures: await accounts.countAddressFailuresSince(addressKey, since),
        accountAddressFailures: found ? await accounts.countAddressFailuresSince(addressKey, since, found.id) : 0,
        accountFailures: found ? await accounts.countSignInFailuresSince(found.id, since) : 0,
      };
    },
  );
  // Always run the hash, so timing does not reveal whether the account exists or is locked.
  const passwordOk = await deps.hasher.verify(password, user?.passwordHash ?? null);
  const outcome: SignInResult =
    addressFailures >= max * ADDRESS_WIDE_FACTOR
      ? { ok: false, reason: 'throttled' }
      : !user
        ? { ok: false, reason: 'invalid' }
        : accountAddressFailures >= max || accountFailures >= max * ACCOUNT_WIDE_FACTOR
          ? { ok: false, reason: 'locked' }
          : !passwordOk
            ? { ok: false, reason: 'invalid' }
            : user.disabledAt
              ? { ok: false, reason: 'disabled' }
              : deps.settings.passwordSignInForAdministratorsOnly && !user.roles.includes('admin')
                ? { ok: false, reason: 'invalid' }
                : { ok: true, user, sessionToken: deps.secrets.newToken() };
  await deps.uow.run(async ({ accounts, audit }) => {
    // A password alone is not enough: the session waits for the second factor (see SecondFactorService).
    if (outcome.ok) await insertSession(deps, accounts, outcome.sessionToken, outcome.user.id, now, true);
    else await accounts.recordSignInFailure({ addressKey, userId: user?.id ?? null, at: now }, since);
    await audit.record({
      action: 'sign-in',
      actor: user ? { id: user.id, label: user.name } : { id: null, label: 'unknown account' },
      correlationId: ctx.correlationId,
      subject: user ? { type: 'user', id: user.id } : undefined,
      outcome: outcome.ok ? 'success' : 'failure',
      details: outcome.ok ? {} : { reason: outcome.reason },
    });
  });
  return outcome;
}

/**
 * Starts a session for someone whose identity has been checked by other means (a council's single sign-on,
 * or a second factor just given), returning its token for their cookie. `secondFactorDue`: the session
 * must wait for this service's second factor before it is used. The caller audits how they signed in.
 */
export async function startSession(
  deps: AccountsDeps,
  userId: string,
  opts: { secondFactorDue: boolean },
): Promise<string> {
  const token = deps.secrets.newToken();
  await deps.uow.run(({ accounts }) =>
    insertSession(deps, accounts, token, userId, deps.clock.now(), opts.secondFactorDue),
  );
  return token;
}

/** Stores a new session (hashed) and forgets the person's sessions that have ended. */
async function insertSession(
  deps: AccountsDeps,
  accounts: Repositories['accounts'],
  token: string,
  userId: string,
  now: Date,
  secondFactorDue: boolean,
): Promise<void> {
  await accounts.insertSession(deps.secrets.hash(token), userId, now, { secondFactorDue });
  await accounts.deleteEndedSessions(
    userId,
    new Date(now.getTime() - deps.settings.sessionIdleMs),
    new Date(now.getTime() - deps.settings.sessionAbsoluteMs),
  );
}

export async function signOut(deps: AccountsDeps, sessionToken: string, ctx: RequestContext): Promise<void> {
  await deps.uow.run(async ({ accounts, audit }) => {
    await accounts.deleteSession(deps.secrets.hash(sessionToken));
    await audit.record({
      action: 'sign-out',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      outcome: 'success',
    });
  });
}

/**
 * Idle and absolute time-outs; a disabled account has no sessions, but check anyway. An ended session never comes
 * back. The session and its account are read in one statement, outside a transaction: a request signed in on a
 * live session costs one query. Ending a session and noting that it was used (at most once a minute) are writes,
 * in their own transaction.
 */
export async function resolveSession(deps: AccountsDeps, sessionToken: string): Promise<SessionLookup> {
  const idHash = deps.secrets.hash(sessionToken);
  const now = deps.clock.now().getTime();
  const found = await deps.uow.read(({ accounts }) => accounts.findSessionWithUser(idHash));
  if (!found) return { ok: false, reason: 'unknown' };
  const { session, user } = found;
  const forget = () => deps.uow.run(({ accounts }) => accounts.deleteSession(idHash));
  const expiresAt = session.createdAt.getTime() + deps.settings.sessionAbsoluteMs;
  const idleAt = session.lastSeenAt.getTime() + deps.settings.sessionIdleMs;
  if (now > expiresAt || now > idleAt) {
    const reason = now > expiresAt ? 'expired' : 'idle';
    // The ended session is remembered as long as a form sent with it would be kept, so a stray request
    // in between (another tab, an image) cannot make the next form post lose what was typed.
    if (now - Math.min(expiresAt, idleAt) <= deps.settings.keptFormTtlMs)
      return { ok: false, reason, userId: session.userId };
    await forget();
    return { ok: false, reason };
  }
  if (!user || user.disabledAt) {
    await forget();
    return { ok: false, reason: 'disabled' };
  }
  // Write at most once a minute: a page with many assets should not write for each one.
  if (now - session.lastSeenAt.getTime() > 60_000)
    await deps.uow.run(({ accounts }) => accounts.touchSession(idHash, new Date(now)));
  return { ok: true, user, actor: toActor(user), secondFactorDue: session.secondFactorDue };
}

/** Keeps what was posted to `path` by the person whose session ended; returns the key for their browser. */
export async function keepForm(
  deps: AccountsDeps,
  userId: string,
  path: string,
  fields: Record<string, string | string[]>,
  ctx: { correlationId?: string | undefined },
): Promise<string> {
  const key = deps.secrets.newToken();
  const now = deps.clock.now();
  await deps.uow.run(async ({ accounts, audit }) => {
    await accounts.deleteExpiredKeptForms(now);
    await accounts.insertKeptForm({
      idHash: deps.secrets.hash(key),
      userId,
      path,
      fields,
      createdAt: now,
      expiresAt: new Date(now.getTime() + deps.settings.keptFormTtlMs),
    });
    await audit.record({
      action: 'kept-form.keep',
      actor: { id: userId, label: 'signed out' },
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: userId },
      outcome: 'success',
      details: { path, fields: Object.keys(fields).length },
    });
  });
  return key;
}

/**
 * The kept form, once, for the person who posted it. Anyone else signing in on that browser gets
 * nothing, and the form is destroyed so it cannot be found later (the attempt is audited as denied).
 */
export async function takeKeptForm(
  deps: AccountsDeps,
  key: string,
  actor: Actor,
  ctx: RequestContext,
): Promise<{ path: string; fields: Record<string, string | string[]> } | null> {
  return deps.uow.run(async ({ accounts, audit }) => {
    const kept = await accounts.takeKeptForm(deps.secrets.hash(key), deps.clock.now());
    if (!kept) return null;
    const mine = kept.userId === actor.id;
    await audit.record({
      action: 'kept-form.restore',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: kept.userId },
      outcome: mine ? 'success' : 'denied',
      details: { path: kept.path },
    });
    return mine ? { path: kept.path, fields: kept.fields } : null;
  });
}
