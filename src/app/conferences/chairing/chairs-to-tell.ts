/**
 * Who a notice for a conference's chair goes to (002 §4.1, P-9, T-11): the assigned chair and, while one is
 * recorded, the cover chair as well. Both may act as chair while cover is recorded, and the assigned chair may be
 * back before the cover is ended, so neither is left out; a disabled account is told nothing. Copy requests are not
 * among these: their chair is the one the requester asked.
 */
import type { UserRecord } from '../../accounts/ports.ts';
import type { Repositories } from '../../unit-of-work.ts';

export interface ChairsToTell {
  /** The assigned chair's active account, else the first active one of `fallbackIds`; null when there is none. */
  chair: UserRecord | null;
  /** The recorded cover chair's active account, when it is not `chair`'s. */
  cover: UserRecord | null;
}

/**
 * The active accounts to tell, in the caller's transaction. `fallbackIds`: who to tell in the assigned chair's place
 * when their account is missing or disabled (the chair told when an incident was recorded, say).
 */
export async function chairsToTell(
  repos: { accounts: Pick<Repositories['accounts'], 'findUserById'> },
  c: { chairUserId: string | null; coverChairUserId?: string | null | undefined },
  fallbackIds: ReadonlyArray<string | null> = [],
): Promise<ChairsToTell> {
  const active = async (id: string | null | undefined) => {
    const user = id ? await repos.accounts.findUserById(id) : null;
    return user && user.disabledAt === null ? user : null;
  };
  let chair: UserRecord | null = null;
  for (const id of [c.chairUserId, ...fallbackIds]) {
    chair = await active(id);
    if (chair) break;
  }
  const cover = await active(c.coverChairUserId);
  return { chair, cover: cover && cover.id !== chair?.id ? cover : null };
}

/** Everyone in `t`, the chair first. */
export const everyoneIn = (t: ChairsToTell): UserRecord[] => [t.chair, t.cover].filter((u) => u !== null);
