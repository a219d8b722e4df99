/**
 * A convened conference changed, cancelled or recorded afterwards, and its invitations sent by email or
 * recorded as posted: the same use cases (RearrangementService), access rules and audit trail as the pages.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ConferenceLifecycle, Recipient } from '../../app/conferences/rearrangement-service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../domain/access/child-access.ts';
import { CONFERENCE_TYPES } from '../../domain/conferences/decisions.ts';
import { VENUE_KINDS } from '../../domain/conferences/invitations.ts';
import { CHANGE_KINDS } from '../../domain/conferences/rearrangement.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';
import { idSchema } from '../../domain/shared/ids.ts';

const VIEW = { access: CHILD_RECORD_ROLES };
const EDIT = { access: RECORD_EDITOR_ROLES };

/** Ids in one canonical form: any case accepted, used lower-cased. */
const id = idSchema;
const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2026-03-18'] });
const text = (max: number) => z.string().max(max).nullish();

/** The use cases' state rules: sound input, but not allowed for the conference as it is (409). */
const CONFLICTS = new Set([
  'NOT_REARRANGEABLE',
  'NOT_CANCELLABLE',
  'CONFERENCE_CLOSED',
  'NOBODY_TO_EMAIL',
  'NOTHING_TO_POST',
  'INVALID_TRANSITION',
]);

const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  422: errorResponse,
};
const conferenceParams = z.object({ id: id.describe('The conference’s id') });

const recipientSchema = z.object({
  inviteeId: z.uuid(),
  name: z.string(),
  method: z.enum(['email', 'post']).describe('Emailed now, or a letter to print and post'),
});
const changeLineSchema = z.object({ field: z.string(), label: z.string(), from: z.string(), to: z.string() });
const deadlineSchema = z.object({
  ruleId: z.string().describe('e.g. T-1'),
  from: isoDate('The date the timescale runs from'),
  due: isoDate('The last day'),
  explanation: z.string(),
});

const recipientOut = (r: Recipient) => ({ inviteeId: r.inviteeId, name: r.name, method: r.method });

const rearrangeBody = z.object({
  scheduledDate: isoDate('The new day: a working day, today or later'),
  startTime: z.string().max(5).describe('HH:MM, 24-hour clock, England'),
  durationMinutes: z.number().int().describe('Expected length, 15 to 480 minutes'),
  venueKind: z.enum(VENUE_KINDS),
  venueDetails: text(500).describe('In person or hybrid: address and room'),
  onlineLink: text(2000).describe('Online or hybrid: the Microsoft Teams link (https)'),
  lateAgreedBy: text(200).describe(
    'Required when the new date is outside the timescale (T-1 … T-4): the senior manager who agreed it',
  ),
  lateReason: text(1000).describe('Required when the new date is outside the timescale: why'),
  reason: z.string().max(1000).describe('Why the conference is being changed; kept on its record'),
});

const afterwardsBody = z.object({
  childIds: z
    .array(id)
    .min(1)
    .max(12)
    .describe('The child, or the sibling group; the caller must be able to change every child’s record'),
  type: z.enum(CONFERENCE_TYPES),
  strategyDiscussionDate: isoDate('Initial: the strategy discussion (T-1)').nullish(),
  expectedDeliveryDate: isoDate('Pre-birth: the expected date of delivery (T-2)').nullish(),
  previousConferenceId: id.nullish().describe('Review: a held conference of these children (T-3)'),
  noticeOfMoveDate: isoDate('Transfer-in: when notice of the move was received (T-4)').nullish(),
  scheduledDate: isoDate('The day it was held: today or earlier'),
  startTime: z.string().max(5).describe('HH:MM, 24-hour clock, England'),
  durationMinutes: z.number().int(),
  venueKind: z.enum(VENUE_KINDS),
  venueDetails: text(500),
  onlineLink: text(2000),
  chairUserId: id.describe('An active user with the chair role'),
  minuteTakerUserId: id.describe('An active business support user'),
  lateAgreedBy: text(200).describe('Required when the date was outside the timescale'),
  lateReason: text(1000),
  afterwardsReason: z
    .string()
    .max(1000)
    .describe('Why it is recorded after it was held, not booked in advance; kept on its record'),
});

const sendingStates = ['not-sent', 'queued', 'sent', 'failed', 'to-post', 'posted', 'recorded'] as const;

const lifecycleSchema = z.object({
  changes: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(CHANGE_KINDS),
      changes: z.array(changeLineSchema).describe('What changed, from what to what'),
      reason: z.string(),
      lateAgreedBy: z.string().nullable(),
      lateReason: z.string().nullable(),
      changedBy: z.object({ id: z.uuid().nullable(), name: z.string() }),
      changedAt: z.iso.datetime(),
    }),
  ),
  invitations: z.array(
    z.object({
      inviteeId: z.uuid(),
      state: z
        .enum(sendingStates)
        .describe(
          'For an email, from the mail delivery: queued, sent or failed; for a letter: to-post or posted; recorded: sent by hand and recorded',
        ),
      issueNumber: z.number().int().nullable(),
      hasEmail: z.boolean(),
      changedSinceIssued: z.boolean(),
      cancellationNotice: z.enum(sendingStates).nullable(),
    }),
  ),
  stillNeeded: z
    .object({
      deadline: deadlineSchema,
      status: z.enum(['overdue', 'due-soon', 'on-track']),
      workingDaysLeft: z.number().int(),
    })
    .nullable()
    .describe(
      'A cancelled conference: the children still need one of this type by this date, until another is convened',
    ),
});

function lifecycleOut(l: ConferenceLifecycle): z.infer<typeof lifecycleSchema> {
  return {
    changes: l.changes.map((c) => ({
      id: c.id,
      kind: c.kind,
      changes: c.changes.map((x) => ({ field: x.field, label: x.label, from: x.from, to: x.to })),
      reason: c.reason,
      lateAgreedBy: c.lateAgreedBy,
      lateReason: c.lateReason,
      changedBy: c.changedBy,
      changedAt: c.changedAt.toISOString(),
    })),
    invitations: l.sending.map((s) => ({
      inviteeId: s.inviteeId,
      state: s.state,
      issueNumber: s.issueNumber,
      hasEmail: s.hasEmail,
      changedSinceIssued: s.changedSinceIssued,
      cancellationNotice: s.notice?.state ?? null,
    })),
    stillNeeded: l.stillNeeded
      ? {
          deadline: {
            ruleId: l.stillNeeded.deadline.ruleId,
            from: l.stillNeeded.deadline.from,
            due: l.stillNeeded.deadline.latest ?? l.stillNeeded.deadline.due,
            explanation: l.stillNeeded.deadline.explanation,
          },
          status: l.stillNeeded.status,
          workingDaysLeft: l.stillNeeded.workingDaysLeft,
        }
      : null,
  };
}

export async function conferenceChangesApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { rearrangement } = services;

  api.post(
    '/conferences/:id/rearrangement',
    {
      config: EDIT,
      schema: {
        operationId: 'RearrangementService.rearrange',
        summary: 'Change the date, time or venue of a planned conference',
        description:
          'The new date is checked against the statutory timescale exactly as at convening (T-1 … T-4): outside it, `lateAgreedBy` and `lateReason` are required (422). Everyone already sent an invitation is issued a new numbered copy: emailed where they have an address, otherwise a letter to post. The change (what, from what to what, who, when, why) is kept on the record. 409 once the conference has started, been held or been cancelled.',
        tags: ['conferences'],
        params: conferenceParams,
        body: rearrangeBody,
        response: {
          200: z.object({
            changeId: z.uuid(),
            changes: z.array(changeLineSchema),
            withinTimescale: z.boolean(),
            due: deadlineSchema,
            reinvited: z.array(recipientSchema),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          const r = await rearrangement.rearrange(
            request.actor!,
            request.params.id,
            request.body,
            requestContext(request),
          );
          return {
            changeId: r.changeId,
            changes: r.changes.map((x) => ({ field: x.field, label: x.label, from: x.from, to: x.to })),
            withinTimescale: r.assessment.withinTimescale,
            due: {
              ruleId: r.deadline.ruleId,
              from: r.deadline.from,
              due: r.deadline.latest ?? r.deadline.due,
              explanation: r.deadline.explanation,
            },
            reinvited: r.reinvite.map(recipientOut),
          };
        },
        CONFLICTS,
      ),
  );

  api.post(
    '/conferences/:id/cancellation',
    {
      config: EDIT,
      schema: {
        operationId: 'RearrangementService.cancel',
        summary: 'Cancel a planned conference',
        description:
          'With the reason (kept on the record, never sent). Everyone sent an invitation is given a cancellation notice: emailed where they have an address, otherwise a letter to post. The children then show as still needing a conference within the timescale. 409 once it has started, been held or been cancelled.',
        tags: ['conferences'],
        params: conferenceParams,
        body: z.object({ reason: z.string().max(1000) }),
        response: { 200: z.object({ changeId: z.uuid(), notified: z.array(recipientSchema) }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          const r = await rearrangement.cancel(
            request.actor!,
            request.params.id,
            request.body,
            requestContext(request),
          );
          return { changeId: r.changeId, notified: r.notify.map(recipientOut) };
        },
        CONFLICTS,
      ),
  );

  api.post(
    '/conferences/recorded-afterwards',
    {
      config: EDIT,
      schema: {
        operationId: 'RearrangementService.recordAfterwards',
        summary: 'Record a conference held without being booked in advance',
        description:
          'As convening (children, type, timescale, arrangements, chair), with the date it was held (today or earlier, 422 otherwise) and `afterwardsReason`, kept on its record. It is then held as any other: open it, keep the register, record decisions and the plan.',
        tags: ['conferences'],
        body: afterwardsBody,
        response: { 201: z.object({ id: z.uuid() }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          const { id: conferenceId } = await rearrangement.recordAfterwards(
            request.actor!,
            request.body,
            requestContext(request),
          );
          return reply.code(201).send({ id: conferenceId });
        },
        CONFLICTS,
      ),
  );

  api.post(
    '/conferences/:id/invitations/email',
    {
      config: EDIT,
      schema: {
        operationId: 'RearrangementService.sendAllByEmail',
        summary: 'Send every invitation by email',
        description:
          'To everyone invited with an email address who has not got the current invitation (never sent, changed since, or an email that failed): a new numbered copy each, the letter as the email’s text with the notice that the conference is recorded (R-1). Each person’s delivery state is in GET …/changes.',
        tags: ['conferences'],
        params: conferenceParams,
        response: {
          200: z.object({ emailed: z.number().int(), alreadySent: z.number().int(), withoutEmail: z.number().int() }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        () => rearrangement.sendAllByEmail(request.actor!, request.params.id, requestContext(request)),
        CONFLICTS,
      ),
  );

  api.post(
    '/conferences/:id/invitations/posted',
    {
      config: EDIT,
      schema: {
        operationId: 'RearrangementService.recordAllPosted',
        summary: 'Record every letter as posted today',
        description:
          'For everyone invited without an email address; for a cancelled conference, the cancellation letters. 409 when there is nothing to post.',
        tags: ['conferences'],
        params: conferenceParams,
        response: { 200: z.object({ posted: z.number().int() }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        () => rearrangement.recordAllPosted(request.actor!, request.params.id, requestContext(request)),
        CONFLICTS,
      ),
  );

  api.get(
    '/conferences/:id/cancellation-notices/:inviteeId',
    {
      config: VIEW,
      schema: {
        operationId: 'RearrangementService.cancellationNotice',
        summary: 'One invitee’s cancellation notice, as issued',
        description:
          'Its text exactly as sent (or to print and post), how it went (email or post) and when. Audited, as it carries personal data.',
        tags: ['conferences'],
        params: conferenceParams.extend({ inviteeId: id.describe('The invitee’s id') }),
        response: {
          200: z.object({
            inviteeId: z.uuid(),
            method: z.enum(['email', 'post']),
            recipientEmail: z.string().nullable(),
            subject: z.string(),
            body: z.string().describe('The notice as sent, plain text'),
            issuedAt: z.iso.datetime(),
            postedAt: z.iso.datetime().nullable().describe('A letter: when it was recorded as posted'),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { notice: n } = await rearrangement.cancellationNotice(
        request.actor!,
        request.params.id,
        request.params.inviteeId,
        requestContext(request),
      );
      return {
        inviteeId: n.inviteeId,
        method: n.method,
        recipientEmail: n.recipientEmail,
        subject: n.subject,
        body: n.body,
        issuedAt: n.issuedAt.toISOString(),
        postedAt: n.postedAt ? n.postedAt.toISOString() : null,
      };
    },
  );

  api.get(
    '/conferences/:id/changes',
    {
      config: VIEW,
      schema: {
        operationId: 'RearrangementService.lifecycle',
        summary: 'A conference’s changes, how each invitation went, and whether a conference is still needed',
        tags: ['conferences'],
        params: conferenceParams,
        response: { 200: lifecycleSchema, ...errors },
      },
    },
    async (request) =>
      lifecycleOut(await rearrangement.lifecycle(request.actor!, request.params.id, requestContext(request))),
  );
}
