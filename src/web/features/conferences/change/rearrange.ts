/** Changing the date, time or venue of a planned conference, with check your answers before it is confirmed. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConferenceOverview } from '../../../../app/conferences/convening-service.ts';
import type { RearrangeInput } from '../../../../app/conferences/rearrangement-service.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateValues,
  idParams,
  pickValues,
  requestContext,
} from '../../../forms/index.ts';
import {
  ARRANGEMENT_FIELDS,
  DURATIONS,
  conveneInputFrom,
  deadlineText,
  durationLabel,
  orderedErrors,
  serviceErrors,
} from '../convening-forms.ts';
import { type ChangeServices, EDIT, closed, recipientRows } from './shared.ts';

const CHANGE_FIELDS = [
  ...ARRANGEMENT_FIELDS.filter((f) => f !== 'chairUserId' && f !== 'minuteTakerUserId'),
  'lateAgreedBy',
  'lateReason',
  'reason',
];

/** The form's answers as the service's input, with the form's own problems (a half-typed date, a time that is not one). */
function rearrangeInputFrom(values: FormValues): { input: RearrangeInput; errors: FormError[] } {
  const { input, errors } = conveneInputFrom(values);
  return {
    input: {
      scheduledDate: input.scheduledDate,
      startTime: input.startTime,
      durationMinutes: input.durationMinutes,
      venueKind: input.venueKind,
      venueDetails: input.venueDetails,
      onlineLink: input.onlineLink,
      lateAgreedBy: input.lateAgreedBy,
      lateReason: input.lateReason,
      reason: typeof values['reason'] === 'string' ? values['reason'] : '',
    },
    errors,
  };
}

/** The conference's arrangements as the form's values, to start from. */
function arrangementValues(o: ConferenceOverview): FormValues {
  const c = o.conference;
  const hybrid = c.venueKind === 'hybrid';
  return {
    ...dateValues('scheduledDate', c.scheduledDate),
    startTime: c.startTime,
    durationMinutes: String(c.durationMinutes),
    venueKind: c.venueKind,
    [hybrid ? 'hybridVenueDetails' : 'venueDetails']: c.venueDetails ?? '',
    [hybrid ? 'hybridOnlineLink' : 'onlineLink']: c.onlineLink ?? '',
  };
}

export function rearrangePages(app: FastifyInstance, { convening, rearrangement }: ChangeServices): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues | null,
    errors: FormError[] = [],
  ) => {
    const { id } = idParams('id').parse(request.params);
    const o = await convening.getConference(request.actor!, id, requestContext(request));
    if (o.conference.status !== 'planned')
      return closed(
        reply,
        o,
        `This conference is ${o.statusLabel.toLowerCase()}: its date, time or venue can no longer be changed`,
      );
    const v = values ?? arrangementValues(o);
    if (errors.length) reply.code(400);
    return reply.view('conferences/change/arrangements.njk', {
      title: 'Change the date, time or venue',
      o,
      values: v,
      errors,
      deadline: { text: deadlineText(o.deadline), explanation: o.deadline.explanation },
      durationItems: [
        { value: '', text: 'Select the expected length' },
        ...DURATIONS.map((d) => ({
          value: String(d),
          text: durationLabel(d),
          selected: String(v['durationMinutes']) === String(d),
        })),
      ],
    });
  };

  app.get('/conferences/:id/change', { config: EDIT }, async (request, reply) => render(request, reply, null));

  app.post('/conferences/:id/change', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const values = pickValues(bodyOf(request), CHANGE_FIELDS);
    const { input, errors } = rearrangeInputFrom(values);
    let p;
    try {
      p = await rearrangement.prepareRearrangement(request.actor!, id, input, requestContext(request));
    } catch (err) {
      return render(request, reply, values, orderedErrors(errors, serviceErrors(err, values)));
    }
    if (errors.length) return render(request, reply, values, errors);
    return reply.view('conferences/change/check.njk', {
      title: 'Check the change before confirming it',
      o: p.overview,
      values,
      hidden: Object.entries(values).filter(([, v]) => typeof v === 'string'),
      changes: p.changes,
      due: {
        text: deadlineText(p.deadline),
        explanation: p.deadline.explanation,
        within: p.assessment.withinTimescale,
        outside: p.assessment.outsideTimescale,
      },
      p,
      recipients: recipientRows(p.reinvite),
    });
  });

  app.post('/conferences/:id/change/confirm', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const body = bodyOf(request);
    const values = pickValues(body, CHANGE_FIELDS);
    if (body['action'] === 'edit') return render(request, reply, values);
    const { input, errors } = rearrangeInputFrom(values);
    if (errors.length) return render(request, reply, values, errors);
    try {
      await rearrangement.rearrange(request.actor!, id, input, requestContext(request));
    } catch (err) {
      return render(request, reply, values, serviceErrors(err, values));
    }
    reply.flash('conference-rearranged');
    return reply.redirect(`/conferences/${id}`, 303);
  });
}
