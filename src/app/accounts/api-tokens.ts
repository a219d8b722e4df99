/** API tokens: a person's own, for a council's case system, shown once and stored hashed. */
import type { Actor } from '../../domain/access/roles.ts';
import { DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { ApiTokenRecord, UserRecord } from './ports.ts';
import type { AccountsDeps } from './accounts-model.ts';
import { toActor } from './accounts-model.ts';

export async function createApiToken(
  deps: AccountsDeps,
  userId: string,
  label: string,
  expiresInDays: number | null,
  ctx: RequestContext,
): Promise<{ token: string; record: ApiTokenRecord }> {
  if (!label.trim())
    throw new DomainError('LABEL_REQUIRED', 'Enter a name for the token, such as the system that will use it', 'label');
  const token = deps.secrets.newToken('cpcr_');
  const expiresAt = expiresInDays === null ? null : new Date(deps.clock.now().getTime() + expiresInDays * 86_400_000);
  return deps.uow.run(async ({ accounts, audit }) => {
    const user = await accounts.findUserById(userId);
    if (!user) throw new NotFoundError('The account');
    if (user.disabledAt) throw new DomainError('USER_DISABLED', 'This account is disabled');
    const record = await accounts.insertApiToken({
      userId,
      label: label.trim(),
      tokenHash: deps.secrets.hash(token),
      expiresAt,
    });
    await audit.record({
      action: 'api-token.create',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: userId },
      outcome: 'success',
      details: { tokenId: record.id },
    });
    return { token, record };
  });
}

export async function listApiTokens(deps: AccountsDeps, userId: string): Promise<ApiTokenRecord[]> {
  return deps.uow.run(({ accounts }) => accounts.listApiTokens(userId));
}

export async function revokeApiToken(
  deps: AccountsDeps,
  tokenId: string,
  ownerId: string | null,
  ctx: RequestContext,
): Promise<void> {
  await deps.uow.run(async ({ accounts, audit }) => {
    if (ownerId !== null) {
      const mine = await accounts.listApiTokens(ownerId);
      if (!mine.some((t) => t.id === tokenId)) throw new NotFoundError('The token');
    }
    const revoked = await accounts.revokeApiToken(tokenId, deps.clock.now());
    if (!revoked) throw new NotFoundError('An active token with that id');
    await audit.record({
      action: 'api-token.revoke',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'api-token', id: tokenId },
      outcome: 'success',
    });
  });
}

export async function resolveApiToken(
  deps: AccountsDeps,
  token: string,
): Promise<{ ok: true; user: UserRecord; actor: Actor; tokenId: string } | { ok: false }> {
  const now = deps.clock.now();
  // The token and its account in one statement, outside a transaction; noting its use (once a minute) is a write.
  const found = await deps.uow.read(({ accounts }) => accounts.findApiTokenWithUser(deps.secrets.hash(token)));
  if (!found) return { ok: false };
  const { token: record, user } = found;
  if (record.revokedAt || (record.expiresAt && record.expiresAt <= now)) return { ok: false };
  if (!user || user.disabledAt) return { ok: false };
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > 60_000)
    await deps.uow.run(({ accounts }) => accounts.touchApiToken(record.id, now));
  return { ok: true, user, actor: toActor(user), tokenId: record.id };
}
