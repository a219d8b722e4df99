import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { MailService, TemplateForEditing } from '../../../app/mail/mail-service.ts';
import { OUTBOX_STATES, type OutboxMessageView, type OutboxState } from '../../../app/mail/ports.ts';
import { InvalidTemplateError, type RenderedMessage, templateDefinition } from '../../../app/mail/templates.ts';
import { ConflictError } from '../../../domain/shared/errors.ts';
import { bodyOf, problemsAsErrors, requestContext } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

const ADMIN = ['admin'] as const;

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
const idParam = z.object({ id: idSchema });
const keyParam = z.object({ key: z.string().regex(/^[a-z][a-z0-9-]{0,60}$/) });
const templateForm = z.object({
  subject: z.string().max(2000, 'Subject must be 180 characters or fewer').default(''),
  body: z.string().max(50_000, 'Message must be 10,000 characters or fewer').default(''),
  version: z.coerce.number().int().min(0).default(0),
  action: z.enum(['preview', 'save']).default('save'),
});
const resetForm = z.object({ version: z.coerce.number().int().min(0).default(0) });

const FIELD_IDS: Record<string, string> = { subject: 'subject', body: 'body' };
const toFormErrors = (problems: readonly { field: string; message: string }[]): FormError[] =>
  problems.map((p) => ({ text: p.message, href: `#${FIELD_IDS[p.field] ?? 'body'}` }));

const messageView = (message: OutboxMessageView, canRetry: boolean) => ({
  title: 'Email in the outbox',
  message,
  stateTag: STATE_LABELS[message.state],
  completedLabel: message.state === 'kept' ? 'Kept' : 'Sent',
  templateName: templateDefinition(message.templateKey)?.name ?? message.templateKey,
  transportText: message.transport ? (VIA[message.transport] ?? message.transport) : 'Not yet',
  canRetry,
});

export interface OutboxRoutesOptions {
  mail: MailService;
}

/**
 * Administrators' pages for email: the outbox (every message, its state and attempts; one message's
 * text, audited when opened) and the wording of each email, edited with a preview and checked placeholders.
 */
export async function outboxRoutes(app: FastifyInstance, { mail }: OutboxRoutesOptions): Promise<void> {
  app.get('/admin/outbox', { config: { access: ADMIN } }, async (request, reply) => {
    const q = listQuery.parse(request.query ?? {});
    const result = await mail.listMessages({ state: q.state, page: q.page ?? 1 });
    const stateLink = (s: OutboxState | undefined) => (s ? `/admin/outbox?state=${s}` : '/admin/outbox');
    const pageLink = (p: number) =>
      `/admin/outbox?${new URLSearchParams({ ...(q.state ? { state: q.state } : {}), page: String(p) }).toString()}`;
    return reply.view('outbox/outbox.njk', {
      title: q.state ? `Outbox: ${STATE_LABELS[q.state].text}` : 'Outbox',
      transportText: TRANSPORT_TEXT[mail.transportName],
      filters: [
        {
          text: 'All',
          count: OUTBOX_STATES.reduce((n, s) => n + result.counts[s], 0),
          href: stateLink(undefined),
          current: !q.state,
        },
        ...OUTBOX_STATES.map((s) => ({
          text: STATE_LABELS[s].text,
          count: result.counts[s],
          href: stateLink(s),
          current: q.state === s,
        })),
      ],
      messages: result.messages.map((m) => ({ ...m, stateTag: STATE_LABELS[m.state] })),
      total: result.total,
      pagination:
        result.pages > 1
          ? {
              ...(result.page > 1 ? { previous: { href: pageLink(result.page - 1) } } : {}),
              ...(result.page < result.pages ? { next: { href: pageLink(result.page + 1) } } : {}),
              items: Array.from({ length: result.pages }, (_, i) => ({
                number: i + 1,
                href: pageLink(i + 1),
                current: i + 1 === result.page,
              })),
            }
          : null,
    });
  });

  app.get('/admin/outbox/:id', { config: { access: ADMIN } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const message = await mail.viewMessage(id, requestContext(request));
    return reply.view(
      'outbox/message.njk',
      messageView(message, message.state === 'failed' || message.state === 'rejected'),
    );
  });

  app.post('/admin/outbox/:id/retry', { config: { access: ADMIN } }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
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

  app.get('/admin/templates', { config: { access: ADMIN } }, async (_request, reply) => {
    const templates = await mail.listTemplates();
    return reply.view('outbox/templates.njk', { title: 'Email wording', templates });
  });

  const renderEdit = (
    reply: FastifyReply,
    template: TemplateForEditing,
    extra: {
      values?: { subject: string; body: string; version: number };
      errors?: FormError[];
      preview?: RenderedMessage | null;
      done?: string | undefined;
      conflict?: boolean;
    } = {},
  ) =>
    reply.view('outbox/template-edit.njk', {
      title: `Change the wording: ${template.definition.name}`,
      template,
      values: extra.values ?? { subject: template.subject, body: template.body, version: template.version },
      errors: extra.errors ?? [],
      preview: extra.preview ?? null,
      done: extra.done,
      conflict: extra.conflict ?? false,
    });

  app.get('/admin/templates/:key', { config: { access: ADMIN } }, async (request, reply) => {
    const { key } = keyParam.parse(request.params);
    const template = await mail.templateForEditing(key);
    const done = (request.query as Record<string, unknown> | undefined)?.['done'];
    return renderEdit(reply, template, {
      done:
        done === 'saved'
          ? 'Your wording has been saved. New emails use it from now on.'
          : done === 'reset'
            ? 'The default wording has been put back.'
            : undefined,
    });
  });

  app.post('/admin/templates/:key', { config: { access: ADMIN } }, async (request, reply) => {
    const { key } = keyParam.parse(request.params);
    const template = await mail.templateForEditing(key);
    const parsed = templateForm.safeParse(bodyOf(request));
    if (!parsed.success) {
      reply.code(400);
      return renderEdit(reply, template, {
        errors: parsed.error.issues.map((i) => ({ text: i.message, href: `#${String(i.path[0] ?? 'body')}` })),
      });
    }
    const input = parsed.data;
    const values = { subject: input.subject, body: input.body, version: input.version };
    if (input.action === 'preview') {
      const result = mail.previewTemplate(key, input);
      if (!result.ok) reply.code(400);
      return renderEdit(reply, template, {
        values,
        errors: result.ok ? [] : toFormErrors(result.problems),
        preview: result.ok ? result.preview : null,
      });
    }
    try {
      await mail.saveTemplate(key, input, requestContext(request));
    } catch (err) {
      if (err instanceof InvalidTemplateError) {
        reply.code(400);
        return renderEdit(reply, template, { values, errors: toFormErrors(err.problems) });
      }
      if (err instanceof ConflictError) {
        // Show the wording as it now is, with the administrator's own text kept in the form to copy from.
        reply.code(409);
        const current = await mail.templateForEditing(key);
        return renderEdit(reply, current, {
          values: { subject: input.subject, body: input.body, version: current.version },
          errors: [{ text: err.message, href: '#body' }],
          conflict: true,
        });
      }
      throw err;
    }
    return reply.redirect(`/admin/templates/${key}?done=saved`, 303);
  });

  app.post('/admin/templates/:key/reset', { config: { access: ADMIN } }, async (request, reply) => {
    const { key } = keyParam.parse(request.params);
    const { version } = resetForm.parse(bodyOf(request));
    try {
      await mail.resetTemplate(key, version, requestContext(request));
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      reply.code(409);
      return renderEdit(reply, await mail.templateForEditing(key), {
        errors: [{ text: err.message, href: '#body' }],
        conflict: true,
      });
    }
    return reply.redirect(`/admin/templates/${key}?done=reset`, 303);
  });
}
