/** Records that have reached their date, paged and filtered by kind, and proposing the ones ticked. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PAGE_SIZE, type ReviewPage } from '../../../app/retention/retention-service.ts';
import { REASON_MAX } from '../../../domain/retention/disposal.ts';
import { DISPOSABLE_KINDS, type DisposableKind, RECORD_KIND_LABELS } from '../../../domain/retention/schedules.ts';
import {
  type FormError,
  asArray,
  bodyOf,
  idSchema,
  readingContext,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';
import { BASE, DONE, OFFICERS, type RetentionPagesOptions, reviewQuery } from './shared.ts';

/** "No … have reached their date", by kind. */
const EMPTY_KINDS: Readonly<Record<DisposableKind, string>> = {
  'conference-record': 'conference records',
  recording: 'recordings',
  'copy-sent': 'copies sent',
  'copy-request': 'requests for copies',
};

export function reviewPages(app: FastifyInstance, { retention }: RetentionPagesOptions): void {
  const reviewPage = (
    reply: FastifyReply,
    review: ReviewPage,
    extra: { errors?: FormError[]; ticked?: string[]; done?: string | undefined } = {},
  ) => {
    const link = (page: number) =>
      `${BASE}?${new URLSearchParams({ ...(review.kind ? { kind: review.kind } : {}), page: String(page) })}`;
    return reply.view('retention/review.njk', {
      title: 'Records due for destruction',
      retentionSection: 'review',
      review,
      errors: extra.errors ?? [],
      ticked: extra.ticked ?? [],
      done: extra.done,
      emptyKinds: EMPTY_KINDS,
      kinds: DISPOSABLE_KINDS.map((k) => ({ value: k, text: RECORD_KIND_LABELS[k], selected: review.kind === k })),
      pagination:
        review.pages > 1
          ? {
              ...(review.page > 1 ? { previous: { href: link(review.page - 1) } } : {}),
              ...(review.page < review.pages ? { next: { href: link(review.page + 1) } } : {}),
              items: Array.from({ length: review.pages }, (_, i) => ({
                number: i + 1,
                href: link(i + 1),
                current: i + 1 === review.page,
              })),
            }
          : null,
      pageSize: PAGE_SIZE,
    });
  };

  app.get(BASE, { config: OFFICERS }, async (request, reply) => {
    const q = reviewQuery.parse(request.query ?? {});
    const review = await retention.review(request.actor!, { kind: q.kind, page: q.page }, readingContext(request));
    return reviewPage(reply, review, { done: q.done ? DONE[q.done] : undefined });
  });

  app.post(`${BASE}/proposals`, { config: OFFICERS }, async (request, reply) => {
    const body = bodyOf(request);
    const ticked = asArray(body['items']).slice(0, 500);
    const items = ticked.map((v) => {
      const [kind = '', id = ''] = v.split(':');
      return { kind, id: idSchema.safeParse(id).data ?? '' };
    });
    const kind = text(body, 'kind');
    const page = Number(text(body, 'page')) || 1;
    return submit<{ id: string; number: number }, unknown>({
      call: () =>
        retention.propose(
          request.actor!,
          { items, note: text(body, 'note', REASON_MAX + 100) },
          requestContext(request),
        ),
      next: (p) => reply.redirect(`${BASE}/proposals/${p.id}?done=proposed`, 303),
      again: async (errors, status) =>
        reviewPage(
          reply.code(status),
          await retention.review(request.actor!, { kind, page }, readingContext(request)),
          { errors, ticked },
        ),
    });
  });
}
