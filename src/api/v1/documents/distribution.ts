/**
 * Who gets what (W-4; 002 §3.2, §3.10): a document's distribution list, everyone on the conference's register
 * with whether they receive it and why; a recipient added or removed by hand with a reason (refused once the
 * document is issued); and what an agency said about having no current or planned involvement, which leaves it
 * out of the distribution. Issuing makes a copy for each included entry.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DistributionView, DocumentUseCases } from '../../../app/documents/use-cases.ts';
import { INVITEE_KINDS } from '../../../domain/conferences/invitees.ts';
import {
  NO_INVOLVEMENT_NOTE_MAX_LENGTH,
  OVERRIDE_ACTIONS,
  OVERRIDE_REASON_MAX_LENGTH,
} from '../../../domain/documents/distribution.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext } from '../schemas.ts';
import {
  DRAFT,
  READ,
  TAGS,
  conferenceParams,
  draftParams,
  draftStatusSchema,
  errors,
  iso,
  kindSchema,
  noBody,
  readErrors,
  withDocumentRules,
} from './schemas.ts';

const distributionSchema = z.object({
  conferenceId: z.uuid(),
  draftId: z.uuid(),
  kind: kindSchema,
  label: z.string(),
  status: draftStatusSchema,
  issueNumber: z
    .number()
    .int()
    .describe('The issue the list is for: the next while not issued, the latest once issued'),
  entries: z
    .array(
      z.object({
        inviteeId: z.uuid().nullable().describe('Null for the children’s file'),
        name: z.string(),
        role: z.string(),
        agency: z.string().nullable(),
        kind: z.enum(INVITEE_KINDS).nullable().describe('Null for the children’s file'),
        included: z.boolean(),
        reason: z.string().describe('Why they receive it or not, in plain English'),
        copy: z.enum(['full', 'parent', 'child']).describe('Which copy they receive when included (W-3)'),
        largePrint: z.boolean(),
        override: z
          .object({
            action: z.enum(OVERRIDE_ACTIONS),
            by: z.string().nullable(),
            at: z.iso.datetime(),
            reason: z.string(),
          })
          .nullable()
          .describe('The change by hand that decided this entry; null when the rules did'),
      }),
    )
    .describe('The children’s file first, then everyone on the register'),
  agencies: z
    .array(
      z.object({
        inviteeId: z.uuid(),
        name: z.string(),
        agency: z.string().nullable(),
        noInvolvement: z
          .object({
            saidOn: z.iso.date(),
            note: z.string().nullable(),
            byName: z.string().nullable(),
            recordedAt: z.iso.datetime(),
          })
          .nullable()
          .describe('W-4: when the agency said it has no current or planned involvement'),
      }),
    )
    .describe('Every professional invited'),
  can: z.object({ change: z.boolean(), recordInvolvement: z.boolean() }),
});

const distributionOut = (v: DistributionView) => ({
  conferenceId: v.conferenceId,
  draftId: v.draftId,
  kind: v.kind,
  label: v.label,
  status: v.status,
  issueNumber: v.issueNumber,
  entries: v.entries.map((e) => ({
    inviteeId: e.inviteeId,
    name: e.name,
    role: e.role,
    agency: e.agency,
    kind: e.kind,
    included: e.included,
    reason: e.reason,
    copy: e.copy.kind,
    largePrint: e.largePrint,
    override: e.override
      ? { action: e.override.action, by: e.override.by, at: iso(e.override.at), reason: e.override.reason }
      : null,
  })),
  agencies: v.agencies.map((a) => ({
    inviteeId: a.inviteeId,
    name: a.name,
    agency: a.agency,
    noInvolvement: a.noInvolvement
      ? {
          saidOn: a.noInvolvement.saidOn,
          note: a.noInvolvement.note,
          byName: a.noInvolvement.byName,
          recordedAt: iso(a.noInvolvement.recordedAt),
        }
      : null,
  })),
  can: { change: v.can.change, recordInvolvement: v.can.recordInvolvement },
});

export function distributionApi(app: FastifyInstance, documents: DocumentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/documents/drafts/:draftId/distribution',
    {
      config: READ,
      schema: {
        operationId: 'DocumentService.distribution',
        summary: 'Who receives the document and why (W-4)',
        description: [
          'Everyone on the conference’s register with whether they receive this document and why: every agency and parent invited whether or not present, a family member invited without parental responsibility, never friends, supporters, advocates or interpreters, a child only when the chair decided, an excluded parent the parent’s copy without what is marked for them (002 §3.2), the core group the plan and core group letter (002 §3.10), the children’s file always; an agency that said it has no current or planned involvement is left out.',
          'Issuing makes a copy for each included entry. Audited as a view.',
        ].join('\n\n'),
        tags: TAGS,
        params: draftParams,
        response: { 200: distributionSchema, ...readErrors },
      },
    },
    async (request) =>
      distributionOut(
        await documents.distribution(
          request.actor!,
          request.params.id,
          request.params.draftId,
          requestContext(request),
        ),
      ),
  );

  api.post(
    '/conferences/:id/documents/drafts/:draftId/distribution/changes',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentService.changeDistribution',
        summary: 'Add or remove a recipient by hand, with a reason (W-4)',
        description: [
          'Business support or a chair. `add` someone the rules left out (never a friend, supporter, advocate or interpreter: 422) or `remove` someone; the reason is required (422 without it) and kept with the change, who made it and when. The latest change for a person applies.',
          'Refused once the document is issued (409). Audited.',
        ].join('\n\n'),
        tags: TAGS,
        params: draftParams,
        body: z.object({
          inviteeId: idSchema.describe('The person on the register (an entry’s `inviteeId`)'),
          action: z.enum(OVERRIDE_ACTIONS),
          reason: z.string().max(OVERRIDE_REASON_MAX_LENGTH).describe('Why: required'),
        }),
        response: { 200: distributionSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () =>
        distributionOut(
          await documents.changeDistribution(
            request.actor!,
            request.params.id,
            request.params.draftId,
            { inviteeId: request.body.inviteeId, action: request.body.action, reason: request.body.reason },
            requestContext(request),
          ),
        ),
      ),
  );

  api.put(
    '/conferences/:id/documents/agencies/:inviteeId/no-involvement',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentService.recordNoInvolvement',
        summary: 'Record that an agency said it has no current or planned involvement (W-4)',
        description:
          'Business support or a chair, for a professional invited to the conference: the date the agency said so and an optional note. The agency is then left out of the distribution of every document not yet issued. `saidOn` null withdraws it. Anyone else on the register is 404. Audited (never the note).',
        tags: TAGS,
        params: conferenceParams.extend({ inviteeId: idSchema.describe('The professional’s invitation') }),
        body: z.object({
          saidOn: z.iso.date().nullable().describe('When the agency said so; today or before. Null withdraws it'),
          note: z.string().max(NO_INVOLVEMENT_NOTE_MAX_LENGTH).nullable().default(null),
        }),
        response: { 204: noBody('Recorded'), ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        await documents.recordNoInvolvement(
          request.actor!,
          request.params.id,
          request.params.inviteeId,
          { saidOn: request.body.saidOn, note: request.body.note },
          requestContext(request),
        );
        return reply.code(204).send(null);
      }),
  );
}
