/**
 * What the requests service (A-1 … A-10) takes and gives: the inputs of its use cases and the read
 * models its pages and the API show. Types only.
 */
import type { DeadlineRag, DeadlineStatus, IsoDate } from '../../domain/calendar/index.ts';
import type { WithholdingReason } from '../../domain/recordings/index.ts';
import type {
  CopyRequest,
  NotifiedParty,
  PreviousLink,
  ReferralInput,
  RequestAction,
  RequestEventType,
  RequesterInput,
  RequesterType,
  RequestState,
  VerificationReplyInput,
} from '../../domain/requests/index.ts';
import type { DeliverySummary } from './delivery-ports.ts';
import type { AdviceStepAction, RequestWarning } from './ports.ts';

export interface Named {
  id: string;
  name: string;
}

export interface ConferenceRef {
  id: string;
  title: string;
  date: IsoDate;
  typeLabel: string;
  childNames: string[];
}

export interface StepResult {
  id: string;
  state: RequestState;
  version: number;
  /** Things that could not be done, recorded visibly on the request. */
  warnings: string[];
}

export interface ReceiveRequestInput {
  conferenceId: string;
  receivedOn: string;
  requester: RequesterInput;
  chairId?: string | null;
}

export interface ReceiveFormView {
  conference: ConferenceRef;
  children: Array<{ id: string; name: string; dateOfBirth: IsoDate | null }>;
  people: Array<{ id: string; name: string; prChildIds: string[] }>;
  chairs: Named[];
  requesterTypes: Array<{ value: RequesterType; label: string }>;
  /**
   * The council's reason when its policy is that the family is not given copies of recordings (003): a child or a
   * person with parental responsibility asking is refused with it. Null while the family may be given copies.
   */
  familyCopiesRefusedReason: string | null;
}

export interface QueueFilterInput {
  steps?: readonly RequestState[];
  statuses?: readonly DeadlineRag[];
  mine?: boolean;
  includeFinished?: boolean;
}

export interface RequestSummaryRow {
  id: string;
  reference: string;
  conference: ConferenceRef;
  requesterType: RequesterType;
  requesterTypeLabel: string;
  requesterName: string;
  state: RequestState;
  stateLabel: string;
  receivedOn: IsoDate;
  dueOn: IsoDate;
  status: DeadlineStatus | null;
  sentInTime: boolean | null;
  extended: boolean;
  chair: Named | null;
}

export interface WorkQueueView {
  rows: RequestSummaryRow[];
  counts: Record<RequestState, number>;
  filter: { steps: RequestState[]; statuses: DeadlineRag[]; mine: boolean; includeFinished: boolean };
  onlyOwn: boolean;
}

export interface StepView {
  seq: number;
  action: RequestAction | 'warning' | AdviceStepAction;
  actionLabel: string;
  from: RequestState | null;
  to: RequestState;
  toLabel: string;
  at: Date;
  actor: Named | null;
  details: Array<{ label: string; value: string }>;
}

export interface ReferralView {
  conferenceDate: IsoDate;
  children: Named[];
  childrenWithoutPr: Named[];
  email: string;
  withheld: Array<{
    recordingLabel: string;
    startMs: number;
    endMs: number;
    reasonLabel: string;
    explanation: string;
    fromTimeline: boolean;
  }>;
  nothingWithheld: boolean;
  recordings: Array<{ id: string; label: string }>;
  parts: Array<{ id: string; label: string }>;
  jointConsideration: { on: IsoDate; faceToFace: boolean; notes: string | null } | null;
  adjustment: string | null;
  reasons: string | null;
  advice: string | null;
}

export interface RequestView extends RequestSummaryRow {
  version: number;
  request: CopyRequest;
  next: string;
  deadline: { due: IsoDate; explanation: string; rule: string };
  childrenCovered: Named[];
  childrenWithoutPr: Named[];
  requesterDetails: Array<{ label: string; value: string }>;
  referral: ReferralView | null;
  timeline: StepView[];
  actions: RequestEventType[];
  approvalBlockedReason: string | null;
  verificationFailure: { attempt: number; staffMessages: string[]; at: Date } | null;
  verificationChildCount: number;
  /** children in the referral not born yet (the requester gives the expected date of delivery for them). */
  verificationUnborn: string[];
  copy: { copyId: string; preparedBy: Named; preparedAt: Date } | null;
  approval: { approvedBy: Named; approvedAt: Date } | null;
  delivery: { deliveryId: string; sentBy: Named; sentAt: Date } | null;
  outcome: { kind: 'refused' | 'withdrawn'; reason: string; by: Named; at: Date } | null;
  extension: { reason: string; toldOn: IsoDate; by: Named; at: Date } | null;
  warnings: RequestWarning[];
}

/** The request's page: the request and, once the copy has been sent, its secure deliveries. */
export interface RequestPageView {
  view: RequestView;
  deliveries: DeliverySummary[];
}

export interface ReferralFormView {
  request: RequestSummaryRow & { version: number; requesterType: RequesterType };
  conference: ConferenceRef & {
    children: Array<{ id: string; name: string; covered: boolean; withoutPr: boolean }>;
    parts: Array<{ id: string; label: string }>;
    split: boolean;
  };
  recordings: Array<{
    id: string;
    label: string;
    partId: string | null;
    partLabel: string | null;
    durationMs: number;
    segments: Array<{
      id: string;
      startMs: number;
      endMs: number;
      reasonLabel: string;
      explanation: string;
      withheldFromLabel: string;
      prefilled: boolean;
    }>;
  }>;
  attendance: Array<{ name: string; roleLabel: string; statusLabel: string; exclusion: string | null }>;
  needsJointConsideration: boolean;
  prefill: ReferralInput;
  amending: boolean;
}

export interface DisclosurePlan {
  requestId: string;
  conferenceId: string;
  recordingIds: string[];
  withheld: Array<{
    recordingId: string;
    startMs: number;
    endMs: number;
    reason: WithholdingReason;
    explanation: string;
    approvedBy: string;
  }>;
}

export type StepInput =
  | { type: 'refer'; referral: ReferralInput }
  | { type: 'amend-referral'; referral: ReferralInput; reason: string }
  | { type: 'resolve-queries'; note?: string | null }
  | { type: 'check-recording'; partsListened: string; confirmedRightRecording: boolean }
  | { type: 'request-verification' }
  | { type: 'record-verification'; reply: VerificationReplyInput }
  | { type: 'resume-verification'; note: string }
  | { type: 'prepare-copy'; copyId: string }
  | { type: 'approve-copy' }
  | { type: 'reject-copy'; reason: string }
  | { type: 'send'; deliveryId: string }
  | { type: 'send-new-link'; deliveryId: string; previous: PreviousLink; reason: string }
  | { type: 'record-notifications'; toldOtherwise?: readonly NotifiedParty[] }
  | { type: 'close' }
  | { type: 'refuse'; reason: string }
  | { type: 'withdraw'; reason: string }
  | { type: 'extend'; reason: string; toldOn: string };

// ------------------------------------------------------------------ helpers

/** the page for sending a new link in place of one that expired or was cancelled before any download. */
export interface NewLinkFormView {
  requestId: string;
  reference: string;
  version: number;
  /** The link to be replaced. */
  link: DeliverySummary;
  /** Every link made for the request, newest first. */
  links: DeliverySummary[];
  /** The new link's limits: the same as the first link's. */
  terms: { linkLifetimeDays: number; downloadsPerFile: number };
  /** Why a new link cannot be sent now (null: it can). */
  refusal: string | null;
}
