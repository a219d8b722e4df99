/** The shapes professionals' requests for a conference are read and written in (002 §1.1): allow-lists of what may leave. */
import { z } from 'zod';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { REQUEST_STATUSES, SUPPORT_KINDS } from '../../../domain/conference-requests/requests.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse } from '../schemas.ts';

export const TAGS = ['conference requests'];
export const READ = { access: CHILD_RECORD_ROLES };
export const EDIT = { access: RECORD_EDITOR_ROLES };
export const DECIDE = { access: ['team_manager' as const] };

export const requestParams = z.object({ requestId: idSchema.describe('The request’s id') });
export const childParams = z.object({ childId: idSchema.describe('The child’s id') });
export const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
export const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };

export const requestSchema = z.object({
  id: z.uuid(),
  childId: z.uuid(),
  requester: z.object({
    professionalId: z.uuid().nullable().describe('Set when the professional is on the child’s record'),
    name: z.string(),
    agency: z.string(),
    role: z.string(),
    email: z.string().nullable(),
  }),
  reasons: z.string().describe('The professional’s concerns'),
  support: z.object({
    value: z.enum(SUPPORT_KINDS),
    label: z.string(),
    supporterName: z.string().nullable(),
    supported: z.boolean().describe('002 §1.1: a supported request should normally be agreed'),
  }),
  status: z.object({ value: z.enum(REQUEST_STATUSES), label: z.string() }),
  recordedAt: z.iso.datetime(),
  recordedByName: z.string().nullable(),
  decision: z
    .object({
      decidedByName: z.string().nullable(),
      decidedAt: z.iso.datetime(),
      reasons: z.string().nullable().describe('Declined: the reasons'),
      discussion: z.string().nullable().describe('Declined: the discussion held to resolve the difference'),
      exceptionReason: z.string().nullable().describe('Declined and supported: why it is an exception'),
    })
    .nullable(),
  requesterEmailed: z.boolean(),
  conveneLink: z
    .string()
    .nullable()
    .describe('Agreed and no conference yet: the page that starts convening for the child, answering the request'),
  conference: z
    .object({ id: z.uuid(), scheduledDate: z.iso.date() })
    .nullable()
    .describe('002 §1.1: the conference convened from the request (one only)'),
  requesterToldOfConference: z.boolean().describe('Whether the professional was emailed the conference’s date'),
});

export const newRequestBody = z.object({
  requesterKind: z.enum(['on-record', 'described']),
  professionalId: idSchema.nullish().describe('on-record: a professional on the child’s record'),
  name: z.string().max(200).nullish().describe('described: their name'),
  agency: z.string().max(200).nullish(),
  role: z.string().max(200).nullish(),
  email: z.string().max(320).nullish().describe('described: their email address, to email the decision'),
  reasons: z.string().max(4000),
  support: z.enum(SUPPORT_KINDS),
  supporterName: z.string().max(200).nullish().describe('Required unless `support` is `none`'),
});

export const decisionBody = z.object({
  decision: z.enum(['agree', 'decline']),
  reasons: z.string().max(4000).nullish().describe('decline: required'),
  discussion: z.string().max(4000).nullish().describe('decline: required, the discussion held'),
  exceptionReason: z
    .string()
    .max(4000)
    .nullish()
    .describe('decline of a supported request: required, why it is an exception'),
});
