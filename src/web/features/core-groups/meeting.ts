/** 002 §3.11: one core group meeting: who attended, how each of the plan's actions is going, notes, and every change. */
import type { FastifyInstance } from 'fastify';
import type { CoreGroupRecordView } from '../../../app/core-groups/service.ts';
import { londonDateOf } from '../../../domain/calendar/index.ts';
import { ATTENDANCE_LABELS, PROGRESS_LABELS } from '../../../domain/core-groups/core-groups.ts';
import { idParams, requestContext } from '../../forms/index.ts';
import {
  type CoreGroupPagesOptions,
  VIEW,
  dayDate,
  doneOf,
  groupHref,
  longDate,
  recordHref,
  render,
} from './shared.ts';

export function recordRows(r: CoreGroupRecordView) {
  return {
    ...r,
    recordedText: `${longDate(londonDateOf(r.recordedAt))}${r.recordedByName ? ` by ${r.recordedByName}` : ''}`,
    attendance: r.attendance.map((a) => ({ ...a, label: ATTENDANCE_LABELS[a.attendance] })),
    progress: r.progress.map((p) => ({ ...p, label: PROGRESS_LABELS[p.progress] })),
  };
}

export function meetingPage(app: FastifyInstance, { coreGroups }: CoreGroupPagesOptions): void {
  app.get('/core-groups/:meetingId', { config: VIEW }, async (request, reply) => {
    const { meetingId } = idParams('meetingId').parse(request.params);
    const d = await coreGroups.meeting(request.actor!, meetingId, requestContext(request));
    return render(reply, 'meeting.njk', d.meeting.title, {
      d,
      done: doneOf(request.query),
      caption: `${d.child.name} – ${dayDate(d.meeting.meetingDate)}`,
      backHref: groupHref(d.child.id),
      recordHref: recordHref(d.meeting.id),
      chairText: d.meeting.chair.name ?? 'Not known',
      record: d.meeting.record ? recordRows(d.meeting.record) : null,
      // Earlier versions, newest first: each later one says why it was changed.
      history: d.history.slice(0, -1).reverse().map(recordRows),
    });
  });
}
