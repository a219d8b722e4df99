/**
 * 002 §3.2, 001: the help offered or arranged for a parent (and who arranges it), and a parent's own report: a file
 * (checked by its content) or text typed in for them. A multipart form, with the CSRF token as its first field.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { MAX_PARENT_REPORT_BYTES, type ParticipationView } from '../../../app/participation/service.ts';
import {
  HELP_KINDS,
  HELP_KIND_LABELS,
  HELP_STATUSES,
  HELP_STATUS_LABELS,
} from '../../../domain/participation/parent-reports.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  readMultipart,
  readingContext,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';
import { EDIT, type ParticipationPagesOptions, choiceItems, headingOf, participationHref, render } from './shared.ts';

/** The two forms about a parent: where each is rendered from, its title, and the choices it offers. */
const PARENT_FORMS = {
  help: {
    template: 'help.njk',
    title: (name: string) => `Help for ${name} to take part`,
    choices: (values: FormValues) => ({
      kindItems: choiceItems(HELP_KINDS, HELP_KIND_LABELS, values['kind']),
      statusItems: choiceItems(HELP_STATUSES, HELP_STATUS_LABELS, values['status']),
    }),
  },
  report: {
    template: 'report.njk',
    title: (name: string) => `Add a report from ${name}`,
    choices: () => ({}),
  },
} as const;

/** The parent's `form` page, or not found when the invitee is not a parent of this conference. */
function parentPage(
  reply: FastifyReply,
  view: ParticipationView,
  inviteeId: string,
  form: keyof typeof PARENT_FORMS,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const p = view.parents.find((x) => x.inviteeId === inviteeId);
  if (!p) {
    reply.callNotFound();
    return reply;
  }
  const { template, title, choices } = PARENT_FORMS[form];
  return render(
    reply,
    template,
    title(p.name),
    {
      ...headingOf(view),
      p,
      action: `${participationHref(view.conference.id)}/parents/${p.inviteeId}/${form}`,
      values,
      ...choices(values),
    },
    errors,
    status,
  );
}

export async function parentPages(app: FastifyInstance, { participation }: ParticipationPagesOptions): Promise<void> {
  const helpPath = '/conferences/:id/participation/parents/:inviteeId/help';

  app.get(helpPath, { config: EDIT }, async (request, reply) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const view = await participation.overview(request.actor!, id, requestContext(request));
    return parentPage(reply, view, inviteeId, 'help', { kind: '', status: '', arrangedBy: '', details: '' });
  });

  app.post(helpPath, { config: EDIT }, async (request, reply) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      kind: text(body, 'kind'),
      status: text(body, 'status'),
      arrangedBy: text(body, 'arrangedBy', 200),
      details: text(body, 'details', 2_000),
    };
    return submit<unknown, unknown>({
      call: () =>
        participation.recordHelp(
          request.actor!,
          id,
          inviteeId,
          {
            kind: values['kind'],
            status: values['status'],
            arrangedBy: values['arrangedBy'] as string,
            details: values['details'] as string,
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`${participationHref(id)}?done=help#parents`, 303),
      again: async (errors, status) => {
        const view = await participation.overview(request.actor!, id, readingContext(request));
        return parentPage(reply, view, inviteeId, 'help', values, errors, status);
      },
    });
  });

  const reportPath = '/conferences/:id/participation/parents/:inviteeId/report';

  app.get(reportPath, { config: EDIT }, async (request, reply) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const view = await participation.overview(request.actor!, id, requestContext(request));
    return parentPage(reply, view, inviteeId, 'report', { source: '', text: '' });
  });

  // Multipart only for the one upload form, read into memory up to the limit (plus one byte, so "too large" is told
  // apart from a cut file): its type is decided from its content.
  await app.register(async (scoped) => {
    await scoped.register(multipart, {
      limits: { fileSize: MAX_PARENT_REPORT_BYTES + 1, files: 1, fields: 5, fieldSize: 60_000, parts: 6 },
      throwFileSizeLimit: false,
    });
    scoped.post(reportPath, { config: { ...EDIT, multipartCsrf: true } }, async (request, reply) => {
      const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
      const parts = request.checkedParts;
      if (!request.isMultipart() || !parts) return reply.code(400).view('errors/bad-request.njk');
      const { body, file, tooLarge } = await readMultipart(parts);
      const values: FormValues = { source: text(body, 'source'), text: text(body, 'text', 60_000) };
      const unread: FormError[] = [];
      if (values['source'] !== 'file' && values['source'] !== 'typed')
        unread.push({ text: 'Select whether they sent a file or you are typing their report in', href: '#source' });
      if (values['source'] === 'file' && tooLarge)
        unread.push({ text: 'The selected file must be smaller than 20 MB', href: '#file' });
      return submit<unknown, unknown>({
        errors: unread,
        call: () =>
          participation.addParentReport(
            request.actor!,
            id,
            inviteeId,
            values['source'] === 'typed' ? { text: values['text'] as string } : { file },
            requestContext(request),
          ),
        next: () => reply.redirect(`${participationHref(id)}?done=report#parents`, 303),
        again: async (errors, status) => {
          const view = await participation.overview(request.actor!, id, readingContext(request));
          return parentPage(reply, view, inviteeId, 'report', values, errors, status);
        },
      });
    });
  });
}
