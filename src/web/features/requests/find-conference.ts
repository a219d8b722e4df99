/**
 * "Record a request" from the work queue: the person first finds the conference, by a child's
 * name or local case reference, then records the request on that conference's pages as before. The
 * search is a POST (a child's name never goes in a URL); the children found are only those the person
 * may see (the people service's search checks and audits it), and only conferences whose every child
 * they may see are offered (RequestService.findConferences, audited).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatLongDate } from '../../../domain/calendar/index.ts';
import { STATUS_LABELS, type ConferenceStatus } from '../../../domain/conferences/lifecycle.ts';
import { bodyOf, requestContext, text } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import { ruleErrors } from './forms.ts';
import { RECEIVE, type RequestPagesOptions } from './shared.ts';

export async function findConferenceRoutes(
  app: FastifyInstance,
  opts: Pick<RequestPagesOptions, 'requests'>,
): Promise<void> {
  const { requests } = opts;

  const page = (
    reply: FastifyReply,
    values: { name: string; reference: string },
    extra: { errors?: FormError[]; results?: unknown[] | null; more?: boolean } = {},
  ) => {
    if (extra.errors?.length) reply.code(400);
    return reply.view('requests/new-request.njk', {
      title: 'Record a request: find the conference',
      values,
      errors: extra.errors ?? [],
      results: extra.results ?? null,
      more: extra.more ?? false,
    });
  };

  app.get('/requests/new', { config: RECEIVE }, async (_request, reply) => page(reply, { name: '', reference: '' }));

  app.post('/requests/new', { config: RECEIVE }, async (request: FastifyRequest, reply) => {
    const body = bodyOf(request);
    const values = { name: text(body, 'name').trim(), reference: text(body, 'reference').trim() };
    if (!values.name && !values.reference)
      return page(reply, values, {
        errors: [{ text: 'Enter the child’s name or local case reference', href: '#name' }],
      });
    let found;
    try {
      found = await requests.findConferences(request.actor!, values, requestContext(request));
    } catch (err) {
      return page(reply, values, {
        errors: ruleErrors(err).map((e) => (e.href === '#main-content' ? { ...e, href: '#name' } : e)),
      });
    }
    const results = found.conferences.map((c) => ({
      ...c,
      dateText: formatLongDate(c.date),
      statusLabel: STATUS_LABELS[c.status as ConferenceStatus] ?? c.status,
      recordingsText:
        c.recordings === 0
          ? 'No recording stored yet'
          : c.recordings === 1
            ? '1 recording'
            : `${c.recordings} recordings`,
      href: `/conferences/${c.id}/requests/new`,
    }));
    return page(reply, values, { results, more: found.more });
  });
}
