/**
 * 002 §3.9: another reason the plan ends (18, death, leaving the UK, looked after with a single plan, posted overseas
 * with the armed services), with a senior manager's authority. Only a conference decides it is no longer needed.
 */
import type { FastifyInstance } from 'fastify';
import type { ChildPlanView, EndingRequest } from '../../../app/plan-endings/service.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import {
  AUTHORISED_REASONS,
  ENDING_REASON_LABELS,
  LOOKED_AFTER_CRITERIA,
  LOOKED_AFTER_CRITERION_LABELS,
} from '../../../domain/plan-endings/index.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  fieldIds,
  readDate,
  requestContext,
  submit,
  text,
  ticked,
} from '../../forms/index.ts';
import { type PlanEndingPagesOptions, RECORD, childPlanFor, childPlanPage, statusHref } from './shared.ts';

const DATES = ['endedOn', 'modToldOn', 'authorisedOn'];
const ids = fieldIds({ dates: DATES });

const endingPage = childPlanPage('ending.njk', 'Record why the plan ends', (view, values) => ({
  reasonItems: AUTHORISED_REASONS.map((r) => ({ value: r, text: ENDING_REASON_LABELS[r] })),
  criterionItems: LOOKED_AFTER_CRITERIA.map((c) => ({
    value: c,
    text: LOOKED_AFTER_CRITERION_LABELS[c],
    checked: values['lookedAfterCriterion'] === c,
  })),
  managerItems: [
    { value: '', text: 'Select a senior manager' },
    ...view.seniorManagers.map((m) => ({ value: m.id, text: m.name, selected: m.id === values['authorisedByUserId'] })),
  ],
}));

export function endingPages(app: FastifyInstance, { planEndings }: PlanEndingPagesOptions): void {
  app.get('/children/:id/plan-ending/record', { config: RECORD }, async (request, reply) => {
    const { view } = await childPlanFor(planEndings, request);
    if (view.state !== 'active' || !view.mayRecord) return reply.redirect(statusHref(view.child.id), 303);
    return endingPage(reply, view, {
      reason: '',
      details: '',
      lookedAfterCriterion: '',
      authorisedByUserId: '',
      modResourcesConfirmed: [],
    });
  });

  app.post('/children/:id/plan-ending/record', { config: RECORD }, async (request, reply) => {
    const body = bodyOf(request);
    const values: FormValues = {
      reason: text(body, 'reason'),
      details: text(body, 'details'),
      lookedAfterCriterion: text(body, 'lookedAfterCriterion'),
      modResourcesConfirmed: ticked(body, 'modResourcesConfirmed'),
      authorisedByUserId: text(body, 'authorisedByUserId'),
      ...dateFields(body, 'endedOn'),
      ...dateFields(body, 'modToldOn'),
      ...dateFields(body, 'authorisedOn'),
    };
    const errors: FormError[] = [];
    const date = (f: string, label: string) => readDate(values, f, label, errors) as IsoDate | null;
    const input: EndingRequest = {
      reason: values['reason'],
      endedOn: date('endedOn', 'The date the plan ends'),
      details: values['details'] as string,
      lookedAfterCriterion: values['lookedAfterCriterion'],
      modToldOn: date('modToldOn', 'The date the board was told'),
      modResourcesConfirmed: (values['modResourcesConfirmed'] as string[]).includes('yes'),
      authorisedByUserId: values['authorisedByUserId'] as string,
      authorisedOn: date('authorisedOn', 'The date of the authority'),
    };
    const { id, view } = await childPlanFor(planEndings, request, true);
    return submit<ChildPlanView, unknown>({
      errors,
      call: () => planEndings.recordEnding(request.actor!, id, input, requestContext(request)),
      next: (v) => reply.redirect(`${statusHref(v.child.id)}?done=ended`, 303),
      again: async (errors, status) => endingPage(reply, view, values, errors, status),
      ids,
    });
  });
}
