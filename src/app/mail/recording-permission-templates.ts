import type { PlaceholderDefinition, TemplateDefinition } from './templates.ts';

// The emails about a request to record a meeting (P-1, P-3, T-11): the decision confirmed to the requester (the
// letter has its own wording, src/app/documents/letter-wording.ts), the decision-maker told of a request made at short notice, and the secure link and
// one-time code with which a requester completes and confirms the undertaking not to publish or share.

const councilName: PlaceholderDefinition = {
  name: 'council_name',
  description: 'The council’s name, as set for the service',
  example: 'Northshire County Council',
  fromService: true,
};
const requesterName: PlaceholderDefinition = {
  name: 'requester_name',
  description: 'The name of the person who asked to record the meeting',
  example: 'Alex Example',
};
const meeting: PlaceholderDefinition = {
  name: 'meeting',
  description: 'The meeting: its kind, date and start time',
  example: 'the core group meeting on 16 March 2026 at 10:00',
};

export const RECORDING_PERMISSION_DECISION_TEMPLATE = 'recording-permission-decision';
export const RECORDING_PERMISSION_SHORT_NOTICE_TEMPLATE = 'recording-permission-short-notice';
export const RECORDING_PERMISSION_LINK_TEMPLATE = 'recording-permission-link';
export const RECORDING_PERMISSION_CODE_TEMPLATE = 'recording-permission-code';

/** The values the decision's wording may use: the email's and the letter's (P-3). */
export const RECORDING_PERMISSION_DECISION_PLACEHOLDERS: readonly PlaceholderDefinition[] = [
  requesterName,
  meeting,
  {
    name: 'decision',
    description: 'The decision in a sentence',
    example: 'You may record the meeting.',
    requiredInBody: true,
  },
  { name: 'reasons', description: 'The reasons for the decision', example: 'Everyone invited has agreed.' },
  {
    name: 'next_steps',
    description:
      'What happens next: for a recording allowed, the limits they agreed to and asking everyone present on the day; for a refusal, what is offered instead',
    example:
      'On the day, before the meeting starts, you must ask everyone there whether they agree to it being recorded.',
  },
  councilName,
];

/** The default wording of the decision, the email's and the letter's until administrators change either. */
export const RECORDING_PERMISSION_DECISION_DEFAULT_BODY = `Dear ((requester_name))

You asked to record ((meeting)).

((decision))

((reasons))

((next_steps))

If you have any questions about this decision, please contact your social worker or the chair of the meeting.

((council_name))`;

export const RECORDING_PERMISSION_TEMPLATE_DEFINITIONS: readonly TemplateDefinition[] = [
  {
    key: RECORDING_PERMISSION_DECISION_TEMPLATE,
    name: 'Tell someone the decision on their request to record a meeting',
    purpose:
      'Sent to a parent or young person who asked to record a meeting, when the decision is confirmed to them (P-3). The letter confirming the decision has its own wording, under the letters’ wording.',
    placeholders: [...RECORDING_PERMISSION_DECISION_PLACEHOLDERS],
    defaultSubject: 'Your request to record a meeting',
    defaultBody: RECORDING_PERMISSION_DECISION_DEFAULT_BODY,
  },
  {
    key: RECORDING_PERMISSION_SHORT_NOTICE_TEMPLATE,
    name: 'Tell the decision-maker about a request to record made at short notice',
    purpose:
      'Sent to the chair of a conference (and to its cover chair, while one is recorded), or the social worker for another meeting, when a request to record it is made less than 48 hours before it (T-11). The request is still considered; the email carries no names.',
    placeholders: [
      { name: 'meeting_date', description: 'The day and date of the meeting', example: 'Monday 16 March 2026' },
      { name: 'hours_before', description: 'How many hours before the meeting it was asked', example: '30' },
      {
        name: 'request_link',
        description: 'A link to the request in the service (staff must sign in to open it)',
        example: 'https://cpcr.northshire.example/recording-permission/6f1c0e2a-0000-4000-8000-000000000000',
        requiredInBody: true,
      },
      councilName,
    ],
    defaultSubject: 'A request to record a meeting needs your decision soon',
    defaultBody: `A family has asked to record a meeting on ((meeting_date)). They asked ((hours_before)) hours before it starts, which is less than the notice we ask for, so please decide as soon as you can.

Open the request to decide: ((request_link))

((council_name))`,
  },
  {
    key: RECORDING_PERMISSION_LINK_TEMPLATE,
    name: 'Send a requester the form to confirm their undertaking not to share a recording',
    purpose:
      'Sent to a parent who asked to record a meeting, so they can read and confirm the undertaking not to publish or share the recording (P-1, P-7) without an account. The page asks for a one-time code sent to the same address.',
    placeholders: [
      requesterName,
      meeting,
      {
        name: 'form_link',
        description: 'The secure link to the form (it works only with a code sent separately)',
        example: 'https://cpcr.northshire.example/record-a-meeting/undertaking/abc',
        requiredInBody: true,
      },
      { name: 'expires_at', description: 'When the link stops working', example: '5pm on 20 March 2026' },
      councilName,
    ],
    defaultSubject: 'Confirm your undertaking so we can consider your request to record a meeting',
    defaultBody: `Dear ((requester_name))

You asked to record ((meeting)). Before we can agree to it, you need to confirm that you will not publish or share the recording.

Open this link to read the undertaking and confirm it: ((form_link))

When you open it, we will send a code to this email address for you to enter. The link works until ((expires_at)).

Do not forward this email.

((council_name))`,
  },
  {
    key: RECORDING_PERMISSION_CODE_TEMPLATE,
    name: 'Send a requester the code to confirm their undertaking',
    purpose:
      'Sent when a requester opens the secure link to confirm their undertaking not to share a recording (P-1): the code they enter on the page.',
    placeholders: [
      { name: 'code', description: 'The one-time code', example: '123456', requiredInBody: true },
      { name: 'expires_at', description: 'When the code stops working', example: '5:15pm on 16 March 2026' },
      councilName,
    ],
    defaultSubject: 'Your code to confirm your undertaking',
    defaultBody: `Your code is ((code)). It works once, until ((expires_at)).

If you did not ask for this code, you can ignore this email.

((council_name))`,
  },
];
