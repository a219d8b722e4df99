/**
 * The domain event for a step taken on a request for a copy (A-3 … A-10), built from the form's input
 * with what it needs from the record: the referral's facts, the children's records, and whether
 * the copy or the delivery named is ready and this request's (read by the caller in its transaction).
 */
import { type IsoDate } from '../../domain/calendar/index.ts';
import {
  NOTIFIED_PARTIES,
  RequestError,
  validateReferral,
  validateVerificationReply,
  type NotifiedParty,
  type RequestEvent,
  type VerificationRecordChild,
} from '../../domain/requests/index.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { CopyRequestRecord } from './ports.ts';
import { referralFacts } from './request-support.ts';
import type { StepInput } from './request-views.ts';

/** The domain event for a step, with what it needs from the record (referral facts, the children's records). */
export async function buildStepEvent(
  repos: Repositories,
  record: CopyRequestRecord,
  step: StepInput,
  checks: { copyReady: boolean; deliveryReady: boolean },
  today: IsoDate,
): Promise<{ event: RequestEvent; details: Record<string, unknown> }> {
  const r = record.request;
  switch (step.type) {
    case 'refer':
    case 'amend-referral': {
      const { facts } = await referralFacts(repos, record, today);
      const referral = validateReferral(step.referral ?? {}, facts);
      return {
        event:
          step.type === 'refer'
            ? { type: 'refer', referral }
            : { type: 'amend-referral', referral, reason: step.reason },
        details: {},
      };
    }
    case 'record-verification': {
      const reply = validateVerificationReply(step.reply ?? {});
      const recordChildren: VerificationRecordChild[] = [];
      for (const id of r.referral?.childIds ?? []) {
        const child = await repos.people.findChild(id);
        if (child)
          recordChildren.push({
            id,
            givenNames: child.givenNames,
            familyName: child.familyName,
            dateOfBirth: child.dateOfBirth,
            expectedDeliveryDate: child.expectedDeliveryDate,
          });
      }
      return { event: { type: 'record-verification', reply, recordChildren }, details: {} };
    }
    case 'prepare-copy': {
      const copyId = (step.copyId ?? '').trim();
      // Only a copy the disclosure copy service made for this request, and finished, may be recorded.
      if (copyId && !checks.copyReady && r.state === 'verified') {
        throw new RequestError(
          'INVALID_REQUEST',
          'That copy is not ready yet, or was not made for this request. Wait until it is ready, then try again',
          'copyId',
        );
      }
      return { event: { type: 'prepare-copy', copyId }, details: {} };
    }
    case 'send': {
      const deliveryId = (step.deliveryId ?? '').trim();
      if (deliveryId && !checks.deliveryReady && r.state === 'copy-approved') {
        throw new RequestError(
          'INVALID_REQUEST',
          'That secure delivery does not exist, has been revoked, or is for another request. Create the delivery, then try again',
          'deliveryId',
        );
      }
      return { event: { type: 'send', deliveryId }, details: {} };
    }
    case 'record-notifications': {
      // what was done when the copy was sent, plus anyone business support told another way.
      const steps = await repos.copyRequests.listSteps(record.id);
      const sent = steps.filter((s) => s.action === 'send').at(-1);
      const emailed = (sent?.details['notifiedParties'] as NotifiedParty[] | undefined) ?? [];
      const notes = (sent?.details['caseNoteChildIds'] as string[] | undefined) ?? [];
      const toldOtherwise = NOTIFIED_PARTIES.filter((p) => (step.toldOtherwise ?? []).includes(p));
      return {
        event: {
          type: 'record-notifications',
          notified: [...new Set([...emailed, ...toldOtherwise])],
          caseNoteChildIds: notes,
        },
        details: { toldOtherwise },
      };
    }
    default:
      return { event: step as RequestEvent, details: {} };
  }
}
