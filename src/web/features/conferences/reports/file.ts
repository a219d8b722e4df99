/** Downloading a report (audited). */
import type { FastifyInstance } from 'fastify';
import { idParams, requestContext } from '../../../forms/index.ts';
import { type ReportServices, VIEW } from './common.ts';

export function reportFile(app: FastifyInstance, { convening }: ReportServices): void {
  app.get('/conferences/:id/reports/:reportId/file', { config: VIEW }, async (request, reply) => {
    const { id, reportId } = idParams('id', 'reportId').parse(request.params);
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
}
