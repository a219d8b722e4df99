/**
 * 002 §3.2, 001: a parent's own written report to the conference, and the help the child's social worker offers or
 * arranges so they can take part fully (preparing a report, travel, reading written material, childcare while they
 * attend, what a disability requires). Pure: no I/O.
 */
import { ProblemList } from '../shared/errors.ts';
import { NOTE_MAX } from './child-attendance.ts';

export const HELP_KINDS = ['report-preparation', 'travel', 'reading', 'childcare', 'disability'] as const;
export type HelpKind = (typeof HELP_KINDS)[number];
export const HELP_KIND_LABELS: Record<HelpKind, string> = {
  'report-preparation': 'Help preparing for the conference or writing a report',
  travel: 'Help with travel to and from the conference',
  reading: 'Help reading written material',
  childcare: 'Childcare while they attend',
  disability: 'What a disability requires so they can take part fully',
};

export const HELP_STATUSES = ['offered', 'arranged', 'declined'] as const;
export type HelpStatus = (typeof HELP_STATUSES)[number];
export const HELP_STATUS_LABELS: Record<HelpStatus, string> = {
  offered: 'Offered',
  arranged: 'Arranged',
  declined: 'Declined',
};

export interface Help {
  kind: HelpKind;
  status: HelpStatus;
  /** Who arranges it (a name or a team). */
  arrangedBy: string | null;
  details: string | null;
}

export const NAME_MAX = 200;

export function isHelpKind(v: unknown): v is HelpKind {
  return typeof v === 'string' && (HELP_KINDS as readonly string[]).includes(v);
}

/** Checks one kind of help: who arranges it once arranged, and the exact requirements for a disability. */
export function checkHelp(input: {
  kind: unknown;
  status: unknown;
  arrangedBy: string | null | undefined;
  details: string | null | undefined;
}): Help {
  const p = new ProblemList();
  if (!isHelpKind(input.kind)) p.add('kind', 'Select the help');
  const status = input.status;
  if (typeof status !== 'string' || !(HELP_STATUSES as readonly string[]).includes(status))
    p.add('status', 'Select whether the help is offered, arranged or declined');
  const arrangedBy = (input.arrangedBy ?? '').trim();
  if (status !== 'declined' && !arrangedBy) p.add('arrangedBy', 'Enter who arranges it');
  if (arrangedBy.length > NAME_MAX) p.add('arrangedBy', `Who arranges it must be ${NAME_MAX} characters or fewer`);
  const details = (input.details ?? '').trim();
  if (input.kind === 'disability' && status !== 'declined' && !details)
    p.add('details', 'Enter exactly what is needed so they can take part fully');
  if (details.length > NOTE_MAX)
    p.add('details', `The details must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`);
  p.throwIfAny();
  return {
    kind: input.kind as HelpKind,
    status: status as HelpStatus,
    arrangedBy: arrangedBy || null,
    details: details || null,
  };
}

/** 002 §3.2: only a parent or carer (a family member on the invitation list) sends a report of their own. */
export function maySendParentReport(kind: string): boolean {
  return kind === 'family-member';
}

export const TYPED_REPORT_MAX = 50_000;

/** A report typed in for the parent (what they said or wrote), rather than a file they sent. */
export function checkTypedReport(text: string | null | undefined): string {
  const p = new ProblemList();
  const t = (text ?? '').trim();
  if (!t) p.add('text', 'Enter the parent’s report');
  else if (t.length > TYPED_REPORT_MAX)
    p.add('text', `The report must be ${TYPED_REPORT_MAX.toLocaleString('en-GB')} characters or fewer`);
  p.throwIfAny();
  return t;
}
