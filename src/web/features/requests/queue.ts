/**
 * The work queue of requests for copies: open requests soonest due first, with their due date and
 * red/amber/green status, filtered by step and status; a chair or social worker sees only their own.
 */
import type { FastifyInstance } from 'fastify';
import type { RequestService } from '../../../app/requests/request-service.ts';
import type { DeadlineRag } from '../../../domain/calendar/index.ts';
import {
  isRequestState,
  REQUEST_STATE_LABELS,
  REQUEST_STATES,
  REQUEST_STEP_ROLES,
} from '../../../domain/requests/index.ts';
import { requestContext, text, ticked } from '../../forms/index.ts';
import { RAG_TEXT } from './forms.ts';
import { summaryRowModel, VIEW } from './shared.ts';

export async function queueRoutes(app: FastifyInstance, opts: { requests: RequestService }): Promise<void> {
  const { requests } = opts;
  app.get('/requests', { config: VIEW }, async (request, reply) => {
    const q = (request.query ?? {}) as Record<string, unknown>;
    const steps = ticked(q, 'step').filter(isRequestState);
    const statuses = ticked(q, 'status').filter(
      (s): s is DeadlineRag => s === 'overdue' || s === 'due-soon' || s === 'on-track',
    );
    const queue = await requests.queue(
      request.actor!,
      { steps, statuses, mine: text(q, 'mine') === 'yes', includeFinished: text(q, 'finished') === 'yes' },
      requestContext(request),
    );
    return reply.view('requests/queue.njk', {
      title: 'Requests for copies of recordings',
      queue,
      rows: queue.rows.map(summaryRowModel),
      stepItems: REQUEST_STATES.filter(
        (s) => queue.filter.includeFinished || !['closed', 'refused', 'withdrawn'].includes(s),
      ).map((s) => ({
        value: s,
        text: `${REQUEST_STATE_LABELS[s]} (${queue.counts[s] ?? 0})`,
        checked: queue.filter.steps.includes(s),
      })),
      statusItems: (['overdue', 'due-soon', 'on-track'] as const).map((s) => ({
        value: s,
        text: RAG_TEXT[s],
        checked: queue.filter.statuses.includes(s),
      })),
      mine: queue.filter.mine,
      finished: queue.filter.includeFinished,
      isChair: request.actor!.roles.includes('chair'),
      mayReceive: request.actor!.roles.some((r) => REQUEST_STEP_ROLES.receive.includes(r)),
    });
  });
}
