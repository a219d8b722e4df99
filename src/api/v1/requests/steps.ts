/**
 * The steps of a request for a copy after the referral (A-4 … A-10) for integrations: each operation
 * calls the same RequestService use case as the request's page, with the `version` the caller last
 * read (a change since is refused, 409), the same roles (A-2: a role that may not take the step is
 * 403, audited) and the same audit entries, emails and case notes. Each answers the request's new
 * step and version.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NOTIFIED_PARTIES, REQUEST_STEP_ROLES } from '../../../domain/requests/index.ts';
import type { ApiOptions } from '../index.ts';
import { requestContext } from '../schemas.ts';
import {
  errors,
  requestParams,
  stepOperation,
  stepResultOut,
  stepResultSchema,
  TAGS,
  version,
  withRequestRules,
} from './schemas.ts';

const reason = (what: string) => z.string().max(2000).describe(what);

export async function requestStepsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { requests } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;

  stepOperation(app, {
    url: '/requests/:id/resolve-queries',
    roles: REQUEST_STEP_ROLES['resolve-queries'],
    operationId: 'RequestService.resolveQueries',
    summary: 'Record that queries with the chair are resolved (A-4)',
    body: z.object({ version, note: z.string().max(2000).nullish().describe('What was agreed, if anything') }),
    run: (actor, id, b, ctx) => requests.resolveQueries(actor, id, b.version, b.note ?? null, ctx),
  });

  stepOperation(app, {
    url: '/requests/:id/check-recording',
    roles: REQUEST_STEP_ROLES['check-recording'],
    operationId: 'RequestService.checkRecording',
    summary: 'Record that the recording was listened to and is the right one (A-4)',
    body: z.object({
      version,
      partsListened: z.string().max(2000).describe('Which parts were listened to'),
      confirmedRightRecording: z.boolean().describe('It is the recording of the conference the request is about'),
    }),
    run: (actor, id, b, ctx) =>
      requests.checkRecording(
        actor,
        id,
        b.version,
        { partsListened: b.partsListened, confirmedRightRecording: b.confirmedRightRecording },
        ctx,
      ),
  });

  stepOperation(app, {
    url: '/requests/:id/request-verification',
    roles: REQUEST_STEP_ROLES['request-verification'],
    operationId: 'RequestService.requestVerification',
    summary: 'Email the requester to confirm their details (A-5)',
    body: z.object({ version }),
    run: (actor, id, b, ctx) => requests.requestVerification(actor, id, b.version, ctx),
  });

  api.post(
    '/requests/:id/record-verification',
    {
      config: { access: REQUEST_STEP_ROLES['record-verification'] },
      schema: {
        operationId: 'RequestService.recordVerification',
        summary: 'Record the requester’s reply and compare it with the children’s records (A-5)',
        description:
          'The reply is compared, never stored or returned. `matched: false` moves the request to `verification-failed` and tells the chair; `staffMessages` say what did not match.',
        tags: TAGS,
        params: requestParams,
        body: z.object({
          version,
          emailConfirmedSecure: z.boolean().describe('The requester confirmed their email address is secure'),
          children: z
            .array(z.object({ fullName: z.string().max(200), dateOfBirth: z.string().max(20).describe('YYYY-MM-DD') }))
            .max(20)
            .describe('Each child as the requester described them'),
        }),
        response: {
          200: stepResultSchema.extend({ matched: z.boolean(), staffMessages: z.array(z.string()) }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRequestRules(reply, async () => {
        const { version: v, emailConfirmedSecure, children } = request.body;
        const r = await requests.recordVerification(
          actorOf(request),
          request.params.id,
          v,
          { emailConfirmedSecure, children },
          requestContext(request),
        );
        return { ...stepResultOut(r), matched: r.matched, staffMessages: [...r.staffMessages] };
      }),
  );

  stepOperation(app, {
    url: '/requests/:id/resume-verification',
    roles: REQUEST_STEP_ROLES['resume-verification'],
    operationId: 'RequestService.resumeVerification',
    summary: 'Let business support ask the requester again, after their details did not match (A-5)',
    body: z.object({ version, note: reason('What the chair found, and why asking again is right') }),
    run: (actor, id, b, ctx) => requests.resumeVerification(actor, id, b.version, b.note, ctx),
  });

  stepOperation(app, {
    url: '/requests/:id/prepare-copy',
    roles: REQUEST_STEP_ROLES['prepare-copy'],
    operationId: 'RequestService.prepareCopy',
    summary: 'Record the copy as prepared (R-3)',
    description:
      'Business support, once the copy started with POST /requests/{id}/copies is `ready`. A second person must then approve it.',
    body: z.object({ version, copyId: z.uuid().describe('The ready copy made for this request') }),
    run: (actor, id, b, ctx) => requests.prepareCopy(actor, id, b.version, b.copyId, ctx),
  });

  stepOperation(app, {
    url: '/requests/:id/approve-copy',
    roles: REQUEST_STEP_ROLES['approve-copy'],
    operationId: 'RequestService.approveCopy',
    summary: 'Approve the prepared copy (A-4: someone other than the person who prepared it)',
    body: z.object({ version }),
    run: (actor, id, b, ctx) => requests.approveCopy(actor, id, b.version, ctx),
  });

  stepOperation(app, {
    url: '/requests/:id/reject-copy',
    roles: REQUEST_STEP_ROLES['reject-copy'],
    operationId: 'RequestService.rejectCopy',
    summary: 'Send the prepared copy back to be prepared again, with the reason',
    body: z.object({ version, reason: reason('What is wrong with the copy') }),
    run: (actor, id, b, ctx) => requests.rejectCopy(actor, id, b.version, b.reason, ctx),
  });

  stepOperation(app, {
    url: '/requests/:id/record-notifications',
    roles: REQUEST_STEP_ROLES['record-notifications'],
    operationId: 'RequestService.recordNotifications',
    summary: 'Record that everyone was told and the case notes written (A-7)',
    description:
      'Those the service emailed when the copy was sent count already; name anyone told another way in `toldOtherwise`.',
    body: z.object({ version, toldOtherwise: z.array(z.enum(NOTIFIED_PARTIES)).max(3).optional() }),
    run: (actor, id, b, ctx) => requests.recordNotifications(actor, id, b.version, ctx, b.toldOtherwise ?? []),
  });

  stepOperation(app, {
    url: '/requests/:id/close',
    roles: REQUEST_STEP_ROLES.close,
    operationId: 'RequestService.close',
    summary: 'Close the request once the copy is sent and everyone told',
    body: z.object({ version }),
    run: (actor, id, b, ctx) => requests.close(actor, id, b.version, ctx),
  });

  stepOperation(app, {
    url: '/requests/:id/refuse',
    roles: REQUEST_STEP_ROLES.refuse,
    operationId: 'RequestService.refuse',
    summary: 'Refuse the request, with the reason',
    body: z.object({ version, reason: reason('Why the request is refused') }),
    run: (actor, id, b, ctx) => requests.refuse(actor, id, b.version, b.reason, ctx),
  });

  stepOperation(app, {
    url: '/requests/:id/withdraw',
    roles: REQUEST_STEP_ROLES.withdraw,
    operationId: 'RequestService.withdraw',
    summary: 'Record that the requester withdrew the request, with the reason',
    body: z.object({ version, reason: reason('What the requester said') }),
    run: (actor, id, b, ctx) => requests.withdraw(actor, id, b.version, b.reason, ctx),
  });

  stepOperation(app, {
    url: '/requests/:id/extend',
    roles: REQUEST_STEP_ROLES.extend,
    operationId: 'RequestService.extend',
    summary: 'Extend the time limit to three months, once (A-9)',
    description: 'The requester must have been told within the first month.',
    body: z.object({
      version,
      reason: reason('Why more time is needed'),
      toldOn: z.string().max(20).describe('YYYY-MM-DD: the day the requester was told'),
    }),
    run: (actor, id, b, ctx) => requests.extend(actor, id, b.version, { reason: b.reason, toldOn: b.toldOn }, ctx),
  });
}
