/**
 * Who receives a copy beyond the defaults, and what is arranged for them (W-1, W-4): the children the chair
 * decides should have their own copy, and for each family member what they need to understand the record
 * (large print, an interpreter to go through it, a translation), with the language and any detail.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DraftView } from '../../../app/documents/use-cases.ts';
import {
  ARRANGEMENT_DETAIL_MAX_LENGTH,
  ARRANGEMENT_KINDS,
  ARRANGEMENT_LABELS,
  type RecipientArrangement,
  isArrangementKind,
} from '../../../domain/documents/arrangements.ts';
import {
  type FieldIds,
  type FormError,
  type FormValues,
  bodyOf,
  readingContext,
  requestContext,
  text,
  ticked,
} from '../../forms/index.ts';
import { RELOAD_PROBLEM } from './draft.ts';
import {
  type DocumentPagesOptions,
  WRITE,
  draftBase,
  draftHeading,
  draftParams,
  renderPage,
  versionOf,
  send,
} from './shared.ts';

export const LANGUAGE_MAX = 100;

/** The inputs of one family member's arrangements. */
const fields = (inviteeId: string) => ({
  kinds: `kinds-${inviteeId}`,
  language: `language-${inviteeId}`,
  detail: `detail-${inviteeId}`,
});

function savedValues(view: DraftView): FormValues {
  const values: FormValues = { version: String(view.version), children: [...view.childRecipientInviteeIds] };
  for (const m of view.familyMembers) {
    const a = view.arrangements.find((x) => x.inviteeId === m.inviteeId);
    const f = fields(m.inviteeId);
    values[f.kinds] = [...(a?.kinds ?? [])];
    values[f.language] = a?.language ?? '';
    values[f.detail] = a?.detail ?? '';
  }
  return values;
}

function recipientsPage(
  reply: FastifyReply,
  view: DraftView,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  return renderPage(
    reply,
    'recipients.njk',
    'Who receives a copy',
    {
      ...draftHeading(view),
      values,
      childItems: view.familyMembers
        .filter((m) => m.kind === 'child')
        .map((m) => ({ value: m.inviteeId, text: m.name })),
      members: view.familyMembers.map((m) => ({ ...m, fields: fields(m.inviteeId) })),
      kindItems: ARRANGEMENT_KINDS.map((k) => ({ value: k, text: ARRANGEMENT_LABELS[k] })),
    },
    errors,
    status,
  );
}

/** Where a rule's field points: `arrangements[2].language` at the third arrangement's person's language box. */
function recipientIds(arrangements: readonly RecipientArrangement[]): FieldIds {
  return (field) => {
    const row = /^arrangements\[(\d+)\]\.(\w+)$/.exec(field);
    const a = row ? arrangements[Number(row[1])] : undefined;
    if (a && row) {
      const f = fields(a.inviteeId);
      return row[2] === 'language' ? f.language : row[2] === 'detail' ? f.detail : f.kinds;
    }
    if (/^childRecipient/.test(field) || field === 'children') return 'children';
    return 'main-content';
  };
}

function readRecipients(view: DraftView, body: Record<string, unknown>) {
  const values: FormValues = { version: text(body, 'version'), children: ticked(body, 'children') };
  const errors: FormError[] = [];
  const childIds = new Set(view.familyMembers.filter((m) => m.kind === 'child').map((m) => m.inviteeId));
  const children = (values['children'] as string[]).filter((id) => childIds.has(id));
  const arrangements: RecipientArrangement[] = [];
  for (const m of view.familyMembers) {
    const f = fields(m.inviteeId);
    const kinds = ticked(body, f.kinds).filter(isArrangementKind);
    const language = (values[f.language] = text(body, f.language, LANGUAGE_MAX + 1)).trim();
    const detail = (values[f.detail] = text(body, f.detail, ARRANGEMENT_DETAIL_MAX_LENGTH + 1)).trim();
    values[f.kinds] = kinds;
    if (language.length > LANGUAGE_MAX)
      errors.push({ text: `The language must be ${LANGUAGE_MAX} characters or fewer`, href: `#${f.language}` });
    if ((kinds.includes('interpreter') || kinds.includes('translation')) && !language)
      errors.push({ text: `Enter the language for ${m.name}’s interpreter or translation`, href: `#${f.language}` });
    if (kinds.includes('other') && !detail)
      errors.push({ text: `Enter what else is arranged for ${m.name}`, href: `#${f.detail}` });
    if (detail.length > ARRANGEMENT_DETAIL_MAX_LENGTH)
      errors.push({
        text: `The detail must be ${ARRANGEMENT_DETAIL_MAX_LENGTH} characters or fewer`,
        href: `#${f.detail}`,
      });
    if (kinds.length || detail)
      arrangements.push({ inviteeId: m.inviteeId, kinds, language: language || null, detail: detail || null });
  }
  return { values, errors, input: { childRecipientInviteeIds: children, arrangements } };
}

export function recipientsRoutes(app: FastifyInstance, { documents }: DocumentPagesOptions): void {
  const load = (request: FastifyRequest, id: string, draftId: string) =>
    documents.draft(request.actor!, id, draftId, readingContext(request));

  app.get('/conferences/:id/documents/:draftId/recipients', { config: WRITE }, async (request, reply) => {
    const { id, draftId } = draftParams.parse(request.params);
    const view = await documents.draft(request.actor!, id, draftId, requestContext(request));
    return recipientsPage(reply, view, savedValues(view));
  });

  app.post('/conferences/:id/documents/:draftId/recipients', { config: WRITE }, async (request, reply) => {
    const { id, draftId } = draftParams.parse(request.params);
    const body = bodyOf(request);
    const view = await load(request, id, draftId);
    const { values, errors, input } = readRecipients(view, body);
    const version = versionOf(body);
    if (Number.isNaN(version)) errors.unshift({ text: RELOAD_PROBLEM, href: '#main-content' });
    return send({
      errors,
      call: () => documents.setRecipients(request.actor!, id, draftId, { version, ...input }, requestContext(request)),
      next: () => reply.redirect(`${draftBase(id, draftId)}?done=recipients#recipients`, 303),
      ids: recipientIds(input.arrangements),
      again: async (errors, status) => {
        const now = status === 409 ? await load(request, id, draftId) : view;
        return recipientsPage(
          reply,
          now,
          { ...values, version: status === 409 ? String(now.version) : values['version'] },
          errors,
          status,
        );
      },
    });
  });
}
