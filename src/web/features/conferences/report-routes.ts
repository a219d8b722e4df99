import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_REPORT_BYTES } from '../../../app/conferences/convening-service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { z } from 'zod';
import { bodyOf, readingContext, requestContext, parseDateInput } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import { type FormValues, dateValues, idParam, pickValues, reportParam, serviceErrors } from './convening-forms.ts';
import { reportView } from './convening-view.ts';

const VIEW = { access: CHILD_RECORD_ROLES };
const EDIT = { access: RECORD_EDITOR_ROLES };
const UPLOAD_ROUTE = '/conferences/:id/reports/new';
const uploadQuery = z.object({ from: z.unknown().optional() });

/** Agencies' reports: upload (checked by content), download (audited), and whether the family has them (T-5). */
export async function reportRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { convening } = opts.services;

  // Multipart only here, for the one upload form. The file is read into memory up to the limit (plus
  // one byte, so "too large" is detected rather than silently cut): its type is decided from its
  // content, which for Word and ODT needs the ZIP directory at the end of the file.
  await app.register(multipart, {
    limits: { fileSize: MAX_REPORT_BYTES + 1, files: 1, fields: 5, fieldSize: 200, parts: 6, headerPairs: 50 },
    throwFileSizeLimit: false,
  });

  const renderUpload = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id } = idParam.parse(request.params);
    const { overview, candidates } = await convening.invitationCandidates(request.actor!, id, readingContext(request));
    if (!overview.open) {
      // A held, adjourned or cancelled conference takes no more reports: say why, and the way back.
      if (request.method === 'POST') reply.code(409);
      return reply.view('conferences/convening/report-closed.njk', {
        title: 'Reports can no longer be added to this conference',
        o: overview,
      });
    }
    if (errors.length) reply.code(400);
    // Children's social care first (the social worker's report), then the agencies of the people
    // invited (they are the ones asked for reports), then the rest.
    const csc = candidates.childrensSocialCare.agency;
    const invitedAgencies = new Set(overview.invitees.map((i) => i.agencyId).filter(Boolean));
    const sorted = [...candidates.agencies]
      .filter((a) => a.id !== csc?.id)
      .sort(
        (a, b) => Number(invitedAgencies.has(b.id)) - Number(invitedAgencies.has(a.id)) || a.name.localeCompare(b.name),
      );
    return reply.view('conferences/convening/report-upload.njk', {
      title: 'Add a report to the conference',
      o: overview,
      errors,
      values,
      agencyItems: [
        { value: '', text: 'Select the agency' },
        ...(csc
          ? [
              {
                value: csc.id,
                text: `${csc.name}: the social worker’s report`,
                selected: values['agencyId'] === csc.id,
              },
            ]
          : []),
        ...sorted.map((a) => ({ value: a.id, text: a.name, selected: values['agencyId'] === a.id })),
      ],
    });
  };

  app.get(UPLOAD_ROUTE, { config: EDIT }, async (request, reply) => {
    // "Add the social worker's report" from the conference page chooses children's social care.
    const { from } = uploadQuery.parse(request.query);
    if (from !== 'social-worker') return renderUpload(request, reply, {});
    const csc = await convening.childrensSocialCareAgency();
    return renderUpload(request, reply, csc ? { agencyId: csc.id } : {});
  });

  // The CSRF token is the form's first field, checked before the file is read (plugins/csrf.ts).
  app.post(UPLOAD_ROUTE, { config: { ...EDIT, multipartCsrf: true } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const parts = request.checkedParts;
    if (!request.isMultipart() || !parts) return reply.code(400).view('errors/bad-request.njk');
    let agencyId = '';
    let content: Buffer | null = null;
    let tooLarge = false;
    for await (const part of { [Symbol.asyncIterator]: () => parts }) {
      if (part.type === 'field') {
        if (part.fieldname === 'agencyId' && typeof part.value === 'string') agencyId = part.value;
      } else if (part.fieldname === 'file' && content === null) {
        // The browser's file name and type are ignored: never stored, never part of a path.
        const data = await part.toBuffer();
        tooLarge = part.file.truncated;
        // No file chosen: browsers send an empty part with an empty name.
        content = data.length === 0 && !part.filename ? null : data;
      } else {
        part.file.resume();
      }
    }
    const values: FormValues = { agencyId };
    if (tooLarge)
      return renderUpload(request, reply, values, [
        { text: 'The selected file must be smaller than 20 MB', href: '#file' },
      ]);
    try {
      await convening.uploadReport(request.actor!, id, { agencyId, content }, requestContext(request));
    } catch (err) {
      // A rule (the conference was held meanwhile) re-renders the page saying why; access and not found go to their pages.
      return renderUpload(request, reply, values, serviceErrors(err, values));
    }
    reply.flash('conference-report-added');
    return reply.redirect(`/conferences/${id}#reports`, 303);
  });

  app.get('/conferences/:id/reports/:reportId/file', { config: VIEW }, async (request, reply) => {
    const { id, reportId } = reportParam.parse(request.params);
    const { report, stream, fileName } = await convening.openReport(
      request.actor!,
      id,
      reportId,
      requestContext(request),
    );
    reply.header('Content-Type', report.mediaType ?? 'application/octet-stream');
    reply.header('Content-Disposition', `attachment; filename="${fileName}"`);
    if (report.sizeBytes !== null) reply.header('Content-Length', String(report.sizeBytes));
    return reply.send(stream);
  });

  // ---------------------------------------------------------------- shared with the family (T-5)

  const renderShared = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id, reportId } = reportParam.parse(request.params);
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
    const { id, reportId } = reportParam.parse(request.params);
    const values = pickValues(bodyOf(request), [
      'sharedOn-day',
      'sharedOn-month',
      'sharedOn-year',
      'policeConfirmed',
      'reason',
    ]);
    const date = parseDateInput(values, 'sharedOn', 'The date it was shared');
    if (date.error) return renderShared(request, reply, values, [{ text: date.error, href: '#sharedOn-day' }]);
    try {
      await convening.recordReportShared(
        request.actor!,
        id,
        reportId,
        {
          sharedOn: date.iso,
          policeConfirmed: values['policeConfirmed'] === 'yes',
          reason: String(values['reason'] ?? ''),
        },
        requestContext(request),
      );
    } catch (err) {
      return renderShared(request, reply, values, serviceErrors(err, values));
    }
    return reply.redirect(`/conferences/${id}#reports`, 303);
  });

  const renderAllShared = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id } = idParam.parse(request.params);
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
    const { id } = idParam.parse(request.params);
    const values = pickValues(bodyOf(request), ['sharedOn-day', 'sharedOn-month', 'sharedOn-year']);
    const date = parseDateInput(values, 'sharedOn', 'The date they were shared');
    if (date.error) return renderAllShared(request, reply, values, [{ text: date.error, href: '#sharedOn-day' }]);
    try {
      await convening.recordReportsShared(request.actor!, id, date.iso, requestContext(request));
    } catch (err) {
      return renderAllShared(request, reply, values, serviceErrors(err, values));
    }
    return reply.redirect(`/conferences/${id}#reports`, 303);
  });

  // ---------------------------------------------------------------- withheld from the family (002 §3.4)

  const renderWithhold = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id, reportId } = reportParam.parse(request.params);
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
    const { id, reportId } = reportParam.parse(request.params);
    const values = pickValues(bodyOf(request), ['reason']);
    try {
      await convening.withholdReport(
        request.actor!,
        id,
        reportId,
        String(values['reason'] ?? ''),
        requestContext(request),
      );
    } catch (err) {
      return renderWithhold(request, reply, values, serviceErrors(err, values));
    }
    return reply.redirect(`/conferences/${id}#reports`, 303);
  });
}
