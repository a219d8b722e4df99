/**
 * A convened conference changed, cancelled or recorded afterwards, and its invitations sent by email or
 * recorded as posted: the same use cases (RearrangementService), access rules and audit trail as the pages.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiOptions } from './index.ts';
import { requestContext, withRules } from './schemas.ts';
import {
  VIEW,
  EDIT,
  id,
  CONFLICTS,
  errors,
  conferenceParams,
  recipientSchema,
  changeLineSchema,
  deadlineSchema,
  recipientOut,
  rearrangeBody,
  afterwardsBody,
  lifecycleSchema,
  lifecycleOut,
} from './conference-changes/schemas.ts';

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
    '/children/:id/conferences-still-needed',
    {
      config: VIEW,
      schema: {
        operationId: 'RearrangementService.stillNeededForChild',
        summary: 'A child’s cancelled conferences whose timescale still runs',
        description:
          'Each cancelled initial, pre-birth or transfer-in conference of the child with no other of its type convened for the same children since: the date a new one is needed by (T-1, T-2, T-4) and its red / amber / green. Only conferences whose every child the caller may see.',
        tags: ['conferences'],
        params: z.object({ id: id.describe('The child’s id') }),
        response: {
          200: z.object({
            conferences: z.array(
              z.object({
                conferenceId: z.uuid(),
                deadline: deadlineSchema,
                status: z.enum(['overdue', 'due-soon', 'on-track']),
                workingDaysLeft: z.number().int(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      conferences: (
        await rearrangement.stillNeededForChild(request.actor!, request.params.id, requestContext(request))
      ).map((n) => ({
        conferenceId: n.conferenceId,
        deadline: {
          ruleId: n.deadline.ruleId,
          from: n.deadline.from,
          due: n.deadline.latest ?? n.deadline.due,
          explanation: n.deadline.explanation,
        },
        status: n.status,
        workingDaysLeft: n.workingDaysLeft,
      })),
    }),
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
