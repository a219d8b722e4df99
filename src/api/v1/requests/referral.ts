/**
 * The chair's referral of a request for integrations: what it may name (the conference's
 * children, recordings, parts and the parts marked on their timelines), checking one without saving
 * it, referring, and changing it with the reason. The same RequestService use cases, roles and audit
 * trail as the referral page. The requester's email address goes in and never comes back out; the
 * explanations of withheld parts and the conference's attendance are not returned.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReferralFormView, ReferralView } from '../../../app/requests/request-service.ts';
import { REQUEST_STEP_ROLES } from '../../../domain/requests/index.ts';
import { WITHHOLDING_REASONS } from '../../../domain/recordings/timeline.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { requestContext } from '../schemas.ts';
import { errors, named, readErrors, requestParams, stepOperation, TAGS, version, withRequestRules } from './schemas.ts';

const REFER = { access: REQUEST_STEP_ROLES.refer };
const label = z.object({ id: z.uuid(), label: z.string() });

/** the chair's referral, as the referral form takes it. */
const referralSchema = z
  .object({
    childIds: z.array(idSchema).max(50).describe('The children whose information the requester may be given'),
    email: z.string().max(320).describe('The requester’s email address, confirmed with them (never returned)'),
    emailVerified: z.boolean().describe('The chair confirmed the address with the requester'),
    withheldSegmentIds: z
      .array(idSchema)
      .max(200)
      .optional()
      .describe('Parts marked on the recordings’ timelines to withhold from this requester'),
    withheldAdded: z
      .array(
        z.object({
          recordingId: idSchema,
          start: z.string().max(20).describe('Where it starts, as h:mm:ss or m:ss'),
          end: z.string().max(20).describe('Where it ends, as h:mm:ss or m:ss'),
          reason: z.enum(WITHHOLDING_REASONS),
          explanation: z.string().max(2000),
        }),
      )
      .max(20)
      .optional()
      .describe('Further parts withheld for this request only'),
    nothingWithheld: z
      .boolean()
      .optional()
      .describe('`true` when there is nothing the requester must not hear (an empty list is then a decision)'),
    recordingIds: z.array(idSchema).max(50).describe('The recordings to copy'),
    partIds: z.array(idSchema).max(20).optional().describe('For a split conference: the parts to copy'),
    jointConsideration: z
      .object({
        on: z.string().max(20).describe('YYYY-MM-DD'),
        childTookPart: z.boolean(),
        socialWorkerTookPart: z.boolean(),
        chairTookPart: z.boolean(),
        faceToFace: z.boolean(),
        notes: z.string().max(4000).nullish(),
      })
      .nullish()
      .describe('A child asking: when the child, their social worker and the chair considered it together'),
    adjustment: z.string().max(4000).nullish().describe('A reasonable adjustment agreed'),
    transcriptRequested: z.boolean().nullish().describe('A-8: a transcript is never given; the refusal is recorded'),
    reasons: z.string().max(4000).nullish(),
    advice: z.string().max(4000).nullish(),
  })
  .describe('A-3: the referral. Every problem is answered together (422, one `issues` entry per field)');

const referralFormSchema = z.object({
  version: z.number().int(),
  amending: z.boolean().describe('A referral has been made: changing it needs a reason (PUT)'),
  needsJointConsideration: z.boolean().describe('A child is asking: the joint consideration must be recorded'),
  children: z.array(
    named.extend({
      covered: z.boolean().describe('A-1: the requester may be given this child’s information'),
      withoutPr: z.boolean().describe('A-3: the requester holds no parental responsibility for this child'),
    }),
  ),
  parts: z.array(label).describe('The parts of a split conference'),
  recordings: z.array(
    label.extend({
      partId: z.uuid().nullable(),
      durationMs: z.number().int(),
      segments: z
        .array(
          z.object({
            id: z.uuid(),
            startMs: z.number().int(),
            endMs: z.number().int(),
            reasonLabel: z.string(),
            prefilled: z.boolean().describe('Withheld from this requester unless the chair decides otherwise'),
          }),
        )
        .describe('Parts marked on the timeline to withhold'),
    }),
  ),
  prefill: z.object({
    childIds: z.array(z.uuid()),
    withheldSegmentIds: z.array(z.uuid()),
    recordingIds: z.array(z.uuid()),
    partIds: z.array(z.uuid()),
  }),
});

const referralFormOut = (f: ReferralFormView) => ({
  version: f.request.version,
  amending: f.amending,
  needsJointConsideration: f.needsJointConsideration,
  children: f.conference.children.map((c) => ({ id: c.id, name: c.name, covered: c.covered, withoutPr: c.withoutPr })),
  parts: f.conference.parts.map((p) => ({ id: p.id, label: p.label })),
  recordings: f.recordings.map((r) => ({
    id: r.id,
    label: r.label,
    partId: r.partId,
    durationMs: r.durationMs,
    segments: r.segments.map((s) => ({
      id: s.id,
      startMs: s.startMs,
      endMs: s.endMs,
      reasonLabel: s.reasonLabel,
      prefilled: s.prefilled,
    })),
  })),
  prefill: {
    childIds: [...(f.prefill.childIds ?? [])],
    withheldSegmentIds: [...(f.prefill.withheldSegmentIds ?? [])],
    recordingIds: [...(f.prefill.recordingIds ?? [])],
    partIds: [...(f.prefill.partIds ?? [])],
  },
});

const checkedSchema = z.object({
  children: z.array(named),
  childrenWithoutPr: z.array(named),
  recordings: z.array(label),
  parts: z.array(label),
  nothingWithheld: z.boolean(),
  withheld: z.array(
    z.object({
      recordingLabel: z.string(),
      startMs: z.number().int(),
      endMs: z.number().int(),
      reasonLabel: z.string(),
      fromTimeline: z.boolean(),
    }),
  ),
});

const checkedOut = (v: ReferralView) => ({
  children: v.children.map((c) => ({ id: c.id, name: c.name })),
  childrenWithoutPr: v.childrenWithoutPr.map((c) => ({ id: c.id, name: c.name })),
  recordings: v.recordings.map((r) => ({ id: r.id, label: r.label })),
  parts: v.parts.map((p) => ({ id: p.id, label: p.label })),
  nothingWithheld: v.nothingWithheld,
  withheld: v.withheld.map((w) => ({
    recordingLabel: w.recordingLabel,
    startMs: w.startMs,
    endMs: w.endMs,
    reasonLabel: w.reasonLabel,
    fromTimeline: w.fromTimeline,
  })),
});

export async function requestReferralApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { requests } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;

  api.get(
    '/requests/:id/referral-form',
    {
      config: REFER,
      schema: {
        operationId: 'RequestService.referralForm',
        summary: 'What a referral may name, and what it starts with (A-3)',
        description:
          'The chair. The conference’s children, its stored recordings with the parts marked on their timelines (those withheld from this kind of requester are pre-selected), and its parts. Audited.',
        tags: TAGS,
        params: requestParams,
        response: { 200: referralFormSchema, ...readErrors },
      },
    },
    async (request) =>
      referralFormOut(await requests.referralForm(actorOf(request), request.params.id, requestContext(request))),
  );

  api.post(
    '/requests/:id/referral/check',
    {
      config: REFER,
      schema: {
        operationId: 'RequestService.checkReferral',
        summary: 'Check a referral without saving it (A-3)',
        description: 'Every problem at once (422, one `issues` entry per field); otherwise what it would withhold.',
        tags: TAGS,
        params: requestParams,
        body: z.object({ referral: referralSchema }),
        response: { 200: checkedSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRequestRules(reply, async () =>
        checkedOut(
          await requests.checkReferral(
            actorOf(request),
            request.params.id,
            request.body.referral,
            requestContext(request),
          ),
        ),
      ),
  );

  stepOperation(app, {
    url: '/requests/:id/referral',
    roles: REQUEST_STEP_ROLES.refer,
    operationId: 'RequestService.refer',
    summary: 'Refer the request to business support (A-3)',
    description:
      'The chair. The children covered, the confirmed email address, what is withheld and the recordings to copy. Business support, the social worker and the QA service manager are emailed.',
    body: z.object({ version, referral: referralSchema }),
    run: (actor, id, b, ctx) => requests.refer(actor, id, b.version, b.referral, ctx),
  });

  stepOperation(app, {
    url: '/requests/:id/referral',
    method: 'PUT',
    roles: REQUEST_STEP_ROLES['amend-referral'],
    operationId: 'RequestService.amendReferral',
    summary: 'Change the referral, with the reason (A-3)',
    description: 'The chair, before the copy is sent. The request goes back to business support to check.',
    body: z.object({
      version,
      referral: referralSchema,
      reason: z.string().max(2000).describe('Why the referral is changed'),
    }),
    run: (actor, id, b, ctx) => requests.amendReferral(actor, id, b.version, b.referral, b.reason, ctx),
  });
}
