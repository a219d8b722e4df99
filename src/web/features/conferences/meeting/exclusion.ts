/** Excluding a parent or carer from a part of the conference (002 §3.2), and removing the exclusion. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MeetingView } from '../../../../app/conferences/meeting-service.ts';
import { mayBeExcluded } from '../../../../domain/conferences/invitees.ts';
import { type FormError, type FormValues, bodyOf, requestContext, text, ticked } from '../../../forms/index.ts';
import { type Load, type MeetingPages, WRITE, done, exclusionParams, render, roleOf, submit } from './shared.ts';

const PATH = '/conferences/:id/meeting/parts/:partId/exclusions/:inviteeId';

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
  return render(
    reply,
    'meeting-exclusion.njk',
    view,
    `Exclude ${invitee.name} from ${view.parts.find((p) => p.id === partId)!.label}`,
    {
      part: view.parts.find((p) => p.id === partId),
      invitee: { ...invitee, role: roleOf(invitee, view.children) },
      entry,
      values,
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
    const told = entry?.exclusionExtent ? ['orally', 'in-writing'] : [];
    return exclusionPage(reply, t.view, t.partId, t.inviteeId, {
      extent: entry?.exclusionExtent ?? '',
      exclusionReason: entry?.exclusionReason ?? '',
      toldReason: told,
      howViewsHeard: entry?.howViewsHeard ?? '',
    });
  });

  app.post(PATH, { config: WRITE }, async (request, reply) => {
    const t = await exclusionTarget(load, request, reply);
    if (!t) return reply;
    const body = bodyOf(request);
    const values: FormValues = {
      extent: text(body, 'extent'),
      exclusionReason: text(body, 'exclusionReason'),
      toldReason: ticked(body, 'toldReason'),
      howViewsHeard: text(body, 'howViewsHeard'),
    };
    const told = values['toldReason'] as string[];
    const input = {
      extent: values['extent'],
      reason: values['exclusionReason'] as string,
      toldOrally: told.includes('orally'),
      toldInWriting: told.includes('in-writing'),
      howViewsHeard: values['howViewsHeard'] as string,
    };
    return submit({
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
      again: (errors, status) =>
        exclusionPage(
          reply,
          t.view,
          t.partId,
          t.inviteeId,
          { extent: '', exclusionReason: '', toldReason: [], howViewsHeard: '' },
          errors,
          status,
        ),
    });
  });
}
