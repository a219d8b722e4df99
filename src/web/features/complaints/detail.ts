/**
 * A complaint’s page (W-7, 002 §3.12): it moves through the council’s stages, naming the investigator for a formal
 * investigation (whose audited access to the record ends when it closes), and is closed with its outcome.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ComplaintDetail, ComplaintView } from '../../../app/complaints/complaint-service.ts';
import {
  COMPLAINT_OUTCOMES,
  COMPLAINT_OUTCOME_LABELS,
  COMPLAINT_STAGES,
  COMPLAINT_STAGE_LABELS,
} from '../../../domain/complaints/complaints.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  dateValues,
  idSchema,
  readDate,
  readingContext,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';
import {
  type ComplaintPagesOptions,
  MANAGE,
  READ,
  base,
  complaintParams,
  doneOf,
  heading,
  ids,
  render,
  rowOf,
  versionOf,
} from './shared.ts';

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

export function detailRoutes(app: FastifyInstance, { complaints }: ComplaintPagesOptions): void {
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
