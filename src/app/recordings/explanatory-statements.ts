/** The explanatory statement: pre-filled from the conference and the breaks, confirmed, changed with a reason. */
import type { Actor } from '../../domain/access/roles.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import { englandClockTime, londonDateOf } from '../../domain/calendar/index.ts';
import { type ExplanatoryStatement, type StatementInput, validateStatement } from '../../domain/recordings/index.ts';
import { InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { RecordingRecord, StatementRecord } from './ports.ts';
import { RECORDING_ROLES, RecordingError, requireRole } from './recording-shared.ts';
import { RecordingPart } from './recording-part.ts';

export class ExplanatoryStatements extends RecordingPart {
  /** The statement pre-filled from the conference and the recording's breaks, or the latest confirmed one. */
  async draftStatement(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<{ draft: ExplanatoryStatement; confirmed: StatementRecord | null }> {
    return this.withRecording(
      actor,
      ctx,
      recordingId,
      'view',
      'recording.statement_viewed',
      async (repos, recording) => {
        const statements = await repos.recordings.listStatements(recordingId);
        const latest = statements.at(-1) ?? null;
        if (latest) return { draft: latest.content, confirmed: latest };
        return { draft: await prefillStatement(repos, recording), confirmed: null };
      },
    );
  }

  /** The chair confirms the statement; a later change is a new version with its reason. */
  async confirmStatement(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    input: StatementInput & { changeReason?: string | null },
  ): Promise<number> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const content = validateStatement(input);
    return this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.statement_confirmed',
      async (repos, recording) => {
        if (recording.status === 'rejected') throw new RecordingError('NOT_STORED', 'This recording was not stored');
        const statements = await repos.recordings.listStatements(recordingId);
        const version = (statements.at(-1)?.version ?? 0) + 1;
        const changeReason = input.changeReason?.trim() || null;
        if (version > 1 && !changeReason)
          throw new InvalidDetailsError([
            { field: 'changeReason', message: 'Give the reason for changing the confirmed statement' },
          ]);
        await repos.recordings.insertStatement(recordingId, {
          version,
          content,
          changeReason,
          confirmedBy: actor.id,
          confirmedAt: this.deps.clock.now(),
        });
        await this.audit(repos, ctx, 'recording.statement_confirmed', recordingId, { version });
        return version;
      },
      { lock: true },
    );
  }
}

/** The statement pre-filled from the conference, who attended and the recording's breaks. */
export async function prefillStatement(repos: Repositories, recording: RecordingRecord): Promise<ExplanatoryStatement> {
  const conference = await repos.meeting.findConference(recording.conferenceId);
  if (!conference) throw new NotFoundError('The conference');
  const children = await repos.meeting.listChildren(recording.conferenceId);
  const invitees = await repos.meeting.listInvitees(recording.conferenceId);
  const attendance = await repos.meeting.listAttendance(recording.conferenceId);
  const breaks = await repos.recordings.listBreaks(recording.id);
  const present = new Set(
    attendance
      .filter(
        (a) => a.status === 'attended' && (!recording.conferencePartId || a.partId === recording.conferencePartId),
      )
      .map((a) => a.inviteeId),
  );
  const speakers = [
    ...(conference.chairName ? [{ name: conference.chairName, role: 'Conference chair' }] : []),
    ...invitees
      .filter((i) => present.has(i.id))
      .map((i) => ({ name: i.name, role: [i.roleTitle, i.agencyName].filter(Boolean).join(', ') || roleOf(i.kind) })),
  ];
  const names = children.map((c) => c.givenNames).join(' and ');
  const venue =
    conference.venueKind === 'online'
      ? 'Online (Microsoft Teams)'
      : conference.venueKind === 'hybrid'
        ? `${conference.venueDetails ?? 'In person'} and online (hybrid)`
        : (conference.venueDetails ?? 'In person');
  return {
    location: venue.slice(0, 200),
    recordedOn: londonDateOf(recording.startedAt),
    startedAt: conference.actualStartTime ?? conference.startTime,
    endedAt: conference.actualEndTime ?? '',
    context:
      recording.kind === 'dictation'
        ? `The chair’s dictation of the decisions, recommendations and summary of the ${CONFERENCE_TYPE_LABELS[conference.type].toLowerCase()} for ${names}.`
        : `${CONFERENCE_TYPE_LABELS[conference.type]} for ${names}.`,
    speakers,
    breaks: breaks.map((b) => ({
      startedAt: englandClockTime(b.startedAt),
      endedAt: b.endedAt ? englandClockTime(b.endedAt) : '',
      reason: b.reason,
      participantChanges: b.participantChanges ?? '',
    })),
  };
}

function roleOf(kind: string): string {
  return kind.replace(/[-_]/g, ' ').replace(/^./, (c) => c.toUpperCase());
}
