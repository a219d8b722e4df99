/**
 * advice from the information management team on a complex request for a copy, under /requests/:id/advice:
 * what was asked and answered, asking (a chair or the quality assurance service manager), and recording the answer
 * with who in the team gave it and when. Each also shows on the request's timeline.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RequestAdviceService, RequestAdviceView } from '../../../app/requests/advice.ts';
import type { AdviceRecord } from '../../../app/requests/advice-ports.ts';
import { NotFoundError } from '../../../domain/shared/errors.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateParts,
  fieldIds,
  idParams,
  pageRenderer,
  parseDateInput,
  pickValues,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';
import { VIEW } from './shared.ts';

export interface RequestAdvicePagesOptions {
  requestAdvice: RequestAdviceService;
}

const render = pageRenderer('requests');
const adviceHref = (id: string) => `/requests/${id}/advice`;
const ANSWER_FIELDS = ['answer', 'answeredBy', ...dateParts('answeredOn')] as const;

function advicePage(reply: FastifyReply, view: RequestAdviceView, values: FormValues, errors: FormError[] = []) {
  return render(
    reply,
    'advice.njk',
    'Advice from the information management team',
    {
      view,
      backHref: `/requests/${view.requestId}`,
      action: adviceHref(view.requestId),
      answerHref: (a: AdviceRecord) => `${adviceHref(view.requestId)}/${a.id}/answer`,
      values,
    },
    errors,
  );
}

function answerPage(
  reply: FastifyReply,
  view: RequestAdviceView,
  advice: AdviceRecord,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  return render(
    reply,
    'advice-answer.njk',
    'Record the information management team’s advice',
    {
      view,
      advice,
      backHref: adviceHref(view.requestId),
      action: `${adviceHref(view.requestId)}/${advice.id}/answer`,
      values,
    },
    errors,
    status,
  );
}

function adviceOf(view: RequestAdviceView, adviceId: string): AdviceRecord {
  const a = view.advice.find((x) => x.id === adviceId);
  if (!a) throw new NotFoundError('The advice');
  return a;
}

export async function requestAdviceRoutes(app: FastifyInstance, { requestAdvice }: RequestAdvicePagesOptions) {
  app.get('/requests/:id/advice', { config: VIEW }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    return advicePage(reply, await requestAdvice.advice(request.actor!, id, requestContext(request)), { question: '' });
  });

  app.post('/requests/:id/advice', { config: VIEW }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const values: FormValues = { question: text(bodyOf(request), 'question', 10_000) };
    return submit<unknown, unknown>({
      call: () =>
        requestAdvice.ask(request.actor!, id, { question: values['question'] as string }, requestContext(request)),
      next: () => reply.redirect(`${adviceHref(id)}#advice`, 303),
      again: async (errors) =>
        advicePage(reply, await requestAdvice.advice(request.actor!, id, requestContext(request)), values, errors),
    });
  });

  app.get('/requests/:id/advice/:adviceId/answer', { config: VIEW }, async (request, reply) => {
    const { id, adviceId } = idParams('id', 'adviceId').parse(request.params);
    const view = await requestAdvice.advice(request.actor!, id, requestContext(request));
    const advice = adviceOf(view, adviceId);
    if (advice.answer || !view.canAsk) return reply.redirect(adviceHref(id), 303);
    return answerPage(reply, view, advice, { answer: '', answeredBy: '' });
  });

  app.post('/requests/:id/advice/:adviceId/answer', { config: VIEW }, async (request, reply) => {
    const { id, adviceId } = idParams('id', 'adviceId').parse(request.params);
    const body = bodyOf(request);
    const values = pickValues(body, ANSWER_FIELDS);
    const date = parseDateInput(values, 'answeredOn', 'The date');
    const errors: FormError[] = date.error ? [{ text: date.error, href: '#answeredOn-day' }] : [];
    return submit<unknown, unknown>({
      errors,
      call: () =>
        requestAdvice.answer(
          request.actor!,
          id,
          adviceId,
          { answer: text(body, 'answer', 10_000), answeredBy: text(body, 'answeredBy'), answeredOn: date.iso },
          requestContext(request),
        ),
      next: () => reply.redirect(`${adviceHref(id)}#advice`, 303),
      again: async (errs, status) => {
        const view = await requestAdvice.advice(request.actor!, id, requestContext(request));
        return answerPage(reply, view, adviceOf(view, adviceId), values, errs, status);
      },
      ids: fieldIds({ renames: { answeredOn: 'answeredOn-day' } }),
    });
  });
}
