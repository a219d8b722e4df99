import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConferenceOverview } from '../../../app/conferences/convening-service.ts';
import type {
  PreparedRearrangement,
  RearrangeInput,
  Recipient,
} from '../../../app/conferences/rearrangement-service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { type IsoDate, formatLongDate, weekdayName } from '../../../domain/calendar/index.ts';
import { formatClockTime } from '../../../domain/conferences/invitations.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { bodyOf, requestContext } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import { escapeHtml } from './convening-view.ts';
import { afterwardsRoutes } from './afterwards-routes.ts';
import {
  ARRANGEMENT_FIELDS,
  DURATIONS,
  type FormValues,
  conveneInputFrom,
  dateValues,
  deadlineText,
  durationLabel,
  idParam,
  inviteeParam,
  orderedErrors,
  pickValues,
  serviceErrors,
} from './convening-forms.ts';

const EDIT = { access: RECORD_EDITOR_ROLES };
const VIEW = { access: CHILD_RECORD_ROLES };

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

const when = (date: IsoDate, time: string) =>
  `${weekdayName(date)} ${formatLongDate(date)} at ${formatClockTime(time)}`;

function recipientRows(list: readonly Recipient[]) {
  return list.map((r) => [
    { text: r.name },
    { text: r.method === 'email' ? 'By email, now' : 'By post: a letter to print and post' },
  ]);
}

/**
 * Changing the date, time or venue of a planned conference, cancelling it (each with check your
 * answers before it is confirmed), and sending everyone's invitations by email or recording them as
 * posted. Every page checks access to the conference in its use case; every form carries the CSRF token.
 */
export async function changeRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { convening, rearrangement } = opts.services;
  await app.register(afterwardsRoutes, opts);

  /** A page saying the conference can no longer be changed that way, instead of the form. */
  const closed = (reply: FastifyReply, o: ConferenceOverview, err: DomainError) =>
    reply
      .code(409)
      .view('conferences/change/closed.njk', { title: 'This conference cannot be changed', o, message: err.message });

  // ---------------------------------------------------------------- change the date, time or venue

  const renderChange = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues | null,
    errors: FormError[] = [],
  ) => {
    const { id } = idParam.parse(request.params);
    const o = await convening.getConference(request.actor!, id, requestContext(request));
    if (o.conference.status !== 'planned')
      return closed(
        reply,
        o,
        new DomainError(
          'NOT_REARRANGEABLE',
          `This conference is ${o.statusLabel.toLowerCase()}: its date, time or venue can no longer be changed`,
        ),
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

  app.get('/conferences/:id/change', { config: EDIT }, async (request, reply) => renderChange(request, reply, null));

  app.post('/conferences/:id/change', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const values = pickValues(bodyOf(request), CHANGE_FIELDS);
    const { input, errors } = rearrangeInputFrom(values);
    let p: PreparedRearrangement;
    try {
      p = await rearrangement.prepareRearrangement(request.actor!, id, input, requestContext(request));
    } catch (err) {
      return renderChange(request, reply, values, orderedErrors(errors, serviceErrors(err, values)));
    }
    if (errors.length) return renderChange(request, reply, values, errors);
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
    const { id } = idParam.parse(request.params);
    const body = bodyOf(request);
    const values = pickValues(body, CHANGE_FIELDS);
    if (body['action'] === 'edit') return renderChange(request, reply, values);
    const { input, errors } = rearrangeInputFrom(values);
    if (errors.length) return renderChange(request, reply, values, errors);
    try {
      await rearrangement.rearrange(request.actor!, id, input, requestContext(request));
    } catch (err) {
      return renderChange(request, reply, values, serviceErrors(err, values));
    }
    reply.flash('conference-rearranged');
    return reply.redirect(`/conferences/${id}`, 303);
  });

  // ---------------------------------------------------------------- cancel

  const renderCancel = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id } = idParam.parse(request.params);
    const o = await convening.getConference(request.actor!, id, requestContext(request));
    if (o.conference.status !== 'planned')
      return closed(
        reply,
        o,
        new DomainError(
          'NOT_CANCELLABLE',
          `This conference is ${o.statusLabel.toLowerCase()}: it can no longer be cancelled`,
        ),
      );
    if (errors.length) reply.code(400);
    return reply.view('conferences/change/cancel.njk', {
      title: 'Cancel the conference',
      o,
      values,
      errors,
      when: when(o.conference.scheduledDate, o.conference.startTime),
    });
  };

  app.get('/conferences/:id/cancel', { config: EDIT }, async (request, reply) => renderCancel(request, reply, {}));

  app.post('/conferences/:id/cancel', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const values = pickValues(bodyOf(request), ['reason']);
    try {
      const p = await rearrangement.prepareCancellation(
        request.actor!,
        id,
        { reason: String(values['reason'] ?? '') },
        requestContext(request),
      );
      return reply.view('conferences/change/cancel-check.njk', {
        title: 'Check the cancellation before confirming it',
        o: p.overview,
        reason: p.reason,
        when: when(p.overview.conference.scheduledDate, p.overview.conference.startTime),
        recipients: recipientRows(p.notify),
      });
    } catch (err) {
      return renderCancel(request, reply, values, serviceErrors(err, values));
    }
  });

  app.post('/conferences/:id/cancel/confirm', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const body = bodyOf(request);
    const values = pickValues(body, ['reason']);
    if (body['action'] === 'edit') return renderCancel(request, reply, values);
    try {
      await rearrangement.cancel(
        request.actor!,
        id,
        { reason: String(values['reason'] ?? '') },
        requestContext(request),
      );
    } catch (err) {
      return renderCancel(request, reply, values, serviceErrors(err, values));
    }
    reply.flash('conference-cancelled');
    return reply.redirect(`/conferences/${id}`, 303);
  });

  // ---------------------------------------------------------------- send invitations

  const renderSend = async (request: FastifyRequest, reply: FastifyReply, errors: FormError[] = []) => {
    const { id } = idParam.parse(request.params);
    const ctx = requestContext(request);
    const o = await convening.getConference(request.actor!, id, ctx);
    const life = await rearrangement.lifecycle(request.actor!, id, ctx);
    if (errors.length) reply.code(400);
    const rows = o.invitees.map((i) => {
      const s = life.sending.find((x) => x.inviteeId === i.id)!;
      if (o.conference.status === 'cancelled' && s.notice) {
        const link = `<a class="govuk-link" href="/conferences/${o.conference.id}/cancellation-notices/${i.id}">Cancellation notice<span class="govuk-visually-hidden"> to ${escapeHtml(i.name)}</span></a>: ${escapeHtml(s.notice.label)}`;
        return [{ text: i.name }, { text: i.email ? 'Email' : 'Post: no email address' }, { html: link }];
      }
      const status = `${s.label}${s.issueNumber ? ` (copy ${s.issueNumber})` : ''}${s.changedSinceIssued ? ': changed since it was sent' : ''}`;
      return [{ text: i.name }, { text: i.email ? 'Email' : 'Post: no email address' }, { text: status }];
    });
    return reply.view('conferences/change/send.njk', {
      title: o.conference.status === 'cancelled' ? 'Cancellation letters' : 'Send the invitations',
      o,
      life,
      rows,
      errors,
    });
  };

  app.get('/conferences/:id/invitations/send', { config: VIEW }, async (request, reply) => renderSend(request, reply));

  app.get('/conferences/:id/cancellation-notices/:inviteeId', { config: VIEW }, async (request, reply) => {
    const { id, inviteeId } = inviteeParam.parse(request.params);
    const { overview, invitee, notice } = await rearrangement.cancellationNotice(
      request.actor!,
      id,
      inviteeId,
      requestContext(request),
    );
    return reply.view('conferences/change/notice.njk', {
      title: `Cancellation notice to ${invitee.name}`,
      o: overview,
      invitee,
      notice,
      paragraphs: notice.body.split(/\n{2,}/),
    });
  });

  app.post('/conferences/:id/invitations/send/email', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    try {
      await rearrangement.sendAllByEmail(request.actor!, id, requestContext(request));
    } catch (err) {
      return renderSend(
        request,
        reply,
        serviceErrors(err, {}).map((e) => ({ ...e, href: '#invitations-to-send' })),
      );
    }
    reply.flash('invitations-emailed');
    return reply.redirect(`/conferences/${id}/invitations/send`, 303);
  });

  app.post('/conferences/:id/invitations/send/posted', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    try {
      await rearrangement.recordAllPosted(request.actor!, id, requestContext(request));
    } catch (err) {
      return renderSend(
        request,
        reply,
        serviceErrors(err, {}).map((e) => ({ ...e, href: '#invitations-to-send' })),
      );
    }
    reply.flash('invitations-posted');
    return reply.redirect(`/conferences/${id}/invitations/send`, 303);
  });
}
