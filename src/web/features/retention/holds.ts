/** Legal holds: the current holds, placing one on a record with a reason, and removing one with a reason. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RetentionService } from '../../../app/retention/retention-service.ts';
import { REASON_MAX } from '../../../domain/retention/disposal.ts';
import { RECORD_KIND_SINGULAR, isDisposableKind } from '../../../domain/retention/schedules.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  readingContext,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';
import { BASE, DONE, OFFICERS, type RetentionPagesOptions, holdQuery, reviewQuery } from './shared.ts';

export function holdPages(app: FastifyInstance, { retention }: RetentionPagesOptions): void {
  app.get(`${BASE}/holds`, { config: OFFICERS }, async (request, reply) => {
    const q = reviewQuery.parse(request.query ?? {});
    const holds = await retention.holds(request.actor!, readingContext(request));
    return reply.view('retention/holds.njk', {
      title: 'Legal holds',
      retentionSection: 'holds',
      holds: holds.map((h) => ({ ...h, what: RECORD_KIND_SINGULAR[h.kind] })),
      done: q.done ? DONE[q.done] : undefined,
    });
  });

  const holdForm = (reply: FastifyReply, item: { kind: string; id: string }, values: FormValues, errors: FormError[]) =>
    reply.view('retention/hold-new.njk', {
      title: 'Place a legal hold',
      retentionSection: 'holds',
      item: { ...item, what: isDisposableKind(item.kind) ? RECORD_KIND_SINGULAR[item.kind] : 'Record' },
      values,
      errors,
      reasonMax: REASON_MAX,
    });

  app.get(`${BASE}/holds/new`, { config: OFFICERS }, async (request, reply) => {
    const q = holdQuery.safeParse(request.query ?? {});
    if (!q.success) return reply.callNotFound();
    return holdForm(reply, q.data, { reason: '' }, []);
  });

  app.post(`${BASE}/holds`, { config: OFFICERS }, async (request, reply) => {
    const body = bodyOf(request);
    const q = holdQuery.safeParse({ kind: text(body, 'kind'), id: text(body, 'itemId') });
    if (!q.success) return reply.callNotFound();
    const reason = text(body, 'reason', REASON_MAX + 1000);
    return submit<unknown, unknown>({
      call: () =>
        retention.placeHold(request.actor!, { kind: q.data.kind, itemId: q.data.id, reason }, requestContext(request)),
      next: () => reply.redirect(`${BASE}/holds?done=hold-placed`, 303),
      again: (errors, status) => holdForm(reply.code(status), q.data, { reason }, errors),
    });
  });

  const removeForm = async (
    reply: FastifyReply,
    hold: Awaited<ReturnType<RetentionService['hold']>>,
    values: FormValues,
    errors: FormError[],
  ) =>
    reply.view('retention/hold-remove.njk', {
      title: 'Remove a legal hold',
      retentionSection: 'holds',
      hold: { ...hold, what: RECORD_KIND_SINGULAR[hold.kind] },
      values,
      errors,
      reasonMax: REASON_MAX,
    });

  app.get(`${BASE}/holds/:id/remove`, { config: OFFICERS }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    return removeForm(reply, await retention.hold(request.actor!, id, readingContext(request)), { reason: '' }, []);
  });

  app.post(`${BASE}/holds/:id/remove`, { config: OFFICERS }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const reason = text(bodyOf(request), 'reason', REASON_MAX + 1000);
    return submit<unknown, unknown>({
      call: () => retention.removeHold(request.actor!, id, { reason }, requestContext(request)),
      next: () => reply.redirect(`${BASE}/holds?done=hold-removed`, 303),
      again: async (errors, status) =>
        removeForm(
          reply.code(status),
          await retention.hold(request.actor!, id, readingContext(request)),
          { reason },
          errors,
        ),
    });
  });
}
