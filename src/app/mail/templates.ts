import { DomainError } from '../../domain/shared/errors.ts';
import { CONFERENCE_TEMPLATE_DEFINITIONS } from './conference-templates.ts';
import { RECORDING_PERMISSION_TEMPLATE_DEFINITIONS } from './recording-permission-templates.ts';
import { CONFERENCE_REQUEST_TEMPLATE_DEFINITIONS } from './conference-request-templates.ts';
import { PLAN_ENDING_TEMPLATE_DEFINITIONS } from './plan-ending-templates.ts';
import { CORE_GROUP_REMINDER_TEMPLATE } from './core-group-templates.ts';
import {
  COVERT_RECORDING_REMINDER_TEMPLATE,
  COVERT_RECORDING_REPORTED_TEMPLATE,
} from './recording-incident-templates.ts';

/**
 * The emails the service sends, their default wording and the placeholders each may use. Wording is
 * plain English and editable by administrators; every message is marked OFFICIAL-SENSITIVE at its top
 * and bottom by the service (an administrator cannot remove the marking). Placeholders are written
 * `((name))`; every placeholder a template may use must be given a value when a message is composed,
 * and a template may only use its own placeholders (checked when an administrator saves it).
 */

export const SECURITY_MARKING = 'OFFICIAL-SENSITIVE';

export const SUBJECT_MAX_LENGTH = 180;
export const BODY_MAX_LENGTH = 10_000;

export interface PlaceholderDefinition {
  name: string;
  /** What it is, for the administrator editing the wording. */
  description: string;
  /** Shown in the preview. Invented, never real data. */
  example: string;
  /** The message is useless without it (a link, a code): the body must use it. */
  requiredInBody?: boolean;
  /** Filled in by the service itself (the caller does not pass it). */
  fromService?: boolean;
}

export interface TemplateDefinition {
  key: string;
  name: string;
  /** When it is sent and to whom, with the rule it serves. */
  purpose: string;
  placeholders: readonly PlaceholderDefinition[];
  defaultSubject: string;
  defaultBody: string;
}

export interface TemplateText {
  subject: string;
  body: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export type MailErrorCode =
  | 'UNKNOWN_TEMPLATE'
  | 'INVALID_TEMPLATE'
  | 'MISSING_VALUES'
  | 'UNEXPECTED_VALUES'
  | 'INVALID_ADDRESS'
  | 'NOT_RETRYABLE';

export class MailError extends DomainError {
  declare readonly code: MailErrorCode;
  constructor(code: MailErrorCode, message: string, field?: string) {
    super(code, message, field);
    this.name = 'MailError';
  }
}

/** Wording an administrator tried to save that breaks the rules: every problem, for the error summary. */
export class InvalidTemplateError extends MailError {
  readonly problems: readonly FieldProblem[];
  constructor(problems: readonly FieldProblem[]) {
    const first = problems[0] ?? { field: 'body', message: 'The wording is not valid' };
    super('INVALID_TEMPLATE', first.message, first.field);
    this.name = 'InvalidTemplateError';
    this.problems = problems;
  }
}

const councilName: PlaceholderDefinition = {
  name: 'council_name',
  description: 'The council’s name, as set for the service',
  example: 'Northshire County Council',
  fromService: true,
};
const requesterName: PlaceholderDefinition = {
  name: 'requester_name',
  description: 'The name of the person who asked for the copy',
  example: 'Alex Example',
};
const requestReference: PlaceholderDefinition = {
  name: 'request_reference',
  description: 'The request’s reference',
  example: 'CR-2026-0042',
};
const replyTo: PlaceholderDefinition = {
  name: 'reply_to',
  description: 'How to contact conference business support (an email address or phone number)',
  example: 'conference.support@northshire.example',
};
const requestLink = (requiredInBody: boolean): PlaceholderDefinition => ({
  name: 'request_link',
  description: 'A link to the request in the service (staff must sign in to open it)',
  example: 'https://cpcr.northshire.example/requests/6f1c0e2a-0000-4000-8000-000000000000',
  requiredInBody,
});
const sentOn: PlaceholderDefinition = {
  name: 'sent_on',
  description: 'The date the copy was sent',
  example: '14 April 2026',
};

const chairName: PlaceholderDefinition = {
  name: 'chair_name',
  description: 'The name of the conference chair who passed the request on',
  example: 'Sam Chair',
};
const conferenceDate: PlaceholderDefinition = {
  name: 'conference_date',
  description: 'The date of the conference the recording is of',
  example: '16 March 2026',
};

const copySentPlaceholders = [requestReference, sentOn, requestLink(true), councilName] as const;

export const TEMPLATE_DEFINITIONS: readonly TemplateDefinition[] = [
  {
    key: 'email-confirmation',
    name: 'Ask the requester to confirm their details',
    purpose: 'Sent by business support to the person who asked for a copy, before anything else is sent.',
    placeholders: [
      requesterName,
      requestReference,
      chairName,
      conferenceDate,
      { ...replyTo, requiredInBody: true },
      councilName,
    ],
    defaultSubject: 'Your request for a copy of a conference recording: please confirm your details',
    defaultBody: `Dear ((requester_name))

((chair_name)), the conference chair, has told us that you would like a copy of the audio recording of the child protection conference about your child or children on ((conference_date)). Your reference is ((request_reference)).

Before we can send you anything, please reply to ((reply_to)) to:

* confirm that this email address is secure and that only you can read the emails sent to it
* give the full name and date of birth of each child the conference was about

Please be mindful of other people who may be able to read your emails, such as your children, another adult or an employer. The information is personal to the children the conference was about and must not be passed on.

We will not send the recording until we have your reply. If the details do not match our records, we will contact you before going any further.

If you did not ask for a copy of a recording, tell us at ((reply_to)).

((council_name))`,
  },
  {
    key: 'copy-ready',
    name: 'Tell the requester their copy is ready',
    purpose: 'Sent to the person who asked for a copy when it has been approved, with the link to the download page.',
    placeholders: [
      requesterName,
      requestReference,
      {
        name: 'download_link',
        description: 'The link to the download page',
        example: 'https://cpcr.northshire.example/download/…',
        requiredInBody: true,
      },
      { name: 'expires_on', description: 'The last day the link works', example: '28 April 2026' },
      chairName,
      conferenceDate,
      replyTo,
      councilName,
    ],
    defaultSubject: 'Your copy of the conference recording is ready',
    defaultBody: `Dear ((requester_name))

The copy of the audio recording of the child protection conference on ((conference_date)) that you asked for (reference ((request_reference))) is ready.

You can download it from this page:
((download_link))

When you open the page, we will send a one-time code to this email address. You will need to enter the code on the page before you can download the recording. The link works until ((expires_on)).

The recording is confidential. It is for you only. Do not share it, play it to anyone else or put it online, including on social media. Please be mindful of other people who may be able to read your emails.

If you were not expecting this email, do not open the link. Tell us at ((reply_to)).

((council_name))`,
  },
  {
    key: 'one-time-code',
    name: 'Send the one-time code for a download',
    purpose: 'Sent to the person who asked for a copy when they open the download page.',
    placeholders: [
      { name: 'code', description: 'The one-time code', example: '482915', requiredInBody: true },
      { name: 'expires_in', description: 'How long the code works for', example: '10 minutes' },
      replyTo,
      councilName,
    ],
    defaultSubject: 'Your one-time code',
    defaultBody: `Your one-time code to download the conference recording is:

((code))

You can use it once. It stops working after ((expires_in)).

Do not give this code to anyone. We will never ask you for it.

If you did not try to download a recording just now, tell us at ((reply_to)).

((council_name))`,
  },
  {
    key: 'request-referred',
    name: 'Tell staff a request has been referred',
    purpose:
      'Sent on the day a chair refers a request to conference business support, the social worker and the quality assurance service manager.',
    placeholders: [
      requestReference,
      { name: 'received_on', description: 'The date the request was received', example: '2 April 2026' },
      { name: 'due_on', description: 'The date the copy must be sent by', example: '5 May 2026' },
      { name: 'referred_by', description: 'The name of the chair who referred it', example: 'Chris Chair' },
      requestLink(true),
      councilName,
    ],
    defaultSubject: 'A request for a copy of a conference recording has been referred to you: ((request_reference))',
    defaultBody: `A chair has referred a request for a copy of a child protection conference recording.

Reference: ((request_reference))
Received: ((received_on))
Copy due by: ((due_on))
Referred by: ((referred_by))

Conference business support: please start work on the request today.
Social worker and quality assurance service manager: this is for your information. You do not need to do anything unless the chair asks you to.

Sign in to the service to see the request:
((request_link))

Do not forward this email.

((council_name))`,
  },
  {
    key: 'confirmation-failed',
    name: 'Tell the chair the requester’s details did not match',
    purpose: 'Sent to the chair when the details the requester gave do not match the record, which stops the request.',
    placeholders: [requestReference, requestLink(true), councilName],
    defaultSubject: 'A request for a copy of a recording has been stopped: ((request_reference))',
    defaultBody: `The details the requester gave for request ((request_reference)) do not match our records, so nothing has been sent and the request has been stopped.

Sign in to the service to see what was given and decide what happens next:
((request_link))

Do not forward this email.

((council_name))`,
  },
  {
    key: 'request-ended',
    name: 'Tell staff a referred request has ended without a copy',
    purpose:
      'Sent to the chair, conference business support, the social worker and the quality assurance service manager when a referred request is refused or withdrawn, so nobody goes on working on it.',
    placeholders: [
      requestReference,
      { name: 'ended_as', description: 'How the request ended: refused or withdrawn', example: 'withdrawn' },
      requestLink(true),
      councilName,
    ],
    defaultSubject: 'A request for a copy of a conference recording has been ((ended_as)): ((request_reference))',
    defaultBody: `Request ((request_reference)) for a copy of a child protection conference recording has been ((ended_as)). No copy will be sent.

Please stop any work on it. The reason is recorded on the request.

Sign in to the service to see the request:
((request_link))

Do not forward this email.

((council_name))`,
  },
  {
    key: 'copy-sent-chair',
    name: 'Tell the chair the copy has been sent',
    purpose: 'Sent to the conference chair when the copy has been sent to the requester.',
    placeholders: copySentPlaceholders,
    defaultSubject: 'Copy of a conference recording sent: ((request_reference))',
    defaultBody: `The copy of the conference recording for request ((request_reference)) was sent to the requester on ((sent_on)).

A case note has been added to each child’s record. You do not need to do anything.

You can see the request, what was withheld from the copy and who approved it in the service:
((request_link))

((council_name))`,
  },
  {
    key: 'copy-sent-social-worker',
    name: 'Tell the social worker the copy has been sent',
    purpose: 'Sent to the child’s social worker when the copy has been sent to the requester.',
    placeholders: copySentPlaceholders,
    defaultSubject: 'Copy of a conference recording sent: ((request_reference))',
    defaultBody: `The copy of the conference recording for request ((request_reference)) was sent to the requester on ((sent_on)).

A case note has been added to each child’s record. If you have any worries about how the recording might be used, speak to the conference chair.

Sign in to the service to see the request:
((request_link))

((council_name))`,
  },
  {
    key: 'copy-sent-qa-manager',
    name: 'Tell the quality assurance service manager the copy has been sent',
    purpose: 'Sent to the quality assurance service manager when the copy has been sent to the requester.',
    placeholders: copySentPlaceholders,
    defaultSubject: 'Copy of a conference recording sent: ((request_reference))',
    defaultBody: `The copy of the conference recording for request ((request_reference)) was sent to the requester on ((sent_on)).

A case note has been added to each child’s record. This is for your records.

Sign in to the service to see the request and how long it took:
((request_link))

((council_name))`,
  },
  {
    key: 'password-reset',
    name: 'Send a link to set a new password',
    purpose:
      'Sent to a member of staff when an administrator resets their password. The link works once, for 24 hours.',
    placeholders: [
      {
        name: 'person_name',
        description: 'The name of the person whose password is being reset',
        example: 'Sam Example',
      },
      {
        name: 'reset_link',
        description: 'The one-time link to set a new password',
        example: 'https://cpcr.northshire.example/set-password/…',
        requiredInBody: true,
      },
      { name: 'expires_at', description: 'When the link stops working', example: '14 April 2026 at 3:15pm' },
      councilName,
    ],
    defaultSubject: 'Set a new password for the child protection conference records service',
    defaultBody: `Dear ((person_name))

An administrator has reset your password for the child protection conference records service. Your old password no longer works.

Set a new password using this link:
((reset_link))

The link works once, until ((expires_at)). If it has expired, ask your service administrator for a new one.

Do not forward this email. If you did not expect it, tell your service administrator.

((council_name))`,
  },
  ...CONFERENCE_TEMPLATE_DEFINITIONS,
  COVERT_RECORDING_REPORTED_TEMPLATE,
  COVERT_RECORDING_REMINDER_TEMPLATE,
  ...RECORDING_PERMISSION_TEMPLATE_DEFINITIONS,
  ...CONFERENCE_REQUEST_TEMPLATE_DEFINITIONS,
  ...PLAN_ENDING_TEMPLATE_DEFINITIONS,
  CORE_GROUP_REMINDER_TEMPLATE,
];

const byKey = new Map(TEMPLATE_DEFINITIONS.map((d) => [d.key, d]));

export function templateDefinition(key: string): TemplateDefinition | undefined {
  return byKey.get(key);
}

const PLACEHOLDER = /\(\((.*?)\)\)/g;
const NAME = /^[a-z][a-z0-9_]*$/;

/** The placeholder names used in a piece of text, in order, without repeats. */
export function placeholdersIn(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) seen.add(m[1]!);
  return [...seen];
}

const list = (names: readonly string[]) => names.map((n) => `((${n}))`).join(', ');

/**
 * The placeholder problems in one piece of wording: placeholders the template may not use, and stray “((” or
 * “))”. `label` names the field in the message (“Message”, “Wording”); `noun` names what is being written
 * (“email”, “letter”).
 */
export function placeholderProblems(
  def: Pick<TemplateDefinition, 'placeholders'>,
  text: string,
  label: string,
  noun = 'email',
): string[] {
  const allowed = new Set(def.placeholders.map((p) => p.name));
  const problems: string[] = [];
  const used = placeholdersIn(text);
  const unknown = used.filter((n) => !allowed.has(n));
  if (unknown.length > 0) {
    const shown = unknown.map((n) => (NAME.test(n) ? `((${n}))` : `((${n.slice(0, 40)}))`));
    problems.push(
      `${label} uses ${shown.join(', ')}, which ${unknown.length === 1 ? 'is not a placeholder' : 'are not placeholders'} this ${noun} can use. Use only ${list([...allowed])}`,
    );
  }
  const leftOver = text.replace(PLACEHOLDER, '');
  if (leftOver.includes('((') || leftOver.includes('))')) {
    problems.push(
      `${label} has “((” or “))” that is not part of a placeholder: write placeholders like ((${def.placeholders[0]?.name ?? 'name'}))`,
    );
  }
  return problems;
}

function problemsIn(def: TemplateDefinition, field: 'subject' | 'body', text: string): string[] {
  return placeholderProblems(def, text, field === 'subject' ? 'Subject' : 'Message');
}

/**
 * Puts each value in place of its placeholder, once: a value that looks like a placeholder stays as typed, and a
 * placeholder without a value is left as written. `oneLine` folds a value's line breaks into spaces.
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>, oneLine = false): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) return whole;
    const clean = v.replace(/\r\n?/g, '\n');
    return oneLine ? clean.replace(/\s*\n\s*/g, ' ').trim() : clean;
  });
}

/** Normalises an administrator's wording: Windows line endings, trailing spaces, blank edges. */
export function normaliseTemplateText(input: TemplateText): TemplateText {
  return {
    subject: input.subject.trim(),
    body: input.body
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .trim(),
  };
}

/** Every problem with wording an administrator wants to save, by field (subject, body). */
export function validateTemplateText(def: TemplateDefinition, input: TemplateText): FieldProblem[] {
  const { subject, body } = normaliseTemplateText(input);
  const problems: FieldProblem[] = [];
  if (!subject) problems.push({ field: 'subject', message: 'Enter a subject' });
  else if (/[\r\n]/.test(subject)) problems.push({ field: 'subject', message: 'Subject must be on one line' });
  else if (subject.length > SUBJECT_MAX_LENGTH)
    problems.push({ field: 'subject', message: `Subject must be ${SUBJECT_MAX_LENGTH} characters or fewer` });
  else for (const message of problemsIn(def, 'subject', subject)) problems.push({ field: 'subject', message });

  if (!body) problems.push({ field: 'body', message: 'Enter the message' });
  else if (body.length > BODY_MAX_LENGTH)
    problems.push({
      field: 'body',
      message: `Message must be ${BODY_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`,
    });
  else {
    for (const message of problemsIn(def, 'body', body)) problems.push({ field: 'body', message });
    const used = new Set(placeholdersIn(body));
    const missing = def.placeholders.filter((p) => p.requiredInBody && !used.has(p.name)).map((p) => p.name);
    if (missing.length > 0)
      problems.push({
        field: 'body',
        message: `Message must include ${list(missing)}: the email is no use without ${missing.length === 1 ? 'it' : 'them'}`,
      });
  }
  return problems;
}

/** The values a caller must pass (everything but what the service fills in itself). */
export function callerPlaceholders(def: TemplateDefinition): string[] {
  return def.placeholders.filter((p) => !p.fromService).map((p) => p.name);
}

/**
 * Renders a message. `values` must hold a non-empty value for every placeholder the template may use
 * (not only those the current wording uses, so an administrator's later edit cannot leave a hole),
 * and nothing else. Values are inserted once: a value that looks like a placeholder stays as typed.
 */
export function renderMessage(
  def: TemplateDefinition,
  text: TemplateText,
  values: Readonly<Record<string, string>>,
): RenderedMessage {
  const allowed = new Set(def.placeholders.map((p) => p.name));
  const unexpected = Object.keys(values).filter((k) => !allowed.has(k));
  if (unexpected.length > 0)
    throw new MailError('UNEXPECTED_VALUES', `The ${def.key} email has no placeholder ${list(unexpected)}`);
  const missing = def.placeholders
    .filter((p) => typeof values[p.name] !== 'string' || values[p.name]!.trim() === '')
    .map((p) => p.name);
  if (missing.length > 0)
    throw new MailError('MISSING_VALUES', `The ${def.key} email needs a value for ${list(missing)}`);

  const subject = fillPlaceholders(text.subject, values, true).trim();
  const body = fillPlaceholders(text.body.replace(/\r\n?/g, '\n'), values).trim();
  return {
    subject: subject.startsWith(SECURITY_MARKING) ? subject : `${SECURITY_MARKING}: ${subject}`,
    text: `${SECURITY_MARKING}\n\n${body}\n\n${SECURITY_MARKING}\n`,
  };
}

/** Example values for the preview, including what the service fills in. */
export function exampleValues(def: TemplateDefinition): Record<string, string> {
  return Object.fromEntries(def.placeholders.map((p) => [p.name, p.example]));
}
