import { z } from 'zod';
import type { ConveneInput } from '../../../app/conferences/convening-service.ts';
import { type Deadline, formatLongDate, weekdayName } from '../../../domain/calendar/index.ts';
import { parseTimeOfDay, timeOfDayProblem } from '../../../domain/shared/time-of-day.ts';
import {
  type FormError,
  type FormValues,
  asArray,
  dateParts,
  fieldIds as pageFieldIds,
  mergeErrors,
  problemsAsErrors,
  readDate,
  str,
} from '../../forms/index.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

/** The convening journey's steps, in order; each owns some of the answers. */
export const STEPS = ['children', 'type', 'arrangements', 'timescale'] as const;
export type Step = (typeof STEPS)[number];

export const STEP_PATHS: Record<Step | 'check', string> = {
  children: '/conferences/new/children',
  type: '/conferences/new/type',
  arrangements: '/conferences/new/arrangements',
  timescale: '/conferences/new/timescale',
  check: '/conferences/new/check',
};

export const TYPE_FIELDS = [
  'type',
  ...dateParts('strategyDiscussionDate'),
  ...dateParts('expectedDeliveryDate'),
  'prematureBirthLikely',
  'previousConferenceId',
  ...dateParts('noticeOfMoveDate'),
  'reconvenesConferenceId',
];
/** The type step's answers that are lists: the grounds for a pre-birth conference (002 §1.3). */
export const TYPE_LISTS = ['preBirthGrounds'];

/** The answer "no, it does not reconvene a conference" on the type step. */
export const NOT_RECONVENING = 'none';
export const ARRANGEMENT_FIELDS = [
  ...dateParts('scheduledDate'),
  'startTime',
  'durationMinutes',
  'venueKind',
  'venueDetails',
  'onlineLink',
  'hybridVenueDetails',
  'hybridOnlineLink',
  'chairUserId',
  'chairIndependenceReason',
  'minuteTakerUserId',
];
export const TIMESCALE_FIELDS = ['lateAgreedBy', 'lateReason', 'broughtForwardReason', 'broughtForwardOther'];

/** Which step asks for each of the service's fields. */
const STEP_OF: Record<string, Step> = {
  childIds: 'children',
  reconvenesConferenceId: 'type',
  type: 'type',
  strategyDiscussionDate: 'type',
  expectedDeliveryDate: 'type',
  preBirthGrounds: 'type',
  prematureBirthLikely: 'type',
  previousConferenceId: 'type',
  noticeOfMoveDate: 'type',
  scheduledDate: 'arrangements',
  startTime: 'arrangements',
  durationMinutes: 'arrangements',
  venueKind: 'arrangements',
  venueDetails: 'arrangements',
  onlineLink: 'arrangements',
  chairUserId: 'arrangements',
  chairIndependenceReason: 'arrangements',
  minuteTakerUserId: 'arrangements',
  lateAgreedBy: 'timescale',
  lateReason: 'timescale',
  broughtForwardReason: 'timescale',
  broughtForwardOther: 'timescale',
};

/** The service's field names as the ids of the inputs on the pages (dates point at their day box). */
export function fieldIds(values: FormValues): Record<string, string> {
  const hybrid = values['venueKind'] === 'hybrid';
  return {
    childIds: 'childIds',
    strategyDiscussionDate: 'strategyDiscussionDate-day',
    expectedDeliveryDate: 'expectedDeliveryDate-day',
    noticeOfMoveDate: 'noticeOfMoveDate-day',
    scheduledDate: 'scheduledDate-day',
    venueDetails: hybrid ? 'hybridVenueDetails' : 'venueDetails',
    onlineLink: hybrid ? 'hybridOnlineLink' : 'onlineLink',
    sharedOn: 'sharedOn-day',
    sentOn: 'sentOn-day',
    interpreterNeeded: 'interpreterNeeded',
  };
}

const ORDER = [
  'childIds',
  'type',
  'strategyDiscussionDate-day',
  'expectedDeliveryDate-day',
  'preBirthGrounds',
  'prematureBirthLikely',
  'previousConferenceId',
  'noticeOfMoveDate-day',
  'reconvenesConferenceId',
  'scheduledDate-day',
  'startTime',
  'durationMinutes',
  'venueKind',
  'venueDetails',
  'onlineLink',
  'hybridVenueDetails',
  'hybridOnlineLink',
  'chairUserId',
  'chairIndependenceReason',
  'minuteTakerUserId',
  'lateAgreedBy',
  'lateReason',
  'broughtForwardReason',
  'broughtForwardOther',
  'main-content',
];

/** Problems from the service as error summary items; access and not-found errors go to the error pages. */
export function serviceErrors(err: unknown, values: FormValues): FormError[] {
  return problemsAsErrors(err, pageFieldIds({ renames: fieldIds(values) }));
}

export function orderedErrors(...lists: FormError[][]): FormError[] {
  return mergeErrors(ORDER, ...lists);
}

/** "9:30", "09.30", "0930", "9am", "2:30pm", "midday" → "HH:MM"; null when it is not a time (the one parser every time field uses). */
export const parseClockTime = (raw: string): string | null => parseTimeOfDay(raw);

/** The draft's answers as the service's input, with the forms' own problems (half-typed dates, a time that is not one). */
export function conveneInputFrom(values: FormValues): { input: ConveneInput; errors: FormError[] } {
  const errors: FormError[] = [];
  const date = (prefix: string, label: string) => readDate(values, prefix, label, errors);
  const one = (field: string) => str(values[field]);
  const type = one('type');
  const venueKind = one('venueKind');
  const hybrid = venueKind === 'hybrid';
  const rawTime = one('startTime').trim();
  const startTime = rawTime ? parseClockTime(rawTime) : null;
  if (rawTime && !startTime) errors.push({ text: timeOfDayProblem('the start time'), href: '#startTime' });
  const duration = one('durationMinutes');
  const input: ConveneInput = {
    childIds: asArray(values['childIds']),
    type: type || undefined,
    strategyDiscussionDate:
      type === 'initial' ? date('strategyDiscussionDate', 'Date of the strategy discussion') : null,
    expectedDeliveryDate: type === 'pre-birth' ? date('expectedDeliveryDate', 'Expected date of delivery') : null,
    // 002 §1.3: the grounds for a pre-birth conference, and whether a premature birth is likely (T-2).
    preBirthGrounds: type === 'pre-birth' ? asArray(values['preBirthGrounds']) : null,
    prematureBirthLikely: type === 'pre-birth' && one('prematureBirthLikely') === 'yes',
    // 002 §2.2: why a review is brought forward (asked only when it is).
    broughtForwardReason: type === 'review' ? one('broughtForwardReason') || null : null,
    broughtForwardOther: type === 'review' ? one('broughtForwardOther') : null,
    previousConferenceId: type === 'review' ? one('previousConferenceId') || null : null,
    noticeOfMoveDate: type === 'transfer-in' ? date('noticeOfMoveDate', 'Date of the notice of the move') : null,
    scheduledDate: date('scheduledDate', 'Date of the conference'),
    startTime: startTime ?? (rawTime ? '' : null),
    durationMinutes: /^\d{1,3}$/.test(duration) ? Number(duration) : null,
    venueKind: venueKind || undefined,
    venueDetails: one(hybrid ? 'hybridVenueDetails' : 'venueDetails'),
    onlineLink: one(hybrid ? 'hybridOnlineLink' : 'onlineLink'),
    chairUserId: one('chairUserId') || null,
    chairIndependenceReason: one('chairIndependenceReason') || null,
    minuteTakerUserId: one('minuteTakerUserId') || null,
    lateAgreedBy: one('lateAgreedBy'),
    lateReason: one('lateReason'),
    reconvenesConferenceId: [NOT_RECONVENING, ''].includes(one('reconvenesConferenceId'))
      ? null
      : one('reconvenesConferenceId'),
    // 002 §1.1: carried from the agreed request's link (`?request=`) through the draft.
    conferenceRequestId: one('conferenceRequestId') || null,
  };
  return { input, errors: orderedErrors(errors) };
}

/** Form errors that belong to one step's own fields. */
export function errorsOfStep(errors: FormError[], step: Step, values: FormValues): FormError[] {
  const ids = fieldIds(values);
  const byId = new Map<string, Step>(Object.entries(STEP_OF).map(([field, s]) => [ids[field] ?? field, s]));
  byId.set('hybridVenueDetails', 'arrangements');
  byId.set('hybridOnlineLink', 'arrangements');
  return errors.filter((e) => (byId.get(e.href.slice(1)) ?? 'children') === step);
}

export const DURATIONS = [30, 45, 60, 90, 120, 150, 180, 240];

export function durationLabel(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} hour${h === 1 ? '' : 's'}` : '', m ? `${m} minutes` : ''].filter(Boolean).join(' ');
}

/** "By Friday 20 March 2026, from the date of the strategy discussion, 27 February 2026" */
export function deadlineText(d: Deadline): string {
  const from = `counted from the ${d.fromMeaning}, ${formatLongDate(d.from)}`;
  if (d.earliest && d.latest) return `Between ${formatLongDate(d.earliest)} and ${formatLongDate(d.latest)}, ${from}`;
  return `By ${weekdayName(d.due)} ${formatLongDate(d.due)}, ${from}`;
}

/** `?child=`: the child a journey starts from; `?request=`: the agreed request for a conference it answers (002 §1.1). */
export const childQuery = z.object({ child: idSchema.optional(), request: idSchema.optional() });
