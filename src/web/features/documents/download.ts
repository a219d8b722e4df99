/**
 * One issued copy's file (W-1, W-3): the fixed bytes as issued, checked against their SHA-256 by the use case,
 * which audits the download as a view of sensitive data. Sent as an attachment, never cached, with a file name
 * that names no person.
 */
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../forms/index.ts';
import { type DocumentPagesOptions, READ, issuedParams } from './shared.ts';

/** A file name safe in a header: the use case's name, with anything but letters, digits, dots and dashes replaced. */
export const safeFileName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 150) || 'document';

export function downloadRoutes(app: FastifyInstance, { documents }: DocumentPagesOptions): void {
  app.get('/conferences/:id/documents/copies/:issuedId', { config: READ }, async (request, reply) => {
    const { id, issuedId } = issuedParams.parse(request.params);
    const copy = await documents.download(request.actor!, id, issuedId, requestContext(request));
    return reply
      .type(copy.record.mediaType)
      .header('Content-Disposition', `attachment; filename="${safeFileName(copy.fileName)}"`)
      .header('Cache-Control', 'no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .send(Buffer.from(copy.bytes.buffer, copy.bytes.byteOffset, copy.bytes.byteLength));
  });
}
