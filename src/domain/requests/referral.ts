/**
 * The chair's referral (A-3): what the chair sends business support, copying the social worker and
 * the QA service manager, on the day of the request. As a form it cannot be submitted incomplete:
 * `validateReferral` either returns a complete Referral or throws InvalidDetailsError naming every
 * missing or wrong field.
 *
 * It holds: the children the request is about (some or all of the conference's), the conference, the
 * requester's email address as verified with them, the conference's children they hold no PR for
 * (computed from the PR facts, not typed), what they must not hear (segments already marked on the
 * recording's timeline, pre-filled by `prefillWithheld`, and new ones added here), the recording(s)
 * and, for a split conference, which part(s) hold this requester's information.
 *
 * A child's independent request also records the joint consideration with their social worker and
 * the chair (A-2). Any reasonable adjustment agreed (disability, learning need, language) is recorded
 * as free text (A-8); a transcript or written summary is never an option, and asking for one is an
 * error that says so. Advice from the information management team (A-10) may be noted.
 */
import { compareIsoDates, formatLongDate, isIsoDate, type IsoDate } from '../calendar/index.ts';
import { limitedText } from '../people/errors.ts';
import {
  mergeRanges,
  segmentsWithheldFrom,
  validateWithheldSegment,
  type WithheldSegment,
  type WithheldSegmentInput,
  type WithholdingReason,
} from '../recordings/timeline.ts';
import { requesterPersonId, isFamilyRequester, type Requester } from './requesters.ts';
import { InvalidDetailsError, ProblemList } from '../shared/errors.ts';

declare const referralBrand: unique symbol;

/** A withheld part added in the referral for this request only (not marked on the recording's timeline). */
export interface ReferralWithheldItem {
  recordingId: string;
  startMs: number;
  endMs: number;
  reason: WithholdingReason;
  explanation: string;
}

/** A-2: a child's independent request is considered jointly by the child, their social worker and the chair. */
export interface JointConsideration {
  on: IsoDate;
  faceToFace: boolean;
  /** How the information will be conveyed sensitively, and anything else agreed. */
  notes: string | null;
}

/** A complete referral. Only `validateReferral` makes one (the brand stops a half-filled object being used). */
export interface Referral {
  readonly [referralBrand]: true;
  conferenceId: string;
  conferenceDate: IsoDate;
  childIds: string[];
  /** A-3: the conference's children the requester holds no PR for (from the eligibility check). */
  childrenWithoutPr: string[];
  /** The requester's email address, as verified with them by the chair. */
  email: string;
  /** Segments on the recordings' timelines withheld from this requester. */
  withheldSegmentIds: string[];
  /** Parts withheld for this request only. */
  withheldAdded: ReferralWithheldItem[];
  /** True when the chair confirmed there is nothing the requester must not hear. */
  nothingWithheld: boolean;
  recordingIds: string[];
  /** For a split conference, the part(s) holding this requester's information; empty otherwise. */
  partIds: string[];
  jointConsideration: JointConsideration | null;
  /** A-8: a reasonable adjustment agreed, in place of a transcript. */
  adjustment: string | null;
  /** A-2: the requester's concerns and reasons, as discussed with the chair. */
  reasons: string | null;
  /** A-10: advice from the information management team, if asked. */
  advice: string | null;
}

export interface ReferralWithheldItemInput extends Omit<WithheldSegmentInput, 'audience' | 'personIds'> {
  recordingId?: string | null;
}

export interface ReferralInput {
  childIds?: readonly string[] | null;
  email?: string | null;
  /** The chair confirmed the address with the requester (A-3: "verified with the parent"). */
  emailVerified?: boolean | null;
  withheldSegmentIds?: readonly string[] | null;
  withheldAdded?: readonly ReferralWithheldItemInput[] | null;
  /** Ticked when there is nothing the requester must not hear, so an empty list is a decision, not an omission. */
  nothingWithheld?: boolean | null;
  recordingIds?: readonly string[] | null;
  partIds?: readonly string[] | null;
  jointConsideration?: {
    on?: string | null;
    childTookPart?: boolean | null;
    socialWorkerTookPart?: boolean | null;
    chairTookPart?: boolean | null;
    faceToFace?: boolean | null;
    notes?: string | null;
  } | null;
  adjustment?: string | null;
  /** A-8: never granted. Set when the requester asked for a transcript or written summary. */
  transcriptRequested?: boolean | null;
  reasons?: string | null;
  advice?: string | null;
}

/** A segment marked on a recording's timeline, with its id and recording. */
export type TimelineSegment = WithheldSegment & { id: string };

export interface ReferralRecording {
  id: string;
  /** The part of a split conference it records; null when it covers the whole conference. */
  partId: string | null;
  durationMs: number;
  segments: readonly TimelineSegment[];
}

export interface ReferralFacts {
  requester: Requester;
  receivedOn: IsoDate;
  /** The date in England today. */
  today: IsoDate;
  conference: {
    id: string;
    date: IsoDate;
    /** The conference's children. */
    children: ReadonlyArray<{ id: string; name: string }>;
    /** Its parts; more than one means a split conference. */
    parts: ReadonlyArray<{ id: string; label: string }>;
  };
  /** The conference's stored recordings. */
  recordings: readonly ReferralRecording[];
  /** From the eligibility check (A-1). */
  childrenWithoutPr: readonly string[];
}

export const REFERRAL_TEXT_MAX = 2_000;
export const EMAIL_MAX = 254;

/** A-8: what to say when a transcript or written summary is asked for. */
export const TRANSCRIPT_REFUSAL =
  'Transcripts and written summaries of recordings are not provided. Discuss any barrier the requester has (a disability, a learning need, a language) and record the reasonable adjustment agreed instead';

/**
 * An email address a secure link can be sent to: one `@`, a dot-atom local part of at most 64
 * characters, a domain of letters, digits and hyphens with a dot, 254 characters or fewer in all.
 */
export function isDeliverableEmail(s: string): boolean {
  if (s.length > EMAIL_MAX) return false;
  const at = s.lastIndexOf('@');
  if (at < 1 || s.indexOf('@') !== at) return false;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (local.length > 64 || !/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/.test(local))
    return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  return (
    labels.every((l) => /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u.test(l)) &&
    /^\p{L}{2,}$/u.test(labels.at(-1)!)
  );
}

function ids(v: readonly string[] | null | undefined): string[] {
  return [...new Set((v ?? []).map((s) => s.trim()).filter(Boolean))];
}

/** A-3: the segments on the recordings' timelines this requester must not hear, to pre-fill the form. */
export function prefillWithheld(requester: Requester, recordings: readonly ReferralRecording[]): string[] {
  // Segments withheld from "the family" apply to family requesters; professionals entitled to the
  // whole record (a court, QA, the complaints service, another authority) are not pre-filled: the
  // chair adds anything they must not hear.
  if (!isFamilyRequester(requester)) return [];
  const personId = requesterPersonId(requester);
  return recordings.flatMap((r) => segmentsWithheldFrom(r.segments, personId).map((s) => s.id));
}

export function validateReferral(input: ReferralInput, facts: ReferralFacts): Referral {
  const p = new ProblemList();
  const { requester, conference } = facts;
  const nameOf = (id: string) => conference.children.find((c) => c.id === id)?.name ?? 'A child';

  // The children
  const childIds = ids(input.childIds);
  const conferenceChildIds = new Set(conference.children.map((c) => c.id));
  if (childIds.length === 0) p.add('childIds', 'Select the children the request is about');
  else if (childIds.some((id) => !conferenceChildIds.has(id)))
    p.add('childIds', 'Select only children who were the subject of this conference');
  else {
    const withoutPr = childIds.filter((id) => facts.childrenWithoutPr.includes(id));
    if (withoutPr.length) {
      p.add(
        'childIds',
        `${withoutPr.map(nameOf).join(' and ')}: the requester does not hold parental responsibility, so cannot be given this child’s information`,
      );
    }
    if (requester.type === 'child' && !childIds.includes(requester.childId)) {
      p.add('childIds', 'Include the child who is asking');
    }
  }

  // The email address
  const email = (input.email ?? '').trim();
  if (!email) p.add('email', 'Enter the requester’s email address');
  else if (!isDeliverableEmail(email))
    p.add('email', 'Enter an email address in the correct format, like name@example.com');
  if (input.emailVerified !== true)
    p.add('emailVerified', 'Confirm you have checked the email address with the requester');

  // The recordings and parts
  const recordingIds = ids(input.recordingIds);
  const byId = new Map(facts.recordings.map((r) => [r.id, r]));
  const split = conference.parts.length > 1;
  const partIds = ids(input.partIds);
  if (facts.recordings.length === 0) p.add('recordingIds', 'This conference has no stored recording to copy');
  else if (recordingIds.length === 0) p.add('recordingIds', 'Select the recording to copy');
  else if (recordingIds.some((id) => !byId.has(id))) p.add('recordingIds', 'Select recordings of this conference');
  if (split) {
    const partSet = new Set(conference.parts.map((x) => x.id));
    if (partIds.length === 0)
      p.add('partIds', 'This was a split conference: select the part or parts that hold this requester’s information');
    else if (partIds.some((id) => !partSet.has(id))) p.add('partIds', 'Select parts of this conference');
    else {
      const other = recordingIds
        .map((id) => byId.get(id))
        .filter((r) => r && r.partId !== null && !partIds.includes(r.partId));
      if (other.length) p.add('recordingIds', 'Select only recordings of the parts chosen');
    }
  } else if (partIds.length) {
    p.add('partIds', 'This conference was not split into parts');
  }

  // What the requester must not hear
  const chosen = recordingIds.map((id) => byId.get(id)).filter((r): r is ReferralRecording => r !== undefined);
  const segmentIds = ids(input.withheldSegmentIds);
  const segmentsOnChosen = new Set(chosen.flatMap((r) => r.segments.map((s) => s.id)));
  if (segmentIds.some((id) => !segmentsOnChosen.has(id)))
    p.add('withheldSegmentIds', 'Select withheld parts of the recordings chosen');
  const withheldAdded: ReferralWithheldItem[] = [];
  (input.withheldAdded ?? []).forEach((item, i) => {
    const prefix = `withheldAdded[${i}]`;
    const recording = byId.get((item.recordingId ?? '').trim());
    if (!recording || !recordingIds.includes(recording.id)) {
      p.add(`${prefix}.recordingId`, `Select which of the chosen recordings withheld part ${i + 1} is in`);
      return;
    }
    try {
      const s = validateWithheldSegment({ ...item, audience: 'all-family' }, recording.durationMs, new Set());
      withheldAdded.push({
        recordingId: recording.id,
        startMs: s.startMs,
        endMs: s.endMs,
        reason: s.reason,
        explanation: s.explanation,
      });
    } catch (e) {
      if (!(e instanceof InvalidDetailsError)) throw e;
      for (const problem of e.problems)
        p.add(
          `${prefix}.${problem.field}`,
          `Withheld part ${i + 1}: ${problem.message.charAt(0).toLowerCase()}${problem.message.slice(1)}`,
        );
    }
  });
  const nothingWithheld = input.nothingWithheld === true;
  const anyWithheld = segmentIds.length > 0 || (input.withheldAdded ?? []).length > 0;
  if (nothingWithheld && anyWithheld)
    p.add('nothingWithheld', 'You have chosen parts to withhold: untick “nothing to withhold”, or remove them');
  else if (!nothingWithheld && !anyWithheld) {
    p.add('withheldSegmentIds', 'Add anything the requester must not hear, or confirm there is nothing to withhold');
  }

  // A-2: a child's independent request
  let jointConsideration: JointConsideration | null = null;
  const jc = input.jointConsideration;
  if (requester.type === 'child') {
    const on = (jc?.on ?? '').trim();
    if (!on)
      p.add(
        'jointConsideration.on',
        'Enter the date the request was considered with the child and their social worker',
      );
    else if (!isIsoDate(on)) p.add('jointConsideration.on', 'The date of the joint consideration must be a real date');
    else if (compareIsoDates(on, facts.receivedOn) < 0)
      p.add(
        'jointConsideration.on',
        `The joint consideration cannot be before the request was received, ${formatLongDate(facts.receivedOn)}`,
      );
    else if (compareIsoDates(on, facts.today) > 0)
      p.add('jointConsideration.on', 'The joint consideration must have taken place: it cannot be in the future');
    const missing = [
      jc?.childTookPart !== true ? 'the child' : null,
      jc?.socialWorkerTookPart !== true ? 'their social worker' : null,
      jc?.chairTookPart !== true ? 'the chair' : null,
    ].filter((x): x is string => x !== null);
    if (missing.length) {
      p.add(
        'jointConsideration.participants',
        `A child’s own request is considered jointly by the child, their social worker and the chair: confirm ${missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}` : missing[0]} took part`,
      );
    }
    const notes = limitedText(
      p,
      'jointConsideration.notes',
      jc?.notes,
      REFERRAL_TEXT_MAX,
      `Notes must be ${REFERRAL_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`,
    );
    if (on && isIsoDate(on)) jointConsideration = { on, faceToFace: jc?.faceToFace === true, notes };
  } else if (jc && (jc.on || jc.childTookPart || jc.socialWorkerTookPart || jc.chairTookPart)) {
    p.add('jointConsideration.on', 'A joint consideration is recorded only for a child’s own request');
  }

  // A-8, A-2, A-10
  if (input.transcriptRequested === true) p.add('adjustment', TRANSCRIPT_REFUSAL);
  const adjustment = limitedText(
    p,
    'adjustment',
    input.adjustment,
    REFERRAL_TEXT_MAX,
    `The adjustment must be ${REFERRAL_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`,
  );
  const reasons = limitedText(
    p,
    'reasons',
    input.reasons,
    REFERRAL_TEXT_MAX,
    `The reasons must be ${REFERRAL_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`,
  );
  const advice = limitedText(
    p,
    'advice',
    input.advice,
    REFERRAL_TEXT_MAX,
    `The advice must be ${REFERRAL_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`,
  );

  p.throwIfAny();
  return {
    conferenceId: conference.id,
    conferenceDate: conference.date,
    childIds,
    childrenWithoutPr: conference.children.map((c) => c.id).filter((id) => facts.childrenWithoutPr.includes(id)),
    email,
    withheldSegmentIds: segmentIds,
    withheldAdded,
    nothingWithheld,
    recordingIds,
    partIds,
    jointConsideration,
    adjustment,
    reasons,
    advice,
  } as Referral;
}

/** One range withheld from a recording's copy, for the redaction and the withheld-content log. */
export interface WithheldRange {
  startMs: number;
  endMs: number;
  reason: WithholdingReason;
  explanation: string;
  /** The timeline segment it came from, or null when added in the referral. */
  segmentId: string | null;
}

/**
 * Everything to withhold from one recording's copy for this referral, in order (not merged, so the
 * log keeps each reason), and the merged ranges the redaction silences.
 */
export function withheldFromRecording(
  referral: Pick<Referral, 'withheldSegmentIds' | 'withheldAdded'>,
  recording: Pick<ReferralRecording, 'id' | 'segments'>,
): { items: WithheldRange[]; ranges: Array<{ startMs: number; endMs: number }> } {
  const items: WithheldRange[] = [
    ...recording.segments
      .filter((s) => referral.withheldSegmentIds.includes(s.id))
      .map((s) => ({
        startMs: s.startMs,
        endMs: s.endMs,
        reason: s.reason,
        explanation: s.explanation,
        segmentId: s.id,
      })),
    ...referral.withheldAdded
      .filter((a) => a.recordingId === recording.id)
      .map((a) => ({
        startMs: a.startMs,
        endMs: a.endMs,
        reason: a.reason,
        explanation: a.explanation,
        segmentId: null,
      })),
  ].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  return { items, ranges: mergeRanges(items) };
}
