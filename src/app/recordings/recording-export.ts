/** A copy of an original exactly as received, fixity-checked first and audited with the reason. */
import type { Readable } from 'node:stream';
import type { Actor } from '../../domain/access/roles.ts';
import { InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import {
  EXPORT_ROLES,
  LISTEN_REASON_MAX,
  RecordingError,
  binding,
  requireRole,
  type RecordingServiceDeps,
} from './recording-shared.ts';
import { RecordingPart } from './recording-part.ts';
import type { RecordingFixity } from './recording-fixity.ts';

export class RecordingExport extends RecordingPart {
  private readonly fixity: RecordingFixity;

  constructor(deps: RecordingServiceDeps, fixity: RecordingFixity) {
    super(deps);
    this.fixity = fixity;
  }

  /**
   * A copy of the original exactly as received, checked for fixity first and audited with the
   * reason. Refused when the check fails.
   */
  async exportOriginal(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    reason: string,
  ): Promise<{ stream: Readable; size: number; sha256: string; container: string | null; startedAt: Date }> {
    requireRole(actor, EXPORT_ROLES, 'the chair, business support, access to records or quality assurance');
    const why = reason.trim();
    if (!why)
      throw new InvalidDetailsError([{ field: 'reason', message: 'Enter why you need a copy of the original' }]);
    if (why.length > LISTEN_REASON_MAX)
      throw new InvalidDetailsError([
        { field: 'reason', message: `The reason must be ${LISTEN_REASON_MAX} characters or fewer` },
      ]);
    const recording = await this.withRecording(
      actor,
      ctx,
      recordingId,
      'view',
      'recording.exported',
      async (_repos, r) => {
        if (r.status !== 'stored') throw new RecordingError('NOT_STORED', 'This recording is not stored yet');
        return r;
      },
    );
    const result = await this.fixity.checkFixity(recordingId, 'export', ctx);
    if (result !== 'ok') {
      throw new RecordingError(
        'FIXITY_FAILED',
        'The stored recording failed its integrity check, so no copy was made. The failure has been reported.',
      );
    }
    await this.deps.uow.run((repos) =>
      this.audit(repos, ctx, 'recording.exported', recordingId, { reason: why, sha256: recording.originalSha256 }),
    );
    const cipherStream = await this.deps.blobs.get(recording.originalBlobKey!);
    return {
      stream: this.deps.cipher.decrypt(cipherStream, binding(recordingId, 'original')),
      size: recording.originalSize!,
      sha256: recording.originalSha256!,
      container: recording.container,
      startedAt: recording.startedAt,
    };
  }
}
