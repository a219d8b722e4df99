/**
 * Recordings needing someone to act, for business support's own tools: audio acknowledged but missing before
 * it was stored (upload it again against the same recording), and live recordings with audio still not stopped a week
 * after they began (stop it, or discard it with a reason). The same use cases, access checks and audit as the page.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RECORDING_SOURCES } from '../../../domain/recordings/recording.ts';
import type { ApiOptions } from '../index.ts';
import { requestContext, withRules } from '../schemas.ts';
import { errors, MANAGE, params, readErrors, STATE_CODES, TAGS, withRecordingRules } from './schemas.ts';

/** A repair asked for when none is possible or needed: 409 with the reason's code. */
const REPAIR_CODES = new Set([...STATE_CODES, 'NOT_DAMAGED', 'ORIGINAL_DAMAGED', 'REPAIR_STARTED']);

const item = z.object({
  id: z.uuid().describe('The recording’s id'),
  conferenceId: z.uuid(),
  name: z.string().describe('What tells it apart from the conference’s other recordings'),
  source: z.enum(RECORDING_SOURCES),
  receivedBytes: z.number().int().nonnegative().describe('Bytes of audio received before it stopped'),
  since: z.iso.datetime().describe('When the audio was found missing, or when the live recording began'),
});

const discardBody = z.object({
  reason: z.string().max(2_000).describe('Why the live recording is discarded (at most 500 characters); audited'),
});

export async function attentionApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { recordings } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;

  api.get(
    '/recordings/attention',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.needingAttention',
        summary: 'Recordings that need someone to act',
        description:
          'Chair or business support. `audioMissing`: the audio was acknowledged but was missing when it was to be stored; upload it again against the same recording. `liveUnfinished`: live recordings with audio still not stopped a week after they began; stop or discard them. Only recordings of conferences whose every child the caller may see; audited.',
        tags: TAGS,
        response: { 200: z.object({ audioMissing: z.array(item), liveUnfinished: z.array(item) }), ...readErrors },
      },
    },
    async (request) => {
      const list = await recordings.needingAttention(actorOf(request), requestContext(request));
      const out = (r: (typeof list.audioMissing)[number]) => ({
        id: r.id,
        conferenceId: r.conferenceId,
        name: r.name,
        source: r.source,
        receivedBytes: r.receivedBytes,
        since: r.since.toISOString(),
      });
      return { audioMissing: list.audioMissing.map(out), liveUnfinished: list.liveUnfinished.map(out) };
    },
  );

  api.post(
    '/recordings/:id/discard',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.discardLive',
        summary: 'Discard a live recording never stopped',
        description:
          'Chair or business support, with the reason (audited). Only a live recording still receiving can be discarded; anything else is 409. A missing reason is 422.',
        tags: TAGS,
        params,
        body: discardBody,
        response: { 200: z.object({ discarded: z.literal(true) }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => {
        await recordings.discardLive(actorOf(request), requestContext(request), request.params.id, request.body.reason);
        return { discarded: true as const };
      }),
  );

  api.post(
    '/recordings/:id/playback-repair',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.requestPlaybackRepair',
        summary: 'Ask for a damaged listening copy to be made again from the original (R-3)',
        description:
          'Chair or business support; audited. Queues a new copy for listening, made from the original once the original passes its own integrity check. 409 `not_damaged` when the copy is sound, `original_damaged` when the original failed its check too (nothing can be made; the council’s IT team has been alerted), `repair_started` when a repair is already under way.',
        tags: TAGS,
        params,
        response: { 202: z.object({ queued: z.literal(true) }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          await recordings.requestPlaybackRepair(actorOf(request), requestContext(request), request.params.id);
          return reply.code(202).send({ queued: true as const });
        },
        REPAIR_CODES,
      ),
  );
}
