import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { formatLongDate } from '../../../domain/calendar/index.ts';
import { CONFERENCE_TYPE_LABELS } from '../../../domain/conferences/decisions.ts';
import { asArray, bodyOf, readingContext, requestContext } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import {
  ARRANGEMENT_FIELDS,
  DURATIONS,
  type FormValues,
  TIMESCALE_FIELDS,
  TYPE_FIELDS,
  childQuery,
  conveneInputFrom,
  durationLabel,
  orderedErrors,
  pickValues,
  serviceErrors,
} from './convening-forms.ts';

const EDIT = { access: RECORD_EDITOR_ROLES };

/**
 * Recording a conference that was held without being booked in the service in advance: one page with
 * the convening answers, the day it was held (today or earlier) and why it is recorded afterwards.
 * Saved by the same use case as the API; the conference is then held in the service as any other.
 */
export async function afterwardsRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { convening, rearrangement } = opts.services;

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    childId: string,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const ctx = readingContext(request);
    const { start, siblings } = await convening.siblingGroupChoices(request.actor!, childId, [], ctx);
    const chosen = asArray(values['childIds']);
    const children = [start, ...siblings];
    const previous = await convening.previousConferenceChoices(
      request.actor!,
      children.map((c) => c.id),
      ctx,
    );
    const staffChoices = await convening.staffChoices();
    if (errors.length) reply.code(400);
    return reply.view('conferences/change/afterwards.njk', {
      title: 'Record a conference that was held without being booked',
      childId,
      values,
      errors,
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
      chairItems: [
        { value: '', text: 'Select the chair' },
        ...staffChoices.chairs.map((s) => ({ value: s.id, text: s.name, selected: values['chairUserId'] === s.id })),
      ],
      minuteTakerItems: [
        { value: '', text: 'Select the minute taker' },
        ...staffChoices.minuteTakers.map((s) => ({
          value: s.id,
          text: s.name,
          selected: values['minuteTakerUserId'] === s.id,
        })),
      ],
    });
  };

  app.get('/conferences/afterwards', { config: EDIT }, async (request, reply) => {
    const { child } = childQuery.parse(request.query);
    if (!child) return reply.code(404).view('errors/not-found.njk');
    return render(request, reply, child, { childIds: [child] });
  });

  app.post('/conferences/afterwards', { config: EDIT }, async (request, reply) => {
    const body = bodyOf(request);
    const { child } = childQuery.parse({ child: typeof body['child'] === 'string' ? body['child'] : undefined });
    if (!child) return reply.code(404).view('errors/not-found.njk');
    const values: FormValues = {
      ...pickValues(body, [...TYPE_FIELDS, ...ARRANGEMENT_FIELDS, ...TIMESCALE_FIELDS, 'afterwardsReason']),
      childIds: asArray(body['childIds']).slice(0, 12),
    };
    const { input, errors } = conveneInputFrom(values);
    let id: string;
    try {
      ({ id } = await rearrangement.recordAfterwards(
        request.actor!,
        { ...input, afterwardsReason: String(values['afterwardsReason'] ?? '') },
        requestContext(request),
      ));
    } catch (err) {
      return render(request, reply, child, values, orderedErrors(errors, serviceErrors(err, values)));
    }
    reply.flash('conference-recorded-afterwards');
    return reply.redirect(`/conferences/${id}`, 303);
  });
}
