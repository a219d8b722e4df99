/** The chair's short label for a recording, part of its derived name. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RECORDING_LABEL_MAX } from '../../../../domain/recordings/naming.ts';
import { bodyOf, requestContext, text, type FormError, type FormValues } from '../../../forms/index.ts';
import { MANAGE, recordingPage, recordingParams, ruleErrors, type RecordingPagesOptions } from '../common.ts';
import { recordingBase } from '../recording-view.ts';

export function labelRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  const labelPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    values: FormValues | null,
    errors: FormError[] = [],
  ) => {
    const detail = await recordings.detail(request.actor!, requestContext(request), rid);
    return recordingPage(
      reply,
      'label-form.njk',
      detail,
      'Label the recording',
      { values: values ?? { label: detail.recording.label ?? '' }, labelMax: RECORDING_LABEL_MAX },
      errors,
    );
  };

  app.get('/recordings/:rid/label', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    return labelPage(request, reply, rid, null);
  });

  app.post('/recordings/:rid/label', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const values: FormValues = { label: text(bodyOf(request), 'label') };
    try {
      await recordings.setLabel(request.actor!, requestContext(request), rid, values['label'] as string);
    } catch (err) {
      return labelPage(request, reply, rid, values, ruleErrors(err));
    }
    return reply.redirect(`${recordingBase(rid)}?done=label`, 303);
  });
}
