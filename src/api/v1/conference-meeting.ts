/**
 * The conference on the day, for integrations: the same use cases,
 * access rules and audit trail as the chair's pages (opening with R-1, register, Q-1, decisions with
 * D-1, plans with T-3 and T-9, the summary, concluding). Responses are allow-lists: only the fields
 * named here leave the server.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type {
  AttendanceRecord,
  DecisionRecord,
  MeetingInvitee,
  MeetingPart,
  PlanRecord,
  SummaryRecord,
} from '../../app/conferences/meeting-ports.ts';
import type { MeetingView } from '../../app/conferences/meeting-service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../domain/access/child-access.ts';
import type { Deadline, IsoDate } from '../../domain/calendar/index.ts';
import { CATEGORIES, CONFERENCE_TYPES, OUTCOMES } from '../../domain/conferences/decisions.ts';
import { CONFERENCE_STATUSES } from '../../domain/conferences/lifecycle.ts';
import { EXCLUSION_EXTENTS, REFERRAL_OUTCOMES, REMINDER_POINT_IDS } from '../../domain/conferences/meeting.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';
import { idSchema } from '../../domain/shared/ids.ts';

const READ = { access: CHILD_RECORD_ROLES };
const WRITE = { access: RECORD_EDITOR_ROLES };
const TAGS = ['conference meeting'];

const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2026-03-02'] });
const clockTime = (description: string) =>
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time as HH:MM (24-hour)')
    .meta({ description, examples: ['10:05'] });
const longText = z.string().max(20_000);

const params = z.object({ id: idSchema.describe('The conference’s id') });
const childParams = params.extend({ childId: idSchema.describe('A child in the conference') });
const partParams = params.extend({ partId: idSchema.describe('A part of the conference') });
const lineParams = partParams.extend({ inviteeId: idSchema.describe('A person on the register') });

// ------------------------------------------------------------------ responses

const statusSchema = z.enum(CONFERENCE_STATUSES);
const partSchema = z.object({
  id: z.uuid(),
  ordinal: z.number().int(),
  label: z.string(),
  startOffsetMinutes: z.number().int().describe('Minutes after the conference’s scheduled start'),
  durationMinutes: z.number().int(),
});
const inviteeSchema = z.object({
  id: z.uuid(),
  kind: z.string().describe('child, family-member, friend, supporter, advocate, professional or interpreter'),
  name: z.string(),
  roleTitle: z.string().nullable(),
  agency: z.object({ id: z.uuid(), name: z.string(), kind: z.string() }).nullable(),
  directContact: z.boolean().describe('Q-1: the agency has had direct contact with the child and family'),
  interpreterLanguage: z
    .string()
    .nullable()
    .describe('The language they need an interpreter in (null: none); for an interpreter, the language they interpret'),
  arrivedOnTheDay: z.boolean().describe('Not invited: joined the register on the day'),
  relationships: z.array(
    z.object({ childId: z.uuid(), relationship: z.string(), parentalResponsibility: z.boolean() }),
  ),
});
const attendanceSchema = z.object({
  partId: z.uuid(),
  inviteeId: z.uuid(),
  status: z.enum(['invited', 'attended', 'apologies', 'absent', 'excluded']),
  joinedAtMinutes: z.number().int().nullable().describe('Joined late: minutes after the part’s start'),
  leftAtMinutes: z.number().int().nullable().describe('Left early: minutes after the part’s start'),
  exclusion: z
    .object({ extent: z.enum(EXCLUSION_EXTENTS), reason: z.string(), howViewsHeard: z.string() })
    .nullable()
    .describe('002 §3.2: the reason was given orally and in writing'),
  interpreterUsed: z.boolean(),
});
const quoracySchema = z.object({
  quorate: z.boolean(),
  childrensSocialCarePresent: z.boolean(),
  countingAgencies: z.array(z.string()),
  notCounting: z.array(z.string()),
  explanation: z.string(),
});
const deadlineSchema = z.object({
  rule: z.string(),
  ruleId: z.string(),
  from: z.string(),
  due: z.string(),
  explanation: z.string(),
});
const decisionSchema = z.object({
  id: z.uuid(),
  childId: z.uuid(),
  version: z.number().int(),
  outcome: z.enum(OUTCOMES),
  category: z.enum(CATEGORIES).nullable(),
  reasons: z.string(),
  equallySplit: z.boolean().describe('002 §3.12: professional views were equally split, so the chair decided'),
  seniorManagerReferralRequired: z.boolean().describe('D-1: more than one agency dissented'),
  changeReason: z.string().nullable(),
  recordedBy: z.string().nullable(),
  recordedAt: z.iso.datetime(),
  agencyViews: z.array(
    z.object({
      agencyId: z.uuid(),
      agencyName: z.string(),
      view: z.enum(['agrees', 'dissents']),
      note: z.string().nullable(),
    }),
  ),
  referral: z
    .object({
      referredTo: z.string(),
      referredOn: z.string(),
      reviewedOn: z.string().nullable(),
      outcome: z.enum(REFERRAL_OUTCOMES).nullable(),
      reconveneDue: z.string().nullable(),
    })
    .nullable(),
});
const planSchema = z.object({
  id: z.uuid(),
  childId: z.uuid(),
  version: z.number().int(),
  leadSocialWorker: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  coreGroupInviteeIds: z.array(z.uuid()),
  firstCoreGroupDate: z.string().nullable(),
  actions: z.array(z.object({ action: z.string(), who: z.string(), byWhen: z.string().nullable() })),
  contingencyPlan: z.string().nullable(),
  nextReviewDate: z.string().nullable().describe('T-3'),
  planEndedMeetingDate: z
    .string()
    .nullable()
    .describe('T-9: when the plan ends, the meeting with the child and family'),
  changeReason: z.string().nullable().describe('Why this version was recorded after the conference was held'),
  recordedBy: z.string().nullable(),
  recordedAt: z.iso.datetime(),
});
const summarySchema = z.object({
  version: z.number().int(),
  worries: z.string(),
  positives: z.string(),
  changes: z.string(),
  changeReason: z.string().nullable().describe('Why this version was recorded after the conference was held'),
  recordedBy: z.string().nullable(),
  recordedAt: z.iso.datetime(),
});
const meetingSchema = z.object({
  conference: z.object({
    id: z.uuid(),
    type: z.enum(CONFERENCE_TYPES),
    status: statusSchema,
    scheduledDate: z.string(),
    startTime: z.string(),
    durationMinutes: z.number().int(),
    chair: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    actualStartTime: z.string().nullable().describe('R-1: noted when the chair opened the conference'),
    recordingReminderGiven: z.boolean().describe('R-1'),
    reminderGivenAt: z.iso
      .datetime()
      .nullable()
      .describe('R-1: when the chair recorded that those present were told about the recording'),
    actualEndTime: z.string().nullable(),
    proceededInquorateReason: z.string().nullable(),
    adjournmentSafetySteps: z.string().nullable(),
    reconveneDate: z.string().nullable().describe('Q-1: the new date set when adjourned'),
    reconvenedConferenceId: z.uuid().nullable().describe('Set once convening books the reconvened conference'),
  }),
  children: z.array(
    z.object({
      childId: z.uuid(),
      givenNames: z.string(),
      familyName: z.string(),
      age: z.number().int().nullable(),
      presumedToAttend: z.boolean().describe('002 §3.2: 12 or over on the conference date'),
      childViews: z.string().nullable(),
      decision: decisionSchema.nullable(),
      plan: planSchema.nullable(),
    }),
  ),
  parts: z.array(partSchema),
  invitees: z.array(inviteeSchema),
  attendance: z.array(attendanceSchema),
  quoracy: quoracySchema,
  agenciesPresent: z.array(z.object({ agencyId: z.uuid(), agencyName: z.string() })),
  summary: summarySchema.nullable(),
  reviewDeadline: deadlineSchema,
  planEndedDeadline: deadlineSchema,
  toConclude: z.array(z.string()),
  permissions: z.object({ chair: z.boolean(), register: z.boolean() }),
});

const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 422: errorResponse };

// ------------------------------------------------------------------ requests

const registerBody = z.object({
  entries: z
    .array(
      z.object({
        inviteeId: z.uuid(),
        status: z
          .enum(['invited', 'attended', 'apologies', 'absent'])
          .describe('Exclusions are recorded with PUT …/exclusions/{inviteeId}'),
        joinedAtMinutes: z.number().int().nullable().default(null),
        leftAtMinutes: z.number().int().nullable().default(null),
        interpreterUsed: z.boolean().default(false),
        directContact: z.boolean().optional().describe('Professionals only; left out, unchanged'),
      }),
    )
    .min(1)
    .max(300),
});

const partIds = z.array(idSchema).max(50).describe('The parts they are present for');
const arrivalBody = z.discriminatedUnion('source', [
  z.object({ source: z.literal('network'), personId: idSchema, partIds }),
  z.object({ source: z.literal('child'), childId: idSchema, partIds }),
  z.object({ source: z.literal('professional'), professionalId: idSchema, directContact: z.boolean(), partIds }),
  z.object({
    source: z.literal('new-professional'),
    kind: z.enum(['professional', 'interpreter']),
    name: z.string().max(200),
    roleTitle: z.string().max(200),
    agencyId: idSchema,
    directContact: z.boolean().default(false),
    partIds,
  }),
  z.object({
    source: z.literal('new-supporter'),
    kind: z.enum(['friend', 'supporter', 'advocate']),
    givenNames: z.string().max(100),
    familyName: z.string().max(100),
    partIds,
  }),
]);

const decisionBody = z.object({
  outcome: z.enum(OUTCOMES),
  category: z.enum(CATEGORIES).nullable().describe('Required with a plan, refused without one (002 §3.5)'),
  reasons: longText,
  agencyViews: z
    .array(z.object({ agencyId: idSchema, view: z.enum(['agrees', 'dissents']), note: z.string().max(2000).nullish() }))
    .max(50),
  referral: z
    .object({ referredTo: z.string().max(200), referredOn: isoDate('Date of the referral') })
    .nullish()
    .describe('D-1: required when more than one agency dissents'),
  changeReason: z.string().max(2000).nullish().describe('Required once the conference is held'),
});

const planBody = z.object({
  leadSocialWorkerUserId: idSchema.nullable().describe('null: not appointed at the conference (002 §3.7)'),
  coreGroupInviteeIds: z.array(idSchema).max(100).optional(),
  firstCoreGroupDate: isoDate('Date of the first core group').nullish(),
  actions: z
    .array(z.object({ action: z.string().max(2000), who: z.string().max(200), byWhen: isoDate('By when').nullish() }))
    .max(50)
    .optional(),
  contingencyPlan: longText.nullish(),
  nextReviewDate: isoDate('T-3: no later than the rule allows').nullish(),
  planEndedMeetingDate: isoDate('T-9: when the plan ends').nullish(),
  changeReason: z.string().max(2000).nullish().describe('Required once the conference is held'),
});

// ------------------------------------------------------------------ mapping

const iso = (d: Date) => d.toISOString();
const partOut = (p: MeetingPart) => ({
  id: p.id,
  ordinal: p.ordinal,
  label: p.label,
  startOffsetMinutes: p.startOffsetMinutes,
  durationMinutes: p.durationMinutes,
});
const attendanceOut = (a: AttendanceRecord) => ({
  partId: a.partId,
  inviteeId: a.inviteeId,
  status: a.status,
  joinedAtMinutes: a.joinedAtMinutes,
  leftAtMinutes: a.leftAtMinutes,
  exclusion: a.exclusionExtent
    ? { extent: a.exclusionExtent, reason: a.exclusionReason ?? '', howViewsHeard: a.howViewsHeard ?? '' }
    : null,
  interpreterUsed: a.interpreterUsed,
});
const inviteeOut = (i: MeetingInvitee) => ({
  id: i.id,
  kind: i.kind,
  name: i.name,
  roleTitle: i.roleTitle,
  agency:
    i.agencyId && i.agencyName && i.agencyKind ? { id: i.agencyId, name: i.agencyName, kind: i.agencyKind } : null,
  directContact: i.directContact,
  interpreterLanguage: i.interpreterLanguage,
  arrivedOnTheDay: i.invitationMethod === 'arrived-on-the-day',
  relationships: i.relationships,
});
const decisionOut = (d: DecisionRecord) => ({
  id: d.id,
  childId: d.childId,
  version: d.version,
  outcome: d.outcome,
  category: d.category,
  reasons: d.reasons,
  equallySplit: d.equallySplit,
  seniorManagerReferralRequired: d.seniorManagerReferralRequired,
  changeReason: d.changeReason,
  recordedBy: d.recordedByName,
  recordedAt: iso(d.recordedAt),
  agencyViews: d.agencyViews,
  referral: d.referral
    ? {
        referredTo: d.referral.referredTo,
        referredOn: d.referral.referredOn,
        reviewedOn: d.referral.reviewedOn,
        outcome: d.referral.outcome,
        reconveneDue: d.referral.reconveneDue,
      }
    : null,
});
const planOut = (p: PlanRecord) => ({
  id: p.id,
  childId: p.childId,
  version: p.version,
  leadSocialWorker: p.leadSocialWorkerUserId
    ? { id: p.leadSocialWorkerUserId, name: p.leadSocialWorkerName ?? 'Unknown account' }
    : null,
  coreGroupInviteeIds: p.coreGroupInviteeIds,
  firstCoreGroupDate: p.firstCoreGroupDate,
  actions: p.actions.map((a) => ({ action: a.action, who: a.who, byWhen: a.byWhen })),
  contingencyPlan: p.contingencyPlan,
  nextReviewDate: p.nextReviewDate,
  planEndedMeetingDate: p.planEndedMeetingDate,
  changeReason: p.changeReason,
  recordedBy: p.recordedByName,
  recordedAt: iso(p.recordedAt),
});
const summaryOut = (s: SummaryRecord) => ({
  version: s.version,
  worries: s.worries,
  positives: s.positives,
  changes: s.changes,
  changeReason: s.changeReason,
  recordedBy: s.recordedByName,
  recordedAt: iso(s.recordedAt),
});
const deadlineOut = (d: Deadline) => ({
  rule: d.rule,
  ruleId: d.ruleId,
  from: d.from,
  due: d.due,
  explanation: d.explanation,
});

function meetingOut(v: MeetingView) {
  const c = v.conference;
  return {
    conference: {
      id: c.id,
      type: c.type,
      status: c.status,
      scheduledDate: c.scheduledDate,
      startTime: c.startTime,
      durationMinutes: c.durationMinutes,
      chair: c.chairUserId ? { id: c.chairUserId, name: c.chairName ?? 'Unknown account' } : null,
      actualStartTime: c.actualStartTime,
      recordingReminderGiven: c.reminderGivenAt !== null,
      reminderGivenAt: c.reminderGivenAt ? iso(c.reminderGivenAt) : null,
      actualEndTime: c.actualEndTime,
      proceededInquorateReason: c.proceededInquorateReason,
      adjournmentSafetySteps: c.adjournmentSafetySteps,
      reconveneDate: c.reconveneDate,
      reconvenedConferenceId: c.reconvenedConferenceId,
    },
    children: v.children.map((ch) => ({
      childId: ch.childId,
      givenNames: ch.givenNames,
      familyName: ch.familyName,
      age: ch.age,
      presumedToAttend: ch.presumedToAttend,
      childViews: ch.childViews,
      decision: ch.decision ? decisionOut(ch.decision) : null,
      plan: ch.plan ? planOut(ch.plan) : null,
    })),
    parts: v.parts.map(partOut),
    invitees: v.invitees.map(inviteeOut),
    attendance: v.attendance.map(attendanceOut),
    quoracy: v.quoracy,
    agenciesPresent: v.agenciesPresent,
    summary: v.summary ? summaryOut(v.summary) : null,
    reviewDeadline: deadlineOut(v.reviewDeadline),
    planEndedDeadline: deadlineOut(v.planEndedDeadline),
    toConclude: v.toConclude,
    permissions: v.permissions,
  };
}

export async function conferenceMeetingApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { meeting } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;

  api.get(
    '/conferences/:id/meeting',
    {
      config: READ,
      schema: {
        summary: 'The conference on the day',
        description:
          'Register, quoracy (Q-1), each child’s latest decision and plan, the summary, and what remains before it can be concluded. Only for someone who may see every child in it; audited.',
        tags: TAGS,
        params,
        response: { 200: meetingSchema, ...errors },
      },
    },
    async (request) =>
      meetingOut(await meeting.getMeeting(actorOf(request), request.params.id, requestContext(request))),
  );

  api.get(
    '/conferences/:id/meeting/history',
    {
      config: READ,
      schema: {
        summary: 'Every version of the decisions, plans and summary',
        description: 'Nothing is overwritten: a change after the conference is held is a new version with its reason.',
        tags: TAGS,
        params,
        response: {
          200: z.object({
            decisions: z.array(decisionSchema),
            plans: z.array(planSchema),
            summaries: z.array(summarySchema),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const h = await meeting.getHistory(actorOf(request), request.params.id, requestContext(request));
      return {
        decisions: h.decisions.map(decisionOut),
        plans: h.plans.map(planOut),
        summaries: h.summaries.map(summaryOut),
      };
    },
  );

  api.post(
    '/conferences/:id/meeting/open',
    {
      config: WRITE,
      schema: {
        summary: 'Start the conference (R-1)',
        description:
          'The chair confirms each point about the recording was told to those present, and notes the actual start time. Chair only.',
        tags: TAGS,
        params,
        body: z.object({
          pointsGiven: z.array(z.enum(REMINDER_POINT_IDS as [string, ...string[]])).max(20),
          actualStartTime: clockTime('When the conference started'),
        }),
        response: { 200: z.object({ status: statusSchema, actualStartTime: z.string() }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, () =>
        meeting.openConference(actorOf(request), request.params.id, request.body, requestContext(request)),
      ),
  );

  const partBody = z.object({
    label: z.string().max(200),
    startOffsetMinutes: z.number().int().describe('Minutes after the conference’s scheduled start'),
    durationMinutes: z.number().int(),
  });

  api.post(
    '/conferences/:id/meeting/parts',
    {
      config: WRITE,
      schema: {
        summary: 'Add a part (split conference)',
        tags: TAGS,
        params,
        body: partBody,
        response: { 201: partSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        reply
          .code(201)
          .send(
            partOut(await meeting.addPart(actorOf(request), request.params.id, request.body, requestContext(request))),
          ),
      ),
  );

  api.put(
    '/conferences/:id/meeting/parts/:partId',
    {
      config: WRITE,
      schema: {
        summary: 'Change a part',
        description: 'Refused (422) if it would put someone present in two places at once.',
        tags: TAGS,
        params: partParams,
        body: partBody,
        response: { 200: partSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        partOut(
          await meeting.changePart(
            actorOf(request),
            request.params.id,
            request.params.partId,
            request.body,
            requestContext(request),
          ),
        ),
      ),
  );

  api.delete(
    '/conferences/:id/meeting/parts/:partId',
    {
      config: WRITE,
      schema: {
        summary: 'Remove a part with no attendance recorded',
        tags: TAGS,
        params: partParams,
        response: { 200: z.object({ removed: z.literal(true) }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        await meeting.removePart(actorOf(request), request.params.id, request.params.partId, requestContext(request));
        return { removed: true as const };
      }),
  );

  api.put(
    '/conferences/:id/meeting/parts/:partId/attendance',
    {
      config: WRITE,
      schema: {
        summary: 'Record the register for a part',
        description:
          'Chair or business support. Each problem is reported on its person (`status-{inviteeId}`, `joinedAt-{inviteeId}` …), including a person present in two overlapping parts. Returns the part’s register and quoracy (Q-1).',
        tags: TAGS,
        params: partParams,
        body: registerBody,
        response: { 200: z.object({ attendance: z.array(attendanceSchema), quoracy: quoracySchema }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const lines = request.body.entries.map((e) => ({
          inviteeId: e.inviteeId,
          status: e.status,
          joinedAt: e.joinedAtMinutes,
          leftAt: e.leftAtMinutes,
          interpreterUsed: e.interpreterUsed,
          directContact: e.directContact,
        }));
        const r = await meeting.recordAttendance(
          actorOf(request),
          request.params.id,
          request.params.partId,
          lines,
          requestContext(request),
        );
        return { attendance: r.attendance.map(attendanceOut), quoracy: r.quoracy };
      }),
  );

  api.put(
    '/conferences/:id/meeting/parts/:partId/exclusions/:inviteeId',
    {
      config: WRITE,
      schema: {
        summary: 'Exclude a parent or carer from a part (002 §3.2)',
        description:
          'Chair only. The reason must have been given orally and in writing, and how their views were heard is recorded.',
        tags: TAGS,
        params: lineParams,
        body: z.object({
          extent: z.enum(EXCLUSION_EXTENTS),
          reason: longText,
          toldOrally: z.boolean(),
          toldInWriting: z.boolean(),
          howViewsHeard: longText,
        }),
        response: { 200: attendanceSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const p = request.params;
        return attendanceOut(
          await meeting.recordExclusion(
            actorOf(request),
            p.id,
            p.partId,
            p.inviteeId,
            request.body,
            requestContext(request),
          ),
        );
      }),
  );

  api.delete(
    '/conferences/:id/meeting/parts/:partId/exclusions/:inviteeId',
    {
      config: WRITE,
      schema: {
        summary: 'Remove an exclusion recorded in error',
        tags: TAGS,
        params: lineParams,
        response: { 200: attendanceSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const p = request.params;
        return attendanceOut(
          await meeting.clearExclusion(actorOf(request), p.id, p.partId, p.inviteeId, requestContext(request)),
        );
      }),
  );

  api.post(
    '/conferences/:id/meeting/arrivals',
    {
      config: WRITE,
      schema: {
        summary: 'Add someone who arrived without an invitation',
        description:
          'They join the register as an invitee of the right kind, present in the parts given. A new friend, supporter or advocate joins each child’s network without PR.',
        tags: TAGS,
        params,
        body: arrivalBody,
        response: { 201: z.object({ inviteeId: z.uuid() }), ...errors, 409: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        reply
          .code(201)
          .send(await meeting.addArrival(actorOf(request), request.params.id, request.body, requestContext(request))),
      ),
  );

  api.get(
    '/conferences/:id/meeting/quoracy',
    {
      config: READ,
      schema: {
        summary: 'Quoracy (Q-1), live from the register',
        tags: TAGS,
        params,
        response: {
          200: z.object({
            quoracy: quoracySchema,
            agenciesPresent: z.array(z.object({ agencyId: z.uuid(), agencyName: z.string() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const v = await meeting.getMeeting(actorOf(request), request.params.id, requestContext(request));
      return { quoracy: v.quoracy, agenciesPresent: v.agenciesPresent };
    },
  );

  api.post(
    '/conferences/:id/meeting/proceed-inquorate',
    {
      config: WRITE,
      schema: {
        summary: 'Go ahead although not quorate (Q-1)',
        description:
          'Exceptional circumstances only, with the chair’s reason. Refused (422) when the conference is quorate.',
        tags: TAGS,
        params,
        body: z.object({ reason: z.string().max(2000) }),
        response: { 200: z.object({ status: statusSchema, proceededInquorateReason: z.string() }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, () =>
        meeting.proceedInquorate(actorOf(request), request.params.id, request.body, requestContext(request)),
      ),
  );

  api.post(
    '/conferences/:id/meeting/adjourn',
    {
      config: WRITE,
      schema: {
        summary: 'Adjourn an inquorate conference (Q-1)',
        description:
          'Records the immediate safety steps and the new date. It does not book the reconvened conference: convening does, and links it.',
        tags: TAGS,
        params,
        body: z.object({ safetySteps: longText, reconveneDate: isoDate('The date the conference will be reconvened') }),
        response: { 200: z.object({ status: statusSchema, reconveneDate: z.string() }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, () =>
        meeting.adjournInquorate(
          actorOf(request),
          request.params.id,
          { safetySteps: request.body.safetySteps, reconveneDate: request.body.reconveneDate as IsoDate },
          requestContext(request),
        ),
      ),
  );

  api.put(
    '/conferences/:id/meeting/children/:childId/views',
    {
      config: WRITE,
      schema: {
        summary: 'Record the child’s views (002 §3.2)',
        description: 'Whether or not they attend. Not versioned, so refused (422) once the conference is held.',
        tags: TAGS,
        params: childParams,
        body: z.object({ views: longText }),
        response: { 200: z.object({ childId: z.uuid(), childViews: z.string() }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        await meeting.recordChildViews(
          actorOf(request),
          request.params.id,
          request.params.childId,
          request.body,
          requestContext(request),
        );
        return { childId: request.params.childId, childViews: request.body.views.trim() };
      }),
  );

  api.post(
    '/conferences/:id/meeting/children/:childId/decisions',
    {
      config: WRITE,
      schema: {
        summary: 'Record a decision for a child (a new version)',
        description:
          'The outcome for the conference type; the category with a plan and never without one; each agency present’s view. Equally split views record that the chair decided; more than one dissent needs `referral` (D-1). Once held, `changeReason` is required.',
        tags: TAGS,
        params: childParams,
        body: decisionBody,
        response: { 201: decisionSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const b = request.body;
        const d = await meeting.recordDecision(
          actorOf(request),
          request.params.id,
          request.params.childId,
          {
            ...b,
            referral: b.referral
              ? { referredTo: b.referral.referredTo, referredOn: b.referral.referredOn as IsoDate }
              : null,
          },
          requestContext(request),
        );
        return reply.code(201).send(decisionOut(d));
      }),
  );

  api.post(
    '/conferences/:id/meeting/children/:childId/referral-review',
    {
      config: WRITE,
      schema: {
        summary: 'Record the senior manager’s review (D-1)',
        description:
          'When it decides to reconvene, the reconvened conference is due within 20 working days of the review.',
        tags: TAGS,
        params: childParams,
        body: z.object({ reviewedOn: isoDate('Date of the review'), outcome: z.enum(REFERRAL_OUTCOMES) }),
        response: {
          200: z.object({ reconveneDue: z.string().nullable(), deadline: deadlineSchema.nullable() }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const r = await meeting.recordReferralReview(
          actorOf(request),
          request.params.id,
          request.params.childId,
          { reviewedOn: request.body.reviewedOn as IsoDate, outcome: request.body.outcome },
          requestContext(request),
        );
        return { reconveneDue: r.reconveneDue, deadline: r.deadline ? deadlineOut(r.deadline) : null };
      }),
  );

  api.post(
    '/conferences/:id/meeting/children/:childId/plans',
    {
      config: WRITE,
      schema: {
        summary: 'Record a child’s plan (a new version)',
        description:
          'With a plan: lead social worker, core group (invitee ids), first core group date, actions, contingency plan and the next review, no later than T-3 allows. When the plan ends: `planEndedMeetingDate` (T-9). Once held, `changeReason` is required.',
        tags: TAGS,
        params: childParams,
        body: planBody,
        response: { 201: planSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const b = request.body;
        const plan = await meeting.recordPlan(
          actorOf(request),
          request.params.id,
          request.params.childId,
          {
            leadSocialWorkerUserId: b.leadSocialWorkerUserId,
            coreGroupInviteeIds: b.coreGroupInviteeIds ?? [],
            firstCoreGroupDate: (b.firstCoreGroupDate ?? null) as IsoDate | null,
            actions: (b.actions ?? []).map((a) => ({
              action: a.action,
              who: a.who,
              byWhen: (a.byWhen ?? null) as IsoDate | null,
            })),
            contingencyPlan: b.contingencyPlan ?? null,
            nextReviewDate: (b.nextReviewDate ?? null) as IsoDate | null,
            planEndedMeetingDate: (b.planEndedMeetingDate ?? null) as IsoDate | null,
            changeReason: b.changeReason ?? null,
          },
          requestContext(request),
        );
        return reply.code(201).send(planOut(plan));
      }),
  );

  api.post(
    '/conferences/:id/meeting/summaries',
    {
      config: WRITE,
      schema: {
        summary: 'Record the chair’s summary: worries, positives, changes (a new version)',
        tags: TAGS,
        params,
        body: z.object({
          worries: longText,
          positives: longText,
          changes: longText,
          changeReason: z.string().max(2000).nullish(),
        }),
        response: { 201: summarySchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        reply
          .code(201)
          .send(
            summaryOut(
              await meeting.recordSummary(actorOf(request), request.params.id, request.body, requestContext(request)),
            ),
          ),
      ),
  );

  api.post(
    '/conferences/:id/meeting/conclude',
    {
      config: WRITE,
      schema: {
        summary: 'Conclude the conference',
        description:
          'Held only when quorate (or going ahead with the chair’s reason) and every child has a decision. R-1: the end time is noted.',
        tags: TAGS,
        params,
        body: z.object({ actualEndTime: clockTime('When the conference ended') }),
        response: { 200: z.object({ status: statusSchema, actualEndTime: z.string() }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, () =>
        meeting.conclude(actorOf(request), request.params.id, request.body, requestContext(request)),
      ),
  );
}
