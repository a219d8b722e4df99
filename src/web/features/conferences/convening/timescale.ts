/**
 * The timescale step: shown only when the date is outside the timescale, for the senior manager's agreement (T-1),
 * or when a review is brought forward well before its due date, for the reason (002 §2.2).
 */
import type { FastifyInstance } from 'fastify';
import { TIMESCALE_FIELDS, deadlineText } from '../convening-forms.ts';
import { broughtForwardItems } from './grounds.ts';
import { type ConveningJourney, type StepPage } from './journey.ts';
import { EDIT } from './shared.ts';

export const timescalePage: StepPage = async (journey, request, reply, values, base) => {
  const { prepared } = await journey.check(request, values, 'arrangements');
  const d = prepared?.deadline;
  const outside = prepared?.assessment?.outsideTimescale ?? '';
  const broughtForward = prepared?.broughtForward === true;
  return reply.view('conferences/convening/timescale.njk', {
    ...base,
    title: outside || !broughtForward ? 'The date is outside the timescale' : 'The review is being brought forward',
    outside,
    broughtForward,
    broughtForwardItems: broughtForwardItems(values),
    broughtForwardHint: `The review is more than ${journey.services.timescales.reviewBroughtForwardDays} days before it is due. Select the main reason.`,
    deadline: d ? { text: deadlineText(d), explanation: d.explanation, ruleId: d.ruleId } : null,
  });
};

export function timescaleRoutes(app: FastifyInstance, journey: ConveningJourney): void {
  app.get('/conferences/new/timescale', { config: EDIT }, async (request, reply) =>
    journey.show(request, reply, 'timescale'),
  );
  app.post('/conferences/new/timescale', { config: EDIT }, async (request, reply) =>
    journey.submit(request, reply, 'timescale', TIMESCALE_FIELDS),
  );
}
