/** The dashboard API's contract: sections, items and due dates. */
import { z } from 'zod';
import { ALL_CHAIRS } from '../../../app/conferences/dashboard-service.ts';
import { DASHBOARD_SECTIONS } from '../../../domain/conferences/dashboard.ts';
import { CONFERENCE_TYPES } from '../../../domain/conferences/decisions.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { isoDate, rag, staffRef, count } from './parts.ts';

const nullableCount = count.nullable();
import { itemSchemas } from './items.ts';

const sectionTotal = count.describe('Rows in the section under the filters, on every page; `items` holds this page’s');

export const sectionSchema = z.discriminatedUnion('key', [
  z.object({
    key: z.literal('upcoming'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas.upcoming),
  }),
  z.object({
    key: z.literal('overdue'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas.overdue),
  }),
  z.object({
    key: z.literal('cancelled'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas.cancelled),
  }),
  z.object({
    key: z.literal('reviews-due'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas['reviews-due']),
  }),
  z.object({
    key: z.literal('missing-reports'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas['missing-reports']),
  }),
  z.object({
    key: z.literal('records-due'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas['records-due']),
  }),
  z.object({
    key: z.literal('document-tasks'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas['document-tasks']),
  }),
  z.object({
    key: z.literal('amendments'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas.amendments),
  }),
  z.object({
    key: z.literal('dissent'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas.dissent),
  }),
  z.object({
    key: z.literal('plan-ended'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas['plan-ended']),
  }),
  z.object({
    key: z.literal('core-groups'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas['core-groups']),
  }),
  z.object({
    key: z.literal('lead-social-worker'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas['lead-social-worker']).describe('For team managers only'),
  }),
  z.object({
    key: z.literal('interpreters'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
    items: z.array(itemSchemas.interpreters).describe('For chairs and business support only'),
  }),
  z.object({
    key: z.literal('family-meetings'),
    title: z.string(),
    description: z.string(),
    total: sectionTotal,
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
  counts: z
    .object(
      Object.fromEntries(DASHBOARD_SECTIONS.map((s) => [s, nullableCount])) as Record<
        (typeof DASHBOARD_SECTIONS)[number],
        typeof nullableCount
      >,
    )
    .describe('Items in each section under the filters; with one `section` asked for, the others are null'),
  sections: z
    .array(sectionSchema)
    .describe('The sections shown, each with its rows on this page: a page lists at most 50 rows over every section'),
  paging: z.object({
    page: count.describe('This page, from 1 (a page after the last gives the last)'),
    pageCount: count,
    pageSize: count.describe('The most rows a page lists, over every section shown'),
    total: count.describe('Rows in every section shown, under the filters'),
    next: z.string().nullable().describe('The address of the next page, with the same filters; null on the last'),
    prev: z.string().nullable().describe('The address of the previous page; null on the first'),
  }),
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
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(999_999)
    .optional()
    .describe('The page of rows, from 1: 50 rows a page over every section shown'),
});
