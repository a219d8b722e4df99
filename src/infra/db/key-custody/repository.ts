import { and, asc, eq, inArray } from 'drizzle-orm';
import type { KeyCustodyRepository, RewrapPhase } from '../../../app/blobs/key-custody.ts';
import type { DbOrTx } from '../client.ts';
import { keyCustodyRewraps } from '../key-custody-schema.ts';

/** Rewrites of encrypted files' headers when the recordings key is rotated: the chain of each file's hashes. */
export function keyCustodyRepository(db: DbOrTx): KeyCustodyRepository {
  return {
    async pending() {
      const rows = await db
        .select()
        .from(keyCustodyRewraps)
        .where(eq(keyCustodyRewraps.status, 'pending'))
        .orderBy(asc(keyCustodyRewraps.id));
      return rows.map((r) => ({
        id: r.id,
        blobKey: r.blobKey,
        phase: r.phase as RewrapPhase,
        oldSha256: r.oldSha256,
        oldSize: r.oldSize,
        newSha256: r.newSha256,
        newSize: r.newSize,
        payloadSha256: r.payloadSha256,
        recipients: r.recipients,
      }));
    },

    async begin(record, at) {
      const [row] = await db
        .insert(keyCustodyRewraps)
        .values({ ...record, status: 'pending', createdAt: at })
        .returning({ id: keyCustodyRewraps.id });
      return row!.id;
    },

    async complete(id, at) {
      const done = await db
        .update(keyCustodyRewraps)
        .set({ status: 'done', completedAt: at })
        .where(and(eq(keyCustodyRewraps.id, id), eq(keyCustodyRewraps.status, 'pending')))
        .returning({ id: keyCustodyRewraps.id });
      if (done.length !== 1) throw new Error('The key rotation record is not pending');
    },

    async abandon(id, at) {
      await db
        .update(keyCustodyRewraps)
        .set({ status: 'abandoned', completedAt: at })
        .where(and(eq(keyCustodyRewraps.id, id), eq(keyCustodyRewraps.status, 'pending')));
    },

    async laterHashes(blobKey, recorded) {
      const rows = await db
        .select({
          old: keyCustodyRewraps.oldSha256,
          new: keyCustodyRewraps.newSha256,
          status: keyCustodyRewraps.status,
        })
        .from(keyCustodyRewraps)
        .where(and(eq(keyCustodyRewraps.blobKey, blobKey), inArray(keyCustodyRewraps.status, ['pending', 'done'])))
        .orderBy(asc(keyCustodyRewraps.id));
      const hashes: string[] = [];
      let at = recorded;
      for (const r of rows) {
        if (r.old !== at) continue;
        hashes.push(r.new);
        if (r.status === 'done') at = r.new;
      }
      return hashes;
    },
  };
}
