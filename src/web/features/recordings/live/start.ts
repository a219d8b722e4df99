/** Starting a live recording in the browser: what is recorded (R-6) and, for a split conference, which part. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LiveStart } from '../../../../app/recordings/recording-service.ts';
import { englandClockTime, formatLongDate } from '../../../../domain/calendar/index.ts';
import { CONFERENCE_TYPE_LABELS } from '../../../../domain/conferences/decisions.ts';
import { RECORDING_REMINDER } from '../../../../domain/conferences/meeting.ts';
import { RECORDING_KIND_LABELS, RECORDING_KINDS } from '../../../../domain/recordings/recording.ts';
import { formatLongDate as formatMoment } from '../../../plugins/format.ts';
import { bodyOf, fieldIds, problemsAsErrors, requestContext, text, type FormError } from '../../../forms/index.ts';
import { conferenceParams, MANAGE, type RecordingPagesOptions } from '../common.ts';
import { listNames } from './recorder.ts';

type StartValues = { kind: string; partId: string };

/** What is recorded and which part, every problem at once; a split conference's parts are separate meetings. */
function readStart(view: LiveStart, values: StartValues): { partId: string | null; errors: FormError[] } {
  const errors: FormError[] = [];
  if (!(RECORDING_KINDS as readonly string[]).includes(values.kind))
    errors.push({ text: 'Select what you are recording', href: '#kind' });
  let partId: string | null = null;
  if (values.kind === 'meeting') {
    if (view.parts.length === 1) partId = view.parts[0]!.id;
    else if (view.parts.length > 1) {
      if (!view.parts.some((p) => p.id === values.partId))
        errors.push({ text: 'Select the part of the conference you are recording', href: '#partId' });
      else partId = values.partId;
    }
  }
  return { partId, errors };
}

export function liveStartRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  const startPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: StartValues,
    errors: FormError[] = [],
  ) => {
    const view = await recordings.liveStart(request.actor!, requestContext(request), id);
    const c = view.conference;
    if (errors.length) reply.code(400);
    return reply.view('recordings/live-start.njk', {
      title: 'Record in the browser',
      caption: `${CONFERENCE_TYPE_LABELS[c.type]} – ${formatLongDate(c.scheduledDate)} – ${listNames(view.childNames)}`,
      conferenceId: id,
      recordingsHref: `/conferences/${id}/recordings`,
      uploadHref: `/conferences/${id}/recordings/upload`,
      kinds: RECORDING_KINDS.map((k) => ({ value: k, text: RECORDING_KIND_LABELS[k], checked: values.kind === k })),
      parts: view.parts.map((p) => ({
        value: p.id,
        text: `${p.label} (${p.startsAt} to ${p.endsAt})`,
        checked: values.partId === p.id,
      })),
      split: view.parts.length > 1,
      reminder: RECORDING_REMINDER,
      reminderGiven: c.reminderGivenAt ? englandClockTime(c.reminderGivenAt) : null,
      cancelled: c.status === 'cancelled',
      open: view.open.map((r) => ({
        href: `/recordings/${r.id}/live`,
        text: `${RECORDING_KIND_LABELS[r.kind]}${r.partLabel ? ` – ${r.partLabel}` : ''}, started ${formatMoment(r.startedAt)}`,
      })),
      values,
      errors,
    });
  };

  app.get('/conferences/:id/recordings/live', { config: MANAGE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    return startPage(request, reply, id, { kind: 'meeting', partId: '' });
  });

  app.post('/conferences/:id/recordings/live', { config: MANAGE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const values: StartValues = { kind: text(body, 'kind', 40), partId: text(body, 'partId', 40) };
    const ctx = requestContext(request);
    const { partId, errors } = readStart(await recordings.liveStart(request.actor!, ctx, id), values);
    if (errors.length) return startPage(request, reply, id, values, errors);
    try {
      const recording = await recordings.startLive(request.actor!, ctx, id, { kind: values.kind, partId });
      return reply.redirect(`/recordings/${recording.id}/live`, 303);
    } catch (err) {
      return startPage(request, reply, id, values, problemsAsErrors(err, fieldIds({ renames: { '': 'kind' } })));
    }
  });
}
