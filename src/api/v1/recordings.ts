/**
 * The audio record for integrations (R-1 … R-6): a conference's recordings, uploads of files made
 * elsewhere, each recording's facts, hashes, explanatory statement, breaks, bookmarks and
 * withheld parts, its evidence, and fixity checks that prove the original is unchanged. The same
 * use cases, access rules (every child in the conference) and audit trail as the pages.
 *
 * Responses are allow-lists: blob keys (where the encrypted files are kept) never leave the server;
 * hashes do, so anyone holding a copy can prove it is the original.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiOptions } from './index.ts';
import { requestContext } from './schemas.ts';
import {
  childParams,
  conferenceParams,
  errors,
  MANAGE,
  params,
  readErrors,
  recordingSchema,
  summarySchema,
  TAGS,
  VIEW,
  withRecordingRules,
} from './recordings/schemas.ts';
import { createBody } from './recordings/bodies.ts';
import { recordingOut, summaryOut } from './recordings/out.ts';
import { attentionApi } from './recordings/attention.ts';
import { evidenceApi } from './recordings/evidence.ts';
import { exportApi } from './recordings/export.ts';
import { marksApi } from './recordings/marks.ts';
import { recordingApi } from './recordings/recording.ts';
import { statementApi } from './recordings/statement.ts';
import { TUS_ENDPOINT, tusApi } from './recordings/tus.ts';

export { TUS_ENDPOINT };

export async function recordingsApi(app: FastifyInstance, opts: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { recordings } = opts.services;
  const actorOf = (request: FastifyRequest) => request.actor!;

  api.get(
    '/conferences/:id/recordings',
    {
      config: VIEW,
      schema: {
        operationId: 'RecordingService.listForConference',
        summary: 'A conference’s recordings',
        description:
          'Every recording of the conference, its parts and the chair’s dictation (R-6), in any state. Only for someone who may see every child in the conference; audited.',
        tags: TAGS,
        params: conferenceParams,
        response: { 200: z.object({ recordings: z.array(summarySchema) }), ...readErrors },
      },
    },
    async (request) => ({
      recordings: (
        await recordings.listForConference(actorOf(request), requestContext(request), request.params.id)
      ).map(summaryOut),
    }),
  );

  api.get(
    '/children/:id/recordings',
    {
      config: VIEW,
      schema: {
        operationId: 'RecordingService.listForChild',
        summary: 'The recordings kept on a child’s record (R-4)',
        description:
          'Every recording of the child’s conferences that was not rejected, by the name that tells it apart (a part, the chair’s dictation), as the child’s record shows them. Only conferences whose every child the caller may see are included; audited as `recording.list`.',
        tags: TAGS,
        params: childParams,
        response: {
          200: z.object({
            recordings: z.array(
              z.object({
                id: z.uuid(),
                conferenceId: z.uuid(),
                name: z.string().describe('As the child’s record shows it, e.g. “Part 2” or “Chair’s dictation”'),
                status: recordingSchema.shape.status,
                durationMs: z.number().int().nullable(),
              }),
            ),
          }),
          ...readErrors,
        },
      },
    },
    async (request) => ({
      recordings: (await recordings.listForChild(actorOf(request), requestContext(request), request.params.id)).map(
        (r) => ({ id: r.id, conferenceId: r.conferenceId, name: r.name, status: r.status, durationMs: r.durationMs }),
      ),
    }),
  );

  api.post(
    '/conferences/:id/recordings',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.createUpload',
        summary: 'Start an upload of a recording made elsewhere (R-5)',
        description: [
          'Chair or business support. Creates the recording in `receiving`; then send the file’s bytes with the tus resumable upload protocol (tus.io, version 1.0.0) to `upload.endpoint` (`POST /api/v1/uploads/recordings`, then `PATCH` and `HEAD` at the `Location` it answers), with the same bearer token, naming this recording in the `Upload-Metadata` header as `recordingId` (and, if you can, the file’s SHA-256 as `sha256`).',
          'The file is checked by its content (decodable audio, or video with an audio track), hashed, compared with `sha256` when given, encrypted and stored; only then is the recording `stored`. Poll `GET /recordings/{id}` for the outcome.',
        ].join('\n\n'),
        tags: TAGS,
        params: conferenceParams,
        body: createBody,
        response: {
          201: z.object({
            recording: recordingSchema,
            upload: z.object({
              protocol: z.literal('tus').describe('tus.io resumable uploads, version 1.0.0'),
              endpoint: z
                .literal(TUS_ENDPOINT)
                .describe('Path (on this service) to create the tus upload at, with your bearer token'),
              metadata: z.object({ recordingId: z.uuid() }).describe('What to send in `Upload-Metadata`'),
            }),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => {
        const b = request.body;
        const r = await recordings.createUpload(actorOf(request), requestContext(request), request.params.id, {
          kind: b.kind,
          source: b.source,
          partId: b.partId ?? null,
          clientSha256: b.sha256 ?? null,
        });
        return reply.code(201).send({
          recording: recordingOut(r),
          upload: { protocol: 'tus' as const, endpoint: TUS_ENDPOINT, metadata: { recordingId: r.id } },
        });
      }),
  );

  api.post(
    '/recordings/:id/cancellation',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.cancelUpload',
        summary: 'Cancel an upload that never finished',
        description:
          'Chair or business support. A recording still `receiving` becomes `rejected` (“Cancelled before any audio was stored”) and whatever arrived of its file is removed; audited. A recording no longer receiving (stored, rejected, or cancelled already) is 409.',
        tags: TAGS,
        params,
        response: { 200: z.object({ cancelled: z.literal(true) }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => {
        await recordings.cancelUpload(actorOf(request), requestContext(request), request.params.id);
        return { cancelled: true as const };
      }),
  );

  // tus PATCH bodies are read by the tus server itself, straight from the request (the recordings API only).
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
  await app.register(recordingApi, opts);
  await app.register(statementApi, opts);
  await app.register(marksApi, opts);
  await app.register(evidenceApi, opts);
  await app.register(exportApi, opts);
  await app.register(tusApi, opts);
  await app.register(attentionApi, opts);
}
