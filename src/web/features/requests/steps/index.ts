/**
 * The steps taken on the request's page (A-4 … A-10), one file each: `POST /requests/:id/steps/:step`
 * reads the step forms' answers, hands them to the step's handler (one use case), then shows the page
 * with the banner (303) or the step's form open with its errors and answers (400).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RequestService } from '../../../../app/requests/request-service.ts';
import { idSchema } from '../../../../domain/shared/ids.ts';
import { bodyOf, requestContext, text, type FormValues } from '../../../forms/index.ts';
import type { FormError } from '../../../types.ts';
import { ruleErrors } from '../forms.ts';
import { renderRequestPage } from '../request-page.ts';
import { requestBase, VIEW } from '../shared.ts';
import { approveCopy } from './approve-copy.ts';
import { checkRecording } from './check-recording.ts';
import { close } from './close.ts';
import { extend } from './extend.ts';
import { recordNotifications } from './record-notifications.ts';
import { recordVerification } from './record-verification.ts';
import { refuse } from './refuse.ts';
import { rejectCopy } from './reject-copy.ts';
import { requestVerification } from './request-verification.ts';
import { resolveQueries } from './resolve-queries.ts';
import { resumeVerification } from './resume-verification.ts';
import type { StepHandler } from './step.ts';
import { withdraw } from './withdraw.ts';

/** Steps taken on the request page, by the name in the form's address. */
const STEPS = {
  'resolve-queries': resolveQueries,
  'check-recording': checkRecording,
  'request-verification': requestVerification,
  'record-verification': recordVerification,
  'resume-verification': resumeVerification,
  'approve-copy': approveCopy,
  'reject-copy': rejectCopy,
  'record-notifications': recordNotifications,
  close,
  refuse,
  withdraw,
  extend,
} satisfies Record<string, StepHandler>;

const stepParams = z.object({
  id: idSchema,
  step: z.enum(Object.keys(STEPS) as [keyof typeof STEPS, ...Array<keyof typeof STEPS>]),
});

/** Every step form's answers, so the form that failed is shown again as typed. */
function readStepValues(body: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const k of [
    'note',
    'partsListened',
    'confirmedRightRecording',
    'reason',
    'emailConfirmedSecure',
    'toldOn-day',
    'toldOn-month',
    'toldOn-year',
    'childRows',
  ])
    values[k] = text(body, k);
  const rows = Math.min(20, Math.max(1, Number.parseInt(values['childRows'] as string, 10) || 1));
  for (let i = 0; i < rows; i++)
    for (const f of ['fullName', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year'])
      values[`children-${i}-${f}`] = text(body, `children-${i}-${f}`);
  return values;
}

export async function stepRoutes(app: FastifyInstance, opts: { requests: RequestService }): Promise<void> {
  const { requests } = opts;
  app.post('/requests/:id/steps/:step', { config: VIEW }, async (request, reply) => {
    const { id, step } = stepParams.parse(request.params);
    const body = bodyOf(request);
    const version = Number.parseInt(text(body, 'version'), 10);
    const values = readStepValues(body);
    const fail = (errors: FormError[]) =>
      renderRequestPage(requests, request, reply, id, { openStep: step, values, errors });
    if (!Number.isSafeInteger(version))
      return fail([{ text: 'This page is out of date. Reload the request and try again.', href: '#main-content' }]);
    let outcome;
    try {
      // Inside the try: control characters come back as field errors on this step's form.
      const ctx = requestContext(request);
      outcome = await STEPS[step]({ requests, actor: request.actor!, id, version, values, body, ctx });
    } catch (err) {
      return fail(ruleErrors(err, step));
    }
    if ('errors' in outcome) return fail(outcome.errors);
    return reply.redirect(`${requestBase(id)}?done=${outcome.done}`, 303);
  });
}
