/**
 * starting the conference. The reminder about the recording is told and ticked once, here. Ticking
 * "Start recording" also opens a recording of the meeting and goes straight to the recorder, which then
 * only reminds the chair that those present were told. A split conference's recording belongs to one
 * part, so the part is asked for here too.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LIVE_RECORDERS, type MeetingView } from '../../../../app/conferences/meeting-service.ts';
import { hasAnyRole } from '../../../../domain/access/roles.ts';
import { englandClockTime } from '../../../../domain/calendar/index.ts';
import { RECORDING_REMINDER } from '../../../../domain/conferences/meeting.ts';
import { type FormError, type FormValues, bodyOf, requestContext, text, ticked } from '../../../forms/index.ts';
import { type MeetingPages, WRITE, done, meetingBase, meetingParams, render, submit } from './shared.ts';

function startPage(
  request: FastifyRequest,
  reply: FastifyReply,
  view: MeetingView,
  values: FormValues,
  errors: FormError[] = [],
  status?: 400 | 409,
) {
  return render(
    reply,
    'meeting-start.njk',
    view,
    'Start the conference',
    {
      values,
      reminder: RECORDING_REMINDER,
      // Who may record in the browser (the recording service checks the same roles).
      canRecord: hasAnyRole(request.actor!, LIVE_RECORDERS),
      split: view.parts.length > 1,
      partItems: view.parts.map((p) => ({
        value: p.id,
        text: `${p.label} (${p.startsAt} to ${p.endsAt})`,
        checked: values['partId'] === p.id,
      })),
    },
    errors,
    status,
  );
}

export function startRoutes(app: FastifyInstance, { meeting, recordings, clock, load }: MeetingPages): void {
  app.get('/conferences/:id/meeting/start', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id, 'chair');
    if (view.conference.status !== 'planned') return reply.redirect(meetingBase(id), 303);
    return startPage(request, reply, view, {
      actualStartTime: englandClockTime(clock.now()),
      pointsGiven: [],
      record: [],
      partId: '',
    });
  });

  app.post('/conferences/:id/meeting/start', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      actualStartTime: text(body, 'actualStartTime'),
      pointsGiven: ticked(body, 'pointsGiven'),
      record: ticked(body, 'record'),
      partId: text(body, 'partId'),
    };
    // Only the chair sends this form: checked (and a denial audited) as for showing it.
    await load(request, id, 'chair');
    return submit({
      call: () =>
        meeting.startConference(
          request.actor!,
          id,
          {
            pointsGiven: values['pointsGiven'] as string[],
            actualStartTime: values['actualStartTime'] as string,
            record: (values['record'] as string[]).includes('browser'),
            partId: values['partId'] as string,
          },
          requestContext(request),
          recordings,
        ),
      next: (started) =>
        started.recordingId !== null
          ? reply.redirect(`/recordings/${started.recordingId}/live`, 303)
          : // The conference is open; the recorder's own start page says why the recording could not start.
            started.recordingRefused
            ? reply.redirect(`/conferences/${id}/recordings/live`, 303)
            : done(reply, id, 'opened'),
      again: async (errors, status) =>
        startPage(request, reply, await load(request, id, 'chair'), values, errors, status),
    });
  });
}
