/**
 * A conference held for core groups (002 §3.7): the held conference of the written record's tests (Ava and Ben's
 * sibling group with a plan for each child, whose core group is the mother, the social worker and the school; the
 * first core group on 12 March 2026) with a second action, weekly home visits. The lead social worker is named for
 * Ben and, when `leadForAva` is false, left for a team manager to appoint for Ava.
 */
import type { Actor } from '../../src/domain/access/roles.ts';
import type { IsoDate } from '../../src/domain/calendar/index.ts';
import type { SiblingGroupConference } from './conferences.ts';
import { staff } from './people.ts';
import type { TestContext } from './services.ts';
import { DENTIST_ACTION, heldConferenceForRecord } from './written-record.ts';

export { as } from './written-record.ts';

const HOME_VISITS = { action: 'Weekly home visits', who: 'Social worker', byWhen: '2026-05-01' as IsoDate };

export function conferenceWithCoreGroups(
  ctx: TestContext,
  people: { socialWorker: Actor; chair: Actor; support: Actor },
  opts: { leadForAva?: boolean; familyName?: string } = {},
): Promise<SiblingGroupConference> {
  return heldConferenceForRecord(ctx, people, { ...opts, actions: [DENTIST_ACTION, HOME_VISITS] });
}

/**
 * The staff of the core group web and API tests, and the conference held on 2 March 2026 with no lead social worker
 * named for Ava: the social worker, a team manager, and a social worker of another family (the stranger).
 */
export async function coreGroupsCast(ctx: TestContext) {
  const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
  const chair = await staff(ctx, 'Cal Chair', ['chair']);
  const support = await staff(ctx, 'Bo Support', ['business_support']);
  const manager = await staff(ctx, 'Tia Manager', ['team_manager']);
  const stranger = await staff(ctx, 'Sol Other', ['social_worker']);
  ctx.clock.current = new Date('2026-03-02T09:00:00Z');
  const g = await conferenceWithCoreGroups(ctx, { socialWorker: sw, chair, support }, { leadForAva: false });
  return { sw, manager, stranger, g };
}
