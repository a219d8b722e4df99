/**
 * Complaints about a conference (W-7, 002 §3.12), under /conferences/:id/complaints, reached from the conference's
 * written record: the list, recording a complaint, and a complaint's page where it moves through the council's
 * stages (naming the investigator for a formal investigation) and is closed with its outcome. The use cases check
 * who may do what per conference and audit every view, change and denial.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type {
  ComplaintDetail,
  ComplaintUseCases,
  ComplaintView,
  ConferenceComplaints,
} from '../../../app/complaints/complaint-service.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import { formatLongDate, type IsoDate } from '../../../domain/calendar/index.ts';
import {
  COMPLAINT_OUTCOMES,
  COMPLAINT_OUTCOME_LABELS,
  COMPLAINT_ROLES,
  COMPLAINT_STAGES,
  COMPLAINT_STAGE_LABELS,
  COMPLAINT_SUBJECTS,
  COMPLAINT_SUBJECT_LABELS,
} from '../../../domain/complaints/complaints.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  dateValues,
  fieldIds,
  idParams,
  idSchema,
  pageProblems,
  readDate,
  readingContext,
  requestContext,
  submit,
  text,
  ticked,
} from '../../forms/index.ts';

export interface ComplaintPagesOptions {
  complaints: ComplaintUseCases;
}

/** Chairs, business support and managers record and manage complaints. */
const MANAGE = { access: COMPLAINT_ROLES };
/** A complaint's own page is also the investigator's (the use case checks they are this complaint's). */
const READ = { access: CHILD_RECORD_ROLES };

const conferenceParams = idParams('id');
const complaintParams = idParams('id', 'complaintId');
const base = (conferenceId: string) => `/conferences/${conferenceId}/complaints`;
const ids = fieldIds({ dates: ['receivedOn', 'closedOn'] });
const OTHER = 'someone-else';

const DONE: Record<string, string> = {
  recorded: 'The complaint is recorded. A note is on each child’s record.',
  stage: 'The stage is saved.',
  closed: 'The complaint is closed. A note is on each child’s record, and the investigator’s access has ended.',
};

function doneOf(query: unknown): string | null {
  const done = (query ?? {}) as Record<string, unknown>;
  return typeof done['done'] === 'string' ? (DONE[done['done']] ?? null) : null;
}

const longDate = (d: string) => formatLongDate(d as IsoDate);

function rowOf(c: ComplaintView, conferenceId: string) {
  return {
    ...c,
    href: `${base(conferenceId)}/${c.id}`,
    aboutText: c.about.map((a) => a.label).join('; '),
    receivedText: longDate(c.receivedOn),
    closedText: c.closedOn ? longDate(c.closedOn) : null,
  };
}

function heading(view: { conference: { id: string; title: string; scheduledDate: string } }) {
  return {
    caption: `${view.conference.title} – ${longDate(view.conference.scheduledDate)}`,
    documentsHref: `/conferences/${view.conference.id}/documents`,
    listHref: base(view.conference.id),
  };
}

function render(
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

function listPage(reply: FastifyReply, view: ConferenceComplaints, done: string | null) {
  return render(reply, 'list.njk', 'Complaints', {
    ...heading(view),
    done,
    newHref: `${base(view.conference.id)}/new`,
    rows: view.complaints.map((c) => rowOf(c, view.conference.id)),
  });
}

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

function detailPage(
  reply: FastifyReply,
  view: ComplaintDetail,
  done: string | null,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const c = view.complaint;
  const later = COMPLAINT_STAGES.slice(COMPLAINT_STAGES.indexOf(c.stage.value));
  return render(
    reply,
    'detail.njk',
    'Complaint',
    {
      ...heading(view),
      done,
      c: rowOf(c, view.conference.id),
      can: view.can,
      action: `${base(view.conference.id)}/${c.id}`,
      recordingsHref: `/conferences/${view.conference.id}/recordings`,
      values,
      stageItems: later.map((s) => ({ value: s, text: COMPLAINT_STAGE_LABELS[s] })),
      investigatorItems: [
        { value: '', text: 'Choose who will investigate' },
        ...view.investigators.map((u) => ({ value: u.userId, text: u.name })),
      ],
      outcomeItems: COMPLAINT_OUTCOMES.map((o) => ({ value: o, text: COMPLAINT_OUTCOME_LABELS[o] })),
    },
    errors,
    status,
  );
}

function detailValues(c: ComplaintView): FormValues {
  return {
    version: String(c.version),
    stage: c.stage.value,
    investigator: c.investigator?.userId ?? '',
    outcome: '',
    ...dateValues('closedOn', null),
  };
}

function versionOf(body: Record<string, unknown>): number {
  const v = body['version'];
  return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : Number.NaN;
}

export async function complaintRoutes(app: FastifyInstance, { complaints }: ComplaintPagesOptions): Promise<void> {
  app.get('/conferences/:id/complaints', { config: MANAGE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await complaints.list(request.actor!, id, requestContext(request));
    return listPage(reply, view, doneOf(request.query));
  });

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

  app.get('/conferences/:id/complaints/:complaintId', { config: READ }, async (request, reply) => {
    const { id, complaintId } = complaintParams.parse(request.params);
    const view = await complaints.detail(request.actor!, id, complaintId, requestContext(request));
    return detailPage(reply, view, doneOf(request.query), detailValues(view.complaint));
  });

  app.post('/conferences/:id/complaints/:complaintId/stage', { config: MANAGE }, async (request, reply) => {
    const { id, complaintId } = complaintParams.parse(request.params);
    const body = bodyOf(request);
    const view = await complaints.detail(request.actor!, id, complaintId, readingContext(request));
    const values: FormValues = {
      ...detailValues(view.complaint),
      stage: text(body, 'stage'),
      investigator: text(body, 'investigator'),
      version: text(body, 'version'),
    };
    const investigator = values['investigator'] as string;
    return submit<unknown, unknown>({
      call: () =>
        complaints.changeStage(
          request.actor!,
          id,
          complaintId,
          {
            stage: values['stage'] as string,
            investigatorUserId: investigator ? (idSchema.safeParse(investigator).data ?? null) : null,
            version: versionOf(body),
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`${base(id)}/${complaintId}?done=stage`, 303),
      again: (errors, status) => detailPage(reply, view, null, values, errors, status),
      ids,
    });
  });

  app.post('/conferences/:id/complaints/:complaintId/close', { config: MANAGE }, async (request, reply) => {
    const { id, complaintId } = complaintParams.parse(request.params);
    const body = bodyOf(request);
    const view = await complaints.detail(request.actor!, id, complaintId, readingContext(request));
    const values: FormValues = {
      ...detailValues(view.complaint),
      outcome: text(body, 'outcome'),
      version: text(body, 'version'),
      ...dateFields(body, 'closedOn'),
    };
    const errors: FormError[] = [];
    const closedOn = readDate(values, 'closedOn', 'The date it closed', errors);
    return submit<unknown, unknown>({
      errors,
      call: () =>
        complaints.close(
          request.actor!,
          id,
          complaintId,
          { outcome: values['outcome'] as string, closedOn: closedOn ?? '', version: versionOf(body) },
          requestContext(request),
        ),
      next: () => reply.redirect(`${base(id)}/${complaintId}?done=closed`, 303),
      again: (errors, status) => detailPage(reply, view, null, values, errors, status),
      ids,
    });
  });
}
