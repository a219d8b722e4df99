/** The shapes core groups are read and written in (002 §3.7, §3.10, §3.11): allow-lists of what may leave. */
import { z } from 'zod';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { RAG_STATUSES } from '../../../domain/conferences/dashboard.ts';
import { ATTENDANCE, PROGRESS } from '../../../domain/core-groups/core-groups.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse } from '../schemas.ts';

export const TAGS = ['core groups'];
export const READ = { access: CHILD_RECORD_ROLES };
export const EDIT = { access: RECORD_EDITOR_ROLES };

export const childParams = z.object({ childId: idSchema.describe('The child’s id') });
export const meetingParams = z.object({ meetingId: idSchema.describe('The core group meeting’s id') });
export const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
export const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const staff = z.object({ id: z.uuid(), name: z.string() });

export const recordSchema = z.object({
  version: z.number().int(),
  attendance: z.array(z.object({ inviteeId: z.uuid(), name: z.string(), attendance: z.enum(ATTENDANCE) })),
  progress: z.array(
    z.object({
      ordinal: z.number().int(),
      action: z.string(),
      progress: z.enum(PROGRESS),
      note: z.string().nullable(),
    }),
  ),
  notes: z.string().nullable(),
  changeReason: z.string().nullable().describe('Why this version replaced the one before; null for the first'),
  recordedBy: z.string().nullable(),
  recordedAt: z.iso.datetime(),
});

export const meetingSchema = z.object({
  id: z.uuid(),
  childId: z.uuid(),
  conferenceId: z.uuid().describe('The conference that made the plan the meeting carries out'),
  sequence: z.number().int().describe('1 for the first core group'),
  meetingDate: isoDate,
  chair: z.object({ userId: z.uuid(), name: z.string().nullable() }),
  version: z.number().int().describe('Send it back when recording: a record changed since is not overwritten (409)'),
  record: recordSchema.nullable().describe('The latest version of the record; null while only scheduled'),
});

export const planSchema = z.object({
  conferenceId: z.uuid(),
  conferenceDate: isoDate,
  planVersion: z.number().int(),
  inForce: z.boolean(),
  firstCoreGroupDate: isoDate.nullable(),
  lead: z
    .object({ userId: z.uuid(), name: z.string().nullable(), appointedAfterwards: z.boolean() })
    .nullable()
    .describe('Null: nobody appointed yet; a team manager appoints one by the first core group'),
  members: z.array(z.object({ inviteeId: z.uuid(), name: z.string(), description: z.string() })),
  actions: z.array(
    z.object({ ordinal: z.number().int(), action: z.string(), who: z.string(), byWhen: isoDate.nullable() }),
  ),
});

export const dueSchema = z.object({
  which: z.enum(['first', 'next']),
  due: isoDate,
  basis: z.string().describe('What the due date counts from, in words'),
  status: z.enum(RAG_STATUSES),
  workingDaysLeft: z.number().int(),
  firstDateAfterLimit: z.boolean(),
  scheduledInTime: z.boolean(),
  nextScheduled: isoDate.nullable(),
});

export const childCoreGroupsSchema = z.object({
  childId: z.uuid(),
  plan: planSchema.nullable(),
  due: dueSchema.nullable(),
  meetings: z.array(meetingSchema),
  chairChoices: z.array(staff),
  leadChoices: z.array(staff),
  can: z.object({ schedule: z.boolean(), appointLead: z.boolean() }),
});

export const meetingDetailSchema = z.object({
  childId: z.uuid(),
  plan: planSchema,
  meeting: meetingSchema,
  history: z.array(recordSchema).describe('Every version of the record, oldest first'),
  can: z.object({ record: z.boolean() }),
});
