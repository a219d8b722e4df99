/** The shapes requests to record are read and written in (P-1, P-2, P-3, P-6, T-11): allow-lists of what may leave. */
import { z } from 'zod';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import {
  ALTERNATIVES,
  MEETING_KINDS,
  REFUSAL_GROUNDS,
  REQUEST_METHODS,
  REQUEST_STATUSES,
  UNDERTAKING_METHODS,
  VIEWS,
} from '../../../domain/recording-permission/requests.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse } from '../schemas.ts';

export const TAGS = ['recording permission'];
export const READ = { access: CHILD_RECORD_ROLES };
export const EDIT = { access: RECORD_EDITOR_ROLES };

export const requestParams = z.object({ requestId: idSchema.describe('The request’s id') });
export const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
export const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };
export const version = z
  .number()
  .int()
  .min(1)
  .describe('The request’s `version` as last read: if it has changed since, nothing is saved (409)');
/** The signed notice, base64: at most 10 MB once decoded. */
export const fileBase64 = z
  .string()
  .max(14_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/)
  .describe('The signed notice of intent, base64: a PDF, JPEG or PNG of at most 10 MB, checked by its content');

export const requestSchema = z.object({
  id: z.uuid(),
  meeting: z.object({
    kind: z.enum(MEETING_KINDS),
    conferenceId: z.uuid().nullable(),
    childId: z.uuid().nullable(),
    date: z.string(),
    time: z.string(),
    organiser: z.string().nullable(),
  }),
  requester: z.object({
    kind: z.enum(['child', 'family', 'someone-else']),
    name: z.string(),
    childId: z.uuid().nullable(),
    personId: z.uuid().nullable(),
  }),
  askedAt: z.iso.datetime(),
  method: z.enum(REQUEST_METHODS),
  purpose: z.string(),
  undertaking: z.object({
    method: z.enum(UNDERTAKING_METHODS),
    signed: z.boolean(),
    signedVia: z.enum(['upload', 'online']).nullable(),
    file: z.object({ format: z.enum(['pdf', 'png', 'jpeg']), size: z.number().int() }).nullable(),
  }),
  notice: z.object({ hoursBefore: z.number().int(), late: z.boolean() }).describe('T-11: asked at short notice'),
  status: z.enum(REQUEST_STATUSES),
  notEligibleReason: z.string().nullable(),
  decision: z
    .object({
      outcome: z.enum(['granted', 'refused']),
      grounds: z.array(z.object({ ground: z.enum(REFUSAL_GROUNDS), evidence: z.string() })),
      alternatives: z.array(z.enum(ALTERNATIVES)),
      alternativesNote: z.string().nullable(),
      reasons: z.string(),
      decidedBy: z.string().nullable(),
    })
    .nullable(),
  confirmed: z.object({ byEmail: z.boolean() }).nullable(),
  timeLeft: z.string().nullable(),
  version: z.number().int(),
});

export const listSchema = z.object({
  requests: z.array(requestSchema),
  candidates: z.object({
    children: z.array(z.object({ childId: z.uuid(), name: z.string() })),
    family: z.array(z.object({ personId: z.uuid(), name: z.string(), hasPr: z.boolean(), hasEmail: z.boolean() })),
  }),
  noticeHours: z.number().int(),
});

export const detailSchema = z.object({
  request: requestSchema,
  decisionMaker: z.object({ name: z.string().nullable(), role: z.string() }),
  professionals: z.array(
    z.object({
      inviteeId: z.uuid(),
      name: z.string(),
      view: z.enum(VIEWS).nullable(),
      reason: z.string().nullable(),
    }),
  ),
  disagreement: z.boolean().describe('P-6: professionals disagree; the chair decides'),
  letter: z
    .object({ subject: z.string(), body: z.string(), recipientLines: z.array(z.string()), dateLine: z.string() })
    .nullable(),
  link: z
    .object({ state: z.enum(['active', 'expired', 'revoked', 'confirmed']) })
    .nullable()
    .describe('P-1: the latest secure link sent to the requester'),
  can: z.object({ decide: z.boolean(), edit: z.boolean(), confirm: z.boolean(), sendLink: z.boolean() }),
});
