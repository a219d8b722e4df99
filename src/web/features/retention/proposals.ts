/** Disposal proposals: the list, one proposal, and its approval by a second person or its decline. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { proposalReference } from '../../../app/retention/retention-service.ts';
import { REASON_MAX } from '../../../domain/retention/disposal.ts';
import {
  type FormError,
  bodyOf,
  idParams,
  readingContext,
  requestContext,
  submit,
  text,
  versionOf,
} from '../../forms/index.ts';
import { BASE, DONE, OFFICERS, type RetentionPagesOptions } from './shared.ts';

export function proposalPages(app: FastifyInstance, { retention }: RetentionPagesOptions): void {
  app.get(`${BASE}/proposals`, { config: OFFICERS }, async (request, reply) => {
    const proposals = await retention.proposals(request.actor!, readingContext(request));
    return reply.view('retention/proposals.njk', {
      title: 'Disposal proposals',
      retentionSection: 'proposals',
      proposals: proposals.map((p) => ({ ...p, reference: proposalReference(p.number) })),
    });
  });

  const proposalPage = async (
    reply: FastifyReply,
    request: Parameters<typeof readingContext>[0],
    id: string,
    extra: { errors?: FormError[]; reason?: string; done?: string | undefined } = {},
  ) => {
    const p = await retention.proposal(request.actor!, id, readingContext(request));
    return reply.view('retention/proposal.njk', {
      title: `Disposal proposal ${proposalReference(p.number)}`,
      retentionSection: 'proposals',
      proposal: p,
      reference: proposalReference(p.number),
      ownProposal: p.proposedBy === request.actor!.id,
      errors: extra.errors ?? [],
      values: { reason: extra.reason ?? '' },
      done: extra.done,
      reasonMax: REASON_MAX,
    });
  };

  app.get(`${BASE}/proposals/:id`, { config: OFFICERS }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const done = (request.query as Record<string, unknown> | undefined)?.['done'];
    return proposalPage(reply, request, id, { done: typeof done === 'string' ? DONE[done] : undefined });
  });

  app.post(`${BASE}/proposals/:id/approve`, { config: OFFICERS }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const body = bodyOf(request);
    return submit<unknown, unknown>({
      call: () => retention.approve(request.actor!, id, { version: versionOf(body) }, requestContext(request)),
      next: () => reply.redirect(`${BASE}/proposals/${id}?done=approved`, 303),
      again: (errors, status) => proposalPage(reply.code(status), request, id, { errors }),
    });
  });

  app.post(`${BASE}/proposals/:id/decline`, { config: OFFICERS }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const body = bodyOf(request);
    const reason = text(body, 'reason', REASON_MAX + 1000);
    return submit<unknown, unknown>({
      call: () => retention.decline(request.actor!, id, { version: versionOf(body), reason }, requestContext(request)),
      next: () => reply.redirect(`${BASE}/proposals/${id}?done=declined`, 303),
      again: (errors, status) => proposalPage(reply.code(status), request, id, { errors, reason }),
    });
  });
}
