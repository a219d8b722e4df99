/**
 * How many recordings need someone to act (R-3, R-4), for the link to their list on the dashboards of chairs and
 * business support: audio that went missing before it was stored, and live recordings from a browser with audio still
 * not stopped a week after they began — the list at /recordings/attention counts the same. Light: one query over the
 * two states; only when something needs attention are the conferences' children checked, so the count is of what the
 * person may open there (a conference whose every child they may see). A number alone, nothing about any record: not
 * audited (opening the list is).
 */
import { canViewChild } from '../../domain/access/child-access.ts';
import { type Actor, type Role, hasAnyRole } from '../../domain/access/roles.ts';
// The same test as the list and the recording page's banner: one function, so they never disagree.
import { needsAttention } from '../recordings/recording-shared.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';

/** Who may open the list (the recordings pages' managers): the chair and business support. */
export const ATTENTION_ROLES: readonly Role[] = ['chair', 'business_support'];

export interface RecordingsAttentionDeps {
  uow: UnitOfWork;
  clock: Clock;
}

/** The count for the dashboards; null for anyone who may not open the list (no link is shown). */
export class RecordingsAttentionCount {
  private readonly deps: RecordingsAttentionDeps;

  constructor(deps: RecordingsAttentionDeps) {
    this.deps = deps;
  }

  async count(actor: Actor): Promise<number | null> {
    if (!hasAnyRole(actor, ATTENTION_ROLES)) return null;
    const now = this.deps.clock.now();
    return this.deps.uow.run(async (repos) => {
      const due = (await repos.recordings.listByStatus(['audio_missing', 'receiving'])).filter((r) =>
        needsAttention(r, now),
      );
      if (!due.length) return 0;
      const visible = new Map<string, boolean>();
      let n = 0;
      for (const r of due) {
        if (!visible.has(r.conferenceId))
          visible.set(r.conferenceId, await mayViewConference(repos, actor, r.conferenceId));
        if (visible.get(r.conferenceId)) n++;
      }
      return n;
    });
  }
}

async function mayViewConference(repos: Repositories, actor: Actor, conferenceId: string): Promise<boolean> {
  for (const childId of (await repos.convening.conferenceChildIds(conferenceId)) ?? []) {
    const facts = await repos.people.childAccessFacts(childId);
    if (!facts || !canViewChild(actor, facts).allowed) return false;
  }
  return true;
}
