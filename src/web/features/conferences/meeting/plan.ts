/** The plan for one child (002 §3.7): lead social worker, core group, actions and the next review (T-3), or when it ends (T-9). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MeetingChildView, MeetingView, PlanRecordInput } from '../../../../app/conferences/meeting-service.ts';
import type { IsoDate } from '../../../../domain/calendar/index.ts';
import { mayJoinCoreGroup } from '../../../../domain/conferences/invitees.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  dateValues,
  readDate,
  requestContext,
  text,
  ticked,
} from '../../../forms/index.ts';
import { type MeetingPages, WRITE, childOf, childParams, done, meetingBase, render, roleOf, submit } from './shared.ts';

/** Blank action rows on a new plan, and the most a form may ask for ("add another row" without JavaScript). */
const PLAN_ROWS = 3;
const MAX_PLAN_ROWS = 30;

async function planPage(
  { people }: MeetingPages,
  reply: FastifyReply,
  view: MeetingView,
  child: MeetingChildView,
  values: FormValues,
  rows: number,
  errors: FormError[] = [],
  status?: 400 | 409,
) {
  const { socialWorkers } = await people.staffChoices();
  const lead = values['leadSocialWorkerUserId'] as string;
  const current = child.plan?.leadSocialWorkerUserId;
  let swList =
    current && !socialWorkers.some((s) => s.id === current)
      ? [...socialWorkers, { id: current, name: child.plan?.leadSocialWorkerName ?? 'Unknown account' }]
      : socialWorkers;
  // 002 §3.7: the lead social worker a team manager appointed after the conference, named as such.
  const appointed = child.appointedLead;
  if (appointed) {
    const name = `${appointed.name ?? swList.find((s) => s.id === appointed.userId)?.name ?? 'Unknown account'} (appointed by a team manager)`;
    swList = [...swList.filter((s) => s.id !== appointed.userId), { id: appointed.userId, name }];
  }
  return render(
    reply,
    'meeting-plan.njk',
    view,
    child.planStep === 'plan-ended'
      ? `When ${child.givenNames}’s plan ends`
      : `Plan for ${child.givenNames} ${child.familyName}`,
    {
      child,
      values,
      rows: Array.from({ length: rows }, (_, i) => i),
      rowCount: rows,
      leadItems: [
        { value: '', text: 'Not appointed yet' },
        ...swList.map((s) => ({ value: s.id, text: s.name, selected: s.id === lead })),
      ],
      coreGroupItems: view.invitees
        .filter((i) => mayJoinCoreGroup(i.kind))
        .map((i) => ({
          value: i.id,
          text: i.name,
          hint: { text: roleOf(i, view.children) },
          checked: (values['coreGroup'] as string[] | undefined)?.includes(i.id) ?? false,
        })),
    },
    errors,
    status,
  );
}

/** The form as last recorded, or as a new plan starts: the allocated social worker and the deadlines' dates. */
function planValues(view: MeetingView, child: MeetingChildView): { values: FormValues; rows: number } {
  const p = child.plan;
  const values: FormValues = {
    leadSocialWorkerUserId: p
      ? (p.leadSocialWorkerUserId ?? child.appointedLead?.userId ?? '')
      : (child.allocatedSocialWorkerId ?? ''),
    coreGroup: p?.coreGroupInviteeIds ?? [],
    ...dateValues('firstCoreGroupDate', p?.firstCoreGroupDate),
    contingencyPlan: p?.contingencyPlan ?? '',
    ...dateValues('nextReviewDate', p?.nextReviewDate ?? view.reviewDeadline.due),
    ...dateValues('planEndedMeetingDate', p?.planEndedMeetingDate ?? view.planEndedDeadline.due),
    changeReason: '',
  };
  const actions = p?.actions ?? [];
  actions.forEach((a, i) => {
    values[`action-${i}`] = a.action;
    values[`who-${i}`] = a.who;
    Object.assign(values, dateValues(`byWhen-${i}`, a.byWhen));
  });
  return { values, rows: Math.max(PLAN_ROWS, actions.length + 1) };
}

/** The values as typed, every row of actions included. */
function planForm(body: Record<string, unknown>): { values: FormValues; rows: number } {
  const rows = Math.min(MAX_PLAN_ROWS, Math.max(1, Number.parseInt(text(body, 'rows'), 10) || PLAN_ROWS));
  const values: FormValues = {
    leadSocialWorkerUserId: text(body, 'leadSocialWorkerUserId'),
    coreGroup: ticked(body, 'coreGroup'),
    ...dateFields(body, 'firstCoreGroupDate'),
    contingencyPlan: text(body, 'contingencyPlan'),
    ...dateFields(body, 'nextReviewDate'),
    ...dateFields(body, 'planEndedMeetingDate'),
    changeReason: text(body, 'changeReason'),
  };
  for (let i = 0; i < rows; i++) {
    values[`action-${i}`] = text(body, `action-${i}`);
    values[`who-${i}`] = text(body, `who-${i}`);
    Object.assign(values, dateFields(body, `byWhen-${i}`));
  }
  return { values, rows };
}

/** The plan as the use case takes it: when the plan ends only the meeting's date; a date that cannot be read is a form error. */
function planInput(child: MeetingChildView, values: FormValues, rows: number, errors: FormError[]): PlanRecordInput {
  const date = (field: string, label: string) => readDate(values, field, label, errors) as IsoDate | null;
  const leadSocialWorkerUserId = (values['leadSocialWorkerUserId'] as string) || null;
  const changeReason = values['changeReason'] as string;
  if (child.planStep === 'plan-ended') {
    const planEndedMeetingDate = date('planEndedMeetingDate', 'The date of the meeting');
    return { leadSocialWorkerUserId, planEndedMeetingDate, changeReason };
  }
  const firstCoreGroupDate = date('firstCoreGroupDate', 'The date of the first core group');
  const nextReviewDate = date('nextReviewDate', 'The date of the next review');
  const actions = Array.from({ length: rows }, (_, i) => ({
    action: values[`action-${i}`] as string,
    who: values[`who-${i}`] as string,
    byWhen: date(`byWhen-${i}`, 'The date it must be done by'),
  }));
  return {
    leadSocialWorkerUserId,
    coreGroupInviteeIds: values['coreGroup'] as string[],
    firstCoreGroupDate,
    actions,
    contingencyPlan: values['contingencyPlan'] as string,
    nextReviewDate,
    changeReason,
  };
}

export function planRoutes(app: FastifyInstance, pages: MeetingPages): void {
  const { meeting, load } = pages;
  app.get('/conferences/:id/meeting/children/:childId/plan', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const child = childOf(view, childId);
    // 002 §3.8: no plan needed: the outline child in need plan is recorded on its own page.
    if (!child.planStep)
      return reply.redirect(
        child.decision?.outcome === 'no-plan' ? `${meetingBase(id)}/children/${childId}/step-down` : meetingBase(id),
        303,
      );
    const { values, rows } = planValues(view, child);
    return planPage(pages, reply, view, child, values, rows);
  });

  app.post('/conferences/:id/meeting/children/:childId/plan', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const body = bodyOf(request);
    const view = await load(request, id, 'chair');
    const child = childOf(view, childId);
    // 002 §3.8: no plan needed: the outline child in need plan is recorded on its own page.
    if (!child.planStep)
      return reply.redirect(
        child.decision?.outcome === 'no-plan' ? `${meetingBase(id)}/children/${childId}/step-down` : meetingBase(id),
        303,
      );
    const { values, rows } = planForm(body);
    // "Add another row" without JavaScript: the same form, one more blank row, nothing saved.
    if (text(body, 'addRow')) return planPage(pages, reply, view, child, values, Math.min(MAX_PLAN_ROWS, rows + 1));
    const errors: FormError[] = [];
    const input = planInput(child, values, rows, errors);
    return submit({
      errors,
      call: () => meeting.recordPlan(request.actor!, id, childId, input, requestContext(request)),
      next: () => done(reply, id, 'plan', `#child-${childId}`),
      again: (errors, status) => planPage(pages, reply, view, child, values, rows, errors, status),
    });
  });
}
