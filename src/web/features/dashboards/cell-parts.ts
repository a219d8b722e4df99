/**
 * The parts a dashboard cell is made of (text, a link, a tag) and the cells every kind of row shares: the
 * template escapes everything and no HTML is built here. Links carry ids only, never names.
 */
import { type DeadlineRag, formatLongDate, type IsoDate, weekdayName } from '../../../domain/calendar/index.ts';
import {
  type DashboardChild,
  type DashboardItem,
  type DueDate,
  RAG_LABELS,
  timeLeftText,
} from '../../../domain/conferences/dashboard.ts';
import { CONFERENCE_TYPE_LABELS } from '../../../domain/conferences/decisions.ts';
import type { DocumentState } from '../../../domain/documents/drafting.ts';

export type Part =
  | { kind: 'text'; text: string; secondary?: boolean; bold?: boolean }
  | { kind: 'link'; text: string; href: string; hidden?: string }
  | { kind: 'tag'; text: string; classes: string };

export type Cell = Part[];

const TAG_CLASSES: Readonly<Record<DeadlineRag, string>> = {
  overdue: 'govuk-tag--red',
  'due-soon': 'govuk-tag--yellow',
  'on-track': 'govuk-tag--green',
};

/** Short, for ratings next to a due date; the filter list spells out the meaning. */
export const text = (t: string, opts: { secondary?: boolean; bold?: boolean } = {}): Part => ({
  kind: 'text',
  text: t,
  ...opts,
});
export const longDate = (d: IsoDate) => formatLongDate(d);
export const dayDate = (d: IsoDate) => `${weekdayName(d)} ${formatLongDate(d)}`;

export function tag(status: DeadlineRag, passedLabel = RAG_LABELS.overdue): Part {
  return { kind: 'tag', text: status === 'overdue' ? passedLabel : RAG_LABELS[status], classes: TAG_CLASSES[status] };
}

/** A tag with words, the due date with its rule and start date, and the time left. */
export function dueParts(due: DueDate, passedLabel?: string): Part[] {
  return [
    tag(due.status, passedLabel),
    text(due.text),
    text(timeLeftText(due.status, due.workingDaysLeft), { secondary: true }),
  ];
}

/** A document's state as a tag with words: issued is done, approved nearly, anything else still to do. */
export const STATE_TAG_CLASSES: Readonly<Record<DocumentState, string>> = {
  'not-started': 'govuk-tag--grey',
  drafting: 'govuk-tag--blue',
  'waiting-for-chair': 'govuk-tag--purple',
  approved: 'govuk-tag--turquoise',
  issued: 'govuk-tag--green',
};

/** Where a conference's documents are written, approved and issued, and its arrangements marked done. */
export const documentsHref = (conferenceId: string) => `/conferences/${conferenceId}/documents`;

export function childLinks(children: readonly DashboardChild[]): Cell {
  return children.map((c) => ({ kind: 'link', text: `${c.givenNames} ${c.familyName}`, href: `/children/${c.id}` }));
}

/** " on 4 March 2026 for Cara Late": tells apart links that read alike to a screen reader. */
export function conferenceWords(item: DashboardItem): string {
  const c = item.conference;
  const who = c.children.map((k) => `${k.givenNames} ${k.familyName}`).join(' and ');
  return ` on ${longDate(c.scheduledDate)}${who ? ` for ${who}` : ''}`;
}

/** The row's conference, linked; the hidden words tell apart links that read alike to a screen reader. */
export function conferenceLink(item: DashboardItem, label: string): Part {
  return { kind: 'link', text: label, href: `/conferences/${item.conference.id}`, hidden: conferenceWords(item) };
}

export function conferenceParts(item: DashboardItem): Cell {
  const c = item.conference;
  return [
    conferenceLink(item, CONFERENCE_TYPE_LABELS[c.type]),
    text(`${dayDate(c.scheduledDate)}, ${c.startTime}`, { secondary: true }),
  ];
}

export const chairCell = (item: DashboardItem): Cell => [text(item.conference.chair?.name ?? 'No chair yet')];
