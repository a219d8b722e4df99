/** The shapes participation is read and written in (002 §3.2, 001): allow-lists of what may leave. */
import { z } from 'zod';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import {
  ATTENDANCE_CHOICES,
  BENEFIT,
  CHILD_WISHES,
  UNDERSTANDING,
  VIEWS_ROUTES,
  WISH_EXPRESSED,
} from '../../../domain/participation/child-attendance.ts';
import { EXCLUDED_VIEWS_ROUTES, EXCLUSION_CRITERIA } from '../../../domain/participation/exclusion.ts';
import { HELP_KINDS, HELP_STATUSES } from '../../../domain/participation/parent-reports.ts';
import { BAR_REASONS } from '../../../domain/participation/supporters.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse } from '../schemas.ts';

export const TAGS = ['participation'];
export const READ = { access: CHILD_RECORD_ROLES };
export const EDIT = { access: RECORD_EDITOR_ROLES };

export const conferenceParams = z.object({ id: idSchema.describe('The conference’s id') });
export const childParams = conferenceParams.extend({ childId: idSchema.describe('The child’s id') });
export const inviteeParams = conferenceParams.extend({ inviteeId: idSchema.describe('The invitee’s id') });
export const reportParams = conferenceParams.extend({ reportId: idSchema.describe('The report’s id') });

export const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
export const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };

const note = z.string().max(2_000);

export const parentReportSchema = z.object({
  id: z.uuid(),
  inviteeId: z.uuid(),
  parentName: z.string(),
  source: z.enum(['file', 'typed']),
  format: z.enum(['pdf', 'docx', 'doc', 'odt', 'txt']),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  receivedOn: z.iso.date(),
});

export const participationSchema = z.object({
  conference: z.object({ id: z.uuid(), scheduledDate: z.iso.date(), status: z.string() }),
  can: z.object({ edit: z.boolean(), chair: z.boolean() }),
  children: z.array(
    z.object({
      childId: z.uuid(),
      name: z.string(),
      age: z.number().int().nullable(),
      presumedEligible: z.boolean().describe('002 §3.2: 12 or over on the conference date'),
      viewsRecorded: z.boolean(),
      attendance: z
        .object({
          understands: z.enum(UNDERSTANDING),
          wishExpressed: z.enum(WISH_EXPRESSED),
          parentsViews: z.string(),
          benefit: z.enum(BENEFIT),
          chairAdvice: z.enum(ATTENDANCE_CHOICES),
          socialWorkerAdvice: z.enum(ATTENDANCE_CHOICES),
          childWish: z.enum(CHILD_WISHES),
          decision: z.enum(ATTENDANCE_CHOICES),
          partArrangements: z.string().nullable(),
          reason: z.string().nullable(),
          viewsRoutes: z.array(z.enum(VIEWS_ROUTES)),
          viewsNote: z.string().nullable(),
          viewsCheckedAt: z.iso.datetime().nullable(),
          recordedAt: z.iso.datetime(),
          version: z.number().int(),
        })
        .nullable(),
    }),
  ),
  supporters: z.array(
    z.object({
      inviteeId: z.uuid(),
      kind: z.enum(['friend', 'supporter', 'advocate']),
      name: z.string(),
      attended: z.boolean(),
      bar: z
        .object({ reason: z.enum(BAR_REASONS), detail: z.string().nullable(), barredAt: z.iso.datetime() })
        .nullable(),
      advocateRole: z
        .object({
          speaksFor: z.object({
            kind: z.enum(['parent', 'child']),
            inviteeId: z.uuid().nullable(),
            childId: z.uuid().nullable(),
            name: z.string(),
          }),
          viewAscertainedOn: z.iso.date().nullable(),
          note: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
  parents: z.array(
    z.object({
      inviteeId: z.uuid(),
      name: z.string(),
      help: z.array(
        z.object({
          kind: z.enum(HELP_KINDS),
          status: z.enum(HELP_STATUSES),
          arrangedBy: z.string().nullable(),
          details: z.string().nullable(),
        }),
      ),
      reports: z.array(parentReportSchema),
    }),
  ),
  exclusions: z.array(
    z.object({
      partId: z.uuid(),
      inviteeId: z.uuid(),
      criteria: z.array(z.enum(EXCLUSION_CRITERIA)),
      otherReason: z.string().nullable(),
      toldOrally: z.object({ on: z.iso.date(), by: z.string() }).nullable(),
      toldInWriting: z.object({ on: z.iso.date(), by: z.string() }).nullable(),
      viewsRoutes: z.array(z.enum(EXCLUDED_VIEWS_ROUTES)),
      viewsNote: z.string().nullable(),
      recordedBeforeCriteria: z.boolean(),
    }),
  ),
});

export const childAttendanceBody = z.object({
  version: z
    .number()
    .int()
    .min(0)
    .describe(
      'The decision’s `version` as last read (0 when none yet): if it has changed since, nothing is saved (409)',
    ),
  understands: z.string().max(20),
  wishExpressed: z.string().max(20),
  parentsViews: note,
  benefit: z.string().max(20),
  chairAdvice: z.string().max(20),
  socialWorkerAdvice: z.string().max(20),
  childWish: z.string().max(20),
  decision: z.string().max(20),
  partArrangements: note.default(''),
  reason: note.default(''),
  viewsRoutes: z.array(z.string().max(40)).max(VIEWS_ROUTES.length).default([]),
  viewsNote: note.default(''),
});
