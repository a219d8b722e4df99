/** What the pages that change a convened conference share: who may use them, and how they read. */
import type { FastifyReply } from 'fastify';
import type { ConferenceOverview } from '../../../../app/conferences/convening-service.ts';
import type { Recipient } from '../../../../app/conferences/rearrangement-service.ts';
import type { Services } from '../../../../composition.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../../domain/access/child-access.ts';
import { type IsoDate, formatLongDate, weekdayName } from '../../../../domain/calendar/index.ts';
import { formatClockTime } from '../../../../domain/conferences/invitations.ts';

export const EDIT = { access: RECORD_EDITOR_ROLES };
export const VIEW = { access: CHILD_RECORD_ROLES };

export interface ChangeServices {
  convening: Services['convening'];
  rearrangement: Services['rearrangement'];
}

/** A page saying the conference can no longer be changed that way, instead of the form (409). */
export const closed = (reply: FastifyReply, o: ConferenceOverview, message: string) =>
  reply.code(409).view('conferences/change/closed.njk', { title: 'This conference cannot be changed', o, message });

/** "Monday 16 March 2026 at 10am". */
export const when = (date: IsoDate, time: string) =>
  `${weekdayName(date)} ${formatLongDate(date)} at ${formatClockTime(time)}`;

/** Who is told, and how, on a check page. */
export function recipientRows(list: readonly Recipient[]) {
  return list.map((r) => [
    { text: r.name },
    { text: r.method === 'email' ? 'By email, now' : 'By post: a letter to print and post' },
  ]);
}
