import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
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

// The JSON columns read back through Zod: the plan a copy is made from and the withheld-content log it states.
const planSchema = z.object({
  recordingIds: z.array(z.string()),
  withheld: z.array(
    z.object({
      recordingId: z.string(),
      startMs: z.number(),
      endMs: z.number(),
      reason: z.string(),
      explanation: z.string(),
      approvedBy: z.string(),
    }),
  ),
  statements: z.record(z.string(), z.string()),
}) satisfies z.ZodType<CopyPlan>;
const withheldLogSchema = z.array(
  z.object({
    startMs: z.number(),
    endMs: z.number(),
    reason: z.string(),
    explanation: z.string(),
    approvedBy: z.string(),
    // Logs written before samples were recorded have only the milliseconds.
    output: z.object({
      startMs: z.number(),
      endMs: z.number(),
      startSample: z.number().optional(),
      endSample: z.number().optional(),
      sampleRate: z.number().optional(),
    }),
  }),
) satisfies z.ZodType<WithheldLogEntry[]>;

function toCopy(r: CopyRow): DisclosureCopyRecord {
  return {
    ...r,
    state: oneOf(COPY_STATES, r.state, 'disclosure copy state'),
    fill: oneOf(COPY_FILLS, r.fill, 'disclosure copy fill'),
    plan: planSchema.parse(r.plan),
  };
}

function toFile(r: FileRow): DisclosureCopyFileRecord {
  return { ...r, withheldLog: withheldLogSchema.parse(r.withheldLog) };
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
        .values({ ...copy, plan: { ...copy.plan }, updatedAt: copy.createdAt })
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
        .values({ ...file, withheldLog: file.withheldLog.map((entry) => ({ ...entry })) })
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
