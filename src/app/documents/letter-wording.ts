/**
 * The wording of letters (W-1, W-6, W-7; 002 §3.2, §3.10, §3.12): each letter's opening, the paragraph on how to
 * complain and the paragraph on confidentiality. Administrators edit it in plain English with checked
 * placeholders, as they edit the emails' wording (src/app/mail/templates.ts), and it is kept in the same place as
 * the emails' wording under keys that begin "letter-". A key without saved wording uses the default below.
 */
import { DOCUMENT_KINDS, type DocumentKind, type LetterWording } from '../../domain/documents/index.ts';
import {
  BODY_MAX_LENGTH,
  type FieldProblem,
  type PlaceholderDefinition,
  type TemplateDefinition,
  fillPlaceholders,
  normaliseTemplateText,
  placeholderProblems,
  placeholdersIn,
} from '../mail/templates.ts';
import {
  RECORDING_PERMISSION_DECISION_DEFAULT_BODY,
  RECORDING_PERMISSION_DECISION_PLACEHOLDERS,
} from '../mail/recording-permission-templates.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { LetterValues, LetterWordingSource } from './ports.ts';

/** `recording-permission`: a letter of its own, outside the written record (P-3). */
export type LetterPart = 'opening' | 'complaints' | 'confidentiality' | 'recording-permission';

/** One piece of a letter's wording: the email templates' shape without a subject. */
export interface LetterTemplateDefinition extends Omit<TemplateDefinition, 'defaultSubject'> {
  part: LetterPart;
  /** The letters it is printed in. */
  kinds: readonly DocumentKind[];
}

/** Each value a letter's wording may use, by the name written in the wording: ((recipient_name)). */
export const LETTER_PLACEHOLDER_NAMES: Readonly<Record<keyof LetterValues, string>> = {
  recipientName: 'recipient_name',
  childNames: 'child_names',
  conferenceDate: 'conference_date',
  conferenceType: 'conference_type',
  chairName: 'chair_name',
  councilName: 'council_name',
  councilContact: 'council_contact',
};

const placeholder = (
  key: keyof LetterValues,
  description: string,
  example: string,
  requiredInBody = false,
): PlaceholderDefinition => ({
  name: LETTER_PLACEHOLDER_NAMES[key],
  description,
  example,
  ...(requiredInBody ? { requiredInBody } : {}),
});

const LETTER_PLACEHOLDER_LIST = (required: readonly (keyof LetterValues)[] = []): PlaceholderDefinition[] => [
  placeholder(
    'recipientName',
    'The name of the person the letter is addressed to',
    'Sam Example',
    required.includes('recipientName'),
  ),
  placeholder(
    'childNames',
    'The names of the children the conference was about',
    'Jo Example and Max Example',
    required.includes('childNames'),
  ),
  placeholder('conferenceDate', 'The date of the conference', '14 April 2026', required.includes('conferenceDate')),
  placeholder(
    'conferenceType',
    'The kind of conference, in lower case',
    'initial child protection conference',
    required.includes('conferenceType'),
  ),
  placeholder('chairName', 'The name of the conference chair', 'Chris Chair', required.includes('chairName')),
  placeholder(
    'councilName',
    'The council’s name, as set for the service',
    'Northshire County Council',
    required.includes('councilName'),
  ),
  placeholder(
    'councilContact',
    'How to contact the council about conferences (a team, a phone number or an email address), as set for the service',
    'the child protection conference team on 01234 567890',
    required.includes('councilContact'),
  ),
];

/** The key of the letter confirming a decision on a request to record a meeting (P-3). */
export const RECORDING_PERMISSION_LETTER = 'letter-recording-permission-decision';

export const LETTER_TEMPLATE_DEFINITIONS: readonly LetterTemplateDefinition[] = [
  {
    key: 'letter-decision-opening',
    part: 'opening',
    kinds: ['decision-letter'],
    name: 'Decision letter: opening',
    purpose:
      'The start of the letter sent after a conference to everyone invited or attending, telling them what was decided (W-1). The decisions, the plan and the lead social worker follow it.',
    placeholders: LETTER_PLACEHOLDER_LIST(['conferenceDate']),
    defaultBody: `Dear ((recipient_name))

We are writing to tell you what was decided at the ((conference_type)) for ((child_names)) on ((conference_date)). The conference was chaired by ((chair_name)).

We send this letter to everyone who was invited to the conference, whether or not they came to it.

If anything in this letter is not clear, or you need it in large print, in another language or read through with you, contact ((council_contact)).`,
  },
  {
    key: 'letter-plan-opening',
    part: 'opening',
    kinds: ['plan-and-core-group-letter'],
    name: 'Child protection plan and core group letter: opening',
    purpose:
      'The start of the letter that sets out the child protection plan and confirms who is in the core group and when it first meets (002 §3.10). The plan and the core group follow it.',
    placeholders: LETTER_PLACEHOLDER_LIST(['conferenceDate']),
    defaultBody: `Dear ((recipient_name))

At the ((conference_type)) on ((conference_date)), the conference decided that ((child_names)) should have a child protection plan. This letter sets out the plan: what needs to happen, who will do it and by when.

It also tells you who is in the core group and when the core group will first meet. The core group is the family and the professionals who will work together to carry out the plan. If you are in the core group and cannot go to its first meeting, tell the lead social worker as soon as you can.

If anything in this letter is not clear, contact ((council_contact)).`,
  },
  {
    key: 'letter-exclusion-opening',
    part: 'opening',
    kinds: ['exclusion-letter'],
    name: 'Exclusion letter: opening',
    purpose:
      'The start of the letter that gives a person the reasons, in writing, why they were not allowed to take part in all or part of a conference (002 §3.2). The chair’s reasons follow it.',
    placeholders: LETTER_PLACEHOLDER_LIST(['conferenceDate']),
    defaultBody: `Dear ((recipient_name))

You were not able to take part in all or part of the ((conference_type)) for ((child_names)) on ((conference_date)). The chair of the conference, ((chair_name)), made this decision. This letter tells you why.

Your views still matter. If there is anything you want the conference to know, contact ((council_contact)) and we will make sure the chair is told.`,
  },
  {
    key: 'letter-complaints',
    part: 'complaints',
    kinds: DOCUMENT_KINDS,
    name: 'How to complain',
    purpose:
      'The paragraph in the written record that tells the reader how to complain about how the conference was run, the category of the plan, or whether a plan was made (W-7, 002 §3.12).',
    placeholders: LETTER_PLACEHOLDER_LIST(['councilContact']),
    defaultBody: `If you are unhappy about how the conference was run, about the category of the child protection plan, or about whether a plan was made, you can complain.

First, talk to the chair of the conference, ((chair_name)), or contact ((council_contact)). Often a worry can be sorted out this way. If you are still unhappy, we will tell you how to make a formal complaint to ((council_name)) and who will look into it. The person who looks into your complaint may listen to the recording of the conference, if there is one.`,
  },
  {
    key: 'letter-confidentiality',
    part: 'confidentiality',
    kinds: DOCUMENT_KINDS,
    name: 'Confidentiality',
    purpose:
      'The paragraph in the written record that says it is confidential and must not be passed on without the chair’s or the lead social worker’s agreement or a court order (W-6).',
    placeholders: LETTER_PLACEHOLDER_LIST(),
    defaultBody: `Everything in this document is confidential. Please keep it safe. Do not show it to anyone else, copy it or pass it on unless the chair of the conference or the lead social worker has agreed, or a court has ordered it. Do not put any of it online, including on social media.`,
  },
  {
    key: RECORDING_PERMISSION_LETTER,
    part: 'recording-permission',
    kinds: [],
    name: 'Decision on a request to record a meeting',
    purpose:
      'The whole letter confirming to a parent or young person the decision on their request to record a meeting (P-3), printed from the request’s page. The email sent at the same time has its own wording, under the emails’ wording.',
    placeholders: [...RECORDING_PERMISSION_DECISION_PLACEHOLDERS],
    defaultBody: RECORDING_PERMISSION_DECISION_DEFAULT_BODY,
  },
];

const byKey = new Map(LETTER_TEMPLATE_DEFINITIONS.map((d) => [d.key, d]));

export function letterTemplateDefinition(key: string): LetterTemplateDefinition | undefined {
  return byKey.get(key);
}

/** The definition of `kind`'s `part`; undefined when that letter has no such part (only letters have an opening). */
export function letterPartDefinition(kind: DocumentKind, part: LetterPart): LetterTemplateDefinition | undefined {
  return LETTER_TEMPLATE_DEFINITIONS.find((d) => d.part === part && d.kinds.includes(kind));
}

/** Normalises an administrator's wording: Windows line endings, trailing spaces, blank edges. */
export function normaliseLetterText(text: string): string {
  return normaliseTemplateText({ subject: '', body: text }).body;
}

/** Every problem with wording an administrator wants to save (all in the field `body`). */
export function validateLetterText(def: LetterTemplateDefinition, input: string): FieldProblem[] {
  const body = normaliseLetterText(input);
  if (!body) return [{ field: 'body', message: 'Enter the wording' }];
  if (body.length > BODY_MAX_LENGTH)
    return [
      { field: 'body', message: `Wording must be ${BODY_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer` },
    ];
  const problems = placeholderProblems(def, body, 'Wording', 'letter').map((message) => ({ field: 'body', message }));
  const used = new Set(placeholdersIn(body));
  const missing = def.placeholders.filter((p) => p.requiredInBody && !used.has(p.name)).map((p) => `((${p.name}))`);
  if (missing.length > 0)
    problems.push({
      field: 'body',
      message: `Wording must include ${missing.join(', ')}: the letter is no use without ${missing.length === 1 ? 'it' : 'them'}`,
    });
  return problems;
}

/** The values by placeholder name. */
export function letterPlaceholderValues(values: LetterValues): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(LETTER_PLACEHOLDER_NAMES) as (keyof LetterValues)[]).map((k) => [
      LETTER_PLACEHOLDER_NAMES[k],
      values[k],
    ]),
  );
}

/** Example values for the preview: invented, never real data. */
export function exampleLetterValues(def: LetterTemplateDefinition): Record<string, string> {
  return Object.fromEntries(def.placeholders.map((p) => [p.name, p.example]));
}

/** Fills the wording's placeholders for one addressee; a value's line breaks become spaces. */
export function renderLetterText(text: string, values: Readonly<Record<string, string>>): string {
  return fillPlaceholders(normaliseLetterText(text), values, true);
}

/**
 * The wording in force for `def`: the administrator's saved wording, or the default when none is saved. Saved
 * wording that no longer passes the checks (a placeholder since withdrawn) gives way to the default, so a letter
 * never goes out with a placeholder left in it.
 */
export function wordingInForce(def: LetterTemplateDefinition, stored: { body: string } | null): string {
  if (stored && validateLetterText(def, stored.body).length === 0) return stored.body;
  return def.defaultBody;
}

/**
 * P-3: the letter confirming the decision on a request to record a meeting, as administrators set it (or the
 * default), filled in; a value's line breaks are kept (the reasons and what is offered are lists).
 */
export function recordingPermissionLetterText(
  stored: { body: string } | null,
  values: Readonly<Record<string, string>>,
): string {
  const def = byKey.get(RECORDING_PERMISSION_LETTER)!;
  return fillPlaceholders(normaliseLetterText(wordingInForce(def, stored)), values);
}

/** The letters' wording as administrators have set it (or the default), filled for one addressee. */
export class TemplateLetterWording implements LetterWordingSource {
  async wordingFor(repos: Repositories, kind: DocumentKind, values: LetterValues): Promise<LetterWording> {
    const filled = letterPlaceholderValues(values);
    const part = async (name: LetterPart): Promise<string> => {
      const def = letterPartDefinition(kind, name);
      if (!def) return '';
      const stored = await repos.messageTemplates.get(def.key);
      return renderLetterText(wordingInForce(def, stored), filled);
    };
    return {
      opening: await part('opening'),
      complaints: await part('complaints'),
      confidentiality: await part('confidentiality'),
    };
  }
}
