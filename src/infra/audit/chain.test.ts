import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChainedFields, GENESIS_HASH, canonicalJson, chainHash, findChainProblem } from './chain.ts';

type Row = ChainedFields & { prevHash: string; hash: string };

function fields(seq: number): ChainedFields {
  return {
    seq,
    at: new Date(Date.UTC(2026, 2, 2, 9, 0, seq)),
    actorUserId: seq % 2 ? null : `00000000-0000-4000-8000-00000000000${seq % 10}`,
    actorLabel: seq % 2 ? 'cli:ops' : 'Ada Admin',
    action: seq % 3 ? 'user.create' : 'sign-in',
    subjectType: 'user',
    subjectId: `user-${seq}`,
    requestId: seq % 2 ? null : `req-${seq}`,
    outcome: 'success',
    details: { roles: ['chair'], n: seq, nested: { b: 1, a: [1, { y: 2, x: 1 }] } },
  };
}

/** Links rows into a chain from `start`, renumbering them from start.seq + 1. */
function link(rows: ChainedFields[], start = { seq: 0, hash: GENESIS_HASH }): Row[] {
  let prev = start.hash;
  return rows.map((r, i) => {
    const row = { ...r, seq: start.seq + i + 1 };
    const hash = chainHash(prev, row);
    const linked = { ...row, prevHash: prev, hash };
    prev = hash;
    return linked;
  });
}

const chain = (n: number) => link(Array.from({ length: n }, (_, i) => fields(i + 1)));

describe('canonicalJson', () => {
  it('sorts object keys at every depth, so key order does not change the text', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('keeps array order, drops undefined properties and writes scalars as JSON does', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson('x"y')).toBe('"x\\"y"');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(1.5)).toBe('1.5');
  });

  it('is the same for any key order, as jsonb may return (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reversed = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        ) as unknown;
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('chainHash', () => {
  it('covers every field and the previous hash', () => {
    const base = fields(1);
    const h = chainHash(GENESIS_HASH, base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash('f'.repeat(64), base)).not.toBe(h);
    const changes: Partial<ChainedFields>[] = [
      { seq: 2 },
      { at: new Date(base.at.getTime() + 1) },
      { actorUserId: '00000000-0000-4000-8000-000000000009' },
      { actorLabel: 'someone else' },
      { action: 'user.disable' },
      { subjectType: 'child' },
      { subjectId: 'user-2' },
      { requestId: 'req-x' },
      { outcome: 'failure' },
      { details: { ...base.details, n: 2 } },
    ];
    for (const change of changes)
      expect(chainHash(GENESIS_HASH, { ...base, ...change }), JSON.stringify(change)).not.toBe(h);
  });

  it('does not depend on the key order of details', () => {
    const base = fields(1);
    const reordered = { ...base, details: { nested: { a: [1, { x: 1, y: 2 }], b: 1 }, n: 1, roles: ['chair'] } };
    expect(chainHash(GENESIS_HASH, reordered)).toBe(chainHash(GENESIS_HASH, base));
  });
});

describe('findChainProblem', () => {
  it('accepts an intact chain and an empty one, and returns the head', () => {
    const rows = chain(5);
    expect(findChainProblem(rows)).toEqual({ problem: null, last: { seq: 5, hash: rows[4]!.hash } });
    expect(findChainProblem([])).toEqual({ problem: null, last: { seq: 0, hash: GENESIS_HASH } });
  });

  it('continues from a given start, as verification does page by page', () => {
    const rows = chain(6);
    const first = findChainProblem(rows.slice(0, 3));
    expect(findChainProblem(rows.slice(3), first.last)).toEqual({
      problem: null,
      last: { seq: 6, hash: rows[5]!.hash },
    });
    expect(findChainProblem(rows.slice(3)).problem).toEqual({ seq: 4, problem: 'entry 1 is missing' });
  });

  it('finds a changed row, and reports the good head before it', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, details: { roles: ['admin'] } };
    expect(findChainProblem(rows)).toEqual({
      problem: { seq: 3, problem: 'entry 3 was changed after it was written (hash differs)' },
      last: { seq: 2, hash: rows[1]!.hash },
    });
  });

  it('finds a changed row even when its own hash was recomputed', () => {
    const rows = chain(5);
    const changed = { ...rows[2]!, actorLabel: 'someone else' };
    rows[2] = { ...changed, hash: chainHash(changed.prevHash, changed) };
    expect(findChainProblem(rows).problem).toEqual({
      seq: 4,
      problem: 'entry 4 does not follow entry 3 (previous hash differs)',
    });
  });

  it('finds a deleted row, at the start, in the middle', () => {
    const rows = chain(5);
    expect(findChainProblem([...rows.slice(0, 2), ...rows.slice(3)]).problem).toEqual({
      seq: 4,
      problem: 'entry 3 is missing',
    });
    expect(findChainProblem(rows.slice(1)).problem).toEqual({ seq: 2, problem: 'entry 1 is missing' });
  });

  it('finds an inserted row, whether later rows are renumbered or not', () => {
    const rows = chain(4);
    // A forged row that links correctly to its predecessor, with the later rows renumbered.
    const [forged] = link([fields(99)], { seq: 2, hash: rows[1]!.hash });
    const renumbered = rows.slice(2).map((r) => ({ ...r, seq: r.seq + 1 }));
    expect(findChainProblem([...rows.slice(0, 2), forged!, ...renumbered]).problem).toEqual({
      seq: 4,
      problem: 'entry 4 does not follow entry 3 (previous hash differs)',
    });
    // The same, with a duplicate number instead.
    expect(findChainProblem([...rows.slice(0, 3), { ...forged!, seq: 3 }, rows[3]!]).problem).toEqual({
      seq: 3,
      problem: 'entry 3 is out of order',
    });
  });

  it('finds reordered rows: swapped contents under the same numbers, or rows out of sequence', () => {
    const rows = chain(5);
    const swapped = [...rows];
    swapped[1] = { ...rows[3]!, seq: 2 };
    swapped[3] = { ...rows[1]!, seq: 4 };
    expect(findChainProblem(swapped).problem).toEqual({
      seq: 2,
      problem: 'entry 2 does not follow entry 1 (previous hash differs)',
    });
    // Contents swapped but each row keeps its own links: the hash no longer matches the row.
    const contents = rows.map((r) => ({ ...r }));
    contents[1] = { ...rows[3]!, seq: 2, prevHash: rows[1]!.prevHash, hash: rows[1]!.hash };
    expect(findChainProblem(contents).problem).toEqual({
      seq: 2,
      problem: 'entry 2 was changed after it was written (hash differs)',
    });
    expect(findChainProblem([rows[0]!, rows[2]!, rows[1]!, rows[3]!]).problem).toEqual({
      seq: 3,
      problem: 'entry 2 is missing',
    });
  });

  it('cannot by itself see a chain rewritten from the changed row onwards: that is what signed checkpoints are for', () => {
    const rows = chain(5);
    const rewritten = [
      ...rows.slice(0, 2),
      ...link([{ ...rows[2]!, action: 'forged' }, rows[3]!, rows[4]!], { seq: 2, hash: rows[1]!.hash }),
    ];
    expect(findChainProblem(rewritten).problem).toBeNull();
    expect(rewritten[4]!.hash).not.toBe(rows[4]!.hash);
  });
});
