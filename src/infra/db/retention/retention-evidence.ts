import { sql } from 'drizzle-orm';
import type { ItemEvidence, RetentionRepository } from '../../../app/retention/ports.ts';
import type { DisposableKind } from '../../../domain/retention/schedules.ts';
import type { DbOrTx } from '../client.ts';
import { type Row, rowsOf, str, strOrNull } from './retention-candidates.ts';

/**
 * What destroying an item removes (R-4): its stored files with their SHA-256s, and its rows counted by table. Read
 * in the transaction that removes the rows, so the certificate says exactly what went. No personal data.
 */

const counted = (r: Row | undefined): Record<string, number> =>
  Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, Number(v)]));

/** The disposal function (migrations 0037 and 0042) that removes each kind's rows. */
const DISPOSE: Readonly<Record<DisposableKind, string>> = {
  recording: 'cpcr_dispose_recording',
  'copy-sent': 'cpcr_dispose_disclosure_copy',
  'conference-record': 'cpcr_dispose_conference_record',
  'copy-request': 'cpcr_dispose_copy_request',
};

/** Every table the destruction of a written record removes rows from (0042), with how its rows name the conference ($1). */
const SENDING = 'select s.id from document_sendings s where s.conference_id';
const SENT = `select d.id from deliveries d join document_sendings s on s.id = d.document_sending_id where s.conference_id`;
const CONFERENCE_RECORD_ROWS: Readonly<Record<string, string>> = {
  document_drafts: 'conference_id = $1',
  document_comments: 'draft_id in (select id from document_drafts where conference_id = $1)',
  document_tasks: 'conference_id = $1',
  document_distribution_overrides: 'conference_id = $1',
  issued_documents: 'conference_id = $1',
  document_sendings: 'conference_id = $1',
  deliveries: `document_sending_id in (${SENDING} = $1)`,
  delivery_events: `delivery_id in (${SENT} = $1)`,
  delivery_codes: `delivery_id in (${SENT} = $1)`,
  delivery_grants: `delivery_id in (${SENT} = $1)`,
  amendment_requests: 'conference_id = $1',
  child_decisions: 'conference_id = $1',
  agency_views: 'decision_id in (select id from child_decisions where conference_id = $1)',
  dissent_referrals: 'decision_id in (select id from child_decisions where conference_id = $1)',
  child_plans: 'conference_id = $1',
  plan_actions: 'plan_id in (select id from child_plans where conference_id = $1)',
  core_group_members: 'plan_id in (select id from child_plans where conference_id = $1)',
  core_group_meetings: 'conference_id = $1',
  core_group_records: 'meeting_id in (select id from core_group_meetings where conference_id = $1)',
  core_group_reminders: 'conference_id = $1',
  chair_summaries: 'conference_id = $1',
  conference_reports: 'conference_id = $1',
  parent_reports: 'conference_id = $1',
};

export function retentionEvidence(
  db: DbOrTx,
): Pick<RetentionRepository, 'itemEvidence' | 'destroyItemRows' | 'lockItem'> {
  const rows = rowsOf(db);
  const file = (what: string, f: Row, sha: string, size: string): ItemEvidence['files'][number] => ({
    what,
    blobKey: str(f['blob_key']),
    blobSha256: null,
    blobSize: Number(f[size] ?? 0),
    contentSha256: strOrNull(f[sha]),
  });

  async function recordingEvidence(id: string): Promise<ItemEvidence | null> {
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
        select d.kind, d.blob_key, d.blob_sha256, d.blob_size, d.sha256 from recording_derivatives d
        where d.original_recording_id = ${id}::uuid
          -- A damaged playback copy that a repaired one replaces was destroyed at the repair: not listed again.
          and not exists (select 1 from recording_derivatives s
            where s.original_recording_id = d.original_recording_id and s.details->>'replaces' = d.id::text)
        order by d.created_at, d.id`))
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
      rows: { recordings: 1, ...counted(counts) },
      conferenceId: str(r['conference_id']),
    };
  }

  async function copyEvidence(id: string): Promise<ItemEvidence | null> {
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
  }

  async function conferenceRecordEvidence(id: string): Promise<ItemEvidence | null> {
    const [c] = await rows(sql`select id from conferences where id = ${id}::uuid`);
    if (!c) return null;
    const files: ItemEvidence['files'] = [];
    for (const d of await rows(sql`
      select blob_key, sha256, byte_length from issued_documents where conference_id = ${id}::uuid order by issued_at, id`))
      files.push(file('issued-document', d, 'sha256', 'byte_length'));
    for (const d of await rows(sql`
      select blob_key, file_sha256, size_bytes from conference_reports
      where conference_id = ${id}::uuid and blob_key is not null order by received_at, id`))
      files.push(file('agency-report', d, 'file_sha256', 'size_bytes'));
    for (const d of await rows(sql`
      select blob_key, file_sha256, size_bytes from parent_reports where conference_id = ${id}::uuid order by created_at, id`))
      files.push(file('parent-report', d, 'file_sha256', 'size_bytes'));
    const [counts] = await rows(
      sql`select ${sql.join(
        Object.entries(CONFERENCE_RECORD_ROWS).map(([table, where]) => {
          const [before, after] = where.split('$1');
          return sql`(select count(*)::int from ${sql.raw(table)} where ${sql.raw(before!)}${id}::uuid${sql.raw(after!)}) as ${sql.raw(table)}`;
        }),
        sql`, `,
      )}`,
    );
    return { files, rows: counted(counts), conferenceId: id };
  }

  async function copyRequestEvidence(id: string): Promise<ItemEvidence | null> {
    const [q] = await rows(sql`select conference_id from copy_requests where id = ${id}::uuid`);
    if (!q) return null;
    const [counts] = await rows(sql`select 1 as copy_requests,
      (select count(*)::int from copy_request_steps where request_id = ${id}::uuid) as copy_request_steps,
      (select count(*)::int from copy_request_advice where request_id = ${id}::uuid) as copy_request_advice,
      (select count(*)::int from deliveries where request_id = ${id}::uuid) as deliveries,
      (select count(*)::int from delivery_events where delivery_id in (select id from deliveries where request_id = ${id}::uuid))
        as delivery_events,
      (select count(*)::int from delivery_codes where delivery_id in (select id from deliveries where request_id = ${id}::uuid))
        as delivery_codes,
      (select count(*)::int from delivery_grants where delivery_id in (select id from deliveries where request_id = ${id}::uuid))
        as delivery_grants,
      (select count(*)::int from disclosure_copies where request_id = ${id}::uuid) as disclosure_copies`);
    return { files: [], rows: counted(counts), conferenceId: str(q['conference_id']) };
  }

  return {
    async itemEvidence(kind, id) {
      if (kind === 'recording') return recordingEvidence(id);
      if (kind === 'copy-sent') return copyEvidence(id);
      if (kind === 'conference-record') return conferenceRecordEvidence(id);
      return copyRequestEvidence(id);
    },

    async destroyItemRows(kind, proposalId, id) {
      await db.execute(sql`select ${sql.raw(DISPOSE[kind])}(${id}::uuid, ${proposalId}::uuid)`);
    },

    async lockItem(kind, id) {
      await db.execute(sql`select cpcr_retention_lock(${kind}, ${id}::uuid)`);
    },
  };
}
