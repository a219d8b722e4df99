/**
 * 002 §3.2: the chair bars a friend or supporter (their presence is disruptive, they are a risk to children, or another
 * reason), or lifts the bar; an advocate's role: whom they speak for, and when they found out that person's view.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ParticipationSupporter, ParticipationView } from '../../../app/participation/service.ts';
import { BAR_REASONS, BAR_REASON_LABELS } from '../../../domain/participation/supporters.ts';
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
import {
  EDIT,
  type ParticipationPagesOptions,
  VIEW,
  choiceItems,
  headingOf,
  participationHref,
  render,
} from './shared.ts';

function supporterOf(
  view: ParticipationView,
  inviteeId: string,
  reply: FastifyReply,
  kinds: readonly string[],
): ParticipationSupporter | null {
  const s = view.supporters.find((x) => x.inviteeId === inviteeId && kinds.includes(x.kind));
  if (!s) reply.callNotFound();
  return s ?? null;
}

function barPage(
  reply: FastifyReply,
  view: ParticipationView,
  s: ParticipationSupporter,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  return render(
    reply,
    'bar.njk',
    `Bar ${s.name} from the conference`,
    {
      ...headingOf(view),
      s,
      action: `${participationHref(view.conference.id)}/supporters/${s.inviteeId}/bar`,
      values,
      reasonItems: choiceItems(BAR_REASONS, BAR_REASON_LABELS, values['reason']),
    },
    errors,
    status,
  );
}

function advocatePage(
  reply: FastifyReply,
  view: ParticipationView,
  s: ParticipationSupporter,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const speaksFor = [
    ...view.parents.map((p) => ({ value: `parent:${p.inviteeId}`, text: `${p.name} (parent or carer)` })),
    ...view.children.map((c) => ({ value: `child:${c.childId}`, text: `${c.name} (child)` })),
  ].map((i) => ({ ...i, checked: values['speaksFor'] === i.value }));
  return render(
    reply,
    'advocate.njk',
    `The role of ${s.name}, advocate`,
    {
      ...headingOf(view),
      s,
      action: `${participationHref(view.conference.id)}/advocates/${s.inviteeId}`,
      values,
      speaksFor,
    },
    errors,
    status,
  );
}

const ADVOCATE_IDS = fieldIds({ dates: ['viewAscertainedOn'] });

export function supporterPages(app: FastifyInstance, { participation }: ParticipationPagesOptions): void {
  const barPath = '/conferences/:id/participation/supporters/:inviteeId/bar';

  // The chair's: the use case refuses anyone else, and audits the refusal.
  app.get(barPath, { config: VIEW }, async (request, reply) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const view = await participation.overview(request.actor!, id, requestContext(request));
    const s = supporterOf(view, inviteeId, reply, ['friend', 'supporter']);
    if (!s) return reply;
    // Not the chair: the participation page says what they may do.
    if (!view.can.chair) return reply.redirect(`${participationHref(id)}#supporters`, 303);
    return barPage(reply, view, s, { reason: s.bar?.reason ?? '', detail: s.bar?.detail ?? '' });
  });

  app.post(barPath, { config: VIEW }, async (request, reply) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = { reason: text(body, 'reason'), detail: text(body, 'detail', 2_000) };
    return submit<unknown, unknown>({
      call: () =>
        participation.barSupporter(
          request.actor!,
          id,
          inviteeId,
          { reason: values['reason'], detail: values['detail'] as string },
          requestContext(request),
        ),
      next: () => reply.redirect(`${participationHref(id)}?done=barred#supporters`, 303),
      again: async (errors, status) => {
        const view = await participation.overview(request.actor!, id, readingContext(request));
        const s = supporterOf(view, inviteeId, reply, ['friend', 'supporter']);
        if (!s) return reply;
        return barPage(reply, view, s, values, errors, status);
      },
    });
  });

  app.post(`${barPath}/remove`, { config: VIEW }, async (request, reply) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    return submit<unknown, unknown>({
      call: () => participation.liftBar(request.actor!, id, inviteeId, requestContext(request)),
      next: () => reply.redirect(`${participationHref(id)}?done=unbarred#supporters`, 303),
      again: async (errors, status) => {
        const view = await participation.overview(request.actor!, id, readingContext(request));
        const s = supporterOf(view, inviteeId, reply, ['friend', 'supporter']);
        if (!s) return reply;
        return barPage(reply, view, s, { reason: '', detail: '' }, errors, status);
      },
    });
  });

  const advocatePath = '/conferences/:id/participation/advocates/:inviteeId';

  app.get(advocatePath, { config: EDIT }, async (request, reply) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const view = await participation.overview(request.actor!, id, requestContext(request));
    const s = supporterOf(view, inviteeId, reply, ['advocate']);
    if (!s) return reply;
    const r = s.advocateRole;
    return advocatePage(reply, view, s, {
      speaksFor: r
        ? r.speaksFor.kind === 'parent'
          ? `parent:${r.speaksFor.inviteeId}`
          : `child:${r.speaksFor.childId}`
        : '',
      viewAscertained: r ? (r.viewAscertainedOn ? 'yes' : 'no') : '',
      ...dateValues('viewAscertainedOn', r?.viewAscertainedOn ?? null),
      note: r?.note ?? '',
    });
  });

  app.post(advocatePath, { config: EDIT }, async (request, reply) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      speaksFor: text(body, 'speaksFor'),
      viewAscertained: text(body, 'viewAscertained'),
      ...dateFields(body, 'viewAscertainedOn'),
      note: text(body, 'note', 2_000),
    };
    const unread: FormError[] = [];
    const on =
      values['viewAscertained'] === 'yes'
        ? readDate(values, 'viewAscertainedOn', 'The date they found out the view', unread)
        : null;
    return submit<unknown, unknown>({
      errors: unread,
      ids: ADVOCATE_IDS,
      call: () =>
        participation.recordAdvocateRole(
          request.actor!,
          id,
          inviteeId,
          {
            speaksFor: values['speaksFor'],
            viewAscertained: values['viewAscertained'],
            viewAscertainedOn: on ?? '',
            note: values['note'] as string,
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`${participationHref(id)}?done=advocate#supporters`, 303),
      again: async (errors, status) => {
        const view = await participation.overview(request.actor!, id, readingContext(request));
        const s = supporterOf(view, inviteeId, reply, ['advocate']);
        if (!s) return reply;
        return advocatePage(reply, view, s, values, errors, status);
      },
    });
  });
}
