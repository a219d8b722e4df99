import type { PlaceholderDefinition, TemplateDefinition } from './templates.ts';

// The emails about a conference sent to the people invited to it: the invitation, a change of date,
// time or venue, and a cancellation. The letter itself is built by the service from the record (with
// the R-1 notice that the conference is recorded); the wording around it is the council's to edit.

const councilName: PlaceholderDefinition = {
  name: 'council_name',
  description: 'The council’s name, as set for the service',
  example: 'Northshire County Council',
  fromService: true,
};
const conferenceDate: PlaceholderDefinition = {
  name: 'conference_date',
  description: 'The day, date and start time of the conference',
  example: 'Monday 16 March 2026 at 10am',
};
const letter: PlaceholderDefinition = {
  name: 'invitation_letter',
  description:
    'The invitation letter: when and where, the children, what is asked of the person, and that the conference will be audio recorded',
  example:
    '16 March 2026\n\nDear Alex Example,\n\nYou are invited to an initial child protection conference about Sam.\n\n…\n\nThe conference will be recorded\n\nThe conference will be audio recorded. …',
  requiredInBody: true,
};

/** W-6: said in every email about a document, whatever the council's wording; the template must include it. */
export const DOCUMENT_CONFIDENTIALITY =
  'This document is confidential. Do not pass it, or this email, to anyone else without the agreement of the conference chair or the lead social worker.';

/** The email linking a professional with an account to their copy of a document of the written record (W-4, W-6). */
export const DOCUMENT_SENT_TEMPLATE: TemplateDefinition = {
  key: 'document-sent',
  name: 'Send a professional their copy of a conference document',
  purpose:
    'Sent to a professional with an account in the service when business support sends them their copy of a letter or the record of a child protection conference (W-4). The link opens the copy in the service after signing in; the email says the document is confidential (W-6).',
  placeholders: [
    { name: 'recipient_name', description: 'The name of the person the copy is addressed to', example: 'Alex Example' },
    { name: 'document_title', description: 'The document, for example "Decision letter"', example: 'Decision letter' },
    conferenceDate,
    {
      name: 'document_link',
      description: 'A link to the copy in the service (the recipient must sign in to open it)',
      example: 'https://cpcr.northshire.example/conferences/6f1c0e2a-0000-4000-8000-000000000000/documents/sent/1',
      requiredInBody: true,
    },
    {
      name: 'confidentiality',
      description:
        'That the document is confidential and not to be passed on without the chair’s or the lead social worker’s agreement (W-6)',
      example: DOCUMENT_CONFIDENTIALITY,
      requiredInBody: true,
    },
    councilName,
  ],
  defaultSubject: 'Your copy of the ((document_title)) from the child protection conference on ((conference_date))',
  defaultBody: `Dear ((recipient_name)),

Your copy of the ((document_title)) from the child protection conference on ((conference_date)) is ready. Sign in to the service to read or download it:

((document_link))

((confidentiality))

((council_name))`,
};

/**
 * The email sending a family member, or anyone without an account, a secure download link to their copy of a
 * document (W-4, W-6, A-5, A-6): the page asks for a one-time code sent to the same address before releasing it.
 */
export const DOCUMENT_SECURE_LINK_TEMPLATE: TemplateDefinition = {
  key: 'document-secure-link',
  name: 'Send someone without an account a secure link to their copy of a conference document',
  purpose:
    'Sent to a parent, a young person or a professional without an account when business support sends them their copy of a letter or the record of a child protection conference by secure link (W-4), to the address they confirmed is theirs and secure. The page asks for a one-time code sent to the same address; the email says the document is confidential (W-6).',
  placeholders: [
    { name: 'recipient_name', description: 'The name of the person the copy is addressed to', example: 'Alex Example' },
    { name: 'document_title', description: 'The document, for example "decision letter"', example: 'decision letter' },
    conferenceDate,
    {
      name: 'download_link',
      description: 'The link to the secure download page',
      example: 'https://cpcr.northshire.example/copy/…',
      requiredInBody: true,
    },
    { name: 'expires_on', description: 'When the link stops working', example: '10:15am on 16 April 2026' },
    {
      name: 'confidentiality',
      description:
        'That the document is confidential and not to be passed on without the chair’s or the lead social worker’s agreement (W-6)',
      example: DOCUMENT_CONFIDENTIALITY,
      requiredInBody: true,
    },
    councilName,
  ],
  defaultSubject: 'Your copy of the ((document_title)) from the child protection conference on ((conference_date))',
  defaultBody: `Dear ((recipient_name)),

Your copy of the ((document_title)) from the child protection conference on ((conference_date)) is ready. You can download it from this page:

((download_link))

When you open the page, we will send a one-time code to this email address. You will need to enter the code on the page before you can download your copy. The link works until ((expires_on)).

((confidentiality))

If you were not expecting this email, do not open the link.

((council_name))`,
};

/** The one-time code for a document's secure link: sent to the address the link was sent to. */
export const DOCUMENT_CODE_TEMPLATE: TemplateDefinition = {
  key: 'document-one-time-code',
  name: 'Send the one-time code to download a conference document',
  purpose: 'Sent to someone who opens a secure link to their copy of a conference document and asks for a code (A-6).',
  placeholders: [
    { name: 'code', description: 'The one-time code', example: '482915', requiredInBody: true },
    { name: 'expires_in', description: 'How long the code works for', example: '10 minutes' },
    {
      name: 'reply_to',
      description: 'How to reach conference business support',
      example: 'conference.support@northshire.example',
    },
    councilName,
  ],
  defaultSubject: 'Your one-time code',
  defaultBody: `Your one-time code to download your copy of the conference document is:

((code))

You can use it once. It stops working after ((expires_in)).

Do not give this code to anyone. We will never ask you for it.

If you did not try to download a document just now, tell us at ((reply_to)).

((council_name))`,
};

export const CONFERENCE_TEMPLATE_DEFINITIONS: readonly TemplateDefinition[] = [
  {
    key: 'conference-invitation',
    name: 'Invite someone to a conference',
    purpose:
      'Sent to each person invited to a child protection conference who has an email address, when business support sends the invitations by email. It carries the invitation letter, which says the conference will be recorded.',
    placeholders: [conferenceDate, letter, councilName],
    defaultSubject: 'Invitation to a child protection conference on ((conference_date))',
    defaultBody: `Your invitation to a child protection conference on ((conference_date)) is below. Please read all of it: it says what the conference is for, how you can take part, and that the conference will be audio recorded.

((invitation_letter))

This email is confidential. Do not forward it.`,
  },
  {
    key: 'conference-changed',
    name: 'Tell people invited that a conference has changed',
    purpose:
      'Sent to each person already invited who has an email address when the date, time, venue or chair of a conference changes, with their new invitation.',
    placeholders: [
      conferenceDate,
      {
        name: 'what_changed',
        description: 'What changed, from what to what, one line each',
        example: 'Date: was Monday 16 March 2026, now Wednesday 18 March 2026',
        requiredInBody: true,
      },
      letter,
      councilName,
    ],
    defaultSubject: 'Child protection conference changed: now ((conference_date))',
    defaultBody: `The child protection conference you are invited to has changed.

((what_changed))

Your new invitation is below. It replaces the one you were sent before.

((invitation_letter))

This email is confidential. Do not forward it.`,
  },
  {
    key: 'conference-cancelled',
    name: 'Tell people invited that a conference is cancelled',
    purpose:
      'Sent to each person who was sent an invitation and has an email address when a conference is cancelled. The reason is kept on the record and is not given in the email.',
    placeholders: [
      conferenceDate,
      {
        name: 'cancellation_notice',
        description: 'The cancellation notice: which conference, that it will not take place, and who to contact',
        example:
          'Dear Alex Example,\n\nThe initial child protection conference about Sam on Monday 16 March 2026 at 10am has been cancelled. …',
        requiredInBody: true,
      },
      councilName,
    ],
    defaultSubject: 'Child protection conference on ((conference_date)) cancelled',
    defaultBody: `((cancellation_notice))

This email is confidential. Do not forward it.`,
  },
  DOCUMENT_SENT_TEMPLATE,
  DOCUMENT_SECURE_LINK_TEMPLATE,
  DOCUMENT_CODE_TEMPLATE,
];
