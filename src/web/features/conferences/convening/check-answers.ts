/** Check answers: every answer with its Change link, the due date and its rule, then convening it. */
import type { FastifyInstance } from 'fastify';
import type { PreparedConvening } from '../../../../app/conferences/convening-service.ts';
import { CONFERENCE_TYPE_LABELS } from '../../../../domain/conferences/decisions.ts';
import { PRE_BIRTH_GROUND_LABELS, describeBroughtForward } from '../../../../domain/conferences/convening-grounds.ts';
import { VENUE_KIND_LABELS, formatClockTime } from '../../../../domain/conferences/invitations.ts';
import { InvalidDetailsError } from '../../../../domain/shared/errors.ts';
import { requestContext } from '../../../forms/index.ts';
import {
  STEP_PATHS,
  type Step,
  conveneInputFrom,
  deadlineText,
  durationLabel,
  errorsOfStep,
  serviceErrors,
} from '../convening-forms.ts';
import { escapeHtml } from '../convening-view.ts';
import { type ConveningJourney } from './journey.ts';
import { chairIndependenceRows } from '../chairing/shared.ts';
import { EDIT, formatDob } from './shared.ts';

export function checkAnswersRoutes(app: FastifyInstance, journey: ConveningJourney): void {
  app.get('/conferences/new/check', { config: EDIT }, async (request, reply) => {
    const values = journey.load(request);
    if (!values) return reply.redirect('/conferences/new', 303);
    const { prepared, errors } = await journey.check(request, values, 'complete');
    const bad = journey.firstBadStep(errors, values);
    if (bad || !prepared)
      return journey.render(request, reply, bad ?? 'children', values, errorsOfStep(errors, bad ?? 'children', values));
    return reply.view('conferences/convening/check.njk', {
      title: 'Check the conference details before convening it',
      // 002 §1.1: started from an agreed request's link, the conference will answer it.
      answersRequest: Boolean(values['conferenceRequestId']),
      ...checkAnswersView(prepared),
    });
  });

  app.post('/conferences/new/check', { config: EDIT }, async (request, reply) => {
    const values = journey.load(request);
    if (!values) return reply.redirect('/conferences/new', 303);
    const { input, errors } = conveneInputFrom(values);
    if (errors.length) {
      const bad = journey.firstBadStep(errors, values) ?? 'arrangements';
      return journey.render(request, reply, bad, values, errorsOfStep(errors, bad, values));
    }
    try {
      const { id } = await journey.services.convening.convene(request.actor!, input, requestContext(request));
      journey.drafts.clear(reply);
      reply.flash('conference-convened');
      return reply.redirect(`/conferences/${id}`, 303);
    } catch (err) {
      if (!(err instanceof InvalidDetailsError)) throw err;
      // Something changed since the check (a chair's account disabled meanwhile): back to that step, answers kept.
      const all = serviceErrors(err, values);
      const bad = journey.firstBadStep(all, values) ?? 'children';
      return journey.render(request, reply, bad, values, errorsOfStep(all, bad, values));
    }
  });
}

/** The rows of the check-answers page, each with its Change link. */
function checkAnswersView(p: PreparedConvening) {
  const v = p.input;
  const change = (step: Step, field: string, what: string) => ({
    items: [{ href: `${STEP_PATHS[step]}?from=check#${field}`, text: 'Change', visuallyHiddenText: what }],
  });
  const rows: Array<{ key: { text: string }; value: { text?: string; html?: string }; actions?: unknown }> = [
    {
      key: { text: p.children.length > 1 ? 'Children' : 'Child' },
      value: {
        html: p.children
          .map((c) =>
            escapeHtml(
              `${c.givenNames} ${c.familyName} (${c.dateOfBirth ? `born ${formatDob(c.dateOfBirth)}` : `unborn, expected ${formatDob(c.expectedDeliveryDate!)}`})`,
            ),
          )
          .join('<br>'),
      },
      actions: change('children', 'childIds', 'children'),
    },
    {
      key: { text: 'Type of conference' },
      value: { text: CONFERENCE_TYPE_LABELS[v.type!] },
      actions: change('type', 'type', 'type of conference'),
    },
  ];
  if (v.strategyDiscussionDate)
    rows.push({
      key: { text: 'Date of the strategy discussion' },
      value: { text: formatDob(v.strategyDiscussionDate) },
      actions: change('type', 'strategyDiscussionDate-day', 'date of the strategy discussion'),
    });
  if (v.expectedDeliveryDate)
    rows.push({
      key: { text: 'Expected date of delivery' },
      value: { text: formatDob(v.expectedDeliveryDate) },
      actions: change('type', 'expectedDeliveryDate-day', 'expected date of delivery'),
    });
  if (v.type === 'pre-birth') {
    // 002 §1.3: the grounds for holding it, and whether a premature birth is likely (T-2 ends earlier).
    rows.push(
      {
        key: { text: 'Grounds for a pre-birth conference' },
        value: {
          html: `<ul class="govuk-list govuk-list--bullet">${v.preBirthGrounds.map((g) => `<li>${escapeHtml(PRE_BIRTH_GROUND_LABELS[g])}</li>`).join('')}</ul>`,
        },
        actions: change('type', 'preBirthGrounds', 'grounds for a pre-birth conference'),
      },
      {
        key: { text: 'Premature birth likely' },
        value: { text: v.prematureBirthLikely ? 'Yes: the conference is held earlier' : 'No' },
        actions: change('type', 'prematureBirthLikely', 'whether a premature birth is likely'),
      },
    );
  }
  if (p.reconvenes)
    rows.push({
      key: { text: 'Reconvenes' },
      value: { text: `The ${p.reconvenes.label}. ${p.reconvenes.reason}.` },
      actions: change('type', 'reconvenesConferenceId', 'conference it reconvenes'),
    });
  if (p.previousConference)
    rows.push({
      key: { text: 'Conference it reviews' },
      value: { text: `${p.previousConference.typeLabel}, ${formatDob(p.previousConference.scheduledDate)}` },
      actions: change('type', 'previousConferenceId', 'conference it reviews'),
    });
  if (v.noticeOfMoveDate)
    rows.push({
      key: { text: 'Date you were told of the move' },
      value: { text: formatDob(v.noticeOfMoveDate) },
      actions: change('type', 'noticeOfMoveDate-day', 'date you were told of the move'),
    });
  rows.push(
    {
      key: { text: 'Date' },
      value: { text: formatDob(v.scheduledDate!) },
      actions: change('arrangements', 'scheduledDate-day', 'date'),
    },
    {
      key: { text: 'Start time' },
      value: { text: formatClockTime(v.startTime!) },
      actions: change('arrangements', 'startTime', 'start time'),
    },
    {
      key: { text: 'Expected length' },
      value: { text: durationLabel(v.durationMinutes!) },
      actions: change('arrangements', 'durationMinutes', 'expected length'),
    },
    {
      key: { text: 'How people take part' },
      value: { text: VENUE_KIND_LABELS[v.venueKind!] },
      actions: change('arrangements', 'venueKind', 'how people take part'),
    },
  );
  if (v.venueDetails)
    rows.push({
      key: { text: 'Address and room' },
      value: { text: v.venueDetails },
      actions: change(
        'arrangements',
        v.venueKind === 'hybrid' ? 'hybridVenueDetails' : 'venueDetails',
        'address and room',
      ),
    });
  if (v.onlineLink)
    rows.push({
      key: { text: 'Microsoft Teams link' },
      value: { text: v.onlineLink },
      actions: change(
        'arrangements',
        v.venueKind === 'hybrid' ? 'hybridOnlineLink' : 'onlineLink',
        'Microsoft Teams link',
      ),
    });
  rows.push(
    { key: { text: 'Chair' }, value: { text: p.chair!.name }, actions: change('arrangements', 'chairUserId', 'chair') },
    ...chairIndependenceRows(p.chair!.name, v.chairIndependence, change),
    {
      key: { text: 'Minute taker' },
      value: { text: p.minuteTaker!.name },
      actions: change('arrangements', 'minuteTakerUserId', 'minute taker'),
    },
  );
  if (v.lateAgreedBy) {
    rows.push(
      {
        key: { text: 'Senior manager who agreed the date' },
        value: { text: v.lateAgreedBy },
        actions: change('timescale', 'lateAgreedBy', 'senior manager who agreed the date'),
      },
      {
        key: { text: 'Reason for the date' },
        value: { text: v.lateReason ?? '' },
        actions: change('timescale', 'lateReason', 'reason for the date'),
      },
    );
  }
  if (v.broughtForwardReason) {
    // 002 §2.2: why the review is held well before its due date.
    rows.push({
      key: { text: 'Why the review is brought forward' },
      value: { text: describeBroughtForward({ reason: v.broughtForwardReason, otherReason: v.broughtForwardOther }) },
      actions: change('timescale', 'broughtForwardReason', 'why the review is brought forward'),
    });
  }
  const d = p.deadline!;
  return {
    rows,
    deadline: { text: deadlineText(d), explanation: d.explanation, ruleId: d.ruleId, title: d.title },
    withinTimescale: p.assessment!.withinTimescale,
    outside: p.assessment!.outsideTimescale,
  };
}
