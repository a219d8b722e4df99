/** The certificate of a finished destruction: a page and a tagged PDF. */
import type { FastifyInstance } from 'fastify';
import { fileLabel } from '../../../domain/retention/disposal.ts';
import { idParams, readingContext } from '../../forms/index.ts';
import { BASE, OFFICERS, type RetentionPagesOptions } from './shared.ts';

export function certificatePages(app: FastifyInstance, { retention }: RetentionPagesOptions): void {
  app.get(`${BASE}/proposals/:id/certificate`, { config: OFFICERS }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const certificate = await retention.certificate(request.actor!, id, readingContext(request));
    return reply.view('retention/certificate.njk', {
      title: `Disposal certificate ${certificate.reference}`,
      retentionSection: 'proposals',
      certificate: {
        ...certificate,
        destroyed: certificate.destroyed.map((d) => ({
          ...d,
          files: d.evidence.files.map((f) => ({ ...f, label: fileLabel(f.what) })),
        })),
      },
    });
  });

  app.get(`${BASE}/proposals/:id/certificate.pdf`, { config: OFFICERS }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const { bytes, fileName } = await retention.certificatePdf(request.actor!, id, readingContext(request));
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(bytes));
  });
}
