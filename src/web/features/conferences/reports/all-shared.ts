/** Recording every report waiting as shared with the family on one date (T-5; police reports are left out). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateParts,
  dateValues,
  idParams,
  readDate,
  pickValues,
  readingContext,
  requestContext,
} from '../../../forms/index.ts';
import { serviceErrors } from '../convening-forms.ts';
import { reportView } from '../convening-view.ts';
import { EDIT, type ReportServices } from './common.ts';

export function allSharedPage(app: FastifyInstance, { convening }: ReportServices): void {
  const renderAllShared = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id } = idParams('id').parse(request.params);
    const overview = await convening.getConference(request.actor!, id, readingContext(request));
    if (errors.length) reply.code(400);
    const waiting = overview.reports.filter((r) => !r.sharedWithFamilyOn && !r.withheldFromFamily);
    return reply.view('conferences/convening/reports-shared.njk', {
      title: 'Record reports as shared with the family',
      o: overview,
      toShare: waiting.filter((r) => !r.isPolice).map(reportView),
      police: waiting.filter((r) => r.isPolice).map(reportView),
      errors,
      values,
    });
  };

  app.get('/conferences/:id/reports/shared', { config: EDIT }, async (request, reply) =>
    renderAllShared(request, reply, { ...dateValues('sharedOn', convening.today()) }),
  );

  app.post('/conferences/:id/reports/shared', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const values = pickValues(bodyOf(request), dateParts('sharedOn'));
    const errors: FormError[] = [];
    const sharedOn = readDate(values, 'sharedOn', 'The date they were shared', errors);
    if (errors.length) return renderAllShared(request, reply, values, errors);
    try {
      await convening.recordReportsShared(request.actor!, id, sharedOn, requestContext(request));
    } catch (err) {
      return renderAllShared(request, reply, values, serviceErrors(err, values));
    }
    return reply.redirect(`/conferences/${id}#reports`, 303);
  });
}
