/** Parents' own reports (a file checked by content, or typed text) and the help offered or arranged (002 §3.2, 001). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_PARENT_REPORT_BYTES, type ParticipationService } from '../../../app/participation/service.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';
import { participationOut, reportOut } from './mapping.ts';
import {
  EDIT,
  READ,
  TAGS,
  errors,
  inviteeParams,
  parentReportSchema,
  participationSchema,
  reportParams,
} from './schemas.ts';

export async function parentRoutes(app: FastifyInstance, service: ParticipationService): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  // The file is the body, read into memory up to the limit: its type is decided from its content, never from the
  // request's Content-Type or a file name. Typed text is sent as JSON.
  await app.register(async (upload) => {
    upload.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    upload.withTypeProvider<ZodTypeProvider>().post(
      '/conferences/:id/participation/parents/:inviteeId/reports',
      {
        config: EDIT,
        bodyLimit: MAX_PARENT_REPORT_BYTES,
        schema: {
          operationId: 'ParticipationService.addParentReport',
          summary: 'Add a parent’s own report (002 §3.2)',
          description:
            'Either the file as the body (`Content-Type: application/octet-stream`, at most 20 MB, 413 otherwise): a PDF, Word document (.docx or .doc), OpenDocument text (.odt) or UTF-8 text, decided from its content (422 otherwise); or JSON `{ "text": "…" }` typed in for them. For a parent or carer invited (422 otherwise). Kept with the conference’s other reports. Audited.',
          tags: TAGS,
          params: inviteeParams,
          consumes: ['application/octet-stream', 'application/json'],
          response: { 201: parentReportSchema, ...errors, 413: errorResponse },
        },
      },
      async (request, reply) =>
        withRules(reply, async () => {
          const body = request.body as unknown;
          const input = Buffer.isBuffer(body)
            ? { file: body }
            : { text: typeof (body as { text?: unknown })?.text === 'string' ? (body as { text: string }).text : '' };
          const report = await service.addParentReport(
            request.actor!,
            request.params.id,
            request.params.inviteeId,
            input,
            requestContext(request),
          );
          return reply.code(201).send(reportOut(report));
        }),
    );
  });

  api.get(
    '/conferences/:id/participation/reports/:reportId/file',
    {
      config: READ,
      schema: {
        operationId: 'ParticipationService.openParentReport',
        summary: 'Download a parent’s report',
        description: 'The file exactly as stored, with its media type. Every download is audited.',
        tags: TAGS,
        params: reportParams,
        response: { 200: z.unknown().describe('The file’s bytes'), ...errors },
      },
    },
    async (request, reply) => {
      const { report, stream, mediaType, fileName } = await service.openParentReport(
        request.actor!,
        request.params.id,
        request.params.reportId,
        requestContext(request),
      );
      reply.header('Content-Type', mediaType);
      reply.header('Content-Disposition', `attachment; filename="${fileName}"`);
      reply.header('Content-Length', String(report.sizeBytes));
      return reply.send(stream);
    },
  );

  api.put(
    '/conferences/:id/participation/parents/:inviteeId/help',
    {
      config: EDIT,
      schema: {
        operationId: 'ParticipationService.recordHelp',
        summary: 'Help offered or arranged for a parent to take part (002 §3.2)',
        description:
          '`kind`: report-preparation, travel, reading, childcare or disability; `status`: offered, arranged or declined; `arrangedBy` unless declined; `details` required for a disability. One per kind: recording again replaces it. Audited.',
        tags: TAGS,
        params: inviteeParams,
        body: z.object({
          kind: z.string().max(40),
          status: z.string().max(20),
          arrangedBy: z.string().max(200).default(''),
          details: z.string().max(2_000).default(''),
        }),
        response: { 200: participationSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        participationOut(
          await service.recordHelp(
            request.actor!,
            request.params.id,
            request.params.inviteeId,
            request.body,
            requestContext(request),
          ),
        ),
      ),
  );
}
