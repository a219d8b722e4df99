/**
 * 002 §3.11: recording a core group meeting: each member's attendance, how each of the plan's actions is going (an
 * action not done says why) and notes. Once recorded, a change gives its reason; every version is kept.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CoreGroupMeetingDetail } from '../../../app/core-groups/service.ts';
import { ATTENDANCE, ATTENDANCE_LABELS, PROGRESS, PROGRESS_LABELS } from '../../../domain/core-groups/core-groups.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  readingContext,
  requestContext,
  submit,
  text,
  versionOf,
} from '../../forms/index.ts';
import { type CoreGroupPagesOptions, EDIT, dayDate, meetingHref, render } from './shared.ts';

function recordPage(
  reply: FastifyReply,
  d: CoreGroupMeetingDetail,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const v = (k: string) => (values[k] as string | undefined) ?? '';
  return render(
    reply,
    'record.njk',
    d.meeting.recorded ? 'Change the record of the meeting' : 'Record the meeting',
    {
      d,
      values,
      caption: `${d.child.name} – ${d.meeting.title}, ${dayDate(d.meeting.meetingDate)}`,
      backHref: meetingHref(d.meeting.id),
      changing: d.meeting.recorded,
      members: d.plan.members.map((m) => ({
        ...m,
        field: `attendance-${m.inviteeId}`,
        items: ATTENDANCE.map((a) => ({
          value: a,
          text: ATTENDANCE_LABELS[a],
          checked: v(`attendance-${m.inviteeId}`) === a,
        })),
      })),
      actions: d.plan.actions.map((a) => ({
        ...a,
        field: `progress-${a.ordinal}`,
        noteField: `note-${a.ordinal}`,
        items: PROGRESS.map((p) => ({ value: p, text: PROGRESS_LABELS[p], checked: v(`progress-${a.ordinal}`) === p })),
      })),
    },
    errors,
    status,
  );
}

/** The form's values from the latest record, or blank for a first record. */
function valuesOf(d: CoreGroupMeetingDetail): FormValues {
  const r = d.meeting.record;
  const values: FormValues = { version: String(d.meeting.version), notes: r?.notes ?? '', changeReason: '' };
  for (const m of d.plan.members)
    values[`attendance-${m.inviteeId}`] = r?.attendance.find((a) => a.inviteeId === m.inviteeId)?.attendance ?? '';
  for (const a of d.plan.actions) {
    const p = r?.progress.find((x) => x.ordinal === a.ordinal);
    values[`progress-${a.ordinal}`] = p?.progress ?? '';
    values[`note-${a.ordinal}`] = p?.note ?? '';
  }
  return values;
}

export function recordPages(app: FastifyInstance, { coreGroups }: CoreGroupPagesOptions): void {
  app.get('/core-groups/:meetingId/record', { config: EDIT }, async (request, reply) => {
    const { meetingId } = idParams('meetingId').parse(request.params);
    const d = await coreGroups.meeting(request.actor!, meetingId, requestContext(request));
    if (!d.can.record) return reply.redirect(meetingHref(d.meeting.id), 303);
    return recordPage(reply, d, valuesOf(d));
  });

  app.post('/core-groups/:meetingId/record', { config: EDIT }, async (request, reply) => {
    const { meetingId } = idParams('meetingId').parse(request.params);
    const body = bodyOf(request);
    const before = await coreGroups.meeting(request.actor!, meetingId, readingContext(request));
    const values: FormValues = {
      version: text(body, 'version', 20),
      notes: text(body, 'notes'),
      changeReason: text(body, 'changeReason', 2_000),
    };
    const attendance: Record<string, string> = {};
    for (const m of before.plan.members) {
      const k = `attendance-${m.inviteeId}`;
      values[k] = text(body, k, 40);
      attendance[m.inviteeId] = values[k] as string;
    }
    const progress = before.plan.actions.map((a) => {
      values[`progress-${a.ordinal}`] = text(body, `progress-${a.ordinal}`, 40);
      values[`note-${a.ordinal}`] = text(body, `note-${a.ordinal}`, 2_000);
      return {
        ordinal: a.ordinal,
        progress: values[`progress-${a.ordinal}`] as string,
        note: values[`note-${a.ordinal}`] as string,
      };
    });
    return submit<unknown, unknown>({
      call: () =>
        coreGroups.record(
          request.actor!,
          meetingId,
          {
            version: versionOf(body),
            attendance,
            progress,
            notes: values['notes'] as string,
            changeReason: values['changeReason'] as string,
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`${meetingHref(meetingId)}?done=recorded`, 303),
      again: async (errors, status) =>
        recordPage(
          reply,
          await coreGroups.meeting(request.actor!, meetingId, readingContext(request)),
          values,
          errors,
          status,
        ),
    });
  });
}
