/**
 * Who gets what (W-4; 002 §3.2, §3.10): a document's distribution list, everyone on the conference's register
 * with whether they receive it and why, as a table; business support or a chair adds someone the rules left out
 * or removes someone, always with a reason, until the document is issued; and records that an agency said it
 * has no current or planned involvement (the date and a note), which leaves it out of every document's list.
 * What each person needs to understand the record is arranged on the recipients page, linked from here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DistributionView, DocumentUseCases } from '../../../app/documents/use-cases.ts';
import { INVITEE_KIND_LABELS, isSupporterKind } from '../../../domain/conferences/invitees.ts';
import { englandDateTime, formatLongDate } from '../../../domain/calendar/index.ts';
import {
  NO_INVOLVEMENT_NOTE_MAX_LENGTH,
  OVERRIDE_REASON_MAX_LENGTH,
  type OverrideAction,
} from '../../../domain/documents/distribution.ts';
import type { Recipient } from '../../../domain/documents/withholding.ts';
import {
  type FieldIds,
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  idSchema,
  readDate,
  readingContext,
  requestContext,
  text,
} from '../../forms/index.ts';
import { READ, WRITE, draftBase, draftParams, documentsBase, renderPage, send, stateTag } from './shared.ts';

const COPY_LABELS: Record<Recipient['kind'], string> = {
  full: 'The full record',
  parent: 'A parent’s copy',
  child: 'A child’s copy',
};

const DONE: Record<string, string> = {
  added: 'They are added to the list, with your reason.',
  removed: 'They are removed from the list, with your reason.',
  'no-involvement': 'What the agency said about its involvement is recorded.',
  'involvement-withdrawn': 'The agency is on the list again.',
};

/** Which form a problem came from: its fields' ids carry the form's prefix. */
type FormName = 'add' | 'remove' | 'agency';

const ids =
  (form: FormName): FieldIds =>
  (field) => {
    if (form === 'agency') return field === 'saidOn' ? 'saidOn-day' : field === 'note' ? 'note' : 'agency';
    return field === 'reason' ? `${form}-reason` : `${form}-inviteeId`;
  };

function distributionPage(
  reply: FastifyReply,
  view: DistributionView,
  extra: { values?: FormValues; errors?: FormError[]; status?: 400 | 409; done?: string | null } = {},
) {
  const person = (e: DistributionView['entries'][number]) =>
    e.inviteeId === null ? e.name : `${e.name} (${[e.role, e.agency].filter(Boolean).join(', ')})`;
  const addable = view.entries.filter(
    (e) =>
      e.inviteeId !== null && !e.included && e.kind !== null && !isSupporterKind(e.kind) && e.kind !== 'interpreter',
  );
  const removable = view.entries.filter((e) => e.inviteeId !== null && e.included);
  return renderPage(
    reply,
    'distribution.njk',
    'Who receives this document',
    {
      v: view,
      base: draftBase(view.conferenceId, view.draftId),
      documentsHref: documentsBase(view.conferenceId),
      statusTag: stateTag(view.status),
      done: extra.done ?? null,
      values: extra.values ?? {},
      rows: view.entries.map((e) => ({
        name: e.name,
        who:
          e.kind === null
            ? null
            : [...new Set([INVITEE_KIND_LABELS[e.kind], e.role, e.agency].filter(Boolean))].join(', '),
        included: e.included,
        copy: e.included ? COPY_LABELS[e.copy.kind] + (e.largePrint ? ', in large print' : '') : null,
        reason: e.reason,
        changedText: e.override ? englandDateTime(e.override.at) : null,
      })),
      addItems: addable.map((e) => ({ value: e.inviteeId!, text: person(e) })),
      removeItems: removable.map((e) => ({ value: e.inviteeId!, text: person(e) })),
      agencies: view.agencies.map((a) => ({
        ...a,
        label: `${a.name}${a.agency ? `, ${a.agency}` : ''}`,
        saidText: a.noInvolvement
          ? `Said on ${formatLongDate(a.noInvolvement.saidOn)} it has no current or planned involvement${a.noInvolvement.note ? `: ${a.noInvolvement.note}` : ''} (recorded ${englandDateTime(a.noInvolvement.recordedAt)}${a.noInvolvement.byName ? ` by ${a.noInvolvement.byName}` : ''})`
          : null,
      })),
      agencyItems: view.agencies
        .filter((a) => !a.noInvolvement)
        .map((a) => ({ value: a.inviteeId, text: `${a.name}${a.agency ? `, ${a.agency}` : ''}` })),
      reasonMax: OVERRIDE_REASON_MAX_LENGTH,
      noteMax: NO_INVOLVEMENT_NOTE_MAX_LENGTH,
    },
    extra.errors ?? [],
    extra.status,
  );
}

function doneOf(query: unknown): string | null {
  const done = (query ?? {}) as Record<string, unknown>;
  return typeof done['done'] === 'string' ? (DONE[done['done']] ?? null) : null;
}

export function distributionRoutes(app: FastifyInstance, { documents }: { documents: DocumentUseCases }): void {
  const path = '/conferences/:id/documents/:draftId/distribution';
  const reload = (request: FastifyRequest, id: string, draftId: string) =>
    documents.distribution(request.actor!, id, draftId, readingContext(request));

  app.get(path, { config: READ }, async (request, reply) => {
    const { id, draftId } = draftParams.parse(request.params);
    const view = await documents.distribution(request.actor!, id, draftId, requestContext(request));
    return distributionPage(reply, view, { done: doneOf(request.query) });
  });

  for (const action of ['add', 'remove'] as const satisfies readonly OverrideAction[]) {
    app.post(`${path}/${action}`, { config: WRITE }, async (request, reply) => {
      const { id, draftId } = draftParams.parse(request.params);
      const body = bodyOf(request);
      const values: FormValues = {
        [`${action}-inviteeId`]: text(body, `${action}-inviteeId`, 100),
        [`${action}-reason`]: text(body, `${action}-reason`, OVERRIDE_REASON_MAX_LENGTH + 1),
      };
      const errors: FormError[] = [];
      const invitee = idSchema.safeParse(values[`${action}-inviteeId`]);
      if (!invitee.success)
        errors.push({
          text: action === 'add' ? 'Select who should receive it' : 'Select who should not receive it',
          href: `#${action}-inviteeId`,
        });
      if (!String(values[`${action}-reason`]).trim())
        errors.push({
          text: action === 'add' ? 'Enter why they should receive it' : 'Enter why they should not receive it',
          href: `#${action}-reason`,
        });
      return send({
        errors,
        call: () =>
          documents.changeDistribution(
            request.actor!,
            id,
            draftId,
            { inviteeId: invitee.data ?? '', action, reason: String(values[`${action}-reason`]) },
            requestContext(request),
          ),
        next: () =>
          reply.redirect(`${draftBase(id, draftId)}/distribution?done=${action === 'add' ? 'added' : 'removed'}`, 303),
        ids: ids(action),
        again: async (errs, status) =>
          distributionPage(reply, await reload(request, id, draftId), { values, errors: errs, status }),
      });
    });
  }

  app.post(`${path}/no-involvement`, { config: WRITE }, async (request, reply) => {
    const { id, draftId } = draftParams.parse(request.params);
    const body = bodyOf(request);
    const withdraw = text(body, 'withdraw', 100);
    const values: FormValues = {
      agency: text(body, 'agency', 100),
      note: text(body, 'note', NO_INVOLVEMENT_NOTE_MAX_LENGTH + 1),
      ...dateFields(body, 'saidOn'),
    };
    const errors: FormError[] = [];
    const agency = idSchema.safeParse(withdraw || values['agency']);
    if (!agency.success) errors.push({ text: 'Select the agency', href: '#agency' });
    let saidOn: string | null = null;
    if (!withdraw) {
      saidOn = readDate(values, 'saidOn', 'The date the agency said so', errors);
      if (!saidOn && !errors.some((e) => e.href === '#saidOn-day'))
        errors.push({ text: 'Enter the date the agency said so', href: '#saidOn-day' });
    }
    return send({
      errors,
      call: () =>
        documents.recordNoInvolvement(
          request.actor!,
          id,
          agency.data ?? '',
          { saidOn, note: withdraw ? null : String(values['note']) },
          requestContext(request),
        ),
      next: () =>
        reply.redirect(
          `${draftBase(id, draftId)}/distribution?done=${withdraw ? 'involvement-withdrawn' : 'no-involvement'}#agencies`,
          303,
        ),
      ids: ids('agency'),
      again: async (errs, status) =>
        distributionPage(reply, await reload(request, id, draftId), { values, errors: errs, status }),
    });
  });
}
