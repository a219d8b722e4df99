/**
 * Where an API client sends the bytes of an upload, by the tus resumable upload protocol (tus.io,
 * 1.0.0), with its bearer token: the same tus server, checks and SHA-256 verification as the pages'
 * endpoint, under this API (so no CSRF token and no cookie).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiOptions } from '../index.ts';
import { errorResponse, requestContext } from '../schemas.ts';
import { MANAGE, TAGS } from './schemas.ts';

export const TUS_ENDPOINT = '/api/v1/uploads/recordings';
/** The tus routes, relative to this plugin's /api/v1 prefix. */
const TUS_ROUTE = '/uploads/recordings';

export async function tusApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const { recordings } = services;
  await services.uploads.prepare();
  const tus = services.uploads.tus({
    maxBytes: services.config.recordingMaxBytes,
    recordings,
    logger: app.log,
    path: TUS_ENDPOINT,
    contextOf: requestContext,
  });
  const tusHandler = async (request: FastifyRequest, reply: FastifyReply) => tus.handle(request, reply);
  const tusText = (what: string) => z.string().describe(`${what} (text/plain: one sentence saying what went wrong)`);
  const noBody = (what: string) => z.null().describe(what);
  const uploadParams = z.object({
    uploadId: z.string().describe('The upload’s id: the last part of the `Location` answered when it was created'),
  });
  const tusRefusals = {
    401: errorResponse,
    403: z
      .union([errorResponse, z.string()])
      .describe(
        'The token’s roles do not allow uploads (JSON), or no access to the recording, which needs every child in its conference (text/plain)',
      ),
    404: tusText('No such recording or upload'),
    410: tusText('The recording no longer takes a file: it was sent already, or cancelled'),
  };
  const tusRoute = (
    method: 'POST' | 'PATCH' | 'HEAD' | 'DELETE',
    url: string,
    summary: string,
    description: string,
    response: Record<number, z.ZodType>,
  ) =>
    app.route({
      method,
      url,
      config: MANAGE,
      schema: {
        // The tus protocol's own operations (the server in src/infra calls RecordingService for each).
        operationId: `tus.${method.toLowerCase()}`,
        summary,
        description,
        tags: TAGS,
        ...(url.includes(':') ? { params: uploadParams } : {}),
        response,
      },
      handler: tusHandler,
    });

  tusRoute(
    'POST',
    TUS_ROUTE,
    'Create a resumable (tus) upload for a recording',
    [
      'tus 1.0.0 creation, with `Tus-Resumable: 1.0.0`, `Upload-Length` (the file’s size in bytes; required, at most the configured limit) and `Upload-Metadata` naming the recording as `recordingId` (base64, as tus requires) and, when you can compute it, the file’s SHA-256 as `sha256`. The recording comes from `POST /conferences/{id}/recordings`.',
      'Answers 201 with `Location: /api/v1/uploads/recordings/{uploadId}`. A file name or anything else in the metadata is dropped. A `sha256` different from one already given is refused (422) before any byte is sent; the server always hashes what arrives and rejects a file whose SHA-256 differs.',
    ].join('\n\n'),
    {
      201: noBody('Created: send the bytes with PATCH to the `Location` header'),
      400: tusText('No `recordingId` in `Upload-Metadata`, no `Upload-Length`, or an empty file'),
      413: tusText('`Upload-Length` is over the limit'),
      422: tusText('The `sha256` differs from the one given for this recording'),
      ...tusRefusals,
    },
  );
  tusRoute(
    'PATCH',
    `${TUS_ROUTE}/:uploadId`,
    'Send bytes of a resumable upload',
    [
      'tus 1.0.0: `Content-Type: application/offset+octet-stream`, `Upload-Offset` (how many bytes the server has, from `HEAD`) and the next bytes as the body. Answers 204 with the new `Upload-Offset`. If the connection drops, ask `HEAD` for the offset and send the rest from there: bytes that arrived are kept, also across a restart of the service.',
      'When the last byte arrives the file is handed to ingest (checked by content, hashed, encrypted and stored); poll `GET /recordings/{id}` for `stored` or `rejected` with its reason.',
    ].join('\n\n'),
    {
      204: noBody('The bytes were written; `Upload-Offset` says how many the server has'),
      409: tusText('`Upload-Offset` is not the number of bytes the server has: ask `HEAD`'),
      415: tusText('Not `application/offset+octet-stream`'),
      422: tusText('The finished file could not be accepted'),
      ...tusRefusals,
    },
  );
  tusRoute(
    'HEAD',
    `${TUS_ROUTE}/:uploadId`,
    'How many bytes of a resumable upload have arrived',
    'tus 1.0.0: answers 200 with `Upload-Offset` (bytes the server has) and `Upload-Length`, to resume after an interruption.',
    { 200: noBody('`Upload-Offset` and `Upload-Length` headers'), ...tusRefusals },
  );
  tusRoute(
    'DELETE',
    `${TUS_ROUTE}/:uploadId`,
    'Abandon a resumable upload',
    'tus 1.0.0 termination: the bytes sent so far are deleted. The recording still waits for a file: start another upload, or cancel the recording.',
    { 204: noBody('The upload’s bytes were deleted'), ...tusRefusals },
  );
}
