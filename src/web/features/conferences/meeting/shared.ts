/**
 * What every page of the chair's meeting uses: who may open it, the heading and labels every template
 * shows, loading the meeting for a form, the redirect back to the meeting with its message, where a
 * rule's field points on the page, and the one step that calls a page's use case or shows the form again.
 */
import type { PlanEndingUseCases } from '../../../../app/plan-endings/service.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {
  LiveRecorder,
  MeetingChildView,
  MeetingService,
  MeetingView,
} from '../../../../app/conferences/meeting-service.ts';
import type { PeopleService } from '../../../../app/people/people-service.ts';
import type { Clock } from '../../../../app/unit-of-work.ts';
import type { MeetingInvitee } from '../../../../app/conferences/meeting-ports.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../../domain/access/child-access.ts';
import { type IsoDate, formatLongDate } from '../../../../domain/calendar/index.ts';
import { ATTENDANCE_LABELS } from '../../../../domain/conferences/attendance.ts';
import { CATEGORY_LABELS, CONFERENCE_TYPE_LABELS, OUTCOME_LABELS } from '../../../../domain/conferences/decisions.ts';
import {
  INVITEE_KIND_LABELS,
  interpreterNote,
  isInviteeKind,
  isSupporterKind,
} from '../../../../domain/conferences/invitees.ts';
import { STATUS_LABELS } from '../../../../domain/conferences/lifecycle.ts';
import { REFERRAL_OUTCOME_LABELS, parseClockTime } from '../../../../domain/conferences/meeting.ts';
import { RELATIONSHIP_LABELS, isAgencyKind } from '../../../../domain/people/index.ts';
import { NotFoundError } from '../../../../domain/shared/errors.ts';
import {
  type FieldIds,
  type FormError,
  fieldIds,
  idParams,
  readingContext,
  submit as submitForm,
} from '../../../forms/index.ts';
import { agencyText } from '../convening-view.ts';

export const READ = { access: CHILD_RECORD_ROLES };
export const WRITE = { access: RECORD_EDITOR_ROLES };

export const meetingParams = idParams('id');
export const childParams = idParams('id', 'childId');
export const partParams = idParams('id', 'partId');
export const exclusionParams = idParams('id', 'partId', 'inviteeId');

/** The message the meeting shows after each change, by the `done` key its redirect carries. */
export const DONE_MESSAGES: Record<string, string> = {
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

export const meetingBase = (id: string) => `/conferences/${id}/meeting`;

/** Back to the meeting with what was done (and where on the page to land). */
export const done = (reply: FastifyReply, id: string, what: keyof typeof DONE_MESSAGES, anchor = '') =>
  reply.redirect(`${meetingBase(id)}?done=${what}${anchor}`, 303);

const DATE_FIELDS = new Set([
  'firstCoreGroupDate',
  'nextReviewDate',
  'planEndedMeetingDate',
  'referredOn',
  'reviewedOn',
  'reconveneDate',
]);

/** Where a rule's field points on a meeting page: date inputs at their day box, some fields renamed. */
export const meetingIds = (renames: Record<string, string> = {}): FieldIds =>
  fieldIds({ renames, dates: (f) => DATE_FIELDS.has(f) || /^byWhen-\d+$/.test(f) });

const MEETING_IDS = meetingIds();

/**
 * The one way a meeting form is sent: the kit's `submit`, with the meeting's field ids unless a page
 * gives its own.
 */
export function submit<T>(step: Parameters<typeof submitForm<T, unknown>>[0]): Promise<unknown> {
  return submitForm({ ...step, ids: step.ids ?? MEETING_IDS });
}

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
export function roleOf(i: MeetingInvitee, children: readonly MeetingChildView[]): string {
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

/** "Ava and Ben Smith"; "Ava Smith, Ben Jones". */
export function names(children: ReadonlyArray<{ givenNames: string; familyName: string }>): string {
  const families = new Set(children.map((c) => c.familyName));
  if (families.size === 1) {
    const given = children.map((c) => c.givenNames);
    return `${given.length > 1 ? `${given.slice(0, -1).join(', ')} and ${given.at(-1)}` : given[0]} ${[...families][0]}`;
  }
  return children.map((c) => `${c.givenNames} ${c.familyName}`).join(', ');
}

/** What every meeting page shows at the top, and the labels its templates need. */
export function headingModel(
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
    exclusionTelling: exclusionTelling(view),
    barred: Object.fromEntries(view.barredInviteeIds.map((id) => [id, true])),
  };
}

/** 002 §3.2: for each exclusion ("partId:inviteeId"), who told the person the reasons and when, orally and in writing. */
function exclusionTelling(view: MeetingView): Record<string, { orally: string; inWriting: string | null }> {
  const told = (t: { on: string; by: string }) => `on ${formatLongDate(t.on as IsoDate)} by ${t.by}`;
  return Object.fromEntries(
    view.exclusionDetails.map((d) => [
      `${d.partId}:${d.inviteeId}`,
      d.recordedBeforeCriteria
        ? { orally: 'recorded as given', inWriting: 'recorded as given' }
        : { orally: told(d.toldOrally), inWriting: d.toldInWriting ? told(d.toldInWriting) : null },
    ]),
  );
}

/** A meeting page: its template with the heading, the page's own model and its errors (400 or 409 with errors). */
export function render(
  reply: FastifyReply,
  template: string,
  view: MeetingView,
  title: string,
  extra: Record<string, unknown> = {},
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  if (errors.length) reply.code(status);
  return reply.view(`conferences/${template}`, { ...pageModel(view), title, errors, ...extra });
}

/** The meeting as a page shows it; `as` asks for a form's role too, so a form is never shown to someone who could not send it. */
export const loader =
  (meeting: MeetingService) =>
  (request: FastifyRequest, id: string, as?: 'chair' | 'register'): Promise<MeetingView> =>
    meeting.getMeeting(request.actor!, id, readingContext(request), as ? { as } : {});

export type Load = ReturnType<typeof loader>;

/** The services the meeting's pages use. */
export interface MeetingRoutesOptions {
  meeting: MeetingService;
  /** The social workers who may lead a plan. */
  people: Pick<PeopleService, 'staffChoices'>;
  /** Today's time, offered as the start and end times. */
  clock: Clock;
  /** Recording the meeting in the browser as it starts. */
  recordings: LiveRecorder;
  /** 002 §3.9: a plan ended, or a move, since the child's last conference, shown to this one. */
  planEndings?: Pick<PlanEndingUseCases, 'forChild'> | undefined;
}

/** What each page's routes are given: the services, and the meeting loaded as a page shows it. */
export interface MeetingPages extends MeetingRoutesOptions {
  load: Load;
}

export function childOf(view: MeetingView, childId: string): MeetingChildView {
  const child = view.children.find((c) => c.childId === childId);
  if (!child) throw new NotFoundError('The child');
  return child;
}

/** Minutes since midnight at which a part starts (parts count from the conference's scheduled start). */
export function partBase(view: MeetingView, partId: string): number {
  const part = view.parts.find((p) => p.id === partId)!;
  return (parseClockTime(view.conference.startTime) ?? 0) + part.startOffsetMinutes;
}
