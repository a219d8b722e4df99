/**
 * 002 §1.1: a conference convened from a professional's agreed request answers it. In the convening transaction the
 * request is locked, checked (agreed, about one of the conference's children, not answered already: one conference
 * per request) and linked; the professional is emailed the date through the outbox when they have an address.
 */
import { formatLongDate, londonDateOf, parseIsoDate } from '../../domain/calendar/index.ts';
import { formatClockTime } from '../../domain/conferences/invitations.ts';
import { InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { isUuid } from '../conferences/service-deps.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { Repositories } from '../unit-of-work.ts';
import { SUBJECT_TYPE, audit } from './access.ts';

export const CONVENED_TEMPLATE = 'conference-request-convened';

/** The conference convened, as the request needs it. */
export interface ConvenedConference {
  id: string;
  childIds: readonly string[];
  scheduledDate: string;
  startTime: string;
}

/** How convening answers a request: in its transaction, then the email sent once it commits. */
export interface ConferenceRequestAnswers {
  /** Links the request to the conference; the message to dispatch after commit, if the professional was emailed. */
  answerWithin(
    repos: Repositories,
    requestId: string,
    conference: ConvenedConference,
    ctx: RequestContext,
  ): Promise<{ messageId: string | null }>;
  dispatch(messageId: string): Promise<void>;
}

const problem = (message: string) => new InvalidDetailsError([{ field: 'conferenceRequestId', message }]);

export function conferenceRequestAnswers(mail: () => MailService): ConferenceRequestAnswers {
  return {
    async answerWithin(repos, requestId, conference, ctx) {
      if (!isUuid(requestId)) throw problem('The request for a conference could not be found');
      const r = await repos.conferenceRequests.find(requestId.toLowerCase(), { lock: true });
      if (!r || !conference.childIds.includes(r.childId))
        throw problem('The conference must be about the child the request for a conference was made about');
      if (r.status !== 'agreed') throw problem('Only an agreed request for a conference can be answered by one');
      if (r.conference || !(await repos.conferenceRequests.linkConference(r.id, conference.id)))
        throw problem('A conference has already been convened for this request');
      let messageId: string | null = null;
      if (r.requesterEmail) {
        const child = (await repos.people.findChild(r.childId))!;
        ({ messageId } = await mail().queueWithin(repos, {
          template: CONVENED_TEMPLATE,
          to: r.requesterEmail,
          values: {
            requester_name: r.requesterName,
            child_reference: child.localReference,
            requested_on: formatLongDate(londonDateOf(r.recordedAt)),
            conference_date: formatLongDate(parseIsoDate(conference.scheduledDate)),
            conference_time: formatClockTime(conference.startTime),
          },
          about: { subjectType: SUBJECT_TYPE, subjectId: r.id, ctx },
        }));
        await repos.conferenceRequests.markConvenedTold(r.id, messageId);
      }
      await audit(
        repos,
        ctx,
        'conference-request.convened',
        { type: SUBJECT_TYPE, id: r.id },
        { childId: r.childId, conferenceId: conference.id, requesterEmailed: messageId !== null },
      );
      return { messageId };
    },
    dispatch: (messageId) => mail().dispatch(messageId),
  };
}
