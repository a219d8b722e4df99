/**
 * Test set-up for the destruction of a whole written record (R-4): a held conference whose record has every part the
 * disposal function removes. Decisions (with agencies' views), plans (with actions and core group members), the
 * chair's summary, a decision letter issued, amended and issued again come through the services' own use cases; the
 * parts whose use cases need a mail round trip or an upload are inserted as those use cases store them: a posted
 * sending with a secure delivery (its code, grant and events), a dissent referral, a core group meeting with its
 * record and reminder, and an agency's and a parent's report whose files are real blobs.
 */
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { issueNextVersion, issuedDecisionLetter, letterStaff } from '../../../test/support/sending.ts';
import type { TestContext } from '../../../test/support/services.ts';
import type { StoredBlob } from '../blobs/blob-store.ts';

export interface WholeRecord {
  conferenceId: string;
  childIds: string[];
  /** Every stored file of the written record: the issued documents and the two reports. */
  files: Array<{ blobKey: string; contentSha256: string }>;
  reportBlobs: StoredBlob[];
}

/** Every table that holds a part of the written record, with how its rows name the conference. */
export const WRITTEN_RECORD_TABLES: Record<string, string> = {
  document_drafts: 'conference_id = $1',
  document_comments: 'draft_id in (select id from document_drafts where conference_id = $1)',
  document_tasks: 'conference_id = $1',
  document_distribution_overrides: 'conference_id = $1',
  issued_documents: 'conference_id = $1',
  amendment_requests: 'conference_id = $1',
  document_sendings: 'conference_id = $1',
  deliveries: 'document_sending_id in (select id from document_sendings where conference_id = $1)',
  delivery_events:
    'delivery_id in (select d.id from deliveries d join document_sendings s on s.id = d.document_sending_id where s.conference_id = $1)',
  delivery_codes:
    'delivery_id in (select d.id from deliveries d join document_sendings s on s.id = d.document_sending_id where s.conference_id = $1)',
  delivery_grants:
    'delivery_id in (select d.id from deliveries d join document_sendings s on s.id = d.document_sending_id where s.conference_id = $1)',
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

/** What stays: the conference itself and the rows later records name (R-4). */
export const KEPT_TABLES: Record<string, string> = {
  conferences: 'id = $1',
  conference_children: 'conference_id = $1',
  conference_invitees: 'conference_id = $1',
  conference_parts: 'conference_id = $1',
};

/** How many rows each table holds for the conference. */
export async function rowsFor(
  ctx: TestContext,
  tables: Record<string, string>,
  conferenceId: string,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [table, where] of Object.entries(tables)) {
    const sql = `select count(*)::int as n from ${table} where ${where.replaceAll('$1', `'${conferenceId}'`)}`;
    const rows = (await ctx.services.database.execute(sql)).rows as Array<{ n: number }>;
    out[table] = Number(rows[0]!.n);
  }
  return out;
}

export async function wholeRecord(ctx: TestContext): Promise<WholeRecord> {
  const people = await letterStaff(ctx);
  const letter = await issuedDecisionLetter(ctx, people);
  await issueNextVersion(ctx, letter, people);
  const { g, draftId } = letter;
  const run = async (text: string) =>
    (await ctx.services.database.execute(text)).rows as Array<Record<string, unknown>>;
  const c = `'${g.conferenceId}'`;
  const dr = `'${draftId}'`;
  await run(`insert into document_comments (draft_id, section_id, body, author_user_id, created_at)
      values (${dr}, 'plain-english-reasons', 'Say which school', '${people.chair.id}', '2026-03-03T10:00:00Z')`);
  await run(`insert into document_tasks (draft_id, conference_id, kind, invitee_id, recipient_name, arrangement, created_at)
      values (${dr}, ${c}, 'decision-letter', '${g.invitee.father}', 'Father', 'large-print', '2026-03-04T10:00:00Z')`);
  await run(`insert into document_distribution_overrides (draft_id, conference_id, invitee_id, issue_number, action, reason, at)
      values (${dr}, ${c}, '${g.invitee.advocate}', 1, 'add', 'Grace asked for her advocate to have it', '2026-03-04T10:00:00Z')`);
  const [sending] = await run(`insert into document_sendings
      (conference_id, draft_id, issue_number, recipient_invitee_id, method, posted_on, sent_by_user_id, sent_at)
      values (${c}, '${draftId}', 1, '${g.invitee.mother}', 'post', '2026-03-05', '${people.support.id}', '2026-03-05T10:00:00Z')
      returning id`);
  const [delivery] = await run(`insert into deliveries
      (document_sending_id, token_hash, email, files, download_limit, created_by, created_at, expires_at)
      values ('${String(sending!['id'])}', '${'b'.repeat(64)}', 'grace@example.org', '[]'::jsonb, 3, '${people.support.id}',
        '2026-03-05T10:00:00Z', '2026-03-19T10:00:00Z') returning id`);
  const d = `'${String(delivery!['id'])}'`;
  await run(`insert into delivery_events (delivery_id, kind, at) values
      (${d}, 'created', '2026-03-05T10:00:00Z'), (${d}, 'viewed', '2026-03-06T10:00:00Z'), (${d}, 'downloaded', '2026-03-06T10:05:00Z')`);
  await run(`insert into delivery_codes (delivery_id, code_hash, issued_at, expires_at)
      values (${d}, '${'c'.repeat(64)}', '2026-03-06T10:00:00Z', '2026-03-06T10:15:00Z')`);
  await run(`insert into delivery_grants (delivery_id, grant_hash, created_at, expires_at)
      values (${d}, '${'e'.repeat(64)}', '2026-03-06T10:01:00Z', '2026-03-06T11:01:00Z')`);
  const [decision] = await run(
    `select id from child_decisions where conference_id = ${c} order by recorded_at limit 1`,
  );
  await run(`insert into dissent_referrals (decision_id, referred_to, referred_on)
      values ('${String(decision!['id'])}', 'Head of Safeguarding', '2026-03-04')`);
  const plans = await run(`select id, child_id from child_plans where conference_id = ${c} order by recorded_at`);
  const ava = plans.find((p) => p['child_id'] === g.children.ava)!;
  const [meeting] = await run(`insert into core_group_meetings
      (child_id, conference_id, sequence, meeting_date, chair_user_id, created_by_user_id)
      values ('${g.children.ava}', ${c}, 1, '2026-03-12', '${people.socialWorker.id}', '${people.socialWorker.id}') returning id`);
  const m = `'${String(meeting!['id'])}'`;
  await run(`insert into core_group_records (meeting_id, version, plan_id, attendance, progress, notes, change_reason, recorded_by_user_id, recorded_at)
      values (${m}, 1, '${String(ava['id'])}', '[]'::jsonb, '[]'::jsonb, 'Grace cleaned the kitchen', null, '${people.socialWorker.id}', '2026-03-12T12:00:00Z'),
        (${m}, 2, '${String(ava['id'])}', '[]'::jsonb, '[]'::jsonb, 'Grace cleaned the home', 'The school''s news came late', '${people.socialWorker.id}', '2026-03-13T12:00:00Z')`);
  await run(`insert into core_group_reminders (conference_id, child_id, due_on, sent_on, created_at)
      values (${c}, '${g.children.ben}', '2026-03-12', '2026-03-10', '2026-03-10T08:00:00Z')`);
  const put = (n: number) => ctx.services.blobs.put(Readable.from([randomBytes(n)]));
  const agencyFile = await put(700);
  const parentFile = await put(600);
  await run(`insert into conference_reports (conference_id, agency_id, blob_key, file_sha256, media_type, size_bytes, received_at)
      values (${c}, '${g.agencies.school}', '${agencyFile.key}', '${'1'.repeat(64)}', 'application/pdf', 700, '2026-02-27T10:00:00Z')`);
  await run(`insert into conference_reports (conference_id, agency_id, received_at)
      values (${c}, '${g.agencies.police}', '2026-02-27T11:00:00Z')`);
  await run(`insert into parent_reports (conference_id, invitee_id, source, blob_key, file_sha256, format, size_bytes, received_on)
      values (${c}, '${g.invitee.mother}', 'file', '${parentFile.key}', '${'2'.repeat(64)}', 'pdf', 600, '2026-02-28')`);
  const issued = await run(
    `select blob_key, sha256 from issued_documents where conference_id = ${c} order by issued_at`,
  );
  return {
    conferenceId: g.conferenceId,
    childIds: [g.children.ava, g.children.ben],
    files: [
      ...issued.map((f) => ({ blobKey: String(f['blob_key']), contentSha256: String(f['sha256']) })),
      { blobKey: agencyFile.key, contentSha256: '1'.repeat(64) },
      { blobKey: parentFile.key, contentSha256: '2'.repeat(64) },
    ],
    reportBlobs: [agencyFile, parentFile],
  };
}
