/** What the pages and the API see of requests to record a meeting, and what the use cases need. */
import type { Readable } from 'node:stream';
import { type Actor } from '../../domain/access/roles.ts';
import {
  type Alternative,
  type DecisionInput,
  type MeetingKind,
  type ProfessionalView,
  type RefusalGround,
  type Requester,
  type RequestMethod,
  type RequestStatus,
  type UndertakingMethod,
} from '../../domain/recording-permission/requests.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { DeliverySecrets } from '../requests/delivery-ports.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';
import type { UndertakingFormat } from './ports.ts';

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
