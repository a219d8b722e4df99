/** Evidence that a recording is complete and unedited, and fixity checks run on demand. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiOptions } from '../index.ts';
import { requestContext } from '../schemas.ts';
import {
  errors,
  evidenceSchema,
  fixityRunSchema,
  MANAGE,
  params,
  readErrors,
  TAGS,
  VIEW,
  withRecordingRules,
} from './schemas.ts';
import { derivativeOut, eventOut, fixityOut, recordingOut } from './out.ts';

export async function evidenceApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { recordings } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;

  api.get(
    '/recordings/:id/evidence',
    {
      config: VIEW,
      schema: {
        operationId: 'RecordingService.evidence',
        summary: 'Evidence that the recording is complete and unedited (R-3)',
        description:
          'The hashes of the original and every derived copy, every fixity check, and every audit-trail entry about the recording. Audited.',
        tags: TAGS,
        params,
        response: { 200: evidenceSchema, ...readErrors },
      },
    },
    async (request) => {
      const e = await recordings.evidence(actorOf(request), requestContext(request), request.params.id);
      return {
        recording: recordingOut(e.recording),
        derivatives: e.derivatives.map(derivativeOut),
        fixity: e.fixity.map(fixityOut),
        events: e.events.map(eventOut),
      };
    },
  );

  api.post(
    '/recordings/:id/fixity-checks',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.checkFixityNow',
        summary: 'Check now that the stored original and its copies are unchanged (R-3)',
        description:
          'Chair or business support. Decrypts every stored file (each chunk authenticated) and compares its SHA-256 with the one recorded when it was stored. A failed check is still a 200 with `result` `mismatch`, `missing` or `unreadable`; it is recorded and raises an alert. A recording not stored yet is 409.',
        tags: TAGS,
        params,
        response: { 200: fixityRunSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => {
        const r = await recordings.checkFixityNow(actorOf(request), requestContext(request), request.params.id);
        return { result: r.result, checks: r.events.map(fixityOut) };
      }),
  );
}
