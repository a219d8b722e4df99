/** The outbox: every message with its state and attempts, one message's text (audited when opened), and retrying one. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { MailService } from '../../../app/mail/mail-service.ts';
import { OUTBOX_STATES, type OutboxMessageView, type OutboxState } from '../../../app/mail/ports.ts';
import { templateDefinition } from '../../../app/mail/templates.ts';
import { idParams, problemsAsErrors, requestContext } from '../../forms/index.ts';

export const ADMIN = { access: ['admin'] as const };

/** How each state reads to an administrator, with the tag colour. */
export const STATE_LABELS: Record<OutboxState, { text: string; classes: string }> = {
  queued: { text: 'Waiting to send', classes: 'govuk-tag--blue' },
  sending: { text: 'Sending', classes: 'govuk-tag--light-blue' },
  sent: { text: 'Sent', classes: 'govuk-tag--green' },
  kept: { text: 'Kept in outbox', classes: 'govuk-tag--grey' },
  failed: { text: 'Not sent yet, will try again', classes: 'govuk-tag--orange' },
  rejected: { text: 'Refused by the mail service', classes: 'govuk-tag--red' },
};

const TRANSPORT_TEXT: Record<'outbox' | 'smtp' | 'notify', string> = {
  outbox: 'Email is not being sent: every message is kept here for you to read (MAIL_TRANSPORT=outbox).',
  smtp: 'Email is sent through the council’s mail server (SMTP).',
  notify: 'Email is sent through GOV.UK Notify.',
};

const VIA: Record<string, string> = {
  outbox: 'Kept in the outbox, not sent',
  smtp: 'The council’s mail server (SMTP)',
  notify: 'GOV.UK Notify',
};

const listQuery = z.object({
  state: z.enum(OUTBOX_STATES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

const messageView = (message: OutboxMessageView, canRetry: boolean) => ({
  title: 'Email in the outbox',
  message,
  stateTag: STATE_LABELS[message.state],
  completedLabel: message.state === 'kept' ? 'Kept' : 'Sent',
  templateName: templateDefinition(message.templateKey)?.name ?? message.templateKey,
  transportText: message.transport ? (VIA[message.transport] ?? message.transport) : 'Not yet',
  canRetry,
});

/** Page links for the list, when it has more than one page. */
function pagination(result: { page: number; pages: number }, pageLink: (p: number) => string) {
  if (result.pages <= 1) return null;
  return {
    ...(result.page > 1 ? { previous: { href: pageLink(result.page - 1) } } : {}),
    ...(result.page < result.pages ? { next: { href: pageLink(result.page + 1) } } : {}),
    items: Array.from({ length: result.pages }, (_, i) => ({
      number: i + 1,
      href: pageLink(i + 1),
      current: i + 1 === result.page,
    })),
  };
}

export function messagePages(app: FastifyInstance, { mail }: { mail: MailService }): void {
  app.get('/admin/outbox', { config: ADMIN }, async (request, reply) => {
    const q = listQuery.parse(request.query ?? {});
    const result = await mail.listMessages({ state: q.state, page: q.page ?? 1 });
    const stateLink = (s: OutboxState | undefined) => (s ? `/admin/outbox?state=${s}` : '/admin/outbox');
    const pageLink = (p: number) =>
      `/admin/outbox?${new URLSearchParams({ ...(q.state ? { state: q.state } : {}), page: String(p) }).toString()}`;
    const all = OUTBOX_STATES.reduce((n, s) => n + result.counts[s], 0);
    return reply.view('outbox/outbox.njk', {
      title: q.state ? `Outbox: ${STATE_LABELS[q.state].text}` : 'Outbox',
      transportText: TRANSPORT_TEXT[mail.transportName],
      filters: [
        { text: 'All', count: all, href: stateLink(undefined), current: !q.state },
        ...OUTBOX_STATES.map((s) => ({
          text: STATE_LABELS[s].text,
          count: result.counts[s],
          href: stateLink(s),
          current: q.state === s,
        })),
      ],
      messages: result.messages.map((m) => ({ ...m, stateTag: STATE_LABELS[m.state] })),
      total: result.total,
      pagination: pagination(result, pageLink),
    });
  });

  app.get('/admin/outbox/:id', { config: ADMIN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const message = await mail.viewMessage(id, requestContext(request));
    const canRetry = message.state === 'failed' || message.state === 'rejected';
    return reply.view('outbox/message.njk', messageView(message, canRetry));
  });

  app.post('/admin/outbox/:id/retry', { config: ADMIN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    try {
      await mail.retryMessage(id, requestContext(request));
    } catch (err) {
      const errors = problemsAsErrors(err);
      const message = await mail.viewMessage(id, requestContext(request));
      reply.code(400);
      return reply.view('outbox/message.njk', { ...messageView(message, false), errors });
    }
    return reply.redirect(`/admin/outbox/${id}`, 303);
  });
}
