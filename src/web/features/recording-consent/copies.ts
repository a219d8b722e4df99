/**
 * P-7: a copy of the family's recording handed over on request: uploaded (multipart, checked by content), stored
 * with the conference encrypted like every recording and marked as the family's, never the official record; and
 * downloaded by someone who may see the conference, every download audited.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import {
  type FormError,
  type FormValues,
  dateFields,
  pageProblems,
  readDate,
  readingContext,
  requestContext,
  str,
  readMultipart,
} from '../../forms/index.ts';
import {
  MULTIPART_LIMITS,
  READ,
  REGISTER,
  type RecordingConsentPagesOptions,
  base,
  conferenceParams,
  copyParams,
  consentForm,
  ids,
  requestChoices,
} from './shared.ts';

const page = consentForm('copy.njk', 'Store a copy of the family’s recording', 'copies', (view) => ({
  requests: requestChoices(view, false),
}));

export function copyRoutes(app: FastifyInstance, { recordingConsent }: RecordingConsentPagesOptions): void {
  app.get('/conferences/:id/recording-consent/copies/new', { config: REGISTER }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await recordingConsent.onTheDay(request.actor!, id, requestContext(request));
    const only = requestChoices(view, false);
    return page(reply, view, { request: only.length === 1 ? only[0]!.value : '', handedOverBy: '' });
  });

  void app.register(async (scoped) => {
    await scoped.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: false });
    scoped.post(
      '/conferences/:id/recording-consent/copies',
      { config: { ...REGISTER, multipartCsrf: true } },
      async (request, reply) => {
        const { id } = conferenceParams.parse(request.params);
        const parts = request.checkedParts;
        if (!request.isMultipart() || !parts) return reply.code(400).view('errors/bad-request.njk');
        const { body, file, tooLarge } = await readMultipart(parts);
        const values: FormValues = {
          request: str(body['request']).slice(0, 200),
          handedOverBy: str(body['handedOverBy']).slice(0, 500),
          ...dateFields(body, 'handedOverOn'),
        };
        const view = await recordingConsent.onTheDay(request.actor!, id, readingContext(request));
        const errors: FormError[] = [];
        const handedOverOn = readDate(values, 'handedOverOn', 'The date the copy was handed over', errors);
        if (tooLarge) errors.push({ text: 'The selected file must be smaller than 200 MB', href: '#file' });
        if (errors.length) return page(reply, view, values, errors, 400);
        try {
          await recordingConsent.storeCopy(
            request.actor!,
            id,
            {
              request: values['request'] as string,
              handedOverOn: handedOverOn ?? '',
              handedOverBy: values['handedOverBy'] as string,
              content: file,
            },
            requestContext(request),
          );
        } catch (err) {
          const { status, errors } = pageProblems(err, ids);
          return page(reply, view, values, errors, status);
        }
        return reply.redirect(`${base(view.conference.id)}?done=copy`, 303);
      },
    );
  });

  app.get('/conferences/:id/recording-consent/copies/:copyId', { config: READ }, async (request, reply) => {
    const { id, copyId } = copyParams.parse(request.params);
    const file = await recordingConsent.openCopy(request.actor!, id, copyId, requestContext(request));
    reply.header('Content-Type', file.mediaType);
    reply.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
    reply.header('Content-Length', String(file.size));
    reply.header('Cache-Control', 'no-store');
    return reply.send(file.stream);
  });
}
