import type { TemplateDefinition } from './templates.ts';

// 002 §3.7: the lead social worker (or the team manager while none is appointed) is reminded when a child's next
// core group meeting is due soon and none is booked. The email names the child only by the council's case reference.

export const CORE_GROUP_REMINDER_TEMPLATE: TemplateDefinition = {
  key: 'core-group-reminder',
  name: 'Remind the lead social worker that a core group meeting is due',
  purpose:
    'Sent once per due date to the lead social worker for a child with a child protection plan (or the team manager while no lead social worker is appointed) when the next core group meeting is due within 3 working days and none is booked.',
  placeholders: [
    { name: 'child_reference', description: 'The council’s case reference for the child', example: 'NS-004211' },
    {
      name: 'due_text',
      description: 'Which core group is due, by when, and what the date counts from',
      example: 'The next core group is due by 20 April 2026 (6 weeks from the last core group on 9 March 2026)',
      requiredInBody: true,
    },
    {
      name: 'core_group_link',
      description: 'The link to the child’s core group in the service',
      example: 'https://cp.example.gov.uk/children/3f1c…/core-groups',
      requiredInBody: true,
    },
    {
      name: 'council_name',
      description: 'The council’s name, as set for the service',
      example: 'Northshire County Council',
      fromService: true,
    },
  ],
  defaultSubject: 'A core group meeting is due',
  defaultBody: `A core group meeting is due for the child with our case reference ((child_reference)), and none is booked.

((due_text)).

Book the meeting and tell the core group: ((core_group_link))

((council_name))`,
};
