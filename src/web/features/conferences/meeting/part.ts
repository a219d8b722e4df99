/** Changing one part of a split conference: its name, when it starts and how long it lasts. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MeetingView } from '../../../../app/conferences/meeting-service.ts';
import { type FormError, type FormValues, bodyOf, requestContext } from '../../../forms/index.ts';
import { PART_IDS, partInput, partValues } from './parts.ts';
import { type MeetingPages, WRITE, meetingBase, partParams, render, submit } from './shared.ts';

function partPage(
  reply: FastifyReply,
  view: MeetingView,
  partId: string,
  values: FormValues,
  errors: FormError[] = [],
  status?: 400 | 409,
) {
  return render(
    reply,
    'meeting-part.njk',
    view,
    'Change a part of the conference',
    { values, part: view.parts.find((p) => p.id === partId) },
    errors,
    status,
  );
}

export function partRoutes(app: FastifyInstance, { meeting, load }: MeetingPages): void {
  app.get('/conferences/:id/meeting/parts/:partId', { config: WRITE }, async (request, reply) => {
    const { id, partId } = partParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const part = view.parts.find((p) => p.id === partId);
    if (!part) return reply.callNotFound();
    return partPage(reply, view, partId, {
      label: part.label,
      startsAt: part.startsAt,
      durationMinutes: String(part.durationMinutes),
    });
  });

  app.post('/conferences/:id/meeting/parts/:partId', { config: WRITE }, async (request, reply) => {
    const { id, partId } = partParams.parse(request.params);
    const values = partValues(bodyOf(request));
    const view = await load(request, id, 'chair');
    if (!view.parts.some((p) => p.id === partId)) return reply.callNotFound();
    const errors: FormError[] = [];
    const input = partInput(view, values, errors);
    return submit({
      errors,
      call: () => meeting.changePart(request.actor!, id, partId, input, requestContext(request)),
      next: () => reply.redirect(`${meetingBase(id)}/parts`, 303),
      again: (errors, status) => partPage(reply, view, partId, values, errors, status),
      ids: PART_IDS,
    });
  });
}
