/**
 * What the emails to someone who asked for a copy say about the conference (000 Appendix 1 and 2): the chair
 * who passed the request on and the date of the conference the recording is of.
 */
import { formatLongDate } from '../../domain/calendar/index.ts';
import type { CopyRequest } from '../../domain/requests/index.ts';
import type { Repositories } from '../unit-of-work.ts';

export interface ConferenceEmailValues {
  chair_name: string;
  conference_date: string;
}

/**
 * 000 Appendix 1: "I have been advised by (the chair), conference chair ... on (the date of the conference)". The
 * chair is the one who passed the request on, else the conference's chair; a value is always given, as the
 * email needs one.
 */
export async function conferenceEmailValues(
  repos: Repositories,
  r: Pick<CopyRequest, 'conferenceId' | 'chairId'>,
): Promise<ConferenceEmailValues> {
  const conference = await repos.meeting.findConference(r.conferenceId);
  const referrer = r.chairId ? await repos.accounts.findUserById(r.chairId) : null;
  return {
    chair_name: referrer?.name ?? conference?.chairName ?? 'the conference chair',
    conference_date: conference ? formatLongDate(conference.scheduledDate) : 'the date of the conference',
  };
}
