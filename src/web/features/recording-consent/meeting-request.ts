/**
 * P-1, P-5, P-7: a request to record made during the meeting, by someone present who may ask (the child, or a parent
 * with parental responsibility), with the limits accepted before anyone is asked. Once recorded, the chair is prompted
 * to stop the meeting and ask everyone present.
 */
import type { FastifyInstance } from 'fastify';
import { type FormValues, bodyOf, readingContext, requestContext, submit, text } from '../../forms/index.ts';
import {
  REGISTER,
  type RecordingConsentPagesOptions,
  TIME_HINT,
  base,
  conferenceParams,
  consentForm,
  ids,
} from './shared.ts';

const page = consentForm(
  'meeting-request.njk',
  'Record a request to record made during the meeting',
  'requests',
  (view) => ({
    people: view.present.map((p) => ({
      value: p.inviteeId,
      text: p.name,
      mayAsk: view.requesters.some((r) => r.inviteeId === p.inviteeId),
    })),
    timeHint: TIME_HINT,
  }),
);

export function meetingRequestRoutes(app: FastifyInstance, { recordingConsent }: RecordingConsentPagesOptions): void {
  app.get('/conferences/:id/recording-consent/requests/new', { config: REGISTER }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await recordingConsent.onTheDay(request.actor!, id, requestContext(request));
    return page(reply, view, { requester: '', askedAt: '', purpose: '', limitsAccepted: '' });
  });

  app.post('/conferences/:id/recording-consent/requests', { config: REGISTER }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const view = await recordingConsent.onTheDay(request.actor!, id, readingContext(request));
    const values: FormValues = {
      requester: text(body, 'requester', 100),
      askedAt: text(body, 'askedAt', 50),
      purpose: text(body, 'purpose', 2_000),
      limitsAccepted: text(body, 'limitsAccepted', 10),
    };
    return submit<unknown, unknown>({
      ids,
      call: () =>
        recordingConsent.recordMeetingRequest(
          request.actor!,
          id,
          {
            requesterInviteeId: values['requester'] as string,
            askedAt: values['askedAt'] as string,
            purpose: values['purpose'] as string,
            limitsAccepted: values['limitsAccepted'] === 'yes',
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`${base(view.conference.id)}?done=request`, 303),
      again: (errors, status) => page(reply, view, values, errors, status),
    });
  });
}
