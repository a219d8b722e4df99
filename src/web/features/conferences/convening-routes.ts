import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConveningStage, PreparedConvening } from '../../../app/conferences/convening-service.ts';
import { RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { type IsoDate, formatLongDate } from '../../../domain/calendar/index.ts';
import type { Actor } from '../../../domain/access/roles.ts';
import { CONFERENCE_TYPE_LABELS } from '../../../domain/conferences/decisions.ts';
import { VENUE_KIND_LABELS, formatClockTime } from '../../../domain/conferences/invitations.ts';
import { bodyOf, readingContext, requestContext } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import { searchInputFrom, childProblems } from '../children/forms.ts';
import { changeRoutes } from './change-routes.ts';
import { conferenceRoutes } from './conference-routes.ts';
import { DraftStore } from '../../draft-store.ts';
import {
  ARRANGEMENT_FIELDS,
  DURATIONS,
  type FormValues,
  NOT_RECONVENING,
  STEP_PATHS,
  STEPS,
  type Step,
  TIMESCALE_FIELDS,
  TYPE_FIELDS,
  childParam,
  childQuery,
  conveneInputFrom,
  dateValues,
  deadlineText,
  durationLabel,
  errorsOfStep,
  orderedErrors,
  pickValues,
  serviceErrors,
} from './convening-forms.ts';
import { escapeHtml } from './convening-view.ts';
import { invitationRoutes } from './invitation-routes.ts';
import { reportRoutes } from './report-routes.ts';
import { InvalidDetailsError } from '../../../domain/shared/errors.ts';

const EDIT = { access: RECORD_EDITOR_ROLES };

const STAGE_BEFORE: Record<Step, ConveningStage | null> = {
  children: null,
  type: 'children',
  arrangements: 'type',
  timescale: 'arrangements',
};

/**
 * Convening a conference: choose the child (or start from their record), the sibling group, the
 * type and the date its clock runs from, the arrangements, the senior manager's agreement when the
 * date is outside the timescale (T-1), then check answers and save. Answers live in an encrypted
 * draft cookie until then; every step is checked again by the service, and nothing is saved before
 * the last.
 */
export async function conveningRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { convening, people, config, clock, timescales } = opts.services;
  const drafts = new DraftStore({
    secret: config.sessionSecret,
    cookieSecure: config.cookieSecure,
    name: 'convening',
    path: '/conferences/new',
  });

  const loadDraft = (request: FastifyRequest) => drafts.load(request, request.actor!.id, clock.now());
  const saveDraft = (reply: FastifyReply, actor: Actor, values: FormValues) =>
    drafts.save(reply, actor.id, values, clock.now());
  const listOf = (v: FormValues[string]): string[] => (Array.isArray(v) ? v : v ? [v] : []);

  /** Checks the draft up to a stage; the problems, or the prepared answers. */
  const check = async (
    request: FastifyRequest,
    values: FormValues,
    stage: ConveningStage,
  ): Promise<{ prepared: PreparedConvening | null; errors: FormError[] }> => {
    const { input, errors } = conveneInputFrom(values);
    try {
      const prepared = await convening.prepareConvening(request.actor!, input, requestContext(request), stage);
      return { prepared: errors.length ? null : prepared, errors };
    } catch (err) {
      return { prepared: null, errors: orderedErrors(errors, serviceErrors(err, values)) };
    }
  };

  /** The first step whose answers have a problem, or null when everything up to `stage` is fine. */
  const firstBadStep = (errors: FormError[], values: FormValues): Step | null => {
    if (!errors.length) return null;
    return STEPS.find((step) => errorsOfStep(errors, step, values).length > 0) ?? 'children';
  };

  // ---------------------------------------------------------------- step pages

  const renderStep = async (
    request: FastifyRequest,
    reply: FastifyReply,
    step: Step,
    values: FormValues,
    errors: FormError[] = [],
    status?: number,
  ) => {
    const actor = request.actor!;
    const ctx = readingContext(request);
    if (errors.length) reply.code(status ?? 400);
    const fromCheck = values['from'] === 'check';
    const base = { values, errors, fromCheck };
    if (step === 'children') {
      const { start, siblings, chosen } = await convening.siblingGroupChoices(
        actor,
        String(values['startChildId']),
        listOf(values['extraChildIds']),
        ctx,
      );
      const selected = listOf(values['childIds']);
      const item = (c: typeof start, hint: string) => ({
        value: c.id,
        text: `${c.givenNames} ${c.familyName}`,
        checked: selected.includes(c.id),
        hint: {
          text: `${c.dateOfBirth ? `Born ${formatDob(c.dateOfBirth)}` : `Unborn, expected ${formatDob(c.expectedDeliveryDate!)}`}. ${hint}`,
        },
      });
      return reply.view('conferences/convening/children.njk', {
        ...base,
        title: 'Which children is the conference about?',
        start,
        items: [
          item(start, 'The child you started from.'),
          ...siblings.map((s) => item(s, 'Shares a parent or carer with parental responsibility.')),
          ...chosen.map((c) => item(c, 'Added by you.')),
        ],
      });
    }
    if (step === 'type') {
      const { prepared } = await check(request, values, 'children');
      const childIds = prepared?.children.map((c) => c.id) ?? [];
      const previous = await convening.previousConferenceChoices(actor, childIds, ctx);
      const reconvene = childIds.length ? await convening.reconveneChoices(actor, childIds, ctx) : [];
      const unborn = prepared?.children.filter((c) => c.dateOfBirth === null) ?? [];
      return reply.view('conferences/convening/type.njk', {
        ...base,
        title: 'What type of conference is it?',
        children: prepared?.children ?? [],
        unbornNames: unborn.map((c) => `${c.givenNames} ${c.familyName}`).join(', '),
        hints: {
          initial: `Held within ${timescales.initialConferenceWorkingDays} working days of the strategy discussion that started the section 47 enquiry (rule T-1).`,
          preBirth: `For an unborn baby: held between ${timescales.preBirthEarliestWeek} and ${timescales.preBirthLatestWeek} weeks of pregnancy (rule T-2).`,
          review: `The first review within ${timescales.firstReviewDays} days of the initial conference, then at most ${timescales.reviewIntervalMonths} months apart (rule T-3).`,
          transferIn: `A child with a plan who has moved here from another council: held within ${timescales.transferInConferenceWorkingDays} working days of being told of the move (rule T-4).`,
        },
        // Q-1 / D-1: a conference of these children waiting to be reconvened is offered first.
        reconveneItems: reconvene.length
          ? [
              ...reconvene.map((r) => ({
                value: r.id,
                text: `This conference reconvenes the ${r.label}`,
                hint: { text: `${r.reason}.` },
                checked: values['reconvenesConferenceId'] === r.id,
              })),
              {
                value: NOT_RECONVENING,
                text: 'No, it is a new conference',
                checked: values['reconvenesConferenceId'] === NOT_RECONVENING,
              },
            ]
          : [],
        previousItems: [
          {
            value: '',
            text: previous.length ? 'Select the conference' : 'No conference has been held for these children',
          },
          ...previous.map((p) => ({
            value: p.id,
            text: `${p.typeLabel}, ${formatDob(p.scheduledDate)}`,
            selected: values['previousConferenceId'] === p.id,
          })),
        ],
      });
    }
    if (step === 'arrangements') {
      const { prepared } = await check(request, values, 'type');
      const { chairs, minuteTakers } = await convening.staffChoices();
      const selectItems = (list: Array<{ id: string; name: string }>, field: string, empty: string) => [
        { value: '', text: empty },
        ...list.map((s) => ({ value: s.id, text: s.name, selected: values[field] === s.id })),
      ];
      return reply.view('conferences/convening/arrangements.njk', {
        ...base,
        title: 'Conference arrangements',
        typeLabel: prepared?.type ? CONFERENCE_TYPE_LABELS[prepared.type] : '',
        deadline: prepared?.deadline
          ? {
              text: deadlineText(prepared.deadline),
              explanation: prepared.deadline.explanation,
              ruleId: prepared.deadline.ruleId,
              from: prepared.deadline.from,
              earliest: prepared.deadline.earliest ?? '',
              latest: prepared.deadline.latest ?? prepared.deadline.due,
            }
          : null,
        durationItems: [
          { value: '', text: 'Select how long' },
          ...DURATIONS.map((m) => ({
            value: String(m),
            text: durationLabel(m),
            selected: values['durationMinutes'] === String(m),
          })),
        ],
        chairItems: selectItems(chairs, 'chairUserId', 'Select the chair'),
        minuteTakerItems: selectItems(minuteTakers, 'minuteTakerUserId', 'Select the minute taker'),
      });
    }
    const { prepared } = await check(request, values, 'arrangements');
    return reply.view('conferences/convening/timescale.njk', {
      ...base,
      title: 'The date is outside the timescale',
      outside: prepared?.assessment?.outsideTimescale ?? '',
      deadline: prepared?.deadline
        ? {
            text: deadlineText(prepared.deadline),
            explanation: prepared.deadline.explanation,
            ruleId: prepared.deadline.ruleId,
          }
        : null,
    });
  };

  /** Shows a step, once the answers before it are complete; otherwise the first step that needs an answer. */
  const showStep = async (request: FastifyRequest, reply: FastifyReply, step: Step) => {
    const values = loadDraft(request);
    if (!values) return reply.redirect('/conferences/new', 303);
    const before = STAGE_BEFORE[step];
    if (before) {
      const { errors } = await check(request, values, before);
      const bad = firstBadStep(errors, values);
      if (bad && bad !== step) return reply.redirect(STEP_PATHS[bad], 303);
    }
    if (step === 'timescale') {
      const { prepared } = await check(request, values, 'arrangements');
      if (prepared?.assessment?.withinTimescale) return reply.redirect(STEP_PATHS.check, 303);
    }
    return renderStep(request, reply, step, {
      ...values,
      from: (request.query as { from?: string }).from === 'check' ? 'check' : '',
    });
  };

  /** Saves a step's answers into the draft and goes on: to the next step, or back to check answers. */
  const submitStep = async (
    request: FastifyRequest,
    reply: FastifyReply,
    step: Step,
    fields: string[],
    lists: string[] = [],
  ) => {
    const actor = request.actor!;
    const draft = loadDraft(request);
    if (!draft) return reply.redirect('/conferences/new', 303);
    const body = bodyOf(request);
    const posted = pickValues(body, fields, lists);
    const values: FormValues = { ...draft, ...posted, from: body['from'] === 'check' ? 'check' : '' };
    const stage: ConveningStage =
      step === 'children'
        ? 'children'
        : step === 'type'
          ? 'type'
          : step === 'arrangements'
            ? 'arrangements'
            : 'complete';
    const { prepared, errors } = await check(request, values, stage);
    const own = errorsOfStep(errors, step, values);
    if (own.length) return renderStep(request, reply, step, values, own);
    const bad = firstBadStep(errors, values);
    if (bad) return reply.redirect(STEP_PATHS[bad], 303);
    let next: Step | 'check' = step === 'children' ? 'type' : step === 'type' ? 'arrangements' : 'check';
    if (step === 'arrangements') {
      if (prepared?.assessment && !prepared.assessment.withinTimescale) next = 'timescale';
      else for (const f of TIMESCALE_FIELDS) values[f] = '';
    }
    if (values['from'] === 'check' && next !== 'timescale') {
      const all = await check(request, values, 'complete');
      if (all.prepared) next = 'check';
    }
    const { from: _from, ...kept } = values;
    if (!saveDraft(reply, actor, kept)) {
      return renderStep(request, reply, step, values, [
        {
          text: 'Your answers are too long to hold: shorten the address, the meeting link or the reason',
          href: '#main-content',
        },
      ]);
    }
    return reply.redirect(STEP_PATHS[next], 303);
  };

  // ---------------------------------------------------------------- start: from a child's record, or find the child

  app.get('/conferences/new', { config: EDIT }, async (request, reply) => {
    const { child } = childQuery.parse(request.query);
    if (!child)
      return reply.view('conferences/convening/find-child.njk', {
        title: 'Which child is the conference about?',
        values: {},
        searched: false,
        action: '/conferences/new/find',
      });
    // Refused (403, audited) unless the person may change this child's record.
    await convening.siblingGroupChoices(request.actor!, child, [], requestContext(request));
    drafts.clear(reply);
    saveDraft(reply, request.actor!, { startChildId: child, childIds: [child], extraChildIds: [] });
    return reply.redirect(STEP_PATHS.children, 303);
  });

  // A POST, so names and dates of birth typed into the search never appear in a URL or a log.
  const search = async (
    request: FastifyRequest,
    reply: FastifyReply,
    opts: { title: string; action: string; add: boolean },
  ) => {
    const values = pickValues(bodyOf(request), [
      'name',
      'reference',
      'dateOfBirth-day',
      'dateOfBirth-month',
      'dateOfBirth-year',
    ]);
    const { input, errors } = searchInputFrom(values);
    const render = (ctx: Record<string, unknown>) =>
      reply.view('conferences/convening/find-child.njk', {
        title: opts.title,
        values,
        searched: false,
        action: opts.action,
        add: opts.add,
        ...ctx,
      });
    if (errors.length) {
      reply.code(400);
      return render({ errors });
    }
    try {
      const { results, more } = await people.searchChildren(request.actor!, input, requestContext(request));
      return render({ searched: true, results, more });
    } catch (err) {
      reply.code(400);
      return render({ errors: childProblems(err, { dateOfBirth: 'dateOfBirth-day' }) });
    }
  };

  app.post('/conferences/new/find', { config: EDIT }, async (request, reply) =>
    search(request, reply, {
      title: 'Which child is the conference about?',
      action: '/conferences/new/find',
      add: false,
    }),
  );

  // ---------------------------------------------------------------- the sibling group

  app.get('/conferences/new/children', { config: EDIT }, async (request, reply) =>
    showStep(request, reply, 'children'),
  );
  app.post('/conferences/new/children', { config: EDIT }, async (request, reply) =>
    submitStep(request, reply, 'children', [], ['childIds']),
  );

  app.get('/conferences/new/add-child', { config: EDIT }, async (request, reply) => {
    if (!loadDraft(request)) return reply.redirect('/conferences/new', 303);
    return reply.view('conferences/convening/find-child.njk', {
      title: 'Add another child to the conference',
      values: {},
      searched: false,
      action: '/conferences/new/add-child',
      add: true,
    });
  });
  app.post('/conferences/new/add-child', { config: EDIT }, async (request, reply) => {
    if (!loadDraft(request)) return reply.redirect('/conferences/new', 303);
    return search(request, reply, {
      title: 'Add another child to the conference',
      action: '/conferences/new/add-child',
      add: true,
    });
  });
  app.post('/conferences/new/add-child/:childId', { config: EDIT }, async (request, reply) => {
    const draft = loadDraft(request);
    if (!draft) return reply.redirect('/conferences/new', 303);
    const { childId } = childParam.parse(request.params);
    // Refused (403, audited) unless the person may change the added child's record too.
    await convening.prepareConvening(request.actor!, { childIds: [childId] }, requestContext(request), 'children');
    const extra = [...new Set([...listOf(draft['extraChildIds']), childId])];
    const chosen = [...new Set([...listOf(draft['childIds']), childId])];
    saveDraft(reply, request.actor!, { ...draft, extraChildIds: extra, childIds: chosen });
    return reply.redirect(STEP_PATHS.children, 303);
  });

  // ---------------------------------------------------------------- type, arrangements, timescale

  app.get('/conferences/new/type', { config: EDIT }, async (request, reply) => {
    const draft = loadDraft(request);
    if (!draft) return reply.redirect('/conferences/new', 303);
    const { prepared, errors } = await check(request, draft, 'children');
    if (errors.length || !prepared) return reply.redirect(STEP_PATHS.children, 303);
    let values = draft;
    // Pre-birth: the expected date of delivery comes from the unborn child's record unless already given.
    const unborn = prepared.children.find((c) => c.expectedDeliveryDate);
    if (unborn && !draft['expectedDeliveryDate-day']) {
      values = { ...draft, ...dateValues('expectedDeliveryDate', unborn.expectedDeliveryDate) };
      saveDraft(reply, request.actor!, values);
    }
    return renderStep(request, reply, 'type', {
      ...values,
      from: (request.query as { from?: string }).from === 'check' ? 'check' : '',
    });
  });
  app.post('/conferences/new/type', { config: EDIT }, async (request, reply) =>
    submitStep(request, reply, 'type', TYPE_FIELDS),
  );

  app.get('/conferences/new/arrangements', { config: EDIT }, async (request, reply) =>
    showStep(request, reply, 'arrangements'),
  );
  app.post('/conferences/new/arrangements', { config: EDIT }, async (request, reply) =>
    submitStep(request, reply, 'arrangements', ARRANGEMENT_FIELDS),
  );

  app.get('/conferences/new/timescale', { config: EDIT }, async (request, reply) =>
    showStep(request, reply, 'timescale'),
  );
  app.post('/conferences/new/timescale', { config: EDIT }, async (request, reply) =>
    submitStep(request, reply, 'timescale', TIMESCALE_FIELDS),
  );

  // ---------------------------------------------------------------- check answers and save

  app.get('/conferences/new/check', { config: EDIT }, async (request, reply) => {
    const values = loadDraft(request);
    if (!values) return reply.redirect('/conferences/new', 303);
    const { prepared, errors } = await check(request, values, 'complete');
    const bad = firstBadStep(errors, values);
    if (bad || !prepared)
      return renderStep(request, reply, bad ?? 'children', values, errorsOfStep(errors, bad ?? 'children', values));
    return reply.view('conferences/convening/check.njk', {
      title: 'Check the conference details before convening it',
      ...checkAnswersView(prepared),
    });
  });

  app.post('/conferences/new/check', { config: EDIT }, async (request, reply) => {
    const actor = request.actor!;
    const values = loadDraft(request);
    if (!values) return reply.redirect('/conferences/new', 303);
    const { input, errors } = conveneInputFrom(values);
    if (errors.length) {
      const bad = firstBadStep(errors, values) ?? 'arrangements';
      return renderStep(request, reply, bad, values, errorsOfStep(errors, bad, values));
    }
    try {
      const { id } = await convening.convene(actor, input, requestContext(request));
      drafts.clear(reply);
      reply.flash('conference-convened');
      return reply.redirect(`/conferences/${id}`, 303);
    } catch (err) {
      if (!(err instanceof InvalidDetailsError)) throw err;
      // Something changed since the check (a chair's account disabled meanwhile): back to that step, answers kept.
      const all = serviceErrors(err, values);
      const bad = firstBadStep(all, values) ?? 'children';
      return renderStep(request, reply, bad, values, errorsOfStep(all, bad, values));
    }
  });

  await app.register(conferenceRoutes, opts);
  await app.register(changeRoutes, opts);
  await app.register(invitationRoutes, opts);
  await app.register(reportRoutes, opts);
}

function formatDob(iso: string): string {
  return formatLongDate(iso as IsoDate);
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
  const d = p.deadline!;
  return {
    rows,
    deadline: { text: deadlineText(d), explanation: d.explanation, ruleId: d.ruleId, title: d.title },
    withinTimescale: p.assessment!.withinTimescale,
    outside: p.assessment!.outsideTimescale,
  };
}
