import type { TemplateDefinition } from './templates.ts';

// P-9: whoever finds out that a conference was recorded covertly tells the chair (001). The email says only that
// an incident was recorded for a conference, with a link: what was found is read in the service after signing in.

export const COVERT_RECORDING_REPORTED_TEMPLATE: TemplateDefinition = {
  key: 'covert-recording-reported',
  name: 'Tell the chair a covert recording was found',
  purpose:
    'Sent to the conference’s chair (and to its cover chair, while one is recorded) when someone records that the conference was recorded without the knowledge of the chair or others there (P-9). The chair then considers telling the multi-agency network and the council’s legal representative.',
  placeholders: [
    {
      name: 'conference_title',
      description: 'The kind of conference, for example "Initial child protection conference"',
      example: 'Initial child protection conference',
    },
    { name: 'conference_date', description: 'The date the conference was held', example: '16 March 2026' },
    { name: 'found_on', description: 'The date the recording was found', example: '20 March 2026' },
    {
      name: 'incident_link',
      description: 'A link to the incident in the service (staff must sign in to open it)',
      example: 'https://cpcr.northshire.example/conferences/6f1c0e2a-0000-4000-8000-000000000000/recording-incidents',
      requiredInBody: true,
    },
    {
      name: 'council_name',
      description: 'The council’s name, as set for the service',
      example: 'Northshire County Council',
      fromService: true,
    },
  ],
  defaultSubject: 'A covert recording of a conference you chaired was found',
  defaultBody: `Someone has recorded that the ((conference_title)) on ((conference_date)) was recorded without the knowledge of the chair or others there. It was found on ((found_on)).

Please consider telling the multi-agency network and the council’s legal representative, and, if the recording has been published, seeking legal advice. Record what you decide and do in the service, and close the incident when it is resolved:
((incident_link))

Do not forward this email.

((council_name))`,
};

// P-9: "reminders until closed": an open incident reminds its chair every few working days (COVERT_REMINDER_WORKING_DAYS)
// until the chair closes it. Like the first email it names the conference and dates only, and what is still to
// consider as the seeds' actions: no child, family member or detail of what was found.
export const COVERT_RECORDING_REMINDER_TEMPLATE: TemplateDefinition = {
  key: 'covert-recording-reminder',
  name: 'Remind the chair of an open covert recording incident',
  purpose:
    'Sent to the conference’s chair (and to its cover chair, while one is recorded) every few working days while a covert recording incident about the conference is open (P-9), until the chair closes it.',
  placeholders: [
    {
      name: 'conference_title',
      description: 'The kind of conference, for example "Initial child protection conference"',
      example: 'Initial child protection conference',
    },
    { name: 'conference_date', description: 'The date the conference was held', example: '16 March 2026' },
    { name: 'found_on', description: 'The date the recording was found', example: '20 March 2026' },
    {
      name: 'still_to_consider',
      description:
        'What must still be recorded before the incident can close, one action a line, or a line saying nothing is left but closing it',
      example: '- Tell the multi-agency network\n- Tell the council’s legal representative',
    },
    {
      name: 'incident_link',
      description: 'A link to the incident in the service (staff must sign in to open it)',
      example:
        'https://cpcr.northshire.example/conferences/6f1c0e2a-0000-4000-8000-000000000000/recording-incidents/covert/0b7e4a55-0000-4000-8000-000000000000',
      requiredInBody: true,
    },
    {
      name: 'council_name',
      description: 'The council’s name, as set for the service',
      example: 'Northshire County Council',
      fromService: true,
    },
  ],
  defaultSubject: 'Reminder: a covert recording incident is still open',
  defaultBody: `The incident about a covert recording of the ((conference_title)) on ((conference_date)), found on ((found_on)), is still open.

Still to consider before it can close:
((still_to_consider))

Record what you decide and do in the service, and close the incident when it is resolved:
((incident_link))

You will be reminded every few working days until it is closed. Do not forward this email.

((council_name))`,
};
