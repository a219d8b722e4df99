/** The wording of each email, edited by administrators with a preview and checked placeholders. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { MailService, TemplateForEditing } from '../../../app/mail/mail-service.ts';
import { InvalidTemplateError, type RenderedMessage } from '../../../app/mail/templates.ts';
import { ConflictError } from '../../../domain/shared/errors.ts';
import { type FormError, bodyOf, requestContext, zodErrors } from '../../forms/index.ts';
import { ADMIN } from './messages.ts';

const keyParam = z.object({ key: z.string().regex(/^[a-z][a-z0-9-]{0,60}$/) });
const templateForm = z.object({
  subject: z.string().max(2000, 'Subject must be 180 characters or fewer').default(''),
  body: z.string().max(50_000, 'Message must be 10,000 characters or fewer').default(''),
  version: z.coerce.number().int().min(0).default(0),
  action: z.enum(['preview', 'save']).default('save'),
});
const resetForm = z.object({ version: z.coerce.number().int().min(0).default(0) });

/** A template's problems point at the subject or, for anything else, the message. */
const toFormErrors = (problems: readonly { field: string; message: string }[]): FormError[] =>
  problems.map((p) => ({ text: p.message, href: `#${p.field === 'subject' ? 'subject' : 'body'}` }));

const DONE = new Map([
  ['saved', 'Your wording has been saved. New emails use it from now on.'],
  ['reset', 'The default wording has been put back.'],
]);

interface EditState {
  values?: { subject: string; body: string; version: number };
  errors?: FormError[];
  preview?: RenderedMessage | null;
  done?: string | undefined;
  conflict?: boolean;
}

const renderEdit = (reply: FastifyReply, template: TemplateForEditing, extra: EditState = {}) =>
  reply.view('outbox/template-edit.njk', {
    title: `Change the wording: ${template.definition.name}`,
    template,
    values: extra.values ?? { subject: template.subject, body: template.body, version: template.version },
    errors: extra.errors ?? [],
    preview: extra.preview ?? null,
    done: extra.done,
    conflict: extra.conflict ?? false,
  });

export function templatePages(app: FastifyInstance, { mail }: { mail: MailService }): void {
  app.get('/admin/templates', { config: ADMIN }, async (_request, reply) => {
    const templates = await mail.listTemplates();
    return reply.view('outbox/templates.njk', { title: 'Email wording', templates });
  });

  app.get('/admin/templates/:key', { config: ADMIN }, async (request, reply) => {
    const { key } = keyParam.parse(request.params);
    const template = await mail.templateForEditing(key);
    const done = (request.query as Record<string, unknown> | undefined)?.['done'];
    return renderEdit(reply, template, { done: typeof done === 'string' ? DONE.get(done) : undefined });
  });

  app.post('/admin/templates/:key', { config: ADMIN }, async (request, reply) => {
    const { key } = keyParam.parse(request.params);
    const template = await mail.templateForEditing(key);
    const parsed = templateForm.safeParse(bodyOf(request));
    if (!parsed.success)
      return renderEdit(reply.code(400), template, { errors: zodErrors(parsed.error, (f) => f || 'body') });
    const input = parsed.data;
    const values = { subject: input.subject, body: input.body, version: input.version };
    if (input.action === 'preview') {
      const result = mail.previewTemplate(key, input);
      if (!result.ok) return renderEdit(reply.code(400), template, { values, errors: toFormErrors(result.problems) });
      return renderEdit(reply, template, { values, errors: [], preview: result.preview });
    }
    try {
      await mail.saveTemplate(key, input, requestContext(request));
    } catch (err) {
      if (err instanceof InvalidTemplateError)
        return renderEdit(reply.code(400), template, { values, errors: toFormErrors(err.problems) });
      if (!(err instanceof ConflictError)) throw err;
      // Show the wording as it now is, with the administrator's own text kept in the form to copy from.
      const current = await mail.templateForEditing(key);
      return renderEdit(reply.code(409), current, {
        values: { ...values, version: current.version },
        errors: [{ text: err.message, href: '#body' }],
        conflict: true,
      });
    }
    return reply.redirect(`/admin/templates/${key}?done=saved`, 303);
  });

  app.post('/admin/templates/:key/reset', { config: ADMIN }, async (request, reply) => {
    const { key } = keyParam.parse(request.params);
    const { version } = resetForm.parse(bodyOf(request));
    try {
      await mail.resetTemplate(key, version, requestContext(request));
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return renderEdit(reply.code(409), await mail.templateForEditing(key), {
        errors: [{ text: err.message, href: '#body' }],
        conflict: true,
      });
    }
    return reply.redirect(`/admin/templates/${key}?done=reset`, 303);
  });
}
