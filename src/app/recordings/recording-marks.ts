/** Bookmarks and withheld parts of a recording, each added and removed with an audit entry. */
import type { Actor } from '../../domain/access/roles.ts';
import {
  type BookmarkInput,
  type WithheldSegmentInput,
  validateBookmark,
  validateWithheldSegment,
} from '../../domain/recordings/index.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { RECORDING_ROLES, RecordingError, requireRole } from './recording-shared.ts';
import { RecordingPart } from './recording-part.ts';

export class RecordingMarks extends RecordingPart {
  async addBookmark(actor: Actor, ctx: RequestContext, recordingId: string, input: BookmarkInput): Promise<string> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    return this.withRecording(actor, ctx, recordingId, 'edit', 'recording.bookmark_added', async (repos, recording) => {
      if (recording.status === 'rejected') throw new RecordingError('NOT_STORED', 'This recording was not stored');
      const bookmark = validateBookmark(input, recording.status === 'stored' ? recording.durationMs : null);
      const id = await repos.recordings.insertBookmark(recordingId, { ...bookmark, createdBy: actor.id });
      await this.audit(repos, ctx, 'recording.bookmark_added', recordingId, {
        bookmarkId: id,
        kind: bookmark.kind,
        atMs: bookmark.atMs,
      });
      return id;
    });
  }

  async removeBookmark(actor: Actor, ctx: RequestContext, recordingId: string, bookmarkId: string): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    await this.withRecording(actor, ctx, recordingId, 'edit', 'recording.bookmark_removed', async (repos) => {
      if (!(await repos.recordings.removeBookmark(recordingId, bookmarkId, actor.id, this.deps.clock.now())))
        throw new NotFoundError('The bookmark');
      await this.audit(repos, ctx, 'recording.bookmark_removed', recordingId, { bookmarkId });
    });
  }

  async addWithheld(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    input: WithheldSegmentInput,
  ): Promise<string> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    return this.withRecording(actor, ctx, recordingId, 'edit', 'recording.withheld_added', async (repos, recording) => {
      if (recording.status !== 'stored' || recording.durationMs === null)
        throw new RecordingError('NOT_STORED', 'Parts can be marked as withheld once the recording is stored');
      const children = await repos.meeting.listChildren(recording.conferenceId);
      const invitees = await repos.meeting.listInvitees(recording.conferenceId);
      const named = new Set<string>([
        ...children.map((c) => c.childId),
        ...invitees.flatMap((i) => (i.personId ? [i.personId] : [])),
      ]);
      const segment = validateWithheldSegment(input, recording.durationMs, named);
      const id = await repos.recordings.insertWithheld(recordingId, { ...segment, createdBy: actor.id });
      await this.audit(repos, ctx, 'recording.withheld_added', recordingId, {
        segmentId: id,
        reason: segment.reason,
        startMs: segment.startMs,
        endMs: segment.endMs,
        audience: segment.withheldFrom.kind,
      });
      return id;
    });
  }

  async removeWithheld(actor: Actor, ctx: RequestContext, recordingId: string, segmentId: string): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    await this.withRecording(actor, ctx, recordingId, 'edit', 'recording.withheld_removed', async (repos) => {
      if (!(await repos.recordings.removeWithheld(recordingId, segmentId, actor.id, this.deps.clock.now())))
        throw new NotFoundError('The withheld part');
      await this.audit(repos, ctx, 'recording.withheld_removed', recordingId, { segmentId });
    });
  }
}
