/**
 * Recording a request on a conference's pages: who is asking first, then what that requester
 * type needs (every problem at once, on its field), then check answers; confirming records it. An
 * ineligible request is recorded and refused at once, with the reason.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReceiveFormView, RequestService } from '../../../app/requests/request-service.ts';
import { formatLongDate, type IsoDate } from '../../../domain/calendar/index.ts';
import {
  AUTHORITY_PURPOSE_LABELS,
  AUTHORITY_PURPOSES,
  QA_PURPOSE_LABELS,
  QA_PURPOSES,
  REQUESTER_TYPE_LABELS,
  REQUESTER_TYPES,
  type Eligibility,
  type RequesterInput,
} from '../../../domain/requests/index.ts';
import { bodyOf, dedupe, idParams, readingContext, requestContext, text, type FormValues } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import { FIELDS_FOR_TYPE, readReceiveForm, receivedOnOf, requesterInput, ruleErrors } from './forms.ts';
import { RECEIVE, requestBase } from './shared.ts';

/** The check answers page's rows: what was typed, in words, and who the requester may have information about. */
function checkAnswerRows(
  form: ReceiveFormView,
  values: FormValues,
  input: RequesterInput,
  receivedOn: IsoDate,
  eligibility: Eligibility | null,
) {
  const type = values['type'] as string;
  const nameOfChild = (id: string) => form.children.find((c) => c.id === id)?.name ?? '';
  const rows: Array<{ key: { text: string }; value: { text: string } }> = [];
  const row = (key: string, value: string | null | undefined) =>
    value && rows.push({ key: { text: key }, value: { text: value } });
  row('Who is asking', REQUESTER_TYPE_LABELS[type as keyof typeof REQUESTER_TYPE_LABELS]);
  row('The child', input.childId ? nameOfChild(input.childId) : null);
  row('The person', input.personId ? (form.people.find((p) => p.id === input.personId)?.name ?? null) : null);
  row('Name of the person asking', input.contactName);
  row('Court', input.courtName);
  row('Court’s case reference', input.courtReference);
  row(
    'Why the recording is needed',
    input.qaPurpose ? QA_PURPOSE_LABELS[input.qaPurpose as keyof typeof QA_PURPOSE_LABELS] : null,
  );
  row('Complaint or access to records reference', input.complaintReference);
  row('Local authority', input.authorityName);
  row('The authority’s reference', input.authorityReference);
  row(
    'Why the authority needs it',
    input.authorityPurpose
      ? AUTHORITY_PURPOSE_LABELS[input.authorityPurpose as keyof typeof AUTHORITY_PURPOSE_LABELS]
      : null,
  );
  row('Date received', formatLongDate(receivedOn));
  const chairId = values['chairId'] as string;
  row('Chair asked', chairId ? (form.chairs.find((c) => c.id === chairId)?.name ?? null) : null);
  if (eligibility?.eligible) {
    row('Children whose information they may have', eligibility.childrenCovered.map(nameOfChild).join(', '));
    if (eligibility.childrenWithoutPr.length)
      row(
        'Children they hold no parental responsibility for',
        eligibility.childrenWithoutPr.map(nameOfChild).join(', '),
      );
  }
  return rows;
}

export async function receiveRoutes(app: FastifyInstance, opts: { requests: RequestService }): Promise<void> {
  const { requests } = opts;
  const conferenceParams = idParams('cid');

  const receivePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    cid: string,
    stage: 'type' | 'details' | 'check',
    values: FormValues,
    errors: FormError[] = [],
    extra: Record<string, unknown> = {},
  ) => {
    const form = await requests.receiveForm(request.actor!, cid, readingContext(request));
    if (errors.length) reply.code(400);
    const type = values['type'] as string;
    const titles = {
      type: 'Who is asking for a copy of the recording?',
      details: 'Details of the request',
      check: 'Check the request before recording it',
    };
    return reply.view(`requests/receive-${stage}.njk`, {
      title: titles[stage],
      form,
      base: `/conferences/${cid}/requests/new`,
      conferenceHref: `/conferences/${cid}/requests`,
      values,
      errors,
      type,
      typeLabel: REQUESTER_TYPE_LABELS[type as keyof typeof REQUESTER_TYPE_LABELS] ?? '',
      typeItems: REQUESTER_TYPES.map((t) => ({ value: t, text: REQUESTER_TYPE_LABELS[t], checked: type === t })),
      fields: FIELDS_FOR_TYPE[type] ?? [],
      qaPurposeItems: QA_PURPOSES.map((p) => ({
        value: p,
        text: QA_PURPOSE_LABELS[p],
        checked: values['qaPurpose'] === p,
      })),
      authorityPurposeItems: AUTHORITY_PURPOSES.map((p) => ({
        value: p,
        text: AUTHORITY_PURPOSE_LABELS[p],
        checked: values['authorityPurpose'] === p,
      })),
      childItems: form.children.map((c) => ({
        value: c.id,
        text: c.name,
        hint: { text: c.dateOfBirth ? `Born ${formatLongDate(c.dateOfBirth)}` : 'No date of birth on record' },
        checked: values['childId'] === c.id,
      })),
      personItems: form.people.map((p) => ({
        value: p.id,
        text: p.name,
        hint: {
          text: p.prChildIds.length
            ? `Parental responsibility for ${
                form.children
                  .filter((c) => p.prChildIds.includes(c.id))
                  .map((c) => c.name)
                  .join(' and ') || 'no child in this conference'
              }`
            : 'No parental responsibility recorded',
        },
        checked: values['personId'] === p.id,
      })),
      chairItems: [
        { value: '', text: 'Choose the chair' },
        ...form.chairs.map((c) => ({ value: c.id, text: c.name, selected: values['chairId'] === c.id })),
      ],
      isChair: request.actor!.roles.includes('chair'),
      hidden: Object.entries(values).filter(([, v]) => typeof v === 'string' && v !== ''),
      ...extra,
    });
  };

  app.get('/conferences/:cid/requests/new', { config: RECEIVE }, async (request, reply) => {
    const { cid } = conferenceParams.parse(request.params);
    return receivePage(request, reply, cid, 'type', { type: '' });
  });

  app.post('/conferences/:cid/requests/new', { config: RECEIVE }, async (request, reply) => {
    const { cid } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const stage = text(body, 'stage');
    const values = readReceiveForm(body);
    const type = values['type'] as string;
    if (!FIELDS_FOR_TYPE[type])
      return receivePage(request, reply, cid, 'type', values, [
        { text: 'Select who is asking for the recording', href: '#type' },
      ]);
    if (stage === 'type' || stage === 'change') return receivePage(request, reply, cid, 'details', values);

    // The details: every problem at once, the date's and the requester's.
    const errors: FormError[] = [];
    const received = receivedOnOf(values);
    if (received.error) errors.push(received.error);
    try {
      requestContext(request); // control characters in the answers: field errors on the details form
    } catch (err) {
      errors.push(...ruleErrors(err));
    }
    // One use case checks the answers and, once confirmed with nothing wrong, records the request
    // (the answers' control characters were refused just above, so the caller's context is as it is).
    const input = requesterInput(values);
    const answers = {
      conferenceId: cid,
      receivedOn: received.iso,
      requester: input,
      chairId: (values['chairId'] as string) || null,
    };
    const record = stage !== 'details' && errors.length === 0;
    let answered;
    try {
      answered = await requests.answerReceive(request.actor!, answers, { record }, readingContext(request));
    } catch (err) {
      errors.push(...ruleErrors(err));
    }
    if (errors.length || !answered) return receivePage(request, reply, cid, 'details', values, dedupe(errors));
    const { form, eligibility, recorded } = answered;
    if (recorded)
      return reply.redirect(`${requestBase(recorded.id)}?done=${recorded.refusal ? 'refused' : 'received'}`, 303);
    return receivePage(request, reply, cid, 'check', values, [], {
      rows: checkAnswerRows(form, values, input, received.iso!, eligibility),
      refusal: eligibility && !eligibility.eligible ? eligibility.reason : null,
    });
  });
}
