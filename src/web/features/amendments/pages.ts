/**
 * Amendments to the written record (W-5, T-8), under /conferences/:id/amendments: the conference's requests with
 * their due dates, recording a recipient's request point by point, and the request's page, where the conference's
 * chair decides each point with reasons, after which the letter giving the requester the decisions is prepared: the
 * request's page says where it stands (prepared, approved, issued, sent) and links to it. Every form works without
 * JavaScript; the use cases check who may do what, per conference, and audit it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type {
  AmendmentLetterStatus,
  AmendmentRequestView,
  AmendmentUseCases,
  ConferenceAmendments,
  DecisionResult,
} from '../../../app/documents/amendments.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import type { Role } from '../../../domain/access/roles.ts';
import { formatLongDate } from '../../../domain/calendar/index.ts';
import { RAG_LABELS, timeLeftText } from '../../../domain/conferences/dashboard.ts';
import {
  AMENDMENT_CHANNELS,
  AMENDMENT_CHANNEL_LABELS,
  AMENDMENT_DECISIONS,
  AMENDMENT_DECISION_LABELS,
} from '../../../domain/documents/amendments.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  fieldIds,
  idParams,
  readDate,
  readingContext,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';

export interface AmendmentPagesOptions {
  amendments: AmendmentUseCases;
}

const READ = { access: CHILD_RECORD_ROLES };
const WRITE = { access: ['business_support', 'chair'] as readonly Role[] };
const CHAIR = { access: ['chair'] as readonly Role[] };

/** Points on the form: a request with more is recorded in parts or through the API. */
export const FORM_POINTS = 3;
const TEXT_MAX = 5_000;

const conferenceParams = idParams('id');
const requestParams = idParams('id', 'requestId');
const base = (id: string) => `/conferences/${id}/amendments`;
const ids = fieldIds({ dates: ['receivedOn', 'recordReceivedOn'], rows: true });

const RAG_CLASSES = { overdue: 'govuk-tag--red', 'due-soon': 'govuk-tag--yellow', 'on-track': 'govuk-tag--green' };

const DONE: Record<string, string> = {
  recorded: 'The amendment request is recorded. It is waiting for the chair.',
  decided:
    'Your decision is recorded. The letter giving them your decision on each point is ready for you to check and approve.',
  'new-version':
    'Your decision is recorded. The letter giving them your decision on each point is ready for you to check and approve. The document is back with the minute taker to write its next version, which you approve before it is issued.',
};

/** W-5: where the letter giving the requester the chair's decisions stands, in words, with its tag. */
const LETTER_STATUS: Record<AmendmentLetterStatus, { text: string; classes: string; note: string }> = {
  prepared: {
    text: 'Prepared',
    classes: 'govuk-tag--blue',
    note: 'The chair checks and approves it, then business support issues it.',
  },
  approved: { text: 'Approved', classes: 'govuk-tag--turquoise', note: 'Business support issues it.' },
  issued: {
    text: 'Issued',
    classes: 'govuk-tag--yellow',
    note: 'Not sent yet: send it from the written record’s sending page.',
  },
  sent: { text: 'Sent', classes: 'govuk-tag--green', note: 'Their copy has gone.' },
};

function letterModel(r: AmendmentRequestView) {
  if (!r.letter) return null;
  return { href: `/conferences/${r.conferenceId}/documents/${r.letter.draftId}`, ...LETTER_STATUS[r.letter.status] };
}

function doneOf(query: unknown): string | null {
  const done = (query as Record<string, unknown> | null)?.['done'];
  return typeof done === 'string' ? (DONE[done] ?? null) : null;
}

function dueModel(r: AmendmentRequestView) {
  return {
    dateText: formatLongDate(r.dueOn),
    tag: r.dueStatus ? { text: RAG_LABELS[r.dueStatus.status], classes: RAG_CLASSES[r.dueStatus.status] } : null,
    note: r.dueStatus ? timeLeftText(r.dueStatus.status, r.dueStatus.workingDaysLeft) : null,
  };
}

function requestModel(r: AmendmentRequestView) {
  return {
    r,
    href: `${base(r.conferenceId)}/${r.id}`,
    channel: AMENDMENT_CHANNEL_LABELS[r.channel],
    receivedText: formatLongDate(r.receivedOn),
    recordReceivedText: formatLongDate(r.recordReceivedOn),
    due: dueModel(r),
    statusText: r.status === 'decided' ? 'Decided' : 'Waiting for the chair',
    letter: letterModel(r),
    points: r.points.map((p, i) => ({
      ...p,
      number: i + 1,
      decisionText: p.decision ? AMENDMENT_DECISION_LABELS[p.decision.decision] : null,
    })),
  };
}

function listPage(reply: FastifyReply, view: ConferenceAmendments, done: string | null) {
  return reply.view('amendments/list.njk', {
    title: 'Amendments to the written record',
    done,
    v: view,
    requests: view.requests.map(requestModel),
    documentsHref: `/conferences/${view.conferenceId}/documents`,
    newHref: `${base(view.conferenceId)}/new`,
    conferenceDateText: formatLongDate(view.conferenceDate),
  });
}

function formPage(
  reply: FastifyReply,
  view: ConferenceAmendments,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  if (errors.length) reply.code(status);
  const recipients = new Map<string, string>();
  for (const d of view.documents) for (const r of d.recipients) recipients.set(r.inviteeId, r.name);
  return reply.view('amendments/new.njk', {
    title: 'Record an amendment request',
    errors,
    values,
    action: `${base(view.conferenceId)}/new`,
    backHref: base(view.conferenceId),
    documentItems: view.documents.map((d) => ({
      value: d.draftId,
      text: d.label,
      checked: values['draftId'] === d.draftId,
    })),
    requesterItems: [
      { value: '', text: 'Choose who asked' },
      ...[...recipients].map(([value, name]) => ({
        value,
        text: name,
        selected: values['requesterInviteeId'] === value,
      })),
    ],
    channelItems: AMENDMENT_CHANNELS.map((c) => ({
      value: c,
      text: AMENDMENT_CHANNEL_LABELS[c],
      checked: values['channel'] === c,
    })),
    points: Array.from({ length: FORM_POINTS }, (_, i) => ({
      i,
      number: i + 1,
      sectionItems: [
        { value: '', text: 'Choose the section' },
        ...view.documents.flatMap((d) =>
          d.sections.map((s) => ({
            value: s.id,
            text: view.documents.length > 1 ? `${d.label}: ${s.label}` : s.label,
            selected: values[`points-${i}-sectionId`] === s.id,
          })),
        ),
      ],
    })),
  });
}

function requestPage(
  reply: FastifyReply,
  view: AmendmentRequestView,
  values: FormValues,
  done: string | null,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  if (errors.length) reply.code(status);
  return reply.view('amendments/request.njk', {
    title: `Amendment request from ${view.requesterName}`,
    errors,
    done,
    values,
    ...requestModel(view),
    backHref: base(view.conferenceId),
    action: `${base(view.conferenceId)}/${view.id}/decision`,
    decisionItems: (i: number) =>
      AMENDMENT_DECISIONS.map((d) => ({
        value: d,
        text: AMENDMENT_DECISION_LABELS[d],
        checked: values[`decisions-${i}-decision`] === d,
      })),
  });
}

export async function amendmentRoutes(app: FastifyInstance, { amendments }: AmendmentPagesOptions): Promise<void> {
  app.get('/conferences/:id/amendments', { config: READ }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await amendments.amendments(request.actor!, id, requestContext(request));
    return listPage(reply, view, doneOf(request.query));
  });

  app.get('/conferences/:id/amendments/new', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await amendments.amendments(request.actor!, id, readingContext(request));
    return formPage(reply, view, view.documents.length === 1 ? { draftId: view.documents[0]!.draftId } : {});
  });

  app.post('/conferences/:id/amendments/new', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      draftId: text(body, 'draftId', 100),
      requesterInviteeId: text(body, 'requesterInviteeId', 100),
      channel: text(body, 'channel', 20),
      ...dateFields(body, 'receivedOn'),
      ...dateFields(body, 'recordReceivedOn'),
    };
    for (let i = 0; i < FORM_POINTS; i++) {
      for (const f of ['sectionId', 'originalText', 'requestedChange'])
        values[`points-${i}-${f}`] = text(body, `points-${i}-${f}`, TEXT_MAX + 1);
    }
    const errors: FormError[] = [];
    const receivedOn = readDate(values, 'receivedOn', 'The date the request was received', errors);
    if (!receivedOn && !errors.length)
      errors.push({ text: 'Enter the date the request was received', href: '#receivedOn-day' });
    const recordReceivedOn = readDate(values, 'recordReceivedOn', 'The date they received the document', errors);
    const points = Array.from({ length: FORM_POINTS }, (_, i) => ({
      sectionId: String(values[`points-${i}-sectionId`] ?? ''),
      originalText: String(values[`points-${i}-originalText`] ?? ''),
      requestedChange: String(values[`points-${i}-requestedChange`] ?? ''),
    })).filter((p, i) => i === 0 || p.sectionId || p.originalText.trim() || p.requestedChange.trim());
    const view = await amendments.amendments(request.actor!, id, readingContext(request));
    return submit<AmendmentRequestView, unknown>({
      errors,
      call: () =>
        amendments.recordRequest(
          request.actor!,
          id,
          {
            draftId: String(values['draftId']),
            requesterInviteeId: String(values['requesterInviteeId']),
            channel: String(values['channel']),
            receivedOn: receivedOn ?? '',
            recordReceivedOn,
            points,
          },
          requestContext(request),
        ),
      next: (r) => reply.redirect(`${base(id)}/${r.id}?done=recorded`, 303),
      again: (errors, status) => formPage(reply, view, values, errors, status),
      ids,
    });
  });

  app.get('/conferences/:id/amendments/:requestId', { config: READ }, async (request, reply) => {
    const { id, requestId } = requestParams.parse(request.params);
    const view = await amendments.request(request.actor!, id, requestId, requestContext(request));
    return requestPage(reply, view, {}, doneOf(request.query));
  });

  app.post('/conferences/:id/amendments/:requestId/decision', { config: CHAIR }, async (request, reply) => {
    const { id, requestId } = requestParams.parse(request.params);
    const body = bodyOf(request);
    const view = await amendments.request(request.actor!, id, requestId, readingContext(request));
    const values: FormValues = {};
    const decisions = view.points.map((_, i) => {
      const decision = text(body, `decisions-${i}-decision`, 30);
      const reasons = text(body, `decisions-${i}-reasons`, TEXT_MAX + 1);
      values[`decisions-${i}-decision`] = decision;
      values[`decisions-${i}-reasons`] = reasons;
      return { decision: decision as never, reasons };
    });
    const version = text(body, 'version', 12);
    return submit<DecisionResult, unknown>({
      errors: /^\d{1,9}$/.test(version)
        ? []
        : [{ text: 'Reload the page: the form was incomplete', href: '#main-content' }],
      call: () =>
        amendments.decide(
          request.actor!,
          id,
          requestId,
          { version: Number(version), decisions },
          requestContext(request),
        ),
      next: (r) => reply.redirect(`${base(id)}/${requestId}?done=${r.newIssueNumber ? 'new-version' : 'decided'}`, 303),
      again: async (errors, status) => {
        const now =
          status === 409 ? await amendments.request(request.actor!, id, requestId, readingContext(request)) : view;
        return requestPage(reply, now, values, null, errors, status);
      },
      ids,
    });
  });
}
