/**
 * Participation in a conference (002 §3.2, 001): what the pages share. The use cases check who may see and change each
 * conference per child, and that only the chair bars a supporter or confirms a child's views reached the conference;
 * they audit every view, change and refusal. The pages only read forms and show.
 */
import type { ParticipationService, ParticipationView } from '../../../app/participation/service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { type IsoDate, formatLongDate } from '../../../domain/calendar/index.ts';
import { doneMessage, pageRenderer } from '../../forms/index.ts';

export interface ParticipationPagesOptions {
  participation: ParticipationService;
}

/** Seeing participation: anyone who may open children's records (the use case checks each child). */
export const VIEW = { access: CHILD_RECORD_ROLES };
/** Recording a child's attendance, an advocate's role, a parent's help and report. */
export const EDIT = { access: RECORD_EDITOR_ROLES };

export const participationHref = (id: string) => `/conferences/${id}/participation`;

export const longDate = (d: string) => formatLongDate(d as IsoDate);

/** The caption and back link of every page about one conference's participation. */
export function headingOf(view: ParticipationView, back: 'conference' | 'participation' = 'participation') {
  return {
    caption: `${view.conference.title} – ${longDate(view.conference.scheduledDate)}`,
    backText: back === 'conference' ? 'Back to the conference' : 'Back to participation',
    backHref: back === 'conference' ? `/conferences/${view.conference.id}` : participationHref(view.conference.id),
  };
}

const DONE: Record<string, string> = {
  child: 'The decision about the child attending is recorded.',
  'views-checked': 'It is recorded that the conference has the child’s views.',
  barred: 'They are barred from the conference. They cannot be recorded as attending.',
  unbarred: 'The bar is lifted.',
  advocate: 'The advocate’s role is recorded.',
  help: 'The help is recorded.',
  report: 'The parent’s report is added. It is listed with the other reports for the conference.',
};

export const doneOf = (query: unknown): string | null => doneMessage(query, DONE);

export const render = pageRenderer('participation');

export const choiceItems = <T extends string>(list: readonly T[], labels: Record<T, string>, value: unknown) =>
  list.map((v) => ({ value: v, text: labels[v], checked: value === v }));

export const tickItems = <T extends string>(list: readonly T[], labels: Record<T, string>, values: unknown) =>
  list.map((v) => ({ value: v, text: labels[v], checked: Array.isArray(values) && values.includes(v) }));
