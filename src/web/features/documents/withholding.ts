/**
 * What one block of a document leaves out of the family's copies (W-3): each mark says whose copies leave it
 * out (every family member's, every child's, or named people's) and why, with the chair's explanation for the
 * log. A mark is added or removed here; the draft keeps every mark, and each issued copy records what it left out.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DraftView } from '../../../app/documents/use-cases.ts';
import { NotFoundError } from '../../../domain/shared/errors.ts';
import {
  WITHHOLDING_REASON_LABELS,
  WITHHOLDING_REASONS,
  type WithheldFrom,
  type Withholding,
  describeWithheldFrom,
  isWithholdingReason,
} from '../../../domain/documents/withholding.ts';
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
  blockParams,
  draftBase,
  draftHeading,
  renderPage,
  versionOf,
  send,
} from './shared.ts';

export const EXPLANATION_MAX = 1_000;

const FROM_ITEMS = [
  { value: 'family', text: 'Every family member’s copy', hint: 'Parents’ and children’s copies alike' },
  { value: 'children', text: 'Every child’s copy' },
  { value: 'people', text: 'Only the copies of people I choose' },
] as const;

/** Where a rule's field points on this page (a mark's fields, however the rule names them). */
const withholdingIds: FieldIds = (field) => {
  if (/reason$/.test(field)) return 'reason';
  if (/people/.test(field)) return 'people';
  if (/from/.test(field)) return 'from';
  if (/explanation$/.test(field)) return 'explanation';
  return 'main-content';
};

function blockOf(view: DraftView, blockId: string) {
  const block = view.withholdable.find((b) => b.id === blockId);
  if (!block) throw new NotFoundError('The part of the document');
  return block;
}

function withholdingPage(
  reply: FastifyReply,
  view: DraftView,
  blockId: string,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const block = blockOf(view, blockId);
  const marks = view.withholdings[blockId] ?? [];
  return renderPage(
    reply,
    'withholding.njk',
    `What is left out: ${block.heading}`,
    {
      ...draftHeading(view),
      block,
      values,
      marks: marks.map((w, index) => ({
        index,
        whose: describeWithheldFrom(w.from),
        reason: WITHHOLDING_REASON_LABELS[w.reason],
        explanation: w.explanation ?? null,
      })),
      reasonItems: WITHHOLDING_REASONS.map((r) => ({ value: r, text: WITHHOLDING_REASON_LABELS[r] })),
      fromItems: FROM_ITEMS,
      peopleItems: view.familyMembers.map((m) => ({
        value: m.inviteeId,
        text: m.name,
        hint: m.kind === 'child' ? 'Child' : undefined,
      })),
    },
    errors,
    status,
  );
}

const blankValues = (version: number): FormValues => ({
  version: String(version),
  reason: '',
  from: '',
  people: [],
  explanation: '',
});

/** The mark as typed, or the problems with it. */
function readMark(view: DraftView, body: Record<string, unknown>) {
  const values: FormValues = {
    version: text(body, 'version'),
    reason: text(body, 'reason'),
    from: text(body, 'from'),
    people: ticked(body, 'people'),
    explanation: text(body, 'explanation', EXPLANATION_MAX + 1),
  };
  const errors: FormError[] = [];
  const reason = values['reason'] as string;
  if (!isWithholdingReason(reason)) errors.push({ text: 'Select why it is left out', href: '#reason' });
  let from: WithheldFrom | null = null;
  if (values['from'] === 'family') from = { kind: 'family' };
  else if (values['from'] === 'children') from = { kind: 'children' };
  else if (values['from'] === 'people') {
    const chosen = view.familyMembers.filter((m) => (values['people'] as string[]).includes(m.inviteeId));
    if (!chosen.length) errors.push({ text: 'Select whose copies leave it out', href: '#people' });
    from = { kind: 'people', people: chosen.map((m) => ({ id: m.inviteeId, name: m.name })) };
  } else errors.push({ text: 'Select whose copies leave it out', href: '#from' });
  const explanation = (values['explanation'] as string).trim();
  if (explanation.length > EXPLANATION_MAX)
    errors.push({ text: `The explanation must be ${EXPLANATION_MAX} characters or fewer`, href: '#explanation' });
  const mark: Withholding | null =
    from && isWithholdingReason(reason) ? { from, reason, ...(explanation ? { explanation } : {}) } : null;
  return { values, mark, errors };
}

export function withholdingRoutes(app: FastifyInstance, { documents }: DocumentPagesOptions): void {
  const load = (request: FastifyRequest, id: string, draftId: string) =>
    documents.draft(request.actor!, id, draftId, readingContext(request));

  app.get('/conferences/:id/documents/:draftId/withholding/:blockId', { config: WRITE }, async (request, reply) => {
    const { id, draftId, blockId } = blockParams.parse(request.params);
    const view = await documents.draft(request.actor!, id, draftId, requestContext(request));
    return withholdingPage(reply, view, blockId, blankValues(view.version));
  });

  /** Adds a mark (`action=add`) or removes one (`action=remove`, `index`); the block's marks are saved together. */
  app.post('/conferences/:id/documents/:draftId/withholding/:blockId', { config: WRITE }, async (request, reply) => {
    const { id, draftId, blockId } = blockParams.parse(request.params);
    const body = bodyOf(request);
    const view = await load(request, id, draftId);
    blockOf(view, blockId);
    const version = versionOf(body);
    const marks = view.withholdings[blockId] ?? [];
    let next: Withholding[];
    let values = blankValues(view.version);
    const errors: FormError[] = Number.isNaN(version) ? [{ text: RELOAD_PROBLEM, href: '#main-content' }] : [];
    if (text(body, 'action') === 'remove') {
      const index = Number(text(body, 'index'));
      if (!Number.isInteger(index) || !marks[index]) throw new NotFoundError('The mark');
      next = marks.filter((_, i) => i !== index);
    } else {
      const read = readMark(view, body);
      values = read.values;
      errors.push(...read.errors);
      next = read.mark ? [...marks, read.mark] : marks;
    }
    return send({
      errors,
      call: () =>
        documents.setWithholding(
          request.actor!,
          id,
          draftId,
          { version, blockId, withholdings: next },
          requestContext(request),
        ),
      next: () => reply.redirect(`${draftBase(id, draftId)}?done=withholding#withholding`, 303),
      ids: withholdingIds,
      again: async (errors, status) => {
        const now = status === 409 ? await load(request, id, draftId) : view;
        return withholdingPage(
          reply,
          now,
          blockId,
          { ...values, version: String(status === 409 ? now.version : values['version']) },
          errors,
          status,
        );
      },
    });
  });
}
