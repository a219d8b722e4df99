/**
 * Children's records for integrations: the same use cases, access rules and audit trail as the
 * pages. Searches are POSTs so that names and dates of birth never appear in a URL. Reading, changing
 * and removing the people linked to a record, and finding someone to link, are in children/links.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../domain/access/roles.ts';
import type { ApiOptions } from './index.ts';
import { agenciesApi } from './children/agencies.ts';
import { caseNotesApi } from './children/case-notes.ts';
import { childLinksApi } from './children/links.ts';
import {
  childBody,
  childOut,
  childRecordSchema,
  childSchema,
  EDIT,
  errors,
  familyMemberBody,
  familyMemberSchema,
  familyOut,
  idParams,
  patchBody,
  professionalBody,
  professionalOut,
  professionalSchema,
  searchBody,
  VIEW,
} from './children/schemas.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';

export async function childrenApi(app: FastifyInstance, { services, audit }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { people } = services;
  // The people linked to a record (sub-plugins get { services, audit }: the options carry this plugin's prefix).
  await app.register(childLinksApi, { services, audit });
  await app.register(caseNotesApi, { services, audit });
  await app.register(agenciesApi, { services, audit });
  const actorOf = (request: { actor: Actor | null }) => request.actor!;

  api.post(
    '/children/search',
    {
      config: VIEW,
      schema: {
        operationId: 'PeopleService.searchChildren',
        summary: 'Find children',
        description:
          'Only children the caller may see are returned (at most 50; `more` says there were others). Give at least one criterion.',
        tags: ['children'],
        body: searchBody,
        response: {
          200: z.object({
            results: z.array(
              z.object({
                id: z.uuid(),
                givenNames: z.string(),
                familyName: z.string(),
                dateOfBirth: z.string().nullable(),
                expectedDeliveryDate: z.string().nullable(),
                localReference: z.string(),
                restricted: z.boolean(),
              }),
            ),
            more: z.boolean(),
          }),
          ...errors,
          422: errorResponse,
        },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const { results, more } = await people.searchChildren(actorOf(request), request.body, requestContext(request));
        return {
          results: results.map((r) => ({
            id: r.id,
            givenNames: r.givenNames,
            familyName: r.familyName,
            dateOfBirth: r.dateOfBirth,
            expectedDeliveryDate: r.expectedDeliveryDate,
            localReference: r.localReference,
            restricted: r.restricted,
          })),
          more,
        };
      }),
  );

  api.post(
    '/children',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.createChild',
        summary: 'Add a child',
        description:
          'Give `dateOfBirth`, or `expectedDeliveryDate` for an unborn child. Only a team manager, chair or the allocated social worker may set `restricted`.',
        tags: ['children'],
        body: childBody,
        response: { 201: childSchema, ...errors, 409: errorResponse, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const { child } = await people.createChild(actorOf(request), request.body, requestContext(request));
        return reply.code(201).send(childOut(child));
      }),
  );

  api.get(
    '/children/:id',
    {
      config: VIEW,
      schema: {
        operationId: 'ChildRecordService.view',
        summary: 'A child’s record',
        description:
          'With family and network members (relationship and parental responsibility for this child), professionals, the recordings kept on the record, the plan, when the next core group is due and professionals’ requests for a conference: what the child’s page shows. Every read is audited.',
        tags: ['children'],
        params: idParams,
        response: { 200: childRecordSchema, ...errors },
      },
    },
    async (request) => {
      const view = await services.childRecords.view(actorOf(request), request.params.id, requestContext(request));
      const { planEnding: plan, coreGroupDue: due } = view;
      return {
        ...childOut(view.child),
        familyMembers: view.family.map(familyOut),
        professionals: view.professionals.map(professionalOut),
        recordings: view.recordings.map((r) => ({
          id: r.id,
          conferenceId: r.conferenceId,
          name: r.name,
          stored: r.status === 'stored',
        })),
        plan: {
          state: plan.state,
          conferenceId: plan.plan?.conferenceId ?? null,
          endedOn: plan.ending?.endedOn ?? null,
          warnings: plan.warnings,
        },
        coreGroupDue: due ? { which: due.which, due: due.due, status: due.status } : null,
        conferenceRequests: view.conferenceRequests.map((r) => ({
          id: r.id,
          status: r.status.value,
          recordedAt: r.recordedAt.toISOString(),
        })),
      };
    },
  );

  api.patch(
    '/children/:id',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.updateChild',
        summary: 'Change a child’s details',
        description:
          'Fields left out keep their values. `version` must be the current version, else 409 and nothing is saved.',
        tags: ['children'],
        params: idParams,
        body: patchBody,
        response: { 200: childSchema, ...errors, 409: errorResponse, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const { version, ...changes } = request.body;
        const child = await people.updateChild(
          actorOf(request),
          request.params.id,
          version,
          changes,
          requestContext(request),
        );
        return childOut(child);
      }),
  );

  api.post(
    '/children/:id/family-members',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.addFamilyMember',
        summary: 'Link a family or network member to a child',
        description:
          'Give `personId` to reuse someone already recorded (for example a sibling’s parent), or `person` for someone new. Friends, supporters and advocates never hold parental responsibility through the link (422).',
        tags: ['children'],
        params: idParams,
        body: familyMemberBody,
        response: { 201: familyMemberSchema, ...errors, 409: errorResponse, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const member = await people.addFamilyMember(
          actorOf(request),
          request.params.id,
          request.body,
          requestContext(request),
        );
        return reply.code(201).send(familyOut(member));
      }),
  );

  api.post(
    '/children/:id/professionals',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.addProfessional',
        summary: 'Link a professional to a child',
        description:
          'Give `professionalId` for someone already recorded, or `professional` for someone new (their agency must exist: see /agencies).',
        tags: ['children'],
        params: idParams,
        body: professionalBody,
        response: { 201: professionalSchema, ...errors, 409: errorResponse, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const p = await people.addProfessional(
          actorOf(request),
          request.params.id,
          request.body,
          requestContext(request),
        );
        return reply.code(201).send(professionalOut(p));
      }),
  );
}
