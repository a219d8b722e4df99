/**
 * Retention and disposal, under Administration: the council's retention schedules, the review of records that
 * have reached their date (paged, filtered by kind), legal holds, destruction proposed by one person and approved by
 * a second, and the certificate of what was destroyed (a page and a tagged PDF). Each page calls one use case of
 * RetentionService, which checks the person's role and audits every view, change and refusal.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  PAGE_SIZE,
  type ReviewPage,
  type RetentionService,
  type ScheduleView,
  proposalReference,
} from '../../../app/retention/retention-service.ts';
import { REASON_MAX, fileLabel } from '../../../domain/retention/disposal.ts';
import {
  DISPOSABLE_KINDS,
  KIND_TRIGGERS,
  RECORD_KIND_LABELS,
  RECORD_KIND_SINGULAR,
  RETENTION_ROLES,
  type RecordKind,
  SCHEDULE_ROLES,
  TRIGGER_LABELS,
  isDisposableKind,
  isRecordKind,
} from '../../../domain/retention/schedules.ts';
import {
  type FormError,
  type FormValues,
  asArray,
  bodyOf,
  idParams,
  idSchema,
  readingContext,
  requestContext,
  submit,
  text,
  versionOf,
} from '../../forms/index.ts';

const OFFICERS = { access: [...RETENTION_ROLES] };
const SETTERS = { access: [...SCHEDULE_ROLES] };
const BASE = '/admin/retention';

const reviewQuery = z.object({
  kind: z.enum(DISPOSABLE_KINDS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  done: z.string().max(40).optional(),
});
const holdQuery = z.object({ kind: z.enum(DISPOSABLE_KINDS), id: idSchema });
const kindParam = z.object({ kind: z.string().max(40) });

const DONE: Record<string, string> = {
  proposed: 'Your proposal has been saved. A second person must now approve it before anything is destroyed.',
  approved:
    'You approved the destruction. The records are being destroyed; the certificate appears when it has finished.',
  declined: 'The proposal has been declined. Its records are kept and may be proposed again.',
  'hold-placed': 'The legal hold has been placed. The record will not be offered for destruction while it is held.',
  'hold-removed': 'The legal hold has been removed.',
};

export async function retentionRoutes(
  app: FastifyInstance,
  { retention }: { retention: RetentionService },
): Promise<void> {
  // ---- Review ----
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

  // ---- Schedules ----
  const schedulesPage = (
    reply: FastifyReply,
    views: ScheduleView[],
    extra: {
      kind?: RecordKind;
      values?: FormValues;
      errors?: FormError[];
      done?: string | undefined;
      canChange: boolean;
    },
  ) =>
    reply.view('retention/schedules.njk', {
      title: 'Retention schedules',
      retentionSection: 'schedules',
      schedules: views.map((v) => {
        const values: FormValues =
          extra.kind === v.kind && extra.values
            ? { ...extra.values, version: String(v.version) }
            : {
                trigger: v.schedule.trigger,
                years: String(v.schedule.years),
                minimumYearsAfterConference: String(v.schedule.minimumYearsAfterConference),
                version: String(v.version),
              };
        return {
          ...v,
          values,
          errors: extra.kind === v.kind ? (extra.errors ?? []) : [],
          triggers: KIND_TRIGGERS[v.kind].map((t) => ({
            value: t,
            text: `From ${TRIGGER_LABELS[t]}`,
            checked: values['trigger'] === t,
          })),
        };
      }),
      errors: extra.errors ?? [],
      done: extra.done,
      canChange: extra.canChange,
    });
  const canChange = (roles: readonly string[]) => roles.some((r) => (SCHEDULE_ROLES as readonly string[]).includes(r));

  app.get(`${BASE}/schedules`, { config: OFFICERS }, async (request, reply) => {
    const done = (request.query as Record<string, unknown> | undefined)?.['done'];
    const views = await retention.schedules(request.actor!, readingContext(request));
    return schedulesPage(reply, views, {
      done: isRecordKind(done) ? `${RECORD_KIND_LABELS[done]}: your change has been saved.` : undefined,
      canChange: canChange(request.actor!.roles),
    });
  });

  app.post(`${BASE}/schedules/:kind`, { config: SETTERS }, async (request, reply) => {
    const { kind } = kindParam.parse(request.params);
    if (!isRecordKind(kind)) return reply.callNotFound();
    const body = bodyOf(request);
    const values = {
      trigger: text(body, 'trigger', 40),
      years: text(body, 'years', 10),
      minimumYearsAfterConference: text(body, 'minimumYearsAfterConference', 10),
    };
    return submit<unknown, unknown>({
      call: () =>
        retention.changeSchedule(
          request.actor!,
          kind,
          { value: values, version: versionOf(body) },
          requestContext(request),
        ),
      next: () => reply.redirect(`${BASE}/schedules?done=${kind}`, 303),
      again: async (errors, status) =>
        schedulesPage(reply.code(status), await retention.schedules(request.actor!, readingContext(request)), {
          kind,
          values,
          errors: errors.map((e) => ({
            ...e,
            href: e.href === '#main-content' ? e.href : `#${kind}-${e.href.slice(1)}`,
          })),
          canChange: true,
        }),
    });
  });

  // ---- Holds ----
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

  // ---- Proposals ----
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

  // ---- Certificates ----
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
