/**
 * What the written record's pages and the API read (W-1 … W-4, T-6, T-7, R-6): the documents a conference needs
 * with their states against their due dates, and one draft with its sections, comments, withholding marks,
 * recipients, preview and the recordings to write it from. Built inside the caller's transaction.
 */
import type { Actor } from '../../domain/access/roles.ts';
import {
  type BankHolidayCalendar,
  type TimescaleSettings,
  computeDeadline,
  deadlineStatus,
  londonDateOf,
} from '../../domain/calendar/index.ts';
import {
  type AttendeeFacts,
  type DocumentFacts,
  type NeededDocument,
  DOCUMENT_DEADLINES,
  DOCUMENT_KIND_LABELS,
  DRAFT_SECTIONS,
  FULL_RECORD,
  canApprove,
  canDraft,
  canIssue,
  deriveVariant,
  mayNeedArrangement,
  missingSections,
  neededDocuments,
  withholdableBlocks,
} from '../../domain/documents/index.ts';
import { documentDelivered } from '../../domain/documents/sending.ts';
import { nameRecordings } from '../../domain/recordings/naming.ts';
import { keptOnFileOnly } from '../../domain/settings/council-settings.ts';
import type { MeetingConference } from '../conferences/meeting-ports.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { DraftRecord } from './documents-ports.ts';
import { readCouncilSettings } from '../settings/council-settings-service.ts';
import { documentHtml } from './html.ts';
import { type IssuingDeps, buildFor, nextIssueNumber } from './issuing.ts';
import { sendingProgressOf } from './sending-progress.ts';
import type {
  AcceptedAmendment,
  ConferenceDocuments,
  DocumentSummary,
  DraftFamilyMember,
  DraftRecording,
  DraftView,
} from './use-cases.ts';

/** The documents the conference needs (002 §3.2, §3.5, §3.10): from its status, decisions and exclusions. */
export function documentsNeeded(facts: DocumentFacts): NeededDocument[] {
  return neededDocuments({
    status: facts.conference.status,
    outcomes: facts.decisions.map((d) => d.outcome),
    excludedInviteeIds: facts.attendees.filter((a) => a.exclusion !== null).map((a) => a.inviteeId),
  });
}

/** "Decision letter", "Reasons for exclusion from the conference: Jane Smith". */
export function documentLabel(
  doc: { kind: NeededDocument['kind']; subjectInviteeId: string | null },
  attendees: readonly AttendeeFacts[],
): string {
  const base = DOCUMENT_KIND_LABELS[doc.kind];
  if (!doc.subjectInviteeId) return base;
  const who = attendees.find((a) => a.inviteeId === doc.subjectInviteeId);
  return who ? `${base}: ${who.name}` : base;
}

/** W-4: what a person's record says they may need, in a few words; null when nothing is recorded. */
export function needsOf(a: AttendeeFacts): string | null {
  if (!mayNeedArrangement(a)) return null;
  const parts: string[] = [];
  const language = a.language?.trim();
  if (language && language.toLowerCase() !== 'english') parts.push(`First language: ${language}`);
  if (a.interpreterLanguage) parts.push(`Interpreter needed (${a.interpreterLanguage})`);
  if (a.accessibilityNeeds) parts.push(`Access needs: ${a.accessibilityNeeds}`);
  return parts.join('. ') || null;
}

export interface ViewDeps extends Pick<IssuingDeps, 'wording'> {
  calendar: BankHolidayCalendar;
  timescales: TimescaleSettings;
  now: Date;
}

export async function conferenceDocumentsView(
  deps: ViewDeps,
  repos: Repositories,
  actor: Actor,
  conference: MeetingConference,
  facts: DocumentFacts,
): Promise<ConferenceDocuments> {
  const drafts = await repos.documents.listDrafts(conference.id);
  const issued = (await repos.documents.listIssued(conference.id)).sort(
    (a, b) => b.issuedAt.getTime() - a.issuedAt.getTime() || a.id.localeCompare(b.id),
  );
  const tasks = (await repos.documents.listTasks(conference.id)).sort(
    (a, b) =>
      Number(a.doneAt !== null) - Number(b.doneAt !== null) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.id.localeCompare(b.id),
  );
  const today = londonDateOf(deps.now);
  const needed = documentsNeeded(facts);
  // A draft the conference no longer needs (its decisions changed) still shows, so nothing started is hidden.
  const all: Array<NeededDocument & { draft: DraftRecord | null }> = needed.map((n) => ({
    ...n,
    draft: drafts.find((d) => d.kind === n.kind && d.subjectInviteeId === n.subjectInviteeId) ?? null,
  }));
  for (const d of drafts)
    if (!all.some((n) => n.draft?.id === d.id))
      all.push({ kind: d.kind, subjectInviteeId: d.subjectInviteeId, draft: d });

  // T-6, T-7: a document's date is met once every recipient of its latest issue has been sent their copy.
  const sendingOf = await sendingProgressOf(repos, conference.id);
  const documents: DocumentSummary[] = [];
  for (const n of all) {
    const draft = n.draft;
    const firstIssue = draft
      ? issued
          .filter((i) => i.draftId === draft.id)
          .reduce<Date | null>((first, i) => (first && first <= i.issuedAt ? first : i.issuedAt), null)
      : null;
    const sending = draft && draft.status === 'issued' ? (sendingOf.get(draft.id) ?? null) : null;
    const rule = DOCUMENT_DEADLINES[n.kind];
    const due = rule ? computeDeadline(rule, conference.scheduledDate, deps.calendar, deps.timescales).due : null;
    const openComments = draft
      ? (await repos.documents.listComments(draft.id)).filter((c) => c.resolvedAt === null).length
      : 0;
    documents.push({
      kind: n.kind,
      label: documentLabel(n, facts.attendees),
      subjectInviteeId: n.subjectInviteeId,
      draftId: draft?.id ?? null,
      state: draft?.status ?? 'not-started',
      due:
        rule && due
          ? {
              date: due,
              rule,
              status: documentDelivered(draft?.status === 'issued', sending)
                ? 'met'
                : deadlineStatus(today, due, deps.calendar),
            }
          : null,
      openComments,
      issuedAt: firstIssue,
      sending,
    });
  }
  return {
    conferenceId: conference.id,
    conferenceDate: conference.scheduledDate,
    conferenceTypeLabel: facts.conference.typeLabel,
    children: facts.children.map((c) => ({ id: c.id, name: c.name })),
    documents,
    issued,
    tasks,
    can: {
      draft: canDraft(actor),
      approve: canApprove(actor, conference.chairUserId, conference.coverChairUserId),
      issue: canIssue(actor),
    },
  };
}

async function draftRecordings(repos: Repositories, conference: MeetingConference): Promise<DraftRecording[]> {
  const rows = await repos.recordings.listForConference(conference.id);
  const names = nameRecordings(conference, await repos.meeting.listParts(conference.id), rows);
  const kept = rows
    .filter((r) => r.status === 'stored')
    .sort((a, b) =>
      a.kind === b.kind ? a.startedAt.getTime() - b.startedAt.getTime() : a.kind === 'dictation' ? -1 : 1,
    );
  const out: DraftRecording[] = [];
  for (const r of kept) {
    const bookmarks = (await repos.recordings.listBookmarks(r.id))
      .sort((a, b) => a.atMs - b.atMs)
      .map((b) => ({ atSeconds: Math.floor(b.atMs / 1000), label: b.label }));
    out.push({
      id: r.id,
      name: names.get(r.id)!,
      kind: r.kind,
      durationSeconds: r.durationMs === null ? null : Math.round(r.durationMs / 1000),
      bookmarks,
    });
  }
  return out;
}

/** W-5: the points the chair accepted on the issue before the one being written, by section. */
async function acceptedAmendments(
  repos: Repositories,
  draft: DraftRecord,
  facts: DocumentFacts,
): Promise<Array<AcceptedAmendment & { sectionId: string }>> {
  const next = await nextIssueNumber(repos, draft);
  if (next < 2) return [];
  return (await repos.amendments.decidedFor(draft.id, next - 1)).flatMap((r) => {
    const requesterName = facts.attendees.find((a) => a.inviteeId === r.requesterInviteeId)?.name ?? 'A recipient';
    return r.points.flatMap((p) =>
      p.decision && p.decision.decision !== 'not-accepted'
        ? [
            {
              requestId: r.id,
              requesterName,
              sectionId: p.sectionId,
              originalText: p.originalText,
              requestedChange: p.requestedChange,
              decision: p.decision.decision,
              reasons: p.decision.reasons,
            },
          ]
        : [],
    );
  });
}

export async function draftView(
  deps: ViewDeps,
  repos: Repositories,
  actor: Actor,
  conference: MeetingConference,
  facts: DocumentFacts,
  draft: DraftRecord,
): Promise<DraftView> {
  const comments = await repos.documents.listComments(draft.id);
  const preview =
    draft.approvedDocument ?? (await buildFor(deps, repos, draft, facts, await nextIssueNumber(repos, draft)));
  const full = deriveVariant(preview, FULL_RECORD);
  const familyMembers: DraftFamilyMember[] = facts.attendees
    .filter((a) => a.kind === 'family-member' || a.kind === 'child')
    .map((a) => ({
      inviteeId: a.inviteeId,
      name: a.name,
      kind: a.kind as DraftFamilyMember['kind'],
      needs: needsOf(a),
    }));
  const drafter = canDraft(actor);
  const chair = canApprove(actor, conference.chairUserId, conference.coverChairUserId);
  const open = draft.status === 'drafting' || draft.status === 'waiting-for-chair';
  const accepted = open ? await acceptedAmendments(repos, draft, facts) : [];
  return {
    id: draft.id,
    conferenceId: draft.conferenceId,
    kind: draft.kind,
    label: documentLabel(draft, facts.attendees),
    subjectInviteeId: draft.subjectInviteeId,
    amendmentRequestId: draft.amendmentRequestId,
    status: draft.status,
    version: draft.version,
    sections: DRAFT_SECTIONS[draft.kind].map((s) => ({
      ...s,
      text: draft.sections[s.id] ?? '',
      comments: comments.filter((c) => c.sectionId === s.id),
      accepted: accepted.filter((a) => a.sectionId === s.id).map(({ sectionId: _, ...a }) => a),
    })),
    withholdable: withholdableBlocks(preview),
    withholdings: draft.withholdings,
    familyMembers,
    childRecipientInviteeIds: draft.childRecipientInviteeIds,
    arrangements: draft.arrangements,
    keptOnFileOnly: keptOnFileOnly(draft.kind, await readCouncilSettings(repos)),
    preview,
    previewHtml: documentHtml(full.document, full.marking),
    recordings: await draftRecordings(repos, conference),
    updatedAt: draft.updatedAt,
    updatedByName: draft.updatedByName,
    approvedAt: draft.approvedAt,
    approvedByName: draft.approvedByName,
    missing: missingSections(draft.kind, draft.sections).map((s) => s.id),
    can: {
      edit: drafter && open,
      submit: drafter && draft.status === 'drafting',
      approve: chair && open,
      requestChanges: chair && draft.status === 'waiting-for-chair',
      reopen: chair && draft.status === 'approved',
      issue: canIssue(actor) && draft.status === 'approved',
      comment: chair && draft.status !== 'issued',
    },
  };
}
