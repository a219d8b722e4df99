/** 002 §4.1: a member of staff's line manager, set by an administrator: another active account, never themselves. */
import { InvalidDetailsError, NotFoundError } from '../../../domain/shared/errors.ts';
import type { Repositories } from '../../unit-of-work.ts';
import { isUuid } from '../service-deps.ts';

/** The line manager to save (null: none), or InvalidDetailsError on `lineManagerId`. */
export async function checkLineManager(
  repos: Repositories,
  userId: string,
  lineManagerId: string | null,
): Promise<string | null> {
  if (!isUuid(userId) || !(await repos.accounts.findUserById(userId))) throw new NotFoundError('The account');
  const id = (lineManagerId ?? '').trim().toLowerCase();
  if (!id) return null;
  const problem = (message: string) => new InvalidDetailsError([{ field: 'lineManagerId', message }]);
  if (id === userId) throw problem('A person cannot be their own line manager');
  const manager = isUuid(id) ? await repos.accounts.findUserById(id) : null;
  if (!manager || manager.disabledAt) throw problem('Select the line manager from the list');
  // No loops: the manager must not be managed, however indirectly, by this person.
  const seen = new Set<string>([id]);
  for (let m: string | null = await repos.chairing.lineManagerOf(id); m; m = await repos.chairing.lineManagerOf(m)) {
    if (m === userId) throw problem(`${manager.name} is managed by this person, so cannot be their line manager`);
    if (seen.has(m)) break;
    seen.add(m);
  }
  return id;
}
