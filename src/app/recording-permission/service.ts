/**
 * Requests to record a meeting (004, 001, 002 §3.10): recorded by the conference team or the social worker with who
 * asked (P-1; anyone else is refused at once with the reason), when and how, why, and the signed undertaking not to
 * publish or share the recording (an uploaded notice of intent, or the form confirmed by the requester through a
 * secure link with a one-time code). A request made less than the council's notice before the meeting (T-11) is
 * accepted but flagged, and the decision-maker is emailed. The decision (the conference's chair, or the social
 * worker for another meeting) is made against the refusal grounds, each with its evidence (P-2); a refusal offers
 * what meets the need instead. Where professionals disagree about recording a conference, each view is recorded
 * and the chair decides (P-6). The decision goes on each child's record as a case note and is confirmed to the
 * requester by letter and, where they have an email address, by email (P-3). Every view, change and refusal of
 * access is audited, with ids and counts only.
 */
import type { Readable } from 'node:stream';
import { canEditChild, canViewChild } from '../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import { englandDateTime, englandTimeOnDate } from '../../domain/calendar/england-time.ts';
import { type IsoDate, formatLongDate, londonDateOf } from '../../domain/calendar/iso-date.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import {
  ALTERNATIVE_LABELS,
  type Alternative,
  type DecisionInput,
  MEETING_KIND_LABELS,
  type MeetingKind,
  type ProfessionalView,
  REFUSAL_GROUND_LABELS,
  REQUEST_METHOD_LABELS,
  REQUEST_STATUS_LABELS,
  type RefusalGround,
  type Requester,
  type RequestMethod,
  type RequestStatus,
  UNDERTAKING_METHOD_LABELS,
  UNDERTAKING_TERMS,
  type UndertakingMethod,
  VIEW_LABELS,
  checkDecision,
  checkNewRequest,
  checkOtherMeeting,
  checkProfessionalView,
  eligibilityOf,
  englandInstant,
  isDecided,
  noticeOf,
  professionalsDisagree,
  timeLeft,
} from '../../domain/recording-permission/requests.ts';
import {
  AccessDeniedError,
  ConflictError,
  type FieldProblem,
  InvalidDetailsError,
  NotFoundError,
  StaleRecordError,
} from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { isUuid } from '../conferences/service-deps.ts';
import { RECORDING_PERMISSION_LETTER, recordingPermissionLetterText } from '../documents/letter-wording.ts';
import type { MailService } from '../mail/mail-service.ts';
import {
  RECORDING_PERMISSION_DECISION_TEMPLATE,
  RECORDING_PERMISSION_LINK_TEMPLATE,
  RECORDING_PERMISSION_SHORT_NOTICE_TEMPLATE,
} from '../mail/recording-permission-templates.ts';
import type { DeliverySecrets } from '../requests/delivery-ports.ts';
import { renderMessage, templateDefinition } from '../mail/templates.ts';
import { recordCaseNote } from '../people/people-service.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { PermissionRequestRecord, UndertakingFormat } from './ports.ts';

export const PERMISSION_NOTE_KIND = 'recording-permission';
/** A signed notice of intent: a scan or photo, at most 10 MB. */
export const MAX_UNDERTAKING_BYTES = 10 * 1024 * 1024;

export const UNDERTAKING_MEDIA_TYPES: Record<UndertakingFormat, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
};

/** What a signed notice of intent is, from its content (never its name or the browser's claim). */
export function detectUndertakingFormat(bytes: Uint8Array): UndertakingFormat | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  return null;
}

export interface RecordingPermissionDeps {
  uow: UnitOfWork;
  clock: Clock;
  blobs: BlobStore;
  mail: MailService;
  /** T-11: the notice asked for, in hours (48 by default). */
  noticeHours: number;
  councilName: string;
  /** The service's public address (PUBLIC_BASE_URL), for links in emails. */
  publicBaseUrl: string;
  /** Tokens for the requester's secure link, and SHA-256 digests of them (only the digest is kept). */
  secrets: DeliverySecrets;
}

/** P-1: how long the requester's secure link to confirm the undertaking works. */
export const UNDERTAKING_LINK_DAYS = 7;
/** Where the requester confirms their undertaking, without an account. */
export const UNDERTAKING_LINK_PATH = '/record-a-meeting/';

export interface MeetingView {
  kind: MeetingKind;
  kindLabel: string;
  /** "Initial child protection conference", "Core group meeting". */
  title: string;
  conferenceId: string | null;
  childId: string | null;
  date: string;
  time: string;
  organiser: string | null;
  startsAt: Date;
}

export interface PermissionRequestView {
  id: string;
  meeting: MeetingView;
  requester: { kind: Requester['kind']; name: string; childId: string | null; personId: string | null };
  askedAt: Date;
  askedAtText: string;
  method: { value: RequestMethod; label: string };
  purpose: string;
  undertaking: {
    method: UndertakingMethod;
    label: string;
    signed: boolean;
    signedAtText: string | null;
    signedVia: 'upload' | 'online' | null;
    file: { format: UndertakingFormat; size: number } | null;
  };
  /** T-11. */
  notice: { hoursBefore: number; late: boolean };
  status: { value: RequestStatus; label: string };
  notEligibleReason: string | null;
  decision: {
    outcome: 'granted' | 'refused';
    grounds: Array<{ ground: RefusalGround; label: string; evidence: string }>;
    alternatives: Array<{ value: Alternative; label: string }>;
    alternativesNote: string | null;
    reasons: string;
    decidedBy: string | null;
    decidedAtText: string;
  } | null;
  confirmed: { atText: string; byEmail: boolean } | null;
  /** Time left before the meeting while the request waits (T-11). */
  timeLeft: string | null;
  version: number;
}

export interface RequesterCandidates {
  children: Array<{ childId: string; name: string }>;
  family: Array<{
    personId: string;
    name: string;
    relationship: string;
    hasPr: boolean;
    /** P-1, P-2: the given names of the children they hold parental responsibility for, when not all of them. */
    prForSome: string[] | null;
    hasEmail: boolean;
  }>;
}

export interface MeetingRequests {
  /** The conference, or the child for other meetings. */
  conference: { id: string; title: string; scheduledDate: string; startTime: string } | null;
  child: { id: string; name: string } | null;
  requests: PermissionRequestView[];
  candidates: RequesterCandidates;
  noticeHours: number;
}

export interface ProfessionalViewLine {
  inviteeId: string;
  name: string;
  agency: string | null;
  view: { value: ProfessionalView; label: string } | null;
  reason: string | null;
}

export interface PermissionRequestDetail {
  request: PermissionRequestView;
  decisionMaker: { name: string | null; role: string };
  /** P-6: professionals invited to the conference and their views (empty for other meetings). */
  professionals: ProfessionalViewLine[];
  disagreement: boolean;
  /** P-2: the children discussed the requester has no PR for (a ground to consider). */
  childrenWithoutPr: string[];
  requesterEmail: boolean;
  terms: readonly string[];
  /** P-1: the latest secure link sent to the requester to confirm the undertaking. */
  link: { sentAtText: string; expiresAtText: string; state: 'active' | 'expired' | 'revoked' | 'confirmed' } | null;
  /** P-3: the letter confirming the decision (once decided), addressed and dated. */
  letter: { subject: string; body: string; recipientLines: string[]; dateLine: string } | null;
  can: { decide: boolean; edit: boolean; confirm: boolean; sendLink: boolean };
}

export type MeetingRef =
  { conferenceId: string } | { childId: string; kind: string; date: string; time: string; organiser: string };

export interface NewPermissionRequestInput {
  requester:
    { kind: 'child'; childId: string } | { kind: 'family'; personId: string } | { kind: 'someone-else'; name: string };
  askedOn: string;
  askedAtTime: string;
  method: string;
  purpose: string;
  undertaking: string;
  /** The signed notice of intent, with `undertaking: 'upload'`. */
  file: Uint8Array | null;
}

export interface DecisionRequest extends DecisionInput {
  version: number;
}

export interface WaitingItem {
  request: PermissionRequestView;
  /** The signed-in person is the one to decide. */
  mine: boolean;
}

/** The use cases the pages and the API call. */
export interface RecordingPermissionUseCases {
  forConference(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<MeetingRequests>;
  forChild(actor: Actor, childId: string, ctx: RequestContext): Promise<MeetingRequests>;
  record(
    actor: Actor,
    meeting: MeetingRef,
    input: NewPermissionRequestInput,
    ctx: RequestContext,
  ): Promise<PermissionRequestView>;
  detail(actor: Actor, requestId: string, ctx: RequestContext): Promise<PermissionRequestDetail>;
  attachUndertaking(
    actor: Actor,
    requestId: string,
    input: { content: Uint8Array | null; version: number },
    ctx: RequestContext,
  ): Promise<PermissionRequestView>;
  undertakingFile(
    actor: Actor,
    requestId: string,
    ctx: RequestContext,
  ): Promise<{ stream: Readable; mediaType: string; size: number; format: UndertakingFormat }>;
  recordView(
    actor: Actor,
    requestId: string,
    input: { inviteeId: string; view: string; reason: string },
    ctx: RequestContext,
  ): Promise<PermissionRequestDetail>;
  decide(actor: Actor, requestId: string, input: DecisionRequest, ctx: RequestContext): Promise<PermissionRequestView>;
  confirm(
    actor: Actor,
    requestId: string,
    input: { version: number },
    ctx: RequestContext,
  ): Promise<PermissionRequestView>;
  sendUndertakingLink(actor: Actor, requestId: string, ctx: RequestContext): Promise<PermissionRequestDetail>;
  waiting(actor: Actor, ctx: RequestContext): Promise<{ waiting: WaitingItem[]; unconfirmed: WaitingItem[] }>;
}

type Access = 'view' | 'edit';

interface Scope {
  repos: Repositories;
  childIds: string[];
  meeting: MeetingView;
  decider: { userId: string | null; name: string | null; role: string };
}

export class RecordingPermissionService implements RecordingPermissionUseCases {
  private readonly deps: RecordingPermissionDeps;

  constructor(deps: RecordingPermissionDeps) {
    this.deps = deps;
  }

  // ---------------------------------------------------------------- access

  private async auditDenial(
    ctx: RequestContext,
    action: string,
    subject: { type: string; id: string },
    reason: string,
  ) {
    await this.deps.uow.run(({ audit }) =>
      audit.record({
        action,
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject,
        outcome: 'denied',
        details: { reason },
      }),
    );
  }

  private async audit(
    repos: Repositories,
    ctx: RequestContext,
    action: string,
    subject: { type: string; id: string },
    details?: Record<string, unknown>,
  ) {
    await repos.audit.record({
      action,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject,
      outcome: 'success',
      ...(details ? { details } : {}),
    });
  }

  /** Null when the actor may `access` every child; otherwise the reason. */
  private async childrenDenial(repos: Repositories, actor: Actor, childIds: readonly string[], access: Access) {
    for (const childId of childIds) {
      const facts = await repos.people.childAccessFacts(childId);
      if (!facts) return 'child record missing';
      const d = access === 'view' ? canViewChild(actor, facts) : canEditChild(actor, facts);
      if (!d.allowed) return d.reason;
    }
    return null;
  }

  private async conferenceMeeting(repos: Repositories, conferenceId: string): Promise<Omit<Scope, 'repos'> | null> {
    const conference = await repos.meeting.findConference(conferenceId);
    const childIds = await repos.convening.conferenceChildIds(conferenceId);
    if (!conference || !childIds) return null;
    const title = CONFERENCE_TYPE_LABELS[conference.type];
    return {
      childIds,
      meeting: {
        kind: 'conference',
        kindLabel: MEETING_KIND_LABELS.conference,
        title,
        conferenceId,
        childId: null,
        date: conference.scheduledDate,
        time: conference.startTime,
        organiser: null,
        startsAt: englandInstant(conference.scheduledDate, conference.startTime),
      },
      decider: { userId: conference.chairUserId, name: conference.chairName, role: 'the conference’s chair' },
    };
  }

  private async childDecider(repos: Repositories, childId: string) {
    const child = await repos.people.findChild(childId);
    return {
      child,
      decider: {
        userId: child?.allocatedSocialWorkerId ?? null,
        name: child?.allocatedSocialWorkerName ?? null,
        role: 'the child’s social worker',
      },
    };
  }

  private async requestScope(repos: Repositories, r: PermissionRequestRecord): Promise<Omit<Scope, 'repos'>> {
    if (r.conferenceId) {
      const s = await this.conferenceMeeting(repos, r.conferenceId);
      if (!s) throw new NotFoundError('The request');
      return s;
    }
    const childId = r.childId!;
    const { decider } = await this.childDecider(repos, childId);
    return {
      childIds: [childId],
      meeting: {
        kind: r.meetingKind,
        kindLabel: MEETING_KIND_LABELS[r.meetingKind],
        title: MEETING_KIND_LABELS[r.meetingKind],
        conferenceId: null,
        childId,
        date: r.meetingDate!,
        time: r.meetingTime!,
        organiser: r.organiser,
        startsAt: englandInstant(r.meetingDate!, r.meetingTime!),
      },
      decider,
    };
  }

  /** Runs `fn` on a request once the actor may `access` every child of its meeting; a refusal is audited. */
  private async withRequest<T>(
    actor: Actor,
    requestId: string,
    access: Access,
    action: string,
    ctx: RequestContext,
    fn: (scope: Scope, r: PermissionRequestRecord) => Promise<T>,
    opts: { lock?: boolean } = {},
  ): Promise<T> {
    const state: { denial: string | null } = { denial: null };
    const id = requestId.toLowerCase();
    try {
      if (!isUuid(requestId)) throw new NotFoundError('The request');
      return await this.deps.uow.run(async (repos) => {
        const r = await repos.recordingPermission.find(id, { lock: opts.lock ?? false });
        if (!r) throw new NotFoundError('The request');
        const scope = await this.requestScope(repos, r);
        state.denial = await this.childrenDenial(repos, actor, scope.childIds, access);
        if (state.denial) throw new AccessDeniedError();
        return fn({ repos, ...scope }, r);
      });
    } catch (err) {
      if (state.denial !== null)
        await this.auditDenial(ctx, action, { type: 'recording-permission-request', id }, state.denial);
      throw err;
    }
  }

  // ---------------------------------------------------------------- views

  private view(r: PermissionRequestRecord, meeting: MeetingView): PermissionRequestView {
    const now = this.deps.clock.now();
    return {
      id: r.id,
      meeting,
      requester: {
        kind: r.requesterKind,
        name: r.requesterName,
        childId: r.requesterChildId,
        personId: r.requesterPersonId,
      },
      askedAt: r.askedAt,
      askedAtText: englandDateTime(r.askedAt),
      method: { value: r.method, label: REQUEST_METHOD_LABELS[r.method] },
      purpose: r.purpose,
      undertaking: {
        method: r.undertakingMethod,
        label: UNDERTAKING_METHOD_LABELS[r.undertakingMethod],
        signed: r.undertakingSignedAt !== null,
        signedAtText: r.undertakingSignedAt ? englandDateTime(r.undertakingSignedAt) : null,
        signedVia: r.undertakingSignedVia,
        file: r.undertakingFile ? { format: r.undertakingFile.format, size: r.undertakingFile.size } : null,
      },
      notice: { hoursBefore: r.hoursBefore, late: r.late },
      status: { value: r.status, label: REQUEST_STATUS_LABELS[r.status] },
      notEligibleReason: r.notEligibleReason,
      decision:
        r.decidedAt && (r.status === 'granted' || r.status === 'refused')
          ? {
              outcome: r.status,
              grounds: r.grounds.map((g) => ({ ...g, label: REFUSAL_GROUND_LABELS[g.ground] })),
              alternatives: r.alternatives.map((a) => ({ value: a, label: ALTERNATIVE_LABELS[a] })),
              alternativesNote: r.alternativesNote,
              reasons: r.reasons ?? '',
              decidedBy: r.decidedByName,
              decidedAtText: englandDateTime(r.decidedAt),
            }
          : null,
      confirmed: r.confirmedAt ? { atText: englandDateTime(r.confirmedAt), byEmail: r.confirmedByEmail } : null,
      timeLeft: isDecided(r.status) ? null : timeLeft(now, meeting.startsAt),
      version: r.version,
    };
  }

  private async candidates(repos: Repositories, childIds: readonly string[]): Promise<RequesterCandidates> {
    const children: RequesterCandidates['children'] = [];
    const family = new Map<string, RequesterCandidates['family'][number] & { prFor: string[] }>();
    for (const childId of childIds) {
      const child = await repos.people.findChild(childId);
      if (child) children.push({ childId, name: `${child.givenNames} ${child.familyName}` });
      for (const m of await repos.people.listFamily(childId)) {
        const entry = family.get(m.person.id) ?? {
          personId: m.person.id,
          name: `${m.person.givenNames} ${m.person.familyName}`,
          relationship: m.relationship,
          hasPr: false,
          prForSome: null,
          hasEmail: Boolean(m.person.email),
          prFor: [],
        };
        if (m.parentalResponsibility) {
          entry.hasPr = true;
          entry.prFor.push(child?.givenNames ?? '');
        }
        family.set(m.person.id, entry);
      }
    }
    return {
      children,
      family: [...family.values()]
        .map(({ prFor, ...f }) => ({ ...f, prForSome: f.hasPr && prFor.length < childIds.length ? prFor : null }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  private async prOf(repos: Repositories, personId: string, childIds: readonly string[]) {
    const prFor: string[] = [];
    let name: string | null = null;
    for (const childId of childIds) {
      const m = await repos.people.findFamilyMember(childId, personId);
      if (!m) continue;
      name = `${m.person.givenNames} ${m.person.familyName}`;
      if (m.parentalResponsibility) prFor.push(childId);
    }
    return { name, prFor };
  }

  private meetingWords(m: MeetingView): string {
    return `the ${m.title.toLowerCase()} on ${formatLongDate(m.date as IsoDate)} at ${m.time}`;
  }

  private async caseNotes(scope: Scope, text: string, ctx: RequestContext) {
    for (const childId of scope.childIds)
      await recordCaseNote(scope.repos, this.deps.clock, { childId, kind: PERMISSION_NOTE_KIND, text }, ctx);
  }

  private link(id: string): string {
    return `${this.deps.publicBaseUrl.replace(/\/$/, '')}/recording-permission/${id}`;
  }

  private canDecide(actor: Actor, scope: Pick<Scope, 'meeting' | 'decider'>): boolean {
    if (scope.decider.userId === actor.id) return true;
    // For a meeting other than a conference, a team manager may decide in the social worker's place.
    return scope.meeting.kind !== 'conference' && hasAnyRole(actor, ['team_manager']);
  }

  // ---------------------------------------------------------------- lists

  async forConference(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<MeetingRequests> {
    const action = 'recording-permission.view';
    const state: { denial: string | null } = { denial: null };
    try {
      if (!isUuid(conferenceId)) throw new NotFoundError('The conference');
      const id = conferenceId.toLowerCase();
      return await this.deps.uow.run(async (repos) => {
        const s = await this.conferenceMeeting(repos, id);
        if (!s) throw new NotFoundError('The conference');
        state.denial = await this.childrenDenial(repos, actor, s.childIds, 'view');
        if (state.denial) throw new AccessDeniedError();
        const records = await repos.recordingPermission.listForConference(id);
        await this.audit(repos, ctx, action, { type: 'conference', id }, { requests: records.length });
        return {
          conference: { id, title: s.meeting.title, scheduledDate: s.meeting.date, startTime: s.meeting.time },
          child: null,
          requests: records.map((r) => this.view(r, s.meeting)),
          candidates: await this.candidates(repos, s.childIds),
          noticeHours: this.deps.noticeHours,
        };
      });
    } catch (err) {
      if (state.denial !== null)
        await this.auditDenial(ctx, action, { type: 'conference', id: conferenceId.toLowerCase() }, state.denial);
      throw err;
    }
  }

  async forChild(actor: Actor, childId: string, ctx: RequestContext): Promise<MeetingRequests> {
    const action = 'recording-permission.view';
    const state: { denial: string | null } = { denial: null };
    try {
      if (!isUuid(childId)) throw new NotFoundError('The child');
      const id = childId.toLowerCase();
      return await this.deps.uow.run(async (repos) => {
        const child = await repos.people.findChild(id);
        if (!child) throw new NotFoundError('The child');
        state.denial = await this.childrenDenial(repos, actor, [id], 'view');
        if (state.denial) throw new AccessDeniedError();
        // The child's other meetings and its conferences; a conference's request is listed only when the person may
        // see every child in it (a sibling they may not see keeps it off this child's list).
        const records = await repos.recordingPermission.listForChild(id);
        const views: PermissionRequestView[] = [];
        for (const r of records) {
          const scope = await this.requestScope(repos, r);
          if (r.conferenceId && (await this.childrenDenial(repos, actor, scope.childIds, 'view'))) continue;
          views.push(this.view(r, scope.meeting));
        }
        await this.audit(repos, ctx, action, { type: 'child', id }, { requests: views.length });
        return {
          conference: null,
          child: { id, name: `${child.givenNames} ${child.familyName}` },
          requests: views,
          candidates: await this.candidates(repos, [id]),
          noticeHours: this.deps.noticeHours,
        };
      });
    } catch (err) {
      if (state.denial !== null)
        await this.auditDenial(ctx, action, { type: 'child', id: childId.toLowerCase() }, state.denial);
      throw err;
    }
  }

  // ---------------------------------------------------------------- recording a request

  async record(
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
    const now = this.deps.clock.now();
    const problems: FieldProblem[] = [];
    // The signed notice, when given, is checked before anything is stored (and said last, where the page shows it).
    const fileProblems: FieldProblem[] = [];
    let format: UndertakingFormat | null = null;
    if (input.undertaking === 'upload') format = this.checkFile(fileProblems, input.file);
    const state: { denial: string | null; stored: string | null; messages: string[] } = {
      denial: null,
      stored: null,
      messages: [],
    };
    try {
      const view = await this.deps.uow.run(async (repos) => {
        let scope: Omit<Scope, 'repos'>;
        let other: ReturnType<typeof checkOtherMeeting>['checked'] | null = null;
        if ('conferenceId' in meetingRef) {
          const s = await this.conferenceMeeting(repos, subject.id);
          if (!s) throw new NotFoundError('The conference');
          scope = s;
          const status = (await repos.meeting.findConference(subject.id))?.status;
          if (status === 'cancelled')
            throw new ConflictError('The conference is cancelled: there is nothing to record');
        } else {
          const { child, decider } = await this.childDecider(repos, subject.id);
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
        state.denial = await this.childrenDenial(repos, actor, scope.childIds, 'edit');
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
          const pr = isUuid(id) ? await this.prOf(repos, id, scope.childIds) : { name: null, prFor: [] };
          if (pr.name === null)
            problems.push({ field: 'requester', message: 'Select who asked to record the meeting' });
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
        const notice = noticeOf(checked.checked.askedAt, scope.meeting.startsAt, this.deps.noticeHours);
        let file: { blobKey: string; sha256: string; size: number; format: UndertakingFormat } | null = null;
        if (format && input.file && eligibility.eligible) {
          const stored = await this.deps.blobs.put(input.file, { maxBytes: MAX_UNDERTAKING_BYTES });
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
            state.messages.push(await this.issueLink(repos, saved, scope.meeting, person.email, actor, ctx));
        }
        if (!eligibility.eligible)
          await this.caseNotes(
            full,
            `${requester.name} asked to record ${this.meetingWords(scope.meeting)}. They may not ask, so it was refused: ${eligibility.reason}`,
            ctx,
          );
        // T-11: a request at short notice is accepted but flagged, and the decision-maker is told.
        if (eligibility.eligible && notice.late) {
          const decider = scope.decider.userId ? await repos.accounts.findUserById(scope.decider.userId) : null;
          if (decider && decider.disabledAt === null) {
            const { messageId } = await this.deps.mail.queueWithin(repos, {
              template: RECORDING_PERMISSION_SHORT_NOTICE_TEMPLATE,
              to: decider.email,
              values: {
                meeting_date: formatLongDate(scope.meeting.date as IsoDate),
                hours_before: String(notice.hoursBefore),
                request_link: this.link(saved.id),
              },
              about: { subjectType: 'recording-permission-request', subjectId: saved.id, ctx },
            });
            state.messages.push(messageId);
          }
        }
        await this.audit(
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
        return this.view(saved, scope.meeting);
      });
      await this.deps.mail.dispatch(...state.messages);
      return view;
    } catch (err) {
      if (state.stored) await this.deps.blobs.delete(state.stored).catch(() => undefined);
      if (state.denial !== null) await this.auditDenial(ctx, action, subject, state.denial);
      throw err;
    }
  }

  private checkFile(problems: FieldProblem[], content: Uint8Array | null): UndertakingFormat | null {
    if (!content || content.length === 0) {
      problems.push({ field: 'file', message: 'Select the signed notice of intent' });
      return null;
    }
    if (content.length > MAX_UNDERTAKING_BYTES) {
      problems.push({ field: 'file', message: 'The selected file must be smaller than 10 MB' });
      return null;
    }
    const format = detectUndertakingFormat(content);
    if (!format) problems.push({ field: 'file', message: 'The selected file must be a PDF, a JPEG or a PNG' });
    return format;
  }

  // ---------------------------------------------------------------- one request

  async detail(actor: Actor, requestId: string, ctx: RequestContext): Promise<PermissionRequestDetail> {
    return this.withRequest(actor, requestId, 'view', 'recording-permission.request.view', ctx, async (scope, r) => {
      await this.audit(scope.repos, ctx, 'recording-permission.request.view', {
        type: 'recording-permission-request',
        id: r.id,
      });
      return this.detailOf(actor, scope, r);
    });
  }

  private async detailOf(actor: Actor, scope: Scope, r: PermissionRequestRecord): Promise<PermissionRequestDetail> {
    const { repos } = scope;
    const professionals: ProfessionalViewLine[] = [];
    if (r.conferenceId) {
      const views = await repos.recordingPermission.listViews(r.id);
      for (const i of await repos.meeting.listInvitees(r.conferenceId)) {
        if (i.kind !== 'professional') continue;
        const v = views.find((x) => x.inviteeId === i.id);
        professionals.push({
          inviteeId: i.id,
          name: i.name,
          agency: i.agencyName,
          view: v ? { value: v.view, label: VIEW_LABELS[v.view] } : null,
          reason: v?.reason ?? null,
        });
      }
    }
    let childrenWithoutPr: string[] = [];
    let requesterEmail = false;
    if (r.requesterKind === 'family' && r.requesterPersonId) {
      const pr = await this.prOf(repos, r.requesterPersonId, scope.childIds);
      const e = eligibilityOf(
        { kind: 'family', personId: r.requesterPersonId, name: r.requesterName, prFor: pr.prFor },
        scope.childIds,
      );
      if (e.eligible)
        for (const id of e.childrenWithoutPr) {
          const c = await repos.people.findChild(id);
          if (c) childrenWithoutPr.push(c.givenNames);
        }
      requesterEmail = Boolean((await repos.people.findPerson(r.requesterPersonId))?.email);
    } else childrenWithoutPr = [];
    const view = this.view(r, scope.meeting);
    const editFacts = await this.childrenDenial(repos, actor, scope.childIds, 'edit');
    const latest = await repos.recordingPermission.latestLink(r.id);
    const now = this.deps.clock.now();
    return {
      request: view,
      decisionMaker: { name: scope.decider.name, role: scope.decider.role },
      professionals,
      disagreement: professionalsDisagree(professionals.flatMap((p) => (p.view ? [{ view: p.view.value }] : []))),
      childrenWithoutPr,
      requesterEmail,
      terms: UNDERTAKING_TERMS,
      link: latest
        ? {
            sentAtText: englandDateTime(latest.createdAt),
            expiresAtText: englandDateTime(latest.expiresAt),
            state: latest.confirmedAt
              ? 'confirmed'
              : latest.revokedAt
                ? 'revoked'
                : latest.expiresAt.getTime() <= now.getTime()
                  ? 'expired'
                  : 'active',
          }
        : null,
      letter: isDecided(r.status) ? await this.letter(repos, r, scope.meeting) : null,
      can: {
        decide:
          r.status === 'awaiting-decision' || r.status === 'awaiting-undertaking'
            ? this.canDecide(actor, scope)
            : false,
        edit: editFacts === null && !isDecided(r.status),
        confirm: editFacts === null && isDecided(r.status) && r.confirmedAt === null,
        sendLink: editFacts === null && r.status === 'awaiting-undertaking' && requesterEmail,
      },
    };
  }

  /** P-3: the letter confirming the decision, in the wording administrators set for it (apart from the email's). */
  private async letter(repos: Repositories, r: PermissionRequestRecord, meeting: MeetingView) {
    const def = templateDefinition(RECORDING_PERMISSION_DECISION_TEMPLATE)!;
    const stored = await repos.messageTemplates.get(def.key);
    const wording = stored ?? { subject: def.defaultSubject, body: def.defaultBody };
    const values = { ...this.decisionValues(r, meeting), council_name: this.deps.councilName };
    // The subject is the email's; the letter's wording is edited apart from the email's (the letters' wording).
    const rendered = renderMessage(def, wording, values);
    const letterBody = recordingPermissionLetterText(
      await repos.messageTemplates.get(RECORDING_PERMISSION_LETTER),
      values,
    );
    // The letter is addressed as any other: the requester's name and address on the record, and the date.
    const address =
      r.requesterPersonId !== null
        ? ((await repos.people.findPerson(r.requesterPersonId))?.address ?? null)
        : r.requesterChildId !== null
          ? ((await repos.people.findChild(r.requesterChildId))?.address ?? null)
          : null;
    return {
      subject: rendered.subject,
      body: letterBody,
      recipientLines: [
        r.requesterName,
        ...(address ?? '')
          .split(/\r?\n|,\s*/)
          .map((l) => l.trim())
          .filter(Boolean),
      ],
      dateLine: formatLongDate(londonDateOf(r.confirmedAt ?? this.deps.clock.now())),
    };
  }

  private decisionValues(r: PermissionRequestRecord, meeting: MeetingView): Record<string, string> {
    const limits = UNDERTAKING_TERMS.map((t) => `- ${t}`).join('\n');
    if (r.status === 'granted')
      return {
        requester_name: r.requesterName,
        meeting: this.meetingWords(meeting),
        decision: 'You may record the meeting.',
        reasons: r.reasons ?? '',
        next_steps: `On the day, before the meeting starts, you must ask everyone there whether they agree to it being recorded. If anyone does not agree, you will be told why, and the meeting will go ahead without the recording.\n\nYou agreed that:\n${limits}`,
      };
    if (r.status === 'refused')
      return {
        requester_name: r.requesterName,
        meeting: this.meetingWords(meeting),
        decision: 'We cannot agree to the meeting being recorded.',
        reasons: [r.reasons ?? '', ...r.grounds.map((g) => `- ${REFUSAL_GROUND_LABELS[g.ground]}`)].join('\n'),
        next_steps: `So that you still have what you need from the meeting, we can offer:\n${[
          ...r.alternatives.filter((a) => a !== 'other').map((a) => `- ${ALTERNATIVE_LABELS[a]}`),
          ...(r.alternativesNote ? [`- ${r.alternativesNote}`] : []),
        ].join('\n')}`,
      };
    return {
      requester_name: r.requesterName,
      meeting: this.meetingWords(meeting),
      decision: 'We cannot agree to the meeting being recorded.',
      reasons: r.notEligibleReason ?? '',
      next_steps: 'If you think we have got this wrong, please contact the social worker.',
    };
  }

  async attachUndertaking(
    actor: Actor,
    requestId: string,
    input: { content: Uint8Array | null; version: number },
    ctx: RequestContext,
  ): Promise<PermissionRequestView> {
    const problems: FieldProblem[] = [];
    const format = this.checkFile(problems, input.content);
    const state: { stored: string | null } = { stored: null };
    try {
      return await this.withRequest(
        actor,
        requestId,
        'edit',
        'recording-permission.undertaking.attach',
        ctx,
        async (scope, r) => {
          if (r.status !== 'awaiting-undertaking')
            throw new ConflictError('The undertaking is already signed, or the request is decided');
          if (!Number.isSafeInteger(input.version) || r.version !== input.version) throw new StaleRecordError();
          if (problems.length || !format || !input.content) throw new InvalidDetailsError(problems);
          const stored = await this.deps.blobs.put(input.content, { maxBytes: MAX_UNDERTAKING_BYTES });
          state.stored = stored.key;
          const now = this.deps.clock.now();
          const updated = await scope.repos.recordingPermission.update(r.id, r.version, {
            status: 'awaiting-decision',
            undertakingFile: { blobKey: stored.key, sha256: stored.sha256, size: stored.size, format },
            undertakingSigned: { at: now, via: 'upload' },
            at: now,
          });
          if (!updated) throw new StaleRecordError();
          await this.audit(
            scope.repos,
            ctx,
            'recording-permission.undertaking.attach',
            {
              type: 'recording-permission-request',
              id: r.id,
            },
            { format, size: stored.size },
          );
          return this.view(updated, scope.meeting);
        },
        { lock: true },
      );
    } catch (err) {
      if (state.stored) await this.deps.blobs.delete(state.stored).catch(() => undefined);
      throw err;
    }
  }

  async undertakingFile(actor: Actor, requestId: string, ctx: RequestContext) {
    const file = await this.withRequest(
      actor,
      requestId,
      'view',
      'recording-permission.undertaking.view',
      ctx,
      async (scope, r) => {
        if (!r.undertakingFile) throw new NotFoundError('The signed notice');
        await this.audit(scope.repos, ctx, 'recording-permission.undertaking.view', {
          type: 'recording-permission-request',
          id: r.id,
        });
        return r.undertakingFile;
      },
    );
    return {
      stream: await this.deps.blobs.get(file.blobKey),
      mediaType: UNDERTAKING_MEDIA_TYPES[file.format],
      size: file.size,
      format: file.format,
    };
  }

  // ---------------------------------------------------------------- P-6, the decision and its confirmation

  async recordView(
    actor: Actor,
    requestId: string,
    input: { inviteeId: string; view: string; reason: string },
    ctx: RequestContext,
  ): Promise<PermissionRequestDetail> {
    return this.withRequest(actor, requestId, 'edit', 'recording-permission.view.record', ctx, async (scope, r) => {
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
        at: this.deps.clock.now(),
      });
      await this.audit(
        scope.repos,
        ctx,
        'recording-permission.view.record',
        {
          type: 'recording-permission-request',
          id: r.id,
        },
        { inviteeId, view: input.view },
      );
      return this.detailOf(actor, scope, r);
    });
  }

  async decide(
    actor: Actor,
    requestId: string,
    input: DecisionRequest,
    ctx: RequestContext,
  ): Promise<PermissionRequestView> {
    const action = 'recording-permission.decide';
    const state: { denial: string | null } = { denial: null };
    try {
      return await this.withRequest(
        actor,
        requestId,
        'view',
        action,
        ctx,
        async (scope, r) => {
          if (!this.canDecide(actor, scope)) {
            state.denial = scope.meeting.kind === 'conference' ? 'not the conference chair' : 'not the social worker';
            throw new AccessDeniedError(
              scope.meeting.kind === 'conference'
                ? 'Only the conference’s chair can decide this request'
                : 'Only the child’s social worker or a team manager can decide this request',
            );
          }
          if (isDecided(r.status)) throw new ConflictError('This request is already decided');
          if (!Number.isSafeInteger(input.version) || r.version !== input.version) throw new StaleRecordError();
          const { problems, checked } = checkDecision(input, r.undertakingSignedAt !== null);
          if (problems.length) throw new InvalidDetailsError(problems);
          const now = this.deps.clock.now();
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
            `${r.requesterName} asked on ${englandDateTime(r.askedAt)} to record ${this.meetingWords(scope.meeting)}.`,
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
          await this.caseNotes(scope, parts.join(' '), ctx);
          await this.audit(
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
          return this.view(updated, scope.meeting);
        },
        { lock: true },
      );
    } catch (err) {
      if (state.denial !== null)
        await this.auditDenial(
          ctx,
          action,
          { type: 'recording-permission-request', id: requestId.toLowerCase() },
          state.denial,
        );
      throw err;
    }
  }

  async confirm(
    actor: Actor,
    requestId: string,
    input: { version: number },
    ctx: RequestContext,
  ): Promise<PermissionRequestView> {
    const messages: string[] = [];
    const view = await this.withRequest(
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
          const { messageId } = await this.deps.mail.queueWithin(scope.repos, {
            template: RECORDING_PERMISSION_DECISION_TEMPLATE,
            to: email,
            values: this.decisionValues(r, scope.meeting),
            about: { subjectType: 'recording-permission-request', subjectId: r.id, ctx },
          });
          messages.push(messageId);
        }
        const updated = await scope.repos.recordingPermission.update(r.id, r.version, {
          confirmed: { byUserId: actor.id, byEmail: email !== null },
          at: this.deps.clock.now(),
        });
        if (!updated) throw new StaleRecordError();
        await this.caseNotes(
          scope,
          `The decision on ${r.requesterName}’s request to record ${this.meetingWords(scope.meeting)} was confirmed to them by letter${email ? ' and email' : ''} on ${formatLongDate(londonDateOf(this.deps.clock.now()))}.`,
          ctx,
        );
        await this.audit(
          scope.repos,
          ctx,
          'recording-permission.confirm',
          {
            type: 'recording-permission-request',
            id: r.id,
          },
          { email: email !== null },
        );
        return this.view(updated, scope.meeting);
      },
      { lock: true },
    );
    await this.deps.mail.dispatch(...messages);
    return view;
  }

  /**
   * P-1: emails the requester (a parent with an email address on the record) a secure link to read and confirm the
   * undertaking not to publish or share the recording, with no account: the page sends a one-time code to the same
   * address. Only the SHA-256 of the link's token is kept; an earlier link still working is cancelled.
   */
  async sendUndertakingLink(actor: Actor, requestId: string, ctx: RequestContext): Promise<PermissionRequestDetail> {
    const messages: string[] = [];
    const detail = await this.withRequest(
      actor,
      requestId,
      'edit',
      'recording-permission.link.send',
      ctx,
      async (scope, r) => {
        if (r.status !== 'awaiting-undertaking')
          throw new ConflictError('The undertaking is already signed, or the request is decided');
        const person = r.requesterPersonId ? await scope.repos.people.findPerson(r.requesterPersonId) : null;
        if (!person?.email)
          throw new InvalidDetailsError([
            {
              field: 'link',
              message: 'A secure link can only be sent to a parent with an email address on the record',
            },
          ]);
        messages.push(await this.issueLink(scope.repos, r, scope.meeting, person.email, actor, ctx));
        return this.detailOf(actor, scope, r);
      },
      { lock: true },
    );
    await this.deps.mail.dispatch(...messages);
    return detail;
  }

  /** P-1: a new secure link for the requester (an earlier one still working is cancelled), emailed in `repos`' transaction. */
  private async issueLink(
    repos: Repositories,
    r: PermissionRequestRecord,
    meeting: MeetingView,
    email: string,
    actor: Actor,
    ctx: RequestContext,
  ): Promise<string> {
    const now = this.deps.clock.now();
    const earlier = await repos.recordingPermission.latestLink(r.id);
    const replaced = earlier !== null && !earlier.confirmedAt && !earlier.revokedAt;
    if (earlier && replaced) await repos.recordingPermission.updateLink(earlier.id, { revokedAt: now });
    const token = this.deps.secrets.newToken();
    const expiresAt = new Date(now.getTime() + UNDERTAKING_LINK_DAYS * 86_400_000);
    const linkId = await repos.recordingPermission.insertLink({
      requestId: r.id,
      tokenHash: this.deps.secrets.hash(token),
      createdAt: now,
      expiresAt,
      byUserId: actor.id,
    });
    const { messageId } = await this.deps.mail.queueWithin(repos, {
      template: RECORDING_PERMISSION_LINK_TEMPLATE,
      to: email,
      values: {
        requester_name: r.requesterName,
        meeting: this.meetingWords(meeting),
        form_link: `${this.deps.publicBaseUrl.replace(/\/$/, '')}${UNDERTAKING_LINK_PATH}${token}`,
        expires_at: englandTimeOnDate(expiresAt),
      },
      about: { subjectType: 'recording-permission-request', subjectId: r.id, ctx },
    });
    await this.audit(
      repos,
      ctx,
      'recording-permission.link.send',
      { type: 'recording-permission-request', id: r.id },
      { linkId, replaced },
    );
    return messageId;
  }

  /** The decision-makers' list: requests waiting (with the time left, T-11) and decisions not yet confirmed (P-3). */
  async waiting(actor: Actor, ctx: RequestContext): Promise<{ waiting: WaitingItem[]; unconfirmed: WaitingItem[] }> {
    return this.deps.uow.run(async (repos) => {
      const out = { waiting: [] as WaitingItem[], unconfirmed: [] as WaitingItem[] };
      for (const [list, records] of [
        [out.waiting, await repos.recordingPermission.listWaiting()],
        [out.unconfirmed, await repos.recordingPermission.listUnconfirmed()],
      ] as const) {
        for (const r of records) {
          const scope = await this.requestScope(repos, r).catch(() => null);
          if (!scope) continue;
          // Only requests about children the person may see are listed.
          if (await this.childrenDenial(repos, actor, scope.childIds, 'view')) continue;
          list.push({ request: this.view(r, scope.meeting), mine: this.canDecide(actor, scope) });
        }
      }
      out.waiting.sort((a, b) => a.request.meeting.startsAt.getTime() - b.request.meeting.startsAt.getTime());
      await repos.audit.record({
        action: 'recording-permission.waiting.view',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        details: { waiting: out.waiting.length, unconfirmed: out.unconfirmed.length },
      });
      return out;
    });
  }
}
