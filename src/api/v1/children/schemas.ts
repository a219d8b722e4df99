/**
 * The schemas and allow-list mappers the children's record API routes share: a child, a family or
 * network member (relationship and parental responsibility for THIS child), a professional, a case
 * note, and the error statuses.
 */
import { z } from 'zod';
import type { ChildRecord, FamilyMemberRecord, ProfessionalRecord } from '../../../app/people/ports.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { REQUEST_STATUSES } from '../../../domain/conference-requests/requests.ts';
import { AGENCY_KINDS, LEGAL_STATUSES, RELATIONSHIP_KINDS, receivesMinutes } from '../../../domain/people/index.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse } from '../schemas.ts';

export const VIEW = { access: CHILD_RECORD_ROLES };

export const EDIT = { access: RECORD_EDITOR_ROLES };

export const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2019-05-04'] });
export const idParams = z.object({ id: idSchema.describe('The child’s id') });

export const staffRef = z.object({ id: z.uuid(), name: z.string() });

export const childSchema = z.object({
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
  legalStatus: z
    .enum(LEGAL_STATUSES)
    .nullable()
    .describe('The child’s legal status (002 §3.10); null until recorded. "other" is described in legalStatusDetails'),
  legalStatusDetails: z.string().nullable().describe('With "other", the status itself; with an order, its details'),
  allocatedSocialWorker: staffRef.nullable(),
  restricted: z.boolean().describe('Seen only by the allocated social worker and the named staff'),
  namedStaffIds: z.array(z.uuid()),
  version: z.number().int().describe('Send it back with a PATCH: a change based on an older version is refused (409)'),
});

export const relationship = z.enum(RELATIONSHIP_KINDS).describe('Relationship to this child');

export const personSchema = z.object({
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
  nationality: z.string().nullable(),
  immigrationStatus: z.string().nullable(),
});

export const familyMemberSchema = z.object({
  person: personSchema,
  relationship,
  parentalResponsibility: z
    .boolean()
    .describe('Parental responsibility for THIS child (it may differ between siblings)'),
  receivesMinutes: z
    .boolean()
    .describe('False for friends, supporters and advocates, who never receive minutes (002 §3.10)'),
});

export const agencySchema = z.object({ id: z.uuid(), name: z.string(), kind: z.enum(AGENCY_KINDS) });

export const professionalSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  roleTitle: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  agency: agencySchema,
});

export const childRecordSchema = childSchema.extend({
  familyMembers: z.array(familyMemberSchema),
  professionals: z.array(professionalSchema),
  recordings: z
    .array(
      z.object({
        id: z.uuid(),
        conferenceId: z.uuid(),
        name: z.string().describe('The name that tells it apart: type, date, part and where it was made (R-4)'),
        stored: z.boolean().describe('False while it is not yet stored safely'),
      }),
    )
    .describe(
      'Recordings of the child’s conferences, leaving out any conference with a sibling the caller may not see',
    ),
  plan: z
    .object({
      state: z.enum(['none', 'active', 'ended-at-conference', 'ended']),
      conferenceId: z.uuid().nullable().describe('The conference whose plan this is'),
      endedOn: isoDate('When the plan ended, once its ending is recorded').nullable(),
      warnings: z.array(z.string()).describe('What needs doing about the plan, in words'),
    })
    .describe('The child protection plan (002 §3.9)'),
  coreGroupDue: z
    .object({
      which: z.enum(['first', 'next']),
      due: isoDate('When the core group is due'),
      status: z.enum(['overdue', 'due-soon', 'on-track']),
    })
    .nullable()
    .describe(
      'When the next core group is due under the plan in force (002 §3.7); null with no plan in force, or when the caller may not see a sibling in the plan’s conference',
    ),
  conferenceRequests: z
    .array(
      z.object({
        id: z.uuid(),
        status: z.enum(REQUEST_STATUSES),
        recordedAt: z.iso.datetime(),
      }),
    )
    .describe('Professionals’ requests for a conference about the child, newest first (002 §1.1)'),
});

export const caseNoteSchema = z.object({
  id: z.uuid(),
  kind: z
    .string()
    .meta({ description: 'What wrote the note: `note` for staff, other kinds for events', examples: ['note'] }),
  text: z.string(),
  authorLabel: z.string(),
  createdAt: z.iso.datetime(),
});

export const optionalText = (max: number) => z.string().max(max).nullish();

export const childBody = z.object({
  givenNames: z.string().max(100),
  familyName: z.string().max(100),
  dateOfBirth: isoDate('Date of birth (leave out for an unborn child)').nullish(),
  expectedDeliveryDate: isoDate('Expected date of delivery, for an unborn child').nullish(),
  address: z.string().max(500),
  localReference: z.string().max(50),
  nationality: optionalText(100),
  immigrationStatus: optionalText(200),
  legalStatus: z.enum(LEGAL_STATUSES).nullish().describe('Null or left out: not recorded yet'),
  legalStatusDetails: optionalText(500).describe('Required with "other"'),
  allocatedSocialWorkerId: idSchema.nullish().describe('Left out: a social worker adding a child is allocated to it'),
  restricted: z.boolean().optional(),
  namedStaffIds: z.array(idSchema).max(100).optional(),
});

export const patchBody = childBody
  .partial()
  .extend({ version: z.number().int().positive().describe('The version the change is based on') });

export const searchBody = z.object({
  name: z.string().max(200).optional().describe('Words that must all appear in the given or family names'),
  dateOfBirth: isoDate('Exact date of birth').optional(),
  reference: z.string().max(50).optional().describe('Local case reference (any case)'),
});

export const personBody = z.object({
  givenNames: z.string().max(100),
  familyName: z.string().max(100),
  dateOfBirth: isoDate('Date of birth, if known').nullish(),
  address: optionalText(500),
  email: optionalText(320),
  phone: optionalText(30),
  language: optionalText(100),
  interpreterNeeded: z.boolean().optional(),
  accessibilityNeeds: optionalText(1000),
  nationality: optionalText(100),
  immigrationStatus: optionalText(200),
});

export const familyMemberBody = z
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

export const professionalBody = z
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

export const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
};

export function childOut(c: ChildRecord) {
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
    legalStatus: c.legalStatus,
    legalStatusDetails: c.legalStatusDetails,
    allocatedSocialWorker: c.allocatedSocialWorkerId
      ? { id: c.allocatedSocialWorkerId, name: c.allocatedSocialWorkerName ?? 'Unknown account' }
      : null,
    restricted: c.restricted,
    namedStaffIds: c.namedStaffIds,
    version: c.version,
  };
}

export const familyOut = (m: FamilyMemberRecord) => ({
  person: m.person,
  relationship: m.relationship,
  parentalResponsibility: m.parentalResponsibility,
  receivesMinutes: receivesMinutes(m),
});
export const professionalOut = (p: ProfessionalRecord) => ({
  id: p.id,
  name: p.name,
  roleTitle: p.roleTitle,
  email: p.email,
  phone: p.phone,
  agency: p.agency,
});
