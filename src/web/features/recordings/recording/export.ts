/** Exporting the original exactly as received: a reason first, checked for fixity, audited. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RecordingService } from '../../../../app/recordings/recording-service.ts';
import { DomainError, InvalidDetailsError } from '../../../../domain/shared/errors.ts';
import { bodyOf, requestContext, str, type FormError } from '../../../forms/index.ts';
import { conferenceHeading, EXPORT, recordingParams, type RecordingPagesOptions } from '../common.ts';
import { exportFileName, exportMediaType } from '../../../../app/recordings/export-file.ts';
import { exactBytes, recordingFacts } from '../list-view.ts';

const EXPORT_REASON_MAX = 500;

type Values = Record<string, string>;

/** The original as a download, with its SHA-256 (RFC 9530) so whoever receives it can check it. */
function sendOriginal(
  reply: FastifyReply,
  rid: string,
  exported: Awaited<ReturnType<RecordingService['exportOriginal']>>,
) {
  reply.header('Content-Type', exportMediaType(exported.container));
  reply.header(
    'Content-Disposition',
    `attachment; filename="${exportFileName(rid, exported.startedAt, exported.container)}"`,
  );
  reply.header('Content-Length', String(exported.size));
  reply.header('Repr-Digest', `sha-256=:${Buffer.from(exported.sha256, 'hex').toString('base64')}:`);
  reply.header('Cache-Control', 'no-store');
  return reply.send(exported.stream);
}

export function exportRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  const exportPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Values,
    errors: FormError[] = [],
    status = 400,
  ) => {
    const { rid } = recordingParams.parse(request.params);
    const detail = await recordings.detail(request.actor!, requestContext(request), rid);
    const r = detail.recording;
    if (errors.length) reply.code(status);
    else if (r.status !== 'stored') reply.code(409);
    return reply.view('recordings/export-original.njk', {
      title: 'Export the original recording',
      ...conferenceHeading(detail.conference),
      recordingId: rid,
      recordingHref: `/recordings/${rid}`,
      facts: recordingFacts(r, detail.partLabel),
      stored: r.status === 'stored',
      sha256: r.originalSha256,
      size: exactBytes(r.originalSize),
      fileName: r.status === 'stored' ? exportFileName(rid, r.startedAt, r.container) : null,
      reasonMax: EXPORT_REASON_MAX,
      values,
      errors,
    });
  };

  app.get('/recordings/:rid/original', { config: EXPORT }, async (request, reply) => exportPage(request, reply, {}));

  app.post('/recordings/:rid/original', { config: EXPORT }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const values: Values = { reason: str(bodyOf(request)['reason']) };
    let exported: Awaited<ReturnType<RecordingService['exportOriginal']>>;
    try {
      exported = await recordings.exportOriginal(request.actor!, requestContext(request), rid, values['reason']!);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'FIXITY_FAILED') {
        reply.code(500);
        return reply.view('recordings/export-failed.njk', {
          title: 'No copy was made: the recording failed its integrity check',
          recordingId: rid,
          message: err.message,
        });
      }
      if (err instanceof InvalidDetailsError)
        return exportPage(
          request,
          reply,
          values,
          err.problems.map((p) => ({ text: p.message, href: `#${p.field}` })),
        );
      if (err instanceof DomainError && err.code === 'NOT_STORED')
        return exportPage(request, reply, values, [{ text: err.message, href: '#reason' }], 409);
      throw err;
    }
    return sendOriginal(reply, rid, exported);
  });
}
