/**
 * Excluding a parent or carer from a part of the conference (002 §3.2): the seed's criteria for the extent (or another
 * reason), the day and who told them the reasons orally and, once given, in writing, and how they may send their
 * views; and removing an exclusion recorded in error.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MeetingView } from '../../../../app/conferences/meeting-service.ts';
import { mayBeExcluded } from '../../../../domain/conferences/invitees.ts';
import {
  EXCLUDED_VIEWS_ROUTES,
  EXCLUDED_VIEWS_ROUTE_LABELS,
  EXCLUSION_CRITERION_LABELS,
  FULL_EXCLUSION_CRITERIA,
  PARTIAL_EXCLUSION_CRITERIA,
} from '../../../../domain/participation/exclusion.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  dateValues,
  fieldIds,
  readDate,
  requestContext,
  text,
  ticked,
} from '../../../forms/index.ts';
import { type Load, type MeetingPages, WRITE, done, exclusionParams, render, roleOf, submit } from './shared.ts';

const PATH = '/conferences/:id/meeting/parts/:partId/exclusions/:inviteeId';

const EMPTY: FormValues = {
  extent: '',
  criteria: [],
  otherReason: '',
  ...dateValues('toldOrallyOn', null),
  toldOrallyBy: '',
  ...dateValues('toldInWritingOn', null),
  toldInWritingBy: '',
  viewsRoutes: [],
  viewsNote: '',
};

const IDS = fieldIds({ dates: ['toldOrallyOn', 'toldInWritingOn'] });

const criterionItems = (list: readonly string[], values: FormValues) =>
  list.map((c) => ({
    value: c,
    text: EXCLUSION_CRITERION_LABELS[c as keyof typeof EXCLUSION_CRITERION_LABELS],
    checked: (values['criteria'] as string[]).includes(c),
  }));

function exclusionPage(
  reply: FastifyReply,
  view: MeetingView,
  partId: string,
  inviteeId: string,
  values: FormValues,
  errors: FormError[] = [],
  status?: 400 | 409,
) {
  const invitee = view.invitees.find((i) => i.id === inviteeId)!;
  const entry = view.attendance.find((a) => a.partId === partId && a.inviteeId === inviteeId) ?? null;
  const details = view.exclusionDetails.find((d) => d.partId === partId && d.inviteeId === inviteeId) ?? null;
  return render(
    reply,
    'meeting-exclusion.njk',
    view,
    `Exclude ${invitee.name} from ${view.parts.find((p) => p.id === partId)!.label}`,
    {
      part: view.parts.find((p) => p.id === partId),
      invitee: { ...invitee, role: roleOf(invitee, view.children) },
      entry,
      legacy: details?.recordedBeforeCriteria ?? false,
      values,
      fullItems: criterionItems(FULL_EXCLUSION_CRITERIA, values),
      partialItems: criterionItems(PARTIAL_EXCLUSION_CRITERIA, values),
      otherChecked: (values['criteria'] as string[]).includes('other'),
      routeItems: EXCLUDED_VIEWS_ROUTES.map((r) => ({
        value: r,
        text: EXCLUDED_VIEWS_ROUTE_LABELS[r],
        checked: (values['viewsRoutes'] as string[]).includes(r),
      })),
    },
    errors,
    status,
  );
}

/** The part and the person the page is about; anyone who cannot be excluded has no such page. */
async function exclusionTarget(load: Load, request: FastifyRequest, reply: FastifyReply) {
  const { id, partId, inviteeId } = exclusionParams.parse(request.params);
  const view = await load(request, id, 'chair');
  const invitee = view.invitees.find((i) => i.id === inviteeId);
  if (!view.parts.some((p) => p.id === partId) || !invitee || !mayBeExcluded(invitee.kind)) {
    reply.callNotFound();
    return null;
  }
  return { id, partId, inviteeId, view };
}

export function exclusionRoutes(app: FastifyInstance, { meeting, load }: MeetingPages): void {
  app.get(PATH, { config: WRITE }, async (request, reply) => {
    const t = await exclusionTarget(load, request, reply);
    if (!t) return reply;
    const entry = t.view.attendance.find((a) => a.partId === t.partId && a.inviteeId === t.inviteeId);
    const d = t.view.exclusionDetails.find((x) => x.partId === t.partId && x.inviteeId === t.inviteeId);
    if (!entry?.exclusionExtent || !d) return exclusionPage(reply, t.view, t.partId, t.inviteeId, { ...EMPTY });
    return exclusionPage(reply, t.view, t.partId, t.inviteeId, {
      extent: entry.exclusionExtent,
      criteria: d.criteria,
      otherReason: d.otherReason ?? '',
      ...dateValues('toldOrallyOn', d.toldOrally.on || null),
      toldOrallyBy: d.toldOrally.by,
      ...dateValues('toldInWritingOn', d.toldInWriting?.on ?? null),
      toldInWritingBy: d.toldInWriting?.by ?? '',
      viewsRoutes: d.viewsRoutes,
      viewsNote: d.viewsNote ?? '',
    });
  });

  app.post(PATH, { config: WRITE }, async (request, reply) => {
    const t = await exclusionTarget(load, request, reply);
    if (!t) return reply;
    const body = bodyOf(request);
    const values: FormValues = {
      extent: text(body, 'extent'),
      criteria: ticked(body, 'criteria'),
      otherReason: text(body, 'otherReason', 20_000),
      ...dateFields(body, 'toldOrallyOn'),
      toldOrallyBy: text(body, 'toldOrallyBy'),
      ...dateFields(body, 'toldInWritingOn'),
      toldInWritingBy: text(body, 'toldInWritingBy'),
      viewsRoutes: ticked(body, 'viewsRoutes'),
      viewsNote: text(body, 'viewsNote', 20_000),
    };
    const unread: FormError[] = [];
    const toldOrallyOn = readDate(values, 'toldOrallyOn', 'The date they were told', unread);
    const toldInWritingOn = readDate(
      values,
      'toldInWritingOn',
      'The date they were given the reasons in writing',
      unread,
    );
    const input = {
      extent: values['extent'],
      criteria: values['criteria'] as string[],
      otherReason: values['otherReason'] as string,
      toldOrallyOn: toldOrallyOn ?? '',
      toldOrallyBy: values['toldOrallyBy'] as string,
      toldInWritingOn: toldInWritingOn ?? '',
      toldInWritingBy: values['toldInWritingBy'] as string,
      viewsRoutes: values['viewsRoutes'] as string[],
      viewsNote: values['viewsNote'] as string,
    };
    return submit({
      errors: unread,
      ids: IDS,
      call: () => meeting.recordExclusion(request.actor!, t.id, t.partId, t.inviteeId, input, requestContext(request)),
      next: () => done(reply, t.id, 'exclusion'),
      again: (errors, status) => exclusionPage(reply, t.view, t.partId, t.inviteeId, values, errors, status),
    });
  });

  app.post(`${PATH}/remove`, { config: WRITE }, async (request, reply) => {
    const t = await exclusionTarget(load, request, reply);
    if (!t) return reply;
    return submit({
      call: () => meeting.clearExclusion(request.actor!, t.id, t.partId, t.inviteeId, requestContext(request)),
      next: () => done(reply, t.id, 'exclusion-removed'),
      again: (errors, status) => exclusionPage(reply, t.view, t.partId, t.inviteeId, { ...EMPTY }, errors, status),
    });
  });
}
