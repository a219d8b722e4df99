/**
 * Plans ending, stepping down and moving away (002 §3.8, §3.9): what the pages share. The use cases check who may see
 * and record each child's plan ending and audit every view, change and refusal; the pages only read forms and show.
 */
import type { FastifyRequest } from 'fastify';
import type { ChildPlanView, PlanEndingUseCases } from '../../../app/plan-endings/service.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import type { Role } from '../../../domain/access/roles.ts';
import {
  type FormValues,
  doneMessage,
  formPage,
  idParams,
  pageRenderer,
  readingContext,
  requestContext,
} from '../../forms/index.ts';

export interface PlanEndingPagesOptions {
  planEndings: PlanEndingUseCases;
}

/** Seeing a child's plan ending: anyone who may open children's records (the use case checks the child). */
export const VIEW = { access: CHILD_RECORD_ROLES };
/** Recording an ending, a transfer and letters posted: chairs, business support and managers. */
export const RECORD = { access: ['chair', 'business_support', 'team_manager', 'qa_manager'] satisfies Role[] };

export const statusHref = (childId: string) => `/children/${childId}/plan-ending`;
export const stepDownHref = (conferenceId: string, childId: string) =>
  `/conferences/${conferenceId}/meeting/children/${childId}/step-down`;

const DONE: Record<string, string> = {
  ended: 'The plan’s ending is recorded. Every agency invited has been told, or has a letter waiting to be posted.',
  transfer: 'The move is recorded and the transfer pack has been emailed to the receiving authority.',
  progress: 'The receiving authority’s progress is recorded.',
  posted: 'The letter is recorded as posted.',
};

export const doneOf = (query: unknown): string | null => doneMessage(query, DONE);

export const render = pageRenderer('plan-endings');

/** A form about the child's plan, with the way back to it; `model` adds what the form itself shows. */
export const childPlanPage = (
  template: string,
  title: string,
  model: (view: ChildPlanView, values: FormValues) => Record<string, unknown> = () => ({}),
) =>
  formPage<ChildPlanView>(render, template, title, (view, values) => ({
    view,
    back: statusHref(view.child.id),
    ...model(view, values),
  }));

/**
 * The child in the address and their plan as it stands, as the use case shows it to this user: the view is audited
 * when the form opens, not again when it is sent (`sent`).
 */
export async function childPlanFor(
  planEndings: PlanEndingUseCases,
  request: FastifyRequest,
  sent = false,
): Promise<{ id: string; view: ChildPlanView }> {
  const { id } = idParams('id').parse(request.params);
  const ctx = sent ? readingContext(request) : requestContext(request);
  return { id, view: await planEndings.forChild(request.actor!, id, ctx) };
}
