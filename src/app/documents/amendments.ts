/**
 * Amendments to the written record (W-5, T-8). Business support (or a chair) records a recipient's request to change
 * an issued document, point by point, with when it came and how; T-8 gives the chair's due date, 10 working days from
 * the requester's receipt of the document, and a request received after it is still recorded, flagged late. The
 * chair decides each point with reasons; when any is accepted, fully or in part, the document goes back to drafting
 * for its next issue, which says what changed (issuing.ts). Once every point is decided, the letter giving the
 * requester the chair's decision on each point is prepared in the same transaction, as a draft of its own that the
 * chair approves and business support issues like every letter. Access is the written record's: whoever may see every
 * child in the conference sees its requests; recording needs business support or a chair, deciding the conference's
 * chair. Every view, change and denial is audited.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { NotTheChairError } from '../../domain/conferences/chair-cover.ts';
import {
  type BankHolidayCalendar,
  type DeadlineStatus,
  type IsoDate,
  type TimescaleSettings,
  compareIsoDates,
  deadlineStatus,
  londonDateOf,
  parseIsoDate,
} from '../../domain/calendar/index.ts';
import {
  type AmendmentChannel,
  type AmendmentPoint,
  type AmendmentPointDecision,
  AMENDMENT_CHANNELS,
  DOCUMENT_KIND_LABELS,
  DRAFT_SECTIONS,
  LATE_REQUEST_FLAG,
  type DocumentKind,
  type DraftSectionDefinition,
  amendmentDueDate,
  canApprove,
  canDraft,
  checkAmendmentDecisions,
  checkAmendmentPoints,
  isLateRequest,
  needsNewVersion,
  nextDraftStatus,
} from '../../domain/documents/index.ts';
import {
  AccessDeniedError,
  DomainError,
  InvalidDetailsError,
  NotFoundError,
  StaleRecordError,
} from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { auditConference, auditConferenceDenial, withConferenceAccess } from '../conferences/conference-access.ts';
import type { MeetingConference } from '../conferences/meeting-ports.ts';
import { isUuid } from '../conferences/service-deps.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { AmendmentRequestRecord, AmendmentStatus, StoredAmendmentPoint } from './amendments-ports.ts';
import { sendingProgressOf } from './sending-progress.ts';
import type { CouncilDetails } from '../../domain/documents/index.ts';
import { loadDocumentFacts } from './facts-loader.ts';

export interface AmendmentServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  calendar: BankHolidayCalendar;
  timescales: TimescaleSettings;
  council: CouncilDetails;
}

/** An issued document a request can be about: its latest issue. */
export interface AmendableDocument {
  draftId: string;
  kind: DocumentKind;
  label: string;
  issueNumber: number;
  sections: DraftSectionDefinition[];
  /** Who received it, with the day their copy was issued (the default receipt date). */
  recipients: Array<{ inviteeId: string; name: string; issuedOn: IsoDate }>;
}

/**
 * W-5: where the letter giving the requester the chair's decisions stands: prepared (being drafted or waiting for the
 * chair), approved, issued, or sent (the requester's copy has gone).
 */
export type AmendmentLetterStatus = 'prepared' | 'approved' | 'issued' | 'sent';

export interface AmendmentLetterView {
  draftId: string;
  status: AmendmentLetterStatus;
}

export interface AmendmentRequestView {
  id: string;
  conferenceId: string;
  draftId: string;
  kind: DocumentKind;
  /** "Conference record, version 1". */
  documentLabel: string;
  issueNumber: number;
  requesterInviteeId: string;
  requesterName: string;
  channel: AmendmentChannel;
  receivedOn: IsoDate;
  recordReceivedOn: IsoDate;
  dueOn: IsoDate;
  /** T-8: "Received after the 10 working days", or null. */
  lateFlag: string | null;
  /** While waiting for the chair, the due date's red/amber/green; null once decided. */
  dueStatus: DeadlineStatus | null;
  points: Array<StoredAmendmentPoint & { sectionLabel: string }>;
  status: AmendmentStatus;
  version: number;
  recordedByName: string | null;
  recordedAt: Date;
  decidedByName: string | null;
  decidedAt: Date | null;
  /** W-5: the letter with the chair's decision on each point, once every point is decided; null before. */
  letter: AmendmentLetterView | null;
  can: { decide: boolean };
}

export interface ConferenceAmendments {
  conferenceId: string;
  conferenceDate: IsoDate;
  requests: AmendmentRequestView[];
  /** The issued documents a request can be recorded against. */
  documents: AmendableDocument[];
  can: { record: boolean };
}

export interface NewAmendmentInput {
  draftId: string;
  requesterInviteeId: string;
  channel: string;
  /** When the request reached the council. */
  receivedOn: string;
  /** When the requester received the document; null: the day their copy was issued. */
  recordReceivedOn: string | null;
  points: Array<Partial<AmendmentPoint>>;
}

export interface DecisionResult {
  request: AmendmentRequestView;
  /** Any point accepted: the document is being written again as this issue. */
  newIssueNumber: number | null;
}

export interface AmendmentUseCases {
  amendments(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceAmendments>;
  recordRequest(
    actor: Actor,
    conferenceId: string,
    input: NewAmendmentInput,
    ctx: RequestContext,
  ): Promise<AmendmentRequestView>;
  request(actor: Actor, conferenceId: string, requestId: string, ctx: RequestContext): Promise<AmendmentRequestView>;
  decide(
    actor: Actor,
    conferenceId: string,
    requestId: string,
    input: { version: number; decisions: Array<Partial<AmendmentPointDecision>> },
    ctx: RequestContext,
  ): Promise<DecisionResult>;
}

type Role = 'view' | 'record' | 'decide';

const REFUSALS: Record<Exclude<Role, 'view'>, { reason: string; message: string }> = {
  record: {
    reason: 'not business support or a chair',
    message: 'Only business support or a chair can record an amendment request',
  },
  decide: { reason: 'not the conference chair', message: 'Only the conference chair can decide on amendments' },
};

interface Scope {
  repos: Repositories;
  conference: MeetingConference;
  names: Map<string, string>;
}

/** W-5: the amendment decision letters of a conference, by the request each answers. */
type Letters = ReadonlyMap<string, AmendmentLetterView>;

async function lettersOf(repos: Repositories, conferenceId: string): Promise<Letters> {
  const drafts = (await repos.documents.listDrafts(conferenceId)).filter((d) => d.amendmentRequestId !== null);
  if (drafts.length === 0) return new Map();
  const sending = drafts.some((d) => d.status === 'issued') ? await sendingProgressOf(repos, conferenceId) : null;
  return new Map(
    drafts.map((d) => {
      const progress = sending?.get(d.id);
      const status: AmendmentLetterStatus =
        d.status === 'issued'
          ? progress && progress.total > 0 && progress.sent === progress.total
            ? 'sent'
            : 'issued'
          : d.status === 'approved'
            ? 'approved'
            : 'prepared';
      return [d.amendmentRequestId!, { draftId: d.id, status }];
    }),
  );
}

function dateField(value: unknown, field: string, label: string): IsoDate {
  try {
    return parseIsoDate(value, field);
  } catch {
    throw new InvalidDetailsError([{ field, message: `Enter ${label} as a real date` }]);
  }
}

export class AmendmentService implements AmendmentUseCases {
  private readonly deps: AmendmentServiceDeps;

  constructor(deps: AmendmentServiceDeps) {
    this.deps = deps;
  }

  private async within<T>(
    actor: Actor,
    conferenceId: string,
    role: Role,
    action: string,
    ctx: RequestContext,
    fn: (scope: Scope) => Promise<T>,
  ): Promise<T> {
    const state: { denial: string | null } = { denial: null };
    try {
      return await withConferenceAccess(
        this.deps.uow,
        actor,
        conferenceId,
        role === 'view' ? 'view' : 'edit',
        action,
        ctx,
        async (repos) => {
          const conference = await repos.meeting.findConference(conferenceId, { lock: role !== 'view' });
          if (!conference) throw new NotFoundError('The conference');
          if (role !== 'view') {
            const allowed =
              role === 'decide'
                ? canApprove(actor, conference.chairUserId, conference.coverChairUserId)
                : canDraft(actor);
            if (!allowed) {
              state.denial = REFUSALS[role].reason;
              // 002 §4.1, W-5: the page names the chair and says how a cover chair is recorded.
              throw role === 'decide'
                ? new NotTheChairError(conferenceId, conference.chairName)
                : new AccessDeniedError(REFUSALS[role].message);
            }
          }
          const { facts } = await loadDocumentFacts(repos, conferenceId, this.deps.council);
          const names = new Map(facts.attendees.map((a) => [a.inviteeId, a.name]));
          return fn({ repos, conference, names });
        },
      );
    } catch (err) {
      if (state.denial !== null) await auditConferenceDenial(this.deps.uow, ctx, action, conferenceId, state.denial);
      throw err;
    }
  }

  private today(): IsoDate {
    return londonDateOf(this.deps.clock.now());
  }

  private view(actor: Actor, scope: Scope, r: AmendmentRequestRecord, letters: Letters): AmendmentRequestView {
    const sectionLabel = (id: string) => DRAFT_SECTIONS[r.kind].find((s) => s.id === id)?.label ?? id;
    return {
      id: r.id,
      conferenceId: r.conferenceId,
      draftId: r.draftId,
      kind: r.kind,
      documentLabel: `${DOCUMENT_KIND_LABELS[r.kind]}, version ${r.issueNumber}`,
      issueNumber: r.issueNumber,
      requesterInviteeId: r.requesterInviteeId,
      requesterName: scope.names.get(r.requesterInviteeId) ?? 'Not on the register',
      channel: r.channel,
      receivedOn: r.receivedOn,
      recordReceivedOn: r.recordReceivedOn,
      dueOn: r.dueOn,
      lateFlag: r.late ? LATE_REQUEST_FLAG : null,
      dueStatus: r.status === 'waiting-for-chair' ? deadlineStatus(this.today(), r.dueOn, this.deps.calendar) : null,
      points: r.points.map((p) => ({ ...p, sectionLabel: sectionLabel(p.sectionId) })),
      status: r.status,
      version: r.version,
      recordedByName: r.recordedByName,
      recordedAt: r.recordedAt,
      decidedByName: r.decidedByName,
      decidedAt: r.decidedAt,
      letter: letters.get(r.id) ?? null,
      can: {
        decide:
          r.status === 'waiting-for-chair' &&
          canApprove(actor, scope.conference.chairUserId, scope.conference.coverChairUserId),
      },
    };
  }

  /** Each issued document's latest issue, with who received it and when their copy was issued. */
  private async amendable(scope: Scope): Promise<AmendableDocument[]> {
    const issued = await scope.repos.documents.listIssued(scope.conference.id);
    const drafts = await scope.repos.documents.listDrafts(scope.conference.id);
    const out: AmendableDocument[] = [];
    for (const draft of drafts) {
      // The chair's answer to a request is not itself open to amendment: a disagreement with it is a complaint (W-7).
      if (draft.kind === 'amendment-decision-letter') continue;
      const copies = issued.filter((i) => i.draftId === draft.id);
      const latest = copies.reduce((max, i) => Math.max(max, i.issueNumber), 0);
      if (latest === 0) continue;
      const recipients = new Map<string, { inviteeId: string; name: string; issuedOn: IsoDate }>();
      for (const c of copies) {
        if (c.issueNumber !== latest || c.recipientInviteeId === null || recipients.has(c.recipientInviteeId)) continue;
        recipients.set(c.recipientInviteeId, {
          inviteeId: c.recipientInviteeId,
          name: c.recipientName,
          issuedOn: londonDateOf(c.issuedAt),
        });
      }
      out.push({
        draftId: draft.id,
        kind: draft.kind,
        label: `${DOCUMENT_KIND_LABELS[draft.kind]}, version ${latest}`,
        issueNumber: latest,
        sections: [...DRAFT_SECTIONS[draft.kind]],
        recipients: [...recipients.values()],
      });
    }
    return out;
  }

  private async requestOf(scope: Scope, requestId: string, lock = false): Promise<AmendmentRequestRecord> {
    const r = isUuid(requestId) ? await scope.repos.amendments.find(requestId.toLowerCase(), { lock }) : null;
    if (!r || r.conferenceId !== scope.conference.id) throw new NotFoundError('The amendment request');
    return r;
  }

  async amendments(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceAmendments> {
    return this.within(actor, conferenceId, 'view', 'amendments.view', ctx, async (scope) => {
      const letters = await lettersOf(scope.repos, conferenceId);
      const requests = (await scope.repos.amendments.list(conferenceId)).map((r) =>
        this.view(actor, scope, r, letters),
      );
      const documents = await this.amendable(scope);
      await auditConference(scope.repos, ctx, 'amendments.view', conferenceId, { requests: requests.length });
      return {
        conferenceId,
        conferenceDate: scope.conference.scheduledDate,
        requests,
        documents,
        can: { record: canDraft(actor) && documents.length > 0 },
      };
    });
  }

  async recordRequest(
    actor: Actor,
    conferenceId: string,
    input: NewAmendmentInput,
    ctx: RequestContext,
  ): Promise<AmendmentRequestView> {
    return this.within(actor, conferenceId, 'record', 'amendments.record', ctx, async (scope) => {
      const documents = await this.amendable(scope);
      const draftId = typeof input.draftId === 'string' ? input.draftId.toLowerCase() : '';
      const document = documents.find((d) => d.draftId === draftId);
      if (!document)
        throw new InvalidDetailsError([
          { field: 'draftId', message: 'Select the issued document the request is about' },
        ]);
      const requesterId = typeof input.requesterInviteeId === 'string' ? input.requesterInviteeId.toLowerCase() : '';
      if (!scope.names.has(requesterId))
        throw new InvalidDetailsError([
          { field: 'requesterInviteeId', message: 'Select who asked, from those invited to the conference' },
        ]);
      const channel = (AMENDMENT_CHANNELS as readonly unknown[]).includes(input.channel)
        ? (input.channel as AmendmentChannel)
        : null;
      if (!channel) throw new InvalidDetailsError([{ field: 'channel', message: 'Select how the request came in' }]);
      const points = checkAmendmentPoints(document.kind, input.points ?? []);
      const today = this.today();
      const receivedOn = dateField(input.receivedOn, 'receivedOn', 'the date the request was received');
      const copy = document.recipients.find((r) => r.inviteeId === requesterId);
      const issuedOn = copy?.issuedOn ?? document.recipients[0]?.issuedOn ?? today;
      const recordReceivedOn =
        input.recordReceivedOn === null || input.recordReceivedOn === undefined || input.recordReceivedOn === ''
          ? issuedOn
          : dateField(input.recordReceivedOn, 'recordReceivedOn', 'the date they received the document');
      if (compareIsoDates(receivedOn, today) > 0)
        throw new InvalidDetailsError([
          { field: 'receivedOn', message: 'The date the request was received must be today or in the past' },
        ]);
      if (compareIsoDates(recordReceivedOn, issuedOn) < 0 || compareIsoDates(recordReceivedOn, receivedOn) > 0)
        throw new InvalidDetailsError([
          {
            field: 'recordReceivedOn',
            message: 'The date they received the document must be between the day it was issued and the day they asked',
          },
        ]);
      const dueOn = amendmentDueDate(recordReceivedOn, this.deps.calendar, this.deps.timescales);
      // The document as issued: the draft's approved snapshot, or, while the next version is being written because
      // of an earlier request about this issue, the copy kept with that request.
      const draft = await scope.repos.documents.findDraft(draftId);
      const earlier = (await scope.repos.amendments.list(conferenceId)).find(
        (a) => a.draftId === draftId && a.issueNumber === document.issueNumber,
      );
      const issuedDocument =
        draft?.status === 'issued' && draft.approvedDocument ? draft.approvedDocument : earlier?.issuedDocument;
      if (!issuedDocument) throw new NotFoundError('The issued document');
      const record = await scope.repos.amendments.insert({
        conferenceId,
        draftId,
        issueNumber: document.issueNumber,
        requesterInviteeId: requesterId,
        channel,
        receivedOn,
        recordReceivedOn,
        dueOn,
        late: isLateRequest(receivedOn, dueOn),
        points: points.map((p) => ({ ...p, decision: null })),
        issuedDocument,
        recordedByUserId: actor.id,
        recordedAt: this.deps.clock.now(),
      });
      await auditConference(scope.repos, ctx, 'amendments.record', conferenceId, {
        requestId: record.id,
        draftId,
        issueNumber: record.issueNumber,
        points: record.points.length,
        dueOn,
        late: record.late,
      });
      return this.view(actor, scope, record, new Map());
    });
  }

  async request(
    actor: Actor,
    conferenceId: string,
    requestId: string,
    ctx: RequestContext,
  ): Promise<AmendmentRequestView> {
    return this.within(actor, conferenceId, 'view', 'amendments.request.view', ctx, async (scope) => {
      const r = await this.requestOf(scope, requestId);
      await auditConference(scope.repos, ctx, 'amendments.request.view', conferenceId, { requestId: r.id });
      return this.view(actor, scope, r, await lettersOf(scope.repos, conferenceId));
    });
  }

  async decide(
    actor: Actor,
    conferenceId: string,
    requestId: string,
    input: { version: number; decisions: Array<Partial<AmendmentPointDecision>> },
    ctx: RequestContext,
  ): Promise<DecisionResult> {
    return this.within(actor, conferenceId, 'decide', 'amendments.decide', ctx, async (scope) => {
      const r = await this.requestOf(scope, requestId, true);
      if (r.status !== 'waiting-for-chair')
        throw new DomainError('AMENDMENT_DECIDED', 'The chair has already decided on this request');
      if (!Number.isSafeInteger(input.version) || input.version !== r.version) throw new StaleRecordError();
      const decisions = checkAmendmentDecisions(r.points.length, input.decisions ?? []);
      const now = this.deps.clock.now();
      let newIssueNumber: number | null = null;
      if (needsNewVersion(decisions)) {
        const draft = await scope.repos.documents.findDraft(r.draftId, { lock: true });
        if (!draft) throw new NotFoundError('The document');
        const latest = (await scope.repos.documents.listIssued(conferenceId))
          .filter((i) => i.draftId === draft.id)
          .reduce((max, i) => Math.max(max, i.issueNumber), 0);
        if (latest !== r.issueNumber)
          throw new DomainError(
            'AMENDMENT_SUPERSEDED',
            `Version ${latest} of this document has been issued since this request: it can no longer be amended from version ${r.issueNumber}`,
          );
        if (draft.status === 'issued') {
          const status = nextDraftStatus(draft.status, { type: 'amend' });
          const updated = await scope.repos.documents.updateDraft(draft.id, draft.version, {
            status,
            approvedDocument: null,
            approvedByUserId: null,
            approvedAt: null,
            submittedAt: null,
            updatedByUserId: actor.id,
            at: now,
          });
          if (!updated) throw new StaleRecordError();
        }
        newIssueNumber = r.issueNumber + 1;
      }
      const decided = await scope.repos.amendments.decide(r.id, input.version, {
        points: r.points.map((p, i) => ({ ...p, decision: decisions[i]! })),
        decidedByUserId: actor.id,
        at: now,
      });
      if (!decided) throw new StaleRecordError();
      // W-5: every point is decided, so the letter giving the requester the decisions is prepared now, in this
      // transaction, for the chair to approve and business support to issue. A late request (T-8) is answered too.
      const letter = await scope.repos.documents.insertDraft({
        conferenceId,
        kind: 'amendment-decision-letter',
        subjectInviteeId: r.requesterInviteeId,
        amendmentRequestId: r.id,
        sections: {},
        createdByUserId: actor.id,
        at: now,
      });
      if (!letter) throw new StaleRecordError();
      await auditConference(scope.repos, ctx, 'amendments.decide', conferenceId, {
        requestId: r.id,
        draftId: r.draftId,
        decisions: decisions.map((d) => d.decision),
        newIssueNumber,
        letterDraftId: letter.id,
      });
      return {
        request: this.view(actor, scope, decided, await lettersOf(scope.repos, conferenceId)),
        newIssueNumber,
      };
    });
  }
}
