/**
 * Everything one Range request of a recording's playback copy needs, in one statement (one lookup per
 * request, whatever the offset and however many fixity checks the recording has had): the recording's state, when
 * this person last gave a reason to listen, the copy played now (without its waveform) and only the latest check of
 * that copy and of the original, never the whole fixity history.
 */
import { and, desc, eq, getTableColumns, gte, sql } from 'drizzle-orm';
import type { PlaybackLookup } from '../../../app/recordings/ports.ts';
import { RECORDING_STATUSES } from '../../../domain/recordings/index.ts';
import type { DbOrTx } from '../client.ts';
import { oneOf } from '../checked-values.ts';
import { recordingDerivatives, recordings } from '../recordings-schema.ts';
import { auditEvents } from '../schema.ts';

/** When this person last gave a reason to listen to the recording (a successful play audited) since `since`. */
export function lastPlayQuery(db: DbOrTx, recordingId: string, userId: string, since: Date) {
  return db
    .select({ at: auditEvents.at })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.subjectType, 'recording'),
        eq(auditEvents.subjectId, recordingId),
        eq(auditEvents.actorUserId, userId),
        eq(auditEvents.action, 'recording.played'),
        eq(auditEvents.outcome, 'success'),
        gte(auditEvents.at, since),
      ),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(1);
}

export async function playbackLookup(
  db: DbOrTx,
  recordingId: string,
  userId: string,
  since: Date,
): Promise<PlaybackLookup | null> {
  const d = recordingDerivatives;
  const { peaks: _peaks, ...withoutPeaks } = getTableColumns(d);
  // The newest playback copy (one replaced after it was found damaged is not played).
  const playedNow = sql`(select ld.id from recording_derivatives ld where ld.original_recording_id = ${recordings.id}
    and ld.kind = 'playback' order by ld.created_at desc limit 1)`;
  // The latest check only, by the index on (recording_id, checked_at).
  const latestCheck = (which: ReturnType<typeof sql>) =>
    sql<string | null>`(select fe.result from fixity_events fe where fe.recording_id = ${recordings.id} and ${which}
      order by fe.checked_at desc, fe.id desc limit 1)`;
  const lastPlay = lastPlayQuery(db, recordingId, userId, since);
  const [row] = await db
    .select({
      status: recordings.status,
      conferenceId: recordings.conferenceId,
      lastPlay: sql`(${lastPlay})`.mapWith(auditEvents.at),
      derivative: withoutPeaks,
      copyCheck: latestCheck(sql`fe.derivative_id = ${d.id}`),
      originalCheck: latestCheck(sql`fe.derivative_id is null`),
    })
    .from(recordings)
    .leftJoin(d, sql`${d.id} = ${playedNow}`)
    .where(eq(recordings.id, recordingId));
  if (!row) return null;
  const copy = row.derivative;
  return {
    status: oneOf(RECORDING_STATUSES, row.status, 'recording status'),
    conferenceId: row.conferenceId,
    lastPlay: row.lastPlay ?? null,
    derivative: copy
      ? {
          ...copy,
          kind: oneOf(['playback', 'disclosure'] as const, copy.kind, 'derivative kind'),
          peaks: null,
          details: copy.details ?? null,
        }
      : null,
    copyFailed: copy !== null && row.copyCheck !== null && row.copyCheck !== 'ok',
    originalFailed: row.originalCheck !== null && row.originalCheck !== 'ok',
  };
}
