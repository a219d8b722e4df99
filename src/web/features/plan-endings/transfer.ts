/**
 * 002 §3.9, T-4: transfer out. The move is recorded and the transfer pack emailed to the receiving authority; then
 * its conference and written confirmation, after which the plan here ends.
 */
import type { FastifyInstance } from 'fastify';
import type { ChildPlanView } from '../../../app/plan-endings/service.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  dateValues,
  fieldIds,
  readDate,
  requestContext,
  submit,
  text,
  versionOf,
} from '../../forms/index.ts';
import { type PlanEndingPagesOptions, RECORD, childPlanFor, childPlanPage, statusHref } from './shared.ts';

const moveIds = fieldIds({ dates: ['noticeOn'] });
const progressIds = fieldIds({ dates: ['receivingConferenceOn', 'confirmationReceivedOn'] });

const movePage = childPlanPage('transfer.njk', 'Record a move to another authority');
const progressPage = childPlanPage('progress.njk', 'The receiving authority’s conference');

export function transferPages(app: FastifyInstance, { planEndings }: PlanEndingPagesOptions): void {
  app.get('/children/:id/plan-ending/transfer', { config: RECORD }, async (request, reply) => {
    const { view } = await childPlanFor(planEndings, request);
    if (view.state !== 'active' || view.transfer || !view.mayRecord)
      return reply.redirect(statusHref(view.child.id), 303);
    return movePage(reply, view, { authorityName: '', contactEmail: '' });
  });

  app.post('/children/:id/plan-ending/transfer', { config: RECORD }, async (request, reply) => {
    const body = bodyOf(request);
    const values: FormValues = {
      authorityName: text(body, 'authorityName'),
      contactEmail: text(body, 'contactEmail'),
      ...dateFields(body, 'noticeOn'),
    };
    const errors: FormError[] = [];
    const noticeOn = readDate(values, 'noticeOn', 'The date they were told', errors) as IsoDate | null;
    const { id, view } = await childPlanFor(planEndings, request, true);
    return submit<ChildPlanView, unknown>({
      errors,
      call: () =>
        planEndings.recordTransfer(
          request.actor!,
          id,
          {
            authorityName: values['authorityName'] as string,
            contactEmail: values['contactEmail'] as string,
            noticeOn,
          },
          requestContext(request),
        ),
      next: (v) => reply.redirect(`${statusHref(v.child.id)}?done=transfer#transfer`, 303),
      again: async (errors, status) => movePage(reply, view, values, errors, status),
      ids: moveIds,
    });
  });

  app.get('/children/:id/plan-ending/transfer/progress', { config: RECORD }, async (request, reply) => {
    const { view } = await childPlanFor(planEndings, request);
    const t = view.transfer;
    if (view.state !== 'active' || !t || !view.mayRecord) return reply.redirect(statusHref(view.child.id), 303);
    return progressPage(reply, view, {
      version: String(t.version),
      ...dateValues('receivingConferenceOn', t.receivingConferenceOn),
      ...dateValues('confirmationReceivedOn', t.confirmationReceivedOn),
    });
  });

  app.post('/children/:id/plan-ending/transfer/progress', { config: RECORD }, async (request, reply) => {
    const body = bodyOf(request);
    const values: FormValues = {
      version: text(body, 'version'),
      ...dateFields(body, 'receivingConferenceOn'),
      ...dateFields(body, 'confirmationReceivedOn'),
    };
    const errors: FormError[] = [];
    const held = readDate(values, 'receivingConferenceOn', 'The date of their conference', errors) as IsoDate | null;
    const confirmed = readDate(values, 'confirmationReceivedOn', 'The date it arrived', errors) as IsoDate | null;
    const { id, view } = await childPlanFor(planEndings, request, true);
    if (!view.transfer) return reply.redirect(statusHref(view.child.id), 303);
    return submit<ChildPlanView, unknown>({
      errors,
      call: () =>
        planEndings.recordTransferProgress(
          request.actor!,
          id,
          { receivingConferenceOn: held, confirmationReceivedOn: confirmed, version: versionOf(body) },
          requestContext(request),
        ),
      next: (v) => reply.redirect(`${statusHref(v.child.id)}?done=${v.state === 'ended' ? 'ended' : 'progress'}`, 303),
      again: async (errors, status) => progressPage(reply, view, values, errors, status),
      ids: progressIds,
    });
  });
}
