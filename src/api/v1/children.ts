/**
 * Children's records for integrations: the same use cases, access rules and audit trail as the
 * pages. Searches are POSTs so that names and dates of birth never appear in a URL.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChildRecord, FamilyMemberRecord, ProfessionalRecord } from '../../app/people/ports.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../domain/access/child-access.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { AGENCY_KINDS, RELATIONSHIP_KINDS, receivesMinutes } from '../../domain/people/index.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';
import { idSchema } from '../../domain/shared/ids.ts';

const VIEW = { access: CHILD_RECORD_ROLES };

const EDIT = { access: RECORD_EDITOR_ROLES };

const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2019-05-04'] });
const idParams = z.object({ id: idSchema.describe('The child’s id') });

const staffRef = z.object({ id: z.uuid(), name: z.string() });

const childSchema = z.object({
  id: z.uuid(),
  givenNames: z.string(),
  familyName: z.string(),
  dateOfBirth: isoDate('Date of birth; null for an unborn child').nullable(),
  unborn: z.boolean(),
  expectedDeliveryDate: isoDate('Expected date of delivery, for an unborn child').nullable(),
  address: z.string(),
  localReference: z.string().describe('The council’s case reference; unique, case-insensitive'),
  nationality: z.string().nullable(),
  immigrationStatus: z.string().nullable(),
  allocatedSocialWorker: staffRef.nullable(),
  restricted: z.boolean().describe('Seen only by the allocated social worker and the named staff'),
  namedStaffIds: z.array(z.uuid()),
  version: z.number().int().describe('Send it back with a PATCH: a change based on an older version is refused (409)'),
});

const relationship = z.enum(RELATIONSHIP_KINDS).describe('Relationship to this child');

const personSchema = z.object({
  id: z.uuid(),
  givenNames: z.string(),
  familyName: z.string(),
  dateOfBirth: isoDate('Date of birth, if known').nullable(),
  address: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.string().nullable(),
  interpreterNeeded: z.boolean(),
  accessibilityNeeds: z.string().nullable(),
});

const familyMemberSchema = z.object({
  person: personSchema,
  relationship,
  parentalResponsibility: z
    .boolean()
    .describe('Parental responsibility for THIS child (it may differ between siblings)'),
  receivesMinutes: z
    .boolean()
    .describe('False for friends, supporters and advocates, who never receive minutes (002 §3.10)'),
});

const agencySchema = z.object({ id: z.uuid(), name: z.string(), kind: z.enum(AGENCY_KINDS) });

const professionalSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  roleTitle: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  agency: agencySchema,
});

const childRecordSchema = childSchema.extend({
  familyMembers: z.array(familyMemberSchema),
  professionals: z.array(professionalSchema),
});

const caseNoteSchema = z.object({
  id: z.uuid(),
  kind: z
    .string()
    .meta({ description: 'What wrote the note: `note` for staff, other kinds for events', examples: ['note'] }),
  text: z.string(),
  authorLabel: z.string(),
  createdAt: z.iso.datetime(),
});

const optionalText = (max: number) => z.string().max(max).nullish();

const childBody = z.object({
  givenNames: z.string().max(100),
  familyName: z.string().max(100),
  dateOfBirth: isoDate('Date of birth (leave out for an unborn child)').nullish(),
  expectedDeliveryDate: isoDate('Expected date of delivery, for an unborn child').nullish(),
  address: z.string().max(500),
  localReference: z.string().max(50),
  nationality: optionalText(100),
  immigrationStatus: optionalText(200),
  allocatedSocialWorkerId: idSchema.nullish().describe('Left out: a social worker adding a child is allocated to it'),
  restricted: z.boolean().optional(),
  namedStaffIds: z.array(idSchema).max(100).optional(),
});

const patchBody = childBody
  .partial()
  .extend({ version: z.number().int().positive().describe('The version the change is based on') });

const searchBody = z.object({
  name: z.string().max(200).optional().describe('Words that must all appear in the given or family names'),
  dateOfBirth: isoDate('Exact date of birth').optional(),
  reference: z.string().max(50).optional().describe('Local case reference (any case)'),
});

const personBody = z.object({
  givenNames: z.string().max(100),
  familyName: z.string().max(100),
  dateOfBirth: isoDate('Date of birth, if known').nullish(),
  address: optionalText(500),
  email: optionalText(320),
  phone: optionalText(30),
  language: optionalText(100),
  interpreterNeeded: z.boolean().optional(),
  accessibilityNeeds: optionalText(1000),
});

const familyMemberBody = z
  .object({
    personId: idSchema
      .optional()
      .describe('Someone already recorded (e.g. linked to a sibling): reuses the same person'),
    person: personBody.optional().describe('Someone new'),
    relationship,
    parentalResponsibility: z.boolean(),
  })
  .refine((b) => (b.personId === undefined) !== (b.person === undefined), {
    error: 'Give either personId or person, not both',
    path: ['personId'],
  });

const professionalBody = z
  .object({
    professionalId: idSchema.optional().describe('A professional already recorded'),
    professional: z
      .object({
        name: z.string().max(200),
        roleTitle: z.string().max(200),
        agencyId: idSchema,
        email: optionalText(320),
        phone: optionalText(30),
      })
      .optional()
      .describe('Someone new'),
  })
  .refine((b) => (b.professionalId === undefined) !== (b.professional === undefined), {
    error: 'Give either professionalId or professional, not both',
    path: ['professionalId'],
  });

const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
};

function childOut(c: ChildRecord) {
  return {
    id: c.id,
    givenNames: c.givenNames,
    familyName: c.familyName,
    dateOfBirth: c.dateOfBirth,
    unborn: c.dateOfBirth === null,
    expectedDeliveryDate: c.expectedDeliveryDate,
    address: c.address,
    localReference: c.localReference,
    nationality: c.nationality,
    immigrationStatus: c.immigrationStatus,
    allocatedSocialWorker: c.allocatedSocialWorkerId
      ? { id: c.allocatedSocialWorkerId, name: c.allocatedSocialWorkerName ?? 'Unknown account' }
      : null,
    restricted: c.restricted,
    namedStaffIds: c.namedStaffIds,
    version: c.version,
  };
}

const familyOut = (m: FamilyMemberRecord) => ({
  person: m.person,
  relationship: m.relationship,
  parentalResponsibility: m.parentalResponsibility,
  receivesMinutes: receivesMinutes(m),
});
const professionalOut = (p: ProfessionalRecord) => ({
  id: p.id,
  name: p.name,
  roleTitle: p.roleTitle,
  email: p.email,
  phone: p.phone,
  agency: p.agency,
});

export async function childrenApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { people } = services;
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
