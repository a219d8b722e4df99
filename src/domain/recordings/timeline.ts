/**
 * What is marked on a recording's timeline: bookmarks (placed live by the chair or afterwards) and
 * withheld segments, the parts a given person must not hear (000: information about another child,
 * police or MARAC information, information confidential to one parent). Neither ever changes the
 * original: they are notes about it, and a disclosure copy is derived from the original with
 * the withheld parts silenced for the person who asked.
 */
import { formatDuration, parseOffset } from './recording.ts';
import { ProblemList } from '../shared/errors.ts';

export const BOOKMARK_KINDS = [
  'agenda-item',
  'decision',
  'break',
  'person-joined',
  'person-left',
  'exclusion-started',
  'exclusion-ended',
  'note',
] as const;
export type BookmarkKind = (typeof BOOKMARK_KINDS)[number];

export const BOOKMARK_KIND_LABELS: Record<BookmarkKind, string> = {
  'agenda-item': 'Agenda item',
  decision: 'Decision',
  break: 'Break',
  'person-joined': 'Person joined',
  'person-left': 'Person left',
  'exclusion-started': 'Exclusion started',
  'exclusion-ended': 'Exclusion ended',
  note: 'Note',
};

export const LABEL_MAX = 200;
export const EXPLANATION_MAX = 2_000;

export interface Bookmark {
  atMs: number;
  kind: BookmarkKind;
  label: string;
}

export interface BookmarkInput {
  at?: string | number | null;
  kind?: string | null;
  label?: string | null;
}

function offset(
  p: ProblemList,
  field: string,
  v: string | number | null | undefined,
  durationMs: number | null,
  what: string,
): number | null {
  const ms = typeof v === 'number' ? (Number.isFinite(v) && v >= 0 ? Math.round(v) : null) : parseOffset(v);
  if (v === null || v === undefined || v === '') {
    p.add(field, `Enter ${what}`);
    return null;
  }
  if (ms === null) {
    p.add(field, `${what[0]!.toUpperCase()}${what.slice(1)} must be a time in the recording such as 1:02:05`);
    return null;
  }
  if (durationMs !== null && ms > durationMs) {
    p.add(
      field,
      `${what[0]!.toUpperCase()}${what.slice(1)} must be within the recording, which is ${formatDuration(durationMs)} long`,
    );
    return null;
  }
  return ms;
}

/** A bookmark at a point in the recording (durationMs null while it is still being recorded). */
export function validateBookmark(input: BookmarkInput, durationMs: number | null): Bookmark {
  const p = new ProblemList();
  const atMs = offset(p, 'at', input.at, durationMs, 'the time of the bookmark');
  const kind = (input.kind ?? '') as BookmarkKind;
  if (!BOOKMARK_KINDS.includes(kind)) p.add('kind', 'Select what the bookmark marks');
  const label = (input.label ?? '').trim();
  if (!label) p.add('label', 'Enter a short description');
  else if (label.length > LABEL_MAX) p.add('label', `The description must be ${LABEL_MAX} characters or fewer`);
  p.throwIfAny();
  return { atMs: atMs!, kind, label };
}

// ------------------------------------------------------------------ withheld segments

export const WITHHOLDING_REASONS = [
  'another-child',
  'police',
  'marac',
  'confidential-to-parent',
  'third-party',
  'other',
] as const;
export type WithholdingReason = (typeof WITHHOLDING_REASONS)[number];

export const WITHHOLDING_REASON_LABELS: Record<WithholdingReason, string> = {
  'another-child': 'Information about another child',
  police: 'Police information',
  marac: 'MARAC information',
  'confidential-to-parent': 'Information confidential to one parent',
  'third-party': 'Information about another person who has not agreed to share it',
  other: 'Another reason',
};

/**
 * Who must not hear a segment: every requester who is not a professional entitled to the whole
 * record (police and MARAC information, for example), or only the named people (information
 * confidential to one parent must not reach the other).
 */
export type WithheldFrom = { kind: 'all-family' } | { kind: 'named'; personIds: string[] };

export interface WithheldSegment {
  startMs: number;
  endMs: number;
  reason: WithholdingReason;
  explanation: string;
  withheldFrom: WithheldFrom;
}

export interface WithheldSegmentInput {
  start?: string | number | null;
  end?: string | number | null;
  reason?: string | null;
  explanation?: string | null;
  audience?: string | null;
  personIds?: readonly string[] | null;
}

/**
 * Checks a withheld segment against the recording's length and the people who may be named (the
 * conference's family, children and invitees).
 */
export function validateWithheldSegment(
  input: WithheldSegmentInput,
  durationMs: number,
  namedPeople: ReadonlySet<string>,
): WithheldSegment {
  const p = new ProblemList();
  const startMs = offset(p, 'start', input.start, durationMs, 'the start of the withheld part');
  const endMs = offset(p, 'end', input.end, durationMs, 'the end of the withheld part');
  if (startMs !== null && endMs !== null && endMs <= startMs)
    p.add('end', 'The end of the withheld part must be after its start');
  const reason = (input.reason ?? '') as WithholdingReason;
  if (!WITHHOLDING_REASONS.includes(reason)) p.add('reason', 'Select why this part must be withheld');
  const explanation = (input.explanation ?? '').trim();
  if (!explanation) p.add('explanation', 'Explain what is said in this part and why it must be withheld');
  else if (explanation.length > EXPLANATION_MAX)
    p.add('explanation', `The explanation must be ${EXPLANATION_MAX.toLocaleString('en-GB')} characters or fewer`);
  let withheldFrom: WithheldFrom = { kind: 'all-family' };
  if (input.audience === 'named') {
    const ids = [...new Set(input.personIds ?? [])];
    if (ids.length === 0) p.add('personIds', 'Select who must not hear this part');
    else if (ids.some((id) => !namedPeople.has(id))) p.add('personIds', 'Select people connected with this conference');
    withheldFrom = { kind: 'named', personIds: ids };
  } else if (input.audience !== 'all-family') {
    p.add('audience', 'Select who must not hear this part');
  }
  p.throwIfAny();
  return { startMs: startMs!, endMs: endMs!, reason, explanation, withheldFrom };
}

/** The segments a given family member or child must not hear (used to prepare their copy). */
export function segmentsWithheldFrom<T extends Pick<WithheldSegment, 'withheldFrom'>>(
  segments: readonly T[],
  personId: string | null,
): T[] {
  return segments.filter(
    (s) => s.withheldFrom.kind === 'all-family' || (personId !== null && s.withheldFrom.personIds.includes(personId)),
  );
}

/** Overlapping or touching ranges merged, in order: what a redaction actually silences. */
export function mergeRanges(
  ranges: ReadonlyArray<{ startMs: number; endMs: number }>,
): Array<{ startMs: number; endMs: number }> {
  const sorted = ranges
    .filter((r) => r.endMs > r.startMs)
    .map((r) => ({ startMs: r.startMs, endMs: r.endMs }))
    .sort((a, b) => a.startMs - b.startMs);
  const out: Array<{ startMs: number; endMs: number }> = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.startMs <= last.endMs) last.endMs = Math.max(last.endMs, r.endMs);
    else out.push(r);
  }
  return out;
}
