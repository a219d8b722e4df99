/**
 * The chair (002 §4.1), what its pages share: the chair's independence of the case (the reasons recorded when a chair
 * is not) and the chair's meeting with the child and family before the conference. The use cases check access per
 * child and audit; the pages read forms and show.
 */
import type { ChairingService, ChairingView } from '../../../../app/conferences/chairing/service.ts';
import type { ConveningService } from '../../../../app/conferences/convening-service.ts';
import type { ChairIndependence } from '../../../../app/conferences/chairing/independence.ts';
import { RECORD_EDITOR_ROLES } from '../../../../domain/access/child-access.ts';
import { formatLongDate, londonDateOf } from '../../../../domain/calendar/index.ts';
import { concernSentences } from '../../../../domain/conferences/chairing.ts';
import { pageRenderer } from '../../../forms/index.ts';

export interface ChairingPagesOptions {
  chairing: ChairingService;
  convening: Pick<ConveningService, 'staffChoices'>;
}

/** Changing the chair and recording the meeting with the family: who may edit the children's records. */
export const EDIT = { access: RECORD_EDITOR_ROLES };

export const render = pageRenderer('conferences/chairing');

export const conferenceHref = (id: string) => `/conferences/${id}`;
export const chairHref = (id: string) => `/conferences/${id}/chair`;
export const familyMeetingHref = (id: string) => `/conferences/${id}/chair/family-meeting`;
export const coverHref = (id: string) => `/conferences/${id}/chair/cover`;

const OCCASION_TEXT = { convened: 'when the conference was convened', 'chair-changed': 'when the chair was changed' };

/** Check-your-answers rows for a chair who is not independent: why not, and the reason given. */
export function chairIndependenceRows(
  chairName: string,
  independence: ChairIndependence | undefined,
  change: (step: 'arrangements', field: string, what: string) => unknown,
) {
  if (!independence?.concerns.length) return [];
  return [
    {
      key: { text: 'Chair’s independence' },
      value: { text: `${concernSentences(chairName, independence.concerns).join('. ')}.` },
    },
    {
      key: { text: 'Why they chair it' },
      value: { text: independence.reason ?? '' },
      actions: change('arrangements', 'chairIndependenceReason', 'why they chair it'),
    },
  ];
}

/** The conference page's chairing section: the chair's independence, and meeting the family beforehand. */
export function chairingSection(v: ChairingView, canEdit: boolean) {
  const m = v.familyMeeting;
  return {
    canEdit: canEdit && v.status === 'planned',
    canRecordMeeting: canEdit && v.status !== 'cancelled',
    changeHref: chairHref(v.conferenceId),
    familyMeetingHref: familyMeetingHref(v.conferenceId),
    concernText: v.chair && v.concerns.length ? `${concernSentences(v.chair.name, v.concerns).join('. ')}.` : null,
    reasons: v.reasons.map((r) => ({
      heading: `${r.chairName}, ${OCCASION_TEXT[r.occasion]}`,
      reason: r.reason,
      recorded: `Recorded by ${r.recordedByName} on ${formatLongDate(londonDateOf(r.recordedAt))}`,
    })),
    familyMeeting: m
      ? {
          text: m.met
            ? `Met ${m.whoMet} on ${formatLongDate(m.metOn)}`
            : `Did not meet the child and family: ${m.notMetReason}`,
          recorded: `Recorded by ${m.recordedByName} on ${formatLongDate(londonDateOf(m.recordedAt))}`,
        }
      : null,
    familyMeetingDue: v.familyMeetingDue,
    // 002 §4.1: the chair covering for the assigned chair, and recording one.
    cover: v.cover
      ? {
          text: `${v.cover.coverChairName} is covering for the chair: ${v.cover.reason}`,
          recorded: `Recorded by ${v.cover.recordedByName} on ${formatLongDate(londonDateOf(v.cover.recordedAt))}`,
        }
      : null,
    coverHref: v.canRecordCover && v.status !== 'cancelled' ? coverHref(v.conferenceId) : null,
  };
}
