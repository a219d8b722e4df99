/**
 * Recording a conference that was held without being booked in the service in advance: one page with
 * the convening answers, the day it was held (today or earlier) and why it is recorded afterwards.
 * Saved by the same use case as the API; the conference is then held in the service as any other.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatLongDate } from '../../../../domain/calendar/index.ts';
import { CONFERENCE_TYPE_LABELS } from '../../../../domain/conferences/decisions.ts';
import {
  type FormError,
  type FormValues,
  asArray,
  bodyOf,
  pickValues,
  readingContext,
  requestContext,
  str,
} from '../../../forms/index.ts';
import {
  ARRANGEMENT_FIELDS,
  DURATIONS,
  TIMESCALE_FIELDS,
  TYPE_FIELDS,
  TYPE_LISTS,
  childQuery,
  conveneInputFrom,
  durationLabel,
  orderedErrors,
  serviceErrors,
} from '../convening-forms.ts';
import { broughtForwardItems, preBirthGroundsView } from '../convening/grounds.ts';
import { type ChangeServices, EDIT } from './shared.ts';

const selectItems = (values: FormValues, list: Array<{ id: string; name: string }>, field: string, empty: string) => [
  { value: '', text: empty },
  ...list.map((s) => ({ value: s.id, text: s.name, selected: values[field] === s.id })),
];

export function afterwardsPage(app: FastifyInstance, { convening, rearrangement }: ChangeServices): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    childId: string,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { children, previous, staff } = await convening.afterwardsChoices(
      request.actor!,
      childId,
      readingContext(request),
    );
    const chosen = asArray(values['childIds']);
    const timescales = convening.timescaleSettings();
    if (errors.length) reply.code(400);
    return reply.view('conferences/change/afterwards.njk', {
      title: 'Record a conference that was held without being booked',
      childId,
      values,
      errors,
      // 002 §1.3 and §2.2: a pre-birth conference's grounds; a review's reason for being held early.
      ...preBirthGroundsView(values, timescales),
      broughtForwardItems: broughtForwardItems(values),
      broughtForwardHint: `Answer this if the review was held more than ${timescales.reviewBroughtForwardDays} days before it was due.`,
      childItems: children.map((c) => ({
        value: c.id,
        text: `${c.givenNames} ${c.familyName}`,
        checked: chosen.includes(c.id),
      })),
      previousItems: [
        {
          value: '',
          text: previous.length ? 'Select the conference' : 'No conference has been held for these children',
        },
        ...previous.map((p) => ({
          value: p.id,
          text: `${p.typeLabel}, ${formatLongDate(p.scheduledDate)}`,
          selected: values['previousConferenceId'] === p.id,
        })),
      ],
      typeItems: (['initial', 'pre-birth', 'review', 'transfer-in'] as const).map((t) => ({
        value: t,
        text: CONFERENCE_TYPE_LABELS[t],
      })),
      durationItems: [
        { value: '', text: 'Select how long it lasted' },
        ...DURATIONS.map((d) => ({
          value: String(d),
          text: durationLabel(d),
          selected: String(values['durationMinutes']) === String(d),
        })),
      ],
      chairItems: selectItems(values, staff.chairs, 'chairUserId', 'Select the chair'),
      minuteTakerItems: selectItems(values, staff.minuteTakers, 'minuteTakerUserId', 'Select the minute taker'),
    });
  };

  app.get('/conferences/afterwards', { config: EDIT }, async (request, reply) => {
    const { child } = childQuery.parse(request.query);
    if (!child) return reply.code(404).view('errors/not-found.njk');
    return render(request, reply, child, { childIds: [child] });
  });

  app.post('/conferences/afterwards', { config: EDIT }, async (request, reply) => {
    const body = bodyOf(request);
    const { child } = childQuery.parse({ child: str(body['child']) || undefined });
    if (!child) return reply.code(404).view('errors/not-found.njk');
    const values: FormValues = {
      ...pickValues(body, [...TYPE_FIELDS, ...ARRANGEMENT_FIELDS, ...TIMESCALE_FIELDS, 'afterwardsReason'], TYPE_LISTS),
      childIds: asArray(body['childIds']).slice(0, 12),
    };
    const { input, errors } = conveneInputFrom(values);
    let id: string;
    try {
      ({ id } = await rearrangement.recordAfterwards(
        request.actor!,
        { ...input, afterwardsReason: str(values['afterwardsReason']) },
        requestContext(request),
      ));
    } catch (err) {
      return render(request, reply, child, values, orderedErrors(errors, serviceErrors(err, values)));
    }
    reply.flash('conference-recorded-afterwards');
    return reply.redirect(`/conferences/${id}`, 303);
  });
}
