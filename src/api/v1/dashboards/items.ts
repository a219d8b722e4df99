/** The dashboard API's items, one schema per section's kind of row. */
import { z } from 'zod';
import { RAG_STATUSES } from '../../../domain/conferences/dashboard.ts';
import { ARRANGEMENT_KINDS } from '../../../domain/documents/arrangements.ts';
import { DRAFT_STATUSES } from '../../../domain/documents/drafting.ts';
import { DOCUMENT_KINDS } from '../../../domain/documents/model.ts';
import { isoDate, rag, childRef, agencyRef, dueDateSchema, conferenceSchema, count } from './parts.ts';

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
