/**
 * 002 §3.8, §3.9: at a conference that decides no plan is needed, or that the plan ends, the chair records the plan
 * the child steps down to: child in need, or team around the child with its first meeting with the family.
 */
import type { FastifyInstance } from 'fastify';
import type { StepDownForm } from '../../../app/plan-endings/service.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { STEP_DOWN_KINDS, STEP_DOWN_LABELS } from '../../../domain/plan-endings/index.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  dateValues,
  fieldIds,
  formPage,
  idParams,
  readDate,
  readingContext,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';
import { type PlanEndingPagesOptions, VIEW, render } from './shared.ts';

const ids = fieldIds({ dates: ['firstMeetingDate'] });
const meetingHref = (conferenceId: string, childId: string) => `/conferences/${conferenceId}/meeting#child-${childId}`;

const stepDownPage = formPage<StepDownForm>(
  render,
  'step-down.njk',
  (form) =>
    form.outcome === 'no-plan'
      ? `Child in need plan for ${form.child.givenNames}`
      : `What ${form.child.givenNames} steps down to`,
  (form) => ({
    form,
    back: meetingHref(form.conference.id, form.child.id),
    kindItems: STEP_DOWN_KINDS.map((k) => ({ value: k, text: STEP_DOWN_LABELS[k] })),
  }),
);

export function stepDownPages(app: FastifyInstance, { planEndings }: PlanEndingPagesOptions): void {
  const path = '/conferences/:id/meeting/children/:childId/step-down';

  app.get(path, { config: VIEW }, async (request, reply) => {
    const { id, childId } = idParams('id', 'childId').parse(request.params);
    const form = await planEndings.stepDownForm(request.actor!, id, childId, requestContext(request));
    const s = form.stepDown;
    return stepDownPage(reply, form, {
      kind: s?.kind ?? (form.outcome === 'no-plan' ? 'child-in-need' : ''),
      leadProfessional: s?.leadProfessional ?? '',
      services: s?.services ?? '',
      ...dateValues('firstMeetingDate', s?.firstMeetingDate),
      changeReason: '',
    });
  });

  app.post(path, { config: VIEW }, async (request, reply) => {
    const { id, childId } = idParams('id', 'childId').parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      kind: text(body, 'kind'),
      leadProfessional: text(body, 'leadProfessional'),
      services: text(body, 'services'),
      ...dateFields(body, 'firstMeetingDate'),
      changeReason: text(body, 'changeReason'),
    };
    const errors: FormError[] = [];
    const firstMeetingDate =
      values['kind'] === 'team-around-the-child'
        ? (readDate(values, 'firstMeetingDate', 'The date of the first meeting', errors) as IsoDate | null)
        : null;
    const form = await planEndings.stepDownForm(request.actor!, id, childId, readingContext(request));
    return submit<unknown, unknown>({
      errors,
      call: () =>
        planEndings.recordStepDown(
          request.actor!,
          id,
          childId,
          {
            kind: values['kind'],
            leadProfessional: values['leadProfessional'] as string,
            services: values['services'] as string,
            firstMeetingDate,
            changeReason: values['changeReason'] as string,
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`/conferences/${form.conference.id}/meeting?done=plan#child-${form.child.id}`, 303),
      again: async (errors, status) => stepDownPage(reply, form, values, errors, status),
      ids,
    });
  });
}
