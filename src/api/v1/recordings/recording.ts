/** A recording: its facts, hashes, statement, breaks, bookmarks, withheld parts and fixity; its label. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiOptions } from '../index.ts';
import { requestContext } from '../schemas.ts';
import { z } from 'zod';
import { RECORDING_LABEL_MAX } from '../../../domain/recordings/naming.ts';
import { detailSchema, errors, MANAGE, params, readErrors, TAGS, VIEW, withRecordingRules } from './schemas.ts';
import { labelBody } from './bodies.ts';
import { bookmarkOut, breakOut, fixityOut, playbackOut, recordingOut, statementOut, withheldOut } from './out.ts';
import type { CONFERENCE_STATUSES } from '../../../domain/conferences/lifecycle.ts';

export async function recordingApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { recordings } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;

  api.get(
    '/recordings/:id',
    {
      config: VIEW,
      schema: {
        operationId: 'RecordingService.detail',
        summary: 'A recording: facts, hashes, explanatory statement, breaks, bookmarks, withheld parts, fixity',
        description:
          'Only for someone who may see every child in its conference; audited. The audio itself is played on the recording’s page, after giving a reason.',
        tags: TAGS,
        params,
        response: { 200: detailSchema, ...readErrors },
      },
    },
    async (request) => {
      const d = await recordings.detail(actorOf(request), requestContext(request), request.params.id);
      const r = d.recording;
      return {
        recording: {
          ...recordingOut(r),
          partLabel: d.partLabel,
          liveState: d.liveState,
          statementConfirmed: d.statements.length > 0,
        },
        conference: {
          id: d.conference.id,
          title: d.conference.title,
          status: d.conference.status as (typeof CONFERENCE_STATUSES)[number],
          scheduledDate: d.conference.scheduledDate,
          childNames: d.conference.childNames,
        },
        breaks: d.breaks.map(breakOut),
        playback: d.playback ? playbackOut(d.playback) : null,
        statement: d.statements.length ? statementOut(d.statements.at(-1)!) : null,
        statementHistory: d.statements.map(statementOut),
        bookmarks: d.bookmarks.map(bookmarkOut),
        withheld: d.withheld.map(withheldOut),
        fixity: d.fixity.map(fixityOut),
        people: d.people,
        can: d.can,
      };
    },
  );

  api.put(
    '/recordings/:id/label',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.setLabel',
        summary: 'Label the recording',
        description: `Chair or business support. A short label (at most ${RECORDING_LABEL_MAX} characters) added to the recording’s name so a referral can tell it apart; blank or null takes it away. It describes the recording and is not part of the original (R-3); each change is audited. A recording that was not stored cannot be labelled (409).`,
        tags: TAGS,
        params,
        body: labelBody,
        response: { 200: z.object({ label: z.string().nullable().describe('The label as saved') }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => ({
        label: await recordings.setLabel(
          actorOf(request),
          requestContext(request),
          request.params.id,
          request.body.label ?? null,
        ),
      })),
  );
}
