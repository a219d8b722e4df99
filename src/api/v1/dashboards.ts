/**
 * The dashboards for integrations (a council's reporting, a chair's own tools): the same sections,
 * filters, access rule and audit as the page at /dashboard. Filters are non-personal query parameters.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DashboardView } from '../../app/conferences/dashboard-service.ts';
import { ALL_CHAIRS } from '../../app/conferences/dashboard-service.ts';
import { CHILD_RECORD_ROLES } from '../../domain/access/child-access.ts';
import { RULE_NAMES } from '../../domain/calendar/index.ts';
import {
  DASHBOARD_SECTIONS,
  type DashboardChild,
  type DashboardItem,
  type DueDate,
  RAG_STATUSES,
  type StaffName,
} from '../../domain/conferences/dashboard.ts';
import { CONFERENCE_TYPE_LABELS, CONFERENCE_TYPES } from '../../domain/conferences/decisions.ts';
import { CONFERENCE_STATUSES, STATUS_LABELS } from '../../domain/conferences/lifecycle.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';
import { idSchema } from '../../domain/shared/ids.ts';

const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2026-03-02'] });
const rag = z
  .enum(RAG_STATUSES)
  .describe(
    'Red / amber / green: `overdue` (red), `due-soon` (amber: within 5 working days, due today included), `on-track` (green)',
  );
const staffRef = z.object({ id: z.uuid(), name: z.string() });
const childRef = z.object({ id: z.uuid(), givenNames: z.string(), familyName: z.string() });
const agencyRef = z.object({ id: z.uuid(), name: z.string(), kind: z.string() });

const dueDateSchema = z.object({
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

const conferenceSchema = z.object({
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

const itemBase = {
  key: z.string(),
  conference: conferenceSchema,
  concerning: z.array(childRef).describe('The children this item is about'),
  status: rag.nullable().describe('Null when no timescale applies yet (a D-1 referral awaiting review)'),
  due: dueDateSchema.nullable(),
};

const itemSchemas = {
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
    due: dueDateSchema,
    decisionsRecorded: z.boolean(),
    deadlines: z
      .array(dueDateSchema)
      .describe('T-6 decision letter, T-6 chair’s summary, T-7 record: due dates only, sending is not recorded yet'),
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
};

const sectionSchema = z.discriminatedUnion('key', [
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
]);

const count = z.number().int().nonnegative();
const dashboardSchema = z.object({
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
});

const querystring = z.object({
  section: z.enum(DASHBOARD_SECTIONS).optional().describe('One section only'),
  chair: z
    .union([z.literal(ALL_CHAIRS), idSchema])
    .optional()
    .describe('A chair’s id, or `all`. Left out: a chair gets the conferences they chair, anyone else every chair’s'),
  status: rag.optional(),
  type: z.enum(CONFERENCE_TYPES).optional().describe('Reviews falling due count as `review`'),
});

const child = (c: DashboardChild) => ({ id: c.id, givenNames: c.givenNames, familyName: c.familyName });
const staff = (s: StaffName | null) => (s ? { id: s.id, name: s.name } : null);
const due = (d: DueDate) => ({
  rule: d.rule,
  ruleId: d.ruleId,
  title: d.title,
  due: d.due,
  from: d.from,
  basis: d.basis,
  text: d.text,
  status: d.status,
  workingDaysLeft: d.workingDaysLeft,
});

function itemOut(item: DashboardItem) {
  const c = item.conference;
  const base = {
    key: item.key,
    conference: {
      id: c.id,
      type: c.type,
      typeLabel: CONFERENCE_TYPE_LABELS[c.type],
      status: c.status,
      statusLabel: STATUS_LABELS[c.status],
      scheduledDate: c.scheduledDate,
      startTime: c.startTime,
      chair: staff(c.chair),
      children: c.children.map(child),
    },
    concerning: item.concerning.map(child),
    status: item.status,
    due: item.due ? due(item.due) : null,
  };
  switch (item.section) {
    case 'upcoming':
      return { ...base, section: item.section, due: due(item.due), scheduledAfterDue: item.scheduledAfterDue };
    case 'overdue':
      return {
        ...base,
        section: item.section,
        due: due(item.due),
        pastDue: item.pastDue,
        scheduledAfterDue: item.scheduledAfterDue,
        plannedDatePassed: item.plannedDatePassed,
        lateAgreement: item.lateAgreement,
      };
    case 'cancelled':
      return { ...base, section: item.section, due: due(item.due) };
    case 'reviews-due':
      return {
        ...base,
        section: item.section,
        due: due(item.due),
        reviewDates: item.reviewDates.map((r) => ({ childId: r.child.id, nextReviewDate: r.nextReviewDate })),
        reviewDateAfterDue: item.reviewDateAfterDue,
      };
    case 'missing-reports':
      return { ...base, section: item.section, due: due(item.due), missing: item.missing, notShared: item.notShared };
    case 'records-due':
      return {
        ...base,
        section: item.section,
        due: due(item.due),
        decisionsRecorded: item.decisionsRecorded,
        deadlines: item.deadlines.map(due),
      };
    case 'dissent':
      return { ...base, section: item.section, state: item.state, referral: item.referral };
    case 'plan-ended':
      return { ...base, section: item.section, due: due(item.due) };
  }
}

function dashboardOut(view: DashboardView): z.infer<typeof dashboardSchema> {
  return {
    today: view.today,
    horizon: view.horizon,
    scope: { chair: staff(view.scope.chair), mine: view.scope.mine },
    filter: view.filter,
    counts: view.counts,
    sections: view.sections.map((s) => ({
      key: s.key,
      title: s.title,
      description: s.description,
      items: s.items.map(itemOut),
    })) as z.infer<typeof dashboardSchema>['sections'],
  };
}

export async function dashboardsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/dashboard',
    {
      config: { access: CHILD_RECORD_ROLES },
      schema: {
        operationId: 'DashboardService.view',
        summary: 'The timescales dashboard',
        description:
          'Upcoming conferences, overdue ones, reviews falling due (T-3), reports missing or not shared (T-5), decision letters and records due (T-6, T-7: due dates only), ' +
          'D-1 referrals and ended plans needing the T-9 meeting. Only conferences where the caller may see every child are listed. ' +
          'Every due date names its rule and start date. Each call is audited with the ids of the children listed. An unknown chair id is 422.',
        tags: ['dashboards'],
        querystring,
        response: {
          200: dashboardSchema,
          400: errorResponse,
          401: errorResponse,
          403: errorResponse,
          422: errorResponse,
        },
      },
    },
    async (request, reply) => {
      return withRules(reply, async () =>
        dashboardOut(await services.dashboards.view(request.actor!, request.query, requestContext(request))),
      );
    },
  );

  api.get(
    '/dashboard/chairs',
    {
      config: { access: CHILD_RECORD_ROLES },
      schema: {
        operationId: 'DashboardService.chairs',
        summary: 'The chairs the dashboard can be filtered by',
        description: 'Active accounts holding the chair role: each `id` is a value for the dashboard’s `chair` filter.',
        tags: ['dashboards'],
        response: {
          200: z.object({ chairs: z.array(z.object({ id: z.uuid(), name: z.string() })) }),
          401: errorResponse,
          403: errorResponse,
        },
      },
    },
    async () => ({ chairs: (await services.dashboards.chairs()).map((c) => ({ id: c.id, name: c.name })) }),
  );
}
