/** Recordings needing someone to act: audio missing before it was stored, live recordings never stopped. */
import { canViewChild } from '../../domain/access/child-access.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { nameRecordings } from '../../domain/recordings/naming.ts';
import { assertRecordingMove } from '../../domain/recordings/index.ts';
import { InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { LISTEN_REASON_MAX, needsAttention, RECORDING_ROLES, RecordingError, requireRole } from './recording-shared.ts';
import type { RecordingsNeedingAttention } from './recording-views.ts';
import { RecordingPart } from './recording-part.ts';

export class RecordingAttention extends RecordingPart {
  /**
   * Business support's list of recordings needing someone to act, from the conferences this person may
   * see (every child in the conference): recordings whose audio went missing before they were stored
   * (upload the audio again), and live recordings still receiving, with audio, a week or more after they
   * began (stop it to store what arrived, or discard it with a reason). Audited as a view, with the ids.
   */
  async needingAttention(actor: Actor, ctx: RequestContext): Promise<RecordingsNeedingAttention> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const now = this.deps.clock.now();
    return this.deps.uow.run(async (repos) => {
      const out: RecordingsNeedingAttention = { audioMissing: [], liveUnfinished: [] };
      const mayView = new Map<string, boolean>();
      const conferenceVisible = async (conferenceId: string) => {
        const cached = mayView.get(conferenceId);
        if (cached !== undefined) return cached;
        let ok = true;
        for (const childId of (await repos.convening.conferenceChildIds(conferenceId)) ?? []) {
          const facts = await repos.people.childAccessFacts(childId);
          if (!facts || !canViewChild(actor, facts).allowed) ok = false;
        }
        mayView.set(conferenceId, ok);
        return ok;
      };
      for (const r of await repos.recordings.listByStatus(['audio_missing', 'receiving'])) {
        const live = r.status === 'receiving';
        if (!needsAttention(r, now)) continue;
        if (!(await conferenceVisible(r.conferenceId))) continue;
        const conference = await repos.meeting.findConference(r.conferenceId);
        if (!conference) continue;
        const names = nameRecordings(
          conference,
          await repos.meeting.listParts(r.conferenceId),
          await repos.recordings.listForConference(r.conferenceId),
        );
        const item = {
          id: r.id,
          conferenceId: r.conferenceId,
          name: names.get(r.id)!,
          source: r.source,
          receivedBytes: r.receivedBytes,
          since: live ? r.startedAt : (r.audioMissingAt ?? r.processingStartedAt ?? r.startedAt),
        };
        (live ? out.liveUnfinished : out.audioMissing).push(item);
      }
      await repos.audit.record({
        action: 'recording.list',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        details: {
          needingAttention: true,
          recordingIds: [...out.audioMissing, ...out.liveUnfinished].map((i) => i.id),
        },
      });
      return out;
    });
  }

  /**
   * Discards a live recording that was never stopped, with the reason (a week or more old, say, or made in
   * error): it is not stored, the reason is kept as why, it is audited with the reason and the amount of
   * audio discarded, and its staged audio is removed. A recording still wanted is stopped instead.
   */
  async discardLive(actor: Actor, ctx: RequestContext, recordingId: string, reason: string): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const why = reason.trim();
    if (!why) throw new InvalidDetailsError([{ field: 'reason', message: 'Enter why the recording is discarded' }]);
    if (why.length > LISTEN_REASON_MAX)
      throw new InvalidDetailsError([
        { field: 'reason', message: `The reason must be ${LISTEN_REASON_MAX} characters or fewer` },
      ]);
    await this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.discarded',
      async (repos, recording) => {
        if (recording.source !== 'browser' || recording.status !== 'receiving')
          throw new RecordingError('NOT_RECEIVING', 'Only a live recording that was never stopped can be discarded');
        assertRecordingMove('receiving', 'rejected');
        await repos.recordings.update(recordingId, {
          status: 'rejected',
          rejectionReason: `Discarded: ${why}`,
          liveStoppedAt: recording.liveStoppedAt ?? this.deps.clock.now(),
        });
        await this.audit(repos, ctx, 'recording.discarded', recordingId, {
          reason: why,
          receivedBytes: recording.receivedBytes,
          chunks: recording.nextChunk,
        });
      },
      { lock: true },
    );
    await this.deps.staging.remove(recordingId);
  }
}
