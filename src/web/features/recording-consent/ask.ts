/**
 * P-4, P-5: asking everyone present whether the family may record, for one request: why they are asked now (before
 * any discussion, someone joined, a new request), the time, and each person's answer with the reason for a refusal
 * or the further authorisation needed. Every person present must answer.
 */
import type { FastifyInstance } from 'fastify';
import { CONSENT_OCCASIONS, CONSENT_OCCASION_LABELS } from '../../../domain/recording-consent/consent.ts';
import { type FormValues, bodyOf, readingContext, requestContext, submit, text } from '../../forms/index.ts';
import {
  REGISTER,
  type RecordingConsentPagesOptions,
  TIME_HINT,
  base,
  conferenceParams,
  consentForm,
  ids,
  requestChoices,
} from './shared.ts';

const OCCASION_OF = { 'before-discussion': 'start', joined: 'joined', 'new-request': 'new-request' } as const;

const page = consentForm('ask.njk', 'Ask everyone present about the family’s recording', 'ask', (view) => ({
  requests: requestChoices(view, true),
  occasions: CONSENT_OCCASIONS.map((o) => ({ value: o, text: CONSENT_OCCASION_LABELS[o] })),
  timeHint: TIME_HINT,
}));

export function askRoutes(app: FastifyInstance, { recordingConsent }: RecordingConsentPagesOptions): void {
  app.get('/conferences/:id/recording-consent/ask', { config: REGISTER }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await recordingConsent.onTheDay(request.actor!, id, requestContext(request));
    const prompt = view.prompts[0];
    const only = requestChoices(view, true);
    return page(reply, view, {
      request: prompt?.requestKey ?? (only.length === 1 ? only[0]!.value : ''),
      occasion: prompt ? OCCASION_OF[prompt.kind] : '',
      askedAt: '',
    });
  });

  app.post('/conferences/:id/recording-consent/ask', { config: REGISTER }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const view = await recordingConsent.onTheDay(request.actor!, id, readingContext(request));
    const values: FormValues = {
      request: text(body, 'request', 200),
      occasion: text(body, 'occasion', 50),
      askedAt: text(body, 'askedAt', 50),
    };
    for (const p of view.present)
      for (const k of ['answer', 'reason', 'authorisation'])
        values[`${k}-${p.inviteeId}`] = text(body, `${k}-${p.inviteeId}`, k === 'answer' ? 20 : 2_000);
    return submit<unknown, unknown>({
      ids,
      call: () =>
        recordingConsent.askConsent(
          request.actor!,
          id,
          {
            request: values['request'] as string,
            occasion: values['occasion'] as string,
            askedAt: values['askedAt'] as string,
            answers: view.present.map((p) => ({
              inviteeId: p.inviteeId,
              answer: values[`answer-${p.inviteeId}`] as string,
              reason: values[`reason-${p.inviteeId}`] as string,
              furtherAuthorisation: values[`authorisation-${p.inviteeId}`] as string,
            })),
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`${base(view.conference.id)}?done=asked`, 303),
      again: (errors, status) => page(reply, view, values, errors, status),
    });
  });
}
