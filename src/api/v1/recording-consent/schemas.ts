/** The shapes the family’s recording on the day is read and written in (P-4 to P-7): allow-lists of what may leave. */
import { z } from 'zod';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import { CONSENT_ANSWERS, CONSENT_OCCASIONS, FAMILY_COPY_FORMATS } from '../../../domain/recording-consent/consent.ts';
import { REQUEST_STATUSES } from '../../../domain/recording-permission/requests.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse } from '../schemas.ts';

export const TAGS = ['recording-consent'];
export const REGISTER = { access: ['chair', 'business_support'] as const };
export const READ = { access: CHILD_RECORD_ROLES };
export const CONFLICTS = new Set(['REGISTER_CLOSED']);
export const conferenceParams = z.object({ id: idSchema.describe('The conference’s id') });
export const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
export const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };
export const clock = z.string().regex(/^\d{2}:\d{2}$/);
export const requestKey = z
  .string()
  .max(100)
  .describe('Whose request: `permission:<id>` for one made beforehand, `meeting:<id>` for one made in the meeting');

export const roundSchema = z.object({
  id: z.uuid(),
  requestKey: z.string(),
  occasion: z.enum(CONSENT_OCCASIONS),
  askedAt: clock,
  recordedBy: z.string(),
  consents: z.array(
    z.object({
      inviteeId: z.uuid(),
      name: z.string(),
      answer: z.enum(CONSENT_ANSWERS),
      reason: z.string().nullable(),
      furtherAuthorisation: z.string().nullable(),
    }),
  ),
  outcome: z.enum(['agreed', 'not-agreed']),
});

export const requestSchema = z.object({
  key: z.string(),
  requesterName: z.string(),
  madeDuringMeeting: z.boolean(),
  askedText: z.string(),
  purpose: z.string(),
  status: z.enum(REQUEST_STATUSES).nullable(),
  onTheDay: z.boolean(),
  limitsAccepted: z.boolean(),
  rounds: z.array(roundSchema),
  outcome: z.enum(['agreed', 'not-agreed']).nullable(),
});

export const copySchema = z.object({
  id: z.uuid(),
  requestKey: z.string(),
  requesterName: z.string(),
  handedOverOn: z.string(),
  handedOverBy: z.string(),
  format: z.enum(FAMILY_COPY_FORMATS),
  size: z.number().int(),
  uploadedBy: z.string(),
});
