/** The contract of the conference changes API: what a change, a cancellation and a conference's lifecycle look like. */
import { z } from 'zod';
import type { ConferenceLifecycle, Recipient } from '../../../app/conferences/rearrangement-service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { CONFERENCE_TYPES } from '../../../domain/conferences/decisions.ts';
import { VENUE_KINDS } from '../../../domain/conferences/invitations.ts';
import { CHANGE_KINDS } from '../../../domain/conferences/rearrangement.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse } from '../schemas.ts';

export const VIEW = { access: CHILD_RECORD_ROLES };
export const EDIT = { access: RECORD_EDITOR_ROLES };

/** Ids in one canonical form: any case accepted, used lower-cased. */
export const id = idSchema;
export const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2026-03-18'] });
export const text = (max: number) => z.string().max(max).nullish();

/** The use cases' state rules: sound input, but not allowed for the conference as it is (409). */
export const CONFLICTS = new Set([
  'NOT_REARRANGEABLE',
  'NOT_CANCELLABLE',
  'CONFERENCE_CLOSED',
  'NOBODY_TO_EMAIL',
  'NOTHING_TO_POST',
  'INVALID_TRANSITION',
]);

export const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  422: errorResponse,
};
export const conferenceParams = z.object({ id: id.describe('The conference’s id') });

export const recipientSchema = z.object({
  inviteeId: z.uuid(),
  name: z.string(),
  method: z.enum(['email', 'post']).describe('Emailed now, or a letter to print and post'),
});
export const changeLineSchema = z.object({ field: z.string(), label: z.string(), from: z.string(), to: z.string() });
export const deadlineSchema = z.object({
  ruleId: z.string().describe('e.g. T-1'),
  from: isoDate('The date the timescale runs from'),
  due: isoDate('The last day'),
  explanation: z.string(),
});

export const recipientOut = (r: Recipient) => ({ inviteeId: r.inviteeId, name: r.name, method: r.method });

export const rearrangeBody = z.object({
  scheduledDate: isoDate('The new day: a working day, today or later'),
  startTime: z.string().max(5).describe('HH:MM, 24-hour clock, England'),
  durationMinutes: z.number().int().describe('Expected length, 15 to 480 minutes'),
  venueKind: z.enum(VENUE_KINDS),
  venueDetails: text(500).describe('In person or hybrid: address and room'),
  onlineLink: text(2000).describe('Online or hybrid: the Microsoft Teams link (https)'),
  lateAgreedBy: text(200).describe(
    'Required when the new date is outside the timescale (T-1 … T-4): the senior manager who agreed it',
  ),
  lateReason: text(1000).describe('Required when the new date is outside the timescale: why'),
  reason: z.string().max(1000).describe('Why the conference is being changed; kept on its record'),
});

export const afterwardsBody = z.object({
  childIds: z
    .array(id)
    .min(1)
    .max(12)
    .describe('The child, or the sibling group; the caller must be able to change every child’s record'),
  type: z.enum(CONFERENCE_TYPES),
  strategyDiscussionDate: isoDate('Initial: the strategy discussion (T-1)').nullish(),
  expectedDeliveryDate: isoDate('Pre-birth: the expected date of delivery (T-2)').nullish(),
  previousConferenceId: id.nullish().describe('Review: a held conference of these children (T-3)'),
  noticeOfMoveDate: isoDate('Transfer-in: when notice of the move was received (T-4)').nullish(),
  scheduledDate: isoDate('The day it was held: today or earlier'),
  startTime: z.string().max(5).describe('HH:MM, 24-hour clock, England'),
  durationMinutes: z.number().int(),
  venueKind: z.enum(VENUE_KINDS),
  venueDetails: text(500),
  onlineLink: text(2000),
  chairUserId: id.describe('An active user with the chair role'),
  minuteTakerUserId: id.describe('An active business support user'),
  lateAgreedBy: text(200).describe('Required when the date was outside the timescale'),
  lateReason: text(1000),
  afterwardsReason: z
    .string()
    .max(1000)
    .describe('Why it is recorded after it was held, not booked in advance; kept on its record'),
});

export const sendingStates = ['not-sent', 'queued', 'sent', 'failed', 'to-post', 'posted', 'recorded'] as const;

export const lifecycleSchema = z.object({
  changes: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(CHANGE_KINDS),
      changes: z.array(changeLineSchema).describe('What changed, from what to what'),
      reason: z.string(),
      lateAgreedBy: z.string().nullable(),
      lateReason: z.string().nullable(),
      changedBy: z.object({ id: z.uuid().nullable(), name: z.string() }),
      changedAt: z.iso.datetime(),
    }),
  ),
  invitations: z.array(
    z.object({
      inviteeId: z.uuid(),
      state: z
        .enum(sendingStates)
        .describe(
          'For an email, from the mail delivery: queued, sent or failed; for a letter: to-post or posted; recorded: sent by hand and recorded',
        ),
      issueNumber: z.number().int().nullable(),
      hasEmail: z.boolean(),
      changedSinceIssued: z.boolean(),
      cancellationNotice: z.enum(sendingStates).nullable(),
    }),
  ),
  stillNeeded: z
    .object({
      deadline: deadlineSchema,
      status: z.enum(['overdue', 'due-soon', 'on-track']),
      workingDaysLeft: z.number().int(),
    })
    .nullable()
    .describe(
      'A cancelled conference: the children still need one of this type by this date, until another is convened',
    ),
});

export function lifecycleOut(l: ConferenceLifecycle): z.infer<typeof lifecycleSchema> {
  return {
    changes: l.changes.map((c) => ({
      id: c.id,
      kind: c.kind,
      changes: c.changes.map((x) => ({ field: x.field, label: x.label, from: x.from, to: x.to })),
      reason: c.reason,
      lateAgreedBy: c.lateAgreedBy,
      lateReason: c.lateReason,
      changedBy: c.changedBy,
      changedAt: c.changedAt.toISOString(),
    })),
    invitations: l.sending.map((s) => ({
      inviteeId: s.inviteeId,
      state: s.state,
      issueNumber: s.issueNumber,
      hasEmail: s.hasEmail,
      changedSinceIssued: s.changedSinceIssued,
      cancellationNotice: s.notice?.state ?? null,
    })),
    stillNeeded: l.stillNeeded
      ? {
          deadline: {
            ruleId: l.stillNeeded.deadline.ruleId,
            from: l.stillNeeded.deadline.from,
            due: l.stillNeeded.deadline.latest ?? l.stillNeeded.deadline.due,
            explanation: l.stillNeeded.deadline.explanation,
          },
          status: l.stillNeeded.status,
          workingDaysLeft: l.stillNeeded.workingDaysLeft,
        }
      : null,
  };
}
