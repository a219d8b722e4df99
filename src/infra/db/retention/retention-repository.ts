/**
 * Retention and disposal (R-4) in the database: schedules, holds, proposals and their items, the facts a record's
 * retention counts from, and the removal of a destroyed record's rows. Rows the audio record keeps for good (R-3) are
 * removed only by the database's disposal functions (`cpcr_dispose_recording`, `cpcr_dispose_disclosure_copy`,
 * `cpcr_dispose_conference_record`, `cpcr_dispose_copy_request`: migrations 0037 and 0042), which run as the tables'
 * owner and refuse unless a proposal approved by a second person still has the item pending and no hold is current.
 */
import { and, eq, sql } from 'drizzle-orm';
import type {
  HoldRecord,
  ItemEvidence,
  ProposalItemRecord,
  ProposalRecord,
  RetentionRepository,
  StoredSchedule,
} from '../../../app/retention/ports.ts';
import { parseIsoDate } from '../../../domain/calendar/iso-date.ts';
import { ITEM_STATES, PROPOSAL_STATES } from '../../../domain/retention/disposal.ts';
import { DISPOSABLE_KINDS, RECORD_KINDS } from '../../../domain/retention/schedules.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import { disposalItems, disposalProposals, retentionHolds, retentionSchedules } from '../retention-schema.ts';
import { type Row, retentionCandidates, rowsOf, str, strOrNull, toDate, toDateOrNull } from './retention-candidates.ts';
import { retentionEvidence } from './retention-evidence.ts';

export function retentionRepository(db: DbOrTx): RetentionRepository {
  const rows = rowsOf(db);

  const proposalSelect = sql`
    select p.*, pu.name as proposed_by_name, au.name as approved_by_name, du.name as declined_by_name,
      (select count(*)::int from disposal_items i where i.proposal_id = p.id) as item_count
    from disposal_proposals p
    join users pu on pu.id = p.proposed_by
    left join users au on au.id = p.approved_by
    left join users du on du.id = p.declined_by`;

  const proposal = (r: Row): ProposalRecord => ({
    id: str(r['id']),
    number: Number(r['number']),
    state: oneOf(PROPOSAL_STATES, str(r['state']), 'disposal_proposals.state'),
    note: strOrNull(r['note']),
    proposedBy: str(r['proposed_by']),
    proposedByName: str(r['proposed_by_name']),
    proposedAt: toDate(r['proposed_at']),
    approvedBy: strOrNull(r['approved_by']),
    approvedByName: strOrNull(r['approved_by_name']),
    approvedAt: toDateOrNull(r['approved_at']),
    declinedBy: strOrNull(r['declined_by']),
    declinedByName: strOrNull(r['declined_by_name']),
    declinedAt: toDateOrNull(r['declined_at']),
    declineReason: strOrNull(r['decline_reason']),
    completedAt: toDateOrNull(r['completed_at']),
    schedules: (r['schedules'] ?? {}) as Record<string, string>,
    version: Number(r['version']),
    itemCount: Number(r['item_count']),
  });

  const hold = (r: Row): HoldRecord => ({
    id: str(r['id']),
    kind: oneOf(DISPOSABLE_KINDS, str(r['item_kind']), 'retention_holds.item_kind'),
    itemId: str(r['item_id']),
    reason: str(r['reason']),
    placedBy: str(r['placed_by']),
    placedByName: str(r['placed_by_name']),
    placedAt: toDate(r['placed_at']),
    removedBy: strOrNull(r['removed_by']),
    removedByName: strOrNull(r['removed_by_name']),
    removedAt: toDateOrNull(r['removed_at']),
    removalReason: strOrNull(r['removal_reason']),
  });
  const holdSelect = sql`
    select h.*, pu.name as placed_by_name, ru.name as removed_by_name
    from retention_holds h join users pu on pu.id = h.placed_by left join users ru on ru.id = h.removed_by`;

  return {
    ...retentionCandidates(db),
    ...retentionEvidence(db),

    async listSchedules() {
      const found = await rows(sql`
        select s.kind, s.value, s.version, s.updated_at, u.name as updated_by_name
        from retention_schedules s left join users u on u.id = s.updated_by order by s.kind`);
      return found.map((r): StoredSchedule => ({
        kind: oneOf(RECORD_KINDS, str(r['kind']), 'retention_schedules.kind'),
        value: r['value'],
        version: Number(r['version']),
        updatedAt: toDate(r['updated_at']),
        updatedByName: strOrNull(r['updated_by_name']),
      }));
    },

    async saveSchedule(kind, { value, updatedBy, at, expectedVersion }) {
      if (expectedVersion === 0) {
        const inserted = await db
          .insert(retentionSchedules)
          .values({ kind, value, version: 1, updatedBy, updatedAt: at })
          .onConflictDoNothing({ target: retentionSchedules.kind })
          .returning({ version: retentionSchedules.version });
        return inserted[0]?.version ?? null;
      }
      const updated = await db
        .update(retentionSchedules)
        .set({ value, updatedBy, updatedAt: at, version: sql`${retentionSchedules.version} + 1` })
        .where(and(eq(retentionSchedules.kind, kind), eq(retentionSchedules.version, expectedVersion)))
        .returning({ version: retentionSchedules.version });
      return updated[0]?.version ?? null;
    },

    async currentHolds() {
      return (await rows(sql`${holdSelect} where h.removed_at is null order by h.placed_at, h.id`)).map(hold);
    },

    async findHold(id) {
      const [r] = await rows(sql`${holdSelect} where h.id = ${id}::uuid`);
      return r ? hold(r) : null;
    },

    async insertHold({ kind, itemId, reason, placedBy, at }) {
      const inserted = await db
        .insert(retentionHolds)
        .values({ itemKind: kind, itemId, reason, placedBy, placedAt: at })
        .onConflictDoNothing()
        .returning({ id: retentionHolds.id });
      return inserted[0]?.id ?? null;
    },

    async removeHold(id, { removedBy, at, reason }) {
      const updated = await db
        .update(retentionHolds)
        .set({ removedBy, removedAt: at, removalReason: reason })
        .where(and(eq(retentionHolds.id, id), sql`${retentionHolds.removedAt} is null`))
        .returning({ id: retentionHolds.id });
      return updated.length === 1;
    },

    async liveItemKeys() {
      const found = await rows(sql`
        select i.item_kind, i.item_id from disposal_items i join disposal_proposals p on p.id = i.proposal_id
        where p.state in ('proposed', 'approved') and i.state = 'pending'`);
      return new Set(found.map((r) => `${str(r['item_kind'])}:${str(r['item_id'])}`));
    },

    async insertProposal({ note, proposedBy, at, schedules, items }) {
      const [p] = await db
        .insert(disposalProposals)
        .values({ state: 'proposed', note, proposedBy, proposedAt: at, schedules })
        .returning({ id: disposalProposals.id, number: disposalProposals.number });
      await db
        .insert(disposalItems)
        .values(items.map((i) => ({ proposalId: p!.id, itemKind: i.kind, itemId: i.itemId, dueOn: i.dueOn })));
      return p!;
    },

    async findProposal(id, opts = {}) {
      if (opts.lock) await db.execute(sql`select 1 from disposal_proposals where id = ${id}::uuid for update`);
      const [r] = await rows(sql`${proposalSelect} where p.id = ${id}::uuid`);
      return r ? proposal(r) : null;
    },

    async listProposals() {
      return (await rows(sql`${proposalSelect} order by p.number desc`)).map(proposal);
    },

    async proposalItems(id) {
      const found = await rows(sql`
        select item_kind, item_id, due_on::text as due_on, state, evidence, destroyed_at from disposal_items
        where proposal_id = ${id}::uuid order by item_kind desc, due_on, item_id`);
      return found.map((r): ProposalItemRecord => ({
        kind: oneOf(DISPOSABLE_KINDS, str(r['item_kind']), 'disposal_items.item_kind'),
        itemId: str(r['item_id']),
        dueOn: parseIsoDate(str(r['due_on'])),
        state: oneOf(ITEM_STATES, str(r['state']), 'disposal_items.state'),
        evidence: (r['evidence'] ?? null) as ItemEvidence | null,
        destroyedAt: toDateOrNull(r['destroyed_at']),
      }));
    },

    async decideProposal(id, expectedVersion, change) {
      const set =
        change.state === 'approved'
          ? { state: 'approved', approvedBy: change.by, approvedAt: change.at }
          : { state: 'declined', declinedBy: change.by, declinedAt: change.at, declineReason: change.reason };
      const updated = await db
        .update(disposalProposals)
        .set({ ...set, version: sql`${disposalProposals.version} + 1` })
        .where(
          and(
            eq(disposalProposals.id, id),
            eq(disposalProposals.version, expectedVersion),
            eq(disposalProposals.state, 'proposed'),
          ),
        )
        .returning({ id: disposalProposals.id });
      return updated.length === 1;
    },

    async unfinishedProposals() {
      const found = await rows(sql`
        select p.id from disposal_proposals p where p.state = 'approved' order by p.number`);
      return found.map((r) => str(r['id']));
    },

    async completeProposal(id, at) {
      await db
        .update(disposalProposals)
        .set({ state: 'destroyed', completedAt: at, version: sql`${disposalProposals.version} + 1` })
        .where(and(eq(disposalProposals.id, id), eq(disposalProposals.state, 'approved')));
    },

    async setItemEvidence(proposalId, kind, itemId, evidence) {
      await db
        .update(disposalItems)
        .set({ evidence })
        .where(
          and(
            eq(disposalItems.proposalId, proposalId),
            eq(disposalItems.itemKind, kind),
            eq(disposalItems.itemId, itemId),
          ),
        );
    },

    async markItem(proposalId, kind, itemId, state, at) {
      await db
        .update(disposalItems)
        .set({ state, ...(state === 'destroyed' ? { destroyedAt: at } : {}) })
        .where(
          and(
            eq(disposalItems.proposalId, proposalId),
            eq(disposalItems.itemKind, kind),
            eq(disposalItems.itemId, itemId),
            eq(disposalItems.state, 'pending'),
          ),
        );
    },
  };
}
