/** D-1: the senior manager's review of a decision two or more agencies dissented from. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MeetingChildView, MeetingView } from '../../../../app/conferences/meeting-service.ts';
import type { IsoDate } from '../../../../domain/calendar/index.ts';
import { REFERRAL_OUTCOME_LABELS, REFERRAL_OUTCOMES } from '../../../../domain/conferences/meeting.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  readDate,
  requestContext,
  text,
} from '../../../forms/index.ts';
import { type MeetingPages, WRITE, childOf, childParams, done, meetingBase, render, submit } from './shared.ts';

const referralPage = (
  reply: FastifyReply,
  view: MeetingView,
  child: MeetingChildView,
  values: FormValues,
  errors: FormError[] = [],
  status?: 400 | 409,
) =>
  render(
    reply,
    'meeting-referral.njk',
    view,
    `Senior manager’s review for ${child.givenNames} ${child.familyName}`,
    { child, values, outcomeItems: REFERRAL_OUTCOMES.map((o) => ({ value: o, text: REFERRAL_OUTCOME_LABELS[o] })) },
    errors,
    status,
  );

export function referralRoutes(app: FastifyInstance, { meeting, load }: MeetingPages): void {
  app.get('/conferences/:id/meeting/children/:childId/referral', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const view = await load(request, id, 'chair');
    const child = childOf(view, childId);
    if (!child.decision?.referral) return reply.redirect(meetingBase(id), 303);
    return referralPage(reply, view, child, { outcome: '' });
  });

  app.post('/conferences/:id/meeting/children/:childId/referral', { config: WRITE }, async (request, reply) => {
    const { id, childId } = childParams.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = { outcome: text(body, 'outcome'), ...dateFields(body, 'reviewedOn') };
    const errors: FormError[] = [];
    const reviewedOn = readDate(values, 'reviewedOn', 'The date of the review', errors) as IsoDate | null;
    const input = { reviewedOn, outcome: values['outcome'] as string };
    return submit({
      errors,
      call: () => meeting.recordReferralReview(request.actor!, id, childId, input, requestContext(request)),
      next: () => done(reply, id, 'referral', `#child-${childId}`),
      again: async (errors, status) => {
        const view = await load(request, id, 'chair');
        return referralPage(reply, view, childOf(view, childId), values, errors, status);
      },
    });
  });
}
