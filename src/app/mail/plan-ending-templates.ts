import type { PlaceholderDefinition, TemplateDefinition } from './templates.ts';

// 002 §3.9: the agencies invited told that a child's plan has ended (by email, or the same wording as a letter),
// and the transfer pack sent to the authority a family has moved to (T-4 for them).

const councilName: PlaceholderDefinition = {
  name: 'council_name',
  description: 'The council’s name, as set for the service',
  example: 'Northshire County Council',
  fromService: true,
};
const childName: PlaceholderDefinition = {
  name: 'child_name',
  description: 'The child’s full name and date of birth',
  example: 'Sam Example (born 1 May 2015)',
};

export const PLAN_ENDED_TEMPLATE = 'plan-ended-agency';
export const PLAN_TRANSFER_PACK_TEMPLATE = 'plan-transfer-pack';

export const PLAN_ENDED_PLACEHOLDERS: readonly PlaceholderDefinition[] = [
  { name: 'recipient_name', description: 'The professional told, by name', example: 'Alex Example' },
  childName,
  {
    name: 'ending',
    description: 'Why and when the plan ended',
    example: 'A conference decided the plan is no longer needed, on 2 March 2026.',
    requiredInBody: true,
  },
  {
    name: 'next_steps',
    description: 'The plan the child steps down to and the meeting with the family, where recorded',
    example: 'Child in need plan. Lead professional: Jo Example, social worker.',
  },
  councilName,
];

export const PLAN_TRANSFER_PLACEHOLDERS: readonly PlaceholderDefinition[] = [
  { name: 'authority_name', description: 'The receiving authority', example: 'Southshire Council' },
  childName,
  { name: 'notice_on', description: 'The date the authority was told of the move', example: '2 March 2026' },
  {
    name: 'conference_due',
    description: 'The date the receiving conference is due by',
    example: '23 March 2026',
    requiredInBody: true,
  },
  { name: 'plan', description: 'The current plan, in words', example: 'Lead social worker: Jo Example …' },
  {
    name: 'record',
    description: 'The latest conference record issued, or that none has been issued yet',
    example: 'The record of the review conference on 2 March 2026 was issued on 9 March 2026.',
  },
  {
    name: 'recording',
    description: 'How to ask for a copy of the conference recording',
    example: 'A copy of the recording of the conference can be asked for …',
  },
  councilName,
];

export const PLAN_ENDING_TEMPLATE_DEFINITIONS: readonly TemplateDefinition[] = [
  {
    key: PLAN_ENDED_TEMPLATE,
    name: 'Tell an agency that a child’s plan has ended',
    purpose:
      'Sent to every professional invited to the child’s conferences or core group when the child protection plan ends; where there is no email address, the same wording is printed as a letter to post.',
    placeholders: [...PLAN_ENDED_PLACEHOLDERS],
    defaultSubject: 'A child protection plan has ended',
    defaultBody: `Dear ((recipient_name))

The child protection plan for ((child_name)) has ended.

((ending))

((next_steps))

Please keep this information confidential. Contact the child’s social worker if you have any questions.

((council_name))`,
  },
  {
    key: PLAN_TRANSFER_PACK_TEMPLATE,
    name: 'Send the transfer pack to the authority a family has moved to',
    purpose:
      'Sent to the receiving authority’s contact when a child with a child protection plan moves permanently to its area: the plan, the latest record and how to ask for the recording. Its conference is due within 15 working days of the notice.',
    placeholders: [...PLAN_TRANSFER_PLACEHOLDERS],
    defaultSubject: 'Transfer of a child protection plan',
    defaultBody: `Dear colleague at ((authority_name))

((child_name)) has moved permanently to your area, with a child protection plan. You were told of the move on ((notice_on)). Please hold a transfer-in conference by ((conference_due)) and confirm to us in writing when it has been held: the plan stays in place here until then.

The current plan
((plan))

The latest conference record
((record))

The recording of the conference
((recording))

This information is confidential.

((council_name))`,
  },
];
