/** Reading a conference's or a child's recordings, a recording's evidence and state, and its label. */
import { type ChildAccessFacts, canViewChild } from '../../domain/access/child-access.ts';
import { hasAnyRole, type Actor } from '../../domain/access/roles.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import { nameRecordings, validateRecordingLabel } from '../../domain/recordings/naming.ts';
import type { RecordingStatus } from '../../domain/recordings/index.ts';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { withConferenceAccess } from '../conferences/conference-access.ts';
import type { ConferenceListing } from '../conferences/convening-ports.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { DerivativeRecord, FixityEventRecord, RecordingAuditEvent, RecordingRecord } from './ports.ts';
import {
  EXPORT_ROLES,
  RECORDING_ROLES,
  RecordingError,
  liveSession,
  needsAttention,
  requireRole,
} from './recording-shared.ts';
import type { ConferenceRecordings, RecordingSummary } from './recording-views.ts';
import { RecordingPart } from './recording-part.ts';

/**
 * A conference's recordings, named, with their part, live state and whether each needs attention at `now`,
 * in the caller's unit of work.
 */
export async function conferenceSummaries(
  repos: Repositories,
  conferenceId: string,
  now: Date,
): Promise<RecordingSummary[]> {
  // One transaction is one connection: its queries run one after another (never Promise.all).
  const conference = await repos.meeting.findConference(conferenceId);
  if (!conference) throw new NotFoundError('The conference');
  const rows = await repos.recordings.listForConference(conferenceId);
  const parts = await repos.meeting.listParts(conferenceId);
  const names = nameRecordings(conference, parts, rows);
  const out: RecordingSummary[] = [];
  for (const r of rows) {
    const breaks = r.source === 'browser' ? await repos.recordings.listBreaks(r.id) : [];
    const statements = await repos.recordings.listStatements(r.id);
    out.push({
      ...r,
      name: names.get(r.id)!,
      partLabel: parts.find((p) => p.id === r.conferencePartId)?.label ?? null,
      createdByName: null,
      liveState: r.source === 'browser' && r.status === 'receiving' ? liveSession(r, breaks).state : null,
      statementConfirmed: statements.length > 0,
      needsAttention: needsAttention(r, now),
    });
  }
  return out;
}

/** A recording kept on a child's record, by the name that tells it apart. */
export interface KeptRecording {
  id: string;
  conferenceId: string;
  name: string;
  status: RecordingStatus;
  durationMs: number | null;
}

/**
 * the recordings kept on a child's record, named, from the child's `conferences` (newest first) this person may
 * see: one with a sibling they may not see (by `siblingFacts`) is left out, as the conference itself is. Recordings
 * not stored are left out. Two statements however many conferences and recordings; the caller audits.
 */
export async function keptRecordings(
  repos: Repositories,
  actor: Actor,
  childId: string,
  conferences: readonly ConferenceListing[],
  siblingFacts: ReadonlyMap<string, ChildAccessFacts>,
): Promise<KeptRecording[]> {
  const visible = conferences.filter((c) =>
    c.childIds.every((id) => {
      if (id === childId) return true;
      const f = siblingFacts.get(id);
      return f !== undefined && canViewChild(actor, f).allowed;
    }),
  );
  const recordingsOf = await repos.recordings.listForConferences(visible.map((c) => c.id));
  const withRecordings = visible.filter((c) => (recordingsOf.get(c.id) ?? []).length > 0);
  const partsOf = await repos.convening.listPartsMany(withRecordings.map((c) => c.id));
  const out: KeptRecording[] = [];
  for (const c of withRecordings) {
    const rows = recordingsOf.get(c.id)!;
    const names = nameRecordings(c, partsOf.get(c.id) ?? [], rows);
    for (const r of rows)
      if (r.status !== 'rejected')
        out.push({ id: r.id, conferenceId: c.id, name: names.get(r.id)!, status: r.status, durationMs: r.durationMs });
  }
  return out;
}

export class RecordingReading extends RecordingPart {
  async listForConference(actor: Actor, ctx: RequestContext, conferenceId: string): Promise<RecordingSummary[]> {
    return withConferenceAccess(this.deps.uow, actor, conferenceId, 'view', 'recording.list', ctx, (repos) =>
      conferenceSummaries(repos, conferenceId, this.deps.clock.now()),
    );
  }

  /**
   * the recordings on a child's record, named, newest conference first, from every conference the
   * child was in that this person may see (one with a sibling they may not see is left out, as the
   * conference itself is). Recordings not stored are left out: nothing of them is kept. Audited as a view.
   */
  async listForChild(actor: Actor, ctx: RequestContext, childId: string): Promise<KeptRecording[]> {
    let denied = false;
    try {
      return await this.deps.uow.run(async (repos) => {
        const mayView = async (id: string) => {
          const facts = await repos.people.childAccessFacts(id);
          return facts !== null && canViewChild(actor, facts).allowed;
        };
        if (!(await mayView(childId))) {
          denied = true;
          throw new AccessDeniedError();
        }
        // Every conference of the child, its siblings' access, recordings and parts: a few statements however many.
        const conferences = await repos.convening.listConferencesForChildren([childId]);
        const siblings = [...new Set(conferences.flatMap((c) => c.childIds))].filter((id) => id !== childId);
        const facts = await repos.people.childAccessFactsMany(siblings);
        const out = await keptRecordings(repos, actor, childId, conferences, facts);
        await repos.audit.record({
          action: 'recording.list',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: 'child', id: childId },
          outcome: 'success',
          details: { recordingIds: out.map((r) => r.id) },
        });
        return out;
      });
    } catch (err) {
      if (denied)
        await this.deps.uow.run(({ audit }) =>
          audit.record({
            action: 'recording.list',
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            subject: { type: 'child', id: childId },
            outcome: 'denied',
          }),
        );
      throw err;
    }
  }

  /**
   * A conference's recordings with what a page about them needs: the conference, its parts (each
   * recording belongs to one, so to who was present) and what this person may do. Audited as a view.
   */
  async conferenceRecordings(actor: Actor, ctx: RequestContext, conferenceId: string): Promise<ConferenceRecordings> {
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'view',
      'recording.list',
      ctx,
      async (repos) => {
        const conference = await repos.meeting.findConference(conferenceId);
        if (!conference) throw new NotFoundError('The conference');
        const children = await repos.meeting.listChildren(conferenceId);
        const parts = await repos.meeting.listParts(conferenceId);
        const recordings = await conferenceSummaries(repos, conferenceId, this.deps.clock.now());
        await repos.audit.record({
          action: 'recording.list',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: 'conference', id: conferenceId },
          outcome: 'success',
        });
        return {
          conference: {
            id: conference.id,
            title: CONFERENCE_TYPE_LABELS[conference.type],
            status: conference.status,
            scheduledDate: conference.scheduledDate,
            childNames: children.map((c) => `${c.givenNames} ${c.familyName}`.trim()),
            reminderGivenAt: conference.reminderGivenAt,
          },
          parts: parts.map((p) => ({ id: p.id, label: p.label })),
          recordings,
          can: { manage: hasAnyRole(actor, RECORDING_ROLES), export: hasAnyRole(actor, EXPORT_ROLES) },
        };
      },
      { investigatorMayView: true },
    );
  }

  /** The evidence page: hashes and every event about the recording from the audit trail. */
  async evidence(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<{
    recording: RecordingRecord;
    name: string;
    derivatives: DerivativeRecord[];
    fixity: FixityEventRecord[];
    events: RecordingAuditEvent[];
  }> {
    return this.withRecording(
      actor,
      ctx,
      recordingId,
      'view',
      'recording.evidence_viewed',
      async (repos, recording) => {
        const conference = await repos.meeting.findConference(recording.conferenceId);
        if (!conference) throw new NotFoundError('The conference');
        const parts = await repos.meeting.listParts(recording.conferenceId);
        const name = nameRecordings(
          conference,
          parts,
          await repos.recordings.listForConference(recording.conferenceId),
        ).get(recordingId)!;
        const derivatives = await repos.recordings.listDerivatives(recordingId);
        const fixity = await repos.recordings.listFixityEvents(recordingId);
        const events = await repos.recordings.auditEvents(recordingId);
        await this.audit(repos, ctx, 'recording.evidence_viewed', recordingId);
        return { recording, name, derivatives, fixity, events };
      },
    );
  }

  /**
   * The chair's short label, added to the recording's derived name so a referral can tell it apart
   * (blank takes it away). It describes the recording and is not part of the original, so it may
   * change after the recording is stored; each change is audited with the label given. Answers the
   * label as saved (spaces tidied, null when taken away).
   */
  async setLabel(actor: Actor, ctx: RequestContext, recordingId: string, input: string | null): Promise<string | null> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const label = validateRecordingLabel(input);
    await this.withRecording(
      actor,
      ctx,
      recordingId,
      'edit',
      'recording.labelled',
      async (repos, recording) => {
        if (recording.status === 'rejected')
          throw new RecordingError('NOT_STORED', 'This recording was not stored, so it cannot be labelled');
        if (recording.label === label) return;
        await repos.recordings.update(recordingId, { label });
        await this.audit(repos, ctx, 'recording.labelled', recordingId, { label });
      },
      { lock: true },
    );
    return label;
  }

  /**
   * Whether a recording is still being checked and stored, for the page that waits for it. Checked
   * exactly as the recording page is (a denial is audited), but a successful poll is not audited:
   * it tells only the state of ingest, which the audited view of the recording page already showed,
   * and a page polling every few seconds would bury that view in the trail.
   */
  async status(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<Pick<RecordingRecord, 'status' | 'rejectionReason' | 'playable' | 'playableProblem'>> {
    return this.withRecording(actor, ctx, recordingId, 'view', 'recording.status', async (_repos, recording) => ({
      status: recording.status,
      rejectionReason: recording.rejectionReason,
      playable: recording.playable,
      playableProblem: recording.playableProblem,
    }));
  }
}
