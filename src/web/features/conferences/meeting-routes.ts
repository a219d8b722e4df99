/**
 * The chair's view of a conference on the day, under /conferences/:id/meeting: opening it (R-1), the
 * register per part, quoracy (Q-1), decisions per child (D-1), plans (T-3, T-9), the summary (003) and
 * concluding it. Every form works without JavaScript; the service checks who may do what and audits it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {
  ArrivalInput,
  MeetingChildView,
  MeetingView,
  RegisterInput,
} from '../../../app/conferences/meeting-service.ts';
import type { MeetingInvitee } from '../../../app/conferences/meeting-ports.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { type IsoDate, englandClockTime, formatLongDate, londonDateOf } from '../../../domain/calendar/index.ts';
import { ATTENDANCE_LABELS } from '../../../domain/conferences/attendance.ts';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  CONFERENCE_TYPE_LABELS,
  OUTCOME_LABELS,
  OUTCOMES,
  type Outcome,
  outcomeHasPlan,
  outcomesFor,
} from '../../../domain/conferences/decisions.ts';
import {
  ARRIVED_ON_THE_DAY,
  CSC_STAFF_ROLE_LABELS,
  INVITEE_KIND_LABELS,
  interpreterNote,
  isInviteeKind,
  isSupporterKind,
  mayBeExcluded,
  mayJoinCoreGroup,
  mayUseInterpreter,
} from '../../../domain/conferences/invitees.ts';
import { STATUS_LABELS } from '../../../domain/conferences/lifecycle.ts';
import {
  RECORDING_REMINDER,
  REFERRAL_OUTCOME_LABELS,
  REFERRAL_OUTCOMES,
  formatClockTime,
  parseClockTime,
  validateOpening,
} from '../../../domain/conferences/meeting.ts';
import { RELATIONSHIP_LABELS, isAgencyKind } from '../../../domain/people/index.ts';
import { agencyText } from './convening-view.ts';
import { hasAnyRole, type Role } from '../../../domain/access/roles.ts';
import { DomainError, NotFoundError } from '../../../domain/shared/errors.ts';
import { timeOfDayProblem } from '../../../domain/shared/time-of-day.ts';
import { bodyOf, readingContext, requestContext } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import {
  type FormValues,
  childParams,
  dateFields,
  dateValues,
  exclusionParams,
  meetingParams,
  partParams,
  readDate,
  ruleErrors,
  text,
  ticked,
} from './meeting-forms.ts';

const READ = { access: CHILD_RECORD_ROLES };
/** Who may record in the browser as the conference starts: the chair, and business support for the chair. */
const RECORDERS: readonly Role[] = ['chair', 'business_support'];
const WRITE = { access: RECORD_EDITOR_ROLES };

/** Blank action rows on a new plan, and the most a form may ask for ("add another row" without JavaScript). */
const PLAN_ROWS = 3;
const MAX_PLAN_ROWS = 30;

const DONE_MESSAGES: Record<string, string> = {
  opened: 'The conference has started. The recording reminder and the start time are recorded.',
  register: 'The register is saved.',
  arrival: 'They have been added to the register.',
  exclusion: 'The exclusion is recorded.',
  'exclusion-removed': 'The exclusion has been removed.',
  parts: 'The parts of the conference are saved.',
  proceed: 'The reason for going ahead without quoracy is recorded.',
  adjourned: 'The conference is adjourned.',
  views: 'The child’s views are recorded.',
  decision: 'The decision is recorded.',
  referral: 'The senior manager’s review is recorded.',
  plan: 'The plan is recorded.',
  summary: 'The chair’s summary is recorded.',
  held: 'The conference is concluded and recorded as held.',
};

const meetingBase = (id: string) => `/conferences/${id}/meeting`;

function statusTag(status: MeetingView['conference']['status']): { text: string; classes: string } {
  const colour = {
    planned: 'govuk-tag--grey',
    'in-progress': 'govuk-tag--blue',
    held: 'govuk-tag--green',
    'adjourned-inquorate': 'govuk-tag--orange',
    cancelled: 'govuk-tag--red',
  }[status];
  return { text: STATUS_LABELS[status], classes: colour };
}

/** "Mother of Ava (PR) and Ben (PR)"; "Detective constable, Police"; "Advocate (does not receive the record)". */
function roleOf(i: MeetingInvitee, children: readonly MeetingChildView[]): string {
  const first = (childId: string) => children.find((c) => c.childId === childId)?.givenNames ?? 'a child';
  if (i.kind === 'professional' || i.kind === 'interpreter') {
    const agency = i.agencyName
      ? agencyText(i.agencyName, i.agencyKind && isAgencyKind(i.agencyKind) ? i.agencyKind : null)
      : null;
    const interpreter = i.interpreterLanguage
      ? `Interpreter (${i.interpreterLanguage})`
      : `Interpreter${i.roleTitle ? `: ${i.roleTitle}` : ''}`;
    return [i.kind === 'interpreter' ? interpreter : i.roleTitle, agency].filter(Boolean).join(', ');
  }
  const need = interpreterNote(i.kind, i.interpreterLanguage);
  if (i.kind === 'child') return need ? `Child – ${need.charAt(0).toLowerCase()}${need.slice(1)}` : 'Child';
  const links = i.relationships.map((r) => `${first(r.childId)}${r.parentalResponsibility ? ' (PR)' : ''}`);
  const relationship = i.relationships[0]
    ? RELATIONSHIP_LABELS[i.relationships[0].relationship]
    : isInviteeKind(i.kind)
      ? INVITEE_KIND_LABELS[i.kind]
      : i.kind;
  const of = links.length
    ? ` of ${links.length > 1 ? `${links.slice(0, -1).join(', ')} and ${links.at(-1)}` : links[0]}`
    : '';
  const notes = [
    isSupporterKind(i.kind) ? 'does not receive the record' : null,
    need ? `${need.charAt(0).toLowerCase()}${need.slice(1)}` : null,
  ].filter(Boolean);
  return `${relationship}${of}${notes.length ? ` – ${notes.join('; ')}` : ''}`;
}

function names(children: ReadonlyArray<{ givenNames: string; familyName: string }>): string {
  const families = new Set(children.map((c) => c.familyName));
  if (families.size === 1) {
    const given = children.map((c) => c.givenNames);
    return `${given.length > 1 ? `${given.slice(0, -1).join(', ')} and ${given.at(-1)}` : given[0]} ${[...families][0]}`;
  }
  return children.map((c) => `${c.givenNames} ${c.familyName}`).join(', ');
}

/** What every meeting page shows at the top, and the labels its templates need. */
function headingModel(
  c: MeetingView['conference'],
  children: ReadonlyArray<{ givenNames: string; familyName: string }>,
) {
  return {
    base: meetingBase(c.id),
    conferenceHref: `/conferences/${c.id}`,
    typeLabel: CONFERENCE_TYPE_LABELS[c.type],
    dateText: formatLongDate(c.scheduledDate),
    childrenNames: names(children),
    statusTag: statusTag(c.status),
    held: c.status === 'held',
    inProgress: c.status === 'in-progress',
    outcomeLabels: OUTCOME_LABELS,
    categoryLabels: CATEGORY_LABELS,
    attendanceLabels: ATTENDANCE_LABELS,
    referralOutcomeLabels: REFERRAL_OUTCOME_LABELS,
  };
}

function pageModel(view: MeetingView) {
  return {
    m: view,
    ...headingModel(view.conference, view.children),
    partLabels: Object.fromEntries(view.parts.map((p) => [p.id, `${p.label} (${p.startsAt} to ${p.endsAt})`])),
    inviteeById: Object.fromEntries(view.invitees.map((i) => [i.id, { ...i, role: roleOf(i, view.children) }])),
  };
}

/** Minutes since midnight at which a part starts (parts count from the conference's scheduled start). */
function partBase(view: MeetingView, partId: string): number {
  const part = view.parts.find((p) => p.id === partId)!;
  return (parseClockTime(view.conference.startTime) ?? 0) + part.startOffsetMinutes;
}

export async function meetingRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { meeting, people, clock, recordings } = opts.services;

  const load = (request: FastifyRequest, id: string, as?: 'chair' | 'register') =>
    meeting.getMeeting(request.actor!, id, readingContext(request), as ? { as } : {});
  const render = (
    reply: FastifyReply,
    template: string,
    view: MeetingView,
    title: string,
    extra: Record<string, unknown> = {},
    errors: FormError[] = [],
  ) => {
    if (errors.length) reply.code(400);
    return reply.view(`conferences/${template}`, { ...pageModel(view), title, errors, ...extra });
  };
  const done = (reply: FastifyReply, id: string, what: keyof typeof DONE_MESSAGES, anchor = '') =>
    reply.redirect(`${meetingBase(id)}?done=${what}${anchor}`, 303);
  const childOf = (view: MeetingView, childId: string): MeetingChildView => {
    const child = view.children.find((c) => c.childId === childId);
    if (!child) throw new NotFoundError('The child');
    return child;
  };

  // ---------------------------------------------------------------- the chair's view

  app.get('/conferences/:id/meeting', { config: READ }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id);
    const doneKey = text((request.query ?? {}) as Record<string, unknown>, 'done');
    const registerCounts = view.parts.map((p) => ({
      part: p,
      recorded: view.attendance.filter((a) => a.partId === p.id && a.status !== 'invited').length,
      present: view.attendance.filter((a) => a.partId === p.id && a.status === 'attended').length,
    }));
    const openReferrals = view.children.filter((c) => c.decision?.referral && !c.decision.referral.reviewedOn);
    const reminderGiven = view.conference.reminderGivenAt;
    return render(reply, 'meeting-overview.njk', view, `Conference for ${names(view.children)}`, {
      done: DONE_MESSAGES[doneKey] ?? null,
      registerCounts,
      openReferrals,
      inviteeCount: view.invitees.length,
      reminderGivenText: reminderGiven
        ? `${englandClockTime(reminderGiven)} on ${formatLongDate(londonDateOf(reminderGiven))}`
        : null,
    });
  });

  app.get('/conferences/:id/meeting/history', { config: READ }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const history = await meeting.getHistory(request.actor!, id, requestContext(request));
    return reply.view('conferences/meeting-history.njk', {
      ...headingModel(history.conference, history.children),
      title: 'History of the conference record',
      history,
      perChild: history.children.map((c) => ({
        child: c,
        decisions: history.decisions.filter((d) => d.childId === c.childId).reverse(),
        plans: history.plans.filter((p) => p.childId === c.childId).reverse(),
      })),
      summaries: [...history.summaries].reverse(),
    });
  });

  // ---------------------------------------------------------------- R-1: start, and start recording in the same step

  const startPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    view: MeetingView,
    values: FormValues,
    errors: FormError[] = [],
  ) =>
    render(
      reply,
      'meeting-start.njk',
      view,
      'Start the conference',
      {
        values,
        reminder: RECORDING_REMINDER,
        // Who may record in the browser (the recording service checks the same roles).
        canRecord: hasAnyRole(request.actor!, RECORDERS),
        split: view.parts.length > 1,
        partItems: view.parts.map((p) => ({
          value: p.id,
          text: `${p.label} (${p.startsAt} to ${p.endsAt})`,
          checked: values['partId'] === p.id,
        })),
      },
      errors,
    );

  app.get('/conferences/:id/meeting/start', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id, 'chair');
    if (view.conference.status !== 'planned') return reply.redirect(meetingBase(id), 303);
    return startPage(request, reply, view, {
      actualStartTime: englandClockTime(clock.now()),
      pointsGiven: [],
      record: [],
      partId: '',
    });
  });

  /**
   * R-1 is told and ticked once, here. Ticking "Start recording" also opens a recording of the
   * meeting and goes straight to the recorder, which then only reminds the chair that those present
   * were told. A split conference's recording belongs to one part, so the part is asked for here too.
   */
  app.post('/conferences/:id/meeting/start', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      actualStartTime: text(body, 'actualStartTime'),
      pointsGiven: ticked(body, 'pointsGiven'),
      record: ticked(body, 'record'),
      partId: text(body, 'partId'),
    };
    const record = (values['record'] as string[]).includes('browser') && hasAnyRole(request.actor!, RECORDERS);
    const view = await load(request, id, 'chair');
    let partId: string | null = view.parts.length === 1 ? view.parts[0]!.id : null;
    if (record && view.parts.length > 1) {
      partId = view.parts.find((p) => p.id === values['partId'])?.id ?? null;
      // Checked before the conference is opened, so a missing part loses nothing and opens nothing.
      if (!partId) {
        const errors: FormError[] = [];
        try {
          validateOpening(
            { pointsGiven: values['pointsGiven'] as string[], actualStartTime: values['actualStartTime'] as string },
            { scheduledDate: view.conference.scheduledDate, today: londonDateOf(clock.now()) },
          );
        } catch (err) {
          errors.push(...ruleErrors(err));
        }
        return startPage(request, reply, view, values, [
          ...errors,
          { text: 'Select the part of the conference you are recording', href: '#partId' },
        ]);
      }
    }
    try {
      await meeting.openConference(
        request.actor!,
        id,
        { pointsGiven: values['pointsGiven'] as string[], actualStartTime: values['actualStartTime'] as string },
        requestContext(request),
      );
    } catch (err) {
      const errors = ruleErrors(err);
      return startPage(request, reply, await load(request, id, 'chair'), values, errors);
    }
    if (!record) return done(reply, id, 'opened');
    try {
      const recording = await recordings.startLive(request.actor!, requestContext(request), id, {
        kind: 'meeting',
        partId,
      });
      return reply.redirect(`/recordings/${recording.id}/live`, 303);
    } catch (err) {
      // The conference is open; the recorder's own start page says why the recording could not start.
      if (err instanceof DomainError && err.code !== 'ACCESS_DENIED' && err.code !== 'NOT_FOUND')
        return reply.redirect(`/conferences/${id}/recordings/live`, 303);
      throw err;
    }
  });

  // ---------------------------------------------------------------- parts of a split conference

  const partValues = (body: Record<string, unknown>): FormValues => ({
    label: text(body, 'label'),
    startsAt: text(body, 'startsAt'),
    durationMinutes: text(body, 'durationMinutes'),
  });
  /** The form's clock time and minutes as the part's offset and length; a badly typed one is a form error. */
  const partInput = (view: MeetingView, values: FormValues, errors: FormError[]) => {
    const base = parseClockTime(view.conference.startTime) ?? 0;
    const starts = parseClockTime(values['startsAt'] as string);
    if ((values['startsAt'] as string).trim() && starts === null)
      errors.push({ text: timeOfDayProblem('the start time'), href: '#startsAt' });
    const duration = (values['durationMinutes'] as string).trim();
    if (duration && !/^\d{1,3}$/.test(duration))
      errors.push({ text: 'Enter the length in whole minutes, like 45', href: '#durationMinutes' });
    return {
      label: values['label'] as string,
      startOffsetMinutes: starts === null ? null : starts - base,
      durationMinutes: /^\d{1,3}$/.test(duration) ? Number(duration) : null,
    };
  };
  const PART_FIELDS = { startOffsetMinutes: 'startsAt' };
  const partsPage = (reply: FastifyReply, view: MeetingView, values: FormValues, errors: FormError[] = []) =>
    render(
      reply,
      'meeting-parts.njk',
      view,
      'Parts of the conference',
      {
        values,
        partRows: view.parts.map((p) => ({
          part: p,
          hasAttendance: view.attendance.some((a) => a.partId === p.id && a.status !== 'invited'),
        })),
      },
      errors,
    );

  app.get('/conferences/:id/meeting/parts', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const last = view.parts.at(-1);
    return partsPage(reply, view, {
      label: `Part ${view.parts.length + 1}`,
      startsAt: last ? last.endsAt : view.conference.startTime,
      durationMinutes: '',
    });
  });

  app.post('/conferences/:id/meeting/parts', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const values = partValues(bodyOf(request));
    const view = await load(request, id, 'chair');
    const errors: FormError[] = [];
    const input = partInput(view, values, errors);
    if (!errors.length) {
      try {
        await meeting.addPart(request.actor!, id, input, requestContext(request));
        return reply.redirect(`${meetingBase(id)}/parts`, 303);
      } catch (err) {
        errors.push(...ruleErrors(err, PART_FIELDS));
      }
    }
    return partsPage(reply, view, values, errors);
  });

  const partPage = (
    reply: FastifyReply,
    view: MeetingView,
    partId: string,
    values: FormValues,
    errors: FormError[] = [],
  ) =>
    render(
      reply,
      'meeting-part.njk',
      view,
      'Change a part of the conference',
      { values, part: view.parts.find((p) => p.id === partId) },
      errors,
    );

  app.get('/conferences/:id/meeting/parts/:partId', { config: WRITE }, async (request, reply) => {
    const { id, partId } = partParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const part = view.parts.find((p) => p.id === partId);
    if (!part) return reply.callNotFound();
    return partPage(reply, view, partId, {
      label: part.label,
      startsAt: part.startsAt,
      durationMinutes: String(part.durationMinutes),
    });
  });

  app.post('/conferences/:id/meeting/parts/:partId', { config: WRITE }, async (request, reply) => {
    const { id, partId } = partParams.parse(request.params);
    const values = partValues(bodyOf(request));
    const view = await load(request, id, 'chair');
    if (!view.parts.some((p) => p.id === partId)) return reply.callNotFound();
    const errors: FormError[] = [];
    const input = partInput(view, values, errors);
    if (!errors.length) {
      try {
        await meeting.changePart(request.actor!, id, partId, input, requestContext(request));
        return reply.redirect(`${meetingBase(id)}/parts`, 303);
      } catch (err) {
        errors.push(...ruleErrors(err, PART_FIELDS));
      }
    }
    return partPage(reply, view, partId, values, errors);
  });

  app.post('/conferences/:id/meeting/parts/:partId/remove', { config: WRITE }, async (request, reply) => {
    const { id, partId } = partParams.parse(request.params);
    try {
      await meeting.removePart(request.actor!, id, partId, requestContext(request));
      return reply.redirect(`${meetingBase(id)}/parts`, 303);
    } catch (err) {
      const errors = ruleErrors(err).map((e) => ({ ...e, href: '#parts' }));
      const view = await load(request, id, 'chair');
      return partsPage(reply, view, { label: '', startsAt: '', durationMinutes: '' }, errors);
    }
  });

  // ---------------------------------------------------------------- the register

  const registerPage = (
    reply: FastifyReply,
    view: MeetingView,
    partId: string,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const part = view.parts.find((p) => p.id === partId)!;
    const base = partBase(view, partId);
    const lines = view.invitees.map((invitee) => {
      const entry = view.attendance.find((a) => a.partId === partId && a.inviteeId === invitee.id) ?? null;
      return {
        invitee: { ...invitee, role: roleOf(invitee, view.children) },
        entry,
        arrived: invitee.invitationMethod === ARRIVED_ON_THE_DAY,
        supporter: isSupporterKind(invitee.kind),
        fullyExcluded: entry?.exclusionExtent === 'full',
        partlyExcluded: entry?.exclusionExtent === 'partial',
        canExclude: view.permissions.chair && mayBeExcluded(invitee.kind),
        interpreterQuestion: mayUseInterpreter(invitee.kind),
        contactQuestion: invitee.kind === 'professional',
        joinedText:
          entry?.joinedAtMinutes !== null && entry?.joinedAtMinutes !== undefined
            ? formatClockTime(base + entry.joinedAtMinutes)
            : '',
        leftText:
          entry?.leftAtMinutes !== null && entry?.leftAtMinutes !== undefined
            ? formatClockTime(base + entry.leftAtMinutes)
            : '',
      };
    });
    const saved: FormValues = {};
    for (const l of lines) {
      saved[`status-${l.invitee.id}`] = l.entry?.status ?? 'invited';
      saved[`joinedAt-${l.invitee.id}`] = l.joinedText;
      saved[`leftAt-${l.invitee.id}`] = l.leftText;
      saved[`interpreter-${l.invitee.id}`] = l.entry?.interpreterUsed ? 'yes' : '';
      saved[`directContact-${l.invitee.id}`] = l.invitee.directContact ? 'yes' : '';
    }
    return render(
      reply,
      'meeting-register.njk',
      view,
      `Register: ${part.label}`,
      { part, lines, values: { ...saved, ...values } },
      errors,
    );
  };

  app.get('/conferences/:id/meeting/parts/:partId/register', { config: WRITE }, async (request, reply) => {
    const { id, partId } = partParams.parse(request.params);
    const view = await load(request, id, 'register');
    if (!view.parts.some((p) => p.id === partId)) return reply.callNotFound();
    return registerPage(reply, view, partId, {});
  });

  app.post('/conferences/:id/meeting/parts/:partId/register', { config: WRITE }, async (request, reply) => {
    const { id, partId } = partParams.parse(request.params);
    const body = bodyOf(request);
    const view = await load(request, id, 'register');
    if (!view.parts.some((p) => p.id === partId)) return reply.callNotFound();
    const base = partBase(view, partId);
    const errors: FormError[] = [];
    const values: FormValues = {};
    const lines: RegisterInput[] = [];
    for (const inviteeId of ticked(body, 'inviteeIds')) {
      const invitee = view.invitees.find((i) => i.id === inviteeId);
      if (!invitee) continue;
      const v = (k: string) => (values[`${k}-${inviteeId}`] = text(body, `${k}-${inviteeId}`));
      const status = v('status') || 'invited';
      const time = (k: 'joinedAt' | 'leftAt', label: string) => {
        const typed = v(k).trim();
        if (!typed) return null;
        const clockTime = parseClockTime(typed);
        if (clockTime === null) {
          errors.push({ text: timeOfDayProblem(`the time ${invitee.name} ${label}`), href: `#${k}-${inviteeId}` });
          return null;
        }
        return clockTime - base;
      };
      const joinedAt = time('joinedAt', 'joined');
      const leftAt = time('leftAt', 'left');
      const interpreterUsed = v('interpreter') === 'yes';
      const directContact = invitee.kind === 'professional' ? v('directContact') === 'yes' : undefined;
      lines.push({
        inviteeId,
        status: status as RegisterInput['status'],
        joinedAt,
        leftAt,
        interpreterUsed,
        directContact,
      });
    }
    if (!errors.length) {
      try {
        await meeting.recordAttendance(request.actor!, id, partId, lines, requestContext(request));
        return done(reply, id, 'register');
      } catch (err) {
        errors.push(...ruleErrors(err));
      }
    }
    return registerPage(reply, view, partId, values, errors);
  });

  // ---------------------------------------------------------------- exclusions (002 §3.2)

  const exclusionPage = (
    reply: FastifyReply,
    view: MeetingView,
    partId: string,
    inviteeId: string,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const invitee = view.invitees.find((i) => i.id === inviteeId)!;
    const entry = view.attendance.find((a) => a.partId === partId && a.inviteeId === inviteeId) ?? null;
    return render(
      reply,
      'meeting-exclusion.njk',
      view,
      `Exclude ${invitee.name} from ${view.parts.find((p) => p.id === partId)!.label}`,
      {
        part: view.parts.find((p) => p.id === partId),
        invitee: { ...invitee, role: roleOf(invitee, view.children) },
        entry,
        values,
      },
      errors,
    );
  };

  const exclusionTarget = async (request: FastifyRequest, reply: FastifyReply) => {
    const { id, partId, inviteeId } = exclusionParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const invitee = view.invitees.find((i) => i.id === inviteeId);
    if (!view.parts.some((p) => p.id === partId) || !invitee || !mayBeExcluded(invitee.kind)) {
      reply.callNotFound();
      return null;
    }
    return { id, partId, inviteeId, view };
  };

  app.get('/conferences/:id/meeting/parts/:partId/exclusions/:inviteeId', { config: WRITE }, async (request, reply) => {
    const t = await exclusionTarget(request, reply);
    if (!t) return reply;
    const entry = t.view.attendance.find((a) => a.partId === t.partId && a.inviteeId === t.inviteeId);
    const told = entry?.exclusionExtent ? ['orally', 'in-writing'] : [];
    return exclusionPage(reply, t.view, t.partId, t.inviteeId, {
      extent: entry?.exclusionExtent ?? '',
      exclusionReason: entry?.exclusionReason ?? '',
      toldReason: told,
      howViewsHeard: entry?.howViewsHeard ?? '',
    });
  });

  app.post(
    '/conferences/:id/meeting/parts/:partId/exclusions/:inviteeId',
    { config: WRITE },
    async (request, reply) => {
      const t = await exclusionTarget(request, reply);
      if (!t) return reply;
      const body = bodyOf(request);
      const values: FormValues = {
        extent: text(body, 'extent'),
        exclusionReason: text(body, 'exclusionReason'),
        toldReason: ticked(body, 'toldReason'),
        howViewsHeard: text(body, 'howViewsHeard'),
      };
      const told = values['toldReason'] as string[];
      try {
        await meeting.recordExclusion(
          request.actor!,
          t.id,
          t.partId,
          t.inviteeId,
          {
            extent: values['extent'],
            reason: values['exclusionReason'] as string,
            toldOrally: told.includes('orally'),
            toldInWriting: told.includes('in-writing'),
            howViewsHeard: values['howViewsHeard'] as string,
          },
          requestContext(request),
        );
        return done(reply, t.id, 'exclusion');
      } catch (err) {
        return exclusionPage(reply, t.view, t.partId, t.inviteeId, values, ruleErrors(err));
      }
    },
  );

  app.post(
    '/conferences/:id/meeting/parts/:partId/exclusions/:inviteeId/remove',
    { config: WRITE },
    async (request, reply) => {
      const t = await exclusionTarget(request, reply);
      if (!t) return reply;
      try {
        await meeting.clearExclusion(request.actor!, t.id, t.partId, t.inviteeId, requestContext(request));
        return done(reply, t.id, 'exclusion-removed');
      } catch (err) {
        return exclusionPage(
          reply,
          t.view,
          t.partId,
          t.inviteeId,
          { extent: '', exclusionReason: '', toldReason: [], howViewsHeard: '' },
          ruleErrors(err),
        );
      }
    },
  );

  // ---------------------------------------------------------------- someone who turned up uninvited

  const ARRIVAL_FIELDS = [
    'source',
    'personId',
    'childId',
    'professionalId',
    'staffUserId',
    'knownDirectContact',
    'profName',
    'profRole',
    'profAgencyId',
    'profDirectContact',
    'interpName',
    'interpRole',
    'interpAgencyId',
    'supporterKind',
    'supporterGivenNames',
    'supporterFamilyName',
  ];
  const arrivalPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    view: MeetingView,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const choices = await meeting.arrivalChoices(request.actor!, view.conference.id, readingContext(request));
    const relationshipText = (r: { childId: string; relationship: keyof typeof RELATIONSHIP_LABELS }) =>
      `${RELATIONSHIP_LABELS[r.relationship]} of ${view.children.find((c) => c.childId === r.childId)?.givenNames ?? 'a child'}`;
    return render(
      reply,
      'meeting-arrival.njk',
      view,
      'Add someone who has arrived',
      {
        values,
        choices: {
          network: choices.network.map((n) => ({
            value: n.personId,
            text: `${n.name} – ${n.relationships.map(relationshipText).join(', ')}`,
          })),
          children: choices.children.map((c) => ({ value: c.childId, text: c.name })),
          professionals: choices.professionals.map((p) => ({
            value: p.professionalId,
            text: `${p.name} – ${p.roleTitle}, ${p.agencyName}`,
          })),
          staff: choices.staff.map((s) => ({
            value: s.userId,
            text: `${s.name} – ${CSC_STAFF_ROLE_LABELS[s.role].toLowerCase()}`,
          })),
          agencies: choices.agencies.map((a) => ({ value: a.id, text: a.name })),
        },
      },
      errors,
    );
  };

  app.get('/conferences/:id/meeting/arrivals', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id, 'register');
    return arrivalPage(request, reply, view, { partIds: view.parts.length === 1 ? [view.parts[0]!.id] : [] });
  });

  app.post('/conferences/:id/meeting/arrivals', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const body = bodyOf(request);
    const view = await load(request, id, 'register');
    const values: FormValues = Object.fromEntries(ARRIVAL_FIELDS.map((f) => [f, text(body, f)]));
    values['partIds'] = ticked(body, 'partIds');
    const partIds = values['partIds'] as string[];
    const v = (k: string) => values[k] as string;
    let input: ArrivalInput | null = null;
    let renames: Record<string, string> = {};
    switch (v('source')) {
      case 'network':
        input = { source: 'network', personId: v('personId'), partIds };
        break;
      case 'child':
        input = { source: 'child', childId: v('childId'), partIds };
        break;
      case 'professional':
        input = {
          source: 'professional',
          professionalId: v('professionalId'),
          directContact: v('knownDirectContact') === 'yes',
          partIds,
        };
        break;
      case 'staff':
        input = { source: 'staff', userId: v('staffUserId'), partIds };
        break;
      case 'new-professional':
        input = {
          source: 'new-professional',
          kind: 'professional',
          name: v('profName'),
          roleTitle: v('profRole'),
          agencyId: v('profAgencyId'),
          directContact: v('profDirectContact') === 'yes',
          partIds,
        };
        renames = { name: 'profName', roleTitle: 'profRole', agencyId: 'profAgencyId' };
        break;
      case 'interpreter':
        input = {
          source: 'new-professional',
          kind: 'interpreter',
          name: v('interpName'),
          roleTitle: v('interpRole'),
          agencyId: v('interpAgencyId'),
          directContact: false,
          partIds,
        };
        renames = { name: 'interpName', roleTitle: 'interpRole', agencyId: 'interpAgencyId' };
        break;
      case 'new-supporter':
        input = {
          source: 'new-supporter',
          kind: v('supporterKind') as 'friend',
          givenNames: v('supporterGivenNames'),
          familyName: v('supporterFamilyName'),
          partIds,
        };
        renames = { givenNames: 'supporterGivenNames', familyName: 'supporterFamilyName', kind: 'supporterKind' };
        break;
    }
    const selected: Record<string, string> = {
      network: 'personId',
      child: 'childId',
      professional: 'professionalId',
      staff: 'staffUserId',
    };
    const errors: FormError[] = [];
    if (!input) errors.push({ text: 'Select who has arrived', href: '#source' });
    else if (selected[input.source] && !v(selected[input.source]!))
      errors.push({ text: 'Select who has arrived from the list', href: `#${selected[input.source]}` });
    if (!errors.length) {
      try {
        await meeting.addArrival(request.actor!, id, input!, requestContext(request));
        return done(reply, id, 'arrival');
      } catch (err) {
        // Someone from the lists who cannot be found (no longer linked to the children) is a problem on that list.
        if (err instanceof Error && (err as { code?: string }).code === 'NOT_FOUND' && selected[input!.source]) {
          errors.push({ text: 'Select who has arrived from the list', href: `#${selected[input!.source]}` });
        } else errors.push(...ruleErrors(err, renames));
      }
    }
    return arrivalPage(request, reply, view, values, errors);
  });

  // ---------------------------------------------------------------- Q-1

  const quoracyPage = (reply: FastifyReply, view: MeetingView, values: FormValues, errors: FormError[] = []) =>
    render(reply, 'meeting-quoracy.njk', view, 'Quoracy', { values, present: view.agenciesPresent }, errors);

  app.get('/conferences/:id/meeting/quoracy', { config: READ }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id);
    return quoracyPage(reply, view, {});
  });

  app.post('/conferences/:id/meeting/quoracy/proceed', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const values: FormValues = { proceedReason: text(bodyOf(request), 'proceedReason') };
    try {
      await meeting.proceedInquorate(
        request.actor!,
        id,
        { reason: values['proceedReason'] as string },
        requestContext(request),
      );
      return done(reply, id, 'proceed');
    } catch (err) {
      const errors = ruleErrors(err);
      return quoracyPage(reply, await load(request, id, 'chair'), values, errors);
    }
  });

  app.post('/conferences/:id/meeting/quoracy/adjourn', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = { safetySteps: text(body, 'safetySteps'), ...dateFields(body, 'reconveneDate') };
    const errors: FormError[] = [];
    const reconveneDate = readDate(values, 'reconveneDate', 'The new date', errors);
    if (!errors.length) {
      try {
        await meeting.adjournInquorate(
          request.actor!,
          id,
          { safetySteps: values['safetySteps'] as string, reconveneDate: reconveneDate as IsoDate | null },
          requestContext(request),
        );
        return done(reply, id, 'adjourned');
      } catch (err) {
        errors.push(...ruleErrors(err));
      }
    }
    return quoracyPage(reply, await load(request, id, 'chair'), values, errors);
  });

  // ---------------------------------------------------------------- the child's views

  const viewsPage = (
    reply: FastifyReply,
    view: MeetingView,
    child: MeetingChildView,
    values: FormValues,
    errors: FormError[] = [],
  ) => render(reply, 'meeting-views.njk', view, `${child.givenNames}’s views`, { child, values }, errors);

  app.get('/conferences/:id/meeting/children/:childId/views', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const child = childOf(view, childId);
    return viewsPage(reply, view, child, { childViews: child.childViews ?? '' });
  });

  app.post('/conferences/:id/meeting/children/:childId/views', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const values: FormValues = { childViews: text(bodyOf(request), 'childViews') };
    try {
      await meeting.recordChildViews(
        request.actor!,
        id,
        childId,
        { views: values['childViews'] as string },
        requestContext(request),
      );
      return done(reply, id, 'views', `#child-${childId}`);
    } catch (err) {
      const errors = ruleErrors(err);
      const view = await load(request, id, 'chair');
      return viewsPage(reply, view, childOf(view, childId), values, errors);
    }
  });

  // ---------------------------------------------------------------- decisions (002 §3.5, §3.6, D-1)

  const decisionPage = (
    reply: FastifyReply,
    view: MeetingView,
    child: MeetingChildView,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const outcomes = outcomesFor(view.conference.type);
    return render(
      reply,
      'meeting-decision.njk',
      view,
      `Decision for ${child.givenNames} ${child.familyName}`,
      {
        child,
        values,
        outcomeItems: outcomes.map((o) => ({ value: o, text: OUTCOME_LABELS[o], hasPlan: outcomeHasPlan(o) })),
        categoryItems: CATEGORIES.map((c) => ({ value: c, text: CATEGORY_LABELS[c] })),
      },
      errors,
    );
  };

  const decisionValues = (child: MeetingChildView, view: MeetingView): FormValues => {
    const d = child.decision;
    const values: FormValues = {
      outcome: d?.outcome ?? '',
      category: d?.category ?? '',
      reasons: d?.reasons ?? '',
      referredTo: d?.referral?.referredTo ?? '',
      ...dateValues('referredOn', d?.referral?.referredOn),
      changeReason: '',
    };
    for (const a of view.agenciesPresent) {
      const saved = d?.agencyViews.find((v) => v.agencyId === a.agencyId);
      values[`view-${a.agencyId}`] = saved?.view ?? '';
      values[`note-${a.agencyId}`] = saved?.note ?? '';
    }
    return values;
  };

  app.get('/conferences/:id/meeting/children/:childId/decision', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const child = childOf(view, childId);
    return decisionPage(reply, view, child, decisionValues(child, view));
  });

  app.post('/conferences/:id/meeting/children/:childId/decision', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const body = bodyOf(request);
    const view = await load(request, id, 'chair');
    const child = childOf(view, childId);
    const values: FormValues = {
      outcome: text(body, 'outcome'),
      category: text(body, 'category'),
      reasons: text(body, 'reasons'),
      referredTo: text(body, 'referredTo'),
      ...dateFields(body, 'referredOn'),
      changeReason: text(body, 'changeReason'),
    };
    const agencyViews: Array<{ agencyId: string; view: 'agrees' | 'dissents'; note: string }> = [];
    for (const a of view.agenciesPresent) {
      const chosen = (values[`view-${a.agencyId}`] = text(body, `view-${a.agencyId}`));
      const note = (values[`note-${a.agencyId}`] = text(body, `note-${a.agencyId}`));
      if (chosen === 'agrees' || chosen === 'dissents') agencyViews.push({ agencyId: a.agencyId, view: chosen, note });
    }
    const errors: FormError[] = [];
    const referredOn = readDate(values, 'referredOn', 'The date of the referral', errors);
    if (!errors.length) {
      try {
        await meeting.recordDecision(
          request.actor!,
          id,
          childId,
          {
            outcome: values['outcome'] as string,
            // The category radios sit inside the plan outcomes' conditional reveal: an answer hidden
            // by choosing "no plan" is ignored, as the GOV.UK pattern says, not refused.
            category:
              (OUTCOMES as readonly unknown[]).includes(values['outcome']) &&
              outcomeHasPlan(values['outcome'] as Outcome)
                ? (values['category'] as string) || null
                : null,
            reasons: values['reasons'] as string,
            agencyViews,
            referral: { referredTo: values['referredTo'] as string, referredOn: referredOn as IsoDate | null },
            changeReason: values['changeReason'] as string,
          },
          requestContext(request),
        );
        return done(reply, id, 'decision', `#child-${childId}`);
      } catch (err) {
        errors.push(...ruleErrors(err));
      }
    }
    return decisionPage(reply, view, child, values, errors);
  });

  // ---------------------------------------------------------------- D-1: the senior manager's review

  const referralPage = (
    reply: FastifyReply,
    view: MeetingView,
    child: MeetingChildView,
    values: FormValues,
    errors: FormError[] = [],
  ) =>
    render(
      reply,
      'meeting-referral.njk',
      view,
      `Senior manager’s review for ${child.givenNames} ${child.familyName}`,
      { child, values, outcomeItems: REFERRAL_OUTCOMES.map((o) => ({ value: o, text: REFERRAL_OUTCOME_LABELS[o] })) },
      errors,
    );

  app.get('/conferences/:id/meeting/children/:childId/referral', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const child = childOf(view, childId);
    if (!child.decision?.referral) return reply.redirect(meetingBase(id), 303);
    return referralPage(reply, view, child, { outcome: '' });
  });

  app.post('/conferences/:id/meeting/children/:childId/referral', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = { outcome: text(body, 'outcome'), ...dateFields(body, 'reviewedOn') };
    const errors: FormError[] = [];
    const reviewedOn = readDate(values, 'reviewedOn', 'The date of the review', errors);
    if (!errors.length) {
      try {
        await meeting.recordReferralReview(
          request.actor!,
          id,
          childId,
          { reviewedOn: reviewedOn as IsoDate | null, outcome: values['outcome'] as string },
          requestContext(request),
        );
        return done(reply, id, 'referral', `#child-${childId}`);
      } catch (err) {
        errors.push(...ruleErrors(err));
      }
    }
    const view = await load(request, id, 'chair');
    return referralPage(reply, view, childOf(view, childId), values, errors);
  });

  // ---------------------------------------------------------------- the plan (002 §3.7, T-3, T-9)

  const planPage = async (
    reply: FastifyReply,
    view: MeetingView,
    child: MeetingChildView,
    values: FormValues,
    rows: number,
    errors: FormError[] = [],
  ) => {
    const { socialWorkers } = await people.staffChoices();
    const lead = values['leadSocialWorkerUserId'] as string;
    const current = child.plan?.leadSocialWorkerUserId;
    const swList =
      current && !socialWorkers.some((s) => s.id === current)
        ? [...socialWorkers, { id: current, name: child.plan?.leadSocialWorkerName ?? 'Unknown account' }]
        : socialWorkers;
    return render(
      reply,
      'meeting-plan.njk',
      view,
      child.planStep === 'plan-ended'
        ? `When ${child.givenNames}’s plan ends`
        : `Plan for ${child.givenNames} ${child.familyName}`,
      {
        child,
        values,
        rows: Array.from({ length: rows }, (_, i) => i),
        rowCount: rows,
        leadItems: [
          { value: '', text: 'Not appointed yet' },
          ...swList.map((s) => ({ value: s.id, text: s.name, selected: s.id === lead })),
        ],
        coreGroupItems: view.invitees
          .filter((i) => mayJoinCoreGroup(i.kind))
          .map((i) => ({
            value: i.id,
            text: i.name,
            hint: { text: roleOf(i, view.children) },
            checked: (values['coreGroup'] as string[] | undefined)?.includes(i.id) ?? false,
          })),
      },
      errors,
    );
  };

  const planValues = (view: MeetingView, child: MeetingChildView): { values: FormValues; rows: number } => {
    const p = child.plan;
    const values: FormValues = {
      leadSocialWorkerUserId: p ? (p.leadSocialWorkerUserId ?? '') : (child.allocatedSocialWorkerId ?? ''),
      coreGroup: p?.coreGroupInviteeIds ?? [],
      ...dateValues('firstCoreGroupDate', p?.firstCoreGroupDate),
      contingencyPlan: p?.contingencyPlan ?? '',
      ...dateValues('nextReviewDate', p?.nextReviewDate ?? view.reviewDeadline.due),
      ...dateValues('planEndedMeetingDate', p?.planEndedMeetingDate ?? view.planEndedDeadline.due),
      changeReason: '',
    };
    const actions = p?.actions ?? [];
    actions.forEach((a, i) => {
      values[`action-${i}`] = a.action;
      values[`who-${i}`] = a.who;
      Object.assign(values, dateValues(`byWhen-${i}`, a.byWhen));
    });
    return { values, rows: Math.max(PLAN_ROWS, actions.length + 1) };
  };

  app.get('/conferences/:id/meeting/children/:childId/plan', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const child = childOf(view, childId);
    if (!child.planStep) return reply.redirect(meetingBase(id), 303);
    const { values, rows } = planValues(view, child);
    return planPage(reply, view, child, values, rows);
  });

  app.post('/conferences/:id/meeting/children/:childId/plan', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const body = bodyOf(request);
    const view = await load(request, id, 'chair');
    const child = childOf(view, childId);
    if (!child.planStep) return reply.redirect(meetingBase(id), 303);
    const rows = Math.min(MAX_PLAN_ROWS, Math.max(1, Number.parseInt(text(body, 'rows'), 10) || PLAN_ROWS));
    const values: FormValues = {
      leadSocialWorkerUserId: text(body, 'leadSocialWorkerUserId'),
      coreGroup: ticked(body, 'coreGroup'),
      ...dateFields(body, 'firstCoreGroupDate'),
      contingencyPlan: text(body, 'contingencyPlan'),
      ...dateFields(body, 'nextReviewDate'),
      ...dateFields(body, 'planEndedMeetingDate'),
      changeReason: text(body, 'changeReason'),
    };
    for (let i = 0; i < rows; i++) {
      values[`action-${i}`] = text(body, `action-${i}`);
      values[`who-${i}`] = text(body, `who-${i}`);
      Object.assign(values, dateFields(body, `byWhen-${i}`));
    }
    // "Add another row" without JavaScript: the same form, one more blank row, nothing saved.
    if (text(body, 'addRow')) return planPage(reply, view, child, values, Math.min(MAX_PLAN_ROWS, rows + 1));
    const errors: FormError[] = [];
    const lead = (values['leadSocialWorkerUserId'] as string) || null;
    try {
      if (child.planStep === 'plan-ended') {
        const planEndedMeetingDate = readDate(values, 'planEndedMeetingDate', 'The date of the meeting', errors);
        if (!errors.length) {
          await meeting.recordPlan(
            request.actor!,
            id,
            childId,
            {
              leadSocialWorkerUserId: lead,
              planEndedMeetingDate: planEndedMeetingDate as IsoDate | null,
              changeReason: values['changeReason'] as string,
            },
            requestContext(request),
          );
        }
      } else {
        const firstCoreGroupDate = readDate(values, 'firstCoreGroupDate', 'The date of the first core group', errors);
        const nextReviewDate = readDate(values, 'nextReviewDate', 'The date of the next review', errors);
        const actions = Array.from({ length: rows }, (_, i) => ({
          action: values[`action-${i}`] as string,
          who: values[`who-${i}`] as string,
          byWhen: readDate(values, `byWhen-${i}`, 'The date it must be done by', errors) as IsoDate | null,
        }));
        if (!errors.length) {
          await meeting.recordPlan(
            request.actor!,
            id,
            childId,
            {
              leadSocialWorkerUserId: lead,
              coreGroupInviteeIds: values['coreGroup'] as string[],
              firstCoreGroupDate: firstCoreGroupDate as IsoDate | null,
              actions,
              contingencyPlan: values['contingencyPlan'] as string,
              nextReviewDate: nextReviewDate as IsoDate | null,
              changeReason: values['changeReason'] as string,
            },
            requestContext(request),
          );
        }
      }
      if (!errors.length) return done(reply, id, 'plan', `#child-${childId}`);
    } catch (err) {
      errors.push(...ruleErrors(err));
    }
    return planPage(reply, view, child, values, rows, errors);
  });

  // ---------------------------------------------------------------- the chair's summary (003)

  const summaryPage = (reply: FastifyReply, view: MeetingView, values: FormValues, errors: FormError[] = []) =>
    render(reply, 'meeting-summary.njk', view, 'Chair’s summary: worries, positives and changes', { values }, errors);

  app.get('/conferences/:id/meeting/summary', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const s = view.summary;
    return summaryPage(reply, view, {
      worries: s?.worries ?? '',
      positives: s?.positives ?? '',
      changes: s?.changes ?? '',
      changeReason: '',
    });
  });

  app.post('/conferences/:id/meeting/summary', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      worries: text(body, 'worries'),
      positives: text(body, 'positives'),
      changes: text(body, 'changes'),
      changeReason: text(body, 'changeReason'),
    };
    try {
      await meeting.recordSummary(
        request.actor!,
        id,
        {
          worries: values['worries'] as string,
          positives: values['positives'] as string,
          changes: values['changes'] as string,
          changeReason: values['changeReason'] as string,
        },
        requestContext(request),
      );
      return done(reply, id, 'summary', '#summary');
    } catch (err) {
      const errors = ruleErrors(err);
      return summaryPage(reply, await load(request, id, 'chair'), values, errors);
    }
  });

  // ---------------------------------------------------------------- concluding

  const concludePage = (reply: FastifyReply, view: MeetingView, values: FormValues, errors: FormError[] = []) =>
    render(reply, 'meeting-conclude.njk', view, 'Conclude the conference', { values }, errors);

  app.get('/conferences/:id/meeting/conclude', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id, 'chair');
    if (view.conference.status !== 'in-progress') return reply.redirect(meetingBase(id), 303);
    return concludePage(reply, view, { actualEndTime: englandClockTime(clock.now()) });
  });

  app.post('/conferences/:id/meeting/conclude', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const values: FormValues = { actualEndTime: text(bodyOf(request), 'actualEndTime') };
    try {
      await meeting.conclude(
        request.actor!,
        id,
        { actualEndTime: values['actualEndTime'] as string },
        requestContext(request),
      );
      return done(reply, id, 'held');
    } catch (err) {
      const errors = ruleErrors(err);
      return concludePage(reply, await load(request, id, 'chair'), values, errors);
    }
  });
}
