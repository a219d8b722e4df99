/** The shapes recording gone wrong at a conference is read and written in (P-8, P-9): allow-lists of what may leave. */
import { z } from 'zod';
import {
  ACTION_DECISIONS,
  COVERT_ACTIONS,
  PUBLICATION_ANSWERS,
  UNPERMITTED_OUTCOMES,
} from '../../../domain/recording-incidents/incidents.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse } from '../schemas.ts';

export const TAGS = ['recording-incidents'];
export const conferenceParams = z.object({ id: idSchema.describe('The conference’s id') });
export const incidentParams = conferenceParams.extend({ incidentId: idSchema.describe('The incident’s id') });
export const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
export const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const clock = z.string().regex(/^\d{2}:\d{2}$/);
export const short = z.string().max(500);
export const long = z.string().max(20_000);

export const unpermittedSchema = z.object({
  id: z.uuid(),
  person: z.object({ inviteeId: z.uuid().nullable(), name: z.string() }),
  askedToStopAt: clock,
  meetingHaltedAt: clock.nullable(),
  askedToLeaveAt: clock.nullable(),
  outcome: z.enum(UNPERMITTED_OUTCOMES),
  outcomeAt: clock,
  notes: z.string().nullable(),
  recordedBy: z.string(),
});

export const actionSchema = z.object({
  id: z.uuid(),
  action: z.enum(COVERT_ACTIONS),
  description: z.string().nullable(),
  decision: z.enum(ACTION_DECISIONS),
  on: isoDate,
  by: z.string(),
  outcome: z.string().nullable(),
});

export const incidentSchema = z.object({
  id: z.uuid(),
  childIds: z.array(z.uuid()),
  foundOn: isoDate,
  foundBy: z.string(),
  howFound: z.string(),
  published: z.enum(PUBLICATION_ANSWERS),
  publishedWhere: z.string().nullable(),
  publishedOn: isoDate.nullable(),
  takenDown: z.enum(PUBLICATION_ANSWERS).nullable(),
  takenDownOn: isoDate.nullable(),
  chairTold: z.boolean(),
  reportedBy: z.string(),
  actions: z.array(actionSchema),
  stillToConsider: z.array(z.enum(COVERT_ACTIONS)),
  outcome: z.string().nullable(),
  closedOn: isoDate.nullable(),
  open: z.boolean(),
  version: z.number().int(),
});
