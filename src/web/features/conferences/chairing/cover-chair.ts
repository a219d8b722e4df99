/**
 * Recording a cover chair (002 §4.1): while the assigned chair cannot act, the chair, a team manager or business
 * support records another chair as cover, with the reason; the cover chair may then act as the conference's chair.
 * The use case checks who may record it, audits it and every refusal.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { COVER_REFUSED } from '../../../../app/conferences/chairing/service.ts';
import { AccessDeniedError } from '../../../../domain/shared/errors.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  requestContext,
  submit,
  text,
} from '../../../forms/index.ts';
import { type ChairingPagesOptions, conferenceHref, coverHref, render } from './shared.ts';

/**
 * The use case decides: the assigned chair, a team manager or business support. Anyone else is refused (403,
 * audited) on a page that says who can record a cover chair, whether the route's roles or the use case refused them.
 */
const COVER = { access: ['chair', 'team_manager', 'business_support'] as const, deniedMessage: COVER_REFUSED };

/** A chair who is not this conference's is refused by the use case (audited there): the page says who may. */
async function saysWhoMay(reply: FastifyReply, page: () => Promise<unknown>) {
  try {
    return await page();
  } catch (err) {
    if (!(err instanceof AccessDeniedError) || err.message !== COVER_REFUSED) throw err;
    reply.code(403);
    return reply.view('errors/forbidden.njk', { message: COVER_REFUSED });
  }
}

async function coverPage(
  reply: FastifyReply,
  opts: ChairingPagesOptions,
  request: Parameters<typeof requestContext>[0],
  conferenceId: string,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const { chair, choices } = await opts.chairing.coverChoices(request.actor!, conferenceId, requestContext(request));
  return render(
    reply,
    'cover-chair.njk',
    'Record a cover chair',
    {
      chair,
      backHref: conferenceHref(conferenceId),
      action: coverHref(conferenceId),
      values,
      coverItems: [
        { value: '', text: 'Select the cover chair' },
        ...choices.map((c) => ({ value: c.id, text: c.name, selected: values['coverChairUserId'] === c.id })),
      ],
    },
    errors,
    status,
  );
}

export function coverChairPages(app: FastifyInstance, opts: ChairingPagesOptions): void {
  app.get(
    '/conferences/:id/chair/cover',
    { config: { access: [...COVER.access], deniedMessage: COVER.deniedMessage } },
    async (request, reply) => {
      const { id } = idParams('id').parse(request.params);
      return saysWhoMay(reply, () => coverPage(reply, opts, request, id, { coverChairUserId: '', reason: '' }));
    },
  );

  app.post(
    '/conferences/:id/chair/cover',
    { config: { access: [...COVER.access], deniedMessage: COVER.deniedMessage } },
    async (request, reply) => {
      const { id } = idParams('id').parse(request.params);
      const body = bodyOf(request);
      const values: FormValues = { coverChairUserId: text(body, 'coverChairUserId'), reason: text(body, 'reason') };
      return saysWhoMay(reply, () =>
        submit<unknown, unknown>({
          call: () =>
            opts.chairing.recordCover(
              request.actor!,
              id,
              { coverChairUserId: values['coverChairUserId'] as string, reason: values['reason'] as string },
              requestContext(request),
            ),
          next: () => reply.redirect(`${conferenceHref(id)}?done=cover#chairing`, 303),
          again: async (errors, status) => coverPage(reply, opts, request, id, values, errors, status),
        }),
      );
    },
  );
}
