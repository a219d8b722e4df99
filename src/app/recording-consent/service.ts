/**
 * The family's recording on the day of a conference (004 §2.6–2.11, §3.3; 001; 002 §3.10).
 *
 * P-4: when the family has asked to record (a request made beforehand that is allowed or still waiting, or one made
 * during the meeting), everyone present is asked before any discussion; each answer is recorded, a refusal with the
 * reason or the further authorisation needed. Nothing here stops the meeting: recording goes ahead only for what
 * everyone agreed to, or not at all.
 * P-5: someone joining (an arrival on the register, or someone recorded as joining late) or a request made during
 * the meeting prompts the chair to stop and ask again; the prompt stays until that person's answer is recorded.
 * P-6: the meeting record shows every request, each answer and the outcome (`familyRecordingFacts`).
 * P-7: the limits the requester accepted; a copy of the family's recording handed over on request is stored with
 * the conference, encrypted like every recording and bound to its id, marked as the family's and never the
 * official record: it is not a recording of the conference, so copy requests never offer it.
 *
 * Every view, change, download and refusal is audited with ids and counts only.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Actor, type Role, hasAnyRole } from '../../domain/access/roles.ts';
import { englandDateTime } from '../../domain/calendar/england-time.ts';
import { type IsoDate, isIsoDate, londonDateOf } from '../../domain/calendar/iso-date.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import { ARRIVED_ON_THE_DAY } from '../../domain/conferences/invitees.ts';
import type { FamilyRecordingFacts } from '../../domain/documents/facts.ts';
import {
  CONSENT_ANSWER_LABELS,
  CONSENT_OCCASION_LABELS,
  type ConsentPrompt,
  FAMILY_COPY_MEDIA_TYPES,
  type FamilyCopyFormat,
  MAX_FAMILY_COPY_BYTES,
  type PresentOnRegister,
  RECORDING_LIMITS,
  ROUND_OUTCOME_LABELS,
  type RegisterRequester,
  type RequestOnTheDay,
  type RoundOutcome,
  checkConsentRound,
  checkFamilyCopy,
  checkMeetingRequest,
  consentPrompts,
  detectFamilyCopyFormat,
  mayAskToRecord,
  promptText,
  roundOutcome,
} from '../../domain/recording-consent/consent.ts';
import {
  REQUEST_STATUS_LABELS,
  type RequestStatus,
  VIEW_LABELS,
  professionalsDisagree,
} from '../../domain/recording-permission/requests.ts';
import { DomainError, InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import {
  type ConferenceAccess,
  type ConferenceRule,
  type ConferenceScope,
  auditConference,
  withConferenceRule,
} from '../conferences/conference-access.ts';
import type { MeetingConference, MeetingInvitee } from '../conferences/meeting-ports.ts';
import { isUuid } from '../conferences/service-deps.ts';
import type { PermissionRequestRecord } from '../recording-permission/ports.ts';
import type { RecordingCipher } from '../recordings/ports.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { ConsentRoundRecord, FamilyCopyRecord, MeetingRequestRecord } from './ports.ts';

/** Who asks everyone and records the answers: the chair, or business support keeping the register. */
const REGISTER_ROLES: readonly Role[] = ['chair', 'business_support'];
/** Who may open a stored copy of the family's recording (the conference's per-child check applies as well). */
const COPY_VIEW_ROLES: readonly Role[] = ['chair', 'business_support', 'team_manager', 'qa_manager', 'social_worker'];
/** Requests made beforehand that are put to everyone on the day: allowed, or still waiting for a decision. */
const ON_THE_DAY: readonly RequestStatus[] = ['granted', 'awaiting-decision', 'awaiting-undertaking'];

export interface RecordingConsentDeps {
  uow: UnitOfWork;
  clock: Clock;
  blobs: BlobStore;
  cipher: RecordingCipher;
}

export interface ConsentView {
  inviteeId: string;
  name: string;
  answer: { value: 'agrees' | 'refuses'; label: string };
  reason: string | null;
  furtherAuthorisation: string | null;
}

export interface RoundView {
  id: string;
  requestKey: string;
  occasion: { value: string; label: string };
  askedAt: string;
  recordedBy: string;
  consents: ConsentView[];
  outcome: { value: RoundOutcome; label: string };
}

export interface FamilyRequestView {
  /** `permission:<id>` (asked beforehand) or `meeting:<id>` (asked during the meeting). */
  key: string;
  requesterName: string;
  madeDuringMeeting: boolean;
  /** "Asked on 1 March 2026 at 10:00", "Asked during the meeting at 10:40". */
  askedText: string;
  purpose: string;
  /** The decision on a request made beforehand ("Recording allowed"); null for one made in the meeting. */
  status: { value: RequestStatus; label: string } | null;
  /** Put to everyone on the day (P-4): allowed, still waiting, or made during the meeting. */
  onTheDay: boolean;
  /** P-7: the requester accepted the limits (the signed undertaking, or in the meeting). */
  limitsAccepted: boolean;
  rounds: RoundView[];
  /** The latest round's outcome, or null before anyone was asked. */
  outcome: { value: RoundOutcome; label: string } | null;
}

export interface FamilyCopyView {
  id: string;
  requestKey: string;
  requesterName: string;
  handedOverOn: string;
  handedOverBy: string;
  format: FamilyCopyFormat;
  size: number;
  uploadedBy: string;
  uploadedAtText: string;
}

export interface FamilyRecordingOnTheDay {
  conference: { id: string; title: string; scheduledDate: string; status: string };
  requests: FamilyRequestView[];
  prompts: Array<ConsentPrompt & { text: string }>;
  /** Everyone present on the register now: each is asked. */
  present: Array<{ inviteeId: string; name: string; joined: boolean }>;
  /** Those present who may ask to record during the meeting (P-1). */
  requesters: Array<{ inviteeId: string; name: string }>;
  limits: readonly string[];
  copies: FamilyCopyView[];
  can: { record: boolean; storeCopy: boolean; openCopies: boolean };
  /** The register can still be kept (planned or in progress). */
  registerOpen: boolean;
}

export interface ConsentRoundRequest {
  request: string;
  occasion: string;
  askedAt: string;
  answers: Array<{ inviteeId: string; answer: string; reason: string; furtherAuthorisation: string }>;
}

export interface MeetingRequestInput {
  requesterInviteeId: string;
  askedAt: string;
  purpose: string;
  limitsAccepted: boolean;
}

export interface FamilyCopyUpload {
  request: string;
  handedOverOn: string;
  handedOverBy: string;
  content: Uint8Array | null;
}

export interface FamilyCopyFile {
  stream: Readable;
  mediaType: string;
  size: number;
  fileName: string;
}

/** The use cases the pages and the API call. */
export interface RecordingConsentUseCases {
  onTheDay(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<FamilyRecordingOnTheDay>;
  askConsent(actor: Actor, conferenceId: string, input: ConsentRoundRequest, ctx: RequestContext): Promise<RoundView>;
  recordMeetingRequest(
    actor: Actor,
    conferenceId: string,
    input: MeetingRequestInput,
    ctx: RequestContext,
  ): Promise<FamilyRequestView>;
  storeCopy(actor: Actor, conferenceId: string, input: FamilyCopyUpload, ctx: RequestContext): Promise<FamilyCopyView>;
  openCopy(actor: Actor, conferenceId: string, copyId: string, ctx: RequestContext): Promise<FamilyCopyFile>;
}

const binding = (copyId: string) => `family-recording:${copyId}`;
const REGISTER_OPEN = ['planned', 'in-progress'];

/** Everything known about the family's recording at one conference, read in the caller's transaction. */
interface Loaded {
  invitees: MeetingInvitee[];
  permission: PermissionRequestRecord[];
  meetingRequests: MeetingRequestRecord[];
  rounds: ConsentRoundRecord[];
  copies: FamilyCopyRecord[];
  present: PresentOnRegister[];
}

async function load(repos: Repositories, conferenceId: string, known?: MeetingInvitee[]): Promise<Loaded> {
  const invitees = known ?? (await repos.meeting.listInvitees(conferenceId));
  const attendance = await repos.meeting.listAttendance(conferenceId);
  const present: PresentOnRegister[] = [];
  for (const i of invitees) {
    const mine = attendance.filter((a) => a.inviteeId === i.id);
    if (!mine.some((a) => a.status === 'attended' && a.exclusionExtent !== 'full')) continue;
    present.push({
      inviteeId: i.id,
      name: i.name,
      joined: i.invitationMethod === ARRIVED_ON_THE_DAY || mine.some((a) => a.joinedAtMinutes !== null),
    });
  }
  return {
    invitees,
    permission: await repos.recordingPermission.listForConference(conferenceId),
    meetingRequests: await repos.recordingConsent.listMeetingRequests(conferenceId),
    rounds: await repos.recordingConsent.listRounds(conferenceId),
    copies: await repos.recordingConsent.listCopies(conferenceId),
    present,
  };
}

const keyOfRound = (r: { permissionRequestId: string | null; meetingRequestId: string | null }) =>
  r.permissionRequestId ? `permission:${r.permissionRequestId}` : `meeting:${r.meetingRequestId}`;

function nameOf(invitees: readonly MeetingInvitee[], inviteeId: string): string {
  return invitees.find((i) => i.id === inviteeId)?.name ?? 'Someone on the register';
}

/** The requests, made beforehand or in the meeting, in the order they were made, each with its rounds. */
function requestViews(l: Loaded): FamilyRequestView[] {
  const roundsOf = (key: string) =>
    l.rounds
      .filter((r) => keyOfRound(r) === key)
      .map((r): RoundView => ({
        id: r.id,
        requestKey: key,
        occasion: { value: r.occasion, label: CONSENT_OCCASION_LABELS[r.occasion] },
        askedAt: r.askedAt,
        recordedBy: r.recordedByName ?? 'Unknown',
        consents: r.consents.map((c) => ({
          inviteeId: c.inviteeId,
          name: nameOf(l.invitees, c.inviteeId),
          answer: { value: c.answer, label: CONSENT_ANSWER_LABELS[c.answer] },
          reason: c.reason,
          furtherAuthorisation: c.furtherAuthorisation,
        })),
        outcome: { value: roundOutcome(r.consents), label: ROUND_OUTCOME_LABELS[roundOutcome(r.consents)] },
      }));
  const withOutcome = (v: Omit<FamilyRequestView, 'outcome'>): FamilyRequestView => ({
    ...v,
    outcome: v.rounds.at(-1)?.outcome ?? null,
  });
  const beforehand = l.permission
    .filter((p) => p.requesterKind !== 'someone-else')
    .map((p) => {
      const key = `permission:${p.id}`;
      return withOutcome({
        key,
        requesterName: p.requesterName,
        madeDuringMeeting: false,
        askedText: `Asked on ${englandDateTime(p.askedAt)}`,
        purpose: p.purpose,
        status: { value: p.status, label: REQUEST_STATUS_LABELS[p.status] },
        onTheDay: ON_THE_DAY.includes(p.status),
        limitsAccepted: p.undertakingSignedAt !== null,
        rounds: roundsOf(key),
      });
    });
  const during = l.meetingRequests.map((m) => {
    const key = `meeting:${m.id}`;
    return withOutcome({
      key,
      requesterName: nameOf(l.invitees, m.requesterInviteeId),
      madeDuringMeeting: true,
      askedText: `Asked during the meeting at ${m.askedAt}`,
      purpose: m.purpose,
      status: null,
      onTheDay: true,
      limitsAccepted: m.limitsAccepted,
      rounds: roundsOf(key),
    });
  });
  return [...beforehand, ...during];
}

function copyView(c: FamilyCopyRecord, requests: readonly FamilyRequestView[]): FamilyCopyView {
  const key = keyOfRound(c);
  return {
    id: c.id,
    requestKey: key,
    requesterName: requests.find((r) => r.key === key)?.requesterName ?? 'The family',
    handedOverOn: c.handedOverOn,
    handedOverBy: c.handedOverBy,
    format: c.format,
    size: c.size,
    uploadedBy: c.uploadedByName ?? 'Unknown',
    uploadedAtText: englandDateTime(c.createdAt),
  };
}

/** P-4, P-5: what the chair must do before going on; for the register, in the caller's transaction. */
export async function consentPromptsFor(
  repos: Repositories,
  conferenceId: string,
): Promise<Array<ConsentPrompt & { text: string }>> {
  const l = await load(repos, conferenceId);
  return promptsOf(l, requestViews(l));
}

function promptsOf(l: Loaded, requests: readonly FamilyRequestView[]): Array<ConsentPrompt & { text: string }> {
  const onTheDay: RequestOnTheDay[] = requests
    .filter((r) => r.onTheDay)
    .map((r) => ({ key: r.key, requesterName: r.requesterName, madeDuringMeeting: r.madeDuringMeeting }));
  const rounds = l.rounds.map((r) => ({
    requestKey: keyOfRound(r),
    askedAt: r.askedAt,
    createdAt: r.createdAt,
    inviteeIds: r.consents.map((c) => c.inviteeId),
  }));
  return consentPrompts(onTheDay, rounds, l.present).map((p) => ({ ...p, text: promptText(p) }));
}

/**
 * P-6, P-7: what the conference record says about recording by the family, in the caller's transaction (no audit:
 * the written record's own use case audits); null when nobody asked.
 */
export async function familyRecordingFacts(
  repos: Repositories,
  conferenceId: string,
): Promise<FamilyRecordingFacts | null> {
  const l = await load(repos, conferenceId);
  const requests = requestViews(l);
  if (requests.length === 0) return null;
  const out: FamilyRecordingFacts['requests'][number][] = [];
  for (const r of requests) {
    const permission = l.permission.find((p) => `permission:${p.id}` === r.key) ?? null;
    let disagreement: FamilyRecordingFacts['requests'][number]['disagreement'] = [];
    if (permission) {
      const views = await repos.recordingPermission.listViews(permission.id);
      if (professionalsDisagree(views))
        disagreement = views.map((v) => ({
          name: nameOf(l.invitees, v.inviteeId),
          view: VIEW_LABELS[v.view],
          reason: v.reason,
        }));
    }
    out.push({
      requesterName: r.requesterName,
      asked: r.askedText,
      purpose: r.purpose,
      decision: permission
        ? [r.status!.label, permission.reasons?.trim() ? permission.reasons.trim() : null].filter(Boolean).join(': ')
        : 'Asked during the meeting, and put to everyone present',
      disagreement,
      limitsAccepted: r.limitsAccepted,
      rounds: r.rounds.map((x) => ({
        askedAt: x.askedAt,
        occasion: x.occasion.label,
        consents: x.consents.map((c) => ({
          name: c.name,
          answer: c.answer.label,
          reason: c.reason,
          furtherAuthorisation: c.furtherAuthorisation,
        })),
        outcome: x.outcome.label,
      })),
    });
  }
  return {
    requests: out,
    limits: RECORDING_LIMITS,
    copies: l.copies.map((c) => {
      const v = copyView(c, requests);
      return { requesterName: v.requesterName, handedOverOn: c.handedOverOn as IsoDate };
    }),
  };
}

/**
 * P-4 to P-7: the family's requests to record, everyone's answers, the copies handed over and what the chair must do,
 * read with the caller's repositories once the actor has passed the conference's view check; with what its audited
 * view records (the number of requests, rounds and copies). `invitees` saves reading the register's people again.
 */
export async function familyRecordingWithin(
  repos: Repositories,
  actor: Actor,
  conference: MeetingConference,
  invitees?: MeetingInvitee[],
): Promise<{ view: FamilyRecordingOnTheDay; audited: { requests: number; rounds: number; copies: number } }> {
  const l = await load(repos, conference.id, invitees);
  const requests = requestViews(l);
  const copies = l.copies.map((c) => copyView(c, requests));
  const byId = new Map(l.invitees.map((i) => [i.id, i]));
  const view: FamilyRecordingOnTheDay = {
    conference: {
      id: conference.id,
      title: CONFERENCE_TYPE_LABELS[conference.type],
      scheduledDate: conference.scheduledDate,
      status: conference.status,
    },
    requests,
    prompts: REGISTER_OPEN.includes(conference.status) ? promptsOf(l, requests) : [],
    present: l.present.map((p) => ({ inviteeId: p.inviteeId, name: p.name, joined: p.joined })),
    requesters: l.present
      .map((p) => byId.get(p.inviteeId)!)
      .filter((i) => mayAskToRecord(requesterOf(i)))
      .map((i) => ({ inviteeId: i.id, name: i.name })),
    limits: RECORDING_LIMITS,
    copies,
    can: {
      record: isChairOrSupport(actor, conference),
      storeCopy: isChairOrSupport(actor, conference),
      openCopies: hasAnyRole(actor, COPY_VIEW_ROLES),
    },
    registerOpen: REGISTER_OPEN.includes(conference.status),
  };
  return { view, audited: { requests: requests.length, rounds: l.rounds.length, copies: copies.length } };
}

function isChairOrSupport(actor: Actor, conference: MeetingConference): boolean {
  return conference.chairUserId === actor.id || hasAnyRole(actor, REGISTER_ROLES);
}

export class RecordingConsentService implements RecordingConsentUseCases {
  private readonly deps: RecordingConsentDeps;

  constructor(deps: RecordingConsentDeps) {
    this.deps = deps;
  }

  private isChairOrSupport(actor: Actor, conference: MeetingConference): boolean {
    return isChairOrSupport(actor, conference);
  }

  /** Runs `fn` once the caller passes the conference's per-child check and `rule`; a change locks the conference. */
  private within<T>(
    actor: Actor,
    conferenceId: string,
    ctx: RequestContext,
    how: { access: ConferenceAccess; action: string; rule?: (c: MeetingConference) => ConferenceRule },
    fn: (scope: ConferenceScope) => Promise<T>,
  ): Promise<T> {
    const opts = { ...how, lock: how.access === 'edit' };
    return withConferenceRule(this.deps.uow, actor, conferenceId.toLowerCase(), ctx, opts, fn);
  }

  /** A change by whoever keeps the register: the chair or business support. */
  private asRegister<T>(
    actor: Actor,
    conferenceId: string,
    ctx: RequestContext,
    action: string,
    fn: (scope: ConferenceScope) => Promise<T>,
  ): Promise<T> {
    return this.within(actor, conferenceId, ctx, { access: 'edit', action, rule: this.registerRole(actor) }, fn);
  }

  private registerRole =
    (actor: Actor) =>
    (c: MeetingConference): ConferenceRule => ({
      ok: this.isChairOrSupport(actor, c),
      reason: 'not the chair or business support',
      message: 'Only the chair or business support can record consent to the family’s recording',
    });

  private assertRegisterOpen(c: MeetingConference) {
    if (!REGISTER_OPEN.includes(c.status))
      throw new DomainError(
        'REGISTER_CLOSED',
        'The conference is no longer in progress: consent to the family’s recording is asked while it is held',
      );
  }

  async onTheDay(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<FamilyRecordingOnTheDay> {
    const action = 'recording-consent.view';
    return this.within(actor, conferenceId, ctx, { access: 'view', action }, async ({ repos, conference }) => {
      const { view, audited } = await familyRecordingWithin(repos, actor, conference);
      await auditConference(repos, ctx, action, conference.id, audited);
      return view;
    });
  }

  /** P-4, P-5: one round of asking everyone present, for one request; every answer is required. */
  async askConsent(
    actor: Actor,
    conferenceId: string,
    input: ConsentRoundRequest,
    ctx: RequestContext,
  ): Promise<RoundView> {
    const action = 'recording-consent.ask';
    return this.asRegister(actor, conferenceId, ctx, action, async ({ repos, conference }) => {
      this.assertRegisterOpen(conference);
      const l = await load(repos, conference.id);
      const requests = requestViews(l).filter((r) => r.onTheDay);
      const request = requests.find((r) => r.key === input.request.toLowerCase());
      const answers = input.answers.map((a) => ({ ...a, inviteeId: a.inviteeId.toLowerCase() }));
      const { problems, checked } = checkConsentRound({ ...input, answers }, l.present);
      if (!request)
        problems.unshift({ field: 'request', message: 'Select whose request to record is being asked about' });
      if (problems.length > 0) throw new InvalidDetailsError(problems);
      const [kind, id] = request!.key.split(':') as ['permission' | 'meeting', string];
      const saved = await repos.recordingConsent.insertRound({
        conferenceId: conference.id,
        permissionRequestId: kind === 'permission' ? id : null,
        meetingRequestId: kind === 'meeting' ? id : null,
        occasion: checked.occasion,
        askedAt: checked.askedAt,
        recordedByUserId: actor.id,
        createdAt: this.deps.clock.now(),
        consents: checked.consents,
      });
      const outcome = roundOutcome(saved.consents);
      await auditConference(repos, ctx, action, conference.id, {
        roundId: saved.id,
        occasion: saved.occasion,
        asked: saved.consents.length,
        refused: saved.consents.filter((c) => c.answer === 'refuses').length,
        outcome,
      });
      const after = await load(repos, conference.id);
      return requestViews(after)
        .find((r) => r.key === request!.key)!
        .rounds.find((r) => r.id === saved.id)!;
    });
  }

  /** P-1, P-5, P-7: a request made during the meeting; the chair is then prompted to stop and ask everyone. */
  async recordMeetingRequest(
    actor: Actor,
    conferenceId: string,
    input: MeetingRequestInput,
    ctx: RequestContext,
  ): Promise<FamilyRequestView> {
    const action = 'recording-consent.meeting-request';
    return this.asRegister(actor, conferenceId, ctx, action, async ({ repos, conference }) => {
      this.assertRegisterOpen(conference);
      const l = await load(repos, conference.id);
      const present = l.present.map((p) => requesterOf(l.invitees.find((i) => i.id === p.inviteeId)!));
      const checked = checkMeetingRequest(
        { ...input, requesterInviteeId: input.requesterInviteeId.toLowerCase() },
        present,
      );
      if (checked.problems.length > 0) throw new InvalidDetailsError(checked.problems);
      const saved = await repos.recordingConsent.insertMeetingRequest({
        conferenceId: conference.id,
        requesterInviteeId: input.requesterInviteeId.toLowerCase(),
        askedAt: checked.askedAt,
        purpose: checked.purpose,
        limitsAccepted: true,
        recordedByUserId: actor.id,
        createdAt: this.deps.clock.now(),
      });
      await auditConference(repos, ctx, action, conference.id, {
        meetingRequestId: saved.id,
        requesterInviteeId: saved.requesterInviteeId,
      });
      return requestViews(await load(repos, conference.id)).find((r) => r.key === `meeting:${saved.id}`)!;
    });
  }

  /**
   * P-7: a copy of the family's recording handed over on request, stored with the conference: checked by content,
   * hashed, encrypted and bound to its id, read back and compared before it is kept. It is not the official record.
   */
  async storeCopy(
    actor: Actor,
    conferenceId: string,
    input: FamilyCopyUpload,
    ctx: RequestContext,
  ): Promise<FamilyCopyView> {
    const action = 'family-recording.store';
    // The checks that need no database come first, so a refused file is never stored.
    const problems: Array<{ field: string; message: string }> = [];
    const content = input.content;
    const format = content && content.length > 0 ? detectFamilyCopyFormat(content) : null;
    if (!content || content.length === 0) problems.push({ field: 'file', message: 'Select the family’s recording' });
    else if (content.length > MAX_FAMILY_COPY_BYTES)
      problems.push({ field: 'file', message: 'The selected file must be smaller than 200 MB' });
    else if (!format)
      problems.push({
        field: 'file',
        message: 'The selected file must be an audio recording: MP3, M4A, WAV, OGG, WebM or AMR',
      });
    const today = londonDateOf(this.deps.clock.now());
    // Access and the request are checked before the file is stored; the row is written after.
    const checked = await this.asRegister(actor, conferenceId, ctx, action, async ({ repos, conference }) => {
      const l = await load(repos, conference.id);
      const keys = requestViews(l).map((r) => r.key);
      const c = checkFamilyCopy({ ...input, requestKey: input.request.toLowerCase() }, keys, today, (v) =>
        isIsoDate(v),
      );
      const all = [...c.problems, ...problems].sort(
        (a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field),
      );
      if (all.length > 0) throw new InvalidDetailsError(all);
      return { conferenceId: conference.id, handedOverBy: c.handedOverBy };
    });
    const bytes = content!;
    const id = randomUUID();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const stored = await this.deps.blobs.put(
      this.deps.cipher.encrypt(Readable.from([Buffer.from(bytes)]), binding(id)),
    );
    try {
      const readBack = await this.plainHash(stored.key, id);
      if (readBack !== sha256) throw new Error('The stored copy did not read back as uploaded');
      return await this.asRegister(actor, checked.conferenceId, ctx, action, async ({ repos, conference }) => {
        const [kind, requestId] = input.request.toLowerCase().split(':') as ['permission' | 'meeting', string];
        const saved = await repos.recordingConsent.insertCopy({
          id,
          conferenceId: conference.id,
          permissionRequestId: kind === 'permission' ? requestId : null,
          meetingRequestId: kind === 'meeting' ? requestId : null,
          handedOverOn: input.handedOverOn,
          handedOverBy: checked.handedOverBy,
          format: format!,
          blobKey: stored.key,
          sha256,
          size: bytes.length,
          encryptedSha256: stored.sha256,
          encryptedSize: stored.size,
          uploadedByUserId: actor.id,
          createdAt: this.deps.clock.now(),
        });
        await auditConference(repos, ctx, action, conference.id, {
          familyRecordingId: saved.id,
          size: saved.size,
          format: saved.format,
        });
        return copyView(saved, requestViews(await load(repos, conference.id)));
      });
    } catch (err) {
      await this.deps.blobs.delete(stored.key).catch(() => undefined);
      throw err;
    }
  }

  private async plainHash(key: string, id: string): Promise<string> {
    const hash = createHash('sha256');
    await pipeline(this.deps.cipher.decrypt(await this.deps.blobs.get(key), binding(id)), async (source) => {
      for await (const chunk of source as AsyncIterable<Buffer>) hash.update(chunk);
    });
    return hash.digest('hex');
  }

  /** P-7: the family's copy, decrypted for someone who may see the conference; every download is audited. */
  async openCopy(actor: Actor, conferenceId: string, copyId: string, ctx: RequestContext): Promise<FamilyCopyFile> {
    const action = 'family-recording.download';
    const found = await this.within(
      actor,
      conferenceId,
      ctx,
      {
        access: 'view',
        action,
        rule: () => ({
          ok: hasAnyRole(actor, COPY_VIEW_ROLES),
          reason: 'role may not open the family’s recording',
          message: 'You cannot open the family’s recording',
        }),
      },
      async ({ repos, conference }) => {
        const copy = isUuid(copyId) ? await repos.recordingConsent.findCopy(copyId.toLowerCase()) : null;
        if (!copy || copy.conferenceId !== conference.id) throw new NotFoundError('The family’s recording');
        await auditConference(repos, ctx, action, conference.id, { familyRecordingId: copy.id });
        return copy;
      },
    );
    const stream = this.deps.cipher.decrypt(await this.deps.blobs.get(found.blobKey), binding(found.id));
    return {
      stream,
      mediaType: FAMILY_COPY_MEDIA_TYPES[found.format],
      size: found.size,
      fileName: `family-recording-not-the-official-record-${found.handedOverOn}.${found.format}`,
    };
  }
}

const FIELD_ORDER = ['request', 'handedOverOn', 'handedOverBy', 'file'];

function requesterOf(i: MeetingInvitee): RegisterRequester {
  return {
    inviteeId: i.id,
    name: i.name,
    kind: i.kind,
    parentalResponsibility: i.relationships.some((r) => r.parentalResponsibility),
  };
}
