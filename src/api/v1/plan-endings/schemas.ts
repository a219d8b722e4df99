/** The shapes plan endings are read and written in (002 §3.8, §3.9, T-4): allow-lists of what may leave. */
import { z } from 'zod';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import type { Role } from '../../../domain/access/roles.ts';
import { CONFERENCE_TYPES, OUTCOMES } from '../../../domain/conferences/decisions.ts';
import { ENDING_REASONS, LOOKED_AFTER_CRITERIA, STEP_DOWN_KINDS } from '../../../domain/plan-endings/index.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse } from '../schemas.ts';

export const TAGS = ['plan endings'];
export const READ = { access: CHILD_RECORD_ROLES };
export const RECORD = { access: ['chair', 'business_support', 'team_manager', 'qa_manager'] satisfies Role[] };

export const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2026-03-20'] });
export const childParams = z.object({ childId: idSchema.describe('The child’s id') });
export const stepDownParams = z.object({
  conferenceId: idSchema.describe('The conference’s id'),
  childId: idSchema.describe('The child’s id'),
});
export const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  422: errorResponse,
};
export const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };

export const stepDownSchema = z.object({
  id: z.uuid(),
  version: z.number().int(),
  kind: z.enum(STEP_DOWN_KINDS),
  leadProfessional: z.string(),
  services: z.string(),
  firstMeetingDate: z.string().nullable().describe('Team around the child: its first meeting with the family'),
  recordedAt: z.iso.datetime(),
});

export const noticeSchema = z.object({
  id: z.uuid(),
  recipientName: z.string(),
  recipientRole: z.string().nullable(),
  agencyName: z.string().nullable(),
  method: z.enum(['email', 'letter']),
  outboxMessageId: z.uuid().nullable(),
  letterText: z.string().nullable().describe('The letter to post, when the professional has no email address'),
  createdAt: z.iso.datetime(),
  postedAt: z.iso.datetime().nullable(),
});

export const childPlanSchema = z.object({
  childId: z.uuid(),
  state: z.enum(['none', 'active', 'ended-at-conference', 'ended']),
  plan: z
    .object({
      conferenceId: z.uuid(),
      conferenceType: z.enum(CONFERENCE_TYPES),
      conferenceDate: z.string(),
      outcome: z.enum(OUTCOMES),
      nextReviewDate: z.string().nullable(),
      familyMeetingDate: z
        .string()
        .nullable()
        .describe('T-9: the meeting with the child and family after the plan ends'),
    })
    .nullable(),
  stepDown: stepDownSchema.nullable(),
  ending: z
    .object({
      id: z.uuid(),
      reason: z.enum(ENDING_REASONS),
      endedOn: z.string(),
      details: z.string().nullable(),
      lookedAfterCriterion: z.enum(LOOKED_AFTER_CRITERIA).nullable(),
      modToldOn: z.string().nullable(),
      modResourcesConfirmed: z.boolean(),
      authorisedByName: z.string().nullable(),
      authorisedOn: z.string().nullable(),
      notices: z.array(noticeSchema),
    })
    .nullable(),
  transfer: z
    .object({
      id: z.uuid(),
      version: z.number().int(),
      authorityName: z.string(),
      contactEmail: z.string(),
      noticeOn: z.string(),
      conferenceDue: z.string().describe('T-4: the receiving conference is due by this date'),
      receivingConferenceOn: z.string().nullable(),
      confirmationReceivedOn: z.string().nullable(),
      overdue: z.boolean(),
      complete: z.boolean(),
    })
    .nullable(),
  warnings: z.array(z.string()),
  mayRecord: z.boolean(),
});
