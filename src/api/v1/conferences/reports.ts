/**
 * Agencies' reports to a conference: adding one, downloading one (audited), and whether the family has them
 * (T-5): shared on a date, all waiting shared on one date, or withheld with the reason (002 §3.4).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_REPORT_BYTES } from '../../../app/conferences/convening-service.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';
import { reportOut } from './mapping.ts';
import { EDIT, VIEW, conferenceParams, conferenceSchema, errors, isoDate } from './schemas.ts';

const reportSchema = conferenceSchema.shape.reports.element;

const reportParams = z.object({
  id: idSchema.describe('The conference’s id'),
  reportId: idSchema.describe('The report’s id'),
});
const noBody = (what: string) => z.null().describe(what);

/** The conference is held, adjourned or cancelled: 409 (as is a report already shared or withheld). */
const CONFLICTS = new Set(['CONFERENCE_CLOSED']);

export async function reportsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { convening } = services;

  // The file is the body, read into memory up to the limit: its type is decided from its content (a
  // PDF, Word or OpenDocument text), never from the request's Content-Type or a file name.
  await app.register(async (upload) => {
    upload.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    upload.withTypeProvider<ZodTypeProvider>().post(
      '/conferences/:id/reports',
      {
        config: EDIT,
        bodyLimit: MAX_REPORT_BYTES,
        schema: {
          operationId: 'ConveningService.uploadReport',
          summary: 'Add an agency’s report',
          description:
            'The file as the body (`Content-Type: application/octet-stream`, at most 20 MB, 413 otherwise): a PDF, a Word document (.docx or .doc) or OpenDocument text (.odt), decided from its content (422 otherwise). `agencyId` is the agency it is from (see /agencies). 409 once the conference is held, adjourned or cancelled. Audited.',
          tags: ['conferences'],
          params: conferenceParams,
          querystring: z.object({ agencyId: idSchema.describe('The agency the report is from') }),
          consumes: ['application/octet-stream'],
          response: { 201: reportSchema, ...errors, 409: errorResponse, 413: errorResponse, 422: errorResponse },
        },
      },
      async (request, reply) =>
        withRules(
          reply,
          async () => {
            const content = Buffer.isBuffer(request.body) ? request.body : null;
            const report = await convening.uploadReport(
              request.actor!,
              request.params.id,
              { agencyId: request.query.agencyId, content },
              requestContext(request),
            );
            return reply.code(201).send(reportOut(report));
          },
          CONFLICTS,
        ),
    );
  });

  api.get(
    '/conferences/:id/reports/:reportId/file',
    {
      config: VIEW,
      schema: {
        operationId: 'ConveningService.openReport',
        summary: 'Download a report',
        description:
          'The file exactly as stored, with its media type (decided from its content when it was added). Every download is audited.',
        tags: ['conferences'],
        params: reportParams,
        response: { 200: z.unknown().describe('The file’s bytes'), ...errors },
      },
    },
    async (request, reply) => {
      const { report, stream, fileName } = await convening.openReport(
        request.actor!,
        request.params.id,
        request.params.reportId,
        requestContext(request),
      );
      reply.header('Content-Type', report.mediaType ?? 'application/octet-stream');
      reply.header('Content-Disposition', `attachment; filename="${fileName}"`);
      if (report.sizeBytes !== null) reply.header('Content-Length', String(report.sizeBytes));
      return reply.send(stream);
    },
  );

  api.post(
    '/conferences/:id/reports/:reportId/shared',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.recordReportShared',
        summary: 'Record a report as shared with the family',
        description:
          'T-5: the day it reached the family (today or earlier). A police report is shared only with `policeConfirmed` (the chair agreed) and a `reason` (422 otherwise). Audited.',
        tags: ['conferences'],
        params: reportParams,
        body: z.object({
          sharedOn: isoDate('The day it was shared; today or earlier'),
          policeConfirmed: z.boolean().optional().describe('A police report: the chair agreed it may be shared'),
          reason: z.string().max(1000).nullish().describe('A police report: why it is shared'),
        }),
        response: { 204: noBody('Recorded'), ...errors, 409: errorResponse, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          await convening.recordReportShared(
            request.actor!,
            request.params.id,
            request.params.reportId,
            request.body,
            requestContext(request),
          );
          return reply.code(204).send(null);
        },
        CONFLICTS,
      ),
  );

  api.post(
    '/conferences/:id/reports/shared',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.recordReportsShared',
        summary: 'Record every report waiting as shared with the family on one day',
        description:
          'T-5: every report neither shared nor withheld, except police reports, which need the chair’s agreement one by one. Audited.',
        tags: ['conferences'],
        params: conferenceParams,
        body: z.object({ sharedOn: isoDate('The day they were shared; today or earlier') }),
        response: {
          200: z.object({
            recorded: z.number().int().describe('Reports recorded as shared'),
            policeNotShared: z.number().int().describe('Police reports left for the chair’s agreement'),
          }),
          ...errors,
          409: errorResponse,
          422: errorResponse,
        },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        () =>
          convening.recordReportsShared(
            request.actor!,
            request.params.id,
            request.body.sharedOn,
            requestContext(request),
          ),
        CONFLICTS,
      ),
  );

  api.post(
    '/conferences/:id/reports/:reportId/withheld',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.withholdReport',
        summary: 'Withhold a report from the family',
        description: '002 §3.4: with the reason, kept on the record and never sent to the family. Audited.',
        tags: ['conferences'],
        params: reportParams,
        body: z.object({ reason: z.string().max(1000).describe('Why the family is not to have it') }),
        response: { 204: noBody('Recorded'), ...errors, 409: errorResponse, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          await convening.withholdReport(
            request.actor!,
            request.params.id,
            request.params.reportId,
            request.body.reason,
            requestContext(request),
          );
          return reply.code(204).send(null);
        },
        CONFLICTS,
      ),
  );
}
