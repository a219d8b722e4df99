/** The parts of a split conference: the list, adding a part and removing one with nothing recorded for it. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MeetingView } from '../../../../app/conferences/meeting-service.ts';
import { parseClockTime } from '../../../../domain/conferences/meeting.ts';
import { timeOfDayProblem } from '../../../../domain/shared/time-of-day.ts';
import { type FormError, type FormValues, bodyOf, pageProblems, requestContext, text } from '../../../forms/index.ts';
import {
  type MeetingPages,
  WRITE,
  meetingBase,
  meetingIds,
  meetingParams,
  partParams,
  render,
  submit,
} from './shared.ts';

/** A part's offset is typed as the clock time it starts. */
export const PART_IDS = meetingIds({ startOffsetMinutes: 'startsAt' });

export const partValues = (body: Record<string, unknown>): FormValues => ({
  label: text(body, 'label'),
  startsAt: text(body, 'startsAt'),
  durationMinutes: text(body, 'durationMinutes'),
});

/** The form's clock time and minutes as the part's offset and length; a badly typed one is a form error. */
export function partInput(view: MeetingView, values: FormValues, errors: FormError[]) {
  const base = parseClockTime(view.conference.startTime) ?? 0;
  const starts = parseClockTime(values['startsAt'] as string);
  if ((values['startsAt'] as string).trim() && starts === null)
    errors.push({ text: timeOfDayProblem('the start time'), href: '#startsAt' });
  const duration = (values['durationMinutes'] as string).trim();
  if (duration && !/^\d{1,3}$/.test(duration))
    errors.push({ text: 'Enter the length in whole minutes, like 45', href: '#durationMinutes' });
  return {
    label: values['label'] as string,
    startOffsetMinutes: starts === null ? null : starts - base,
    durationMinutes: /^\d{1,3}$/.test(duration) ? Number(duration) : null,
  };
}

function partsPage(
  reply: FastifyReply,
  view: MeetingView,
  values: FormValues,
  errors: FormError[] = [],
  status?: 400 | 409,
) {
  return render(
    reply,
    'meeting-parts.njk',
    view,
    'Parts of the conference',
    {
      values,
      partRows: view.parts.map((p) => ({
        part: p,
        hasAttendance: view.attendance.some((a) => a.partId === p.id && a.status !== 'invited'),
      })),
    },
    errors,
    status,
  );
}

export function partsRoutes(app: FastifyInstance, { meeting, load }: MeetingPages): void {
  app.get('/conferences/:id/meeting/parts', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const last = view.parts.at(-1);
    return partsPage(reply, view, {
      label: `Part ${view.parts.length + 1}`,
      startsAt: last ? last.endsAt : view.conference.startTime,
      durationMinutes: '',
    });
  });

  app.post('/conferences/:id/meeting/parts', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const values = partValues(bodyOf(request));
    const view = await load(request, id, 'chair');
    const errors: FormError[] = [];
    const input = partInput(view, values, errors);
    return submit({
      errors,
      call: () => meeting.addPart(request.actor!, id, input, requestContext(request)),
      next: () => reply.redirect(`${meetingBase(id)}/parts`, 303),
      again: (errors, status) => partsPage(reply, view, values, errors, status),
      ids: PART_IDS,
    });
  });

  app.post('/conferences/:id/meeting/parts/:partId/remove', { config: WRITE }, async (request, reply) => {
    const { id, partId } = partParams.parse(request.params);
    return submit({
      call: () => meeting.removePart(request.actor!, id, partId, requestContext(request)),
      next: () => reply.redirect(`${meetingBase(id)}/parts`, 303),
      // Why a part cannot go is said at the list of parts.
      problems: (err) => {
        const { status, errors } = pageProblems(err);
        return { status, errors: errors.map((e) => ({ ...e, href: '#parts' })) };
      },
      again: async (errors, status) =>
        partsPage(
          reply,
          await load(request, id, 'chair'),
          { label: '', startsAt: '', durationMinutes: '' },
          errors,
          status,
        ),
    });
  });
}
