/**
 * 002 §3.2: whether a child attends the conference: the seed's questions, what the chair and the social worker advise,
 * the child's wish, the arrangements for part of it, the reason where one is needed and how their views are conveyed.
 * The chair then confirms the conference has the views of a child who does not attend.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ParticipationChild, ParticipationView } from '../../../app/participation/service.ts';
import {
  ATTENDANCE_CHOICES,
  ATTENDANCE_CHOICE_LABELS,
  BENEFIT,
  BENEFIT_LABELS,
  CHILD_WISHES,
  CHILD_WISH_LABELS,
  UNDERSTANDING,
  UNDERSTANDING_LABELS,
  VIEWS_ROUTES,
  VIEWS_ROUTE_LABELS,
  WISH_EXPRESSED,
  WISH_EXPRESSED_LABELS,
} from '../../../domain/participation/child-attendance.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  readingContext,
  requestContext,
  submit,
  text,
  ticked,
  versionOf,
} from '../../forms/index.ts';
import {
  EDIT,
  type ParticipationPagesOptions,
  choiceItems,
  headingOf,
  participationHref,
  render,
  tickItems,
} from './shared.ts';
import { overviewModel } from './overview.ts';

function childOf(view: ParticipationView, childId: string, reply: FastifyReply): ParticipationChild | null {
  const child = view.children.find((c) => c.childId === childId);
  if (!child) reply.callNotFound();
  return child ?? null;
}

function childPage(
  reply: FastifyReply,
  view: ParticipationView,
  child: ParticipationChild,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  return render(
    reply,
    'child.njk',
    `Will ${child.name} attend the conference?`,
    {
      ...headingOf(view),
      child,
      action: `${participationHref(view.conference.id)}/children/${child.childId}`,
      values,
      understandsItems: choiceItems(UNDERSTANDING, UNDERSTANDING_LABELS, values['understands']),
      wishExpressedItems: choiceItems(WISH_EXPRESSED, WISH_EXPRESSED_LABELS, values['wishExpressed']),
      benefitItems: choiceItems(BENEFIT, BENEFIT_LABELS, values['benefit']),
      chairAdviceItems: choiceItems(ATTENDANCE_CHOICES, ATTENDANCE_CHOICE_LABELS, values['chairAdvice']),
      socialWorkerAdviceItems: choiceItems(ATTENDANCE_CHOICES, ATTENDANCE_CHOICE_LABELS, values['socialWorkerAdvice']),
      childWishItems: choiceItems(CHILD_WISHES, CHILD_WISH_LABELS, values['childWish']),
      decisionItems: choiceItems(ATTENDANCE_CHOICES, ATTENDANCE_CHOICE_LABELS, values['decision']),
      routeItems: tickItems(VIEWS_ROUTES, VIEWS_ROUTE_LABELS, values['viewsRoutes']),
    },
    errors,
    status,
  );
}

const FIELDS = [
  'understands',
  'wishExpressed',
  'parentsViews',
  'benefit',
  'chairAdvice',
  'socialWorkerAdvice',
  'childWish',
  'decision',
  'partArrangements',
  'reason',
  'viewsNote',
] as const;

export function childPages(app: FastifyInstance, { participation }: ParticipationPagesOptions): void {
  const path = '/conferences/:id/participation/children/:childId';

  app.get(path, { config: EDIT }, async (request, reply) => {
    const { id, childId } = idParams('id', 'childId').parse(request.params);
    const view = await participation.overview(request.actor!, id, requestContext(request));
    const child = childOf(view, childId, reply);
    if (!child) return reply;
    const a = child.attendance;
    const values: FormValues = { version: String(a?.version ?? 0), viewsRoutes: a?.viewsRoutes ?? [] };
    for (const f of FIELDS) values[f] = a ? String(a[f] ?? '') : '';
    return childPage(reply, view, child, values);
  });

  app.post(path, { config: EDIT }, async (request, reply) => {
    const { id, childId } = idParams('id', 'childId').parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = { version: text(body, 'version'), viewsRoutes: ticked(body, 'viewsRoutes') };
    for (const f of FIELDS) values[f] = text(body, f, 2_000);
    const v = (f: (typeof FIELDS)[number]) => values[f] as string;
    return submit<unknown, unknown>({
      call: () =>
        participation.recordChildAttendance(
          request.actor!,
          id,
          childId,
          {
            version: versionOf(body),
            understands: v('understands'),
            wishExpressed: v('wishExpressed'),
            parentsViews: v('parentsViews'),
            benefit: v('benefit'),
            chairAdvice: v('chairAdvice'),
            socialWorkerAdvice: v('socialWorkerAdvice'),
            childWish: v('childWish'),
            decision: v('decision'),
            partArrangements: v('partArrangements'),
            reason: v('reason'),
            viewsRoutes: values['viewsRoutes'] as string[],
            viewsNote: v('viewsNote'),
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`${participationHref(id)}?done=child#children`, 303),
      again: async (errors, status) => {
        const view = await participation.overview(request.actor!, id, readingContext(request));
        const child = childOf(view, childId, reply);
        if (!child) return reply;
        return childPage(reply, view, child, values, errors, status);
      },
    });
  });

  app.post(`${path}/views-checked`, { config: EDIT }, async (request, reply) => {
    const { id, childId } = idParams('id', 'childId').parse(request.params);
    return submit<unknown, unknown>({
      call: () => participation.checkChildViews(request.actor!, id, childId, requestContext(request)),
      next: () => reply.redirect(`${participationHref(id)}?done=views-checked#children`, 303),
      again: async (errors, status) => {
        const view = await participation.overview(request.actor!, id, readingContext(request));
        return render(
          reply,
          'overview.njk',
          'Taking part in the conference',
          { ...headingOf(view, 'conference'), ...overviewModel(view), done: null },
          errors,
          status,
        );
      },
    });
  });
}
