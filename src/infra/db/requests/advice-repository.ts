import { and, asc, eq, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { AdviceRecord, RequestAdviceRepository } from '../../../app/requests/advice-ports.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import type { DbOrTx } from '../client.ts';
import { copyRequestAdvice } from '../family-status-schema.ts';
import { users } from '../schema.ts';

const FORMER = 'A former member of staff';

/** advice asked of the information management team on a request for a copy. */
export function requestAdviceRepository(db: DbOrTx): RequestAdviceRepository {
  const asker = alias(users, 'asker');
  const recorder = alias(users, 'recorder');
  const select = () =>
    db
      .select({ a: copyRequestAdvice, askedByName: asker.name, recordedByName: recorder.name })
      .from(copyRequestAdvice)
      .leftJoin(asker, eq(asker.id, copyRequestAdvice.askedBy))
      .leftJoin(recorder, eq(recorder.id, copyRequestAdvice.answerRecordedBy));
  type Row = Awaited<ReturnType<typeof select>>[number];
  const toRecord = ({ a, askedByName, recordedByName }: Row): AdviceRecord => ({
    id: a.id,
    requestId: a.requestId,
    question: a.question,
    askedById: a.askedBy,
    askedByName: askedByName ?? FORMER,
    askedOn: a.askedOn as IsoDate,
    answer:
      a.answer !== null && a.answeredBy !== null && a.answeredOn !== null && a.answerRecordedAt !== null
        ? {
            answer: a.answer,
            answeredBy: a.answeredBy,
            answeredOn: a.answeredOn as IsoDate,
            recordedByName: recordedByName ?? FORMER,
            recordedAt: a.answerRecordedAt,
          }
        : null,
  });
  return {
    async insert(row) {
      const [saved] = await db.insert(copyRequestAdvice).values(row).returning({ id: copyRequestAdvice.id });
      return saved!.id;
    },
    async list(requestId) {
      const rows = await select()
        .where(eq(copyRequestAdvice.requestId, requestId))
        .orderBy(asc(copyRequestAdvice.recordedAt), asc(copyRequestAdvice.id));
      return rows.map(toRecord);
    },
    async find(adviceId, opts = {}) {
      if (opts.lock)
        await db
          .select({ id: copyRequestAdvice.id })
          .from(copyRequestAdvice)
          .where(eq(copyRequestAdvice.id, adviceId))
          .for('update');
      const [row] = await select().where(eq(copyRequestAdvice.id, adviceId));
      return row ? toRecord(row) : null;
    },
    async answer(adviceId, answer, by) {
      const rows = await db
        .update(copyRequestAdvice)
        .set({
          answer: answer.answer,
          answeredBy: answer.answeredBy,
          answeredOn: answer.answeredOn,
          answerRecordedBy: by.userId,
          answerRecordedAt: by.at,
        })
        .where(and(eq(copyRequestAdvice.id, adviceId), isNull(copyRequestAdvice.answer)))
        .returning({ id: copyRequestAdvice.id });
      return rows.length === 1;
    },
  };
}
