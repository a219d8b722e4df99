/**
 * Describing a recording made elsewhere before its file is sent: what it records, where it
 * was made, which part of a split conference, and the file's SHA-256 if the sender has it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConferenceRecordings } from '../../../../app/recordings/recording-service.ts';
import {
  RECORDING_KIND_LABELS,
  RECORDING_KINDS,
  RECORDING_SOURCE_LABELS,
} from '../../../../domain/recordings/index.ts';
import { InvalidDetailsError } from '../../../../domain/shared/errors.ts';
import {
  bodyOf,
  fieldIds,
  problemsAsErrors,
  readingContext,
  requestContext,
  str,
  type FormError,
} from '../../../forms/index.ts';
import { conferenceHeading, conferenceParams, MANAGE, type RecordingPagesOptions } from '../common.ts';
import { UPLOAD_SOURCES } from '../list-view.ts';

const PART_NONE = 'none';
const SHA256 = /^[0-9a-fA-F]{64}$/;

type Values = Record<string, string>;

function describeModel(view: ConferenceRecordings, values: Values) {
  return {
    kindItems: RECORDING_KINDS.map((k) => ({
      value: k,
      text: RECORDING_KIND_LABELS[k],
      checked: values['kind'] === k,
    })),
    sourceItems: UPLOAD_SOURCES.map((s) => ({
      value: s,
      text: RECORDING_SOURCE_LABELS[s],
      checked: values['source'] === s,
    })),
    partItems:
      view.parts.length > 1
        ? [
            ...view.parts.map((p) => ({ value: p.id, text: p.label, checked: values['partId'] === p.id })),
            { divider: 'or' },
            {
              value: PART_NONE,
              text: 'It is not one part (for example, the chair’s dictation afterwards)',
              checked: values['partId'] === PART_NONE,
            },
          ]
        : null,
    onlyPart: view.parts.length === 1 ? view.parts[0] : null,
  };
}

/** Every problem at once, in the order of the form, and the part it records; the service checks the same again. */
function readDescription(view: ConferenceRecordings, values: Values): { partId: string | null; errors: FormError[] } {
  const errors: FormError[] = [];
  if (!(RECORDING_KINDS as readonly string[]).includes(values['kind']!))
    errors.push({ text: 'Select what the recording is of', href: '#kind' });
  if (!(UPLOAD_SOURCES as readonly string[]).includes(values['source']!))
    errors.push({ text: 'Select where the recording was made', href: '#source' });
  let partId: string | null = view.parts.length === 1 ? view.parts[0]!.id : null;
  if (view.parts.length > 1) {
    if (view.parts.some((p) => p.id === values['partId'])) partId = values['partId']!;
    else if (values['partId'] !== PART_NONE)
      errors.push({ text: 'Select which part of the conference it records', href: '#partId' });
  }
  if (values['clientSha256'] && !SHA256.test(values['clientSha256'])) {
    errors.push({
      text: 'The file’s SHA-256 must be 64 letters a to f and digits, like the one your recording software or sha256sum shows',
      href: '#clientSha256',
    });
  }
  return { partId, errors };
}

export function describeRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  const describePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Values,
    errors: FormError[] = [],
  ) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await recordings.conferenceRecordings(request.actor!, readingContext(request), id);
    if (errors.length) reply.code(400);
    return reply.view('recordings/upload-describe.njk', {
      title: 'Upload a recording',
      ...conferenceHeading(view.conference),
      conferenceId: id,
      cancelled: view.conference.status === 'cancelled',
      values,
      errors,
      ...describeModel(view, values),
    });
  };

  app.get('/conferences/:id/recordings/upload', { config: MANAGE }, async (request, reply) =>
    describePage(request, reply, {}),
  );

  app.post('/conferences/:id/recordings/upload', { config: MANAGE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const values: Values = {
      kind: str(body['kind']),
      source: str(body['source']),
      partId: str(body['partId']),
      clientSha256: str(body['clientSha256']).trim(),
    };
    const view = await recordings.conferenceRecordings(request.actor!, readingContext(request), id);
    const { partId, errors } = readDescription(view, values);
    if (errors.length) return describePage(request, reply, values, errors);
    let recordingId: string;
    try {
      const recording = await recordings.createUpload(request.actor!, requestContext(request), id, {
        kind: values['kind']!,
        source: values['source']!,
        partId,
        clientSha256: values['clientSha256'] || null,
      });
      recordingId = recording.id;
    } catch (err) {
      const problems =
        err instanceof InvalidDetailsError
          ? err.problems.map((p) => ({ text: p.message, href: `#${p.field || 'kind'}` }))
          : problemsAsErrors(err, fieldIds({ renames: { '': 'kind' } }));
      return describePage(request, reply, values, problems);
    }
    return reply.redirect(`/recordings/${recordingId}/upload`, 303);
  });
}
