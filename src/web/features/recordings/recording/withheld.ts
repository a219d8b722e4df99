/** Parts of a recording withheld from named people or the whole family, marked and removed. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  bodyOf,
  idSchema,
  requestContext,
  text,
  ticked,
  type FormError,
  type FormValues,
} from '../../../forms/index.ts';
import {
  backToRecording,
  MANAGE,
  READ,
  recordingPage,
  recordingParams,
  ruleErrors,
  type RecordingPagesOptions,
} from '../common.ts';
import { recordingBase, WITHHOLDING_REASON_ITEMS } from '../recording-view.ts';

const withheldParams = z.object({ rid: idSchema, sid: idSchema });

function readWithheldForm(body: Record<string, unknown>) {
  return {
    start: text(body, 'start'),
    end: text(body, 'end'),
    reason: text(body, 'reason'),
    explanation: text(body, 'explanation'),
    audience: text(body, 'audience'),
    personIds: ticked(body, 'personIds'),
  };
}

export function withheldRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  const withheldPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const detail = await recordings.detail(request.actor!, requestContext(request), rid);
    const extra = { values, reasonItems: WITHHOLDING_REASON_ITEMS };
    return recordingPage(reply, 'withheld-form.njk', detail, 'Mark a part as withheld', extra, errors);
  };

  app.get('/recordings/:rid/withheld', { config: READ }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    return reply.redirect(`${recordingBase(rid)}#withheld`, 303);
  });

  app.get('/recordings/:rid/withheld/new', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    return withheldPage(request, reply, rid, readWithheldForm({}));
  });

  app.post('/recordings/:rid/withheld', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const values = readWithheldForm(bodyOf(request));
    try {
      await recordings.addWithheld(request.actor!, requestContext(request), rid, {
        ...values,
        personIds: values.audience === 'named' ? values.personIds : [],
      });
    } catch (err) {
      return withheldPage(request, reply, rid, values, ruleErrors(err));
    }
    return backToRecording(reply, rid, 'withheld-added', 'withheld');
  });

  app.post('/recordings/:rid/withheld/:sid/remove', { config: MANAGE }, async (request, reply) => {
    const { rid, sid } = withheldParams.parse(request.params);
    await recordings.removeWithheld(request.actor!, requestContext(request), rid, sid);
    return backToRecording(reply, rid, 'withheld-removed', 'withheld');
  });
}
