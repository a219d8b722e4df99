/**
 * Children's records for integrations: the same use cases, access rules and audit trail as the
 * pages. Searches are POSTs so that names and dates of birth never appear in a URL. Reading, changing
 * and removing the people linked to a record, and finding someone to link, are in children/links.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../domain/access/roles.ts';
import { AGENCY_KINDS } from '../../domain/people/index.ts';
import type { ApiOptions } from './index.ts';
import { childLinksApi } from './children/links.ts';
import {
  agencySchema,
  caseNoteSchema,
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
        operationId: 'PeopleService.getChildRecord',
        summary: 'A child’s record',
        description:
          'With family and network members (relationship and parental responsibility for this child) and professionals. Every read is audited.',
        tags: ['children'],
        params: idParams,
        response: { 200: childRecordSchema, ...errors },
      },
    },
    async (request) => {
      const view = await people.getChildRecord(actorOf(request), request.params.id, requestContext(request));
      return {
        ...childOut(view.child),
        familyMembers: view.family.map(familyOut),
        professionals: view.professionals.map(professionalOut),
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

  api.get(
    '/children/:id/case-notes',
    {
      config: VIEW,
      schema: {
        operationId: 'PeopleService.listCaseNotes',
        summary: 'A child’s case notes, newest first',
        tags: ['children'],
        params: idParams,
        response: { 200: z.object({ caseNotes: z.array(caseNoteSchema) }), ...errors },
      },
    },
    async (request) => {
      const notes = await people.listCaseNotes(actorOf(request), request.params.id, requestContext(request));
      return {
        caseNotes: notes.map((n) => ({
          id: n.id,
          kind: n.kind,
          text: n.text,
          authorLabel: n.authorLabel,
          createdAt: n.createdAt.toISOString(),
        })),
      };
    },
  );

  api.post(
    '/children/:id/case-notes',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.writeCaseNote',
        summary: 'Add a case note to a child’s record',
        tags: ['children'],
        params: idParams,
        body: z.object({ text: z.string().max(10_000) }),
        response: { 201: caseNoteSchema, ...errors, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const n = await people.writeCaseNote(
          actorOf(request),
          request.params.id,
          request.body.text,
          requestContext(request),
        );
        return reply.code(201).send({
          id: n.id,
          kind: n.kind,
          text: n.text,
          authorLabel: n.authorLabel,
          createdAt: n.createdAt.toISOString(),
        });
      }),
  );

  api.get(
    '/agencies',
    {
      config: VIEW,
      schema: {
        operationId: 'PeopleService.listAgencies',
        summary: 'List agencies',
        tags: ['agencies'],
        response: { 200: z.object({ agencies: z.array(agencySchema) }), 401: errorResponse, 403: errorResponse },
      },
    },
    async () => ({ agencies: await people.listAgencies() }),
  );

  api.post(
    '/agencies',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.createAgency',
        summary: 'Add an agency',
        tags: ['agencies'],
        body: z.object({ name: z.string().max(200), kind: z.enum(AGENCY_KINDS) }),
        response: {
          201: agencySchema,
          400: errorResponse,
          401: errorResponse,
          403: errorResponse,
          409: errorResponse,
          422: errorResponse,
        },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        reply.code(201).send(await people.createAgency(actorOf(request), request.body, requestContext(request))),
      ),
  );
}
