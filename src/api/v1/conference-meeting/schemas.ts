/**
 * The schemas every conference-meeting API route shares: who may call it, path ids, and what the
 * meeting, its parts, register, decisions, plans and summary look like in a response (allow-lists).
 */
import { z } from 'zod';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { CATEGORIES, CONFERENCE_TYPES, OUTCOMES } from '../../../domain/conferences/decisions.ts';
import { CONFERENCE_STATUSES } from '../../../domain/conferences/lifecycle.ts';
import { EXCLUSION_EXTENTS, REFERRAL_OUTCOMES } from '../../../domain/conferences/meeting.ts';
import { errorResponse } from '../schemas.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

export const READ = { access: CHILD_RECORD_ROLES };
export const WRITE = { access: RECORD_EDITOR_ROLES };
export const TAGS = ['conference meeting'];

export const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2026-03-02'] });
export const clockTime = (description: string) =>
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time as HH:MM (24-hour)')
    .meta({ description, examples: ['10:05'] });
export const longText = z.string().max(20_000);

export const params = z.object({ id: idSchema.describe('The conference’s id') });
export const childParams = params.extend({ childId: idSchema.describe('A child in the conference') });
export const partParams = params.extend({ partId: idSchema.describe('A part of the conference') });
export const lineParams = partParams.extend({ inviteeId: idSchema.describe('A person on the register') });

// ------------------------------------------------------------------ responses

export const statusSchema = z.enum(CONFERENCE_STATUSES);
export const partSchema = z.object({
  id: z.uuid(),
  ordinal: z.number().int(),
  label: z.string(),
  startOffsetMinutes: z.number().int().describe('Minutes after the conference’s scheduled start'),
  durationMinutes: z.number().int(),
});
export const inviteeSchema = z.object({
  id: z.uuid(),
  kind: z.string().describe('child, family-member, friend, supporter, advocate, professional or interpreter'),
  name: z.string(),
  roleTitle: z.string().nullable(),
  agency: z.object({ id: z.uuid(), name: z.string(), kind: z.string() }).nullable(),
  directContact: z.boolean().describe('Q-1: the agency has had direct contact with the child and family'),
  interpreterLanguage: z
    .string()
    .nullable()
    .describe('The language they need an interpreter in (null: none); for an interpreter, the language they interpret'),
  arrivedOnTheDay: z.boolean().describe('Not invited: joined the register on the day'),
  relationships: z.array(
    z.object({ childId: z.uuid(), relationship: z.string(), parentalResponsibility: z.boolean() }),
  ),
});
export const attendanceSchema = z.object({
  partId: z.uuid(),
  inviteeId: z.uuid(),
  status: z.enum(['invited', 'attended', 'apologies', 'absent', 'excluded']),
  joinedAtMinutes: z.number().int().nullable().describe('Joined late: minutes after the part’s start'),
  leftAtMinutes: z.number().int().nullable().describe('Left early: minutes after the part’s start'),
  exclusion: z
    .object({ extent: z.enum(EXCLUSION_EXTENTS), reason: z.string(), howViewsHeard: z.string() })
    .nullable()
    .describe('002 §3.2: the reason was given orally and in writing'),
  interpreterUsed: z.boolean(),
});
export const quoracySchema = z.object({
  quorate: z.boolean(),
  childrensSocialCarePresent: z.boolean(),
  countingAgencies: z.array(z.string()),
  notCounting: z.array(z.string()),
  explanation: z.string(),
});
export const deadlineSchema = z.object({
  rule: z.string(),
  ruleId: z.string(),
  from: z.string(),
  due: z.string(),
  explanation: z.string(),
});
export const decisionSchema = z.object({
  id: z.uuid(),
  childId: z.uuid(),
  version: z.number().int(),
  outcome: z.enum(OUTCOMES),
  category: z.enum(CATEGORIES).nullable(),
  reasons: z.string(),
  equallySplit: z.boolean().describe('002 §3.12: professional views were equally split, so the chair decided'),
  seniorManagerReferralRequired: z.boolean().describe('D-1: more than one agency dissented'),
  changeReason: z.string().nullable(),
  recordedBy: z.string().nullable(),
  recordedAt: z.iso.datetime(),
  agencyViews: z.array(
    z.object({
      agencyId: z.uuid(),
      agencyName: z.string(),
      view: z.enum(['agrees', 'dissents']),
      note: z.string().nullable(),
    }),
  ),
  referral: z
    .object({
      referredTo: z.string(),
      referredOn: z.string(),
      reviewedOn: z.string().nullable(),
      outcome: z.enum(REFERRAL_OUTCOMES).nullable(),
      reconveneDue: z.string().nullable(),
    })
    .nullable(),
});
export const planSchema = z.object({
  id: z.uuid(),
  childId: z.uuid(),
  version: z.number().int(),
  leadSocialWorker: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  coreGroupInviteeIds: z.array(z.uuid()),
  firstCoreGroupDate: z.string().nullable(),
  actions: z.array(z.object({ action: z.string(), who: z.string(), byWhen: z.string().nullable() })),
  contingencyPlan: z.string().nullable(),
  nextReviewDate: z.string().nullable().describe('T-3'),
  planEndedMeetingDate: z
    .string()
    .nullable()
    .describe('T-9: when the plan ends, the meeting with the child and family'),
  changeReason: z.string().nullable().describe('Why this version was recorded after the conference was held'),
  recordedBy: z.string().nullable(),
  recordedAt: z.iso.datetime(),
});
export const summarySchema = z.object({
  version: z.number().int(),
  worries: z.string(),
  positives: z.string(),
  changes: z.string(),
  changeReason: z.string().nullable().describe('Why this version was recorded after the conference was held'),
  recordedBy: z.string().nullable(),
  recordedAt: z.iso.datetime(),
});
export const meetingSchema = z.object({
  conference: z.object({
    id: z.uuid(),
    type: z.enum(CONFERENCE_TYPES),
    status: statusSchema,
    scheduledDate: z.string(),
    startTime: z.string(),
    durationMinutes: z.number().int(),
    chair: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    actualStartTime: z.string().nullable().describe('R-1: noted when the chair opened the conference'),
    recordingReminderGiven: z.boolean().describe('R-1'),
    reminderGivenAt: z.iso
      .datetime()
      .nullable()
      .describe('R-1: when the chair recorded that those present were told about the recording'),
    actualEndTime: z.string().nullable(),
    proceededInquorateReason: z.string().nullable(),
    adjournmentSafetySteps: z.string().nullable(),
    reconveneDate: z.string().nullable().describe('Q-1: the new date set when adjourned'),
    reconvenedConferenceId: z.uuid().nullable().describe('Set once convening books the reconvened conference'),
  }),
  children: z.array(
    z.object({
      childId: z.uuid(),
      givenNames: z.string(),
      familyName: z.string(),
      age: z.number().int().nullable(),
      presumedToAttend: z.boolean().describe('002 §3.2: 12 or over on the conference date'),
      childViews: z.string().nullable(),
      decision: decisionSchema.nullable(),
      plan: planSchema.nullable(),
    }),
  ),
  parts: z.array(partSchema),
  invitees: z.array(inviteeSchema),
  attendance: z.array(attendanceSchema),
  quoracy: quoracySchema,
  agenciesPresent: z.array(z.object({ agencyId: z.uuid(), agencyName: z.string() })),
  summary: summarySchema.nullable(),
  reviewDeadline: deadlineSchema,
  planEndedDeadline: deadlineSchema,
  toConclude: z.array(z.string()),
  permissions: z.object({ chair: z.boolean(), register: z.boolean() }),
});

export const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  422: errorResponse,
};
