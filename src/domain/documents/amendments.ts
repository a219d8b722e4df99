/**
 * Amendments to the written record (W-5, T-8; 001): a recipient asks the chair in writing to change an issued
 * document, point by point, within 10 working days of receiving it. A late request is still recorded, and says so.
 * The chair decides each point (accepted, accepted in part, not accepted) with reasons; any accepted point makes a
 * new version of the document, whose "Changes in this version" section lists them and what changed, section by
 * section, against the previous issue. Pure: no I/O.
 */
import {
  type IsoDate,
  type StatutoryCalendar,
  type TimescaleSettings,
  compareIsoDates,
  computeDeadline,
} from '../calendar/index.ts';
import { InvalidDetailsError } from '../shared/errors.ts';
import type { FieldProblem } from '../shared/errors.ts';
import { hasControlCharacter } from '../shared/text.ts';
import { DRAFT_SECTIONS } from './drafting.ts';
import type { Block, DocumentKind, SectionBlock, WrittenDocument } from './model.ts';
import type { Withholding } from './withholding.ts';

export const AMENDMENT_CHANNELS = ['letter', 'email', 'phone', 'in-person'] as const;
export type AmendmentChannel = (typeof AMENDMENT_CHANNELS)[number];
export const AMENDMENT_CHANNEL_LABELS: Record<AmendmentChannel, string> = {
  letter: 'Letter',
  email: 'Email',
  phone: 'Phone',
  'in-person': 'In person',
};

export const AMENDMENT_DECISIONS = ['accepted', 'accepted-in-part', 'not-accepted'] as const;
export type AmendmentDecision = (typeof AMENDMENT_DECISIONS)[number];
export const AMENDMENT_DECISION_LABELS: Record<AmendmentDecision, string> = {
  accepted: 'Accepted',
  'accepted-in-part': 'Accepted in part',
  'not-accepted': 'Not accepted',
};

export const AMENDMENT_TEXT_MAX_LENGTH = 5_000;
export const AMENDMENT_POINTS_MAX = 30;

/** The flag a request carries when it reached the chair after T-8's 10 working days. */
export const LATE_REQUEST_FLAG = 'Received after the 10 working days';

/** One thing the requester wants changed: the section it is in, the text as issued, and what they want instead. */
export interface AmendmentPoint {
  sectionId: string;
  originalText: string;
  requestedChange: string;
}

/** The chair's decision on one point. */
export interface AmendmentPointDecision {
  decision: AmendmentDecision;
  reasons: string;
}

/**
 * T-8: the last day a request may reach the chair: 10 working days (the council's setting) after the requester
 * received the record, bank holidays skipped.
 */
export function amendmentDueDate(
  recordReceivedOn: IsoDate,
  calendar: StatutoryCalendar,
  settings?: TimescaleSettings,
): IsoDate {
  return computeDeadline('record-amendments', recordReceivedOn, calendar, settings).due;
}

/** T-8: the request reached the chair after its due date (the due day itself is still in time). */
export function isLateRequest(requestReceivedOn: IsoDate, due: IsoDate): boolean {
  return compareIsoDates(requestReceivedOn, due) > 0;
}

/** Any point accepted, fully or in part: the document is issued again as its next version. */
export function needsNewVersion(decisions: readonly AmendmentPointDecision[]): boolean {
  return decisions.some((d) => d.decision !== 'not-accepted');
}

function checkText(problems: FieldProblem[], field: string, label: string, value: unknown, required: boolean): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) {
    if (required) problems.push({ field, message: `Enter ${label}` });
  } else if (text.length > AMENDMENT_TEXT_MAX_LENGTH) {
    problems.push({ field, message: `${upperFirst(label)} must be ${AMENDMENT_TEXT_MAX_LENGTH} characters or fewer` });
  } else if (hasControlCharacter(text.replace(/\r?\n/g, ' '))) {
    problems.push({ field, message: `${upperFirst(label)} must not contain control characters` });
  }
  return text;
}

/**
 * The points of a request, checked against the document's sections (the minute taker's free-text sections, which
 * are what an amendment can change); InvalidDetailsError naming each problem's field (`points[0].sectionId`).
 */
export function checkAmendmentPoints(kind: DocumentKind, points: readonly Partial<AmendmentPoint>[]): AmendmentPoint[] {
  const problems: FieldProblem[] = [];
  if (points.length === 0)
    problems.push({ field: 'points[0].requestedChange', message: 'Enter what they want changed' });
  if (points.length > AMENDMENT_POINTS_MAX)
    problems.push({ field: 'points', message: `A request can have up to ${AMENDMENT_POINTS_MAX} points` });
  const sections = DRAFT_SECTIONS[kind];
  const out = points.map((p, i) => {
    const sectionId = typeof p.sectionId === 'string' ? p.sectionId : '';
    if (!sections.some((s) => s.id === sectionId))
      problems.push({ field: `points[${i}].sectionId`, message: 'Select the section the point is about' });
    return {
      sectionId,
      originalText: checkText(problems, `points[${i}].originalText`, 'the text as issued', p.originalText, false),
      requestedChange: checkText(
        problems,
        `points[${i}].requestedChange`,
        'what they want changed',
        p.requestedChange,
        true,
      ),
    };
  });
  if (problems.length) throw new InvalidDetailsError(problems);
  return out;
}

/** The chair's decisions, one per point in order, each with reasons; InvalidDetailsError naming each problem. */
export function checkAmendmentDecisions(
  pointCount: number,
  decisions: readonly Partial<AmendmentPointDecision>[],
): AmendmentPointDecision[] {
  const problems: FieldProblem[] = [];
  const out: AmendmentPointDecision[] = [];
  for (let i = 0; i < pointCount; i++) {
    const d = decisions[i] ?? {};
    const decision = (AMENDMENT_DECISIONS as readonly unknown[]).includes(d.decision)
      ? (d.decision as AmendmentDecision)
      : null;
    if (!decision) problems.push({ field: `decisions[${i}].decision`, message: `Select a decision on point ${i + 1}` });
    const reasons = checkText(problems, `decisions[${i}].reasons`, `the reasons for point ${i + 1}`, d.reasons, true);
    if (decision) out.push({ decision, reasons });
  }
  if (decisions.length > pointCount)
    problems.push({ field: 'decisions', message: 'There is a decision for a point the request does not have' });
  if (problems.length) throw new InvalidDetailsError(problems);
  return out;
}

/** How one free-text section differs between two issues. */
export interface SectionChange {
  sectionId: string;
  label: string;
  change: 'changed' | 'added' | 'removed';
  /** The paragraphs the earlier issue had and the new one does not. */
  removed: string[];
  /** The paragraphs the new issue has and the earlier one did not. */
  added: string[];
}

function sectionsById(document: WrittenDocument): Map<string, SectionBlock> {
  const out = new Map<string, SectionBlock>();
  const visit = (blocks: readonly Block[]) => {
    for (const b of blocks) {
      if (b.type !== 'section') continue;
      if (b.id && !out.has(b.id)) out.set(b.id, b);
      visit(b.blocks);
    }
  };
  visit(document.blocks);
  return out;
}

function paragraphTexts(section: SectionBlock | undefined): string[] {
  if (!section) return [];
  const out: string[] = [];
  for (const b of section.blocks) {
    if (b.type === 'paragraph' || b.type === 'heading') out.push(b.text);
    else if (b.type === 'list') out.push(...b.items);
  }
  return out;
}

/** The paragraphs in `a` that are not matched in order in `b` (a longest-common-subsequence diff). */
function paragraphDiff(before: readonly string[], after: readonly string[]): { removed: string[]; added: string[] } {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) removed.push(before[i++]!);
    else added.push(after[j++]!);
  }
  while (i < n) removed.push(before[i++]!);
  while (j < m) added.push(after[j++]!);
  return { removed, added };
}

/**
 * Section by section, how the minute taker's free-text sections of `after` differ from `before` (the previous
 * issue's approved document), in the order the kind lists its sections; sections that did not change are left out.
 */
export function compareVersions(kind: DocumentKind, before: WrittenDocument, after: WrittenDocument): SectionChange[] {
  const a = sectionsById(before);
  const b = sectionsById(after);
  const out: SectionChange[] = [];
  for (const def of DRAFT_SECTIONS[kind]) {
    const was = a.get(def.id);
    const now = b.get(def.id);
    if (!was && !now) continue;
    const { removed, added } = paragraphDiff(paragraphTexts(was), paragraphTexts(now));
    if (!removed.length && !added.length) continue;
    out.push({
      sectionId: def.id,
      label: def.label,
      change: !was ? 'added' : !now ? 'removed' : 'changed',
      removed,
      added,
    });
  }
  return out;
}

/** An accepted point as the new version lists it. */
export interface AcceptedPoint {
  sectionId: string;
  requestedChange: string;
  decision: Exclude<AmendmentDecision, 'not-accepted'>;
  reasons: string;
  /** Who asked, as the document may name them ("Jane Smith (mother)"). */
  requestedBy: string;
}

/**
 * The "Changes in this version" section of a new version: the section of the document each accepted point is in,
 * with who asked, what they asked for and the chair's decision, then what that section said before and says now.
 * Each part carries the withholding marks of the section it is about (W-3), so no copy shows text it leaves out.
 */
export function changesSection(
  kind: DocumentKind,
  version: number,
  accepted: readonly AcceptedPoint[],
  changes: readonly SectionChange[],
  withholdings: Readonly<Record<string, readonly Withholding[]>>,
): SectionBlock {
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `This is version ${version} of this document. It replaces version ${version - 1}: the chair accepted the amendments below.`,
    },
  ];
  for (const def of DRAFT_SECTIONS[kind]) {
    const points = accepted.filter((p) => p.sectionId === def.id);
    const change = changes.find((c) => c.sectionId === def.id);
    if (!points.length && !change) continue;
    const inner: Block[] = [];
    for (const p of points) {
      inner.push({
        type: 'summary',
        rows: [
          { key: 'Asked for by', value: p.requestedBy },
          { key: 'Amendment asked for', value: p.requestedChange },
          { key: "Chair's decision", value: AMENDMENT_DECISION_LABELS[p.decision] },
          { key: 'Reasons', value: p.reasons },
        ],
      });
    }
    if (change?.removed.length) {
      inner.push({ type: 'paragraph', text: `Version ${version - 1} said:` }, { type: 'list', items: change.removed });
    }
    if (change?.added.length) {
      inner.push({ type: 'paragraph', text: 'This version says:' }, { type: 'list', items: change.added });
    }
    if (!change) inner.push({ type: 'paragraph', text: 'The text of this section did not change.' });
    const marks = withholdings[def.id];
    blocks.push({
      type: 'section',
      heading: def.label,
      blocks: inner,
      ...(marks && marks.length ? { withheld: marks } : {}),
    });
  }
  return { type: 'section', heading: 'Changes in this version', blocks };
}

/** The document with its "Changes in this version" section first, before everything else. */
export function withChangesSection(document: WrittenDocument, section: SectionBlock): WrittenDocument {
  return { ...document, blocks: [section, ...document.blocks] };
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
