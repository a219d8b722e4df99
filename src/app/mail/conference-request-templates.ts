import type { TemplateDefinition } from './templates.ts';

// 002 §1.1: a professional who asked children's social care to convene a conference is told the team manager's
// decision. The email names the child only by the council's case reference; declined, it gives the reasons.

export const CONFERENCE_REQUEST_DECIDED_TEMPLATE: TemplateDefinition = {
  key: 'conference-request-decided',
  name: 'Tell a professional the decision on their request for a conference',
  purpose:
    'Sent to a professional who asked children’s social care to convene a child protection conference, when a team manager agrees or declines the request (where the professional has an email address).',
  placeholders: [
    { name: 'requester_name', description: 'The name of the professional who asked', example: 'Dr Alex Example' },
    { name: 'child_reference', description: 'The council’s case reference for the child', example: 'NS-004211' },
    { name: 'requested_on', description: 'The date the request was recorded', example: '2 March 2026' },
    {
      name: 'decision',
      description: 'The decision and what happens next, or why the request was declined',
      example: 'The request has been agreed. A conference will be arranged and you will be invited to it.',
      requiredInBody: true,
    },
    {
      name: 'council_name',
      description: 'The council’s name, as set for the service',
      example: 'Northshire County Council',
      fromService: true,
    },
  ],
  defaultSubject: 'Your request for a child protection conference',
  defaultBody: `Dear ((requester_name)),

You asked on ((requested_on)) for a child protection conference to be convened about the child with our case reference ((child_reference)).

((decision))

If you still have serious concerns about the child’s safety, please contact the team manager to discuss them.

((council_name))`,
};

// 002 §1.1: once the conference asked for is convened, the professional who asked is told its date.
export const CONFERENCE_REQUEST_CONVENED_TEMPLATE: TemplateDefinition = {
  key: 'conference-request-convened',
  name: 'Tell a professional the date of the conference they asked for',
  purpose:
    'Sent to a professional whose request for a child protection conference was agreed, when the conference is convened from it (where the professional has an email address).',
  placeholders: [
    { name: 'requester_name', description: 'The name of the professional who asked', example: 'Dr Alex Example' },
    { name: 'child_reference', description: 'The council’s case reference for the child', example: 'NS-004211' },
    { name: 'requested_on', description: 'The date the request was recorded', example: '2 March 2026' },
    {
      name: 'conference_date',
      description: 'The date of the conference',
      example: '16 March 2026',
      requiredInBody: true,
    },
    { name: 'conference_time', description: 'The time the conference starts', example: '10am' },
    {
      name: 'council_name',
      description: 'The council’s name, as set for the service',
      example: 'Northshire County Council',
      fromService: true,
    },
  ],
  defaultSubject: 'The child protection conference you asked for has been arranged',
  defaultBody: `Dear ((requester_name)),

You asked on ((requested_on)) for a child protection conference to be convened about the child with our case reference ((child_reference)).

The conference will be held on ((conference_date)) at ((conference_time)). You will be sent an invitation with the details.

((council_name))`,
};

export const CONFERENCE_REQUEST_TEMPLATE_DEFINITIONS: readonly TemplateDefinition[] = [
  CONFERENCE_REQUEST_DECIDED_TEMPLATE,
  CONFERENCE_REQUEST_CONVENED_TEMPLATE,
];
