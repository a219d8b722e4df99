/** A conference's participation (002 §3.2, 001): children attending or not, supporters and advocates, parents' help and reports. */
import type { FastifyInstance } from 'fastify';
import type { ParticipationView } from '../../../app/participation/service.ts';
import {
  ATTENDANCE_CHOICE_LABELS,
  CHILD_WISH_LABELS,
  VIEWS_ROUTE_LABELS,
} from '../../../domain/participation/child-attendance.ts';
import { HELP_KIND_LABELS, HELP_STATUS_LABELS } from '../../../domain/participation/parent-reports.ts';
import { BAR_REASON_LABELS } from '../../../domain/participation/supporters.ts';
import { formatBytes } from '../../../domain/shared/bytes.ts';
import { idParams, requestContext } from '../../forms/index.ts';
import {
  type ParticipationPagesOptions,
  VIEW,
  doneOf,
  headingOf,
  longDate,
  participationHref,
  render,
} from './shared.ts';

const KIND_LABELS = { friend: 'Friend', supporter: 'Supporter', advocate: 'Advocate' } as const;

export function overviewModel(view: ParticipationView) {
  const base = participationHref(view.conference.id);
  return {
    view,
    base,
    open: view.conference.status === 'planned' || view.conference.status === 'in-progress',
    children: view.children.map((c) => ({
      ...c,
      ageText: c.age === null ? 'Not born yet' : `${c.age}`,
      decisionText: c.attendance ? ATTENDANCE_CHOICE_LABELS[c.attendance.decision] : null,
      wishText: c.attendance ? CHILD_WISH_LABELS[c.attendance.childWish] : null,
      routesText: c.attendance?.viewsRoutes.map((r) => VIEWS_ROUTE_LABELS[r]) ?? [],
      needsViewsCheck: !!c.attendance && c.attendance.decision !== 'attend' && !c.attendance.viewsCheckedAt,
    })),
    supporters: view.supporters.map((s) => ({
      ...s,
      kindText: KIND_LABELS[s.kind],
      barText: s.bar ? `${BAR_REASON_LABELS[s.bar.reason]}${s.bar.detail ? `: ${s.bar.detail}` : ''}` : null,
      ascertainedText: s.advocateRole?.viewAscertainedOn ? longDate(s.advocateRole.viewAscertainedOn) : null,
    })),
    parents: view.parents.map((p) => ({
      ...p,
      help: p.help.map((h) => ({ ...h, kindText: HELP_KIND_LABELS[h.kind], statusText: HELP_STATUS_LABELS[h.status] })),
      reports: p.reports.map((r) => ({
        ...r,
        href: `${base}/reports/${r.id}`,
        what:
          r.source === 'typed' ? 'Typed in for them' : `File (${r.format.toUpperCase()}, ${formatBytes(r.sizeBytes)})`,
        receivedText: longDate(r.receivedOn),
      })),
    })),
  };
}

export function overviewPages(app: FastifyInstance, { participation }: ParticipationPagesOptions): void {
  app.get('/conferences/:id/participation', { config: VIEW }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const view = await participation.overview(request.actor!, id, requestContext(request));
    return render(reply, 'overview.njk', 'Taking part in the conference', {
      ...headingOf(view, 'conference'),
      ...overviewModel(view),
      done: doneOf(request.query),
    });
  });

  app.get('/conferences/:id/participation/reports/:reportId', { config: VIEW }, async (request, reply) => {
    const { id, reportId } = idParams('id', 'reportId').parse(request.params);
    const { report, stream, mediaType, fileName } = await participation.openParentReport(
      request.actor!,
      id,
      reportId,
      requestContext(request),
    );
    reply.header('Content-Type', mediaType);
    reply.header('Content-Disposition', `attachment; filename="${fileName}"`);
    reply.header('Content-Length', String(report.sizeBytes));
    return reply.send(stream);
  });
}
