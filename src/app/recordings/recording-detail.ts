/** A recording's page, its listening page and its statement's form: what each shows, the view audited. */
import { hasAnyRole, type Actor } from '../../domain/access/roles.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import { nameRecordings } from '../../domain/recordings/naming.ts';
import type { ExplanatoryStatement } from '../../domain/recordings/index.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { RecordingRecord, StatementRecord } from './ports.ts';
import {
  EXPORT_ROLES,
  needsAttention,
  RECORDING_ROLES,
  copyFailedCheck,
  latestPlayback,
  liveSession,
  originalFailedCheck,
  repairQueuedFor,
} from './recording-shared.ts';
import type { PlaybackRepairState, RecordingDetail } from './recording-views.ts';
import { RecordingPart } from './recording-part.ts';
import { prefillStatement } from './explanatory-statements.ts';
import { issueGrant, playableUntil, type IssuedGrant } from './recording-playback.ts';

export class RecordingDetails extends RecordingPart {
  async detail(actor: Actor, ctx: RequestContext, recordingId: string): Promise<RecordingDetail> {
    return this.withRecording(actor, ctx, recordingId, 'view', 'recording.view', (repos, recording) =>
      this.readDetail(repos, actor, ctx, recording),
    );
  }

  /**
   * The listening page: the recording (its view audited, as on its page) and when this person may play
   * it until, or null when they must give a reason first; in one unit of work. When the player can be shown (a
   * reason given, the copy there and not damaged) and `opts.grant` asks for it, with the playback grant its Range
   * requests carry, its issue audited in the same unit of work.
   */
  async listening(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    opts: { grant?: boolean } = {},
  ): Promise<{ detail: RecordingDetail; until: Date | null; grant: IssuedGrant | null }> {
    return this.withRecording(actor, ctx, recordingId, 'view', 'recording.view', async (repos, recording) => {
      const detail = await this.readDetail(repos, actor, ctx, recording);
      const until = await playableUntil(repos, this.deps.clock, actor, recordingId);
      const playable =
        opts.grant === true &&
        until !== null &&
        recording.status === 'stored' &&
        detail.playback &&
        !detail.playbackDamaged;
      const grant = playable
        ? await issueGrant(this.deps, repos, ctx, actor, recording.id, this.deps.clock.now(), until)
        : null;
      return { detail, until, grant };
    });
  }

  /**
   * The explanatory statement's form: the recording (its view audited, as on its page) with the
   * statement pre-filled from the conference and its breaks, or the latest confirmed one; in one unit of work.
   */
  async statementForm(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<{ detail: RecordingDetail; draft: ExplanatoryStatement; confirmed: StatementRecord | null }> {
    return this.withRecording(actor, ctx, recordingId, 'view', 'recording.view', async (repos, recording) => {
      const detail = await this.readDetail(repos, actor, ctx, recording);
      const confirmed = detail.statements.at(-1) ?? null;
      const draft = confirmed ? confirmed.content : await prefillStatement(repos, recording);
      return { detail, draft, confirmed };
    });
  }

  /** Everything a page about the recording shows, with its view audited, in the caller's unit of work. */
  private async readDetail(
    repos: Repositories,
    actor: Actor,
    ctx: RequestContext,
    recording: RecordingRecord,
  ): Promise<RecordingDetail> {
    const recordingId = recording.id;
    const conference = await repos.meeting.findConference(recording.conferenceId);
    if (!conference) throw new NotFoundError('The conference');
    // Sequential: queries in one transaction share its connection (node-postgres warns on concurrent ones).
    const children = await repos.meeting.listChildren(recording.conferenceId);
    const parts = await repos.meeting.listParts(recording.conferenceId);
    const invitees = await repos.meeting.listInvitees(recording.conferenceId);
    const breaks = await repos.recordings.listBreaks(recordingId);
    const derivatives = await repos.recordings.listDerivatives(recordingId);
    const statements = await repos.recordings.listStatements(recordingId);
    const bookmarks = await repos.recordings.listBookmarks(recordingId);
    const withheld = await repos.recordings.listWithheld(recordingId);
    const fixity = await repos.recordings.listFixityEvents(recordingId);
    const name = nameRecordings(
      conference,
      parts,
      await repos.recordings.listForConference(recording.conferenceId),
    ).get(recordingId)!;
    const playback = latestPlayback(derivatives);
    const playbackDamaged = playback !== null && copyFailedCheck(fixity, playback.id);
    const playbackRepair: PlaybackRepairState | null = !playbackDamaged
      ? null
      : originalFailedCheck(fixity)
        ? 'impossible'
        : repairQueuedFor(await repos.recordings.auditEvents(recordingId), playback.id)
          ? 'repairing'
          : 'needed';
    await this.audit(repos, ctx, 'recording.view', recordingId);
    const people = [
      ...children.map((c) => ({ id: c.childId, name: `${c.givenNames} ${c.familyName}`.trim() })),
      ...invitees.filter((i) => i.personId).map((i) => ({ id: i.personId!, name: i.name })),
    ];
    return {
      recording,
      name,
      conference: {
        id: conference.id,
        title: CONFERENCE_TYPE_LABELS[conference.type],
        status: conference.status,
        scheduledDate: conference.scheduledDate,
        childNames: children.map((c) => `${c.givenNames} ${c.familyName}`.trim()),
        reminderGivenAt: conference.reminderGivenAt,
      },
      partLabel: parts.find((p) => p.id === recording.conferencePartId)?.label ?? null,
      breaks,
      liveState:
        recording.source === 'browser' && recording.status === 'receiving'
          ? liveSession(recording, breaks).state
          : null,
      playback,
      playbackDamaged,
      playbackRepair,
      needsAttention: needsAttention(recording, this.deps.clock.now()),
      statements,
      bookmarks,
      withheld,
      fixity,
      people: [...new Map(people.map((p) => [p.id, p])).values()],
      can: { manage: hasAnyRole(actor, RECORDING_ROLES), export: hasAnyRole(actor, EXPORT_ROLES) },
    };
  }
}
