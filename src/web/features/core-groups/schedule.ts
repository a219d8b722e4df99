/** 002 §3.7, §3.10: scheduling a core group meeting: its date and its chair (the lead social worker or a manager). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ChildCoreGroups } from '../../../app/core-groups/service.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  dateValues,
  fieldIds,
  idParams,
  readDate,
  readingContext,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';
import { type CoreGroupPagesOptions, EDIT, groupHref, render } from './shared.ts';

function schedulePage(reply: FastifyReply, view: ChildCoreGroups, values: FormValues, errors: FormError[] = []) {
  return render(
    reply,
    'schedule.njk',
    'Schedule a core group meeting',
    {
      view,
      values,
      caption: view.child.name,
      backHref: groupHref(view.child.id),
      chairItems: view.chairChoices.map((c) => ({
        value: c.id,
        text: c.id === view.plan?.lead?.userId ? `${c.name} (lead social worker)` : c.name,
        checked: values['chairUserId'] === c.id,
      })),
    },
    errors,
  );
}

export function schedulePages(app: FastifyInstance, { coreGroups }: CoreGroupPagesOptions): void {
  app.get('/children/:childId/core-groups/schedule', { config: EDIT }, async (request, reply) => {
    const { childId } = idParams('childId').parse(request.params);
    const view = await coreGroups.forChild(request.actor!, childId, requestContext(request));
    if (!view.can.schedule) return reply.redirect(groupHref(view.child.id), 303);
    return schedulePage(reply, view, {
      ...dateValues('date', view.suggestedDate),
      chairUserId: view.plan?.lead?.userId ?? '',
    });
  });

  app.post('/children/:childId/core-groups/schedule', { config: EDIT }, async (request, reply) => {
    const { childId } = idParams('childId').parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = { ...dateFields(body, 'date'), chairUserId: text(body, 'chairUserId', 100) };
    const errors: FormError[] = [];
    const date = readDate(values, 'date', 'The date of the meeting', errors);
    return submit<unknown, unknown>({
      errors,
      call: () =>
        coreGroups.schedule(
          request.actor!,
          childId,
          { date: date as never, chairUserId: values['chairUserId'] as string },
          requestContext(request),
        ),
      next: () => reply.redirect(`${groupHref(childId)}?done=scheduled`, 303),
      again: async (errs) =>
        schedulePage(reply, await coreGroups.forChild(request.actor!, childId, readingContext(request)), values, errs),
      ids: fieldIds({ dates: ['date'] }),
    });
  });
}
