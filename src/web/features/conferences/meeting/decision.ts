/** The decision for one child (002 §3.5, §3.6): outcome, category, reasons and each agency's view (D-1). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MeetingChildView, MeetingView } from '../../../../app/conferences/meeting-service.ts';
import type { IsoDate } from '../../../../domain/calendar/index.ts';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  OUTCOME_LABELS,
  OUTCOMES,
  type Outcome,
  outcomeHasPlan,
  outcomesFor,
} from '../../../../domain/conferences/decisions.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  dateValues,
  readDate,
  requestContext,
  text,
} from '../../../forms/index.ts';
import { type MeetingPages, WRITE, childOf, childParams, done, render, submit } from './shared.ts';

function decisionPage(
  reply: FastifyReply,
  view: MeetingView,
  child: MeetingChildView,
  values: FormValues,
  errors: FormError[] = [],
  status?: 400 | 409,
) {
  const outcomes = outcomesFor(view.conference.type);
  return render(
    reply,
    'meeting-decision.njk',
    view,
    `Decision for ${child.givenNames} ${child.familyName}`,
    {
      child,
      values,
      outcomeItems: outcomes.map((o) => ({ value: o, text: OUTCOME_LABELS[o], hasPlan: outcomeHasPlan(o) })),
      categoryItems: CATEGORIES.map((c) => ({ value: c, text: CATEGORY_LABELS[c] })),
    },
    errors,
    status,
  );
}

/** The form as last recorded. */
function decisionValues(child: MeetingChildView, view: MeetingView): FormValues {
  const d = child.decision;
  const values: FormValues = {
    outcome: d?.outcome ?? '',
    category: d?.category ?? '',
    reasons: d?.reasons ?? '',
    referredTo: d?.referral?.referredTo ?? '',
    ...dateValues('referredOn', d?.referral?.referredOn),
    changeReason: '',
  };
  for (const a of view.agenciesPresent) {
    const saved = d?.agencyViews.find((v) => v.agencyId === a.agencyId);
    values[`view-${a.agencyId}`] = saved?.view ?? '';
    values[`note-${a.agencyId}`] = saved?.note ?? '';
  }
  return values;
}

/** The decision as sent, with the values as typed; a date that cannot be read is a form error. */
function readDecision(view: MeetingView, body: Record<string, unknown>) {
  const values: FormValues = {
    outcome: text(body, 'outcome'),
    category: text(body, 'category'),
    reasons: text(body, 'reasons'),
    referredTo: text(body, 'referredTo'),
    ...dateFields(body, 'referredOn'),
    changeReason: text(body, 'changeReason'),
  };
  const agencyViews: Array<{ agencyId: string; view: 'agrees' | 'dissents'; note: string }> = [];
  for (const a of view.agenciesPresent) {
    const chosen = (values[`view-${a.agencyId}`] = text(body, `view-${a.agencyId}`));
    const note = (values[`note-${a.agencyId}`] = text(body, `note-${a.agencyId}`));
    if (chosen === 'agrees' || chosen === 'dissents') agencyViews.push({ agencyId: a.agencyId, view: chosen, note });
  }
  const errors: FormError[] = [];
  const referredOn = readDate(values, 'referredOn', 'The date of the referral', errors) as IsoDate | null;
  const outcome = values['outcome'] as string;
  const input = {
    outcome,
    // The category radios sit inside the plan outcomes' conditional reveal: an answer hidden
    // by choosing "no plan" is ignored, as the GOV.UK pattern says, not refused.
    category:
      (OUTCOMES as readonly unknown[]).includes(outcome) && outcomeHasPlan(outcome as Outcome)
        ? (values['category'] as string) || null
        : null,
    reasons: values['reasons'] as string,
    agencyViews,
    referral: { referredTo: values['referredTo'] as string, referredOn },
    changeReason: values['changeReason'] as string,
  };
  return { values, input, errors };
}

export function decisionRoutes(app: FastifyInstance, { meeting, load }: MeetingPages): void {
  app.get('/conferences/:id/meeting/children/:childId/decision', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const child = childOf(view, childId);
    return decisionPage(reply, view, child, decisionValues(child, view));
  });

  app.post('/conferences/:id/meeting/children/:childId/decision', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const body = bodyOf(request);
    const view = await load(request, id, 'chair');
    const child = childOf(view, childId);
    const { values, input, errors } = readDecision(view, body);
    return submit({
      errors,
      call: () => meeting.recordDecision(request.actor!, id, childId, input, requestContext(request)),
      next: () => done(reply, id, 'decision', `#child-${childId}`),
      again: (errors, status) => decisionPage(reply, view, child, values, errors, status),
    });
  });
}
