/** Recording a recipient's amendment request (W-5, T-8), point by point, with the dates it was received. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AmendmentRequestView, ConferenceAmendments } from '../../../app/documents/amendments.ts';
import { AMENDMENT_CHANNELS, AMENDMENT_CHANNEL_LABELS } from '../../../domain/documents/amendments.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  readDate,
  readingContext,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';
import { type AmendmentPagesOptions, FORM_POINTS, TEXT_MAX, WRITE, base, conferenceParams, ids } from './shared.ts';

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

export function recordRoutes(app: FastifyInstance, { amendments }: AmendmentPagesOptions): void {
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
}
