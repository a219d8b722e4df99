/**
 * Retention and disposal (R-4) in the database: schedules, holds, proposals and their items, the facts a record's
 * retention counts from, and the removal of a destroyed record's rows. Rows the audio record keeps for good (R-3) are
 * removed only by the database functions `cpcr_dispose_recording` and `cpcr_dispose_disclosure_copy` (migration 0037),
 * which run as the tables' owner and refuse unless a proposal approved by a second person still has the item pending.
 */
import { type SQL, and, eq, sql } from 'drizzle-orm';
import type {
  CopyCandidate,
  HoldRecord,
  ItemEvidence,
  ProposalItemRecord,
  ProposalRecord,
  RecordingCandidate,
  RetentionRepository,
  StoredSchedule,
} from '../../../app/retention/ports.ts';
import { type IsoDate, parseIsoDate } from '../../../domain/calendar/iso-date.ts';
import { ITEM_STATES, PROPOSAL_STATES } from '../../../domain/retention/disposal.ts';
import { DISPOSABLE_KINDS, RECORD_KINDS } from '../../../domain/retention/schedules.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import { disposalItems, disposalProposals, retentionHolds, retentionSchedules } from '../retention-schema.ts';

type Row = Record<string, unknown>;

const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const toDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : toDate(v));
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const isoOrNull = (v: unknown): IsoDate | null => (v === null || v === undefined ? null : parseIsoDate(String(v)));

const idList = (ids: readonly string[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

export function retentionRepository(db: DbOrTx): RetentionRepository {
  const rows = async (query: SQL): Promise<Row[]> => ((await db.execute(query)) as unknown as { rows: Row[] }).rows;

  /** Conference facts for candidates: date, type, children's references (unless restricted) and birth dates. */
  const conferenceFacts = (conference: SQL) => sql`
    c.scheduled_date::text as conference_date, c.type as conference_type,
    coalesce((select array_agg(ch.local_reference order by ch.local_reference) from conference_children cc
      join children ch on ch.id = cc.child_id where cc.conference_id = ${conference} and not ch.restricted), '{}') as refs,
    exists (select 1 from conference_children cc join children ch on ch.id = cc.child_id
      where cc.conference_id = ${conference} and ch.restricted) as restricted,
    coalesce((select array_agg(coalesce(ch.date_of_birth, ch.expected_delivery_date)::text) from conference_children cc
      join children ch on ch.id = cc.child_id where cc.conference_id = ${conference}), '{}') as births`;

  const context = (r: Row) => ({
    conferenceId: str(r['conference_id']),
    conferenceDate: parseIsoDate(str(r['conference_date'])),
    conferenceType: str(r['conference_type']),
    childReferences: (r['refs'] as string[]).map(String),
    restricted: Boolean(r['restricted']),
  });

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

    async recordingCandidates(ids) {
      if (ids && !ids.length) return [];
      const found = await rows(sql`
        select r.id, r.conference_id, r.kind as recording_kind, ${conferenceFacts(sql`r.conference_id`)},
          (select count(*)::int from disclosure_copy_files f where f.recording_id = r.id) as copies_kept
        from recordings r join conferences c on c.id = r.conference_id
        where r.status in ('stored', 'rejected') ${ids ? sql`and r.id in (${idList(ids)})` : sql``}`);
      return found.map((r): RecordingCandidate => ({
        kind: 'recording',
        id: str(r['id']),
        recordingKind: str(r['recording_kind']),
        childBirthDates: (r['births'] as Array<string | null>).map((b) => isoOrNull(b)),
        copiesKept: Number(r['copies_kept']),
        ...context(r),
      }));
    },

    async copyCandidates(ids) {
      if (ids && !ids.length) return [];
      const found = await rows(sql`
        select d.id, d.conference_id, q.number as request_number, q.received_on::text as received_on, q.sent_at,
          ${conferenceFacts(sql`d.conference_id`)},
          (select count(*)::int from disclosure_copy_files f where f.copy_id = d.id) as files
        from disclosure_copies d join copy_requests q on q.id = d.request_id join conferences c on c.id = d.conference_id
        where d.state in ('ready', 'failed')
          and not exists (select 1 from disposal_items di where di.item_kind = 'copy-sent' and di.item_id = d.id
            and di.state = 'destroyed')
          ${ids ? sql`and d.id in (${idList(ids)})` : sql``}`);
      return found.map((r): CopyCandidate => ({
        kind: 'copy-sent',
        id: str(r['id']),
        requestNumber: Number(r['request_number']),
        requestReceivedOn: parseIsoDate(str(r['received_on'])),
        sentAt: toDateOrNull(r['sent_at']),
        files: Number(r['files']),
        ...context(r),
      }));
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

    async recordingEvidence(id) {
      const [r] = await rows(sql`
        select conference_id, original_blob_key, original_blob_sha256, original_blob_size, original_sha256
        from recordings where id = ${id}::uuid`);
      if (!r) return null;
      const files: ItemEvidence['files'] = [];
      if (r['original_blob_key'])
        files.push({
          what: 'original',
          blobKey: str(r['original_blob_key']),
          blobSha256: strOrNull(r['original_blob_sha256']),
          blobSize: Number(r['original_blob_size'] ?? 0),
          contentSha256: strOrNull(r['original_sha256']),
        });
      for (const d of await rows(sql`
        select kind, blob_key, blob_sha256, blob_size, sha256 from recording_derivatives
        where original_recording_id = ${id}::uuid order by created_at, id`))
        files.push({
          what: str(d['kind']),
          blobKey: str(d['blob_key']),
          blobSha256: str(d['blob_sha256']),
          blobSize: Number(d['blob_size']),
          contentSha256: str(d['sha256']),
        });
      for (const f of await rows(sql`
        select blob_key, blob_sha256, blob_size, sha256 from disclosure_copy_files
        where recording_id = ${id}::uuid order by created_at, id`))
        files.push({
          what: 'disclosure-copy',
          blobKey: str(f['blob_key']),
          blobSha256: str(f['blob_sha256']),
          blobSize: Number(f['blob_size']),
          contentSha256: str(f['sha256']),
        });
      for (const p of await rows(sql`select blob_key from recording_pending_blobs where recording_id = ${id}::uuid`))
        files.push({
          what: 'unfinished-ingest',
          blobKey: str(p['blob_key']),
          blobSha256: null,
          blobSize: 0,
          contentSha256: null,
        });
      const [counts] = await rows(sql`select
        (select count(*)::int from recording_derivatives where original_recording_id = ${id}::uuid) as recording_derivatives,
        (select count(*)::int from explanatory_statements where recording_id = ${id}::uuid) as explanatory_statements,
        (select count(*)::int from recording_bookmarks where recording_id = ${id}::uuid) as recording_bookmarks,
        (select count(*)::int from withheld_segments where recording_id = ${id}::uuid) as withheld_segments,
        (select count(*)::int from recording_breaks where recording_id = ${id}::uuid) as recording_breaks,
        (select count(*)::int from recording_chunks where recording_id = ${id}::uuid) as recording_chunks,
        (select count(*)::int from fixity_events where recording_id = ${id}::uuid) as fixity_events,
        (select count(*)::int from disclosure_copy_files where recording_id = ${id}::uuid) as disclosure_copy_files`);
      return {
        files,
        rows: { recordings: 1, ...(counts as Record<string, number>) },
        conferenceId: str(r['conference_id']),
      };
    },

    async copyEvidence(id) {
      const [c] = await rows(sql`select conference_id from disclosure_copies where id = ${id}::uuid`);
      if (!c) return null;
      const files = (
        await rows(sql`
          select blob_key, blob_sha256, blob_size, sha256 from disclosure_copy_files
          where copy_id = ${id}::uuid order by ordinal, id`)
      ).map((f) => ({
        what: 'disclosure-copy',
        blobKey: str(f['blob_key']),
        blobSha256: str(f['blob_sha256']),
        blobSize: Number(f['blob_size']),
        contentSha256: str(f['sha256']),
      }));
      return {
        files,
        rows: { disclosure_copy_files: files.length, disclosure_copies_plan_cleared: 1 },
        conferenceId: str(c['conference_id']),
      };
    },

    async destroyRecordingRows(proposalId, id) {
      await db.execute(sql`select cpcr_dispose_recording(${id}::uuid, ${proposalId}::uuid)`);
    },

    async destroyCopyRows(proposalId, id) {
      await db.execute(sql`select cpcr_dispose_disclosure_copy(${id}::uuid, ${proposalId}::uuid)`);
    },
  };
}
