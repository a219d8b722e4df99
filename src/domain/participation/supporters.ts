/**
 * 002 §3.2: friends, supporters and advocates. A friend or supporter gives emotional support and helps the parent or
 * child understand and say what they think; they do not speak for them. In exceptional circumstances the chair may
 * bar a friend or supporter (their presence is disruptive, or they are a risk to children); a barred person cannot
 * be recorded as attending. An advocate speaks for a parent or a child, having found out their view before the
 * meeting. Pure: no I/O.
 */
import { isIsoDate } from '../calendar/iso-date.ts';
import { ProblemList } from '../shared/errors.ts';
import { NOTE_MAX } from './child-attendance.ts';

export const BAR_REASONS = ['disruptive', 'risk-to-children', 'other'] as const;
export type BarReason = (typeof BAR_REASONS)[number];
export const BAR_REASON_LABELS: Record<BarReason, string> = {
  disruptive: 'Their presence is disruptive',
  'risk-to-children': 'They are a risk to children',
  other: 'Another reason',
};

/** 002 §3.2: only a friend or supporter may be barred by the chair (an advocate speaks for someone). */
export function mayBeBarred(kind: string): boolean {
  return kind === 'friend' || kind === 'supporter';
}

export function isAdvocate(kind: string): boolean {
  return kind === 'advocate';
}

export interface Bar {
  reason: BarReason;
  detail: string | null;
}

export function checkBar(input: { reason: unknown; detail: string | null | undefined }): Bar {
  const p = new ProblemList();
  const reason = input.reason;
  if (typeof reason !== 'string' || !(BAR_REASONS as readonly string[]).includes(reason))
    p.add('reason', 'Select why they may not attend');
  const detail = (input.detail ?? '').trim();
  if (reason === 'other' && !detail) p.add('detail', 'Enter the reason they may not attend');
  if (detail.length > NOTE_MAX)
    p.add('detail', `The reason must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`);
  p.throwIfAny();
  return { reason: reason as BarReason, detail: detail || null };
}

/** Who an advocate speaks for: a parent or carer on the invitation list, or a child of the conference. */
export type SpeaksFor = { kind: 'parent'; inviteeId: string } | { kind: 'child'; childId: string };

export interface AdvocateRole {
  speaksFor: SpeaksFor;
  /** The day they found out the person's view, before the conference; null when not yet. */
  viewAscertainedOn: string | null;
  note: string | null;
}

export interface AdvocateRoleInput {
  /** "parent:<inviteeId>" or "child:<childId>", from the lists given. */
  speaksFor: unknown;
  viewAscertained: unknown;
  viewAscertainedOn: string | null | undefined;
  note: string | null | undefined;
}

/**
 * 002 §3.2: the advocate's role: whom they speak for (one of `parents` or `children`) and whether and when they found
 * out that person's view, which must be before the conference.
 */
export function checkAdvocateRole(
  input: AdvocateRoleInput,
  options: { parents: readonly string[]; children: readonly string[]; conferenceDate: string },
): AdvocateRole {
  const p = new ProblemList();
  let speaksFor: SpeaksFor | null = null;
  const m = typeof input.speaksFor === 'string' ? /^(parent|child):(.+)$/.exec(input.speaksFor) : null;
  if (m?.[1] === 'parent' && options.parents.includes(m[2]!)) speaksFor = { kind: 'parent', inviteeId: m[2]! };
  else if (m?.[1] === 'child' && options.children.includes(m[2]!)) speaksFor = { kind: 'child', childId: m[2]! };
  else p.add('speaksFor', 'Select who the advocate speaks for');
  let on: string | null = null;
  if (input.viewAscertained === 'yes') {
    on = (input.viewAscertainedOn ?? '').trim();
    if (!isIsoDate(on)) p.add('viewAscertainedOn', 'Enter the date they found out the person’s view');
    else if (on > options.conferenceDate)
      p.add('viewAscertainedOn', 'The view must be found out before the conference: enter a date on or before it');
  } else if (input.viewAscertained !== 'no') {
    p.add('viewAscertained', 'Select whether the advocate has found out the person’s view');
  }
  const note = (input.note ?? '').trim();
  if (note.length > NOTE_MAX) p.add('note', `The note must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`);
  p.throwIfAny();
  return { speaksFor: speaksFor!, viewAscertainedOn: on, note: note || null };
}
