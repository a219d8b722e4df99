/** The chunks a live recording's script sends while recording: in order, each acknowledged once on disk. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_CHUNK_BYTES } from '../../../../domain/recordings/recording.ts';
import { requestContext } from '../../../forms/index.ts';
import { MANAGER_ROLES, recordingParams, type RecordingPagesOptions } from '../common.ts';
import { assertRoomFor } from '../../../../app/recordings/disk-space.ts';
import { jsonErrorHandler } from './json-problems.ts';

const SEQ = /^\d{1,9}$/;
const SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Chunks arrive every LIVE_CHUNK_MS (5 s) while recording; after the connection comes back the
 * browser sends what it held back as fast as the server answers. This allows a backlog of 20 minutes
 * of audio to be caught up in about a minute, while stopping a runaway client.
 */
const CHUNK_RATE = { max: 240, timeWindow: '1 minute' };

export function chunkRoutes(
  app: FastifyInstance,
  { recordings, uploads }: Pick<RecordingPagesOptions, 'recordings' | 'uploads'>,
) {
  app.post(
    '/recordings/:rid/chunks/:seq',
    {
      config: {
        access: MANAGER_ROLES,
        rateLimit: { ...CHUNK_RATE, keyGenerator: (request: FastifyRequest) => request.actor?.id ?? request.ip },
      },
      bodyLimit: MAX_CHUNK_BYTES,
      errorHandler: jsonErrorHandler(true),
    },
    async (request, reply) => {
      const { rid } = recordingParams.parse({ rid: (request.params as { rid?: string }).rid });
      const seqText = (request.params as { seq?: string }).seq ?? '';
      if (!SEQ.test(seqText))
        return reply.code(400).send({ code: 'BAD_CHUNK', message: 'The chunk number is not valid' });
      if (!Buffer.isBuffer(request.body))
        return reply
          .code(415)
          .send({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the chunk as application/octet-stream' });
      const header = request.headers['x-chunk-sha256'];
      const sha256 = typeof header === 'string' && header ? header : null;
      if (sha256 !== null && !SHA256.test(sha256))
        return reply.code(400).send({ code: 'BAD_CHUNK', message: 'x-chunk-sha256 must be 64 hexadecimal characters' });
      // The chunk must fit and leave the reserve free (DISK_RESERVE_MB); else 507 with the reason.
      await assertRoomFor(uploads.disk, request.body.byteLength);
      const result = await recordings.appendChunk(request.actor!, requestContext(request), rid, {
        seq: Number(seqText),
        bytes: request.body,
        sha256,
      });
      return reply.send(result);
    },
  );
}
