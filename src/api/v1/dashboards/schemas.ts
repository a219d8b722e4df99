/** The dashboard API's contract: sections, items and due dates. */
import { z } from 'zod';
import { ALL_CHAIRS } from '../../../app/conferences/dashboard-service.ts';
import { RULE_NAMES } from '../../../domain/calendar/index.ts';
import { DASHBOARD_SECTIONS, RAG_STATUSES } from '../../../domain/conferences/dashboard.ts';
import { CONFERENCE_TYPES } from '../../../domain/conferences/decisions.ts';
import { CONFERENCE_STATUSES } from '../../../domain/conferences/lifecycle.ts';
import { ARRANGEMENT_KINDS } from '../../../domain/documents/arrangements.ts';
import { DRAFT_STATUSES } from '../../../domain/documents/drafting.ts';
import { DOCUMENT_KINDS } from '../../../domain/documents/model.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

export const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2026-03-02'] });
export const rag = z
  .enum(RAG_STATUSES)
  .describe(
    'Red / amber / green: `overdue` (red), `due-soon` (amber: within 5 working days, due today included), `on-track` (green)',
  );
export const staffRef = z.object({ id: z.uuid(), name: z.string() });
export const childRef = z.object({ id: z.uuid(), givenNames: z.string(), familyName: z.string() });
export const agencyRef = z.object({ id: z.uuid(), name: z.string(), kind: z.string() });

export const dueDateSchema = z.object({
  rule: z.enum(RULE_NAMES),
  ruleId: z.string().meta({ examples: ['T-1'] }),
  title: z.string().describe('What is due'),
  due: isoDate('The last day'),
  from: isoDate('The date the rule counts from; null when it was not recorded').nullable(),
  basis: z.string().meta({
    description: 'The rule and its start date',
    examples: ['T-1, 15 working days from the strategy discussion on 10 April 2025'],
  }),
  text: z
    .string()
    .meta({ examples: ['Due 6 May 2025 — T-1, 15 working days from the strategy discussion on 10 April 2025'] }),
  status: rag,
  workingDaysLeft: z
    .number()
    .int()
    .describe('Working days from today to the due date: 0 on the day, negative when overdue'),
});

export const conferenceSchema = z.object({
  id: z.uuid(),
  type: z.enum(CONFERENCE_TYPES),
  typeLabel: z.string(),
  status: z.enum(CONFERENCE_STATUSES),
  statusLabel: z.string(),
  scheduledDate: isoDate('The date the conference is planned for, or was held'),
  startTime: z.string().meta({ description: 'Local time in England', examples: ['10:00'] }),
  chair: staffRef.nullable(),
  children: z.array(childRef).describe('The whole sibling group'),
});

export const count = z.number().int().nonnegative();

export const itemBase = {
  key: z.string(),
  conference: conferenceSchema,
  concerning: z.array(childRef).describe('The children this item is about'),
  status: rag.nullable().describe('Null when no timescale applies yet (a D-1 referral awaiting review)'),
  due: dueDateSchema.nullable(),
};

export const itemSchemas = {
  upcoming: z.object({
    ...itemBase,
    section: z.literal('upcoming'),
    due: dueDateSchema,
    scheduledAfterDue: z.boolean(),
  }),
  overdue: z.object({
    ...itemBase,
    section: z.literal('overdue'),
    due: dueDateSchema,
    pastDue: z.boolean().describe('Not held and the due date has passed'),
    scheduledAfterDue: z.boolean().describe('Planned for a date after the due date'),
    plannedDatePassed: z.boolean().describe('The planned date has passed but the conference was not opened'),
    lateAgreement: z
      .object({ agreedBy: z.string(), reason: z.string() })
      .nullable()
      .describe('T-1: the senior manager’s agreement to a later date, if recorded'),
  }),
  cancelled: z.object({
    ...itemBase,
    section: z.literal('cancelled'),
    due: dueDateSchema.describe('T-1, T-2 or T-4: still runs from the original start date'),
  }),
  'reviews-due': z.object({
    ...itemBase,
    section: z.literal('reviews-due'),
    due: dueDateSchema,
    reviewDates: z.array(z.object({ childId: z.uuid(), nextReviewDate: isoDate('Set in the plan').nullable() })),
    reviewDateAfterDue: z.boolean(),
  }),
  'missing-reports': z.object({
    ...itemBase,
    section: z.literal('missing-reports'),
    due: dueDateSchema,
    missing: z.array(agencyRef).describe('Invited agencies with no report yet'),
    notShared: z
      .array(z.object({ agency: agencyRef, sharedOn: isoDate('When it was shared, if late').nullable() }))
      .describe('Reports not shared with the family by the T-5 date (police reports are not checked)'),
  }),
  'records-due': z.object({
    ...itemBase,
    section: z.literal('records-due'),
    status: rag
      .nullable()
      .describe('The worst of the documents not yet issued; null when none of them has a timescale'),
    due: dueDateSchema
      .nullable()
      .describe('The earliest due date among the documents not yet issued; null when none of them has a timescale'),
    decisionsRecorded: z.boolean().describe('False while the conference is still open awaiting its decisions'),
    deadlines: z.array(dueDateSchema).describe('The T-6 decision letter, T-6 chair’s summary and T-7 record dates'),
    documents: z
      .array(
        z.object({
          kind: z.enum(DOCUMENT_KINDS),
          label: z.string().describe('An exclusion letter names the person it is for'),
          subjectInviteeId: z.uuid().nullable().describe('An exclusion letter’s excluded person (invitee id)'),
          state: z.enum(['not-started', ...DRAFT_STATUSES]),
          stateLabel: z.string(),
          due: dueDateSchema.nullable().describe('T-6 or T-7; null when the kind has no timescale'),
          status: z
            .enum([...RAG_STATUSES, 'met'])
            .nullable()
            .describe('`met` once issued; otherwise red / amber / green, or null with no timescale'),
        }),
      )
      .describe(
        'Each document the conference needs with its state against its own due date; the item stays until every one is issued. Empty while decisions are awaited',
      ),
  }),
  'document-tasks': z.object({
    ...itemBase,
    section: z.literal('document-tasks'),
    status: z.null(),
    due: z.null(),
    task: z.object({
      id: z.uuid(),
      documentKind: z.enum(DOCUMENT_KINDS),
      documentLabel: z.string(),
      recipientName: z.string(),
      arrangement: z.enum(ARRANGEMENT_KINDS),
      arrangementLabel: z.string(),
      language: z.string().nullable().describe('For an interpreter or a translation'),
      detail: z.string().nullable(),
      createdAt: z.iso.datetime(),
    }),
  }),
  amendments: z.object({
    ...itemBase,
    section: z.literal('amendments'),
    due: dueDateSchema,
    request: z.object({
      id: z.uuid(),
      documentKind: z.enum(DOCUMENT_KINDS),
      documentLabel: z.string().describe('“Conference record, version 1”'),
      issueNumber: z.number().int(),
      receivedOn: isoDate('When the request reached the council'),
      recordReceivedOn: isoDate('When the requester received the document: T-8 counts from here'),
      dueOn: isoDate('T-8: when the request is due to the chair'),
      late: z.boolean().describe('Received after the 10 working days: still recorded, flagged'),
      points: z.number().int().describe('How many points the request makes'),
    }),
  }),
  dissent: z.object({
    ...itemBase,
    section: z.literal('dissent'),
    state: z.enum(['awaiting-review', 'reconvene-due']),
    referral: z.object({
      id: z.uuid(),
      referredTo: z.string(),
      referredOn: isoDate('Date referred'),
      reviewedOn: isoDate('Date of the senior manager’s review').nullable(),
      reconveneDue: isoDate('D-1: when the reconvened conference is due').nullable(),
    }),
  }),
  'plan-ended': z.object({ ...itemBase, section: z.literal('plan-ended'), due: dueDateSchema }),
  'core-groups': z.object({
    ...itemBase,
    section: z.literal('core-groups'),
    due: z.null(),
    coreGroup: z
      .object({
        which: z.enum(['first', 'next']),
        due: isoDate('When the next core group meeting is due'),
        basis: z.string().describe('What the due date counts from, in words'),
        status: rag,
        workingDaysLeft: z.number().int(),
        firstDateAfterLimit: z
          .boolean()
          .describe('The conference set the first core group later than the usual timescale'),
        scheduledInTime: z.boolean().describe('A meeting is booked on or before the due date'),
        nextScheduled: isoDate('The next meeting booked and not yet recorded').nullable(),
      })
      .describe('002 §3.7: the first on the date the conference set, then at most 6 weeks (a setting) after the last'),
  }),
  'lead-social-worker': z.object({
    ...itemBase,
    section: z.literal('lead-social-worker'),
    due: z.null(),
    deadline: isoDate('002 §3.7: the first core group date, by which a team manager appoints one').nullable(),
  }),
  interpreters: z.object({
    ...itemBase,
    section: z.literal('interpreters'),
    due: z.null(),
    missing: z
      .array(z.object({ language: z.string(), people: count }))
      .describe('Languages someone invited needs an interpreter in, with no interpreter invited for them'),
  }),
  'family-meetings': z.object({
    ...itemBase,
    section: z.literal('family-meetings'),
    due: z.null(),
    workingDaysLeft: z.number().int().describe('Working days from today to the conference'),
  }),
};

export const sectionSchema = z.discriminatedUnion('key', [
  z.object({
    key: z.literal('upcoming'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas.upcoming),
  }),
  z.object({
    key: z.literal('overdue'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas.overdue),
  }),
  z.object({
    key: z.literal('cancelled'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas.cancelled),
  }),
  z.object({
    key: z.literal('reviews-due'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas['reviews-due']),
  }),
  z.object({
    key: z.literal('missing-reports'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas['missing-reports']),
  }),
  z.object({
    key: z.literal('records-due'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas['records-due']),
  }),
  z.object({
    key: z.literal('document-tasks'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas['document-tasks']),
  }),
  z.object({
    key: z.literal('amendments'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas.amendments),
  }),
  z.object({
    key: z.literal('dissent'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas.dissent),
  }),
  z.object({
    key: z.literal('plan-ended'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas['plan-ended']),
  }),
  z.object({
    key: z.literal('core-groups'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas['core-groups']),
  }),
  z.object({
    key: z.literal('lead-social-worker'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas['lead-social-worker']).describe('For team managers only'),
  }),
  z.object({
    key: z.literal('interpreters'),
    title: z.string(),
    description: z.string(),
    items: z.array(itemSchemas.interpreters).describe('For chairs and business support only'),
  }),
  z.object({
    key: z.literal('family-meetings'),
    title: z.string(),
    description: z.string(),
    items: z
      .array(itemSchemas['family-meetings'])
      .describe(
        '002 §4.1, for chairs only: planned conferences in the next 10 working days whose chair has not recorded meeting the child and family beforehand',
      ),
  }),
]);

export const dashboardSchema = z.object({
  today: isoDate('Today in England'),
  horizon: isoDate('The last day of “the next 30 days”'),
  scope: z.object({ chair: staffRef.nullable().describe('Null: every chair'), mine: z.boolean() }),
  filter: z.object({
    section: z.enum(DASHBOARD_SECTIONS).nullable(),
    chair: z.string().describe('A chair’s id, or `all`'),
    status: rag.nullable(),
    type: z.enum(CONFERENCE_TYPES).nullable(),
  }),
  counts: z.object(
    Object.fromEntries(DASHBOARD_SECTIONS.map((s) => [s, count])) as Record<
      (typeof DASHBOARD_SECTIONS)[number],
      typeof count
    >,
  ),
  sections: z.array(sectionSchema),
  visibleSections: z
    .array(z.enum(DASHBOARD_SECTIONS))
    .describe(
      'The sections this caller sees: lead social workers to appoint are for team managers, interpreters not booked for chairs and business support, meeting the family before the conference for chairs; counts of others are 0',
    ),
  covertIncidents: z
    .array(
      z.object({
        id: z.uuid(),
        conferenceId: z.uuid(),
        conferenceType: z.enum(CONFERENCE_TYPES),
        scheduledDate: isoDate('The date the conference was held'),
        foundOn: isoDate('The date the covert recording was found'),
        actionCount: count,
      }),
    )
    .describe(
      'P-9: open covert recording incidents, for chairs, team managers and quality assurance (empty for anyone else), under the chair filter',
    ),
  recordingRequests: z
    .object({
      waiting: count.describe('Requests to record a meeting waiting for this person’s decision'),
      shortNotice: count.describe('T-11: how many of them were asked at short notice'),
      soonestStartsAt: z.iso
        .datetime()
        .nullable()
        .describe('T-11: when the soonest meeting with a request waiting starts (null when none waits)'),
      timeLeft: z.string().nullable().describe('T-11: the time left before it, in words'),
      unconfirmed: count.describe(
        'P-3: decisions on requests this person decides or recorded not yet confirmed to the requester',
      ),
    })
    .describe(
      'T-11, P-3: what waits for the person who decides requests to record a meeting (the conference’s chair, or the child’s social worker for another meeting), and the decisions to confirm on requests they decide or recorded (business support); listed at GET /api/v1/recording-permission',
    ),
});

export const querystring = z.object({
  section: z
    .enum(DASHBOARD_SECTIONS)
    .optional()
    .describe('One section only; a section the caller does not see (see `visibleSections`) is 422'),
  chair: z
    .union([z.literal(ALL_CHAIRS), idSchema])
    .optional()
    .describe('A chair’s id, or `all`. Left out: a chair gets the conferences they chair, anyone else every chair’s'),
  status: rag.optional(),
  type: z.enum(CONFERENCE_TYPES).optional().describe('Reviews falling due count as `review`'),
});
