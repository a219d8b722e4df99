/**
 * The seeded audit trail: entries spread over the seeded years in time order, appended in batches after
 * the trail's head under the chain's lock, each hashed with the trail's own chain function, so
 * `cpcr audit verify` checks a seeded trail exactly as it checks a real one.
 */
import type { DbOrTx } from '../../infra/db/client.ts';
import { auditEvents } from '../../infra/db/schema.ts';
import { auditHead, lockAuditChain } from '../../infra/audit/audit-repository.ts';
import { type ChainedFields, chainHash } from '../../infra/audit/chain.ts';
import type { SeedStaff } from './council.ts';
import type { SeededRandom } from './random.ts';

export interface AuditSubjects {
  childIds: string[];
  conferenceIds: string[];
  recordingIds: string[];
}

type Kind = 'child' | 'conference' | 'recording' | 'dashboard' | 'list';

/** What staff do most, roughly in proportion: reading records far more than changing them. */
const ACTIONS: ReadonlyArray<readonly [readonly [string, Kind], number]> = [
  [['child.view', 'child'], 28],
  [['conference.view', 'conference'], 24],
  [['dashboard.view', 'dashboard'], 14],
  [['recording.view', 'recording'], 8],
  [['recording.played', 'recording'], 7],
  [['conference.list', 'list'], 6],
  [['recording.list', 'conference'], 4],
  [['child.update', 'child'], 3],
  [['conference.rearrange', 'conference'], 2],
  [['recording.bookmark_added', 'recording'], 2],
  [['conference.create', 'conference'], 2],
];

export interface AuditPlan {
  rng: SeededRandom;
  count: number;
  from: Date;
  until: Date;
  staff: SeedStaff[];
  subjects: AuditSubjects;
  batchSize?: number;
  onProgress?: (written: number) => void;
}

/** Appends `count` entries, oldest first; returns how many were written. */
export async function writeAuditEntries(db: DbOrTx, plan: AuditPlan): Promise<number> {
  const { rng } = plan;
  const batchSize = plan.batchSize ?? 2000;
  const span = plan.until.getTime() - plan.from.getTime();
  const step = span / Math.max(1, plan.count);
  const readers = plan.staff.filter((s) => !s.roles.includes('legal_adviser'));
  let written = 0;
  while (written < plan.count) {
    const n = Math.min(batchSize, plan.count - written);
    await db.transaction(async (tx) => {
      await lockAuditChain(tx);
      let prev = await auditHead(tx);
      const rows: Array<typeof auditEvents.$inferInsert> = [];
      for (let i = 0; i < n; i++) {
        const k = written + i;
        const [action, kind] = rng.weighted(ACTIONS);
        const actor = rng.pick(readers);
        const subject = subjectFor(rng, kind, plan.subjects);
        const fields: ChainedFields = {
          seq: prev.seq + 1,
          at: new Date(Math.floor(plan.from.getTime() + step * k + rng.next() * step)),
          actorUserId: actor.id,
          actorLabel: actor.name,
          action,
          subjectType: subject?.type ?? null,
          subjectId: subject?.id ?? null,
          requestId: rng.uuid(),
          outcome: rng.chance(0.004) ? 'denied' : 'success',
          details: kind === 'dashboard' ? { view: rng.pick(['mine', 'all', 'overdue']), shown: rng.int(5, 50) } : {},
        };
        const hash = chainHash(prev.hash, fields);
        rows.push({ ...fields, prevHash: prev.hash, hash });
        prev = { seq: fields.seq, hash };
      }
      await tx.insert(auditEvents).values(rows);
    });
    written += n;
    plan.onProgress?.(written);
  }
  return written;
}

function subjectFor(rng: SeededRandom, kind: Kind, s: AuditSubjects): { type: string; id: string } | null {
  if (kind === 'child' && s.childIds.length) return { type: 'child', id: rng.pick(s.childIds) };
  if (kind === 'conference' && s.conferenceIds.length) return { type: 'conference', id: rng.pick(s.conferenceIds) };
  if (kind === 'recording' && s.recordingIds.length) return { type: 'recording', id: rng.pick(s.recordingIds) };
  return null;
}

/** Keeps the sequence ahead of the explicit numbers the seed wrote (appends number entries themselves). */
export async function syncAuditSequence(execute: (sql: string) => Promise<unknown>): Promise<void> {
  await execute(
    `select setval(pg_get_serial_sequence('audit_events', 'seq'), greatest((select max(seq) from audit_events), 1))`,
  );
}
