import type { Readable } from 'node:stream';
import {
  type AccessDecision,
  RECORD_EDITOR_ROLES,
  canEditChild,
  canViewChild,
} from '../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import {
  type Deadline,
  type IsoDate,
  type TimescaleSettings,
  compareIsoDates,
  computeDeadline,
  formatLongDate,
  isIsoDate,
  londonDateOf,
} from '../../domain/calendar/index.ts';
import {
  type ConveningAssessment,
  type ConveningFacts,
  assessConvening,
  conveningDeadline,
} from '../../domain/conferences/convening.ts';
import { CONFERENCE_TYPE_LABELS, CONFERENCE_TYPES, type ConferenceType } from '../../domain/conferences/decisions.ts';
import { presumedToAttend } from '../../domain/conferences/attendance.ts';
import {
  type CscStaffRole,
  type InviteeKind,
  isSupporterKind,
  mayUseInterpreter,
} from '../../domain/conferences/invitees.ts';
import {
  type InvitationContent,
  type InvitationMethod,
  type ReportSharing,
  type VenueKind,
  buildInvitation,
  clockTimeAfter,
  familyInviteeKind,
  inviteeReceivesMinutes,
  isInvitationMethod,
  isVenueKind,
  reportSharingStatus,
} from '../../domain/conferences/invitations.ts';
import { type ConferenceStatus, STATUS_LABELS } from '../../domain/conferences/lifecycle.ts';
import {
  type ReconveneGround,
  checkReconvening,
  describeLink,
  describeReconveneGround,
  isLiveLink,
  outstandingReconvene,
  reconveneGround,
} from '../../domain/conferences/reconvening.ts';
import { type RelationshipKind, ageOn, isNetworkSupporter, validateProfessional } from '../../domain/people/index.ts';
import {
  AccessDeniedError,
  ConflictError,
  DomainError,
  NotFoundError,
  InvalidDetailsError,
} from '../../domain/shared/errors.ts';
import { type BlobStore, BlobTooLargeError } from '../blobs/blob-store.ts';
import {
  DOCUMENT_MEDIA_TYPES,
  type DocumentFormat,
  detectDocumentFormat,
  formatOfMediaType,
} from '../blobs/document-format.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { AgencyRecord, ChildRecord } from '../people/ports.ts';
import { type StaffRef, recordCaseNote } from '../people/people-service.ts';
import type { Repositories } from '../unit-of-work.ts';
import { FieldChecks } from '../checks.ts';
import {
  type CheckedGrounds,
  type ConveningGroundsView,
  type GroundsInput,
  NO_GROUNDS,
  checkPreBirth,
  checkReview,
  readGrounds,
  saveGrounds,
} from './convening-grounds.ts';
import { auditConference, withConferenceAccess } from './conference-access.ts';
import { type ParentReportView, reportView } from '../participation/views.ts';
import { type ChairIndependence, checkChairIndependence, recordChairIndependence } from './chairing/independence.ts';
import { type ConferenceServiceDeps, isUuid } from './service-deps.ts';
import type { ConferenceRequestAnswers } from '../conference-requests/answer.ts';
import {
  AlreadyInvitedError,
  type ConferenceListing,
  type ConferencePartRecord,
  type ConferenceRecord,
  type InvitationIssueRecord,
  type InviteeRecord,
  type ReconveneCandidate,
  type ReportRecord,
} from './convening-ports.ts';

/** Convening also keeps agencies' reports, and names the council in invitations. */
export interface ConveningServiceDeps extends ConferenceServiceDeps {
  /** Where agencies' reports are kept. */
  blobs: BlobStore;
  /** Named in invitations; defaults to "Children’s Services". */
  councilName?: string;
  /** 002 §1.1: links a conference convened from a professional's agreed request to it, and tells them the date. */
  requestAnswers?: ConferenceRequestAnswers;
}

/** The most children one conference may cover: a sibling group, not a caseload. */
export const MAX_CHILDREN = 12;
export const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 8 * 60;
/** Reports to conference: PDF, Word or ODT, checked by content, at most 20 MB. */
export const MAX_REPORT_BYTES = 20 * 1024 * 1024;
/** Invitations and reports may be changed until the conference has ended one way or another. */
const OPEN_STATUSES: readonly ConferenceStatus[] = ['planned', 'in-progress'];
const DEFAULT_PART_LABEL = 'Whole conference';

// ------------------------------------------------------------------ inputs and results

/**
 * What convening a conference needs. Anything may be missing or wrong: `prepareConvening` says what. The grounds
 * (GroundsInput): a pre-birth conference's grounds and premature birth flag (002 §1.3), a review's reason for being
 * brought forward (002 §2.2).
 */
export interface ConveneInput extends GroundsInput {
  childIds: readonly string[];
  type?: unknown;
  strategyDiscussionDate?: string | null | undefined;
  expectedDeliveryDate?: string | null | undefined;
  previousConferenceId?: string | null | undefined;
  noticeOfMoveDate?: string | null | undefined;
  scheduledDate?: string | null | undefined;
  startTime?: string | null | undefined;
  durationMinutes?: number | null | undefined;
  venueKind?: unknown;
  venueDetails?: string | null | undefined;
  onlineLink?: string | null | undefined;
  chairUserId?: string | null | undefined;
  /** 002 §4.1: why a chair who is a child's social worker or their line manager should chair (chairing/). */
  chairIndependenceReason?: string | null | undefined;
  minuteTakerUserId?: string | null | undefined;
  /** T-1: the senior manager who agreed a date outside the timescale, and why. */
  lateAgreedBy?: string | null | undefined;
  lateReason?: string | null | undefined;
  /** Q-1 / D-1: the earlier conference this one reconvenes (see `reconveneChoices`). */
  reconvenesConferenceId?: string | null | undefined;
  /** 002 §1.1: the professional's agreed request for a conference this one answers (one conference per request). */
  conferenceRequestId?: string | null | undefined;
}

/**
 * How far through the convening journey to check: the children; then the type and the date its
 * clock starts from; then the arrangements; then `complete`, which includes the T-1 agreement.
 */
export type ConveningStage = 'children' | 'type' | 'arrangements' | 'complete';
const STAGES: readonly ConveningStage[] = ['children', 'type', 'arrangements', 'complete'];

/** A child as a conference shows them. */
export interface ConferenceChild {
  id: string;
  givenNames: string;
  familyName: string;
  dateOfBirth: IsoDate | null;
  expectedDeliveryDate: IsoDate | null;
  address: string;
  localReference: string;
}

export interface PreviousConferenceChoice {
  id: string;
  type: ConferenceType;
  typeLabel: string;
  scheduledDate: IsoDate;
  childIds: string[];
}

/** A conference of the children waiting to be reconvened (Q-1 adjourned, or a D-1 review decided so). */
export interface ReconveneChoice extends PreviousConferenceChoice {
  ground: ReconveneGround;
  /** "Initial child protection conference on 2 March 2026" */
  label: string;
  /** Why, and by when: "Adjourned as not quorate (Q-1): the chair set the new date, 16 March 2026" */
  reason: string;
}

/** The checked answers, ready for a check-your-answers page or to save. */
export interface PreparedConvening {
  children: ConferenceChild[];
  type: ConferenceType | null;
  previousConference: PreviousConferenceChoice | null;
  /** The earlier conference this one reconvenes, when one was chosen. */
  reconvenes: ReconveneChoice | null;
  /** The statutory due date or window, once the type and its start date are known. */
  deadline: Deadline | null;
  /** Whether the chosen date is within the timescale, once the date is known. */
  assessment: ConveningAssessment | null;
  chair: StaffRef | null;
  minuteTaker: StaffRef | null;
  /** The answers, tidied (trimmed, blanks as null, late fields dropped when in time). */
  input: NormalisedConvening;
  /** 002 §2.2: a review more than `reviewBroughtForwardDays` before its due date, which needs the reason. */
  broughtForward: boolean;
}

export interface NormalisedConvening extends CheckedGrounds {
  childIds: string[];
  type: ConferenceType | null;
  strategyDiscussionDate: IsoDate | null;
  expectedDeliveryDate: IsoDate | null;
  previousConferenceId: string | null;
  noticeOfMoveDate: IsoDate | null;
  scheduledDate: IsoDate | null;
  startTime: string | null;
  durationMinutes: number | null;
  venueKind: VenueKind | null;
  venueDetails: string | null;
  onlineLink: string | null;
  chairUserId: string | null;
  minuteTakerUserId: string | null;
  lateAgreedBy: string | null;
  lateReason: string | null;
  reconvenesConferenceId: string | null;
  /** 002 §4.1: the concerns about the chosen chair's independence, and the reason given to go ahead. */
  chairIndependence?: ChairIndependence;
}

export interface ChildInConference extends ConferenceChild {
  /** Whole years on the conference date; null for an unborn child. */
  ageOnConferenceDate: number | null;
  /** 002 §3.2: 12 or over on the conference date. */
  presumedToAttend: boolean;
}

export interface FamilyLinkToChild {
  childId: string;
  childGivenNames: string;
  relationship: RelationshipKind;
  parentalResponsibility: boolean;
}

export interface InviteeView extends InviteeRecord {
  /** W-4: false for friends, supporters and advocates. */
  receivesMinutes: boolean;
  /** For family members and supporters: their relationship and PR for each child in the conference. */
  links: FamilyLinkToChild[];
  /** The invitation as last issued (kept exactly as sent), or null while none has been. */
  latestIssue: InvitationIssueRecord | null;
}

/** An invitation's text now, and every copy issued, exactly as sent. */
export interface InvitationCopies {
  overview: ConferenceOverview;
  invitee: InviteeView;
  /** Rendered from the record as it is now (the draft to send, or to compare). */
  content: InvitationContent;
  /** Oldest first. */
  issues: InvitationIssueRecord[];
  /** The conference or the people in it changed since the latest issue: the current text differs from what was sent. */
  changedSinceIssued: boolean;
}

export interface ReportView extends ReportRecord {
  isPolice: boolean;
  format: DocumentFormat | null;
  /** T-5 (002 §3.4). */
  sharing: ReportSharing;
}

/** Everything about a conference that convening knows: the read other features build on. */
export interface ConferenceOverview {
  conference: ConferenceRecord;
  typeLabel: string;
  statusLabel: string;
  /** The clock time it is expected to end, or null past midnight. */
  endTime: string | null;
  children: ChildInConference[];
  parts: ConferencePartRecord[];
  invitees: InviteeView[];
  reports: ReportView[];
  /** The statutory timescale, worked out again from the date it runs from (for its explanation). */
  deadline: Deadline;
  /** T-5: the last day to share reports with the family. */
  reportsDeadline: Deadline;
  /** T-2: the midwife is invited to a pre-birth conference; null for other types. */
  midwifeInvited: boolean | null;
  /** Whether invitations and reports can still change (planned or in progress). */
  open: boolean;
  /** Q-1 / D-1: why the conference is to be reconvened, and whether that is still outstanding (no live conference linked). */
  reconvene: { ground: ReconveneGround; reason: string; outstanding: boolean } | null;
  /** 002 §1.3, §2.2: a pre-birth conference's grounds and premature birth flag; a review's reason for being early. */
  grounds: ConveningGroundsView;
  /** 002 §3.2: parents' own reports, shown beside the agencies' (kept and opened by participation/). */
  parentReports: ParentReportView[];
  /** 002 §3.2: friends and supporters the chair has barred from the conference. */
  barredInviteeIds: string[];
}

export interface ConferenceListingView extends ConferenceListing {
  typeLabel: string;
  statusLabel: string;
  /** False when the conference includes a child whose record the viewer may not open. */
  canOpen: boolean;
  /** 002 §2.2: why a review was brought forward; null otherwise. */
  broughtForward: string | null;
}

export interface InvitationCandidates {
  family: Array<{
    personId: string;
    name: string;
    kind: 'family-member' | 'friend' | 'supporter' | 'advocate';
    links: FamilyLinkToChild[];
    language: string | null;
    interpreterNeeded: boolean;
    invited: boolean;
  }>;
  children: Array<{ childId: string; name: string; age: number; presumedToAttend: boolean; invited: boolean }>;
  professionals: Array<{
    professionalId: string;
    name: string;
    roleTitle: string;
    agencyId: string;
    agencyName: string;
    agencyKind: AgencyRecord['kind'];
    childGivenNames: string[];
    invited: boolean;
  }>;
  agencies: AgencyRecord[];
  /**
   * Children's social care, invited from staff accounts: each child's allocated social worker, and the
   * team managers to choose one from (the child's record names no team manager).
   */
  childrensSocialCare: {
    agency: { id: string; name: string } | null;
    socialWorkers: Array<{ userId: string; name: string; childGivenNames: string[]; invited: boolean }>;
    /** Given names of children with no allocated social worker whose account is active. */
    unallocated: string[];
    teamManagers: Array<{ userId: string; name: string; invited: boolean }>;
  };
}

/**
 * Whether a family member or child needs an interpreter, and in which language (required when one is
 * needed). Left out, a family member's own record says (its language and "interpreter needed").
 */
export interface InterpreterNeed {
  interpreterNeeded?: boolean | null | undefined;
  interpreterLanguage?: string | null | undefined;
}

/** The longest interpreter language accepted. */
export const MAX_LANGUAGE_LENGTH = 100;

/** Someone to invite. `sent` records an invitation already sent (how and on which date). */
export type InviteeInput =
  /** A family and network member; invited as a friend, supporter or advocate when that is all they are to the children. */
  (
    | ({ kind: 'family-member' | 'friend' | 'supporter' | 'advocate'; personId: string } & InterpreterNeed)
    | ({ kind: 'child'; childId: string } & InterpreterNeed)
    | { kind: 'professional'; professionalId: string; directContact: boolean | null | undefined }
    /** The allocated social worker of one of the children: children's social care (Q-1). */
    | { kind: 'social-worker'; userId: string }
    /** A team manager, from staff with that role: children's social care (Q-1). */
    | { kind: 'team-manager'; userId: string }
    | {
        kind: 'interpreter';
        interpreter: {
          name?: string | null;
          language?: string | null;
          agencyId?: string | null;
          email?: string | null;
        };
      }
  ) & { sent?: { method: unknown; sentOn: string | null | undefined } | undefined };

export interface ReportSharedInput {
  sharedOn: string | null | undefined;
  /** A police report is shared only when someone confirms the chair agreed, and says why (002 §3.4). */
  policeConfirmed?: boolean | undefined;
  reason?: string | null | undefined;
}

// ------------------------------------------------------------------ small rules of the arrangements

/** An online meeting link: a full https address, without credentials. */
export function onlineLinkProblem(link: string): string | null {
  if (link.length > 2000) return 'The meeting link must be 2,000 characters or fewer';
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return 'Enter the meeting link in full, starting with https://';
  }
  if (url.protocol !== 'https:') return 'The meeting link must start with https://';
  if (url.username || url.password || !url.hostname.includes('.'))
    return 'Enter a real meeting link, like https://teams.microsoft.com/l/meetup-join/…';
  return null;
}

function text(v: string | null | undefined): string | null {
  const t = (v ?? '').trim();
  return t === '' ? null : t;
}

function childOf(c: ChildRecord): ConferenceChild {
  return {
    id: c.id,
    givenNames: c.givenNames,
    familyName: c.familyName,
    dateOfBirth: c.dateOfBirth,
    expectedDeliveryDate: c.expectedDeliveryDate,
    address: c.address,
    localReference: c.localReference,
  };
}

/**
 * Convening conferences (initial, pre-birth, review, transfer-in) for one child or a sibling group,
 * their invitations and the agencies' reports. A conference is convened only by someone who may
 * change every child's record; it is seen and changed through `withConferenceAccess`. Every view and
 * change is audited in the same transaction; every denial is audited.
 */
/** An adult in the children's families as an invitation names them, with their links to each child. */
interface FamilyAdult {
  name: string;
  dateOfBirth: IsoDate | null;
  address: string | null;
  links: FamilyLinkToChild[];
}

export class ConveningService {
  protected readonly deps: ConveningServiceDeps;

  constructor(deps: ConveningServiceDeps) {
    this.deps = deps;
  }

  /** The council's timescales (T-1 … T-11), for pages that explain them. */
  timescaleSettings(): TimescaleSettings {
    return this.deps.timescales;
  }

  today(): IsoDate {
    return londonDateOf(this.deps.clock.now());
  }

  // ---------------------------------------------------------------- choices for the forms

  /** The council's children's social care agency: the social worker's report is its report (no personal data, not audited). */
  async childrensSocialCareAgency(): Promise<{ id: string; name: string } | null> {
    return this.deps.uow.run(({ convening }) => convening.childrensSocialCareAgency());
  }

  /** Active chairs, and business support officers who may take the minutes. */
  async staffChoices(): Promise<{ chairs: StaffRef[]; minuteTakers: StaffRef[] }> {
    return this.deps.uow.run(async ({ accounts }) => ({
      chairs: (await accounts.listUsersWithRole('chair')).map((u) => ({ id: u.id, name: u.name })),
      minuteTakers: (await accounts.listUsersWithRole('business_support')).map((u) => ({ id: u.id, name: u.name })),
    }));
  }

  /**
   * The children a conference could cover, starting from one child: their siblings (children who
   * share a family member holding PR for either of them) that the actor may also change, plus any
   * children already chosen. Denied (and audited as `conference.create`) unless the actor may change
   * the starting child's record.
   */
  async siblingGroupChoices(
    actor: Actor,
    startChildId: string,
    chosenIds: readonly string[],
    ctx: RequestContext,
  ): Promise<{ start: ConferenceChild; siblings: ConferenceChild[]; chosen: ConferenceChild[] }> {
    await this.requireEditorRole(actor, ctx);
    return this.withChildren(actor, [startChildId], canEditChild, 'conference.create', ctx, async (repos, [start]) => {
      const siblings: ConferenceChild[] = [];
      for (const s of await repos.convening.siblingsOf(start!.id)) {
        const facts = await repos.people.childAccessFacts(s.childId);
        if (!facts || !canEditChild(actor, facts).allowed) continue;
        siblings.push(childOf((await repos.people.findChild(s.childId))!));
      }
      const chosen: ConferenceChild[] = [];
      for (const id of new Set(chosenIds)) {
        if (id === start!.id || siblings.some((s) => s.id === id) || !isUuid(id)) continue;
        const facts = await repos.people.childAccessFacts(id);
        if (!facts || !canEditChild(actor, facts).allowed) continue;
        chosen.push(childOf((await repos.people.findChild(id))!));
      }
      const byName = (a: ConferenceChild, b: ConferenceChild) =>
        (a.dateOfBirth ?? a.expectedDeliveryDate ?? '').localeCompare(b.dateOfBirth ?? b.expectedDeliveryDate ?? '');
      return { start: childOf(start!), siblings: siblings.sort(byName), chosen };
    });
  }

  /**
   * Conferences of any of these children waiting to be reconvened (Q-1 adjourned with a new date, or a
   * D-1 review that decided to reconvene) and not yet linked to a conference reconvening them, that the
   * actor may change: what a new conference can say it reconvenes. Oldest first.
   */
  async reconveneChoices(actor: Actor, childIds: readonly string[], ctx: RequestContext): Promise<ReconveneChoice[]> {
    return this.withChildren(actor, childIds, canEditChild, 'conference.create', ctx, async (repos) =>
      (await this.reconveneCandidates(repos, actor, childIds))
        .filter((c) => !isLiveLink(c.reconvenedAs))
        .map((c) => this.reconveneChoiceOf(c, reconveneGround(c)!)),
    );
  }

  /** Held conferences of any of these children that the actor may open, newest first: what a review can follow. */
  async previousConferenceChoices(
    actor: Actor,
    childIds: readonly string[],
    ctx: RequestContext,
  ): Promise<PreviousConferenceChoice[]> {
    return this.withChildren(actor, childIds, canEditChild, 'conference.create', ctx, async (repos) =>
      this.heldConferences(repos, actor, childIds),
    );
  }

  /** The type step's choices: the held conferences a review can follow, and any conference waiting to be reconvened (Q-1, D-1). */
  async typeChoices(
    actor: Actor,
    childIds: readonly string[],
    ctx: RequestContext,
  ): Promise<{ previous: PreviousConferenceChoice[]; reconvene: ReconveneChoice[] }> {
    const previous = await this.previousConferenceChoices(actor, childIds, ctx);
    const reconvene = childIds.length ? await this.reconveneChoices(actor, childIds, ctx) : [];
    return { previous, reconvene };
  }

  /**
   * The choices for recording a conference held without being booked: the child and the siblings the
   * actor may change, the held conferences a review can follow, and the chairs and minute takers.
   */
  async afterwardsChoices(
    actor: Actor,
    childId: string,
    ctx: RequestContext,
  ): Promise<{
    children: ConferenceChild[];
    previous: PreviousConferenceChoice[];
    staff: { chairs: StaffRef[]; minuteTakers: StaffRef[] };
  }> {
    const { start, siblings } = await this.siblingGroupChoices(actor, childId, [], ctx);
    const children = [start, ...siblings];
    const previous = await this.previousConferenceChoices(
      actor,
      children.map((c) => c.id),
      ctx,
    );
    return { children, previous, staff: await this.staffChoices() };
  }

  // ---------------------------------------------------------------- convening

  /** Checks the answers up to `stage` without saving anything. Throws InvalidDetailsError listing every problem. */
  async prepareConvening(
    actor: Actor,
    input: ConveneInput,
    ctx: RequestContext,
    stage: ConveningStage = 'complete',
    opts: { afterwards?: boolean } = {},
  ): Promise<PreparedConvening> {
    await this.requireEditorRole(actor, ctx);
    const ids = this.childIdsOf(input);
    return this.withChildren(actor, ids, canEditChild, 'conference.create', ctx, (repos, children) =>
      this.resolve(repos, actor, input, children, stage, opts.afterwards === true),
    );
  }

  /**
   * Convenes the conference with one part, "Whole conference"; all or nothing. `afterwards`: a conference
   * held without being booked in advance, so its date is today or past (RearrangementService.recordAfterwards);
   * `within` runs in the same transaction once the conference is saved.
   */
  async convene(
    actor: Actor,
    input: ConveneInput,
    ctx: RequestContext,
    opts: { afterwards?: boolean; within?: (repos: Repositories, id: string) => Promise<void> } = {},
  ): Promise<{ id: string; prepared: PreparedConvening }> {
    await this.requireEditorRole(actor, ctx);
    const ids = this.childIdsOf(input);
    let answered: string | null = null;
    const out = await this.withChildren(actor, ids, canEditChild, 'conference.create', ctx, async (repos, children) => {
      // Two people booking the reconvened conference at once: the second waits here, then finds it linked.
      if (isUuid(input.reconvenesConferenceId)) await repos.convening.lockConference(input.reconvenesConferenceId);
      const prepared = await this.resolve(repos, actor, input, children, 'complete', opts.afterwards === true);
      const v = prepared.input;
      const deadline = prepared.deadline!;
      const id = await repos.convening.insertConference(
        {
          type: v.type!,
          scheduledDate: v.scheduledDate!,
          startTime: v.startTime!,
          durationMinutes: v.durationMinutes!,
          venueKind: v.venueKind!,
          venueDetails: v.venueDetails,
          onlineLink: v.onlineLink,
          chairUserId: v.chairUserId!,
          minuteTakerUserId: v.minuteTakerUserId!,
          strategyDiscussionDate: v.strategyDiscussionDate,
          expectedDeliveryDate: v.expectedDeliveryDate,
          previousConferenceId: v.previousConferenceId,
          noticeOfMoveDate: v.noticeOfMoveDate,
          dueRule: deadline.rule,
          dueDate: deadline.due,
          lateAgreedBy: v.lateAgreedBy,
          lateReason: v.lateReason,
          createdByUserId: actor.id,
        },
        v.childIds,
        [{ ordinal: 1, label: DEFAULT_PART_LABEL, startOffsetMinutes: 0, durationMinutes: v.durationMinutes! }],
      );
      await saveGrounds(repos, id, v);
      if (v.chairIndependence)
        await recordChairIndependence(
          repos,
          ctx,
          { userId: actor.id, at: this.deps.clock.now() },
          id,
          v.chairUserId!,
          'convened',
          v.chairIndependence,
        );
      await repos.audit.record({
        action: 'conference.create',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'conference', id },
        outcome: 'success',
        details: {
          type: v.type,
          childIds: v.childIds,
          scheduledDate: v.scheduledDate,
          dueRule: deadline.ruleId,
          dueDate: deadline.due,
          withinTimescale: prepared.assessment!.withinTimescale,
          chairUserId: v.chairUserId,
          minuteTakerUserId: v.minuteTakerUserId,
          previousConferenceId: v.previousConferenceId,
          reconvenesConferenceId: v.reconvenesConferenceId,
          preBirthGrounds: v.preBirthGrounds,
          prematureBirthLikely: v.prematureBirthLikely,
          broughtForwardReason: v.broughtForwardReason,
          conferenceRequestId: isUuid(input.conferenceRequestId) ? input.conferenceRequestId.toLowerCase() : null,
        },
      });
      if (prepared.reconvenes) {
        // Q-1 / D-1: the earlier conference now names the one reconvening it; its own audit trail says so.
        await repos.convening.linkReconvened(prepared.reconvenes.id, id);
        await auditConference(repos, ctx, 'conference.reconvene.link', prepared.reconvenes.id, {
          reconvenedConferenceId: id,
          rule: prepared.reconvenes.ground.rule,
        });
      }
      if (input.conferenceRequestId) {
        // 002 §1.1: the agreed request it answers is linked (once only) and its professional told the date.
        if (!this.deps.requestAnswers) throw new Error('Answering requests for a conference is not set up');
        ({ messageId: answered } = await this.deps.requestAnswers.answerWithin(
          repos,
          input.conferenceRequestId,
          { id, childIds: v.childIds, scheduledDate: v.scheduledDate!, startTime: v.startTime! },
          ctx,
        ));
      }
      if (opts.within) await opts.within(repos, id);
      return { id, prepared };
    });
    if (answered) await this.deps.requestAnswers!.dispatch(answered);
    return out;
  }

  /**
   * Checks new arrangements for an existing conference exactly as at convening (date, time, venue,
   * chair and minute taker, the T-1 … T-4 timescale and its agreement), in the caller's transaction. The grounds
   * recorded at convening are not asked again; `prematureBirthLikely` still times a pre-birth conference (T-2).
   */
  async checkArrangementsWithin(repos: Repositories, actor: Actor, input: ConveneInput): Promise<PreparedConvening> {
    return this.resolve(repos, actor, input, await this.childRecords(repos, input.childIds), 'complete', false, {
      grounds: false,
    });
  }

  /**
   * Issues one invitee's invitation again from the record as it is now (a new numbered copy), in the
   * caller's transaction, which holds the conference's lock; audited as `conference.invitation.sent`.
   */
  async issueInvitationWithin(
    repos: Repositories,
    conferenceId: string,
    inviteeId: string,
    sent: { method: InvitationMethod; at: Date; markSent: boolean },
    actor: Actor,
    ctx: RequestContext,
  ): Promise<InvitationIssueRecord> {
    // A letter still to be posted is issued now but counts as sent only once it is posted.
    if (sent.markSent && !(await repos.convening.markInvitationSent(conferenceId, inviteeId, sent.method, sent.at)))
      throw new NotFoundError('The invitation');
    const overview = await this.readOverview(repos, conferenceId);
    const invitee = overview.invitees.find((i) => i.id === inviteeId);
    if (!invitee) throw new NotFoundError('The invitation');
    const childIds = (await repos.convening.conferenceChildIds(conferenceId)) ?? [];
    return this.issue(repos, overview, await this.childRecords(repos, childIds), invitee, sent, actor, ctx);
  }

  /**
   * For every invitee with an issued copy: whether the invitation's text, as it would read on the day of its latest
   * copy, differs from that copy. The children and their families are read once for the whole list.
   */
  async invitationsChangedWithin(repos: Repositories, overview: ConferenceOverview): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>();
    const issued = overview.invitees.filter((i) => i.latestIssue !== null);
    if (issued.length === 0) return out;
    const records = await this.childRecords(
      repos,
      overview.children.map((c) => c.id),
    );
    const facts = await this.invitationFacts(repos, overview, records);
    for (const i of issued) {
      const latest = i.latestIssue!;
      out.set(
        i.id,
        this.invitationFor(overview, records, facts, i, londonDateOf(latest.issuedAt)).body !== latest.body,
      );
    }
    return out;
  }

  // ---------------------------------------------------------------- reading

  /** The conference with its children, parts, invitees and reports; every view audited as `conference.view`. */
  async getConference(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceOverview> {
    return withConferenceAccess(this.deps.uow, actor, conferenceId, 'view', 'conference.view', ctx, async (repos) => {
      const overview = await this.readOverview(repos, conferenceId);
      await auditConference(repos, ctx, 'conference.view', conferenceId);
      return overview;
    });
  }

  /**
   * Convenes the conference, then reads it as `getConference` does (audited as `conference.view`):
   * what an integration is answered with, in one use case.
   */
  async conveneAndView(actor: Actor, input: ConveneInput, ctx: RequestContext): Promise<ConferenceOverview> {
    const { id } = await this.convene(actor, input, ctx);
    return this.getConference(actor, id, ctx);
  }

  /**
   * The overview read with the caller's repositories, neither access-checked nor audited: for other
   * use cases that already hold `withConferenceAccess` (the meeting, dashboards).
   */
  async readOverview(repos: Repositories, conferenceId: string): Promise<ConferenceOverview> {
    const conference = await repos.convening.findConference(conferenceId);
    if (!conference) throw new NotFoundError('The conference');
    const childIds = (await repos.convening.conferenceChildIds(conferenceId)) ?? [];
    const records = await this.childRecords(repos, childIds);
    const date = conference.scheduledDate;
    const children = records.map((c): ChildInConference => ({
      ...childOf(c),
      ageOnConferenceDate:
        c.dateOfBirth && compareIsoDates(c.dateOfBirth, date) <= 0 ? ageOn(c.dateOfBirth, date) : null,
      presumedToAttend:
        c.dateOfBirth !== null && compareIsoDates(c.dateOfBirth, date) <= 0 && presumedToAttend(c.dateOfBirth, date),
    }));
    const links = await this.familyLinks(repos, records);
    const latestIssues = new Map<string, InvitationIssueRecord>();
    for (const issue of await repos.convening.listInvitationIssues(conferenceId)) {
      const seen = latestIssues.get(issue.inviteeId);
      if (!seen || seen.issueNumber < issue.issueNumber) latestIssues.set(issue.inviteeId, issue);
    }
    const invitees = (await repos.convening.listInvitees(conferenceId)).map((i): InviteeView => ({
      ...i,
      receivesMinutes: inviteeReceivesMinutes(i.kind),
      links: i.personId ? (links.get(i.personId) ?? []) : [],
      latestIssue: latestIssues.get(i.id) ?? null,
    }));
    const ground = reconveneGround(conference);
    const grounds = await readGrounds(repos, conferenceId);
    const { calendar, timescales } = this.deps;
    const reportsDeadline = computeDeadline('reports-to-family', date, calendar, timescales);
    const today = this.today();
    const reports = (await repos.convening.listReports(conferenceId)).map((r): ReportView => ({
      ...r,
      isPolice: r.agencyKind === 'police',
      format: formatOfMediaType(r.mediaType),
      sharing: reportSharingStatus(
        {
          isPolice: r.agencyKind === 'police',
          sharedWithFamilyOn: r.sharedWithFamilyOn,
          withheldReason: r.withheldFromFamily ? (r.withheldReason ?? '') : null,
        },
        reportsDeadline.due,
        today,
        calendar,
      ),
    }));
    return {
      conference,
      typeLabel: CONFERENCE_TYPE_LABELS[conference.type],
      statusLabel: STATUS_LABELS[conference.status],
      endTime: clockTimeAfter(conference.startTime, conference.durationMinutes),
      children,
      parts: await repos.convening.listParts(conferenceId),
      invitees,
      reports,
      deadline: computeDeadline(conference.dueRule, this.clockStart(conference), calendar, timescales, {
        prematureBirthLikely: grounds.prematureBirthLikely,
      }),
      reportsDeadline,
      midwifeInvited: conference.type === 'pre-birth' ? invitees.some((i) => i.agencyKind === 'midwife') : null,
      open: OPEN_STATUSES.includes(conference.status),
      reconvene: ground
        ? { ground, reason: describeReconveneGround(ground), outstanding: outstandingReconvene(conference) !== null }
        : null,
      grounds,
      parentReports: (await repos.participation.listParentReports(conferenceId)).map((r) =>
        reportView(r, invitees.find((i) => i.id === r.inviteeId)?.name ?? ''),
      ),
      barredInviteeIds: (await repos.participation.listBars(conferenceId)).map((b) => b.inviteeId),
    };
  }

  /** A child's conferences, newest first (audited as `conference.list`); those including a child the actor may not see are listed without a link. */
  async listChildConferences(
    actor: Actor,
    childId: string,
    ctx: RequestContext,
  ): Promise<{ child: ConferenceChild; conferences: ConferenceListingView[] }> {
    return this.withChildren(actor, [childId], canViewChild, 'conference.list', ctx, async (repos, [child]) => {
      const listings = await repos.convening.listConferencesForChildren([childId]);
      const out: ConferenceListingView[] = [];
      for (const l of listings) {
        const canOpen = await this.canSeeAll(repos, actor, l.childIds);
        out.push({
          ...l,
          typeLabel: CONFERENCE_TYPE_LABELS[l.type],
          statusLabel: STATUS_LABELS[l.status],
          canOpen,
          // 002 §2.2: a review brought forward says why in the child's history of conferences.
          broughtForward: canOpen ? ((await readGrounds(repos, l.id)).broughtForward?.text ?? null) : null,
        });
      }
      await repos.audit.record({
        action: 'conference.list',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: childId },
        outcome: 'success',
        details: { conferenceIds: out.map((c) => c.id) },
      });
      return { child: childOf(child!), conferences: out };
    });
  }

  // ---------------------------------------------------------------- invitations

  /** The people who could be invited: the children's family and network, the children themselves, their professionals. */
  async invitationCandidates(
    actor: Actor,
    conferenceId: string,
    ctx: RequestContext,
  ): Promise<{ overview: ConferenceOverview; candidates: InvitationCandidates }> {
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'conference.invite',
      ctx,
      async (repos, childIds) => {
        const overview = await this.readOverview(repos, conferenceId);
        const records = await this.childRecords(repos, childIds);
        const invited = overview.invitees;
        const familyLinks = await this.familyLinks(repos, records);
        const family: InvitationCandidates['family'] = [];
        for (const r of records) {
          for (const m of await repos.people.listFamily(r.id)) {
            if (family.some((f) => f.personId === m.person.id)) continue;
            const personLinks = familyLinks.get(m.person.id) ?? [];
            family.push({
              personId: m.person.id,
              name: `${m.person.givenNames} ${m.person.familyName}`,
              kind: familyInviteeKind(personLinks),
              links: personLinks,
              language: m.person.language,
              interpreterNeeded: m.person.interpreterNeeded,
              invited: invited.some((i) => i.personId === m.person.id),
            });
          }
        }
        const professionals: InvitationCandidates['professionals'] = [];
        for (const r of records) {
          for (const p of await repos.people.listProfessionals(r.id)) {
            const seen = professionals.find((x) => x.professionalId === p.id);
            if (seen) {
              seen.childGivenNames.push(r.givenNames);
              continue;
            }
            professionals.push({
              professionalId: p.id,
              name: p.name,
              roleTitle: p.roleTitle,
              agencyId: p.agency.id,
              agencyName: p.agency.name,
              agencyKind: p.agency.kind,
              childGivenNames: [r.givenNames],
              invited: invited.some((i) => i.professionalId === p.id),
            });
          }
        }
        return {
          overview,
          candidates: {
            family,
            children: overview.children
              .filter((c) => c.ageOnConferenceDate !== null)
              .map((c) => ({
                childId: c.id,
                name: `${c.givenNames} ${c.familyName}`,
                age: c.ageOnConferenceDate!,
                presumedToAttend: c.presumedToAttend,
                invited: invited.some((i) => i.childId === c.id),
              })),
            professionals,
            agencies: await repos.people.listAgencies(),
            childrensSocialCare: await this.cscCandidates(repos, records, invited),
          },
        };
      },
    );
  }

  /** Each child's allocated social worker (active accounts only) and the active team managers, marked when already invited. */
  private async cscCandidates(
    repos: Repositories,
    records: readonly ChildRecord[],
    invited: readonly InviteeRecord[],
  ): Promise<InvitationCandidates['childrensSocialCare']> {
    const staff = await this.cscStaff(repos, records);
    const isInvited = (userId: string) => invited.some((i) => i.userId === userId);
    return {
      agency: await repos.convening.childrensSocialCareAgency(),
      socialWorkers: [...staff.socialWorkers.values()].map((w) => ({ ...w, invited: isInvited(w.userId) })),
      unallocated: records
        .filter((c) => !c.allocatedSocialWorkerId || !staff.socialWorkers.has(c.allocatedSocialWorkerId))
        .map((c) => c.givenNames),
      teamManagers: staff.teamManagers.map((m) => ({ ...m, invited: isInvited(m.userId) })),
    };
  }

  /** The children's allocated social workers and the team managers, from active staff accounts. */
  private async cscStaff(
    repos: Repositories,
    records: readonly ChildRecord[],
  ): Promise<{
    socialWorkers: Map<string, { userId: string; name: string; childGivenNames: string[] }>;
    teamManagers: Array<{ userId: string; name: string }>;
  }> {
    const users = (await repos.accounts.listUsers()).filter((u) => !u.disabledAt);
    const socialWorkers = new Map<string, { userId: string; name: string; childGivenNames: string[] }>();
    for (const c of records) {
      const user = users.find((u) => u.id === c.allocatedSocialWorkerId);
      if (!user) continue;
      const seen = socialWorkers.get(user.id) ?? { userId: user.id, name: user.name, childGivenNames: [] };
      seen.childGivenNames.push(c.givenNames);
      socialWorkers.set(user.id, seen);
    }
    const teamManagers = users
      .filter((u) => u.roles.includes('team_manager'))
      .map((u) => ({ userId: u.id, name: u.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
    return { socialWorkers, teamManagers };
  }

  /**
   * Adds invitees (all or none). Family members, children and professionals must belong to the
   * conference's children; nobody is invited twice ("Grace Okafor is already invited", with the unique
   * indexes as the backstop). A family member or child who needs an interpreter has the language
   * recorded. Invitations given as already sent are issued: their text is stored as sent.
   */
  async invite(
    actor: Actor,
    conferenceId: string,
    invitees: readonly InviteeInput[],
    ctx: RequestContext,
  ): Promise<InviteeView[]> {
    const today = this.today();
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'conference.invite',
      ctx,
      async (repos, childIds) => {
        await repos.convening.lockConference(conferenceId);
        const conference = (await repos.convening.findConference(conferenceId))!;
        this.assertOpen(conference);
        if (invitees.length === 0)
          throw new InvalidDetailsError([{ field: 'invitees', message: 'Select at least one person to invite' }]);
        const records = await this.childRecords(repos, childIds);
        const links = await this.familyLinks(repos, records);
        const family = new Map<string, { name: string; language: string | null; interpreterNeeded: boolean }>();
        for (const c of records) {
          for (const m of await repos.people.listFamily(c.id)) {
            family.set(m.person.id, {
              name: `${m.person.givenNames} ${m.person.familyName}`,
              language: m.person.language,
              interpreterNeeded: m.person.interpreterNeeded,
            });
          }
        }
        const existing = await repos.convening.listInvitees(conferenceId);
        const professionalsByChild = new Map<string, { name: string; childIds: Set<string> }>();
        for (const c of records) {
          for (const p of await repos.people.listProfessionals(c.id)) {
            const seen = professionalsByChild.get(p.id) ?? { name: p.name, childIds: new Set<string>() };
            seen.childIds.add(c.id);
            professionalsByChild.set(p.id, seen);
          }
        }
        const csc = await repos.convening.childrensSocialCareAgency();
        const staff = await this.cscStaff(repos, records);
        const problems = new FieldChecks();
        const seen = new Set<string>();
        const planned: Array<{
          invitee: InviteeInput;
          sent: { method: InvitationMethod; at: Date } | null;
          index: number;
          name: string;
          language: string | null;
        }> = [];
        const already = (name: string) => `${name} is already invited`;
        invitees.forEach((inv, index) => {
          const field = `invitees.${index}`;
          let key: string;
          let name = 'This person';
          let language: string | null = null;
          switch (inv.kind) {
            case 'family-member':
            case 'friend':
            case 'supporter':
            case 'advocate': {
              key = `person:${inv.personId}`;
              const person = family.get(inv.personId);
              name = person?.name ?? name;
              if (!links.has(inv.personId))
                problems.add(
                  `${field}.personId`,
                  'Select family and network members of the children in this conference',
                );
              else language = this.interpreterLanguage(problems, field, name, inv, person!);
              if (existing.some((e) => e.personId === inv.personId)) problems.add(`${field}.personId`, already(name));
              break;
            }
            case 'child': {
              key = `child:${inv.childId}`;
              const child = records.find((c) => c.id === inv.childId);
              name = child ? `${child.givenNames} ${child.familyName}` : name;
              if (!child) problems.add(`${field}.childId`, 'Select a child this conference is about');
              else if (!child.dateOfBirth || compareIsoDates(child.dateOfBirth, conference.scheduledDate) > 0)
                problems.add(`${field}.childId`, 'An unborn child cannot be invited');
              else language = this.interpreterLanguage(problems, field, name, inv, null);
              if (existing.some((e) => e.childId === inv.childId)) problems.add(`${field}.childId`, already(name));
              break;
            }
            case 'professional': {
              key = `professional:${inv.professionalId}`;
              const prof = professionalsByChild.get(inv.professionalId);
              name = prof?.name ?? name;
              if (!prof)
                problems.add(
                  `${field}.professionalId`,
                  'Select professionals working with the children in this conference',
                );
              if (existing.some((e) => e.professionalId === inv.professionalId))
                problems.add(`${field}.professionalId`, already(name));
              // Q-1 counts only agencies with direct contact, so the question must be answered, not assumed.
              if (typeof inv.directContact !== 'boolean')
                problems.add(
                  `${field}.directContact`,
                  'Select whether their agency has had direct contact with the child and family',
                );
              break;
            }
            case 'social-worker':
            case 'team-manager': {
              key = `user:${inv.userId}`;
              const user =
                inv.kind === 'social-worker'
                  ? staff.socialWorkers.get(inv.userId)
                  : staff.teamManagers.find((m) => m.userId === inv.userId);
              name = user?.name ?? name;
              if (!user)
                problems.add(
                  `${field}.userId`,
                  inv.kind === 'social-worker'
                    ? 'Select the allocated social worker of a child in this conference'
                    : 'Select a team manager from the list',
                );
              else if (!csc)
                problems.add(
                  `${field}.userId`,
                  'Children’s social care is not recorded as an agency: ask an administrator to add it',
                );
              if (existing.some((e) => e.userId === inv.userId)) problems.add(`${field}.userId`, already(name));
              break;
            }
            case 'interpreter': {
              key = `interpreter:${index}`;
              const i = inv.interpreter;
              try {
                validateProfessional({ name: i.name, roleTitle: i.language, email: i.email });
              } catch (err) {
                if (!(err instanceof InvalidDetailsError)) throw err;
                // The professional's "role" here is the language: say so on the right field.
                for (const p of err.problems)
                  problems.add(
                    `${field}.${p.field === 'roleTitle' ? 'language' : p.field}`,
                    p.field === 'roleTitle'
                      ? 'Enter the language they will interpret'
                      : p.message.replace('professional’s', 'interpreter’s'),
                  );
              }
              if ((i.language ?? '').trim().length > MAX_LANGUAGE_LENGTH)
                problems.add(`${field}.language`, `Language must be ${MAX_LANGUAGE_LENGTH} characters or fewer`);
              if (!isUuid(i.agencyId))
                problems.add(`${field}.agencyId`, 'Select the interpreting service they work for');
              language = text(i.language);
              name = text(i.name) ?? name;
              break;
            }
            default:
              key = `unknown:${index}`;
              problems.add(`${field}.kind`, 'Select who to invite');
          }
          if (seen.has(key)) problems.add(field, `${name} is listed twice`);
          seen.add(key);
          let sent: { method: InvitationMethod; at: Date } | null = null;
          if (inv.sent) sent = this.checkSent(problems, `${field}.sent`, inv.sent, today);
          planned.push({ invitee: inv, sent, index, name, language });
        });
        for (const p of planned) {
          if (
            p.invitee.kind === 'interpreter' &&
            isUuid(p.invitee.interpreter.agencyId) &&
            !(await repos.people.findAgency(p.invitee.interpreter.agencyId))
          ) {
            problems.add(`invitees.${p.index}.agencyId`, 'Select the interpreting service they work for');
          }
        }
        problems.done();

        const ids: string[] = [];
        for (const { invitee: inv, index, name, language } of planned) {
          const base = {
            personId: null,
            childId: null,
            professionalId: null,
            agencyId: null,
            directContact: false,
            interpreterLanguage: language,
          };
          let id: string;
          try {
            if (inv.kind === 'family-member' || isSupporterKind(inv.kind)) {
              const personId = (inv as { personId: string }).personId;
              id = await repos.convening.insertInvitee(conferenceId, {
                ...base,
                kind: familyInviteeKind(links.get(personId)!),
                personId,
              });
            } else if (inv.kind === 'child') {
              id = await repos.convening.insertInvitee(conferenceId, { ...base, kind: 'child', childId: inv.childId });
            } else if (inv.kind === 'professional') {
              const prof = (await repos.people.findProfessional(inv.professionalId))!;
              id = await repos.convening.insertInvitee(conferenceId, {
                ...base,
                kind: 'professional',
                professionalId: prof.id,
                agencyId: prof.agency.id,
                directContact: inv.directContact === true,
                interpreterLanguage: null,
              });
            } else if (inv.kind === 'social-worker' || inv.kind === 'team-manager') {
              // Q-1: they attend for children's social care; the allocated social worker has direct contact by definition.
              const staffRole: CscStaffRole = inv.kind;
              id = await repos.convening.insertInvitee(conferenceId, {
                ...base,
                kind: 'professional',
                userId: inv.userId,
                staffRole,
                agencyId: csc!.id,
                directContact: staffRole === 'social-worker',
              });
            } else if (inv.kind === 'interpreter') {
              const i = inv.interpreter;
              const details = validateProfessional({
                name: i.name,
                roleTitle: `Interpreter (${language})`,
                email: i.email,
              });
              const professionalId = await repos.people.insertProfessional({
                ...details,
                phone: null,
                agencyId: i.agencyId!,
              });
              await repos.audit.record({
                action: 'professional.create',
                actor: ctx.actor,
                correlationId: ctx.correlationId,
                subject: { type: 'professional', id: professionalId },
                outcome: 'success',
                details: { agencyId: i.agencyId, conferenceId, interpreter: true },
              });
              id = await repos.convening.insertInvitee(conferenceId, {
                ...base,
                kind: 'interpreter',
                professionalId,
                agencyId: i.agencyId!,
              });
            } else {
              throw new Error('unreachable: invitee kinds are checked above');
            }
          } catch (err) {
            // The unique index caught what the check above could not see (it is the backstop, not the rule).
            if (err instanceof AlreadyInvitedError)
              throw new InvalidDetailsError([{ field: `invitees.${index}.${err.key}`, message: already(name) }]);
            throw err;
          }
          ids.push(id);
        }
        await auditConference(repos, ctx, 'conference.invite', conferenceId, {
          inviteeIds: ids,
          kinds: planned.map((p) => p.invitee.kind),
          interpreterNeeded: ids.filter(
            (_, n) => planned[n]!.language !== null && planned[n]!.invitee.kind !== 'interpreter',
          ),
        });
        // Invitations already sent are issued now, from the record as it stands, dated the day they went.
        const sentOnes = planned
          .map((p, n) => ({ id: ids[n]!, sent: p.sent }))
          .filter((p): p is { id: string; sent: { method: InvitationMethod; at: Date } } => p.sent !== null);
        if (sentOnes.length) {
          const overview = await this.readOverview(repos, conferenceId);
          for (const { id, sent } of sentOnes) {
            await repos.convening.markInvitationSent(conferenceId, id, sent.method, sent.at);
            await this.issue(
              repos,
              overview,
              records,
              overview.invitees.find((i) => i.id === id)!,
              sent,
              actor,
              ctx,
            );
          }
        }
        return (await this.readOverview(repos, conferenceId)).invitees
          .filter((i) => ids.includes(i.id))
          .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
      },
    );
  }

  /**
   * The language a family member or child needs an interpreter in, or null when they need none. Asked
   * on the form (`interpreterNeeded`, `interpreterLanguage`); left out, the person's own record says.
   */
  private interpreterLanguage(
    problems: FieldChecks,
    field: string,
    name: string,
    need: InterpreterNeed,
    record: { language: string | null; interpreterNeeded: boolean } | null,
  ): string | null {
    const asked = need.interpreterNeeded !== undefined && need.interpreterNeeded !== null;
    const needed = asked ? need.interpreterNeeded === true : (record?.interpreterNeeded ?? false);
    if (!needed) return null;
    const language = asked
      ? text(need.interpreterLanguage)
      : (text(need.interpreterLanguage) ?? text(record?.language));
    const at = field ? `${field}.interpreterLanguage` : 'interpreterLanguage';
    if (!language) problems.add(at, `Enter the language ${name} needs an interpreter in`);
    else if (language.length > MAX_LANGUAGE_LENGTH)
      problems.add(at, `The language must be ${MAX_LANGUAGE_LENGTH} characters or fewer`);
    else return language;
    return null;
  }

  /**
   * Records whether someone invited needs an interpreter, and the language (required when they do);
   * shown on the invitation list and the register. Audited as `conference.invitee.interpreter`.
   */
  async recordInterpreterNeed(
    actor: Actor,
    conferenceId: string,
    inviteeId: string,
    need: InterpreterNeed,
    ctx: RequestContext,
  ): Promise<InviteeView> {
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'conference.invitee.interpreter',
      ctx,
      async (repos) => {
        const overview = await this.readOverview(repos, conferenceId);
        this.assertOpen(overview.conference);
        const invitee = overview.invitees.find((i) => i.id === inviteeId);
        if (!invitee) throw new NotFoundError('The invitation');
        if (!mayUseInterpreter(invitee.kind))
          throw new DomainError(
            'NO_INTERPRETER_NEED',
            'Interpreters are arranged for family members and children: a professional or interpreter cannot need one',
            'interpreterNeeded',
          );
        const problems = new FieldChecks();
        if (need.interpreterNeeded !== true && need.interpreterNeeded !== false)
          problems.add('interpreterNeeded', `Select whether ${invitee.name} needs an interpreter`);
        const language =
          need.interpreterNeeded === true ? this.interpreterLanguage(problems, '', invitee.name, need, null) : null;
        problems.done();
        await repos.convening.setInterpreterLanguage(conferenceId, inviteeId, language);
        await auditConference(repos, ctx, 'conference.invitee.interpreter', conferenceId, {
          inviteeId,
          interpreterNeeded: language !== null,
        });
        return { ...invitee, interpreterLanguage: language };
      },
    );
  }

  /**
   * Records that an invitation was sent, how and on which day (the service does not send it), and
   * issues it: the text as it is now, dated that day, is stored exactly with its SHA-256, who sent it
   * and when. Sending again after a change adds a new issue; nothing issued is ever overwritten.
   * Audited as `conference.invitation.sent` with the issue's number and hash.
   */
  async recordInvitationSent(
    actor: Actor,
    conferenceId: string,
    inviteeId: string,
    sent: { method: unknown; sentOn: string | null | undefined },
    ctx: RequestContext,
  ): Promise<InvitationIssueRecord> {
    const today = this.today();
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'conference.invitation.sent',
      ctx,
      async (repos, childIds) => {
        // One issue number at a time for the conference's invitees.
        await repos.convening.lockConference(conferenceId);
        this.assertOpen((await repos.convening.findConference(conferenceId))!);
        const problems = new FieldChecks();
        const checked = this.checkSent(problems, '', sent, today);
        problems.done();
        if (
          !isUuid(inviteeId) ||
          !(await repos.convening.markInvitationSent(conferenceId, inviteeId, checked!.method, checked!.at))
        )
          throw new NotFoundError('The invitation');
        const overview = await this.readOverview(repos, conferenceId);
        const invitee = overview.invitees.find((i) => i.id === inviteeId)!;
        return this.issue(repos, overview, await this.childRecords(repos, childIds), invitee, checked!, actor, ctx);
      },
    );
  }

  /** Renders and stores one issue of an invitation, and audits it (the caller holds the conference's lock). */
  private async issue(
    repos: Repositories,
    overview: ConferenceOverview,
    records: readonly ChildRecord[],
    invitee: InviteeView,
    sent: { method: InvitationMethod; at: Date },
    actor: Actor,
    ctx: RequestContext,
  ): Promise<InvitationIssueRecord> {
    const content = await this.renderInvitation(repos, overview, records, invitee, londonDateOf(sent.at));
    const issue = await repos.convening.insertInvitationIssue(overview.conference.id, {
      inviteeId: invitee.id,
      channel: sent.method,
      recipientLines: content.recipientLines,
      recipientEmail: sent.method === 'email' || sent.method === 'letter-and-email' ? invitee.email : null,
      subject: content.subject,
      body: content.body,
      issuedAt: sent.at,
      issuedByUserId: actor.id,
      issuedByLabel: ctx.actor.label,
    });
    await auditConference(repos, ctx, 'conference.invitation.sent', overview.conference.id, {
      inviteeId: invitee.id,
      method: sent.method,
      issueId: issue.id,
      issueNumber: issue.issueNumber,
      bodySha256: issue.bodySha256,
    });
    return issue;
  }

  /**
   * Every copy of one invitee's invitation exactly as issued, oldest first, and whether the record has
   * changed since the latest: `invitationContent` without the text as it would now read (same audit).
   */
  async invitationIssues(
    actor: Actor,
    conferenceId: string,
    inviteeId: string,
    ctx: RequestContext,
  ): Promise<Pick<InvitationCopies, 'issues' | 'changedSinceIssued'>> {
    const { issues, changedSinceIssued } = await this.invitationContent(actor, conferenceId, inviteeId, ctx);
    return { issues, changedSinceIssued };
  }

  /**
   * The invitation for one invitee: its text from the record as it is now, and every copy issued,
   * exactly as sent (with whether the text has changed since the latest). Audited as
   * `conference.invitation.view` (it carries personal data).
   */
  async invitationContent(
    actor: Actor,
    conferenceId: string,
    inviteeId: string,
    ctx: RequestContext,
  ): Promise<InvitationCopies> {
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'view',
      'conference.invitation.view',
      ctx,
      async (repos, childIds) => {
        const overview = await this.readOverview(repos, conferenceId);
        const invitee = overview.invitees.find((i) => i.id === inviteeId);
        if (!invitee) throw new NotFoundError('The invitation');
        const records = await this.childRecords(repos, childIds);
        const content = await this.renderInvitation(
          repos,
          overview,
          records,
          invitee,
          invitee.invitedAt ? londonDateOf(invitee.invitedAt) : this.today(),
        );
        const issues = await repos.convening.listInvitationIssues(conferenceId, inviteeId);
        const latest = issues.at(-1);
        // Compared as it would read on the day the latest copy is dated, so only a change of facts counts.
        const changedSinceIssued = latest
          ? (await this.renderInvitation(repos, overview, records, invitee, londonDateOf(latest.issuedAt))).body !==
            latest.body
          : false;
        await auditConference(repos, ctx, 'conference.invitation.view', conferenceId, { inviteeId });
        return { overview, invitee, content, issues, changedSinceIssued };
      },
    );
  }

  /** The invitation as the person was sent it, in one of the ways it went. */
  private async renderInvitation(
    repos: Repositories,
    overview: ConferenceOverview,
    records: readonly ChildRecord[],
    invitee: InviteeView,
    issuedOn: IsoDate,
  ): Promise<InvitationContent> {
    return this.invitationFor(
      overview,
      records,
      await this.invitationFacts(repos, overview, records),
      invitee,
      issuedOn,
    );
  }

  /** What every invitation to the conference says alike: the adults in the children's families, and whether the family asked to record. */
  private async invitationFacts(
    repos: Repositories,
    overview: ConferenceOverview,
    records: readonly ChildRecord[],
  ): Promise<{ adults: FamilyAdult[]; familyAskedToRecord: boolean }> {
    const adults = new Map<string, FamilyAdult>();
    const families = await repos.people.listFamilyMany(records.map((c) => c.id));
    for (const c of records) {
      for (const m of families.get(c.id) ?? []) {
        if (isNetworkSupporter(m.relationship)) continue;
        const entry = adults.get(m.person.id) ?? {
          name: `${m.person.givenNames} ${m.person.familyName}`,
          dateOfBirth: m.person.dateOfBirth,
          address: m.person.address,
          links: [],
        };
        entry.links.push({
          childId: c.id,
          childGivenNames: c.givenNames,
          relationship: m.relationship,
          parentalResponsibility: m.parentalResponsibility,
        });
        adults.set(m.person.id, entry);
      }
    }
    return {
      adults: [...adults.values()],
      // P-6, 004 §2.5: once the family has asked to record the conference, everyone invited is told in advance.
      familyAskedToRecord: await repos.recordingPermission.conferenceHasRequest(overview.conference.id),
    };
  }

  /** One invitee's invitation, from what every invitation says alike. */
  private invitationFor(
    overview: ConferenceOverview,
    records: readonly ChildRecord[],
    facts: { adults: FamilyAdult[]; familyAskedToRecord: boolean },
    invitee: InviteeView,
    issuedOn: IsoDate,
  ): InvitationContent {
    const c = overview.conference;
    return buildInvitation({
      councilName: this.deps.councilName ?? 'Children’s Services',
      issuedOn,
      conference: {
        type: c.type,
        date: c.scheduledDate,
        startTime: c.startTime,
        durationMinutes: c.durationMinutes,
        venueKind: c.venueKind,
        venueDetails: c.venueDetails,
        onlineLink: c.onlineLink,
      },
      chairName: c.chair?.name ?? null,
      contact: c.minuteTaker ? { name: c.minuteTaker.name, email: c.minuteTaker.email } : null,
      reportsSharedBy: overview.reportsDeadline.due,
      children: records.map(childOf),
      adults: facts.adults,
      recipient: {
        kind: invitee.kind,
        name: invitee.name,
        address: invitee.kind === 'professional' || invitee.kind === 'interpreter' ? null : invitee.address,
        roleTitle: invitee.roleTitle,
        agencyName: invitee.agencyName,
      },
      familyAskedToRecord: facts.familyAskedToRecord,
    });
  }

  /** One issued copy of an invitation, exactly as sent; audited as `conference.invitation.view`. */
  async invitationIssue(
    actor: Actor,
    conferenceId: string,
    inviteeId: string,
    issueId: string,
    ctx: RequestContext,
  ): Promise<{
    overview: ConferenceOverview;
    invitee: InviteeView;
    issue: InvitationIssueRecord;
    issues: InvitationIssueRecord[];
  }> {
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'view',
      'conference.invitation.view',
      ctx,
      async (repos) => {
        const overview = await this.readOverview(repos, conferenceId);
        const invitee = overview.invitees.find((i) => i.id === inviteeId);
        const issues = invitee ? await repos.convening.listInvitationIssues(conferenceId, inviteeId) : [];
        const issue = issues.find((i) => i.id === issueId);
        if (!invitee || !issue) throw new NotFoundError('The invitation');
        await auditConference(repos, ctx, 'conference.invitation.view', conferenceId, { inviteeId, issueId });
        return { overview, invitee, issue, issues };
      },
    );
  }

  // ---------------------------------------------------------------- reports

  /**
   * Stores an agency's report. The file must be a PDF, Word or ODT document by its content (its
   * name is never used, nor stored) and at most 20 MB. All or nothing: if the record cannot be
   * saved, the stored file is removed.
   */
  async uploadReport(
    actor: Actor,
    conferenceId: string,
    input: { agencyId: string | null | undefined; content: Uint8Array | null | undefined },
    ctx: RequestContext,
  ): Promise<ReportView> {
    const problems = new FieldChecks();
    if (!input.agencyId || !isUuid(input.agencyId)) problems.add('agencyId', 'Select the agency the report is from');
    const format = this.checkReportFile(problems, input.content);
    // Access first, so nothing from someone without access is ever written to the store.
    await withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'conference.report.upload',
      ctx,
      async (repos) => {
        this.assertOpen((await repos.convening.findConference(conferenceId))!);
        if (!problems.has('agencyId') && !(await repos.people.findAgency(input.agencyId!)))
          problems.add('agencyId', 'Select the agency the report is from');
      },
    );
    problems.done();
    let stored;
    try {
      stored = await this.deps.blobs.put(input.content!, { maxBytes: MAX_REPORT_BYTES });
    } catch (err) {
      if (err instanceof BlobTooLargeError)
        throw new InvalidDetailsError([{ field: 'file', message: 'The selected file must be smaller than 20 MB' }]);
      throw err;
    }
    try {
      return await withConferenceAccess(
        this.deps.uow,
        actor,
        conferenceId,
        'edit',
        'conference.report.upload',
        ctx,
        async (repos) => {
          this.assertOpen((await repos.convening.findConference(conferenceId))!);
          const id = await repos.convening.insertReport(conferenceId, {
            agencyId: input.agencyId!,
            blobKey: stored.key,
            fileSha256: stored.sha256,
            mediaType: DOCUMENT_MEDIA_TYPES[format!],
            sizeBytes: stored.size,
            receivedAt: this.deps.clock.now(),
            uploadedByUserId: actor.id,
          });
          await auditConference(repos, ctx, 'conference.report.upload', conferenceId, {
            reportId: id,
            agencyId: input.agencyId,
            format,
            sizeBytes: stored.size,
            sha256: stored.sha256,
          });
          const overview = await this.readOverview(repos, conferenceId);
          return overview.reports.find((r) => r.id === id)!;
        },
      );
    } catch (err) {
      await this.deps.blobs.delete(stored.key).catch(() => undefined);
      throw err;
    }
  }

  /** Opens a report's file for download; audited as `conference.report.download` once the file is open. */
  async openReport(
    actor: Actor,
    conferenceId: string,
    reportId: string,
    ctx: RequestContext,
  ): Promise<{ report: ReportView; conference: ConferenceRecord; stream: Readable; fileName: string }> {
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'view',
      'conference.report.download',
      ctx,
      async (repos) => {
        const overview = await this.readOverview(repos, conferenceId);
        const report = overview.reports.find((r) => r.id === reportId);
        if (!report?.blobKey) throw new NotFoundError('The report');
        const stream = await this.deps.blobs.get(report.blobKey);
        try {
          await auditConference(repos, ctx, 'conference.report.download', conferenceId, {
            reportId,
            sha256: report.fileSha256,
          });
        } catch (err) {
          stream.destroy();
          throw err;
        }
        const ext =
          report.format === 'docx' ? 'docx' : report.format === 'doc' ? 'doc' : report.format === 'odt' ? 'odt' : 'pdf';
        const agency =
          report.agencyName
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-|-$/g, '')
            .slice(0, 40) || 'agency';
        return {
          report,
          conference: overview.conference,
          stream,
          fileName: `${overview.conference.scheduledDate}-${agency}-report.${ext}`,
        };
      },
    );
  }

  /**
   * Records that one report was shared with the family. A police report is never shared as a matter
   * of course (002 §3.4): it needs confirmation that the chair agreed and the reason, which is also
   * written as a case note on each child's record.
   */
  async recordReportShared(
    actor: Actor,
    conferenceId: string,
    reportId: string,
    input: ReportSharedInput,
    ctx: RequestContext,
  ): Promise<void> {
    await withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'conference.report.shared',
      ctx,
      async (repos, childIds) => {
        const overview = await this.readOverview(repos, conferenceId);
        this.assertOpen(overview.conference);
        const report = overview.reports.find((r) => r.id === reportId);
        if (!report) throw new NotFoundError('The report');
        if (report.withheldFromFamily)
          throw new ConflictError(
            'This report is withheld from the family, so it cannot be recorded as shared',
            'sharedOn',
          );
        if (report.sharedWithFamilyOn)
          throw new ConflictError(
            `This report was already recorded as shared on ${formatLongDate(report.sharedWithFamilyOn)}`,
            'sharedOn',
          );
        const problems = new FieldChecks();
        const sharedOn = this.checkPastDate(problems, 'sharedOn', input.sharedOn, 'the date the report was shared');
        const reason = text(input.reason);
        if (report.isPolice) {
          if (input.policeConfirmed !== true)
            problems.add(
              'policeConfirmed',
              'Confirm that the chair agreed this police report can be shared with the family',
            );
          if (!reason) problems.add('reason', 'Enter why the police report is being shared with the family');
          else if (reason.length > 1000) problems.add('reason', 'The reason must be 1,000 characters or fewer');
        }
        problems.done();
        await repos.convening.markReportShared(conferenceId, reportId, sharedOn!);
        if (report.isPolice) {
          for (const childId of childIds) {
            await recordCaseNote(
              repos,
              this.deps.clock,
              {
                childId,
                kind: 'police-report-shared',
                text: `The police report (${report.agencyName}) for the ${CONFERENCE_TYPE_LABELS[overview.conference.type].toLowerCase()} on ${formatLongDate(overview.conference.scheduledDate)} was shared with the family on ${formatLongDate(sharedOn!)}, with the chair’s agreement. Reason: ${reason}`,
              },
              ctx,
            );
          }
        }
        await auditConference(repos, ctx, 'conference.report.shared', conferenceId, {
          reportIds: [reportId],
          police: report.isPolice,
        });
      },
    );
  }

  /** Records every report not yet shared as shared on one date, except police reports and withheld ones, which are left as they are. */
  async recordReportsShared(
    actor: Actor,
    conferenceId: string,
    sharedOnInput: string | null | undefined,
    ctx: RequestContext,
  ): Promise<{ recorded: number; policeNotShared: number }> {
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'conference.report.shared',
      ctx,
      async (repos) => {
        const overview = await this.readOverview(repos, conferenceId);
        this.assertOpen(overview.conference);
        const problems = new FieldChecks();
        const sharedOn = this.checkPastDate(problems, 'sharedOn', sharedOnInput, 'the date the reports were shared');
        problems.done();
        const waiting = overview.reports.filter((r) => !r.sharedWithFamilyOn && !r.withheldFromFamily);
        const toShare = waiting.filter((r) => !r.isPolice);
        if (toShare.length === 0)
          throw new InvalidDetailsError([
            { field: 'sharedOn', message: 'There are no reports waiting to be shared, other than police reports' },
          ]);
        for (const r of toShare) await repos.convening.markReportShared(conferenceId, r.id, sharedOn!);
        await auditConference(repos, ctx, 'conference.report.shared', conferenceId, {
          reportIds: toShare.map((r) => r.id),
          police: false,
        });
        return { recorded: toShare.length, policeNotShared: waiting.length - toShare.length };
      },
    );
  }

  /** 002 §3.4: a report whose sharing is a safeguarding risk is withheld from the family, with the reason. */
  async withholdReport(
    actor: Actor,
    conferenceId: string,
    reportId: string,
    reasonInput: string | null | undefined,
    ctx: RequestContext,
  ): Promise<void> {
    await withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'conference.report.withhold',
      ctx,
      async (repos) => {
        const overview = await this.readOverview(repos, conferenceId);
        this.assertOpen(overview.conference);
        const report = overview.reports.find((r) => r.id === reportId);
        if (!report) throw new NotFoundError('The report');
        if (report.sharedWithFamilyOn)
          throw new ConflictError(
            `This report was already shared with the family on ${formatLongDate(report.sharedWithFamilyOn)}`,
            'reason',
          );
        if (report.withheldFromFamily)
          throw new ConflictError('This report is already withheld from the family', 'reason');
        const reason = text(reasonInput);
        if (!reason)
          throw new InvalidDetailsError([
            { field: 'reason', message: 'Enter why the report is withheld from the family' },
          ]);
        if (reason.length > 1000)
          throw new InvalidDetailsError([{ field: 'reason', message: 'The reason must be 1,000 characters or fewer' }]);
        await repos.convening.markReportWithheld(conferenceId, reportId, reason);
        await auditConference(repos, ctx, 'conference.report.withhold', conferenceId, { reportId });
      },
    );
  }

  /**
   * Maintenance: every blob key a report refers to, for the sweep that deletes unreferenced report
   * files older than a day (see `orphanedKeys`). Keys only, no personal data; not audited.
   */
  async referencedReportBlobKeys(): Promise<ReadonlySet<string>> {
    return new Set(await this.deps.uow.run(({ convening }) => convening.listReportBlobKeys()));
  }

  /** The report's file checked by content and size; adds a problem on `file` and returns the format. */
  private checkReportFile(own: FieldChecks, content: Uint8Array | null | undefined): DocumentFormat | null {
    if (!content || content.byteLength === 0) {
      own.add('file', content ? 'The selected file is empty' : 'Select the report file');
      return null;
    }
    if (content.byteLength > MAX_REPORT_BYTES) {
      own.add('file', 'The selected file must be smaller than 20 MB');
      return null;
    }
    const found = detectDocumentFormat(content);
    if (found.format) return found.format;
    own.add(
      'file',
      found.reason === 'macros'
        ? 'The selected file contains macros. Save it without macros (for example as a PDF or .docx) and upload it again'
        : 'The selected file must be a PDF, a Word document (.docx or .doc) or OpenDocument text (.odt)',
    );
    return null;
  }

  // ---------------------------------------------------------------- internals

  private childIdsOf(input: ConveneInput): string[] {
    const ids = [...new Set((input.childIds ?? []).map((id) => String(id)))];
    if (ids.length === 0)
      throw new InvalidDetailsError([{ field: 'childIds', message: 'Select the children the conference is about' }]);
    if (ids.length > MAX_CHILDREN)
      throw new InvalidDetailsError([
        { field: 'childIds', message: `A conference can cover at most ${MAX_CHILDREN} children` },
      ]);
    if (ids.some((id) => !isUuid(id)))
      throw new InvalidDetailsError([{ field: 'childIds', message: 'Select children from the list' }]);
    return ids;
  }

  /** Checks everything up to `stage` inside the caller's transaction; lists every problem at once. */
  private async resolve(
    repos: Repositories,
    actor: Actor,
    input: ConveneInput,
    records: ChildRecord[],
    stage: ConveningStage,
    afterwards = false,
    opts: { grounds?: boolean } = {},
  ): Promise<PreparedConvening> {
    const askGrounds = opts.grounds !== false;
    const upTo = (s: ConveningStage) => STAGES.indexOf(stage) >= STAGES.indexOf(s);
    const today = this.today();
    const problems = new FieldChecks();
    const children = records.map(childOf);
    const v: NormalisedConvening = {
      childIds: records.map((c) => c.id),
      type: null,
      strategyDiscussionDate: null,
      expectedDeliveryDate: null,
      previousConferenceId: null,
      noticeOfMoveDate: null,
      scheduledDate: null,
      startTime: null,
      durationMinutes: null,
      venueKind: null,
      venueDetails: null,
      onlineLink: null,
      chairUserId: null,
      minuteTakerUserId: null,
      lateAgreedBy: null,
      lateReason: null,
      reconvenesConferenceId: null,
      ...NO_GROUNDS,
    };
    let broughtForward = false;
    let previousConference: PreviousConferenceChoice | null = null;
    let reconvenes: ReconveneChoice | null = null;
    let deadline: Deadline | null = null;
    let assessment: ConveningAssessment | null = null;
    let chair: StaffRef | null = null;
    let minuteTaker: StaffRef | null = null;

    if (upTo('type')) {
      const type = input.type;
      if (typeof type !== 'string' || !(CONFERENCE_TYPES as readonly string[]).includes(type)) {
        problems.add('type', 'Select the type of conference');
      } else {
        v.type = type as ConferenceType;
        switch (v.type) {
          case 'initial':
            v.strategyDiscussionDate = this.checkPastDate(
              problems,
              'strategyDiscussionDate',
              input.strategyDiscussionDate,
              'the date of the strategy discussion',
              'Enter the date of the strategy discussion that started the section 47 enquiry',
            );
            break;
          case 'pre-birth': {
            if (!records.some((c) => c.dateOfBirth === null)) {
              problems.add(
                'type',
                'A pre-birth conference is about an unborn baby: add the unborn baby’s record to the conference, or choose another type',
              );
            }
            const edd = text(input.expectedDeliveryDate);
            if (!edd) problems.add('expectedDeliveryDate', 'Enter the expected date of delivery');
            else if (!isIsoDate(edd))
              problems.add('expectedDeliveryDate', 'The expected date of delivery must be a real date');
            else if (compareIsoDates(edd, today) <= 0)
              problems.add(
                'expectedDeliveryDate',
                'The expected date of delivery must be in the future: if the baby has been born, convene an initial conference',
              );
            else v.expectedDeliveryDate = edd;
            // 002 §1.3: the grounds for holding it, and whether a premature birth is likely (T-2 ends earlier).
            Object.assign(v, checkPreBirth(problems, input, askGrounds));
            break;
          }
          case 'review': {
            const prevId = text(input.previousConferenceId);
            const choices = await this.heldConferences(repos, actor, v.childIds);
            previousConference = choices.find((c) => c.id === prevId) ?? null;
            if (!prevId)
              problems.add(
                'previousConferenceId',
                choices.length
                  ? 'Select the conference this review follows'
                  : 'A review follows a conference that has been held for these children, and there is none: convene an initial or transfer-in conference instead',
              );
            else if (!previousConference)
              problems.add('previousConferenceId', 'Select a conference held for these children');
            else v.previousConferenceId = previousConference.id;
            break;
          }
          case 'transfer-in':
            v.noticeOfMoveDate = this.checkPastDate(
              problems,
              'noticeOfMoveDate',
              input.noticeOfMoveDate,
              'the date you were told of the move',
              'Enter the date you were told the family had moved here',
            );
            break;
        }
      }
      const facts = this.factsOf(v, previousConference);
      if (facts) deadline = conveningDeadline(facts, this.deps.calendar, this.deps.timescales);
    }

    if (upTo('arrangements')) {
      const date = text(input.scheduledDate);
      if (!date) problems.add('scheduledDate', 'Enter the date of the conference');
      else if (!isIsoDate(date)) problems.add('scheduledDate', 'The date of the conference must be a real date');
      const facts = this.factsOf(v, previousConference);
      if (facts && date && isIsoDate(date)) {
        try {
          // The agreement is checked below, field by field, so both missing answers are shown together.
          assessment = assessConvening(
            { ...facts, scheduledDate: date, lateAgreedBy: 'checked below', lateReason: 'checked below' },
            this.deps.calendar,
            this.deps.timescales,
          );
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          // A date before the day the clock starts (the strategy discussion, T-1) is named as such.
          problems.add(err.field ?? 'scheduledDate', err.message);
        }
      }
      if (date && isIsoDate(date)) {
        // A conference recorded afterwards was held on the day given, whatever day that was.
        if (afterwards) {
          if (compareIsoDates(date, today) > 0)
            problems.add(
              'scheduledDate',
              'The date the conference was held must be today or in the past: to book a conference, convene it instead',
            );
        } else if (compareIsoDates(date, today) < 0)
          problems.add('scheduledDate', 'The date of the conference must be today or in the future');
        else if (!this.deps.calendar.isWorkingDay(date))
          problems.add(
            'scheduledDate',
            `${formatLongDate(date)} is not a working day: choose a weekday that is not a bank holiday`,
          );
        if (!problems.has('scheduledDate')) v.scheduledDate = date;
        else assessment = null;
      }

      const time = text(input.startTime);
      if (!time) problems.add('startTime', 'Enter the start time');
      else if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time))
        problems.add('startTime', 'Enter the start time in the 24-hour clock, like 09:30 or 14:00');
      else v.startTime = time;

      const duration = input.durationMinutes;
      if (duration === null || duration === undefined)
        problems.add('durationMinutes', 'Select how long the conference is expected to last');
      else if (!Number.isInteger(duration) || duration < MIN_DURATION_MINUTES || duration > MAX_DURATION_MINUTES)
        problems.add(
          'durationMinutes',
          `The expected length must be between ${MIN_DURATION_MINUTES} minutes and ${MAX_DURATION_MINUTES / 60} hours`,
        );
      else v.durationMinutes = duration;
      if (v.startTime && v.durationMinutes && clockTimeAfter(v.startTime, v.durationMinutes) === null)
        problems.add('durationMinutes', 'The conference must end before midnight');

      if (!isVenueKind(input.venueKind)) problems.add('venueKind', 'Select how people will take part');
      else {
        v.venueKind = input.venueKind;
        if (v.venueKind !== 'online') {
          v.venueDetails = text(input.venueDetails);
          if (!v.venueDetails) problems.add('venueDetails', 'Enter the address and room of the conference');
          else if (v.venueDetails.length > 500)
            problems.add('venueDetails', 'The address and room must be 500 characters or fewer');
        }
        if (v.venueKind !== 'in-person') {
          v.onlineLink = text(input.onlineLink);
          const why = v.onlineLink ? onlineLinkProblem(v.onlineLink) : 'Enter the Microsoft Teams meeting link';
          if (why) problems.add('onlineLink', why);
        }
      }

      const users = await repos.accounts.listUsers();
      const active = (id: string | null | undefined) => users.find((u) => u.id === id && !u.disabledAt);
      const c = active(text(input.chairUserId));
      if (!c || !c.roles.includes('chair')) problems.add('chairUserId', 'Select the chair from the list');
      else chair = { id: c.id, name: c.name };
      const m = active(text(input.minuteTakerUserId));
      if (!m || !m.roles.includes('business_support'))
        problems.add('minuteTakerUserId', 'Select the minute taker from the list');
      else if (chair && m.id === chair.id)
        problems.add('minuteTakerUserId', 'The minute taker must be someone other than the chair');
      else minuteTaker = { id: m.id, name: m.name };
      v.chairUserId = chair?.id ?? null;
      v.minuteTakerUserId = minuteTaker?.id ?? null;
      // 002 §4.1: a chair who is not independent of the case goes ahead only with a reason. A rearrangement
      // (grounds not asked) keeps the chair; changing the chair is its own step (chairing/service.ts).
      if (askGrounds)
        v.chairIndependence = await checkChairIndependence(
          repos,
          problems,
          chair,
          v.childIds,
          input.chairIndependenceReason,
        );
    }

    // Q-1 / D-1: the earlier conference this one reconvenes: still waiting, the same children and type, and before it.
    const reconvenesId = upTo('type') ? text(input.reconvenesConferenceId) : null;
    if (reconvenesId) {
      const candidate = (await this.reconveneCandidates(repos, actor, v.childIds)).find((c) => c.id === reconvenesId);
      if (!candidate)
        problems.add(
          'reconvenesConferenceId',
          'Select a conference of these children that is waiting to be reconvened',
        );
      else {
        let ground: ReconveneGround | null = null;
        try {
          ground = checkReconvening(candidate, { type: v.type, childIds: v.childIds, scheduledDate: v.scheduledDate });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          problems.add(err.field ?? 'reconvenesConferenceId', err.message);
        }
        if (ground) {
          reconvenes = this.reconveneChoiceOf(candidate, ground);
          v.reconvenesConferenceId = candidate.id;
        }
      }
    }

    if (upTo('arrangements') && assessment && deadline) {
      // 002 §2.2: a review brought well forward of its due date says why (checked with the rest, at `complete`).
      const review = checkReview(
        problems,
        input,
        v.type,
        v.scheduledDate,
        deadline.due,
        this.deps.timescales.reviewBroughtForwardDays,
        upTo('complete') && askGrounds,
      );
      broughtForward = review.broughtForward;
      v.broughtForwardReason = review.broughtForwardReason;
      v.broughtForwardOther = review.broughtForwardOther;
    }

    if (upTo('complete') && assessment && !assessment.withinTimescale) {
      // T-1 (002 §1.2): a date outside the timescale needs a senior manager's agreement and a recorded reason.
      v.lateAgreedBy = text(input.lateAgreedBy);
      v.lateReason = text(input.lateReason);
      if (!v.lateAgreedBy)
        problems.add(
          'lateAgreedBy',
          `${assessment.outsideTimescale} Enter the name and role of the senior manager who agreed this date`,
        );
      else if (v.lateAgreedBy.length > 200)
        problems.add('lateAgreedBy', 'The senior manager’s name and role must be 200 characters or fewer');
      if (!v.lateReason)
        problems.add(
          'lateReason',
          `${assessment.outsideTimescale} Enter the reason the conference is outside the timescale`,
        );
      else if (v.lateReason.length > 1000) problems.add('lateReason', 'The reason must be 1,000 characters or fewer');
    }

    problems.done();
    return {
      children,
      type: v.type,
      previousConference,
      reconvenes,
      deadline,
      assessment,
      chair,
      minuteTaker,
      input: v,
      broughtForward,
    };
  }

  private factsOf(v: NormalisedConvening, previous: PreviousConferenceChoice | null): ConveningFacts | null {
    switch (v.type) {
      case 'initial':
        return v.strategyDiscussionDate ? { type: 'initial', strategyDiscussionDate: v.strategyDiscussionDate } : null;
      case 'pre-birth':
        return v.expectedDeliveryDate
          ? {
              type: 'pre-birth',
              expectedDeliveryDate: v.expectedDeliveryDate,
              prematureBirthLikely: v.prematureBirthLikely,
            }
          : null;
      case 'review':
        return previous
          ? { type: 'review', previousConference: { date: previous.scheduledDate, type: previous.type } }
          : null;
      case 'transfer-in':
        return v.noticeOfMoveDate ? { type: 'transfer-in', noticeOfMoveDate: v.noticeOfMoveDate } : null;
      default:
        return null;
    }
  }

  /** The date the conference's own timescale runs from. */
  private clockStart(c: ConferenceRecord): IsoDate {
    const from = {
      initial: c.strategyDiscussionDate,
      'pre-birth': c.expectedDeliveryDate,
      review: c.previousConference?.scheduledDate ?? null,
      'transfer-in': c.noticeOfMoveDate,
    }[c.type];
    if (!from) throw new Error(`Conference ${c.id} has no date for its timescale to run from`);
    return from;
  }

  private checkPastDate(
    problems: FieldChecks,
    field: string,
    value: string | null | undefined,
    what: string,
    missing?: string,
  ): IsoDate | null {
    const d = text(value);
    if (!d) problems.add(field, missing ?? `Enter ${what}`);
    else if (!isIsoDate(d)) problems.add(field, `${what.charAt(0).toUpperCase()}${what.slice(1)} must be a real date`);
    else if (compareIsoDates(d, this.today()) > 0)
      problems.add(field, `${what.charAt(0).toUpperCase()}${what.slice(1)} must be today or in the past`);
    else return d;
    return null;
  }

  private checkSent(
    problems: FieldChecks,
    prefix: string,
    sent: { method: unknown; sentOn: string | null | undefined },
    today: IsoDate,
  ): { method: InvitationMethod; at: Date } | null {
    const f = (name: string) => (prefix ? `${prefix}.${name}` : name);
    if (!isInvitationMethod(sent.method)) problems.add(f('method'), 'Select how the invitation was sent');
    const on = this.checkPastDate(problems, f('sentOn'), sent.sentOn, 'the date the invitation was sent');
    if (!isInvitationMethod(sent.method) || !on) return null;
    // A date without a time: today is now; an earlier day is stored at midday UTC, which is that same day in England.
    return { method: sent.method, at: on === today ? this.deps.clock.now() : new Date(`${on}T12:00:00Z`) };
  }

  private assertOpen(c: ConferenceRecord): void {
    if (!OPEN_STATUSES.includes(c.status)) {
      throw new DomainError(
        'CONFERENCE_CLOSED',
        `This conference is ${STATUS_LABELS[c.status].toLowerCase()}: its invitations and reports can no longer be changed`,
      );
    }
  }

  private async heldConferences(
    repos: Repositories,
    actor: Actor,
    childIds: readonly string[],
  ): Promise<PreviousConferenceChoice[]> {
    const listings = await repos.convening.listConferencesForChildren(childIds);
    const out: PreviousConferenceChoice[] = [];
    for (const l of listings) {
      if (l.status !== 'held' || !(await this.canSeeAll(repos, actor, l.childIds))) continue;
      out.push({
        id: l.id,
        type: l.type,
        typeLabel: CONFERENCE_TYPE_LABELS[l.type],
        scheduledDate: l.scheduledDate,
        childIds: l.childIds,
      });
    }
    return out;
  }

  /** Conferences of these children to be reconvened (linked or not) that the actor may change: linking one changes it. */
  private async reconveneCandidates(
    repos: Repositories,
    actor: Actor,
    childIds: readonly string[],
  ): Promise<ReconveneCandidate[]> {
    const out: ReconveneCandidate[] = [];
    for (const c of await repos.convening.listReconveneCandidates(childIds)) {
      if (await this.canChangeAll(repos, actor, c.childIds)) out.push(c);
    }
    return out;
  }

  private reconveneChoiceOf(c: ReconveneCandidate, ground: ReconveneGround): ReconveneChoice {
    return {
      id: c.id,
      type: c.type,
      typeLabel: CONFERENCE_TYPE_LABELS[c.type],
      scheduledDate: c.scheduledDate,
      childIds: c.childIds,
      ground,
      label: describeLink(c),
      reason: describeReconveneGround(ground),
    };
  }

  private async canChangeAll(repos: Repositories, actor: Actor, childIds: readonly string[]): Promise<boolean> {
    for (const id of childIds) {
      const facts = await repos.people.childAccessFacts(id);
      if (!facts || !canEditChild(actor, facts).allowed) return false;
    }
    return true;
  }

  private async canSeeAll(repos: Repositories, actor: Actor, childIds: readonly string[]): Promise<boolean> {
    for (const id of childIds) {
      const facts = await repos.people.childAccessFacts(id);
      if (!facts || !canViewChild(actor, facts).allowed) return false;
    }
    return true;
  }

  private async childRecords(repos: Repositories, childIds: readonly string[]): Promise<ChildRecord[]> {
    // Every child in one statement, however many are in the conference.
    const records = await repos.people.findChildren(childIds);
    // Oldest first, unborn last: the order the family and professionals expect on the page and in letters.
    return records.sort(
      (a, b) =>
        (a.dateOfBirth ?? `9${a.expectedDeliveryDate}`).localeCompare(b.dateOfBirth ?? `9${b.expectedDeliveryDate}`) ||
        a.givenNames.localeCompare(b.givenNames),
    );
  }

  /** Each family and network member's relationship and PR for each child, keyed by person. */
  private async familyLinks(
    repos: Repositories,
    records: readonly ChildRecord[],
  ): Promise<Map<string, FamilyLinkToChild[]>> {
    const links = new Map<string, FamilyLinkToChild[]>();
    const families = await repos.people.listFamilyMany(records.map((c) => c.id));
    for (const c of records) {
      for (const m of families.get(c.id) ?? []) {
        links.set(m.person.id, [
          ...(links.get(m.person.id) ?? []),
          {
            childId: c.id,
            childGivenNames: c.givenNames,
            relationship: m.relationship,
            parentalResponsibility: m.parentalResponsibility,
          },
        ]);
      }
    }
    return links;
  }

  private async requireEditorRole(actor: Actor, ctx: RequestContext): Promise<void> {
    if (hasAnyRole(actor, RECORD_EDITOR_ROLES)) return;
    await this.deps.uow.run(({ audit }) =>
      audit.record({
        action: 'conference.create',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'denied',
        details: { reason: 'role may not convene conferences' },
      }),
    );
    throw new AccessDeniedError();
  }

  /**
   * Runs `fn` in one transaction once `rule` allows the actor every child. A denial is audited (in its
   * own transaction, naming the child refused); a child that does not exist is a problem on `childIds`.
   */
  private async withChildren<T>(
    actor: Actor,
    childIds: readonly string[],
    rule: (
      actor: Actor,
      facts: { allocatedSocialWorkerId: string | null; restricted: boolean; namedStaffIds: readonly string[] },
    ) => AccessDecision,
    action: string,
    ctx: RequestContext,
    fn: (repos: Repositories, children: ChildRecord[]) => Promise<T>,
  ): Promise<T> {
    let denial: { childId: string; reason: string } | null = null;
    try {
      return await this.deps.uow.run(async (repos) => {
        const records: ChildRecord[] = [];
        for (const id of childIds) {
          const facts = isUuid(id) ? await repos.people.childAccessFacts(id) : null;
          if (!facts) {
            if (childIds.length === 1) throw new NotFoundError('The child’s record');
            throw new InvalidDetailsError([
              { field: 'childIds', message: 'One of the children’s records was not found' },
            ]);
          }
          const decision = rule(actor, facts);
          if (!decision.allowed) {
            denial = { childId: id, reason: decision.reason };
            throw new AccessDeniedError();
          }
          records.push((await repos.people.findChild(id))!);
        }
        return fn(repos, records);
      });
    } catch (err) {
      const d = denial as { childId: string; reason: string } | null;
      if (d) {
        await this.deps.uow.run(({ audit }) =>
          audit.record({
            action,
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            subject: { type: 'child', id: d.childId },
            outcome: 'denied',
            details: { reason: d.reason, childIds: [...childIds] },
          }),
        );
      }
      throw err;
    }
  }
}

export type { ConferenceListing, ConferencePartRecord, ConferenceRecord, InviteeKind, InviteeRecord, ReportRecord };
