/** The conference API's contract: what a conference, an issued invitation and a due date look like. */
import { z } from 'zod';
import { CONFERENCE_TYPES } from '../../../domain/conferences/decisions.ts';
import { INVITATION_METHODS, VENUE_KINDS } from '../../../domain/conferences/invitations.ts';
import { CSC_STAFF_ROLES, INVITEE_KINDS } from '../../../domain/conferences/invitees.ts';
import { CONFERENCE_STATUSES } from '../../../domain/conferences/lifecycle.ts';
import { AGENCY_KINDS, RELATIONSHIP_KINDS } from '../../../domain/people/index.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse } from '../schemas.ts';
import { BROUGHT_FORWARD_REASONS, PRE_BIRTH_GROUNDS } from '../../../domain/conferences/convening-grounds.ts';

export const VIEW = { access: CHILD_RECORD_ROLES };
export const EDIT = { access: RECORD_EDITOR_ROLES };

export const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2026-03-16'] });
export const staffRef = z.object({ id: z.uuid(), name: z.string() });

export const deadlineSchema = z
  .object({
    rule: z.string().describe('The named timescale rule, e.g. `initial-conference`'),
    ruleId: z.string().describe('DOMAIN rule id, e.g. `T-1`'),
    title: z.string(),
    from: isoDate('The date the timescale runs from'),
    fromMeaning: z.string().describe('What that date is, e.g. "date of the strategy discussion"'),
    due: isoDate('The last day'),
    earliest: isoDate('For a window (T-2): the first suitable day').optional(),
    latest: isoDate('For a window (T-2): the last suitable day').optional(),
    explanation: z.string().describe('How the date was worked out, in plain English'),
  })
  .describe('A statutory due date: which rule made it and from which date');

export const linkSchema = z.object({
  id: z.uuid(),
  type: z.enum(CONFERENCE_TYPES),
  status: z.enum(CONFERENCE_STATUSES),
  scheduledDate: isoDate('The day of that conference'),
});

export const reconveneGroundSchema = z
  .discriminatedUnion('rule', [
    z.object({ rule: z.literal('Q-1'), newDate: isoDate('The new date the chair set when adjourning') }),
    z.object({
      rule: z.literal('D-1'),
      reviewedOn: isoDate('The senior manager’s review'),
      due: isoDate('20 working days from the review'),
    }),
  ])
  .describe('Why the conference is to be reconvened');

export const issueSchema = z
  .object({
    id: z.uuid(),
    inviteeId: z.uuid(),
    issueNumber: z.number().int().describe('1, 2, … for each invitee; issuing again adds one, nothing is overwritten'),
    channel: z.enum(INVITATION_METHODS),
    recipientLines: z.array(z.string()).describe('The letter’s address block as issued'),
    recipientEmail: z.string().nullable().describe('Where an emailed invitation went'),
    subject: z.string(),
    body: z
      .string()
      .describe('The invitation as sent, plain text (letter and email body), with the R-1 recording notice'),
    bodySha256: z.string().describe('SHA-256 of the body’s UTF-8 bytes, hex'),
    issuedAt: z.iso.datetime().describe('When it was sent'),
    issuedBy: z.object({ id: z.uuid().nullable(), name: z.string() }),
  })
  .describe('An invitation as issued, kept exactly as sent');

export const conferenceSchema = z.object({
  conference: z.object({
    id: z.uuid(),
    type: z.enum(CONFERENCE_TYPES),
    typeLabel: z.string(),
    status: z.enum(CONFERENCE_STATUSES),
    statusLabel: z.string(),
    scheduledDate: isoDate('The day of the conference'),
    startTime: z.string().describe('HH:MM, England'),
    endTime: z.string().nullable().describe('HH:MM, England; null if after midnight'),
    durationMinutes: z.number().int(),
    venueKind: z.enum(VENUE_KINDS),
    venueDetails: z.string().nullable(),
    onlineLink: z.string().nullable(),
    chair: staffRef.nullable(),
    minuteTaker: staffRef.nullable(),
    strategyDiscussionDate: isoDate('Initial conferences (T-1)').nullable(),
    expectedDeliveryDate: isoDate('Pre-birth conferences (T-2)').nullable(),
    previousConferenceId: z.uuid().nullable().describe('Review conferences (T-3): the conference reviewed'),
    noticeOfMoveDate: isoDate('Transfer-in conferences (T-4)').nullable(),
    due: deadlineSchema,
    dueDateWhenConvened: isoDate('The due date stored when the conference was convened'),
    lateAgreedBy: z.string().nullable().describe('T-1: the senior manager who agreed a date outside the timescale'),
    lateReason: z.string().nullable(),
    grounds: z
      .object({
        preBirthGrounds: z
          .array(z.object({ value: z.enum(PRE_BIRTH_GROUNDS), label: z.string() }))
          .describe('Pre-birth (002 §1.3): the grounds for holding it'),
        prematureBirthLikely: z.boolean().describe('Pre-birth (002 §1.3): the T-2 window ends earlier'),
        broughtForward: z
          .object({
            reason: z.enum(BROUGHT_FORWARD_REASONS),
            label: z.string(),
            otherReason: z.string().nullable(),
          })
          .nullable()
          .describe('Review (002 §2.2): why it was brought forward'),
      })
      .describe('Why the conference is held, where the procedure asks at convening'),
    reportsToFamilyDue: deadlineSchema.describe('T-5: reports shared with the family by this date'),
    midwifeInvited: z.boolean().nullable().describe('Pre-birth only (T-2): whether a midwife is invited'),
    open: z.boolean().describe('Invitations and reports can still be changed'),
    reconvenes: linkSchema.nullable().describe('Q-1 / D-1: the earlier conference this one reconvenes'),
    reconvenedAs: linkSchema.nullable().describe('Q-1 / D-1: the conference convened as reconvening this one'),
    reconvene: z
      .object({
        ground: reconveneGroundSchema,
        reason: z.string(),
        outstanding: z.boolean().describe('True until a conference (not cancelled) is linked as reconvening it'),
      })
      .nullable()
      .describe(
        'Set when this conference is to be reconvened: adjourned as not quorate (Q-1), or a D-1 review decided so',
      ),
  }),
  children: z.array(
    z.object({
      id: z.uuid(),
      givenNames: z.string(),
      familyName: z.string(),
      dateOfBirth: isoDate('Null for an unborn child').nullable(),
      expectedDeliveryDate: isoDate('For an unborn child').nullable(),
      ageOnConferenceDate: z.number().int().nullable(),
      presumedToAttend: z.boolean().describe('002 §3.2: 12 or over on the conference date'),
    }),
  ),
  parts: z.array(
    z.object({
      id: z.uuid(),
      ordinal: z.number().int(),
      label: z.string(),
      startOffsetMinutes: z.number().int(),
      durationMinutes: z.number().int(),
    }),
  ),
  invitees: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(INVITEE_KINDS),
      name: z.string(),
      personId: z.uuid().nullable(),
      childId: z.uuid().nullable(),
      professionalId: z.uuid().nullable(),
      userId: z.uuid().nullable().describe('Children’s social care staff invited from their own account'),
      staffRole: z
        .enum(CSC_STAFF_ROLES)
        .nullable()
        .describe('With userId: the children’s allocated social worker, or a team manager'),
      agencyId: z.uuid().nullable(),
      agencyName: z.string().nullable(),
      agencyKind: z.enum(AGENCY_KINDS).nullable(),
      roleTitle: z.string().nullable(),
      directContact: z.boolean().describe('Q-1: the agency has had direct contact with the child and family'),
      interpreterNeeded: z.boolean().describe('A family member or child who needs an interpreter'),
      interpreterLanguage: z
        .string()
        .nullable()
        .describe('The language they need an interpreter in; for an interpreter, the language they interpret'),
      latestIssue: issueSchema
        .omit({ body: true, recipientLines: true })
        .nullable()
        .describe('The invitation as last issued (fetch …/issues for the text)'),
      receivesMinutes: z.boolean().describe('W-4: false for friends, supporters and advocates'),
      invitationMethod: z.string().nullable().describe('letter | email | letter-and-email | by-hand; null until sent'),
      invitedAt: z.iso.datetime().nullable(),
      relationships: z.array(
        z.object({ childId: z.uuid(), relationship: z.enum(RELATIONSHIP_KINDS), parentalResponsibility: z.boolean() }),
      ),
    }),
  ),
  reports: z.array(
    z.object({
      id: z.uuid(),
      agencyId: z.uuid(),
      agencyName: z.string(),
      agencyKind: z.enum(AGENCY_KINDS),
      mediaType: z.string().nullable(),
      sizeBytes: z.number().int().nullable(),
      sha256: z.string().nullable(),
      receivedAt: z.iso.datetime(),
      sharedWithFamilyOn: isoDate('When it reached the family').nullable(),
      withheldFromFamily: z.boolean(),
      police: z.boolean().describe('Police reports are never shared with the family without the chair’s agreement'),
      sharing: z
        .object({
          state: z.enum(['shared-in-time', 'shared-late', 'not-shared', 'police-not-shared', 'withheld']),
          rag: z.string(),
          description: z.string(),
        })
        .describe('T-5'),
    }),
  ),
});

export const conferenceParams = z.object({ id: idSchema.describe('The conference’s id') });
export const inviteeParams = z.object({
  id: idSchema.describe('The conference’s id'),
  inviteeId: idSchema.describe('The invitee’s id'),
});

export const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };

/** The people who could be invited to a conference. */
export const candidatesSchema = z.object({
  family: z.array(
    z.object({
      personId: z.uuid(),
      name: z.string(),
      kind: z.enum(['family-member', 'friend', 'supporter', 'advocate']),
      relationships: z.array(
        z.object({ childId: z.uuid(), relationship: z.enum(RELATIONSHIP_KINDS), parentalResponsibility: z.boolean() }),
      ),
      language: z.string().nullable(),
      interpreterNeeded: z.boolean(),
      invited: z.boolean(),
    }),
  ),
  children: z.array(
    z.object({
      childId: z.uuid(),
      name: z.string(),
      age: z.number().int().describe('On the day of the conference'),
      presumedToAttend: z.boolean().describe('002 §3.2: 12 or over on the day'),
      invited: z.boolean(),
    }),
  ),
  professionals: z.array(
    z.object({
      professionalId: z.uuid(),
      name: z.string(),
      roleTitle: z.string(),
      agencyId: z.uuid(),
      agencyName: z.string(),
      invited: z.boolean(),
    }),
  ),
  childrensSocialCare: z
    .object({
      agency: z.object({ id: z.uuid(), name: z.string() }).nullable(),
      socialWorkers: z.array(
        z.object({ userId: z.uuid(), name: z.string(), childGivenNames: z.array(z.string()), invited: z.boolean() }),
      ),
      teamManagers: z.array(z.object({ userId: z.uuid(), name: z.string(), invited: z.boolean() })),
    })
    .describe('Q-1: invited from staff accounts'),
});
