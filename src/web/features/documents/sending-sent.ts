/**
 * The page an email link opens (T-7): the copies sent, behind sign-in and the conference's access check, as every
 * page here.
 */
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../forms/index.ts';
import { READ, documentsBase, renderPage } from './shared.ts';
import { type SendingPagesOptions, copyText, sentParams } from './sending-shared.ts';

export function sentCopyRoutes(app: FastifyInstance, { sending }: SendingPagesOptions): void {
  app.get('/conferences/:id/documents/sent/:sendingId', { config: READ }, async (request, reply) => {
    const { id, sendingId } = sentParams.parse(request.params);
    const copy = await sending.sentCopy(request.actor!, id, sendingId, requestContext(request));
    const base = documentsBase(id);
    return renderPage(reply, 'sent.njk', copy.title, {
      copy,
      copies: copy.copies.map((c) => ({ ...c, text: copyText(c), href: `${base}/copies/${c.issuedId}` })),
    });
  });
}
