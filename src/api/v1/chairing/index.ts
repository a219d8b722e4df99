/**
 * The chair (002 §4.1), for integrations: the same use cases, access rules and audit trail as the pages. What is
 * recorded of chairing a conference (the reasons given for a chair who is a child's social worker or that social
 * worker's line manager, and the chair's meeting with the child and family beforehand), changing the chair of a
 * planned conference, and recording the meeting with the family. Responses are allow-lists.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChairingService, ChairingView } from '../../../app/conferences/chairing/service.ts';
import type { FamilyMeetingRecord } from '../../../app/conferences/chairing/ports.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import type { Role } from '../../../domain/access/roles.ts';
import { INDEPENDENCE_CONCERN_KINDS } from '../../../domain/conferences/chairing.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { isoDateOf as isoDate, recordErrors as errors, requestContext, withRules } from '../schemas.ts';

const TAGS = ['chairing'];
const READ = { access: CHILD_RECORD_ROLES };
const EDIT = { access: RECORD_EDITOR_ROLES };
/** The use case decides who of these may: the assigned chair, a team manager or business support. */
const COVER = { access: ['chair', 'team_manager', 'business_support'] as Role[] };
const params = z.object({ id: idSchema.describe('The conference’s id') });

const concernSchema = z.object({
  kind: z.enum(INDEPENDENCE_CONCERN_KINDS as ['social-worker', 'line-manager']),
  childName: z.string(),
  socialWorkerName: z.string(),
});

const familyMeetingSchema = z.object({
  met: z.boolean(),
  metOn: isoDate('The day the chair met them (when they met)').nullable(),
  whoMet: z.string().nullable(),
  notMetReason: z.string().nullable(),
  recordedByName: z.string(),
  recordedAt: z.iso.datetime(),
  version: z.number().int().describe('Send it back to change the record: an older version is refused (409)'),
});

const chairingSchema = z.object({
  conferenceId: z.uuid(),
  status: z.string(),
  scheduledDate: isoDate('The conference’s date'),
  chair: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  concerns: z.array(concernSchema).describe('Why the current chair is not independent of the case, child by child'),
  reasons: z.array(
    z.object({
      id: z.uuid(),
      chairUserId: z.uuid(),
      chairName: z.string(),
      occasion: z.enum(['convened', 'chair-changed']),
      concerns: z.array(z.enum(INDEPENDENCE_CONCERN_KINDS as ['social-worker', 'line-manager'])),
      reason: z.string(),
      recordedByName: z.string(),
      recordedAt: z.iso.datetime(),
    }),
  ),
  familyMeeting: familyMeetingSchema.nullable(),
  familyMeetingDue: z.boolean().describe('Planned, and the chair’s meeting with the family is not yet recorded'),
  cover: z
    .object({
      coverChairUserId: z.uuid(),
      coverChairName: z.string(),
      reason: z.string(),
      recordedByName: z.string(),
      recordedAt: z.iso.datetime(),
    })
    .nullable()
    .describe('The chair covering for the assigned chair now (002 §4.1): they may act as the chair'),
  canRecordCover: z.boolean().describe('Whether the caller may record a cover chair'),
});

function meetingOut(m: FamilyMeetingRecord) {
  return {
    met: m.met,
    metOn: m.metOn,
    whoMet: m.whoMet,
    notMetReason: m.notMetReason,
    recordedByName: m.recordedByName,
    recordedAt: m.recordedAt.toISOString(),
    version: m.version,
  };
}

function chairingOut(v: ChairingView) {
  return {
    conferenceId: v.conferenceId,
    status: v.status,
    scheduledDate: v.scheduledDate,
    chair: v.chair ? { id: v.chair.id, name: v.chair.name } : null,
    concerns: v.concerns.map((c) => ({ kind: c.kind, childName: c.childName, socialWorkerName: c.socialWorkerName })),
    reasons: v.reasons.map((r) => ({
      id: r.id,
      chairUserId: r.chairUserId,
      chairName: r.chairName,
      occasion: r.occasion,
      concerns: r.concerns,
      reason: r.reason,
      recordedByName: r.recordedByName,
      recordedAt: r.recordedAt.toISOString(),
    })),
    familyMeeting: v.familyMeeting ? meetingOut(v.familyMeeting) : null,
    familyMeetingDue: v.familyMeetingDue,
    cover: v.cover
      ? {
          coverChairUserId: v.cover.coverChairUserId,
          coverChairName: v.cover.coverChairName,
          reason: v.cover.reason,
          recordedByName: v.cover.recordedByName,
          recordedAt: v.cover.recordedAt.toISOString(),
        }
      : null,
    canRecordCover: v.canRecordCover,
  };
}

export function chairingRoutes(app: FastifyInstance, chairing: ChairingService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/chairing',
    {
      config: READ,
      schema: {
        operationId: 'ChairingService.chairing',
        summary: 'The chair’s independence of the case and meeting with the family (002 §4.1)',
        description: 'Audited as a view; someone who may not see every child of the conference is 403 (audited).',
        tags: TAGS,
        params,
        response: { 200: chairingSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        chairingOut(await chairing.chairing(request.actor!, request.params.id, requestContext(request))),
      ),
  );

  api.put(
    '/conferences/:id/chair',
    {
      config: EDIT,
      schema: {
        operationId: 'ChairingService.changeChair',
        summary: 'Change the chair of a planned conference (002 §4.1)',
        description:
          'An active member of staff with the chair role, not the minute taker. A chair who is a child’s allocated social worker, or that social worker’s line manager, needs `chairIndependenceReason` (422 with the warning otherwise); the reason is kept and audited. The change joins the conference’s changes (`chair-changed`), and everyone already sent an invitation is issued a new copy naming the new chair, emailed where they have an address.',
        tags: TAGS,
        params,
        body: z.object({
          chairUserId: idSchema,
          chairIndependenceReason: z.string().max(2000).nullish(),
          reason: z
            .string()
            .max(1000)
            .nullish()
            .describe('Why the chair is changing, kept in the conference’s record of changes'),
        }),
        response: { 200: chairingSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const ctx = requestContext(request);
        await chairing.changeChair(request.actor!, request.params.id, request.body, ctx);
        return chairingOut(await chairing.chairing(request.actor!, request.params.id, ctx));
      }),
  );

  api.put(
    '/conferences/:id/chair/family-meeting',
    {
      config: EDIT,
      schema: {
        operationId: 'ChairingService.recordFamilyMeeting',
        summary: 'Record the chair’s meeting with the child and family before the conference (002 §4.1)',
        description:
          'Met: the date (not in the future, not after the conference) and who; not met: why. Changing it sends the `version` last read (409 if it changed since).',
        tags: TAGS,
        params,
        body: z.object({
          met: z.enum(['yes', 'no']),
          metOn: isoDate('The day they met').nullish(),
          whoMet: z.string().max(1000).nullish(),
          notMetReason: z.string().max(1000).nullish(),
          version: z.number().int().min(1).nullish(),
        }),
        response: { 200: familyMeetingSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        meetingOut(
          await chairing.recordFamilyMeeting(request.actor!, request.params.id, request.body, requestContext(request)),
        ),
      ),
  );

  api.put(
    '/conferences/:id/chair/cover',
    {
      config: COVER,
      schema: {
        operationId: 'ChairingService.recordCover',
        summary: 'Record a cover chair for the assigned chair (002 §4.1)',
        description:
          'The assigned chair, a team manager or business support records another active member of staff with the chair role as cover, with the reason (403, audited, for anyone else). The cover chair may then do what only the chair may: decisions, the plan, exclusions, the chair’s summary, approving the record. A new cover replaces the one before. Audited.',
        tags: TAGS,
        params,
        body: z.object({ coverChairUserId: idSchema, reason: z.string().max(1000) }),
        response: { 200: chairingSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const ctx = requestContext(request);
        await chairing.recordCover(request.actor!, request.params.id, request.body, ctx);
        return chairingOut(await chairing.chairing(request.actor!, request.params.id, ctx));
      }),
  );
}

export async function chairingApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  chairingRoutes(app, services.chairing);
}
