/** Recording a complaint (W-7, 002 §3.12): who complained, when, and what about; a note goes on each child’s record. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ComplaintView, ConferenceComplaints } from '../../../app/complaints/complaint-service.ts';
import { COMPLAINT_SUBJECTS, COMPLAINT_SUBJECT_LABELS } from '../../../domain/complaints/complaints.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  dateValues,
  idSchema,
  pageProblems,
  readDate,
  readingContext,
  requestContext,
  submit,
  text,
  ticked,
} from '../../forms/index.ts';

import { type ComplaintPagesOptions, MANAGE, OTHER, base, conferenceParams, heading, ids, render } from './shared.ts';

function newPage(
  reply: FastifyReply,
  view: ConferenceComplaints,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  return render(
    reply,
    'new.njk',
    'Record a complaint',
    {
      ...heading(view),
      action: base(view.conference.id),
      values,
      aboutItems: COMPLAINT_SUBJECTS.map((s) => ({ value: s, text: COMPLAINT_SUBJECT_LABELS[s] })),
      complainantItems: view.complainants.map((c) => ({ value: c.inviteeId, text: c.name })),
      other: OTHER,
    },
    errors,
    status,
  );
}

export function recordRoutes(app: FastifyInstance, { complaints }: ComplaintPagesOptions): void {
  app.get('/conferences/:id/complaints/new', { config: MANAGE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await complaints.list(request.actor!, id, requestContext(request));
    return newPage(reply, view, {
      about: [],
      complainant: '',
      complainantName: '',
      summary: '',
      ...dateValues('receivedOn', null),
    });
  });

  app.post('/conferences/:id/complaints', { config: MANAGE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      about: ticked(body, 'about'),
      complainant: text(body, 'complainant'),
      complainantName: text(body, 'complainantName'),
      summary: text(body, 'summary', 20_000),
      ...dateFields(body, 'receivedOn'),
    };
    // What cannot be read (a date that is not a date, nobody chosen) is sent on so that the use case refuses it
    // too, and the page shows every problem at once, the form's own wording first for the same box.
    const unread: FormError[] = [];
    const receivedOn = readDate(values, 'receivedOn', 'The date it was received', unread);
    const chosen = values['complainant'] as string;
    if (!chosen) unread.push({ text: 'Select who complained', href: '#complainant' });
    const inviteeId = chosen === OTHER ? null : (idSchema.safeParse(chosen).data ?? chosen);
    const fieldId = (field: string) => (field === 'about' ? 'about' : ids(field));
    const view = await complaints.list(request.actor!, id, readingContext(request));
    return submit<unknown, unknown>({
      call: () =>
        complaints.record(
          request.actor!,
          id,
          {
            about: values['about'] as string[],
            complainantInviteeId: inviteeId,
            complainantName: inviteeId === null ? (values['complainantName'] as string) : null,
            receivedOn: receivedOn ?? '',
            summary: values['summary'] as string,
          },
          requestContext(request),
        ),
      next: (saved) => reply.redirect(`${base(id)}/${(saved as ComplaintView).id}?done=recorded`, 303),
      again: (errors, status) => newPage(reply, view, values, errors, status),
      problems: (err) => {
        const { status, errors } = pageProblems(err, fieldId);
        const merged = errors.map((e) => unread.find((u) => u.href === e.href) ?? e);
        return { status, errors: [...merged, ...unread.filter((u) => !merged.includes(u))] };
      },
    });
  });
}
