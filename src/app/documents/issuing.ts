/**
 * Building and issuing the written record (W-1 … W-4). The document as a whole (the full record, addressed to
 * nobody) is what the chair approves; issuing builds it again and refuses when the conference's record has
 * changed since, then makes one fixed copy per recipient on its distribution list (W-4) in each format: the recipient's variant (their
 * withholdings applied, W-3), large print where arranged (W-4), rendered with the issue time written in, its
 * SHA-256 kept, the bytes encrypted in the blob store under a binding to the copy's id. One task per arrangement
 * stays on the dashboard until done (W-4).
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import { type IsoDate, formatLongDate, londonDateOf } from '../../domain/calendar/index.ts';
import {
  type AcceptedPoint,
  type DocumentFacts,
  type DocumentRecipient,
  type RecipientArrangement,
  type WrittenDocument,
  DOCUMENT_KIND_LABELS,
  arrangementSentences,
  buildDocument,
  changesSection,
  compareVersions,
  deriveVariant,
  isLetter,
  markingLines,
  nextDraftStatus,
  withChangesSection,
} from '../../domain/documents/index.ts';
import { ConflictError, DomainError, StaleRecordError } from '../../domain/shared/errors.ts';
import { keptOnFileOnly } from '../../domain/settings/council-settings.ts';
import type { Actor } from '../../domain/access/roles.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { recordCaseNote } from '../people/people-service.ts';
import { readCouncilSettings } from '../settings/council-settings-service.ts';
import type { RecordingCipher } from '../recordings/ports.ts';
import type { Clock, Repositories } from '../unit-of-work.ts';
import type { DraftRecord, IssuedRecord, NewArrangementTask, NewIssued } from './documents-ports.ts';
import { distributionFor } from './distribution.ts';
import { loadAmendmentLetterFacts, namesList } from './facts-loader.ts';
import type { DocumentRenderer, LetterValues, LetterWordingSource } from './ports.ts';

/** The kind of case note written on each child's record when a document is issued. */
export const DOCUMENT_ISSUED_NOTE_KIND = 'document-issued';

/** Who the document as a whole is for, where a letter's wording names its reader. */
export const GENERIC_RECIPIENT_NAME = 'each person invited to or attending the conference';

export interface IssuingDeps {
  clock: Clock;
  blobs: BlobStore;
  cipher: RecordingCipher;
  pdf: DocumentRenderer;
  html: DocumentRenderer;
  wording: LetterWordingSource;
}

/** The cipher binding of an issued copy's bytes: they decrypt only as that copy. */
export function copyBinding(issuedId: string): string {
  return `document:${issuedId}`;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** JSON with object keys sorted, so a document read back from the database compares equal to one just built. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** The values a letter's wording is filled with, for one reader. */
export function letterValues(facts: DocumentFacts, recipientName: string): LetterValues {
  return {
    recipientName,
    childNames: namesList(facts.children.map((c) => c.name)),
    conferenceDate: formatLongDate(facts.conference.scheduledDate),
    conferenceType: facts.conference.typeLabel.toLowerCase(),
    chairName: facts.conference.chairName ?? 'the chair',
    councilName: facts.council.name,
    councilContact: facts.council.contact,
  };
}

/** The issue number the draft's next issue takes: 1 for the first. */
export async function nextIssueNumber(repos: Repositories, draft: DraftRecord): Promise<number> {
  const issued = (await repos.documents.listIssued(draft.conferenceId)).filter((i) => i.draftId === draft.id);
  return issued.reduce((max, i) => Math.max(max, i.issueNumber), 0) + 1;
}

/**
 * The document built from the conference as it stands and the draft: addressed to nobody (the full record the
 * chair approves, and the preview), or to one recipient with what was arranged for them.
 */
export async function buildFor(
  deps: Pick<IssuingDeps, 'wording'>,
  repos: Repositories,
  draft: Pick<
    DraftRecord,
    'id' | 'conferenceId' | 'kind' | 'sections' | 'withholdings' | 'subjectInviteeId' | 'amendmentRequestId'
  >,
  facts: DocumentFacts,
  version: number,
  addressed?: { recipient: DocumentRecipient; arrangement: RecipientArrangement | null; issuedOn: IsoDate },
): Promise<WrittenDocument> {
  const letter = isLetter(draft.kind);
  const addressee = addressed && letter ? addressed.recipient : null;
  const wording = await deps.wording.wordingFor(
    repos,
    draft.kind,
    letterValues(facts, addressee?.name ?? GENERIC_RECIPIENT_NAME),
  );
  const document = buildDocument({
    kind: draft.kind,
    facts,
    sections: draft.sections,
    withholdings: draft.withholdings,
    subjectInviteeId: draft.subjectInviteeId,
    version,
    addressee,
    wording,
    arrangements: addressed?.arrangement ? arrangementSentences(addressed.arrangement) : [],
    issuedOn: addressed?.issuedOn ?? null,
    // W-5: the letter answering an amendment request is built from the request and the chair's decisions.
    amendment: draft.amendmentRequestId
      ? await loadAmendmentLetterFacts(repos, draft.conferenceId, draft.amendmentRequestId)
      : null,
  });
  return version > 1 ? amendedVersion(repos, draft, facts, version, document) : document;
}

/**
 * W-5: a version made because the chair accepted amendments says so first: each accepted point and what changed in
 * its section against the previous issue's approved document (the one the requests were about).
 */
async function amendedVersion(
  repos: Repositories,
  draft: Pick<DraftRecord, 'id' | 'kind' | 'withholdings'>,
  facts: DocumentFacts,
  version: number,
  document: WrittenDocument,
): Promise<WrittenDocument> {
  const requests = await repos.amendments.decidedFor(draft.id, version - 1);
  const accepted: AcceptedPoint[] = requests.flatMap((r) => {
    const requestedBy = facts.attendees.find((a) => a.inviteeId === r.requesterInviteeId)?.name ?? 'A recipient';
    return r.points.flatMap((p) =>
      p.decision && p.decision.decision !== 'not-accepted'
        ? [{ sectionId: p.sectionId, requestedChange: p.requestedChange, ...p.decision, requestedBy }]
        : [],
    ) as AcceptedPoint[];
  });
  const previous = requests[0]?.issuedDocument;
  if (!accepted.length || !previous) return document;
  const changes = compareVersions(draft.kind, previous, document);
  return withChangesSection(document, changesSection(draft.kind, version, accepted, changes, draft.withholdings));
}

export interface IssueArgs {
  actor: Actor;
  ctx: RequestContext;
  draft: DraftRecord;
  expectedVersion: number;
  facts: DocumentFacts;
  childIds: readonly string[];
}

/**
 * Issues the approved draft inside the caller's transaction. Every blob written is added to `written` as soon
 * as it is stored, so the caller can delete them if the transaction does not commit.
 */
export async function issueWithin(
  deps: IssuingDeps,
  repos: Repositories,
  args: IssueArgs,
  written: string[],
): Promise<{ issueNumber: number; rows: NewIssued[]; tasks: NewArrangementTask[] }> {
  const { draft, facts, actor } = args;
  nextDraftStatus(draft.status, { type: 'issue' });
  if (!draft.approvedDocument || !draft.approvedAt) {
    throw new DomainError('DRAFT_STATE', 'Only a document the chair has approved can be issued');
  }
  const issueNumber = await nextIssueNumber(repos, draft);
  const whole = await buildFor(deps, repos, draft, facts, issueNumber);
  if (canonicalJson(whole) !== canonicalJson(draft.approvedDocument)) {
    throw new ConflictError(
      "The conference's record has changed since the chair approved this document: ask the chair to approve it again",
    );
  }
  // The council's setting, as it stands in this transaction: under "decisions and recommendations only" (003)
  // the conference record is issued as the file copy alone.
  const fileOnly = keptOnFileOnly(draft.kind, await readCouncilSettings(repos));
  // W-4: a copy for each person the distribution list includes (the rules, with any change made by hand).
  const list = await distributionFor(repos, draft, facts, { distributeFullRecord: !fileOnly });
  const recipients: DocumentRecipient[] = list
    .filter((e) => e.included)
    .map((e) => ({ inviteeId: e.inviteeId, name: e.name, copy: e.copy }));
  if (!fileOnly && !recipients.some((r) => r.inviteeId !== null)) {
    throw new DomainError('NO_RECIPIENTS', 'Nobody on the register receives this document, so it cannot be issued');
  }
  const now = deps.clock.now();
  const issuedOn = londonDateOf(now);
  const rows: NewIssued[] = [];
  const tasks: NewArrangementTask[] = [];
  for (const recipient of recipients) {
    const arrangement =
      recipient.inviteeId === null
        ? null
        : (draft.arrangements.find((a) => a.inviteeId === recipient.inviteeId) ?? null);
    // Every copy, the file's too, is dated the day it is issued; only the dating differs from what was approved.
    const document = await buildFor(deps, repos, draft, facts, issueNumber, { recipient, arrangement, issuedOn });
    const variant = deriveVariant(document, recipient.copy);
    const largePrint = arrangement?.kinds.includes('large-print') ?? false;
    for (const [format, renderer] of [
      ['pdf', deps.pdf],
      ['html', deps.html],
    ] as const) {
      const bytes = await renderer.render(variant.document, variant.marking, { largePrint, createdAt: now });
      const id = randomUUID();
      const stored = await deps.blobs.put(deps.cipher.encrypt(Readable.from([Buffer.from(bytes)]), copyBinding(id)));
      written.push(stored.key);
      rows.push({
        id,
        draftId: draft.id,
        conferenceId: draft.conferenceId,
        kind: draft.kind,
        issueNumber,
        title: variant.document.title,
        copyKind: recipient.copy.kind,
        recipientInviteeId: recipient.inviteeId,
        recipientName: recipient.name,
        format,
        largePrint,
        blobKey: stored.key,
        sha256: sha256Hex(bytes),
        byteLength: bytes.byteLength,
        mediaType: renderer.mediaType,
        renderedAt: now,
        approvedByUserId: draft.approvedByUserId,
        approvedAt: draft.approvedAt,
        issuedByUserId: actor.id,
        issuedAt: now,
        leftOut: [...variant.leftOut],
        marking: markingLines(variant.marking),
      });
    }
    if (arrangement && recipient.inviteeId) {
      for (const kind of arrangement.kinds) {
        tasks.push({
          draftId: draft.id,
          conferenceId: draft.conferenceId,
          kind: draft.kind,
          inviteeId: recipient.inviteeId,
          recipientName: recipient.name,
          arrangement: kind,
          language: arrangement.language,
          detail: arrangement.detail,
          createdAt: now,
        });
      }
    }
  }
  await repos.documents.insertIssued(rows);
  if (tasks.length) await repos.documents.insertTasks(tasks);
  const updated = await repos.documents.updateDraft(draft.id, args.expectedVersion, {
    status: 'issued',
    updatedByUserId: actor.id,
    at: now,
  });
  if (!updated) throw new StaleRecordError();
  const what = `${DOCUMENT_KIND_LABELS[draft.kind]} for the ${CONFERENCE_TYPE_LABELS[facts.conference.type].toLowerCase()} on ${formatLongDate(facts.conference.scheduledDate)}`;
  const copies = new Set(rows.map((r) => `${r.recipientInviteeId ?? 'file'}`)).size;
  for (const childId of args.childIds) {
    await recordCaseNote(
      repos,
      deps.clock,
      {
        childId,
        kind: DOCUMENT_ISSUED_NOTE_KIND,
        text: `${what}: version ${issueNumber} issued, approved by ${draft.approvedByName ?? 'the chair'}, with ${copies} ${copies === 1 ? 'copy' : 'copies'} (each as a PDF and a web page).`,
      },
      args.ctx,
    );
  }
  return { issueNumber, rows, tasks };
}

/**
 * "decision-letter-2026-12-04-v1-parents-copy-2-large-print.pdf": names no person. Copies of one issue that
 * would share a name are told apart by their place among them (by recipient, a stable order).
 */
export function copyFileName(
  record: IssuedRecord,
  conferenceDate: string,
  siblings: readonly IssuedRecord[],
  extension: string,
): string {
  const same = siblings
    .filter(
      (s) =>
        s.draftId === record.draftId &&
        s.issueNumber === record.issueNumber &&
        s.copyKind === record.copyKind &&
        s.format === record.format &&
        s.largePrint === record.largePrint,
    )
    .sort((a, b) => (a.recipientInviteeId ?? '').localeCompare(b.recipientInviteeId ?? '') || a.id.localeCompare(b.id));
  const ordinal = same.length > 1 ? `-${same.findIndex((s) => s.id === record.id) + 1}` : '';
  const copy = record.copyKind === 'full' ? 'full-record' : `${record.copyKind}s-copy`;
  return `${record.kind}-${conferenceDate}-v${record.issueNumber}-${copy}${ordinal}${record.largePrint ? '-large-print' : ''}.${extension}`;
}

/** The stored copy failed its integrity check: its bytes are not what was issued. */
export class CopyIntegrityError extends DomainError {
  readonly reason: 'unreadable' | 'sha256-mismatch';
  constructor(reason: 'unreadable' | 'sha256-mismatch') {
    super(
      'DOCUMENT_INTEGRITY',
      'The stored copy failed its integrity check: it is not the document that was issued, so it cannot be downloaded. Tell the service’s administrators',
    );
    this.name = 'CopyIntegrityError';
    this.reason = reason;
  }
}

/** The copy's issued bytes, decrypted and checked against the SHA-256 kept when it was issued. */
export async function readCopy(deps: Pick<IssuingDeps, 'blobs' | 'cipher'>, record: IssuedRecord): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  try {
    const encrypted = await deps.blobs.get(record.blobKey);
    for await (const chunk of deps.cipher.decrypt(encrypted, copyBinding(record.id))) chunks.push(chunk as Buffer);
  } catch {
    throw new CopyIntegrityError('unreadable');
  }
  const bytes = new Uint8Array(Buffer.concat(chunks));
  if (bytes.byteLength !== record.byteLength || sha256Hex(bytes) !== record.sha256)
    throw new CopyIntegrityError('sha256-mismatch');
  return bytes;
}
