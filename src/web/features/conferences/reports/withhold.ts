/** Withholding a report from the family, with the reason (002 §3.4). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  pickValues,
  readingContext,
  requestContext,
  str,
} from '../../../forms/index.ts';
import { serviceErrors } from '../convening-forms.ts';
import { reportView } from '../convening-view.ts';
import { EDIT, type ReportServices } from './common.ts';

export function withholdPage(app: FastifyInstance, { convening }: ReportServices): void {
  const renderWithhold = async (
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
    return reply.view('conferences/convening/report-withhold.njk', {
      title: `Withhold the ${report.agencyName} report from the family`,
      o: overview,
      report: reportView(report),
      errors,
      values,
    });
  };

  app.get('/conferences/:id/reports/:reportId/withhold', { config: EDIT }, async (request, reply) =>
    renderWithhold(request, reply, {}),
  );

  app.post('/conferences/:id/reports/:reportId/withhold', { config: EDIT }, async (request, reply) => {
    const { id, reportId } = idParams('id', 'reportId').parse(request.params);
    const values = pickValues(bodyOf(request), ['reason']);
    try {
      await convening.withholdReport(request.actor!, id, reportId, str(values['reason']), requestContext(request));
    } catch (err) {
      return renderWithhold(request, reply, values, serviceErrors(err, values));
    }
    return reply.redirect(`/conferences/${id}#reports`, 303);
  });
}
