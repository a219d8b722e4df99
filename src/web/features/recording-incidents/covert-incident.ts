/**
 * P-9: one covert recording incident, for chairs, team managers and legal advisers: what was found, what is known
 * of its publication, each action the chair considered, and its outcome. The chair records actions (done or decided
 * against, with the date, who and the outcome) and closes it once the network, legal services and, when it was
 * published, legal advice have been considered.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CovertIncidentDetail } from '../../../app/recording-incidents/recording-incident-service.ts';
import {
  ACTION_DECISIONS,
  ACTION_DECISION_LABELS,
  COVERT_ACTIONS,
  COVERT_ACTION_LABELS,
} from '../../../domain/recording-incidents/incidents.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  dateValues,
  readDate,
  readingContext,
  requestContext,
  submit,
  text,
  versionOf,
} from '../../forms/index.ts';
import {
  DECIDE_COVERT,
  type RecordingIncidentPagesOptions,
  VIEW_COVERT,
  base,
  doneOf,
  heading,
  ids,
  incidentParams,
  longDate,
  render,
} from './shared.ts';

function page(
  reply: FastifyReply,
  view: CovertIncidentDetail,
  done: string | null,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const i = view.incident;
  return render(
    reply,
    'covert-incident.njk',
    'Covert recording incident',
    {
      ...heading(view),
      // A legal adviser sees the incident, not the conference: back to the open incidents instead.
      ...(view.can.seeConference ? {} : { listHref: '/recording-incidents', backText: 'Back to open incidents' }),
      done,
      i: {
        ...i,
        foundText: longDate(i.foundOn),
        childrenText: i.children.map((c) => c.name).join(', '),
        publishedOnText: longDate(i.publishedOn),
        takenDownOnText: longDate(i.takenDownOn),
        closedText: longDate(i.closedOn),
        actions: i.actions.map((a) => ({ ...a, onText: longDate(a.on) })),
      },
      can: view.can,
      action: `${base(view.conference.id)}/covert/${i.id}`,
      values,
      actionItems: COVERT_ACTIONS.map((a) => ({ value: a, text: COVERT_ACTION_LABELS[a] })),
      decisionItems: ACTION_DECISIONS.map((d) => ({ value: d, text: ACTION_DECISION_LABELS[d] })),
    },
    errors,
    status,
  );
}

function blank(view: CovertIncidentDetail, by: string): FormValues {
  return {
    version: String(view.incident.version),
    action: '',
    description: '',
    decision: '',
    by,
    actionOutcome: '',
    outcome: '',
    ...dateValues('on', null),
    ...dateValues('closedOn', null),
  };
}

/** Where the action form's fields point: its outcome box is `actionOutcome`, apart from the closing outcome. */
const actionIds = (field: string) => (field === 'outcome' ? 'actionOutcome' : ids(field));

export function covertIncidentRoutes(
  app: FastifyInstance,
  { recordingIncidents }: RecordingIncidentPagesOptions,
): void {
  /** A form posted on the incident's page: its ids, what was typed, and the incident as the person may see it. */
  const posted = async (request: FastifyRequest) => {
    const { id, incidentId } = incidentParams.parse(request.params);
    const body = bodyOf(request);
    const view = await recordingIncidents.covertDetail(request.actor!, id, incidentId, readingContext(request));
    return { id, incidentId, body, view };
  };

  app.get(
    '/conferences/:id/recording-incidents/covert/:incidentId',
    { config: VIEW_COVERT },
    async (request, reply) => {
      const { id, incidentId } = incidentParams.parse(request.params);
      const view = await recordingIncidents.covertDetail(request.actor!, id, incidentId, requestContext(request));
      return page(reply, view, doneOf(request.query), blank(view, request.actor!.name));
    },
  );

  app.post(
    '/conferences/:id/recording-incidents/covert/:incidentId/actions',
    { config: DECIDE_COVERT },
    async (request, reply) => {
      const { id, incidentId, body, view } = await posted(request);
      const values: FormValues = {
        ...blank(view, ''),
        action: text(body, 'action', 40),
        description: text(body, 'description', 10_000),
        decision: text(body, 'decision', 40),
        by: text(body, 'by', 500),
        actionOutcome: text(body, 'actionOutcome', 10_000),
        ...dateFields(body, 'on'),
      };
      const errors: FormError[] = [];
      const on = readDate(values, 'on', 'The date', errors);
      return submit<unknown, unknown>({
        errors,
        call: () =>
          recordingIncidents.recordAction(
            request.actor!,
            id,
            incidentId,
            {
              action: values['action'] as string,
              description: values['description'] as string,
              decision: values['decision'] as string,
              on: on ?? '',
              by: values['by'] as string,
              outcome: values['actionOutcome'] as string,
            },
            requestContext(request),
          ),
        next: () => reply.redirect(`${base(id)}/covert/${incidentId}?done=action`, 303),
        again: (errs, status) => page(reply, view, null, values, errs, status),
        ids: actionIds,
      });
    },
  );

  app.post(
    '/conferences/:id/recording-incidents/covert/:incidentId/close',
    { config: DECIDE_COVERT },
    async (request, reply) => {
      const { id, incidentId, body, view } = await posted(request);
      const values: FormValues = {
        ...blank(view, request.actor!.name),
        version: text(body, 'version', 20),
        outcome: text(body, 'outcome', 10_000),
        ...dateFields(body, 'closedOn'),
      };
      const errors: FormError[] = [];
      const closedOn = readDate(values, 'closedOn', 'The date it closed', errors);
      return submit<unknown, unknown>({
        errors,
        call: () =>
          recordingIncidents.closeCovert(
            request.actor!,
            id,
            incidentId,
            { outcome: values['outcome'] as string, closedOn: closedOn ?? '', version: versionOf(body) },
            requestContext(request),
          ),
        next: () => reply.redirect(`${base(id)}/covert/${incidentId}?done=closed`, 303),
        again: (errs, status) => page(reply, view, null, values, errs, status),
        ids: (field) => (field === '' ? 'close-heading' : ids(field)),
      });
    },
  );
}
