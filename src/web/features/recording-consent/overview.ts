/**
 * P-4, P-5, P-6, P-7: the family's recording at one conference: each request, everyone's answers and the outcome,
 * what the chair must do now, the limits accepted, and the copies of the family's recording stored with it.
 */
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../forms/index.ts';
import { READ, type RecordingConsentPagesOptions, base, conferenceParams, doneOf, heading, render } from './shared.ts';

const kb = (size: number) =>
  size >= 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(size / 1024)} KB`;

export function overviewRoutes(app: FastifyInstance, { recordingConsent }: RecordingConsentPagesOptions): void {
  app.get('/conferences/:id/recording-consent', { config: READ }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await recordingConsent.onTheDay(request.actor!, id, requestContext(request));
    return render(reply, 'overview.njk', 'Recording by the family', {
      ...heading(view),
      view,
      base: base(view.conference.id),
      done: doneOf(request.query),
      copies: view.copies.map((c) => ({
        ...c,
        sizeText: kb(c.size),
        href: `${base(view.conference.id)}/copies/${c.id}`,
      })),
    });
  });
}
