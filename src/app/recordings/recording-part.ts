/** The per-record access check and audit entry every recordings use case goes through. */
import { isId } from '../../domain/shared/ids.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { auditConferenceDenial, checkConferenceChildren } from '../conferences/conference-access.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { RecordingRecord } from './ports.ts';
import type { RecordingServiceDeps } from './recording-shared.ts';

/**
 * W-7: what an open complaint's investigator may do with the conference's recordings without access to its
 * children: see them and listen (with the usual reason). Never change, export or see the evidence.
 */
const INVESTIGATOR_ACTIONS: ReadonlySet<string> = new Set([
  'recording.list',
  'recording.view',
  'recording.played',
  'recording.play',
  'recording.status',
]);

/**
 * What every part of the recordings' use cases starts from: the dependencies, the per-record access check run in
 * the same unit of work as the use case, and the audit entry.
 */
export class RecordingPart {
  protected readonly deps: RecordingServiceDeps;

  constructor(deps: RecordingServiceDeps) {
    this.deps = deps;
  }

  /**
   * Runs `fn` with the recording, after checking the actor's access to every child in its conference,
   * all in one unit of work: the recording is looked up, the access checked and `fn` run (with its
   * audit entry) in the same transaction. A denial is audited in a transaction of its own, as the
   * refused one is rolled back; the rule is the conferences' (canViewChild / canEditChild).
   */
  protected async withRecording<T>(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    access: 'view' | 'edit',
    action: string,
    fn: (repos: Repositories, recording: RecordingRecord) => Promise<T>,
    opts: { lock?: boolean } = {},
  ): Promise<T> {
    if (!isId(recordingId)) throw new NotFoundError('The recording');
    let denial: { conferenceId: string; reason: string; complaintId?: string } | null = null;
    try {
      return await this.deps.uow.run(async (repos) => {
        const recording = await repos.recordings.find(recordingId, { lock: opts.lock ?? false });
        if (!recording) throw new NotFoundError('The recording');
        const childIds = await repos.convening.conferenceChildIds(recording.conferenceId);
        if (!childIds) throw new NotFoundError('The conference');
        const refused = await checkConferenceChildren(
          repos,
          actor,
          recording.conferenceId,
          childIds,
          access,
          action,
          ctx,
          { investigatorMayView: INVESTIGATOR_ACTIONS.has(action) },
        );
        if (refused) {
          denial = { conferenceId: recording.conferenceId, ...refused };
          throw new AccessDeniedError();
        }
        return fn(repos, recording);
      });
    } catch (err) {
      if (denial !== null) {
        const { conferenceId, reason, complaintId }: { conferenceId: string; reason: string; complaintId?: string } =
          denial;
        await auditConferenceDenial(this.deps.uow, ctx, action, conferenceId, reason, complaintId);
      }
      throw err;
    }
  }

  protected async audit(
    repos: Repositories,
    ctx: RequestContext,
    action: string,
    recordingId: string,
    details: Record<string, unknown> = {},
    outcome: 'success' | 'failure' = 'success',
  ) {
    await repos.audit.record({
      action,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'recording', id: recordingId },
      outcome,
      details,
    });
  }

  protected async checkPart(
    repos: Repositories,
    conferenceId: string,
    partId: string | null | undefined,
  ): Promise<string | null> {
    if (!partId) return null;
    const parts = await repos.meeting.listParts(conferenceId);
    if (!parts.some((p) => p.id === partId))
      throw new InvalidDetailsError([{ field: 'partId', message: 'Select a part of this conference' }]);
    return partId;
  }
}
