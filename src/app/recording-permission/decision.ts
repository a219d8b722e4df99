/** P-6, P-2, P-3: professionals' views, the decision against the refusal grounds, and its confirmation to the requester. */
import { type Actor } from '../../domain/access/roles.ts';
import { englandDateTime } from '../../domain/calendar/england-time.ts';
import { NotTheChairError } from '../../domain/conferences/chair-cover.ts';
import { formatLongDate, londonDateOf } from '../../domain/calendar/iso-date.ts';
import {
  ALTERNATIVE_LABELS,
  type ProfessionalView,
  REFUSAL_GROUND_LABELS,
  checkDecision,
  checkProfessionalView,
  isDecided,
  professionalsDisagree,
} from '../../domain/recording-permission/requests.ts';
import { ConflictError, InvalidDetailsError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { RECORDING_PERMISSION_DECISION_TEMPLATE } from '../mail/recording-permission-templates.ts';
import {
  type RecordingPermissionDeps,
  type PermissionRequestView,
  type PermissionRequestDetail,
  type DecisionRequest,
} from './use-cases.ts';
import { auditingRefusals, auditRequest, withRequest, meetingWords, caseNotes, canDecide } from './request-access.ts';
import { requestView, detailOf, decisionValues } from './request-views.ts';

export async function recordView(
  deps: RecordingPermissionDeps,
  actor: Actor,
  requestId: string,
  input: { inviteeId: string; view: string; reason: string },
  ctx: RequestContext,
): Promise<PermissionRequestDetail> {
  return withRequest(deps, actor, requestId, 'edit', 'recording-permission.view.record', ctx, async (scope, r) => {
    if (!r.conferenceId) throw new ConflictError('Professionals’ views are recorded for a conference');
    if (isDecided(r.status)) throw new ConflictError('The request is already decided');
    const problems = checkProfessionalView(input);
    const inviteeId = input.inviteeId.toLowerCase();
    const invitees = await scope.repos.meeting.listInvitees(r.conferenceId);
    if (!invitees.some((i) => i.id === inviteeId && i.kind === 'professional'))
      problems.unshift({ field: 'inviteeId', message: 'Select a professional invited to the conference' });
    if (problems.length) throw new InvalidDetailsError(problems);
    const reason = input.reason.trim() || null;
    await scope.repos.recordingPermission.saveView(r.id, {
      inviteeId,
      view: input.view as ProfessionalView,
      reason,
      byUserId: actor.id,
      at: deps.clock.now(),
    });
    await auditRequest(
      scope.repos,
      ctx,
      'recording-permission.view.record',
      {
        type: 'recording-permission-request',
        id: r.id,
      },
      { inviteeId, view: input.view },
    );
    return detailOf(deps, actor, scope, r);
  });
}

export async function decide(
  deps: RecordingPermissionDeps,
  actor: Actor,
  requestId: string,
  input: DecisionRequest,
  ctx: RequestContext,
): Promise<PermissionRequestView> {
  const action = 'recording-permission.decide';
  const subject = { type: 'recording-permission-request', id: requestId.toLowerCase() };
  return auditingRefusals(deps.uow, ctx, action, subject, (deny) =>
    withRequest(
      deps,
      actor,
      requestId,
      'view',
      action,
      ctx,
      async (scope, r) => {
        if (!canDecide(actor, scope))
          deny(
            scope.meeting.kind === 'conference' ? 'not the conference chair' : 'not the social worker',
            scope.meeting.kind === 'conference'
              ? 'Only the conference’s chair can decide this request'
              : 'Only the child’s social worker or a team manager can decide this request',
            // P-6, 002 §4.1: the page names the chair and says how a cover chair is recorded.
            scope.meeting.conferenceId
              ? new NotTheChairError(scope.meeting.conferenceId, scope.decider.name)
              : undefined,
          );
        if (isDecided(r.status)) throw new ConflictError('This request is already decided');
        if (!Number.isSafeInteger(input.version) || r.version !== input.version) throw new StaleRecordError();
        const { problems, checked } = checkDecision(input, r.undertakingSignedAt !== null);
        if (problems.length) throw new InvalidDetailsError(problems);
        const now = deps.clock.now();
        const updated = await scope.repos.recordingPermission.update(r.id, r.version, {
          status: checked.outcome,
          decision: {
            grounds: checked.grounds,
            alternatives: checked.alternatives,
            alternativesNote: checked.alternativesNote,
            reasons: checked.reasons,
            byUserId: actor.id,
          },
          at: now,
        });
        if (!updated) throw new StaleRecordError();
        // P-6: the chair decides where professionals disagree; the note says so.
        const views = r.conferenceId ? await scope.repos.recordingPermission.listViews(r.id) : [];
        const disagreed = professionalsDisagree(views);
        const parts = [
          `${r.requesterName} asked on ${englandDateTime(r.askedAt)} to record ${meetingWords(scope.meeting)}.`,
          checked.outcome === 'granted'
            ? `${actor.name} allowed it on ${englandDateTime(now)}.`
            : `${actor.name} refused it on ${englandDateTime(now)}, because: ${checked.grounds.map((g) => REFUSAL_GROUND_LABELS[g.ground].toLowerCase()).join('; ')}. Offered instead: ${[...checked.alternatives.filter((a) => a !== 'other').map((a) => ALTERNATIVE_LABELS[a].toLowerCase()), ...(checked.alternativesNote ? [checked.alternativesNote] : [])].join('; ')}.`,
          `Reasons: ${checked.reasons}`,
          ...(r.late
            ? [`It was asked ${r.hoursBefore} hours before the meeting, later than the notice asked for.`]
            : []),
          ...(disagreed
            ? [
                `Professionals disagreed about recording the conference (${views.filter((v) => v.view === 'for').length} for, ${views.filter((v) => v.view === 'against').length} against); the chair decided.`,
              ]
            : []),
        ];
        await caseNotes(deps, scope, parts.join(' '), ctx);
        await auditRequest(
          scope.repos,
          ctx,
          action,
          { type: 'recording-permission-request', id: r.id },
          {
            outcome: checked.outcome,
            grounds: checked.grounds.map((g) => g.ground),
            alternatives: checked.alternatives,
            disagreement: disagreed,
          },
        );
        return requestView(deps, updated, scope.meeting);
      },
      { lock: true },
    ),
  );
}

export async function confirm(
  deps: RecordingPermissionDeps,
  actor: Actor,
  requestId: string,
  input: { version: number },
  ctx: RequestContext,
): Promise<PermissionRequestView> {
  const messages: string[] = [];
  const view = await withRequest(
    deps,
    actor,
    requestId,
    'edit',
    'recording-permission.confirm',
    ctx,
    async (scope, r) => {
      if (!isDecided(r.status)) throw new ConflictError('The request has not been decided yet');
      if (r.confirmedAt) throw new ConflictError('The decision has already been confirmed to them');
      if (!Number.isSafeInteger(input.version) || r.version !== input.version) throw new StaleRecordError();
      const person = r.requesterPersonId ? await scope.repos.people.findPerson(r.requesterPersonId) : null;
      const email = person?.email ?? null;
      if (email) {
        const { messageId } = await deps.mail.queueWithin(scope.repos, {
          template: RECORDING_PERMISSION_DECISION_TEMPLATE,
          to: email,
          values: decisionValues(r, scope.meeting),
          about: { subjectType: 'recording-permission-request', subjectId: r.id, ctx },
        });
        messages.push(messageId);
      }
      const updated = await scope.repos.recordingPermission.update(r.id, r.version, {
        confirmed: { byUserId: actor.id, byEmail: email !== null },
        at: deps.clock.now(),
      });
      if (!updated) throw new StaleRecordError();
      await caseNotes(
        deps,
        scope,
        `The decision on ${r.requesterName}’s request to record ${meetingWords(scope.meeting)} was confirmed to them by letter${email ? ' and email' : ''} on ${formatLongDate(londonDateOf(deps.clock.now()))}.`,
        ctx,
      );
      await auditRequest(
        scope.repos,
        ctx,
        'recording-permission.confirm',
        {
          type: 'recording-permission-request',
          id: r.id,
        },
        { email: email !== null },
      );
      return requestView(deps, updated, scope.meeting);
    },
    { lock: true },
  );
  await deps.mail.dispatch(...messages);
  return view;
}
