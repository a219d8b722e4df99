import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type {
  ConferenceRecordCandidate,
  CopyCandidate,
  CopyRequestCandidate,
  RecordingCandidate,
  RetentionRepository,
} from '../../../app/retention/ports.ts';
import { type IsoDate, parseIsoDate } from '../../../domain/calendar/iso-date.ts';
import type { DbOrTx } from '../client.ts';

/**
 * The records retention offers for destruction (R-4), with the facts each one's date counts from and the context the
 * review shows (never names): recordings, copies sent, conferences' written records and requests for copies.
 */

/** A raw query's result, as both drivers (node-postgres and PGlite) give it. */
const queryResult = z.object({ rows: z.array(z.record(z.string(), z.unknown())) });

export type Row = Record<string, unknown>;
export type Rows = (query: SQL) => Promise<Row[]>;

/** Runs a raw query and gives its rows. */
export const rowsOf =
  (db: DbOrTx): Rows =>
  async (query) =>
    queryResult.parse(await db.execute(query)).rows;

export const str = (v: unknown): string => String(v);
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
export const toDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : toDate(v));
const isoOrNull = (v: unknown): IsoDate | null => (v === null || v === undefined ? null : parseIsoDate(String(v)));
const births = (v: unknown): Array<IsoDate | null> => (Array.isArray(v) ? v.map((b) => isoOrNull(b)) : []);

export const idList = (ids: readonly string[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/**
 * A request's states once it is over: its retention counts from the day its timeline shows it got there (the day it
 * was last changed, for a request whose timeline has no such step).
 */
const CLOSED_SQL = `'closed', 'refused', 'withdrawn'`;

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
  childReferences: Array.isArray(r['refs']) ? r['refs'].map(String) : [],
  restricted: Boolean(r['restricted']),
});

type CandidateQueries = Pick<
  RetentionRepository,
  'recordingCandidates' | 'copyCandidates' | 'conferenceRecordCandidates' | 'copyRequestCandidates'
>;

export function retentionCandidates(db: DbOrTx): CandidateQueries {
  const rows = rowsOf(db);
  return {
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
        childBirthDates: births(r['births']),
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

    async conferenceRecordCandidates(ids) {
      if (ids && !ids.length) return [];
      const found = await rows(sql`
        select c.id, c.id as conference_id, ${conferenceFacts(sql`c.id`)},
          (select count(*)::int from recordings r where r.conference_id = c.id) as recordings_kept
        from conferences c
        where not exists (select 1 from disposal_items di where di.item_kind = 'conference-record' and di.item_id = c.id
            and di.state = 'destroyed')
          ${ids ? sql`and c.id in (${idList(ids)})` : sql``}`);
      return found.map((r): ConferenceRecordCandidate => ({
        kind: 'conference-record',
        id: str(r['id']),
        childBirthDates: births(r['births']),
        recordingsKept: Number(r['recordings_kept']),
        ...context(r),
      }));
    },

    async copyRequestCandidates(ids) {
      if (ids && !ids.length) return [];
      const found = await rows(sql`
        select q.id, q.conference_id, q.number as request_number, q.received_on::text as received_on,
          case when q.state in (${sql.raw(CLOSED_SQL)}) then coalesce((select max(s.at) from copy_request_steps s
            where s.request_id = q.id and s.to_state in (${sql.raw(CLOSED_SQL)})), q.updated_at) end as closed_at,
          ${conferenceFacts(sql`q.conference_id`)},
          (select count(distinct f.copy_id)::int from disclosure_copy_files f join disclosure_copies d on d.id = f.copy_id
            where d.request_id = q.id) as copies_kept
        from copy_requests q join conferences c on c.id = q.conference_id
        where true ${ids ? sql`and q.id in (${idList(ids)})` : sql``}`);
      return found.map((r): CopyRequestCandidate => ({
        kind: 'copy-request',
        id: str(r['id']),
        requestNumber: Number(r['request_number']),
        requestReceivedOn: parseIsoDate(str(r['received_on'])),
        closedAt: toDateOrNull(r['closed_at']),
        copiesKept: Number(r['copies_kept']),
        ...context(r),
      }));
    },
  };
}
