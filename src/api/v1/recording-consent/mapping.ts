/** The family’s recording on the day, from the use cases' views to the API's allow-listed shapes. */
import type { z } from 'zod';
import type { FamilyCopyView, FamilyRequestView, RoundView } from '../../../app/recording-consent/service.ts';
import type { copySchema, requestSchema, roundSchema } from './schemas.ts';

export function roundOut(r: RoundView): z.infer<typeof roundSchema> {
  return {
    id: r.id,
    requestKey: r.requestKey,
    occasion: r.occasion.value as z.infer<typeof roundSchema>['occasion'],
    askedAt: r.askedAt,
    recordedBy: r.recordedBy,
    consents: r.consents.map((c) => ({
      inviteeId: c.inviteeId,
      name: c.name,
      answer: c.answer.value,
      reason: c.reason,
      furtherAuthorisation: c.furtherAuthorisation,
    })),
    outcome: r.outcome.value,
  };
}

export function requestOut(r: FamilyRequestView): z.infer<typeof requestSchema> {
  return {
    key: r.key,
    requesterName: r.requesterName,
    madeDuringMeeting: r.madeDuringMeeting,
    askedText: r.askedText,
    purpose: r.purpose,
    status: r.status?.value ?? null,
    onTheDay: r.onTheDay,
    limitsAccepted: r.limitsAccepted,
    rounds: r.rounds.map(roundOut),
    outcome: r.outcome?.value ?? null,
  };
}

export function copyOut(c: FamilyCopyView): z.infer<typeof copySchema> {
  return {
    id: c.id,
    requestKey: c.requestKey,
    requesterName: c.requesterName,
    handedOverOn: c.handedOverOn,
    handedOverBy: c.handedOverBy,
    format: c.format,
    size: c.size,
    uploadedBy: c.uploadedBy,
  };
}
