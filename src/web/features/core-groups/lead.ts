/** 002 §3.7: a team manager appoints the lead social worker the conference could not (a social worker's account). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ChildCoreGroups } from '../../../app/core-groups/service.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  readingContext,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';
import { APPOINT, type CoreGroupPagesOptions, groupHref, longDate, render } from './shared.ts';

function leadPage(reply: FastifyReply, view: ChildCoreGroups, values: FormValues, errors: FormError[] = []) {
  return render(
    reply,
    'lead.njk',
    'Appoint a lead social worker',
    {
      view,
      values,
      caption: view.child.name,
      backHref: groupHref(view.child.id),
      firstDateText: view.plan?.firstCoreGroupDate ? longDate(view.plan.firstCoreGroupDate) : null,
      items: view.leadChoices.map((c) => ({ value: c.id, text: c.name, checked: values['userId'] === c.id })),
    },
    errors,
  );
}

export function leadPages(app: FastifyInstance, { coreGroups }: CoreGroupPagesOptions): void {
  app.get('/children/:childId/lead-social-worker', { config: APPOINT }, async (request, reply) => {
    const { childId } = idParams('childId').parse(request.params);
    const view = await coreGroups.forChild(request.actor!, childId, requestContext(request));
    if (!view.can.appointLead) return reply.redirect(groupHref(view.child.id), 303);
    return leadPage(reply, view, { userId: '' });
  });

  app.post('/children/:childId/lead-social-worker', { config: APPOINT }, async (request, reply) => {
    const { childId } = idParams('childId').parse(request.params);
    const values: FormValues = { userId: text(bodyOf(request), 'userId', 100) };
    return submit<unknown, unknown>({
      call: () =>
        coreGroups.appointLead(
          request.actor!,
          childId,
          { userId: values['userId'] as string },
          requestContext(request),
        ),
      next: () => reply.redirect(`${groupHref(childId)}?done=lead`, 303),
      again: async (errors) =>
        leadPage(reply, await coreGroups.forChild(request.actor!, childId, readingContext(request)), values, errors),
    });
  });
}
