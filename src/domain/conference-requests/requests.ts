/**
 * Professionals asking for a conference (002 §1.1): a professional most involved with the child, or one who took
 * part in the section 47 enquiry, may ask children's social care to convene a conference when they have serious
 * concerns that the child's welfare may not be adequately safeguarded. A team manager decides. A request supported
 * by a senior manager, a named professional or a designated professional should normally be agreed, so declining
 * one needs a fuller reason: why this one is the exception. Declining any request records the reasons and the
 * discussion held to resolve the difference of opinion. Pure: no I/O.
 */
import type { FieldProblem } from '../shared/errors.ts';

export const SUPPORT_KINDS = ['none', 'senior-manager', 'named-professional', 'designated-professional'] as const;
export type SupportKind = (typeof SUPPORT_KINDS)[number];
export const SUPPORT_KIND_LABELS: Readonly<Record<SupportKind, string>> = {
  none: 'Not supported by a senior manager, named or designated professional',
  'senior-manager': 'A senior manager',
  'named-professional': 'A named professional',
  'designated-professional': 'A designated professional',
};

export const REQUEST_STATUSES = ['awaiting-decision', 'agreed', 'declined'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const REQUEST_STATUS_LABELS: Readonly<Record<RequestStatus, string>> = {
  'awaiting-decision': 'Waiting for a decision',
  agreed: 'Agreed',
  declined: 'Declined',
};

export const MAX_NAME_LENGTH = 200;
export const MAX_TEXT_LENGTH = 4000;

export function isSupportKind(v: unknown): v is SupportKind {
  return typeof v === 'string' && (SUPPORT_KINDS as readonly string[]).includes(v);
}

/** Who asked: a professional on the child's record, or one described by name, agency and role. */
export type RequesterInput =
  | { kind: 'on-record'; professionalId: string }
  | { kind: 'described'; name: string; agency: string; role: string; email: string | null };

export interface NewRequestInput {
  requester: RequesterInput;
  /** The serious concerns: why a conference is asked for. */
  reasons: string;
  support: SupportKind;
  /** The senior manager, named or designated professional supporting it; required unless `none`. */
  supporterName: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const clean = (v: string | null | undefined): string => (v ?? '').trim();

function required(problems: FieldProblem[], field: string, value: string, missing: string, max: number, what: string) {
  if (!value) problems.push({ field, message: missing });
  else if (value.length > max)
    problems.push({ field, message: `${what} must be ${max.toLocaleString('en-GB')} characters or fewer` });
}

/** A new request as typed on the form or sent to the API, before it is checked. */
export interface NewRequestForm {
  requesterKind: unknown;
  professionalId?: string | null;
  name?: string | null;
  agency?: string | null;
  role?: string | null;
  email?: string | null;
  reasons?: string | null;
  support?: unknown;
  supporterName?: string | null;
}

/** A decision on a request as typed on the form or sent to the API, before it is checked. */
export interface DecisionForm {
  decision: unknown;
  reasons?: string | null;
  discussion?: string | null;
  exceptionReason?: string | null;
}

/** 002 §1.1: what a request must say; every problem at once. */
export function checkNewRequest(input: NewRequestForm): { value: NewRequestInput | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  let requester: RequesterInput | null = null;
  if (input.requesterKind === 'on-record') {
    const id = clean(input.professionalId);
    if (!id) problems.push({ field: 'professionalId', message: 'Select the professional who asked' });
    else requester = { kind: 'on-record', professionalId: id };
  } else if (input.requesterKind === 'described') {
    const name = clean(input.name);
    const agency = clean(input.agency);
    const role = clean(input.role);
    const email = clean(input.email) || null;
    required(problems, 'name', name, 'Enter the name of the professional who asked', MAX_NAME_LENGTH, 'The name');
    required(problems, 'agency', agency, 'Enter the professional’s agency', MAX_NAME_LENGTH, 'The agency');
    required(problems, 'role', role, 'Enter the professional’s role', MAX_NAME_LENGTH, 'The role');
    if (email && (!EMAIL.test(email) || email.length > 320))
      problems.push({ field: 'email', message: 'Enter an email address in the correct format, like name@example.com' });
    requester = { kind: 'described', name, agency, role, email };
  } else {
    problems.push({ field: 'requesterKind', message: 'Select who asked for the conference' });
  }
  const reasons = clean(input.reasons);
  required(
    problems,
    'reasons',
    reasons,
    'Enter the concerns that led the professional to ask for a conference',
    MAX_TEXT_LENGTH,
    'The concerns',
  );
  let support: SupportKind = 'none';
  if (!isSupportKind(input.support))
    problems.push({
      field: 'support',
      message: 'Select whether a senior manager, named or designated professional supports the request',
    });
  else support = input.support;
  const supporterName = clean(input.supporterName) || null;
  if (support !== 'none')
    required(
      problems,
      'supporterName',
      supporterName ?? '',
      'Enter the name of the person supporting the request',
      MAX_NAME_LENGTH,
      'The name',
    );
  if (problems.length || !requester) return { value: null, problems };
  return {
    value: { requester, reasons, support, supporterName: support === 'none' ? null : supporterName },
    problems,
  };
}

export type DecisionInput =
  | { decision: 'agree' }
  | {
      decision: 'decline';
      reasons: string;
      /** The discussion or explanation held to resolve the difference of opinion. */
      discussion: string;
      /** For a supported request: why it is not agreed, though such a request should normally be. */
      exceptionReason: string | null;
    };

/** 002 §1.1: the team manager's decision; a supported request declined needs why it is the exception. */
export function checkDecision(
  status: RequestStatus,
  support: SupportKind,
  input: DecisionForm,
): { value: DecisionInput | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (status !== 'awaiting-decision') {
    problems.push({ field: 'decision', message: 'This request has already been decided' });
    return { value: null, problems };
  }
  if (input.decision === 'agree') return { value: { decision: 'agree' }, problems };
  if (input.decision !== 'decline') {
    problems.push({ field: 'decision', message: 'Select whether to agree to hold a conference' });
    return { value: null, problems };
  }
  const reasons = clean(input.reasons);
  const discussion = clean(input.discussion);
  const exception = clean(input.exceptionReason);
  required(problems, 'reasons', reasons, 'Enter the reasons for declining the request', MAX_TEXT_LENGTH, 'The reasons');
  required(
    problems,
    'discussion',
    discussion,
    'Enter the discussion held with the professional to resolve the difference of opinion',
    MAX_TEXT_LENGTH,
    'The discussion',
  );
  if (support !== 'none')
    required(
      problems,
      'exceptionReason',
      exception,
      `The request is supported by ${SUPPORT_KIND_LABELS[support].toLowerCase()}, so it should normally be agreed: enter why this request is an exception`,
      MAX_TEXT_LENGTH,
      'The reason',
    );
  if (problems.length) return { value: null, problems };
  return {
    value: { decision: 'decline', reasons, discussion, exceptionReason: support === 'none' ? null : exception },
    problems,
  };
}
