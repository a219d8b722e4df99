/** The wording of letters (W-1, W-6, W-7), edited by administrators with a preview and checked placeholders, as emails are. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { LetterWordingForEditing, LetterWordingService } from '../../../app/documents/letter-wording-service.ts';
import { InvalidTemplateError } from '../../../app/mail/templates.ts';
import { ConflictError } from '../../../domain/shared/errors.ts';
import { type FormError, bodyOf, requestContext, zodErrors } from '../../forms/index.ts';
import { ADMIN } from './messages.ts';

const keyParam = z.object({ key: z.string().regex(/^letter-[a-z0-9-]{1,60}$/) });
const letterForm = z.object({
  body: z.string().max(50_000, 'Wording must be 10,000 characters or fewer').default(''),
  version: z.coerce.number().int().min(0).default(0),
  action: z.enum(['preview', 'save']).default('save'),
});
const resetForm = z.object({ version: z.coerce.number().int().min(0).default(0) });

const toFormErrors = (problems: readonly { message: string }[]): FormError[] =>
  problems.map((p) => ({ text: p.message, href: '#body' }));

const DONE = new Map([
  ['saved', 'Your wording has been saved. Letters written from now on use it.'],
  ['reset', 'The default wording has been put back.'],
]);

interface EditState {
  values?: { body: string; version: number };
  errors?: FormError[];
  preview?: string | null;
  done?: string | undefined;
  conflict?: boolean;
}

const renderEdit = (reply: FastifyReply, letter: LetterWordingForEditing, extra: EditState = {}) =>
  reply.view('outbox/letter-edit.njk', {
    title: `Change the wording: ${letter.definition.name}`,
    letter,
    values: extra.values ?? { body: letter.body, version: letter.version },
    errors: extra.errors ?? [],
    preview: extra.preview ?? null,
    done: extra.done,
    conflict: extra.conflict ?? false,
  });

export function letterPages(app: FastifyInstance, { letterWording }: { letterWording: LetterWordingService }): void {
  app.get('/admin/letters', { config: ADMIN }, async (_request, reply) => {
    const letters = await letterWording.listLetters();
    return reply.view('outbox/letters.njk', { title: 'Letter wording', letters });
  });

  app.get('/admin/letters/:key', { config: ADMIN }, async (request, reply) => {
    const { key } = keyParam.parse(request.params);
    const letter = await letterWording.letterForEditing(key);
    const done = (request.query as Record<string, unknown> | undefined)?.['done'];
    return renderEdit(reply, letter, { done: typeof done === 'string' ? DONE.get(done) : undefined });
  });

  app.post('/admin/letters/:key', { config: ADMIN }, async (request, reply) => {
    const { key } = keyParam.parse(request.params);
    const letter = await letterWording.letterForEditing(key);
    const parsed = letterForm.safeParse(bodyOf(request));
    if (!parsed.success) return renderEdit(reply.code(400), letter, { errors: zodErrors(parsed.error, () => 'body') });
    const input = parsed.data;
    const values = { body: input.body, version: input.version };
    if (input.action === 'preview') {
      const result = letterWording.previewLetter(key, input);
      if (!result.ok) return renderEdit(reply.code(400), letter, { values, errors: toFormErrors(result.problems) });
      return renderEdit(reply, letter, { values, preview: result.preview });
    }
    try {
      await letterWording.saveLetter(key, input, requestContext(request));
    } catch (err) {
      if (err instanceof InvalidTemplateError)
        return renderEdit(reply.code(400), letter, { values, errors: toFormErrors(err.problems) });
      if (!(err instanceof ConflictError)) throw err;
      // Show the wording as it now is, with the administrator's own text kept in the form to copy from.
      const current = await letterWording.letterForEditing(key);
      return renderEdit(reply.code(409), current, {
        values: { ...values, version: current.version },
        errors: [{ text: err.message, href: '#body' }],
        conflict: true,
      });
    }
    return reply.redirect(`/admin/letters/${key}?done=saved`, 303);
  });

  app.post('/admin/letters/:key/reset', { config: ADMIN }, async (request, reply) => {
    const { key } = keyParam.parse(request.params);
    const { version } = resetForm.parse(bodyOf(request));
    try {
      await letterWording.resetLetter(key, version, requestContext(request));
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return renderEdit(reply.code(409), await letterWording.letterForEditing(key), {
        errors: [{ text: err.message, href: '#body' }],
        conflict: true,
      });
    }
    return reply.redirect(`/admin/letters/${key}?done=reset`, 303);
  });
}
