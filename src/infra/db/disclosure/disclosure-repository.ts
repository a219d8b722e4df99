import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import {
  COPY_FILLS,
  COPY_STATES,
  type CopyPlan,
  type DisclosureCopiesRepository,
  type DisclosureCopyFileRecord,
  type DisclosureCopyRecord,
  type WithheldLogEntry,
} from '../../../app/requests/disclosure-ports.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import { disclosureCopies, disclosureCopyFiles } from '../disclosure-schema.ts';
import { copyRequests } from '../requests-schema.ts';

type CopyRow = typeof disclosureCopies.$inferSelect;
type FileRow = typeof disclosureCopyFiles.$inferSelect;

function toCopy(r: CopyRow): DisclosureCopyRecord {
  return {
    ...r,
    state: oneOf(COPY_STATES, r.state, 'disclosure copy state'),
    fill: oneOf(COPY_FILLS, r.fill, 'disclosure copy fill'),
    plan: r.plan as unknown as CopyPlan,
  };
}

function toFile(r: FileRow): DisclosureCopyFileRecord {
  return { ...r, withheldLog: r.withheldLog as unknown as WithheldLogEntry[] };
}

export function disclosureCopiesRepository(db: DbOrTx): DisclosureCopiesRepository {
  return {
    async requestFacts(requestId) {
      const [row] = await db
        .select({ conferenceId: copyRequests.conferenceId, state: copyRequests.state })
        .from(copyRequests)
        .where(eq(copyRequests.id, requestId));
      return row ?? null;
    },

    async insert(copy) {
      const [row] = await db
        .insert(disclosureCopies)
        .values({ ...copy, plan: copy.plan as unknown as Record<string, unknown>, updatedAt: copy.createdAt })
        .returning();
      return toCopy(row!);
    },

    async find(id, opts = {}) {
      const q = db.select().from(disclosureCopies).where(eq(disclosureCopies.id, id));
      const [row] = opts.lock ? await q.for('update') : await q;
      return row ? toCopy(row) : null;
    },

    async update(id, change) {
      await db.update(disclosureCopies).set(change).where(eq(disclosureCopies.id, id));
    },

    async setPercent(id, percent, at) {
      await db
        .update(disclosureCopies)
        .set({ percent, updatedAt: at })
        .where(
          and(
            eq(disclosureCopies.id, id),
            eq(disclosureCopies.state, 'running'),
            lt(disclosureCopies.percent, percent),
          ),
        );
    },

    async listForRequest(requestId) {
      const rows = await db
        .select()
        .from(disclosureCopies)
        .where(eq(disclosureCopies.requestId, requestId))
        .orderBy(asc(disclosureCopies.createdAt));
      return rows.map(toCopy);
    },

    async insertFile(file) {
      const [row] = await db
        .insert(disclosureCopyFiles)
        .values({ ...file, withheldLog: file.withheldLog as unknown as Array<Record<string, unknown>> })
        .returning();
      return toFile(row!);
    },

    async listFiles(copyId) {
      const rows = await db
        .select()
        .from(disclosureCopyFiles)
        .where(eq(disclosureCopyFiles.copyId, copyId))
        .orderBy(asc(disclosureCopyFiles.ordinal));
      return rows.map(toFile);
    },

    async stalled(before) {
      const rows = await db
        .select({ id: disclosureCopies.id })
        .from(disclosureCopies)
        .where(and(inArray(disclosureCopies.state, ['queued', 'running']), lt(disclosureCopies.updatedAt, before)))
        .orderBy(asc(disclosureCopies.updatedAt));
      return rows.map((r) => r.id);
    },

    async referencedBlobKeys() {
      const rows = await db.select({ key: disclosureCopyFiles.blobKey }).from(disclosureCopyFiles);
      return rows.map((r) => r.key);
    },
  };
}
