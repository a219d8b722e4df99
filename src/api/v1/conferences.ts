/**
 * Conferences for integrations: convening, reading, invitations and their letters, with the same use
 * cases, access rules (every child in the conference) and audit trail as the pages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RequestContext } from '../../app/audit/audit-log.ts';
import type { ConferenceOverview, InviteeView } from '../../app/conferences/convening-service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../domain/access/child-access.ts';
import type { Deadline } from '../../domain/calendar/index.ts';
import { CONFERENCE_TYPES } from '../../domain/conferences/decisions.ts';
import { INVITATION_METHODS, VENUE_KINDS, describeReportSharing } from '../../domain/conferences/invitations.ts';
import { INVITEE_KINDS } from '../../domain/conferences/invitees.ts';
import { CONFERENCE_STATUSES } from '../../domain/conferences/lifecycle.ts';
import { AGENCY_KINDS, InvalidDetailsError, RELATIONSHIP_KINDS } from '../../domain/people/index.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse } from './schemas.ts';

const VIEW = { access: CHILD_RECORD_ROLES };
const EDIT = { access: RECORD_EDITOR_ROLES };

function requestContext(request: FastifyRequest): RequestContext {
  return { actor: { id: request.actor!.id, label: request.actor!.name }, requestId: request.id };
}

const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2026-03-16'] });
const staffRef = z.object({ id: z.uuid(), name: z.string() });

const deadlineSchema = z
  .object({
    rule: z.string().describe('The named timescale rule, e.g. `initial-conference`'),
    ruleId: z.string().describe('DOMAIN rule id, e.g. `T-1`'),
    title: z.string(),
    from: isoDate('The date the timescale runs from'),
    fromMeaning: z.string().describe('What that date is, e.g. "date of the strategy discussion"'),
    due: isoDate('The last day'),
    earliest: isoDate('For a window (T-2): the first suitable day').optional(),
    latest: isoDate('For a window (T-2): the last suitable day').optional(),
    explanation: z.string().describe('How the date was worked out, in plain English'),
  })
  .describe('A statutory due date: which rule made it and from which date');

const conferenceSchema = z.object({
  conference: z.object({
    id: z.uuid(),
    type: z.enum(CONFERENCE_TYPES),
    typeLabel: z.string(),
    status: z.enum(CONFERENCE_STATUSES),
    statusLabel: z.string(),
    scheduledDate: isoDate('The day of the conference'),
    startTime: z.string().describe('HH:MM, England'),
    endTime: z.string().nullable().describe('HH:MM, England; null if after midnight'),
    durationMinutes: z.number().int(),
    venueKind: z.enum(VENUE_KINDS),
    venueDetails: z.string().nullable(),
    onlineLink: z.string().nullable(),
    chair: staffRef.nullable(),
    minuteTaker: staffRef.nullable(),
    strategyDiscussionDate: isoDate('Initial conferences (T-1)').nullable(),
    expectedDeliveryDate: isoDate('Pre-birth conferences (T-2)').nullable(),
    previousConferenceId: z.uuid().nullable().describe('Review conferences (T-3): the conference reviewed'),
    noticeOfMoveDate: isoDate('Transfer-in conferences (T-4)').nullable(),
    due: deadlineSchema,
    dueDateWhenConvened: isoDate('The due date stored when the conference was convened'),
    lateAgreedBy: z.string().nullable().describe('T-1: the senior manager who agreed a date outside the timescale'),
    lateReason: z.string().nullable(),
    reportsToFamilyDue: deadlineSchema.describe('T-5: reports shared with the family by this date'),
    midwifeInvited: z.boolean().nullable().describe('Pre-birth only (T-2): whether a midwife is invited'),
    open: z.boolean().describe('Invitations and reports can still be changed'),
  }),
  children: z.array(
    z.object({
      id: z.uuid(),
      givenNames: z.string(),
      familyName: z.string(),
      dateOfBirth: isoDate('Null for an unborn child').nullable(),
      expectedDeliveryDate: isoDate('For an unborn child').nullable(),
      ageOnConferenceDate: z.number().int().nullable(),
      presumedToAttend: z.boolean().describe('002 §3.2: 12 or over on the conference date'),
    }),
  ),
  parts: z.array(z.object({ id: z.uuid(), ordinal: z.number().int(), label: z.string(), startOffsetMinutes: z.number().int(), durationMinutes: z.number().int() })),
  invitees: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(INVITEE_KINDS),
      name: z.string(),
      personId: z.uuid().nullable(),
      childId: z.uuid().nullable(),
      professionalId: z.uuid().nullable(),
      agencyId: z.uuid().nullable(),
      agencyName: z.string().nullable(),
      agencyKind: z.enum(AGENCY_KINDS).nullable(),
      roleTitle: z.string().nullable(),
      directContact: z.boolean().describe('Q-1: the agency has had direct contact with the child and family'),
      receivesMinutes: z.boolean().describe('W-4: false for friends, supporters and advocates'),
      invitationMethod: z.string().nullable().describe('letter | email | letter-and-email | by-hand; null until sent'),
      invitedAt: z.iso.datetime().nullable(),
      relationships: z.array(z.object({ childId: z.uuid(), relationship: z.enum(RELATIONSHIP_KINDS), parentalResponsibility: z.boolean() })),
    }),
  ),
  reports: z.array(
    z.object({
      id: z.uuid(),
      agencyId: z.uuid(),
      agencyName: z.string(),
      agencyKind: z.enum(AGENCY_KINDS),
      mediaType: z.string().nullable(),
      sizeBytes: z.number().int().nullable(),
      sha256: z.string().nullable(),
      receivedAt: z.iso.datetime(),
      sharedWithFamilyOn: isoDate('When it reached the family').nullable(),
      withheldFromFamily: z.boolean(),
      police: z.boolean().describe('Police reports are never shared with the family without the chair’s agreement'),
      sharing: z.object({ state: z.enum(['shared-in-time', 'shared-late', 'not-shared', 'police-not-shared', 'withheld']), rag: z.string(), description: z.string() }).describe('T-5'),
    }),
  ),
});

const deadlineOut = (d: Deadline) => ({
  rule: d.rule,
  ruleId: d.ruleId,
  title: d.title,
  from: d.from,
  fromMeaning: d.fromMeaning,
  due: d.due,
  ...(d.earliest ? { earliest: d.earliest } : {}),
  ...(d.latest ? { latest: d.latest } : {}),
  explanation: d.explanation,
});

const inviteeOut = (i: InviteeView) => ({
  id: i.id,
  kind: i.kind,
  name: i.name,
  personId: i.personId,
  childId: i.childId,
  professionalId: i.professionalId,
  agencyId: i.agencyId,
  agencyName: i.agencyName,
  agencyKind: i.agencyKind,
  roleTitle: i.roleTitle,
  directContact: i.directContact,
  receivesMinutes: i.receivesMinutes,
  invitationMethod: i.invitationMethod,
  invitedAt: i.invitedAt ? i.invitedAt.toISOString() : null,
  relationships: i.links.map((l) => ({ childId: l.childId, relationship: l.relationship, parentalResponsibility: l.parentalResponsibility })),
});

function conferenceOut(o: ConferenceOverview) {
  const c = o.conference;
  return {
    conference: {
      id: c.id,
      type: c.type,
      typeLabel: o.typeLabel,
      status: c.status,
      statusLabel: o.statusLabel,
      scheduledDate: c.scheduledDate,
      startTime: c.startTime,
      endTime: o.endTime,
      durationMinutes: c.durationMinutes,
      venueKind: c.venueKind,
      venueDetails: c.venueDetails,
      onlineLink: c.onlineLink,
      chair: c.chair ? { id: c.chair.id, name: c.chair.name } : null,
      minuteTaker: c.minuteTaker ? { id: c.minuteTaker.id, name: c.minuteTaker.name } : null,
      strategyDiscussionDate: c.strategyDiscussionDate,
      expectedDeliveryDate: c.expectedDeliveryDate,
      previousConferenceId: c.previousConference?.id ?? null,
      noticeOfMoveDate: c.noticeOfMoveDate,
      due: deadlineOut(o.deadline),
      dueDateWhenConvened: c.dueDate,
      lateAgreedBy: c.lateAgreedBy,
      lateReason: c.lateReason,
      reportsToFamilyDue: deadlineOut(o.reportsDeadline),
      midwifeInvited: o.midwifeInvited,
      open: o.open,
    },
    children: o.children.map((k) => ({
      id: k.id,
      givenNames: k.givenNames,
      familyName: k.familyName,
      dateOfBirth: k.dateOfBirth,
      expectedDeliveryDate: k.expectedDeliveryDate,
      ageOnConferenceDate: k.ageOnConferenceDate,
      presumedToAttend: k.presumedToAttend,
    })),
    parts: o.parts,
    invitees: o.invitees.map(inviteeOut),
    reports: o.reports.map((r) => ({
      id: r.id,
      agencyId: r.agencyId,
      agencyName: r.agencyName,
      agencyKind: r.agencyKind,
      mediaType: r.mediaType,
      sizeBytes: r.sizeBytes,
      sha256: r.fileSha256,
      receivedAt: r.receivedAt.toISOString(),
      sharedWithFamilyOn: r.sharedWithFamilyOn,
      withheldFromFamily: r.withheldFromFamily,
      police: r.isPolice,
      sharing: { state: r.sharing.state, rag: r.sharing.rag, description: describeReportSharing(r.sharing) },
    })),
  };
}

const text = (max: number) => z.string().max(max).nullish();

const conveneBody = z.object({
  childIds: z.array(z.uuid()).min(1).max(12).describe('The child, or the sibling group; the caller must be able to change every child’s record'),
  type: z.enum(CONFERENCE_TYPES),
  strategyDiscussionDate: isoDate('Initial: the strategy discussion at which the section 47 enquiry began (T-1)').nullish(),
  expectedDeliveryDate: isoDate('Pre-birth: the expected date of delivery (T-2)').nullish(),
  previousConferenceId: z.uuid().nullish().describe('Review: a held conference of these children (T-3)'),
  noticeOfMoveDate: isoDate('Transfer-in: when notice of the move was received (T-4)').nullish(),
  scheduledDate: isoDate('The day of the conference: a working day, today or later'),
  startTime: z.string().max(5).describe('HH:MM, 24-hour clock, England'),
  durationMinutes: z.number().int().describe('Expected length, 15 to 480 minutes'),
  venueKind: z.enum(VENUE_KINDS),
  venueDetails: text(500).describe('In person or hybrid: address and room'),
  onlineLink: text(2000).describe('Online or hybrid: the Microsoft Teams link (https)'),
  chairUserId: z.uuid().describe('An active user with the chair role'),
  minuteTakerUserId: z.uuid().describe('An active business support user'),
  lateAgreedBy: text(200).describe('Required when the date is outside the timescale: the senior manager who agreed it (T-1)'),
  lateReason: text(1000).describe('Required when the date is outside the timescale: why'),
});

const sent = z.object({ method: z.enum(INVITATION_METHODS), sentOn: isoDate('The day it was sent; today or earlier') }).optional().describe('Record an invitation already sent');

const inviteeBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('family-member').describe('A family and network member; invited as friend, supporter or advocate when that is all they are to the children'), personId: z.uuid(), sent }),
  z.object({ kind: z.literal('child'), childId: z.uuid().describe('A born child of this conference; 12 or over is presumed able to attend'), sent }),
  z.object({ kind: z.literal('professional'), professionalId: z.uuid(), directContact: z.boolean().describe('Q-1: has their agency had direct contact with the child and family?'), sent }),
  z.object({
    kind: z.literal('interpreter'),
    interpreter: z.object({ name: z.string().max(200), language: z.string().max(100), agencyId: z.uuid().describe('The interpreting service (see /agencies)'), email: text(320) }),
    sent,
  }),
]);

const conferenceParams = z.object({ id: z.uuid().describe('The conference’s id') });

const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };

/** Rule problems as one 422 listing every field; other errors go to the app's error handler. */
async function withRules<T>(reply: FastifyReply, run: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof InvalidDetailsError) {
      return reply.code(422).send({
        error: 'invalid_details',
        message: err.message,
        ...(err.field ? { field: err.field } : {}),
        issues: err.problems.map((p) => ({ path: p.field, message: p.message })),
      });
    }
    throw err;
  }
}

export async function conferencesApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { convening } = services;

  api.post(
    '/conferences',
    {
      config: EDIT,
      schema: {
        summary: 'Convene a conference',
        description:
          'For one child or a sibling group. What the type needs: `strategyDiscussionDate` (initial), `expectedDeliveryDate` (pre-birth, with an unborn child), `previousConferenceId` (review), `noticeOfMoveDate` (transfer-in). A date outside the timescale needs `lateAgreedBy` and `lateReason` (422 otherwise). The caller must be able to change every child’s record (403, audited). One part, "Whole conference", is created.',
        tags: ['conferences'],
        body: conveneBody,
        response: { 201: conferenceSchema, ...errors, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const { id } = await convening.convene(request.actor!, request.body, requestContext(request));
        const overview = await convening.getConference(request.actor!, id, requestContext(request));
        return reply.code(201).send(conferenceOut(overview));
      }),
  );

  api.get(
    '/conferences/:id',
    {
      config: VIEW,
      schema: {
        summary: 'A conference',
        description: 'With its children, parts, invitees (kind, agency, direct contact) and reports (T-5 status). Only for someone who may see every child in it; every read is audited.',
        tags: ['conferences'],
        params: conferenceParams,
        response: { 200: conferenceSchema, ...errors },
      },
    },
    async (request) => conferenceOut(await convening.getConference(request.actor!, request.params.id, requestContext(request))),
  );

  api.get(
    '/children/:id/conferences',
    {
      config: VIEW,
      schema: {
        summary: 'A child’s conferences, newest first',
        description: '`canOpen` is false for a conference that includes a child whose record the caller may not see.',
        tags: ['conferences'],
        params: z.object({ id: z.uuid().describe('The child’s id') }),
        response: {
          200: z.object({
            child: z.object({ id: z.uuid(), givenNames: z.string(), familyName: z.string() }),
            conferences: z.array(z.object({ id: z.uuid(), type: z.enum(CONFERENCE_TYPES), typeLabel: z.string(), status: z.enum(CONFERENCE_STATUSES), scheduledDate: isoDate('The day'), startTime: z.string(), childIds: z.array(z.uuid()), canOpen: z.boolean() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { child, conferences } = await convening.listChildConferences(request.actor!, request.params.id, requestContext(request));
      return {
        child: { id: child.id, givenNames: child.givenNames, familyName: child.familyName },
        conferences: conferences.map((c) => ({ id: c.id, type: c.type, typeLabel: c.typeLabel, status: c.status, scheduledDate: c.scheduledDate, startTime: c.startTime, childIds: c.canOpen ? c.childIds : [], canOpen: c.canOpen })),
      };
    },
  );

  api.post(
    '/conferences/:id/invitations',
    {
      config: EDIT,
      schema: {
        summary: 'Invite people',
        description:
          'All or none. Family members, children and professionals must belong to the conference’s children; nobody is invited twice (422). The service records invitations; it does not send them: give `sent` when one has been sent, and fetch the letter for its text.',
        tags: ['conferences'],
        params: conferenceParams,
        body: z.object({ invitees: z.array(inviteeBody).min(1).max(100) }),
        response: { 201: z.object({ invitees: conferenceSchema.shape.invitees }), ...errors, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const added = await convening.invite(request.actor!, request.params.id, request.body.invitees, requestContext(request));
        return reply.code(201).send({ invitees: added.map(inviteeOut) });
      }),
  );

  api.get(
    '/conferences/:id/invitations/:inviteeId/letter',
    {
      config: VIEW,
      schema: {
        summary: 'The invitation’s text for one invitee',
        description:
          'Subject and body (plain text) for an email or letter: the children’s names and dates of birth, date, time and venue, and the notice that the conference is audio recorded (R-1). Addresses of the children and other adults are included for professionals only (001). Audited.',
        tags: ['conferences'],
        params: z.object({ id: z.uuid(), inviteeId: z.uuid() }),
        response: {
          200: z.object({
            inviteeId: z.uuid(),
            subject: z.string(),
            body: z.string(),
            recipientLines: z.array(z.string()),
            includesAddresses: z.boolean(),
            includesRecordingNotice: z.literal(true),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { invitee, content } = await convening.invitationContent(request.actor!, request.params.id, request.params.inviteeId, requestContext(request));
      return { inviteeId: invitee.id, subject: content.subject, body: content.body, recipientLines: content.recipientLines, includesAddresses: content.includesAddresses, includesRecordingNotice: true as const };
    },
  );
}
