/**
 * The printable pages of sending (W-6, T-6): the post pack, and the distribution report business support prints.
 */
import type { FastifyInstance } from 'fastify';
import { englandDateTime, formatLongDate } from '../../../domain/calendar/index.ts';
import { requestContext } from '../../forms/index.ts';
import { READ, WRITE, conferenceParams, documentsBase, renderPage } from './shared.ts';
import { type SendingPagesOptions, copyText, distributionModel } from './sending-shared.ts';

export function sendingPrintRoutes(app: FastifyInstance, { sending }: SendingPagesOptions): void {
  app.get('/conferences/:id/documents/post-pack', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const pack = await sending.postPack(request.actor!, id, requestContext(request));
    const base = documentsBase(id);
    return renderPage(reply, 'post-pack.njk', 'Post pack', {
      pack,
      base,
      conferenceDateText: formatLongDate(pack.conferenceDate),
      entries: pack.entries.map((e) => ({
        ...e,
        enclose: e.enclose.map((c) => ({ ...c, text: copyText(c), href: `${base}/copies/${c.issuedId}` })),
      })),
    });
  });

  app.get('/conferences/:id/documents/report', { config: READ }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await sending.distribution(request.actor!, id, requestContext(request));
    return renderPage(reply, 'report.njk', 'Distribution report', {
      ...distributionModel(view),
      printedText: englandDateTime(new Date()),
    });
  });
}
