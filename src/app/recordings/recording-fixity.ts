/** Fixity: stored originals and their playback copies read back and compared with their recorded hashes. */
import { parseId } from '../../domain/shared/ids.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { FixityEventRecord, FixityResult, FixityTrigger } from './ports.ts';
import {
  FIXITY_FAILED_RECHECK_DAYS,
  RECORDING_ROLES,
  RecordingError,
  binding,
  latestPlayback,
  requireRole,
  type RecordingServiceDeps,
} from './recording-shared.ts';
import { RecordingPart } from './recording-part.ts';
import { checkStoredFile } from './stored-file-check.ts';
import type { PlaybackRepair } from './playback-repair.ts';

export class RecordingFixity extends RecordingPart {
  private readonly repairs: PlaybackRepair;

  constructor(deps: RecordingServiceDeps, repairs: PlaybackRepair) {
    super(deps);
    this.repairs = repairs;
  }

  /** Re-reads the original (and its playback copy), records fixity events and raises an alert on a mismatch. */
  async checkFixity(
    recordingId: string,
    trigger: FixityTrigger,
    ctx: RequestContext = { actor: { id: null, label: 'system: fixity' } },
  ): Promise<FixityResult> {
    // The cipher binds each file to its recording's id as stored (lower case): any other spelling would
    // fail to decrypt an intact file and raise a false alert.
    recordingId = parseId(recordingId) ?? recordingId;
    const { recording, derivatives } = await this.deps.uow.run(async (repos) => ({
      recording: await repos.recordings.find(recordingId),
      derivatives: await repos.recordings.listDerivatives(recordingId, { withPeaks: false }),
    }));
    if (!recording) throw new NotFoundError('The recording');
    if (recording.status !== 'stored') throw new RecordingError('NOT_STORED', 'Only a stored recording can be checked');
    const original = await checkStoredFile(
      this.deps,
      recording.originalBlobKey!,
      binding(recordingId, 'original'),
      recording.originalSha256!,
      recording.originalBlobSha256!,
    );
    const results: Array<{ derivativeId: string | null; result: FixityResult; detail: string | null }> = [
      { derivativeId: null, ...original },
    ];
    // Only the copy that is played: one found damaged before and replaced is not checked (nor alerted) again.
    const playback = latestPlayback(derivatives);
    if (playback) {
      results.push({
        derivativeId: playback.id,
        ...(await checkStoredFile(
          this.deps,
          playback.blobKey,
          binding(recordingId, 'playback'),
          playback.sha256,
          playback.blobSha256,
        )),
      });
    }
    const now = this.deps.clock.now();
    await this.deps.uow.run(async (repos) => {
      for (const r of results) {
        await repos.recordings.insertFixityEvent({
          recordingId,
          derivativeId: r.derivativeId,
          trigger,
          result: r.result,
          detail: r.detail,
          checkedAt: now,
        });
      }
      const failed = results.filter((r) => r.result !== 'ok');
      await this.audit(
        repos,
        ctx,
        'recording.fixity_checked',
        recordingId,
        { trigger, results: results.map((r) => ({ derivativeId: r.derivativeId, result: r.result })) },
        failed.length ? 'failure' : 'success',
      );
    });
    const worst = results.find((r) => r.result !== 'ok');
    if (worst)
      this.deps.logger.fatal(
        { alert: 'recording-fixity', recordingId, result: worst.result },
        worst.detail ?? 'fixity check failed',
      );
    // A damaged playback copy of a sound original is made again from it (once per damaged copy).
    const copy = results.find((r) => r.derivativeId !== null);
    if (original.result === 'ok' && copy && copy.result !== 'ok')
      await this.repairs.queueRepair(recordingId, copy.derivativeId!);
    return original.result === 'ok' ? (worst?.result ?? 'ok') : original.result;
  }

  /** When a check is due: the cycle for a recording that passed, a day for one whose latest check failed. */
  private fixityDue(): { before: Date; failedBefore: Date } {
    const now = this.deps.clock.now().getTime();
    const recheckDays = this.deps.settings.fixityRecheckFailedDays ?? FIXITY_FAILED_RECHECK_DAYS;
    return {
      before: new Date(now - this.deps.settings.fixityCycleDays * 86_400_000),
      failedBefore: new Date(now - recheckDays * 86_400_000),
    };
  }

  /**
   * The scheduled cycle: every stored original not checked within the cycle (default 90 days), and
   * every one whose latest check failed again after a day (so the alert is raised again).
   */
  async fixitySweep(limit = 100): Promise<{ checked: number; failed: number }> {
    const { before, failedBefore } = this.fixityDue();
    const due = await this.deps.uow.run((repos) => repos.recordings.dueForFixity(before, limit, { failedBefore }));
    let failed = 0;
    for (const id of due) if ((await this.checkFixity(id, 'scheduled')) !== 'ok') failed++;
    return { checked: due.length, failed };
  }

  /** Every stored recording, for `cpcr fixity verify`. */
  async fixityAll(onEach?: (id: string, result: FixityResult) => void): Promise<{ checked: number; failed: number }> {
    // Any moment after every check: the last one PostgreSQL reads from an ISO string (JS's largest date
    // prints as `+275760-…`, which it refuses).
    const ids = await this.deps.uow.run((repos) =>
      repos.recordings.dueForFixity(new Date('9999-12-31T23:59:59Z'), 1_000_000),
    );
    let failed = 0;
    for (const id of ids) {
      const result = await this.checkFixity(id, 'on-demand', { actor: { id: null, label: 'cli: fixity verify' } });
      if (result !== 'ok') failed++;
      onEach?.(id, result);
    }
    return { checked: ids.length, failed };
  }

  /**
   * A check the chair or business support runs now (the API): the same check as the cycle, audited
   * as theirs. Returns the events it recorded: the original's first, then each derived copy's.
   */
  async checkFixityNow(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<{ result: FixityResult; events: FixityEventRecord[] }> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const lastBefore = await this.withRecording(
      actor,
      ctx,
      recordingId,
      'view',
      'recording.fixity_checked',
      async (repos, recording) => {
        if (recording.status !== 'stored')
          throw new RecordingError('NOT_STORED', 'Only a stored recording can be checked');
        return Math.max(0, ...(await repos.recordings.listFixityEvents(recordingId)).map((e) => e.id));
      },
    );
    const result = await this.checkFixity(recordingId, 'on-demand', ctx);
    const events = await this.deps.uow.run((repos) => repos.recordings.listFixityEvents(recordingId));
    return {
      result,
      events: events
        .filter((e) => e.id > lastBefore && e.trigger === 'on-demand')
        .sort((a, b) => Number(a.derivativeId !== null) - Number(b.derivativeId !== null) || a.id - b.id),
    };
  }

  /** Stored recordings whose original was last checked (or stored) longer ago than the cycle, oldest first. */
  async fixityOverdue(): Promise<{
    cycleDays: number;
    overdue: Array<{ id: string; storedAt: Date | null; lastCheckedAt: Date | null; lastResult: FixityResult | null }>;
  }> {
    const cycleDays = this.deps.settings.fixityCycleDays;
    const { before, failedBefore } = this.fixityDue();
    const overdue = await this.deps.uow.run(async (repos) => {
      const out = [];
      for (const id of await repos.recordings.dueForFixity(before, 1_000_000, { failedBefore })) {
        const recording = await repos.recordings.find(id);
        const events = await repos.recordings.listFixityEvents(id);
        const last = events.filter((e) => e.derivativeId === null).at(-1) ?? null;
        out.push({
          id,
          storedAt: recording?.storedAt ?? null,
          lastCheckedAt: last?.checkedAt ?? null,
          lastResult: last?.result ?? null,
        });
      }
      return out;
    });
    return { cycleDays, overdue };
  }
}
