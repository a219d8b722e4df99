/**
 * Conferences for integrations: convening, reading, invitations and their letters, with the same use
 * cases, access rules (every child in the conference) and audit trail as the pages.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { InvitationIssueRecord } from '../../app/conferences/convening-ports.ts';
import {
  type ConferenceOverview,
  type InviteeView,
  MAX_LANGUAGE_LENGTH,
  type ReconveneChoice,
} from '../../app/conferences/convening-service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../domain/access/child-access.ts';
import type { Deadline } from '../../domain/calendar/index.ts';
import { CONFERENCE_TYPES } from '../../domain/conferences/decisions.ts';
import { INVITATION_METHODS, VENUE_KINDS, describeReportSharing } from '../../domain/conferences/invitations.ts';
import { CSC_STAFF_ROLES, INVITEE_KINDS, mayUseInterpreter } from '../../domain/conferences/invitees.ts';
import type { ConferenceLink } from '../../domain/conferences/reconvening.ts';
import { CONFERENCE_STATUSES } from '../../domain/conferences/lifecycle.ts';
import { AGENCY_KINDS, RELATIONSHIP_KINDS } from '../../domain/people/index.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';
import { idSchema } from '../../domain/shared/ids.ts';

const VIEW = { access: CHILD_RECORD_ROLES };
const EDIT = { access: RECORD_EDITOR_ROLES };

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

const linkSchema = z.object({
  id: z.uuid(),
  type: z.enum(CONFERENCE_TYPES),
  status: z.enum(CONFERENCE_STATUSES),
  scheduledDate: isoDate('The day of that conference'),
});

const reconveneGroundSchema = z
  .discriminatedUnion('rule', [
    z.object({ rule: z.literal('Q-1'), newDate: isoDate('The new date the chair set when adjourning') }),
    z.object({
      rule: z.literal('D-1'),
      reviewedOn: isoDate('The senior manager’s review'),
      due: isoDate('20 working days from the review'),
    }),
  ])
  .describe('Why the conference is to be reconvened');

const issueSchema = z
  .object({
    id: z.uuid(),
    inviteeId: z.uuid(),
    issueNumber: z.number().int().describe('1, 2, … for each invitee; issuing again adds one, nothing is overwritten'),
    channel: z.enum(INVITATION_METHODS),
    recipientLines: z.array(z.string()).describe('The letter’s address block as issued'),
    recipientEmail: z.string().nullable().describe('Where an emailed invitation went'),
    subject: z.string(),
    body: z
      .string()
      .describe('The invitation as sent, plain text (letter and email body), with the R-1 recording notice'),
    bodySha256: z.string().describe('SHA-256 of the body’s UTF-8 bytes, hex'),
    issuedAt: z.iso.datetime().describe('When it was sent'),
    issuedBy: z.object({ id: z.uuid().nullable(), name: z.string() }),
  })
  .describe('An invitation as issued, kept exactly as sent');

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
    reconvenes: linkSchema.nullable().describe('Q-1 / D-1: the earlier conference this one reconvenes'),
    reconvenedAs: linkSchema.nullable().describe('Q-1 / D-1: the conference convened as reconvening this one'),
    reconvene: z
      .object({
        ground: reconveneGroundSchema,
        reason: z.string(),
        outstanding: z.boolean().describe('True until a conference (not cancelled) is linked as reconvening it'),
      })
      .nullable()
      .describe(
        'Set when this conference is to be reconvened: adjourned as not quorate (Q-1), or a D-1 review decided so',
      ),
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
  parts: z.array(
    z.object({
      id: z.uuid(),
      ordinal: z.number().int(),
      label: z.string(),
      startOffsetMinutes: z.number().int(),
      durationMinutes: z.number().int(),
    }),
  ),
  invitees: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(INVITEE_KINDS),
      name: z.string(),
      personId: z.uuid().nullable(),
      childId: z.uuid().nullable(),
      professionalId: z.uuid().nullable(),
      userId: z.uuid().nullable().describe('Children’s social care staff invited from their own account'),
      staffRole: z
        .enum(CSC_STAFF_ROLES)
        .nullable()
        .describe('With userId: the children’s allocated social worker, or a team manager'),
      agencyId: z.uuid().nullable(),
      agencyName: z.string().nullable(),
      agencyKind: z.enum(AGENCY_KINDS).nullable(),
      roleTitle: z.string().nullable(),
      directContact: z.boolean().describe('Q-1: the agency has had direct contact with the child and family'),
      interpreterNeeded: z.boolean().describe('A family member or child who needs an interpreter'),
      interpreterLanguage: z
        .string()
        .nullable()
        .describe('The language they need an interpreter in; for an interpreter, the language they interpret'),
      latestIssue: issueSchema
        .omit({ body: true, recipientLines: true })
        .nullable()
        .describe('The invitation as last issued (fetch …/issues for the text)'),
      receivesMinutes: z.boolean().describe('W-4: false for friends, supporters and advocates'),
      invitationMethod: z.string().nullable().describe('letter | email | letter-and-email | by-hand; null until sent'),
      invitedAt: z.iso.datetime().nullable(),
      relationships: z.array(
        z.object({ childId: z.uuid(), relationship: z.enum(RELATIONSHIP_KINDS), parentalResponsibility: z.boolean() }),
      ),
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
      sharing: z
        .object({
          state: z.enum(['shared-in-time', 'shared-late', 'not-shared', 'police-not-shared', 'withheld']),
          rag: z.string(),
          description: z.string(),
        })
        .describe('T-5'),
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

const linkOut = (l: ConferenceLink | null) =>
  l ? { id: l.id, type: l.type, status: l.status, scheduledDate: l.scheduledDate } : null;

const issueOut = (i: InvitationIssueRecord) => ({
  id: i.id,
  inviteeId: i.inviteeId,
  issueNumber: i.issueNumber,
  channel: i.channel,
  recipientLines: i.recipientLines,
  recipientEmail: i.recipientEmail,
  subject: i.subject,
  body: i.body,
  bodySha256: i.bodySha256,
  issuedAt: i.issuedAt.toISOString(),
  issuedBy: i.issuedBy,
});

const inviteeOut = (i: InviteeView) => ({
  id: i.id,
  kind: i.kind,
  name: i.name,
  personId: i.personId,
  childId: i.childId,
  professionalId: i.professionalId,
  userId: i.userId,
  staffRole: i.staffRole,
  agencyId: i.agencyId,
  agencyName: i.agencyName,
  agencyKind: i.agencyKind,
  roleTitle: i.roleTitle,
  directContact: i.directContact,
  interpreterNeeded: i.interpreterLanguage !== null && mayUseInterpreter(i.kind),
  interpreterLanguage: i.interpreterLanguage,
  latestIssue: i.latestIssue
    ? (({ body: _body, recipientLines: _lines, ...rest }) => rest)(issueOut(i.latestIssue))
    : null,
  receivesMinutes: i.receivesMinutes,
  invitationMethod: i.invitationMethod,
  invitedAt: i.invitedAt ? i.invitedAt.toISOString() : null,
  relationships: i.links.map((l) => ({
    childId: l.childId,
    relationship: l.relationship,
    parentalResponsibility: l.parentalResponsibility,
  })),
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
      reconvenes: linkOut(c.reconvenes),
      reconvenedAs: linkOut(c.reconvenedAs),
      reconvene: o.reconvene
        ? { ground: o.reconvene.ground, reason: o.reconvene.reason, outstanding: o.reconvene.outstanding }
        : null,
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
  childIds: z
    .array(idSchema)
    .min(1)
    .max(12)
    .describe('The child, or the sibling group; the caller must be able to change every child’s record'),
  type: z.enum(CONFERENCE_TYPES),
  strategyDiscussionDate: isoDate(
    'Initial: the strategy discussion at which the section 47 enquiry began (T-1)',
  ).nullish(),
  expectedDeliveryDate: isoDate('Pre-birth: the expected date of delivery (T-2)').nullish(),
  previousConferenceId: idSchema.nullish().describe('Review: a held conference of these children (T-3)'),
  noticeOfMoveDate: isoDate('Transfer-in: when notice of the move was received (T-4)').nullish(),
  scheduledDate: isoDate('The day of the conference: a working day, today or later'),
  startTime: z.string().max(5).describe('HH:MM, 24-hour clock, England'),
  durationMinutes: z.number().int().describe('Expected length, 15 to 480 minutes'),
  venueKind: z.enum(VENUE_KINDS),
  venueDetails: text(500).describe('In person or hybrid: address and room'),
  onlineLink: text(2000).describe('Online or hybrid: the Microsoft Teams link (https)'),
  chairUserId: idSchema.describe('An active user with the chair role'),
  minuteTakerUserId: idSchema.describe('An active business support user'),
  lateAgreedBy: text(200).describe(
    'Required when the date is outside the timescale: the senior manager who agreed it (T-1)',
  ),
  lateReason: text(1000).describe('Required when the date is outside the timescale: why'),
  reconvenesConferenceId: idSchema
    .nullish()
    .describe(
      'Q-1 / D-1: the earlier conference of these children this one reconvenes (see /children/{id}/reconvene-choices): same type, still waiting, not already reconvened',
    ),
});

const sent = z
  .object({ method: z.enum(INVITATION_METHODS), sentOn: isoDate('The day it was sent; today or earlier') })
  .optional()
  .describe('Record an invitation already sent');

const interpreterNeed = {
  interpreterNeeded: z
    .boolean()
    .nullish()
    .describe('Whether they need an interpreter; left out for a family member, their record says'),
  interpreterLanguage: z
    .string()
    .max(MAX_LANGUAGE_LENGTH)
    .nullish()
    .describe('Required when an interpreter is needed: the language, e.g. Polish or British Sign Language'),
};

const inviteeBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z
      .literal('family-member')
      .describe(
        'A family and network member; invited as friend, supporter or advocate when that is all they are to the children',
      ),
    personId: idSchema,
    ...interpreterNeed,
    sent,
  }),
  z.object({
    kind: z.literal('child'),
    childId: idSchema.describe('A born child of this conference; 12 or over is presumed able to attend'),
    ...interpreterNeed,
    sent,
  }),
  z.object({
    kind: z.literal('professional'),
    professionalId: idSchema,
    directContact: z.boolean().describe('Q-1: has their agency had direct contact with the child and family?'),
    sent,
  }),
  z.object({
    kind: z
      .literal('social-worker')
      .describe('Q-1: the allocated social worker of a child in the conference, for children’s social care'),
    userId: idSchema,
    sent,
  }),
  z.object({
    kind: z
      .literal('team-manager')
      .describe('Q-1: a member of staff with the team manager role, for children’s social care'),
    userId: idSchema,
    sent,
  }),
  z.object({
    kind: z.literal('interpreter'),
    interpreter: z.object({
      name: z.string().max(200),
      language: z.string().max(100),
      agencyId: idSchema.describe('The interpreting service (see /agencies)'),
      email: text(320),
    }),
    sent,
  }),
]);

const conferenceParams = z.object({ id: idSchema.describe('The conference’s id') });
const inviteeParams = z.object({
  id: idSchema.describe('The conference’s id'),
  inviteeId: idSchema.describe('The invitee’s id'),
});

const choiceOut = (c: ReconveneChoice) => ({
  id: c.id,
  type: c.type,
  scheduledDate: c.scheduledDate,
  childIds: c.childIds,
  ground: c.ground,
  label: c.label,
  reason: c.reason,
});

const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };

export async function conferencesApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { convening } = services;

  api.post(
    '/conferences',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.conveneAndView',
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
        const overview = await convening.conveneAndView(request.actor!, request.body, requestContext(request));
        return reply.code(201).send(conferenceOut(overview));
      }),
  );

  api.get(
    '/conferences/:id',
    {
      config: VIEW,
      schema: {
        operationId: 'ConveningService.getConference',
        summary: 'A conference',
        description:
          'With its children, parts, invitees (kind, agency, direct contact) and reports (T-5 status). Only for someone who may see every child in it; every read is audited.',
        tags: ['conferences'],
        params: conferenceParams,
        response: { 200: conferenceSchema, ...errors },
      },
    },
    async (request) =>
      conferenceOut(await convening.getConference(request.actor!, request.params.id, requestContext(request))),
  );

  api.get(
    '/children/:id/conferences',
    {
      config: VIEW,
      schema: {
        operationId: 'ConveningService.listChildConferences',
        summary: 'A child’s conferences, newest first',
        description: '`canOpen` is false for a conference that includes a child whose record the caller may not see.',
        tags: ['conferences'],
        params: z.object({ id: idSchema.describe('The child’s id') }),
        response: {
          200: z.object({
            child: z.object({ id: z.uuid(), givenNames: z.string(), familyName: z.string() }),
            conferences: z.array(
              z.object({
                id: z.uuid(),
                type: z.enum(CONFERENCE_TYPES),
                typeLabel: z.string(),
                status: z.enum(CONFERENCE_STATUSES),
                scheduledDate: isoDate('The day'),
                startTime: z.string(),
                childIds: z.array(z.uuid()),
                canOpen: z.boolean(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { child, conferences } = await convening.listChildConferences(
        request.actor!,
        request.params.id,
        requestContext(request),
      );
      return {
        child: { id: child.id, givenNames: child.givenNames, familyName: child.familyName },
        conferences: conferences.map((c) => ({
          id: c.id,
          type: c.type,
          typeLabel: c.typeLabel,
          status: c.status,
          scheduledDate: c.scheduledDate,
          startTime: c.startTime,
          childIds: c.canOpen ? c.childIds : [],
          canOpen: c.canOpen,
        })),
      };
    },
  );

  api.post(
    '/conferences/:id/invitations',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.invite',
        summary: 'Invite people',
        description:
          'All or none. Family members, children and professionals must belong to the conference’s children; nobody is invited twice (422). Give `sent` for one already sent by hand; to email them from the service, see POST /conferences/{id}/invitations/email.',
        tags: ['conferences'],
        params: conferenceParams,
        body: z.object({ invitees: z.array(inviteeBody).min(1).max(100) }),
        response: { 201: z.object({ invitees: conferenceSchema.shape.invitees }), ...errors, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const added = await convening.invite(
          request.actor!,
          request.params.id,
          request.body.invitees,
          requestContext(request),
        );
        return reply.code(201).send({ invitees: added.map(inviteeOut) });
      }),
  );

  api.get(
    '/conferences/:id/invitations/:inviteeId/letter',
    {
      config: VIEW,
      schema: {
        operationId: 'ConveningService.invitationContent',
        summary: 'The invitation’s text for one invitee',
        description:
          'Subject and body (plain text) for an email or letter: the children’s names and dates of birth, date, time and venue, and the notice that the conference is audio recorded (R-1). Addresses of the children and other adults are included for professionals only (001). Audited.',
        tags: ['conferences'],
        params: z.object({ id: idSchema, inviteeId: idSchema }),
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
      const { invitee, content } = await convening.invitationContent(
        request.actor!,
        request.params.id,
        request.params.inviteeId,
        requestContext(request),
      );
      return {
        inviteeId: invitee.id,
        subject: content.subject,
        body: content.body,
        recipientLines: content.recipientLines,
        includesAddresses: content.includesAddresses,
        includesRecordingNotice: true as const,
      };
    },
  );

  api.get(
    '/children/:id/reconvene-choices',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.reconveneChoices',
        summary: 'Conferences of a child waiting to be reconvened',
        description:
          'Adjourned as not quorate with a new date set (Q-1), or held with a senior manager’s review that decided to reconvene (D-1), and not yet linked to a conference reconvening them. Give one as `reconvenesConferenceId` when convening.',
        tags: ['conferences'],
        params: z.object({ id: idSchema.describe('The child’s id') }),
        response: {
          200: z.object({
            conferences: z.array(
              z.object({
                id: z.uuid(),
                type: z.enum(CONFERENCE_TYPES),
                scheduledDate: isoDate('The day it met'),
                childIds: z.array(z.uuid()),
                ground: reconveneGroundSchema,
                label: z.string(),
                reason: z.string(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      conferences: (await convening.reconveneChoices(request.actor!, [request.params.id], requestContext(request))).map(
        choiceOut,
      ),
    }),
  );

  api.get(
    '/conferences/:id/invitations/:inviteeId/issues',
    {
      config: VIEW,
      schema: {
        operationId: 'ConveningService.invitationIssues',
        summary: 'An invitation as issued, every time',
        description:
          'Each copy exactly as it was sent (subject, body, channel, SHA-256 of the body, when and by whom), oldest first. Audited.',
        tags: ['conferences'],
        params: inviteeParams,
        response: {
          200: z.object({
            issues: z.array(issueSchema),
            changedSinceIssued: z.boolean().describe('The record has changed since the latest issue: issue it again'),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { issues, changedSinceIssued } = await convening.invitationIssues(
        request.actor!,
        request.params.id,
        request.params.inviteeId,
        requestContext(request),
      );
      return { issues: issues.map(issueOut), changedSinceIssued };
    },
  );

  api.post(
    '/conferences/:id/invitations/:inviteeId/issues',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.recordInvitationSent',
        summary: 'Record an invitation as sent, storing what was sent',
        description:
          'For an invitation sent by hand (to email them from the service, see POST /conferences/{id}/invitations/email): call this when one has gone. The text as it is now, dated `sentOn`, is stored exactly with its SHA-256 and who sent it; sending again after a change adds a new issue and never overwrites one. Audited.',
        tags: ['conferences'],
        params: inviteeParams,
        body: z.object({
          method: z.enum(INVITATION_METHODS),
          sentOn: isoDate('The day it was sent; today or earlier'),
        }),
        response: { 201: issueSchema, ...errors, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        reply
          .code(201)
          .send(
            issueOut(
              await convening.recordInvitationSent(
                request.actor!,
                request.params.id,
                request.params.inviteeId,
                request.body,
                requestContext(request),
              ),
            ),
          ),
      ),
  );

  api.put(
    '/conferences/:id/invitations/:inviteeId/interpreter',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.recordInterpreterNeed',
        summary: 'Whether an invitee needs an interpreter, and the language',
        description:
          'For family members and children; the language is required when an interpreter is needed (422). Shown on the invitation list and the register. Audited.',
        tags: ['conferences'],
        params: inviteeParams,
        body: z.object({ interpreterNeeded: z.boolean(), interpreterLanguage: interpreterNeed.interpreterLanguage }),
        response: { 200: conferenceSchema.shape.invitees.element, ...errors, 409: errorResponse, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        inviteeOut(
          await convening.recordInterpreterNeed(
            request.actor!,
            request.params.id,
            request.params.inviteeId,
            request.body,
            requestContext(request),
          ),
        ),
      ),
  );
}
