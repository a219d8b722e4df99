import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit-log.ts';
import {
  type AuditReadingDeps,
  type AuditTrailRow,
  exportAuditTrail,
  verifyAuditTrail,
  viewAuditTrail,
} from './audit-reading.ts';

const CHILD = '0b6f3d2e-4a51-4c8e-9f0a-3e2d1c4b5a69';
const ctx = { actor: { id: 'a1', label: 'Ann Auditor' }, correlationId: 'req-1' };
const row = (seq: number): AuditTrailRow => ({
  seq,
  at: new Date('2026-03-03T10:00:00Z'),
  actorUserId: null,
  actorLabel: 'system',
  action: 'child.view',
  subjectType: 'child',
  subjectId: CHILD,
  outcome: 'success',
  details: {},
});

function fakes() {
  const log: string[] = [];
  const entries: AuditEntry[] = [];
  const deps: AuditReadingDeps = {
    trail: {
      search: async (_f, limit, before) => (log.push(`search ${limit} before ${before}`), [row(9), row(8)]),
      matching: (f) => {
        log.push(`matching ${f.childId}`);
        return (async function* () {
          yield row(1);
        })();
      },
      verify: async () => (log.push('verify'), { ok: true, entries: 12 }),
    },
    audit: { record: async (e) => (log.push(`record ${e.action}`), void entries.push(e)) },
  };
  return { deps, log, entries };
}

// Reading the audit trail is itself audited, with the filter's ids and dates only.
describe('reading the audit trail', () => {
  it('records a view with the filter, how far back and how many entries were shown', async () => {
    const { deps, entries } = fakes();
    const rows = await viewAuditTrail(deps, { childId: CHILD, action: undefined }, { size: 50, before: 10 }, ctx);
    expect(rows.map((r) => r.seq)).toEqual([9, 8]);
    expect(entries).toEqual([
      {
        action: 'audit.view',
        actor: ctx.actor,
        correlationId: 'req-1',
        subject: { type: 'child', id: CHILD },
        outcome: 'success',
        details: { filter: { childId: CHILD }, before: 10, shown: 2 },
      },
    ]);
  });

  it('records an export before any entry is read', async () => {
    const { deps, log, entries } = fakes();
    const out = await exportAuditTrail(deps, { from: '2026-03-01' }, 'csv', ctx);
    expect(log).toEqual(['record audit.export', 'matching undefined']);
    expect(entries[0]?.details).toEqual({ filter: { from: '2026-03-01' }, format: 'csv' });
    expect(entries[0]).not.toHaveProperty('subject');
    const seqs: number[] = [];
    for await (const r of out) seqs.push(r.seq);
    expect(seqs).toEqual([1]);
  });

  it('records an integrity check with its result', async () => {
    const { deps, log, entries } = fakes();
    expect(await verifyAuditTrail(deps, ctx)).toEqual({ ok: true, entries: 12 });
    expect(log).toEqual(['verify', 'record audit.verify']);
    expect(entries[0]).toMatchObject({ action: 'audit.verify', details: { ok: true, entries: 12 } });
  });
});
