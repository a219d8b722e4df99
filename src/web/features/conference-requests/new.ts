/**
 * Recording a professional's request for a conference (002 §1.1): who asked (a professional on the child's record,
 * or their name, agency and role), their concerns, and whether a senior manager, named or designated professional
 * supports it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RequesterChoice } from '../../../app/conference-requests/service.ts';
import { SUPPORT_KIND_LABELS, SUPPORT_KINDS } from '../../../domain/conference-requests/requests.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  pickValues,
  readingContext,
  requestContext,
  submit,
} from '../../forms/index.ts';
import { type ConferenceRequestPagesOptions, EDIT, childListHref, render } from './shared.ts';

const FIELDS = [
  'requesterKind',
  'professionalId',
  'name',
  'agency',
  'role',
  'email',
  'reasons',
  'support',
  'supporterName',
];

function newPage(
  reply: FastifyReply,
  childId: string,
  view: { childName: string; professionals: RequesterChoice[] },
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  return render(
    reply,
    'new.njk',
    'Record a request for a conference',
    {
      caption: view.childName,
      backHref: childListHref(childId),
      action: `${childListHref(childId)}/new`,
      values,
      professionalItems: [
        { value: '', text: view.professionals.length ? 'Select the professional' : 'No professionals on the record' },
        ...view.professionals.map((p) => ({
          value: p.professionalId,
          text: `${p.name}, ${p.roleTitle}, ${p.agencyName}`,
          selected: values['professionalId'] === p.professionalId,
        })),
      ],
      supportItems: SUPPORT_KINDS.map((k) => ({
        value: k,
        text: k === 'none' ? 'No' : SUPPORT_KIND_LABELS[k],
        checked: values['support'] === k,
      })),
    },
    errors,
    status,
  );
}

export function newPages(app: FastifyInstance, { conferenceRequests }: ConferenceRequestPagesOptions): void {
  app.get('/children/:childId/conference-requests/new', { config: EDIT }, async (request, reply) => {
    const { childId } = idParams('childId').parse(request.params);
    const view = await conferenceRequests.requesterChoices(request.actor!, childId, requestContext(request));
    return newPage(reply, childId, view, {});
  });

  app.post('/children/:childId/conference-requests/new', { config: EDIT }, async (request, reply) => {
    const { childId } = idParams('childId').parse(request.params);
    const values = pickValues(bodyOf(request), FIELDS);
    const s = (k: string) => (values[k] as string | undefined) ?? '';
    return submit<unknown, unknown>({
      call: () =>
        conferenceRequests.record(
          request.actor!,
          childId,
          {
            requesterKind: s('requesterKind') || undefined,
            professionalId: s('professionalId'),
            name: s('name'),
            agency: s('agency'),
            role: s('role'),
            email: s('email'),
            reasons: s('reasons'),
            support: s('support') || undefined,
            supporterName: s('supporterName'),
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`${childListHref(childId)}?done=recorded`, 303),
      again: async (errors, status) =>
        newPage(
          reply,
          childId,
          await conferenceRequests.requesterChoices(request.actor!, childId, readingContext(request)),
          values,
          errors,
          status,
        ),
    });
  });
}
