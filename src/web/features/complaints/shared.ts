/** What the complaint pages share: their options, access, paths, headings and the row of a complaint. */
import type { FastifyReply } from 'fastify';
import type { ComplaintUseCases, ComplaintView } from '../../../app/complaints/complaint-service.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import { formatLongDate, type IsoDate } from '../../../domain/calendar/index.ts';
import { COMPLAINT_ROLES } from '../../../domain/complaints/complaints.ts';
import { type FormError, fieldIds, idParams } from '../../forms/index.ts';

export interface ComplaintPagesOptions {
  complaints: ComplaintUseCases;
}

/** Chairs, business support and managers record and manage complaints. */
export const MANAGE = { access: COMPLAINT_ROLES };
/** A complaint's own page is also the investigator's (the use case checks they are this complaint's). */
export const READ = { access: CHILD_RECORD_ROLES };

export const conferenceParams = idParams('id');
export const complaintParams = idParams('id', 'complaintId');
export const base = (conferenceId: string) => `/conferences/${conferenceId}/complaints`;
export const ids = fieldIds({ dates: ['receivedOn', 'closedOn'] });
export const OTHER = 'someone-else';

const DONE: Record<string, string> = {
  recorded: 'The complaint is recorded. A note is on each child’s record.',
  stage: 'The stage is saved.',
  closed: 'The complaint is closed. A note is on each child’s record, and the investigator’s access has ended.',
};

export function doneOf(query: unknown): string | null {
  const done = (query ?? {}) as Record<string, unknown>;
  return typeof done['done'] === 'string' ? (DONE[done['done']] ?? null) : null;
}

export const longDate = (d: string) => formatLongDate(d as IsoDate);

export function rowOf(c: ComplaintView, conferenceId: string) {
  return {
    ...c,
    href: `${base(conferenceId)}/${c.id}`,
    aboutText: c.about.map((a) => a.label).join('; '),
    receivedText: longDate(c.receivedOn),
    closedText: c.closedOn ? longDate(c.closedOn) : null,
  };
}

export function heading(view: { conference: { id: string; title: string; scheduledDate: string } }) {
  return {
    caption: `${view.conference.title} – ${longDate(view.conference.scheduledDate)}`,
    documentsHref: `/conferences/${view.conference.id}/documents`,
    listHref: base(view.conference.id),
  };
}

export function render(
  reply: FastifyReply,
  template: string,
  title: string,
  model: Record<string, unknown>,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  if (errors.length) reply.code(status);
  return reply.view(`complaints/${template}`, { title, errors, ...model });
}

export function versionOf(body: Record<string, unknown>): number {
  const v = body['version'];
  return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : Number.NaN;
}
