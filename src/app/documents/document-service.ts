/**
 * The written record's use cases (W-1 … W-4, T-6, T-7, R-6): the minute taker drafts each document the
 * conference needs from what the meeting recorded, the chair comments, asks for changes and approves, and an
 * approved document is issued as fixed copies per recipient. Every call checks the caller may see (or change)
 * every child in the conference with `withConferenceAccess`, then the role the step needs (drafting.ts), and
 * audits the view, the change or the denial in the same unit of work.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { NotTheChairError } from '../../domain/conferences/chair-cover.ts';
import type { BankHolidayCalendar, TimescaleSettings } from '../../domain/calendar/index.ts';
import {
  type CouncilDetails,
  type DocumentFacts,
  type DocumentKind,
  type RecipientArrangement,
  type Withholding,
  DOCUMENT_KINDS,
  DRAFT_SECTIONS,
  canApprove,
  canDraft,
  canIssue,
  missingSections,
  nextDraftStatus,
  withholdableBlocks,
} from '../../domain/documents/index.ts';
import {
  AccessDeniedError,
  DomainError,
  InvalidDetailsError,
  NotFoundError,
  StaleRecordError,
} from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { auditConference, auditConferenceDenial, withConferenceAccess } from '../conferences/conference-access.ts';
import type { MeetingConference } from '../conferences/meeting-ports.ts';
import { isUuid } from '../conferences/service-deps.ts';
import type { RecordingCipher } from '../recordings/ports.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import { checkComment, checkRecipients, checkSections, checkTaskNote, checkWithholdings } from './draft-checks.ts';
import type { CommentRecord, DraftChange, DraftRecord } from './documents-ports.ts';
import { loadDocumentFacts } from './facts-loader.ts';
import { distributionView, recordNoInvolvement, recordOverride } from './distribution.ts';
import { CopyIntegrityError, buildFor, copyFileName, issueWithin, nextIssueNumber, readCopy } from './issuing.ts';
import type { DocumentRenderer, LetterWordingSource } from './ports.ts';
import type {
  ConferenceDocuments,
  DistributionView,
  DocumentUseCases,
  DownloadedCopy,
  DraftView,
  IssueResult,
  SavedDraft,
} from './use-cases.ts';
import { conferenceDocumentsView, documentsNeeded, draftView } from './views.ts';

export interface DocumentServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  calendar: BankHolidayCalendar;
  timescales: TimescaleSettings;
  /** Where issued copies are kept, encrypted. */
  blobs: BlobStore;
  /** The recordings' cipher: issued copies are encrypted at rest as recordings are. */
  cipher: RecordingCipher;
  /** The tagged PDF. */
  pdf: DocumentRenderer;
  /** The standalone accessible HTML page. */
  html: DocumentRenderer;
  wording: LetterWordingSource;
  council: CouncilDetails;
}

/** The role a step needs beyond access to the children: view only, draft, approve (the chair), or issue. */
type DocumentRole = 'view' | 'draft' | 'approve' | 'issue';

const ROLE_REFUSALS: Record<Exclude<DocumentRole, 'view'>, { reason: string; message: string }> = {
  draft: {
    reason: 'not business support or a chair',
    message: 'Only business support or a chair can write the record',
  },
  approve: { reason: 'not the conference chair', message: 'Only the conference chair can do this' },
  issue: { reason: 'not business support or a chair', message: 'Only business support or a chair can issue documents' },
};

/**
 * W-7: what an open complaint's investigator may see of the written record without access to the conference's
 * children: the list of documents and the issued copies. Never a draft or a change.
 */
const INVESTIGATOR_ACTIONS: ReadonlySet<string> = new Set(['documents.view', 'documents.copy.download']);

interface Scope {
  repos: Repositories;
  conference: MeetingConference;
  childIds: string[];
}

function saved(d: DraftRecord): SavedDraft {
  return { id: d.id, version: d.version, status: d.status, updatedAt: d.updatedAt };
}

function isKind(value: unknown): value is DocumentKind {
  return typeof value === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(value);
}

export class DocumentService implements DocumentUseCases {
  private readonly deps: DocumentServiceDeps;

  constructor(deps: DocumentServiceDeps) {
    this.deps = deps;
  }

  /**
   * Runs `fn` in one unit of work once the caller may see (view) or change (every other role) every child in
   * the conference, and has the role the step needs; a refused role is audited as a denial, as a refused child is.
   */
  private async within<T>(
    actor: Actor,
    conferenceId: string,
    role: DocumentRole,
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
        async (repos, childIds) => {
          const conference = await repos.meeting.findConference(conferenceId, { lock: role !== 'view' });
          if (!conference) throw new NotFoundError('The conference');
          if (role !== 'view') {
            const allowed =
              role === 'approve'
                ? canApprove(actor, conference.chairUserId, conference.coverChairUserId)
                : role === 'draft'
                  ? canDraft(actor)
                  : canIssue(actor);
            if (!allowed) {
              state.denial = ROLE_REFUSALS[role].reason;
              // 002 §4.1, W-5: the page names the chair and says how a cover chair is recorded.
              throw role === 'approve'
                ? new NotTheChairError(conferenceId, conference.chairName)
                : new AccessDeniedError(ROLE_REFUSALS[role].message);
            }
          }
          return fn({ repos, conference, childIds });
        },
        { investigatorMayView: role === 'view' && INVESTIGATOR_ACTIONS.has(action) },
      );
    } catch (err) {
      if (state.denial !== null) await auditConferenceDenial(this.deps.uow, ctx, action, conferenceId, state.denial);
      throw err;
    }
  }

  private facts(repos: Repositories, conferenceId: string): Promise<DocumentFacts> {
    return loadDocumentFacts(repos, conferenceId, this.deps.council).then((l) => l.facts);
  }

  /** The draft, when it is one of this conference's; NotFoundError otherwise. */
  private async draftOf(
    repos: Repositories,
    conferenceId: string,
    draftId: string,
    lock = false,
  ): Promise<DraftRecord> {
    const draft = isUuid(draftId) ? await repos.documents.findDraft(draftId.toLowerCase(), { lock }) : null;
    if (!draft || draft.conferenceId !== conferenceId) throw new NotFoundError('The document');
    return draft;
  }

  /** StaleRecordError when the form was based on an earlier version than the draft's. */
  private assertVersion(draft: DraftRecord, version: number): void {
    if (!Number.isSafeInteger(version) || draft.version !== version) throw new StaleRecordError();
  }

  /** Saves the change at the expected version; StaleRecordError when someone else saved first. */
  private async update(
    repos: Repositories,
    draft: DraftRecord,
    version: number,
    change: Omit<DraftChange, 'updatedByUserId' | 'at'>,
    actor: Actor,
  ): Promise<DraftRecord> {
    const updated = await repos.documents.updateDraft(draft.id, version, {
      ...change,
      updatedByUserId: actor.id,
      at: this.deps.clock.now(),
    });
    if (!updated) throw new StaleRecordError();
    return updated;
  }

  /** The required sections still empty, as an error listing each one by its section id. */
  private assertComplete(draft: DraftRecord): void {
    const missing = missingSections(draft.kind, draft.sections);
    if (missing.length)
      throw new InvalidDetailsError(missing.map((s) => ({ field: s.id, message: `Write ${lowerFirst(s.label)}` })));
  }

  async conferenceDocuments(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceDocuments> {
    return this.within(actor, conferenceId, 'view', 'documents.view', ctx, async ({ repos, conference }) => {
      const facts = await this.facts(repos, conferenceId);
      const view = await conferenceDocumentsView(this.viewDeps(), repos, actor, conference, facts);
      await auditConference(repos, ctx, 'documents.view', conferenceId, {
        documents: view.documents.length,
        issued: view.issued.length,
      });
      return view;
    });
  }

  async startDraft(
    actor: Actor,
    conferenceId: string,
    input: { kind: DocumentKind; subjectInviteeId: string | null },
    ctx: RequestContext,
  ): Promise<SavedDraft> {
    return this.within(actor, conferenceId, 'draft', 'documents.draft.start', ctx, async ({ repos }) => {
      const facts = await this.facts(repos, conferenceId);
      const subject = typeof input.subjectInviteeId === 'string' ? input.subjectInviteeId.toLowerCase() : null;
      const needed =
        isKind(input.kind) &&
        documentsNeeded(facts).some((n) => n.kind === input.kind && n.subjectInviteeId === subject);
      if (!needed) throw new DomainError('DOCUMENT_NOT_NEEDED', 'This conference does not need that document');
      const existing = (await repos.documents.listDrafts(conferenceId)).find(
        (d) => d.kind === input.kind && d.subjectInviteeId === subject,
      );
      if (existing) return saved(existing);
      const sections: Record<string, string> = {};
      if (input.kind === 'exclusion-letter') {
        const reason = facts.attendees.find((a) => a.inviteeId === subject)?.exclusion?.reason.trim();
        if (reason) sections['exclusion-explanation'] = reason;
      }
      const draft =
        (await repos.documents.insertDraft({
          conferenceId,
          kind: input.kind,
          subjectInviteeId: subject,
          sections,
          createdByUserId: actor.id,
          at: this.deps.clock.now(),
        })) ??
        (await repos.documents.listDrafts(conferenceId)).find(
          (d) => d.kind === input.kind && d.subjectInviteeId === subject,
        );
      if (!draft) throw new StaleRecordError();
      await auditConference(repos, ctx, 'documents.draft.start', conferenceId, {
        draftId: draft.id,
        kind: draft.kind,
      });
      return saved(draft);
    });
  }

  async draft(actor: Actor, conferenceId: string, draftId: string, ctx: RequestContext): Promise<DraftView> {
    return this.within(actor, conferenceId, 'view', 'documents.draft.view', ctx, async ({ repos, conference }) => {
      const draft = await this.draftOf(repos, conferenceId, draftId);
      const facts = await this.facts(repos, conferenceId);
      const view = await draftView(this.viewDeps(), repos, actor, conference, facts, draft);
      await auditConference(repos, ctx, 'documents.draft.view', conferenceId, { draftId: draft.id, kind: draft.kind });
      return view;
    });
  }

  async saveSections(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number; sections: Record<string, string> },
    ctx: RequestContext,
  ): Promise<SavedDraft> {
    return this.within(actor, conferenceId, 'draft', 'documents.draft.save', ctx, async ({ repos }) => {
      const draft = await this.draftOf(repos, conferenceId, draftId, true);
      const sections = checkSections(draft.kind, input.sections ?? {});
      this.assertVersion(draft, input.version);
      nextDraftStatus(draft.status, { type: 'edit' });
      const updated = await this.update(
        repos,
        draft,
        input.version,
        { sections: { ...draft.sections, ...sections } },
        actor,
      );
      await auditConference(repos, ctx, 'documents.draft.save', conferenceId, {
        draftId: draft.id,
        sections: Object.keys(sections),
        version: updated.version,
      });
      return saved(updated);
    });
  }

  async setWithholding(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number; blockId: string; withholdings: Withholding[] },
    ctx: RequestContext,
  ): Promise<SavedDraft> {
    return this.within(actor, conferenceId, 'draft', 'documents.draft.withhold', ctx, async ({ repos }) => {
      const draft = await this.draftOf(repos, conferenceId, draftId, true);
      this.assertVersion(draft, input.version);
      nextDraftStatus(draft.status, { type: 'edit' });
      const facts = await this.facts(repos, conferenceId);
      const document = await buildFor(this.deps, repos, draft, facts, await nextIssueNumber(repos, draft));
      if (!withholdableBlocks(document).some((b) => b.id === input.blockId))
        throw new InvalidDetailsError([{ field: 'blockId', message: 'Select a part of the document' }]);
      const marks = checkWithholdings(input.withholdings, facts.attendees);
      const withholdings = { ...draft.withholdings };
      if (marks.length) withholdings[input.blockId] = marks;
      else delete withholdings[input.blockId];
      const updated = await this.update(repos, draft, input.version, { withholdings }, actor);
      await auditConference(repos, ctx, 'documents.draft.withhold', conferenceId, {
        draftId: draft.id,
        blockId: input.blockId,
        marks: marks.map((m) => ({ from: m.from.kind, reason: m.reason })),
      });
      return saved(updated);
    });
  }

  async setRecipients(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number; childRecipientInviteeIds: string[]; arrangements: RecipientArrangement[] },
    ctx: RequestContext,
  ): Promise<SavedDraft> {
    return this.within(actor, conferenceId, 'draft', 'documents.draft.recipients', ctx, async ({ repos }) => {
      const draft = await this.draftOf(repos, conferenceId, draftId, true);
      this.assertVersion(draft, input.version);
      nextDraftStatus(draft.status, { type: 'edit' });
      const facts = await this.facts(repos, conferenceId);
      const checked = checkRecipients(input, facts.attendees, draft.kind, draft.subjectInviteeId);
      const updated = await this.update(repos, draft, input.version, checked, actor);
      await auditConference(repos, ctx, 'documents.draft.recipients', conferenceId, {
        draftId: draft.id,
        childRecipients: checked.childRecipientInviteeIds.length,
        arrangements: checked.arrangements.map((a) => a.kinds),
      });
      return saved(updated);
    });
  }

  async submitForApproval(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number },
    ctx: RequestContext,
  ): Promise<SavedDraft> {
    return this.within(actor, conferenceId, 'draft', 'documents.draft.submit', ctx, async ({ repos }) => {
      const draft = await this.draftOf(repos, conferenceId, draftId, true);
      this.assertVersion(draft, input.version);
      const status = nextDraftStatus(draft.status, { type: 'submit' });
      this.assertComplete(draft);
      const updated = await this.update(
        repos,
        draft,
        input.version,
        { status, submittedAt: this.deps.clock.now() },
        actor,
      );
      await auditConference(repos, ctx, 'documents.draft.submit', conferenceId, { draftId: draft.id });
      return saved(updated);
    });
  }

  async comment(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { sectionId: string; body: string },
    ctx: RequestContext,
  ): Promise<CommentRecord> {
    return this.within(actor, conferenceId, 'approve', 'documents.draft.comment', ctx, async ({ repos }) => {
      const draft = await this.draftOf(repos, conferenceId, draftId);
      if (draft.status === 'issued')
        throw new DomainError('DRAFT_STATE', 'This document has been issued: it can no longer be commented on');
      const body = checkComment(input.body);
      if (!DRAFT_SECTIONS[draft.kind].some((s) => s.id === input.sectionId))
        throw new InvalidDetailsError([{ field: 'sectionId', message: 'Select a section of the document' }]);
      const comment = await repos.documents.insertComment({
        draftId: draft.id,
        sectionId: input.sectionId,
        body,
        authorUserId: actor.id,
        at: this.deps.clock.now(),
      });
      await auditConference(repos, ctx, 'documents.draft.comment', conferenceId, {
        draftId: draft.id,
        commentId: comment.id,
        sectionId: input.sectionId,
      });
      return comment;
    });
  }

  async resolveComment(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    commentId: string,
    ctx: RequestContext,
  ): Promise<void> {
    await this.within(actor, conferenceId, 'draft', 'documents.draft.comment.resolve', ctx, async ({ repos }) => {
      const draft = await this.draftOf(repos, conferenceId, draftId);
      const resolved =
        isUuid(commentId) &&
        (await repos.documents.resolveComment(draft.id, commentId.toLowerCase(), {
          userId: actor.id,
          at: this.deps.clock.now(),
        }));
      if (!resolved) throw new NotFoundError('The comment');
      await auditConference(repos, ctx, 'documents.draft.comment.resolve', conferenceId, {
        draftId: draft.id,
        commentId: commentId.toLowerCase(),
      });
    });
  }

  async requestChanges(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number },
    ctx: RequestContext,
  ): Promise<SavedDraft> {
    return this.within(actor, conferenceId, 'approve', 'documents.draft.request-changes', ctx, async ({ repos }) => {
      const draft = await this.draftOf(repos, conferenceId, draftId, true);
      this.assertVersion(draft, input.version);
      const status = nextDraftStatus(draft.status, { type: 'request-changes' });
      const updated = await this.update(repos, draft, input.version, { status }, actor);
      const open = (await repos.documents.listComments(draft.id)).filter((c) => c.resolvedAt === null).length;
      await auditConference(repos, ctx, 'documents.draft.request-changes', conferenceId, {
        draftId: draft.id,
        openComments: open,
      });
      return saved(updated);
    });
  }

  async approve(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number },
    ctx: RequestContext,
  ): Promise<SavedDraft> {
    return this.within(actor, conferenceId, 'approve', 'documents.draft.approve', ctx, async ({ repos }) => {
      const draft = await this.draftOf(repos, conferenceId, draftId, true);
      this.assertVersion(draft, input.version);
      const status = nextDraftStatus(draft.status, { type: 'approve' });
      this.assertComplete(draft);
      const facts = await this.facts(repos, conferenceId);
      const issueNumber = await nextIssueNumber(repos, draft);
      const approvedDocument = await buildFor(this.deps, repos, draft, facts, issueNumber);
      const updated = await this.update(
        repos,
        draft,
        input.version,
        { status, approvedDocument, approvedByUserId: actor.id, approvedAt: this.deps.clock.now() },
        actor,
      );
      await auditConference(repos, ctx, 'documents.draft.approve', conferenceId, {
        draftId: draft.id,
        kind: draft.kind,
        issueNumber,
      });
      return saved(updated);
    });
  }

  async reopen(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number },
    ctx: RequestContext,
  ): Promise<SavedDraft> {
    return this.within(actor, conferenceId, 'approve', 'documents.draft.reopen', ctx, async ({ repos }) => {
      const draft = await this.draftOf(repos, conferenceId, draftId, true);
      this.assertVersion(draft, input.version);
      const status = nextDraftStatus(draft.status, { type: 'reopen' });
      const updated = await this.update(
        repos,
        draft,
        input.version,
        { status, approvedDocument: null, approvedByUserId: null, approvedAt: null },
        actor,
      );
      await auditConference(repos, ctx, 'documents.draft.reopen', conferenceId, { draftId: draft.id });
      return saved(updated);
    });
  }

  async issue(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { version: number },
    ctx: RequestContext,
  ): Promise<IssueResult> {
    // Copies are stored before the transaction commits; if it does not, nothing refers to them and they go.
    const written: string[] = [];
    try {
      return await this.within(actor, conferenceId, 'issue', 'documents.issue', ctx, async ({ repos, childIds }) => {
        const draft = await this.draftOf(repos, conferenceId, draftId, true);
        this.assertVersion(draft, input.version);
        const facts = await this.facts(repos, conferenceId);
        const result = await issueWithin(
          this.deps,
          repos,
          { actor, ctx, draft, expectedVersion: input.version, facts, childIds },
          written,
        );
        await auditConference(repos, ctx, 'documents.issue', conferenceId, {
          draftId: draft.id,
          kind: draft.kind,
          issueNumber: result.issueNumber,
          copies: result.rows.map((r) => ({
            issuedId: r.id,
            copyKind: r.copyKind,
            format: r.format,
            largePrint: r.largePrint,
            sha256: r.sha256,
            leftOut: r.leftOut.map((l) => l.blockId),
          })),
          tasks: result.tasks.length,
        });
        const ids = new Set(result.rows.map((r) => r.id));
        return {
          issueNumber: result.issueNumber,
          copies: (await repos.documents.listIssued(conferenceId)).filter((i) => ids.has(i.id)),
          tasks: (await repos.documents.listTasks(conferenceId)).filter((t) => t.draftId === draft.id),
        };
      });
    } catch (err) {
      for (const key of written) await this.deps.blobs.delete(key).catch(() => undefined);
      throw err;
    }
  }

  async download(actor: Actor, conferenceId: string, issuedId: string, ctx: RequestContext): Promise<DownloadedCopy> {
    const state: { integrity: { issuedId: string; reason: string } | null } = { integrity: null };
    try {
      return await this.within(
        actor,
        conferenceId,
        'view',
        'documents.copy.download',
        ctx,
        async ({ repos, conference }) => {
          const record = isUuid(issuedId) ? await repos.documents.findIssued(issuedId.toLowerCase()) : null;
          if (!record || record.conferenceId !== conferenceId) throw new NotFoundError('The issued copy');
          let bytes: Uint8Array;
          try {
            bytes = await readCopy(this.deps, record);
          } catch (err) {
            if (err instanceof CopyIntegrityError) state.integrity = { issuedId: record.id, reason: err.reason };
            throw err;
          }
          const renderer = record.format === 'pdf' ? this.deps.pdf : this.deps.html;
          const siblings = await repos.documents.listIssued(conferenceId);
          await auditConference(repos, ctx, 'documents.copy.download', conferenceId, {
            issuedId: record.id,
            draftId: record.draftId,
            copyKind: record.copyKind,
            format: record.format,
            sha256: record.sha256,
          });
          // W-4: the recipient's own download of a copy emailed to them is the proof it reached them.
          if (record.recipientInviteeId)
            await repos.documentSendings.markDownloaded({
              draftId: record.draftId,
              issueNumber: record.issueNumber,
              recipientInviteeId: record.recipientInviteeId,
              userId: actor.id,
              at: this.deps.clock.now(),
            });
          return {
            record,
            bytes,
            fileName: copyFileName(record, conference.scheduledDate, siblings, renderer.extension),
          };
        },
      );
    } catch (err) {
      if (state.integrity) {
        const details = state.integrity;
        await this.deps.uow.run((repos) =>
          repos.audit.record({
            action: 'documents.copy.download',
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            subject: { type: 'conference', id: conferenceId },
            outcome: 'failure',
            details: { issuedId: details.issuedId, integrity: details.reason },
          }),
        );
      }
      throw err;
    }
  }

  async completeTask(
    actor: Actor,
    conferenceId: string,
    taskId: string,
    input: { note: string | null },
    ctx: RequestContext,
  ): Promise<void> {
    await this.within(actor, conferenceId, 'issue', 'documents.task.complete', ctx, async ({ repos }) => {
      const note = checkTaskNote(input.note);
      const done =
        isUuid(taskId) &&
        (await repos.documents.completeTask(conferenceId, taskId.toLowerCase(), {
          userId: actor.id,
          at: this.deps.clock.now(),
          note,
        }));
      if (!done) throw new NotFoundError('The task');
      await auditConference(repos, ctx, 'documents.task.complete', conferenceId, {
        taskId: taskId.toLowerCase(),
        noted: note !== null,
      });
    });
  }

  async distribution(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    ctx: RequestContext,
  ): Promise<DistributionView> {
    return this.within(actor, conferenceId, 'view', 'documents.distribution.view', ctx, async ({ repos }) => {
      const draft = await this.draftOf(repos, conferenceId, draftId);
      const facts = await this.facts(repos, conferenceId);
      const view = await distributionView(repos, draft, facts, canDraft(actor));
      await auditConference(repos, ctx, 'documents.distribution.view', conferenceId, {
        draftId: draft.id,
        included: view.entries.filter((e) => e.included).length,
      });
      return view;
    });
  }

  async changeDistribution(
    actor: Actor,
    conferenceId: string,
    draftId: string,
    input: { inviteeId: string; action: 'add' | 'remove'; reason: string },
    ctx: RequestContext,
  ): Promise<DistributionView> {
    return this.within(actor, conferenceId, 'draft', 'documents.distribution.change', ctx, async ({ repos }) => {
      const draft = await this.draftOf(repos, conferenceId, draftId, true);
      const facts = await this.facts(repos, conferenceId);
      const change = await recordOverride(repos, actor, this.deps.clock.now(), draft, facts, input);
      // The reason is the person's own words about a family: kept with the change, never copied into the audit.
      await auditConference(repos, ctx, 'documents.distribution.change', conferenceId, {
        draftId: draft.id,
        ...change,
      });
      return distributionView(repos, draft, facts, true);
    });
  }

  async recordNoInvolvement(
    actor: Actor,
    conferenceId: string,
    inviteeId: string,
    input: { saidOn: string | null; note: string | null },
    ctx: RequestContext,
  ): Promise<void> {
    await this.within(actor, conferenceId, 'draft', 'documents.distribution.no-involvement', ctx, async ({ repos }) => {
      const result = await recordNoInvolvement(repos, actor, this.deps.clock.now(), conferenceId, inviteeId, input);
      await auditConference(repos, ctx, 'documents.distribution.no-involvement', conferenceId, {
        inviteeId: inviteeId.toLowerCase(),
        ...result,
        ...(result.recorded ? { saidOn: input.saidOn } : {}),
      });
    });
  }

  private viewDeps() {
    return {
      wording: this.deps.wording,
      calendar: this.deps.calendar,
      timescales: this.deps.timescales,
      now: this.deps.clock.now(),
    };
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
