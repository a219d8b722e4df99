import { and, asc, desc, eq, getTableName, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type {
  ArrangementTaskRecord,
  CommentRecord,
  CopyKind,
  DocumentsRepository,
  DraftRecord,
  IssuedFormat,
  IssuedRecord,
} from '../../../app/documents/documents-ports.ts';
import { ARRANGEMENT_KINDS } from '../../../domain/documents/arrangements.ts';
import { DRAFT_STATUSES } from '../../../domain/documents/drafting.ts';
import { DOCUMENT_KINDS } from '../../../domain/documents/model.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import { documentComments, documentDrafts, documentTasks, issuedDocuments } from '../documents-schema.ts';
import { users } from '../schema.ts';

const COPY_KINDS: readonly CopyKind[] = ['full', 'parent', 'child'];
const FORMATS: readonly IssuedFormat[] = ['pdf', 'html'];

/**
 * A column named with its table. Drizzle leaves a single-table select's own columns unqualified, and inside a
 * subquery an unqualified name would be read as the subquery's own column.
 */
function qualified(column: AnyPgColumn): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}

/** The name of the user a column refers to, or null (no user, or none recorded). */
function nameOf(column: AnyPgColumn): SQL<string | null> {
  return sql<string | null>`(select u.name from ${users} u where u.id = ${qualified(column)})`;
}

const draftColumns = {
  row: documentDrafts,
  updatedByName: nameOf(documentDrafts.updatedByUserId),
  approvedByName: nameOf(documentDrafts.approvedByUserId),
};

function toDraft(r: {
  row: typeof documentDrafts.$inferSelect;
  updatedByName: string | null;
  approvedByName: string | null;
}): DraftRecord {
  const d = r.row;
  return {
    id: d.id,
    conferenceId: d.conferenceId,
    kind: oneOf(DOCUMENT_KINDS, d.kind, 'document kind'),
    subjectInviteeId: d.subjectInviteeId,
    amendmentRequestId: d.amendmentRequestId,
    status: oneOf(DRAFT_STATUSES, d.status, 'draft status'),
    sections: d.sections,
    withholdings: d.withholdings,
    childRecipientInviteeIds: d.childRecipientInviteeIds,
    arrangements: d.arrangements,
    version: d.version,
    createdByUserId: d.createdByUserId,
    createdAt: d.createdAt,
    updatedByUserId: d.updatedByUserId,
    updatedByName: r.updatedByName,
    updatedAt: d.updatedAt,
    submittedAt: d.submittedAt,
    approvedByUserId: d.approvedByUserId,
    approvedByName: r.approvedByName,
    approvedAt: d.approvedAt,
    approvedDocument: d.approvedDocument,
  };
}

const commentColumns = {
  row: documentComments,
  authorName: nameOf(documentComments.authorUserId),
  resolvedByName: nameOf(documentComments.resolvedByUserId),
};

function toComment(r: {
  row: typeof documentComments.$inferSelect;
  authorName: string | null;
  resolvedByName: string | null;
}): CommentRecord {
  return { ...r.row, authorName: r.authorName, resolvedByName: r.resolvedByName };
}

const issuedColumns = {
  row: issuedDocuments,
  approvedByName: nameOf(issuedDocuments.approvedByUserId),
  issuedByName: nameOf(issuedDocuments.issuedByUserId),
};

function toIssued(r: {
  row: typeof issuedDocuments.$inferSelect;
  approvedByName: string | null;
  issuedByName: string | null;
}): IssuedRecord {
  const d = r.row;
  return {
    ...d,
    kind: oneOf(DOCUMENT_KINDS, d.kind, 'document kind'),
    copyKind: oneOf(COPY_KINDS, d.copyKind, 'copy kind'),
    format: oneOf(FORMATS, d.format, 'document format'),
    approvedByName: r.approvedByName,
    issuedByName: r.issuedByName,
  };
}

const taskColumns = { row: documentTasks, doneByName: nameOf(documentTasks.doneByUserId) };

function toTask(r: { row: typeof documentTasks.$inferSelect; doneByName: string | null }): ArrangementTaskRecord {
  const t = r.row;
  return {
    ...t,
    kind: oneOf(DOCUMENT_KINDS, t.kind, 'document kind'),
    arrangement: oneOf(ARRANGEMENT_KINDS, t.arrangement, 'arrangement'),
    doneByName: r.doneByName,
  };
}

export function documentsRepository(db: DbOrTx): DocumentsRepository {
  async function findDraft(draftId: string, opts: { lock?: boolean } = {}): Promise<DraftRecord | null> {
    const q = db.select(draftColumns).from(documentDrafts).where(eq(documentDrafts.id, draftId));
    const [row] = opts.lock ? await q.for('update') : await q;
    return row ? toDraft(row) : null;
  }

  return {
    async listDrafts(conferenceId) {
      const rows = await db
        .select(draftColumns)
        .from(documentDrafts)
        .where(eq(documentDrafts.conferenceId, conferenceId))
        .orderBy(asc(documentDrafts.createdAt), asc(documentDrafts.id));
      return rows.map(toDraft);
    },

    findDraft,

    async insertDraft(draft) {
      const [row] = await db
        .insert(documentDrafts)
        .values({
          conferenceId: draft.conferenceId,
          kind: draft.kind,
          subjectInviteeId: draft.subjectInviteeId,
          amendmentRequestId: draft.amendmentRequestId ?? null,
          status: 'drafting',
          sections: draft.sections,
          createdByUserId: draft.createdByUserId,
          updatedByUserId: draft.createdByUserId,
          createdAt: draft.at,
          updatedAt: draft.at,
        })
        .onConflictDoNothing()
        .returning({ id: documentDrafts.id });
      return row ? findDraft(row.id) : null;
    },

    async updateDraft(draftId, expectedVersion, change) {
      const rows = await db
        .update(documentDrafts)
        .set({
          ...(change.status !== undefined && { status: change.status }),
          ...(change.sections !== undefined && { sections: change.sections }),
          ...(change.withholdings !== undefined && { withholdings: change.withholdings }),
          ...(change.childRecipientInviteeIds !== undefined && {
            childRecipientInviteeIds: change.childRecipientInviteeIds,
          }),
          ...(change.arrangements !== undefined && { arrangements: change.arrangements }),
          ...(change.submittedAt !== undefined && { submittedAt: change.submittedAt }),
          ...(change.approvedByUserId !== undefined && { approvedByUserId: change.approvedByUserId }),
          ...(change.approvedAt !== undefined && { approvedAt: change.approvedAt }),
          ...(change.approvedDocument !== undefined && { approvedDocument: change.approvedDocument }),
          updatedByUserId: change.updatedByUserId,
          updatedAt: change.at,
          version: sql`${documentDrafts.version} + 1`,
        })
        .where(and(eq(documentDrafts.id, draftId), eq(documentDrafts.version, expectedVersion)))
        .returning({ id: documentDrafts.id });
      return rows.length === 1 ? findDraft(draftId) : null;
    },

    async listComments(draftId) {
      const rows = await db
        .select(commentColumns)
        .from(documentComments)
        .where(eq(documentComments.draftId, draftId))
        .orderBy(asc(documentComments.createdAt), asc(documentComments.id));
      return rows.map(toComment);
    },

    async insertComment(comment) {
      const [row] = await db
        .insert(documentComments)
        .values({
          draftId: comment.draftId,
          sectionId: comment.sectionId,
          body: comment.body,
          authorUserId: comment.authorUserId,
          createdAt: comment.at,
        })
        .returning({ id: documentComments.id });
      const [saved] = await db.select(commentColumns).from(documentComments).where(eq(documentComments.id, row!.id));
      return toComment(saved!);
    },

    async resolveComment(draftId, commentId, by) {
      const rows = await db
        .update(documentComments)
        .set({ resolvedAt: by.at, resolvedByUserId: by.userId })
        .where(
          and(
            eq(documentComments.id, commentId),
            eq(documentComments.draftId, draftId),
            isNull(documentComments.resolvedAt),
          ),
        )
        .returning({ id: documentComments.id });
      return rows.length === 1;
    },

    async insertIssued(rows) {
      if (rows.length === 0) return;
      await db.insert(issuedDocuments).values(
        rows.map((r) => ({
          id: r.id,
          draftId: r.draftId,
          conferenceId: r.conferenceId,
          kind: r.kind,
          issueNumber: r.issueNumber,
          title: r.title,
          copyKind: r.copyKind,
          recipientInviteeId: r.recipientInviteeId,
          recipientName: r.recipientName,
          format: r.format,
          largePrint: r.largePrint,
          blobKey: r.blobKey,
          sha256: r.sha256,
          byteLength: r.byteLength,
          mediaType: r.mediaType,
          renderedAt: r.renderedAt,
          approvedByUserId: r.approvedByUserId,
          approvedAt: r.approvedAt,
          issuedByUserId: r.issuedByUserId,
          issuedAt: r.issuedAt,
          leftOut: [...r.leftOut],
          marking: [...r.marking],
        })),
      );
    },

    async listIssued(conferenceId) {
      const rows = await db
        .select(issuedColumns)
        .from(issuedDocuments)
        .where(eq(issuedDocuments.conferenceId, conferenceId))
        .orderBy(
          desc(issuedDocuments.issuedAt),
          desc(issuedDocuments.issueNumber),
          asc(issuedDocuments.kind),
          asc(issuedDocuments.copyKind),
          asc(issuedDocuments.recipientName),
          asc(issuedDocuments.format),
          asc(issuedDocuments.largePrint),
          asc(issuedDocuments.id),
        );
      return rows.map(toIssued);
    },

    async findIssued(issuedId) {
      const [row] = await db.select(issuedColumns).from(issuedDocuments).where(eq(issuedDocuments.id, issuedId));
      return row ? toIssued(row) : null;
    },

    async referencedBlobKeys() {
      const rows = await db.select({ key: issuedDocuments.blobKey }).from(issuedDocuments);
      return rows.map((r) => r.key);
    },

    async insertTasks(tasks) {
      if (tasks.length === 0) return;
      await db.insert(documentTasks).values(
        tasks.map((t) => ({
          draftId: t.draftId,
          conferenceId: t.conferenceId,
          kind: t.kind,
          inviteeId: t.inviteeId,
          recipientName: t.recipientName,
          arrangement: t.arrangement,
          language: t.language,
          detail: t.detail,
          createdAt: t.createdAt,
        })),
      );
    },

    async listTasks(conferenceId) {
      const rows = await db
        .select(taskColumns)
        .from(documentTasks)
        .where(eq(documentTasks.conferenceId, conferenceId))
        .orderBy(sql`${documentTasks.doneAt} is not null`, asc(documentTasks.createdAt), asc(documentTasks.id));
      return rows.map(toTask);
    },

    async listOpenTasks() {
      const rows = await db
        .select(taskColumns)
        .from(documentTasks)
        .where(isNull(documentTasks.doneAt))
        .orderBy(asc(documentTasks.createdAt), asc(documentTasks.id));
      return rows.map(toTask);
    },

    async completeTask(conferenceId, taskId, by) {
      const rows = await db
        .update(documentTasks)
        .set({ doneAt: by.at, doneByUserId: by.userId, doneNote: by.note })
        .where(
          and(eq(documentTasks.id, taskId), eq(documentTasks.conferenceId, conferenceId), isNull(documentTasks.doneAt)),
        )
        .returning({ id: documentTasks.id });
      return rows.length === 1;
    },

    async documentStates(conferenceIds) {
      if (conferenceIds.length === 0) return [];
      const rows = await db
        .select({
          conferenceId: documentDrafts.conferenceId,
          kind: documentDrafts.kind,
          subjectInviteeId: documentDrafts.subjectInviteeId,
          status: documentDrafts.status,
          issuedAt:
            sql<Date | null>`(select min(i.issued_at) from ${issuedDocuments} i where i.draft_id = ${qualified(documentDrafts.id)})`.mapWith(
              issuedDocuments.issuedAt,
            ),
        })
        .from(documentDrafts)
        .where(inArray(documentDrafts.conferenceId, [...conferenceIds]))
        .orderBy(asc(documentDrafts.conferenceId), asc(documentDrafts.createdAt), asc(documentDrafts.id));
      return rows.map((r) => ({
        conferenceId: r.conferenceId,
        kind: oneOf(DOCUMENT_KINDS, r.kind, 'document kind'),
        subjectInviteeId: r.subjectInviteeId,
        status: oneOf(DRAFT_STATUSES, r.status, 'draft status'),
        issuedAt: r.issuedAt ?? null,
      }));
    },
  };
}
