/**
 * Changing the chair of a planned conference (002 §4.1): choose the new chair; a chair who is a child's allocated
 * social worker, or that social worker's line manager, is warned about and needs the reason, kept with the conference.
 * The change joins the conference's record of changes, and everyone already invited is sent the new chair's name.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ChairingView } from '../../../../app/conferences/chairing/service.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  requestContext,
  submit,
  text,
} from '../../../forms/index.ts';
import { type ChairingPagesOptions, EDIT, chairHref, conferenceHref, render } from './shared.ts';

async function chairPage(
  reply: FastifyReply,
  opts: ChairingPagesOptions,
  view: ChairingView,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const { chairs } = await opts.convening.staffChoices();
  return render(
    reply,
    'change-chair.njk',
    'Change the chair',
    {
      view,
      backHref: conferenceHref(view.conferenceId),
      action: chairHref(view.conferenceId),
      values,
      chairItems: [
        { value: '', text: 'Select the chair' },
        ...chairs
          .filter((c) => c.id !== view.chair?.id)
          .map((c) => ({ value: c.id, text: c.name, selected: values['chairUserId'] === c.id })),
      ],
    },
    errors,
    status,
  );
}

export function changeChairPages(app: FastifyInstance, opts: ChairingPagesOptions): void {
  app.get('/conferences/:id/chair', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const view = await opts.chairing.chairing(request.actor!, id, requestContext(request));
    if (view.status !== 'planned') return reply.redirect(conferenceHref(id), 303);
    return chairPage(reply, opts, view, { chairUserId: '', chairIndependenceReason: '', reason: '' });
  });

  app.post('/conferences/:id/chair', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      chairUserId: text(body, 'chairUserId'),
      chairIndependenceReason: text(body, 'chairIndependenceReason'),
      reason: text(body, 'reason'),
    };
    return submit<unknown, unknown>({
      call: () =>
        opts.chairing.changeChair(
          request.actor!,
          id,
          {
            chairUserId: values['chairUserId'] as string,
            chairIndependenceReason: values['chairIndependenceReason'] as string,
            reason: values['reason'] as string,
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`${conferenceHref(id)}?done=chair#chairing`, 303),
      again: async (errors, status) =>
        chairPage(
          reply,
          opts,
          await opts.chairing.chairing(request.actor!, id, requestContext(request)),
          values,
          errors,
          status,
        ),
    });
  });
}
