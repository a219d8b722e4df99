/**
 * The family's recording on the day of a conference, for integrations (P-4, P-5, P-6, P-7): the same use cases,
 * access rules and audit trail as the pages. Everyone present is asked, before any discussion and again when someone
 * joins or a new request is made, and each answer is kept with the reason for a refusal or the further authorisation
 * needed; a copy of the family's recording handed over is stored encrypted with the conference, marked as theirs and
 * never the official record. Responses are allow-lists: only the fields named here leave.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type {
  FamilyCopyView,
  FamilyRequestView,
  RecordingConsentUseCases,
  RoundView,
} from '../../app/recording-consent/service.ts';
import { CHILD_RECORD_ROLES } from '../../domain/access/child-access.ts';
import {
  CONSENT_ANSWERS,
  CONSENT_OCCASIONS,
  FAMILY_COPY_FORMATS,
  MAX_FAMILY_COPY_BYTES,
} from '../../domain/recording-consent/consent.ts';
import { REQUEST_STATUSES } from '../../domain/recording-permission/requests.ts';
import { idSchema } from '../../domain/shared/ids.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';

const TAGS = ['recording-consent'];
const REGISTER = { access: ['chair', 'business_support'] as const };
const READ = { access: CHILD_RECORD_ROLES };
const CONFLICTS = new Set(['REGISTER_CLOSED']);
const conferenceParams = z.object({ id: idSchema.describe('The conference’s id') });
const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };
const clock = z.string().regex(/^\d{2}:\d{2}$/);
const requestKey = z
  .string()
  .max(100)
  .describe('Whose request: `permission:<id>` for one made beforehand, `meeting:<id>` for one made in the meeting');

const roundSchema = z.object({
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

const requestSchema = z.object({
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

const copySchema = z.object({
  id: z.uuid(),
  requestKey: z.string(),
  requesterName: z.string(),
  handedOverOn: z.string(),
  handedOverBy: z.string(),
  format: z.enum(FAMILY_COPY_FORMATS),
  size: z.number().int(),
  uploadedBy: z.string(),
});

function roundOut(r: RoundView): z.infer<typeof roundSchema> {
  return {
    id: r.id,
    requestKey: r.requestKey,
    occasion: r.occasion.value as z.infer<typeof roundSchema>['occasion'],
    askedAt: r.askedAt,
    recordedBy: r.recordedBy,
    consents: r.consents.map((c) => ({
      inviteeId: c.inviteeId,
      name: c.name,
      answer: c.answer.value,
      reason: c.reason,
      furtherAuthorisation: c.furtherAuthorisation,
    })),
    outcome: r.outcome.value,
  };
}

function requestOut(r: FamilyRequestView): z.infer<typeof requestSchema> {
  return {
    key: r.key,
    requesterName: r.requesterName,
    madeDuringMeeting: r.madeDuringMeeting,
    askedText: r.askedText,
    purpose: r.purpose,
    status: r.status?.value ?? null,
    onTheDay: r.onTheDay,
    limitsAccepted: r.limitsAccepted,
    rounds: r.rounds.map(roundOut),
    outcome: r.outcome?.value ?? null,
  };
}

function copyOut(c: FamilyCopyView): z.infer<typeof copySchema> {
  return {
    id: c.id,
    requestKey: c.requestKey,
    requesterName: c.requesterName,
    handedOverOn: c.handedOverOn,
    handedOverBy: c.handedOverBy,
    format: c.format,
    size: c.size,
    uploadedBy: c.uploadedBy,
  };
}

export function recordingConsentRoutes(app: FastifyInstance, consent: RecordingConsentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/recording-consent',
    {
      config: READ,
      schema: {
        operationId: 'RecordingConsentService.onTheDay',
        summary: 'The family’s recording at a conference (P-4 to P-7)',
        description:
          'Every request to record (made beforehand, or during the meeting), each round of asking everyone present with every answer and its outcome, what the chair must do before going on (`prompts`), who is present, the limits on the recording and the copies of the family’s recording stored. Audited.',
        tags: TAGS,
        params: conferenceParams,
        response: {
          200: z.object({
            requests: z.array(requestSchema),
            prompts: z.array(
              z.object({
                kind: z.enum(['before-discussion', 'new-request', 'joined']),
                requestKey: z.string(),
                text: z.string(),
              }),
            ),
            present: z.array(z.object({ inviteeId: z.uuid(), name: z.string(), joined: z.boolean() })),
            limits: z.array(z.string()),
            copies: z.array(copySchema),
          }),
          ...readErrors,
        },
      },
    },
    async (request) => {
      const v = await consent.onTheDay(request.actor!, request.params.id, requestContext(request));
      return {
        requests: v.requests.map(requestOut),
        prompts: v.prompts.map((p) => ({ kind: p.kind, requestKey: p.requestKey, text: p.text })),
        present: v.present,
        limits: [...v.limits],
        copies: v.copies.map(copyOut),
      };
    },
  );

  api.post(
    '/conferences/:id/recording-consent/rounds',
    {
      config: REGISTER,
      schema: {
        operationId: 'RecordingConsentService.askConsent',
        summary: 'Record everyone’s answers about the family’s recording (P-4, P-5)',
        description:
          'The chair or business support, while the conference is planned or in progress (409 after): whose request, why consent is asked now (`start`, `joined`, `new-request`), the time, and an answer for everyone present on the register: `agrees`, or `refuses` with the reason or the further authorisation needed (at least one). The meeting is never held up by it. Every problem is answered at once (422).',
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          request: requestKey,
          occasion: z.string().max(40),
          askedAt: z.string().max(20),
          answers: z
            .array(
              z.object({
                inviteeId: idSchema,
                answer: z.string().max(20),
                reason: z.string().max(2_000).default(''),
                furtherAuthorisation: z.string().max(2_000).default(''),
              }),
            )
            .max(200),
        }),
        response: { 201: roundSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          const round = await consent.askConsent(
            request.actor!,
            request.params.id,
            request.body,
            requestContext(request),
          );
          return reply.code(201).send(roundOut(round));
        },
        CONFLICTS,
      ),
  );

  api.post(
    '/conferences/:id/recording-consent/requests',
    {
      config: REGISTER,
      schema: {
        operationId: 'RecordingConsentService.recordMeetingRequest',
        summary: 'Record a request to record made during the meeting (P-1, P-5, P-7)',
        description:
          'Someone present who may ask (the child, or a parent with parental responsibility; anyone else is refused with the reason), the time they asked, why, and that they accepted the limits on the recording. The chair is then prompted to stop and ask everyone. 409 once the conference is no longer in progress; 422 for every problem at once.',
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          requesterInviteeId: idSchema,
          askedAt: z.string().max(20),
          purpose: z.string().max(2_000),
          limitsAccepted: z.boolean(),
        }),
        response: { 201: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          const made = await consent.recordMeetingRequest(
            request.actor!,
            request.params.id,
            request.body,
            requestContext(request),
          );
          return reply.code(201).send(requestOut(made));
        },
        CONFLICTS,
      ),
  );

  // The recording is the body, read into memory up to the limit: its type is decided from its content.
  void app.register(async (upload) => {
    upload.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    upload.withTypeProvider<ZodTypeProvider>().post(
      '/conferences/:id/recording-consent/copies',
      {
        config: REGISTER,
        bodyLimit: MAX_FAMILY_COPY_BYTES,
        schema: {
          operationId: 'RecordingConsentService.storeCopy',
          summary: 'Store a copy of the family’s recording handed over (P-7)',
          description:
            'The recording as the body (`Content-Type: application/octet-stream`, at most 200 MB, 413 otherwise): MP3, M4A, WAV, OGG, WebM or AMR, decided from its content. Stored encrypted like every recording, marked as the family’s and never the official record; never offered through requests for copies of recordings. Every problem is answered at once (422). Audited.',
          tags: TAGS,
          params: conferenceParams,
          querystring: z.object({
            request: requestKey,
            handedOverOn: z.string().max(10).describe('The date it was handed over, YYYY-MM-DD'),
            handedOverBy: z.string().max(200).describe('Who handed it over'),
          }),
          consumes: ['application/octet-stream'],
          response: { 201: copySchema, ...errors, 413: errorResponse },
        },
      },
      async (request, reply) =>
        withRules(reply, async () => {
          const content = Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : null;
          const saved = await consent.storeCopy(
            request.actor!,
            request.params.id,
            { ...request.query, content },
            requestContext(request),
          );
          return reply.code(201).send(copyOut(saved));
        }),
    );
  });

  api.get(
    '/conferences/:id/recording-consent/copies/:copyId',
    {
      config: READ,
      schema: {
        operationId: 'RecordingConsentService.openCopy',
        summary: 'Download a copy of the family’s recording (P-7)',
        description:
          'Decrypted for someone who may see the conference and open the family’s recording (chairs, business support, team managers, quality assurance, social workers); the file name says it is not the official record. Every download is audited.',
        tags: TAGS,
        params: conferenceParams.extend({ copyId: idSchema.describe('The copy’s id') }),
        response: {
          200: {
            description: 'The family’s recording',
            content: Object.fromEntries(
              ['audio/mpeg', 'audio/mp4', 'audio/wav', 'audio/ogg', 'audio/webm', 'audio/amr'].map((t) => [
                t,
                { schema: z.string().meta({ format: 'binary', description: 'The recording as handed over' }) },
              ]),
            ),
          },
          ...readErrors,
        },
      },
    },
    async (request, reply) => {
      const file = await consent.openCopy(
        request.actor!,
        request.params.id,
        request.params.copyId,
        requestContext(request),
      );
      reply.header('Content-Type', file.mediaType);
      reply.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
      reply.header('Content-Length', String(file.size));
      reply.header('Cache-Control', 'no-store');
      const raw: FastifyReply = reply;
      return raw.send(file.stream);
    },
  );
}

export async function recordingConsentApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  recordingConsentRoutes(app, services.recordingConsent);
}
