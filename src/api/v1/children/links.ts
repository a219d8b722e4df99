/**
 * The people linked to a child's record, for integrations: reading, changing and removing a family
 * or network member's link (relationship and parental responsibility for THIS child) and a
 * professional's, finding someone already recorded to link (by name, or through the child's brothers
 * and sisters), and the staff a new child may be allocated to. The same PeopleService use cases,
 * access rules and audit trail as the child's pages. Searches are POSTs, so no name is in a URL.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../../domain/access/roles.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';
import { professionalLinksApi } from './professional-links.ts';
import { TAGS, changes, foundOut, foundPerson, nameSearch } from './link-schemas.ts';
import {
  EDIT,
  errors,
  familyMemberSchema,
  familyOut,
  idParams,
  personBody,
  relationship,
  staffRef,
} from './schemas.ts';

const memberParams = idParams.extend({ personId: idSchema.describe('The family or network member’s id') });

export async function childLinksApi(app: FastifyInstance, { services, audit }: ApiOptions): Promise<void> {
  await app.register(professionalLinksApi, { services, audit });
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { people } = services;
  const actorOf = (request: { actor: Actor | null }) => request.actor!;

  api.get(
    '/children/staff-choices',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.staffChoices',
        summary: 'The staff a child may be allocated to, and who may be named on a restricted record',
        tags: TAGS,
        response: {
          200: z.object({
            socialWorkers: z.array(staffRef).describe('Active social workers: `allocatedSocialWorkerId`'),
            staff: z.array(staffRef).describe('Active staff with a children’s records role: `namedStaffIds`'),
          }),
          401: errorResponse,
          403: errorResponse,
        },
      },
    },
    async () => {
      const c = await people.staffChoices();
      const refs = (list: Array<{ id: string; name: string }>) => list.map((s) => ({ id: s.id, name: s.name }));
      return { socialWorkers: refs(c.socialWorkers), staff: refs(c.staff) };
    },
  );

  api.get(
    '/children/:id/family-members/:personId',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.getFamilyMember',
        summary: 'One family or network member of a child, with their link to this child',
        description: 'For someone who may change the child’s record; audited as a view of it.',
        tags: TAGS,
        params: memberParams,
        response: { 200: familyMemberSchema, ...errors },
      },
    },
    async (request) =>
      familyOut(
        await people.getFamilyMember(
          actorOf(request),
          request.params.id,
          request.params.personId,
          requestContext(request),
        ),
      ),
  );

  api.put(
    '/children/:id/family-members/:personId',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.changeFamilyMember',
        summary: 'Change a family or network member’s link to a child, and their details',
        description:
          'The relationship and parental responsibility are for this child only. The person’s own details (`person`, when given) are shared with every child they are linked to. Every problem is answered at once (422).',
        tags: TAGS,
        params: memberParams,
        body: z.object({
          relationship,
          parentalResponsibility: z.boolean(),
          person: personBody.optional().describe('Their details, when they change'),
        }),
        response: { 200: familyMemberSchema, ...changes },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const { relationship: rel, parentalResponsibility, person } = request.body;
        const member = await people.changeFamilyMember(
          actorOf(request),
          request.params.id,
          request.params.personId,
          { relationship: rel, parentalResponsibility, ...(person ? { person } : {}) },
          requestContext(request),
        );
        return familyOut(member);
      }),
  );

  api.delete(
    '/children/:id/family-members/:personId',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.removeFamilyMember',
        summary: 'Remove a family or network member from a child’s record',
        description: 'The link to this child only: the person stays linked to any other children. Audited.',
        tags: TAGS,
        params: memberParams,
        response: { 200: z.object({ removed: z.literal(true) }), ...changes },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const { id, personId } = request.params;
        await people.removeFamilyMember(actorOf(request), id, personId, requestContext(request));
        return { removed: true as const };
      }),
  );

  api.get(
    '/children/:id/sibling-network',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.siblingNetwork',
        summary: 'People linked to the child’s brothers and sisters but not yet to the child',
        description:
          'The usual way to reuse someone already recorded: link them with POST /children/{id}/family-members and `personId`. Audited.',
        tags: TAGS,
        params: idParams,
        response: {
          200: z.object({
            people: z.array(
              z.object({
                person: foundPerson,
                siblingLinks: z.array(
                  z.object({
                    childId: z.uuid(),
                    givenNames: z.string(),
                    relationship,
                    parentalResponsibility: z.boolean(),
                  }),
                ),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      people: (await people.siblingNetwork(actorOf(request), request.params.id, requestContext(request))).map((e) => ({
        person: foundOut(e.person),
        siblingLinks: e.siblingLinks.map((l) => ({
          childId: l.childId,
          givenNames: l.givenNames,
          relationship: l.relationship,
          parentalResponsibility: l.parentalResponsibility,
        })),
      })),
    }),
  );

  api.post(
    '/children/:id/people/search',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.searchPeople',
        summary: 'Find someone already recorded, to link to this child',
        description:
          'People linked to a child the caller may see whose names contain every word (at most 50; `more` says there were others). Audited.',
        tags: TAGS,
        params: idParams,
        body: nameSearch,
        response: {
          200: z.object({
            results: z.array(foundPerson.extend({ linkedChildren: z.number().int() })),
            more: z.boolean(),
          }),
          ...errors,
          422: errorResponse,
        },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const found = await people.searchPeople(
          actorOf(request),
          request.params.id,
          request.body.name,
          requestContext(request),
        );
        return {
          results: found.results.map((p) => ({ ...foundOut(p), linkedChildren: p.linkedChildren })),
          more: found.more,
        };
      }),
  );
}
