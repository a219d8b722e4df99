/** Recording one report as shared with the family, and when (T-5; police reports need the chair's agreement). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateParts,
  dateValues,
  idParams,
  pickValues,
  readDate,
  readingContext,
  requestContext,
  str,
} from '../../../forms/index.ts';
import { serviceErrors } from '../convening-forms.ts';
import { reportView } from '../convening-view.ts';
import { EDIT, type ReportServices } from './common.ts';

export function sharedWithFamilyPage(app: FastifyInstance, { convening }: ReportServices): void {
  const renderShared = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id, reportId } = idParams('id', 'reportId').parse(request.params);
    const overview = await convening.getConference(request.actor!, id, readingContext(request));
    const report = overview.reports.find((r) => r.id === reportId);
    if (!report) return reply.code(404).view('errors/not-found.njk');
    if (errors.length) reply.code(400);
    return reply.view('conferences/convening/report-shared.njk', {
      title: `Record the ${report.agencyName} report as shared with the family`,
      o: overview,
      report: reportView(report),
      errors,
      values,
    });
  };

  app.get('/conferences/:id/reports/:reportId/shared', { config: EDIT }, async (request, reply) =>
    renderShared(request, reply, { ...dateValues('sharedOn', convening.today()) }),
  );

  app.post('/conferences/:id/reports/:reportId/shared', { config: EDIT }, async (request, reply) => {
    const { id, reportId } = idParams('id', 'reportId').parse(request.params);
    const values = pickValues(bodyOf(request), [...dateParts('sharedOn'), 'policeConfirmed', 'reason']);
    const errors: FormError[] = [];
    const sharedOn = readDate(values, 'sharedOn', 'The date it was shared', errors);
    if (errors.length) return renderShared(request, reply, values, errors);
    try {
      await convening.recordReportShared(
        request.actor!,
        id,
        reportId,
        {
          sharedOn,
          policeConfirmed: values['policeConfirmed'] === 'yes',
          reason: str(values['reason']),
        },
        requestContext(request),
      );
    } catch (err) {
      return renderShared(request, reply, values, serviceErrors(err, values));
    }
    return reply.redirect(`/conferences/${id}#reports`, 303);
  });
}
