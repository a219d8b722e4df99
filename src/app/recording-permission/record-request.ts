/**
 * P-1, T-11: recording a request to record a meeting: who asked (anyone who may not ask is refused at once, with the
 * reason), when and how, why, and the undertaking; a request at short notice is accepted but flagged.
 */
import { type Actor } from '../../domain/access/roles.ts';
import { type IsoDate, formatLongDate } from '../../domain/calendar/iso-date.ts';
import {
  MEETING_KIND_LABELS,
  type Requester,
  type RequestStatus,
  checkNewRequest,
  checkOtherMeeting,
  eligibilityOf,
  englandInstant,
  noticeOf,
} from '../../domain/recording-permission/requests.ts';
import {
  AccessDeniedError,
  ConflictError,
  type FieldProblem,
  InvalidDetailsError,
  NotFoundError,
} from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { chairsToTell, everyoneIn } from '../conferences/chairing/chairs-to-tell.ts';
import { isUuid } from '../conferences/service-deps.ts';
import { RECORDING_PERMISSION_SHORT_NOTICE_TEMPLATE } from '../mail/recording-permission-templates.ts';
import type { UndertakingFormat } from './ports.ts';
import {
  type RecordingPermissionDeps,
  type PermissionRequestView,
  type MeetingRef,
  type NewPermissionRequestInput,
} from './use-cases.ts';
import {
  type Scope,
  auditRequestDenial,
  auditRequest,
  childrenDenial,
  conferenceMeeting,
  childDecider,
  meetingWords,
  caseNotes,
  requestLink,
} from './request-access.ts';
import { requestView, prOf } from './request-views.ts';
import { MAX_UNDERTAKING_BYTES, checkUndertakingFile, issueLink } from './undertaking.ts';

export async function recordRequest(
  deps: RecordingPermissionDeps,
  actor: Actor,
  meetingRef: MeetingRef,
  input: NewPermissionRequestInput,
  ctx: RequestContext,
): Promise<PermissionRequestView> {
  const action = 'recording-permission.record';
  const subject =
    'conferenceId' in meetingRef
      ? { type: 'conference', id: meetingRef.conferenceId.toLowerCase() }
      : { type: 'child', id: meetingRef.childId.toLowerCase() };
  if (!isUuid(subject.id)) throw new NotFoundError(subject.type === 'conference' ? 'The conference' : 'The child');
  const now = deps.clock.now();
  const problems: FieldProblem[] = [];
  // The signed notice, when given, is checked before anything is stored (and said last, where the page shows it).
  const fileProblems: FieldProblem[] = [];
  let format: UndertakingFormat | null = null;
  if (input.undertaking === 'upload') format = checkUndertakingFile(fileProblems, input.file);
  const state: { denial: string | null; stored: string | null; messages: string[] } = {
    denial: null,
    stored: null,
    messages: [],
  };
  try {
    const view = await deps.uow.run(async (repos) => {
      let scope: Omit<Scope, 'repos'>;
      let other: ReturnType<typeof checkOtherMeeting>['checked'] | null = null;
      if ('conferenceId' in meetingRef) {
        const s = await conferenceMeeting(repos, subject.id);
        if (!s) throw new NotFoundError('The conference');
        scope = s;
        const status = (await repos.meeting.findConference(subject.id))?.status;
        if (status === 'cancelled') throw new ConflictError('The conference is cancelled: there is nothing to record');
      } else {
        const { child, decider } = await childDecider(repos, subject.id);
        if (!child) throw new NotFoundError('The child');
        const checked = checkOtherMeeting(meetingRef);
        problems.push(...checked.problems);
        other = checked.checked;
        const valid = checked.problems.length === 0;
        scope = {
          childIds: [subject.id],
          meeting: {
            kind: valid ? other.kind : 'other',
            kindLabel: valid ? MEETING_KIND_LABELS[other.kind] : '',
            title: valid ? MEETING_KIND_LABELS[other.kind] : '',
            conferenceId: null,
            childId: subject.id,
            date: other.date,
            time: other.time,
            organiser: other.organiser,
            startsAt: valid ? englandInstant(other.date, other.time) : new Date(Number.NaN),
          },
          decider,
        };
      }
      state.denial = await childrenDenial(repos, actor, scope.childIds, 'edit');
      if (state.denial) throw new AccessDeniedError();

      // P-1: who asked.
      let requester: Requester | null = null;
      const who = input.requester;
      if (who.kind === 'child') {
        const id = who.childId.toLowerCase();
        const child = isUuid(id) && scope.childIds.includes(id) ? await repos.people.findChild(id) : null;
        if (!child) problems.push({ field: 'requester', message: 'Select who asked to record the meeting' });
        else requester = { kind: 'child', childId: id, name: `${child.givenNames} ${child.familyName}` };
      } else if (who.kind === 'family') {
        const id = who.personId.toLowerCase();
        const pr = isUuid(id) ? await prOf(repos, id, scope.childIds) : { name: null, prFor: [] };
        if (pr.name === null) problems.push({ field: 'requester', message: 'Select who asked to record the meeting' });
        else requester = { kind: 'family', personId: id, name: pr.name, prFor: pr.prFor };
      } else if (who.kind === 'someone-else') {
        requester = { kind: 'someone-else', name: who.name.trim() };
      } else problems.push({ field: 'requester', message: 'Select who asked to record the meeting' });

      const meetingValid = !Number.isNaN(scope.meeting.startsAt.getTime());
      const checked = checkNewRequest(
        {
          askedOn: input.askedOn,
          askedAtTime: input.askedAtTime,
          method: input.method,
          purpose: input.purpose,
          undertaking: input.undertaking,
          someoneElseName: who.kind === 'someone-else' ? who.name : null,
        },
        now,
        meetingValid ? scope.meeting.startsAt : null,
        englandInstant,
      );
      problems.push(...checked.problems);
      if (checked.checked.undertaking === 'online' && requester?.kind === 'family') {
        const person = await repos.people.findPerson(requester.personId);
        if (!person?.email)
          problems.push({
            field: 'undertaking',
            message: 'There is no email address for them on the record: add one first, or attach the signed notice',
          });
      }
      if (checked.checked.undertaking === 'online' && requester && requester.kind !== 'family')
        problems.push({
          field: 'undertaking',
          message: 'A secure link can only be sent to a parent with an email address on the record',
        });
      problems.push(...fileProblems);
      if (problems.length || !requester) throw new InvalidDetailsError(problems);

      const eligibility = eligibilityOf(requester, scope.childIds);
      const notice = noticeOf(checked.checked.askedAt, scope.meeting.startsAt, deps.noticeHours);
      let file: { blobKey: string; sha256: string; size: number; format: UndertakingFormat } | null = null;
      if (format && input.file && eligibility.eligible) {
        const stored = await deps.blobs.put(input.file, { maxBytes: MAX_UNDERTAKING_BYTES });
        state.stored = stored.key;
        file = { blobKey: stored.key, sha256: stored.sha256, size: stored.size, format };
      }
      const status: RequestStatus = !eligibility.eligible
        ? 'not-eligible'
        : file
          ? 'awaiting-decision'
          : 'awaiting-undertaking';
      const saved = await repos.recordingPermission.insert({
        conferenceId: scope.meeting.conferenceId,
        childId: scope.meeting.conferenceId ? null : subject.id,
        meetingKind: scope.meeting.kind,
        meetingDate: other?.date ?? null,
        meetingTime: other?.time ?? null,
        organiser: other?.organiser ?? null,
        requesterKind: requester.kind,
        requesterChildId: requester.kind === 'child' ? requester.childId : null,
        requesterPersonId: requester.kind === 'family' ? requester.personId : null,
        requesterName: requester.name,
        askedAt: checked.checked.askedAt,
        method: checked.checked.method,
        purpose: checked.checked.purpose,
        undertakingMethod: checked.checked.undertaking,
        undertakingFile: file,
        undertakingSignedAt: file ? now : null,
        undertakingSignedVia: file ? 'upload' : null,
        hoursBefore: notice.hoursBefore,
        late: notice.late,
        status,
        notEligibleReason: eligibility.eligible ? null : eligibility.reason,
        createdByUserId: actor.id,
        at: now,
      });
      const full: Scope = { repos, ...scope };
      // P-1: the undertaking confirmed by the requester themselves: the secure link goes with the request.
      if (eligibility.eligible && saved.undertakingMethod === 'online' && requester.kind === 'family') {
        const person = await repos.people.findPerson(requester.personId);
        if (person?.email)
          state.messages.push(await issueLink(deps, repos, saved, scope.meeting, person.email, actor, ctx));
      }
      if (!eligibility.eligible)
        await caseNotes(
          deps,
          full,
          `${requester.name} asked to record ${meetingWords(scope.meeting)}. They may not ask, so it was refused: ${eligibility.reason}`,
          ctx,
        );
      // T-11: a request at short notice is accepted but flagged, and the decision-maker is told: for a conference,
      // its chair and the cover chair as well while one is recorded (002 §4.1).
      if (eligibility.eligible && notice.late) {
        const tell = await chairsToTell(repos, {
          chairUserId: scope.decider.userId,
          coverChairUserId: scope.decider.coverUserId,
        });
        for (const decider of everyoneIn(tell)) {
          const { messageId } = await deps.mail.queueWithin(repos, {
            template: RECORDING_PERMISSION_SHORT_NOTICE_TEMPLATE,
            to: decider.email,
            values: {
              meeting_date: formatLongDate(scope.meeting.date as IsoDate),
              hours_before: String(notice.hoursBefore),
              request_link: requestLink(deps, saved.id),
            },
            about: { subjectType: 'recording-permission-request', subjectId: saved.id, ctx },
          });
          state.messages.push(messageId);
        }
      }
      await auditRequest(
        repos,
        ctx,
        action,
        { type: 'recording-permission-request', id: saved.id },
        {
          conferenceId: saved.conferenceId,
          childId: saved.childId,
          status,
          late: notice.late,
          undertaking: saved.undertakingMethod,
        },
      );
      return requestView(deps, saved, scope.meeting);
    });
    await deps.mail.dispatch(...state.messages);
    return view;
  } catch (err) {
    if (state.stored) await deps.blobs.delete(state.stored).catch(() => undefined);
    if (state.denial !== null) await auditRequestDenial(deps.uow, ctx, action, subject, state.denial);
    throw err;
  }
}
