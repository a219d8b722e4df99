/**
 * A conference's page (one audited `conference.view`): its arrangements, every due date with its rule
 * and the date it runs from, the children, invitations (and how each went), reports, recordings, and
 * its changes or cancellation, the family's requests to record and the chairing.
 */
import type { FastifyInstance } from 'fastify';
import type { ConferenceOverview, InviteeView } from '../../../app/conferences/convening-service.ts';
import type { ConferenceLifecycle } from '../../../app/conferences/rearrangement-service.ts';
import type { Services } from '../../../composition.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../../domain/access/roles.ts';
import {
  type IsoDate,
  compareIsoDates,
  formatLongDate,
  londonDateOf,
  weekdayName,
} from '../../../domain/calendar/index.ts';
import {
  describeInvitationMethod,
  formatClockTime,
  formatDuration,
  VENUE_KIND_LABELS,
} from '../../../domain/conferences/invitations.ts';
import { INVITEE_KIND_LABELS, isSupporterKind, mayUseInterpreter } from '../../../domain/conferences/invitees.ts';
import { interpretersNotBooked, interpretersNotBookedText } from '../../../domain/conferences/interpreters.ts';
import { CHANGE_KIND_LABELS } from '../../../domain/conferences/rearrangement.ts';
import { type ConferenceLink, describeLink } from '../../../domain/conferences/reconvening.ts';
import { formatBytes } from '../../../domain/shared/bytes.ts';
import { idParams, requestContext } from '../../forms/index.ts';
import { unpermittedRows } from '../recording-incidents/overview.ts';
import { deadlineText } from './convening-forms.ts';
import { inviteeDescription, reportView, stillNeededText } from './convening-view.ts';
import { groundsRows } from './convening/grounds.ts';
import { chairingSection } from './chairing/shared.ts';

export interface ConferencePageServices {
  conferenceView: Services['conferenceView'];
}

export function conferencePage(app: FastifyInstance, { conferenceView }: ConferencePageServices): void {
  app.get('/conferences/:id', { config: { access: CHILD_RECORD_ROLES } }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const actor = request.actor!;
    // Everything the page shows, after one access check, audited once (conference-view.ts).
    const view = await conferenceView.viewConference(actor, id, requestContext(request));
    const { overview } = view;
    // Changes, cancellation and how each invitation went.
    const life = lifecyclePageView(overview, view.life, actor);
    const page = conferencePageView(overview, actor);
    // The conference's recordings by the names that tell them apart (those not stored are on the recordings page).
    const recordingList = view.recordings
      .filter((r) => r.status !== 'rejected')
      .map((r) => ({ href: `/recordings/${r.id}`, name: r.name, stored: r.status === 'stored' }));
    return reply.view('conferences/convening/conference.njk', {
      title: overview.typeLabel,
      ...page,
      invitees: life.withSending(page.invitees),
      life,
      recordingList,
      // P-8: anyone asked to stop recording against the parents' wishes, with the time of each step.
      unpermitted: unpermittedRows({ unpermitted: view.unpermitted }),
      // P-4 to P-7: requests by the family to record, everyone's answers and the outcome, and what the chair must do.
      familyRecording: view.familyRecording,
      // 002 §4.1: the chair's independence of the case and meeting the family beforehand.
      chairing: chairingSection(view.chairing, page.canEdit),
    });
  });
}

function sentText(i: InviteeView): string {
  const how = describeInvitationMethod(i.invitationMethod);
  const sent = i.invitedAt ? `${how}, ${formatLongDate(londonDateOf(i.invitedAt))}` : how;
  return i.latestIssue && i.latestIssue.issueNumber > 1 ? `${sent} (sent ${i.latestIssue.issueNumber} times)` : sent;
}

/** "Initial child protection conference on 2 March 2026 (adjourned: not quorate)" as a link's parts. */
function linkView(l: ConferenceLink | null) {
  return l
    ? { href: `/conferences/${l.id}`, text: describeLink(l), status: l.status === 'cancelled' ? ' (cancelled)' : '' }
    : null;
}

/** The conference page's view model: every due date names its rule and the date it runs from. */
function conferencePageView(o: ConferenceOverview, actor: Actor) {
  const c = o.conference;
  const canEdit = o.open && hasAnyRole(actor, RECORD_EDITOR_ROLES);
  const storedDueDiffers = c.dueDate !== (o.deadline.latest ?? o.deadline.due);
  return {
    o,
    c,
    canEdit,
    canHold: actor.roles.includes('chair') && o.open,
    // 002 §3.2: someone needs an interpreter and none is invited for that language (while the conference is planned).
    interpreterWarning: c.status === 'planned' ? interpretersNotBookedText(interpretersNotBooked(o.invitees)) : null,
    dateText: `${weekdayName(c.scheduledDate)} ${formatLongDate(c.scheduledDate)}`,
    timeText: `${formatClockTime(c.startTime)}${o.endTime ? ` to ${formatClockTime(o.endTime)}` : ''} (${formatDuration(c.durationMinutes)})`,
    venueLabel: VENUE_KIND_LABELS[c.venueKind],
    deadline: {
      text: deadlineText(o.deadline),
      explanation: o.deadline.explanation,
      storedDueDiffers,
      storedDue: formatLongDate(c.dueDate),
      inTime: o.deadline.earliest
        ? compareIsoDates(c.scheduledDate, o.deadline.earliest) >= 0 &&
          compareIsoDates(c.scheduledDate, o.deadline.latest!) <= 0
        : compareIsoDates(c.scheduledDate, o.deadline.due) <= 0,
    },
    reportsDeadline: { text: deadlineText(o.reportsDeadline), explanation: o.reportsDeadline.explanation },
    children: o.children.map((k) => ({
      ...k,
      born: k.dateOfBirth
        ? formatLongDate(k.dateOfBirth)
        : `Unborn, expected ${formatLongDate(k.expectedDeliveryDate!)}`,
      ageText: k.ageOnConferenceDate === null ? 'Not born yet' : `${k.ageOnConferenceDate}`,
    })),
    invitees: o.invitees.map((i) => ({
      ...i,
      kindLabel: INVITEE_KIND_LABELS[i.kind],
      supporter: isSupporterKind(i.kind),
      description: inviteeDescription(i),
      sentText: sentText(i),
      interpreterQuestion: mayUseInterpreter(i.kind),
      // 002 §3.2: a friend or supporter the chair has barred.
      barred: o.barredInviteeIds.includes(i.id),
    })),
    reports: o.reports.map(reportView),
    // 002 §3.2: parents' own reports, beside the agencies' (participation/ keeps and opens them).
    parentReports: o.parentReports.map((r) => ({
      id: r.id,
      parentName: r.parentName,
      href: `/conferences/${c.id}/participation/reports/${r.id}`,
      receivedText: formatLongDate(r.receivedOn as IsoDate),
      what: r.source === 'typed' ? 'Typed in for them' : `${r.format.toUpperCase()}, ${formatBytes(r.sizeBytes)}`,
    })),
    participationHref: `/conferences/${c.id}/participation`,
    reconvenes: linkView(c.reconvenes),
    reconvenedAs: linkView(c.reconvenedAs),
    reconvene: o.reconvene,
    // 002 §1.3, §2.2: why it is held: a pre-birth conference's grounds and premature flag; a review brought forward.
    groundsRows: groundsRows(o.grounds),
    // The social worker's report is the children's social care report (T-5 applies to it as to any other).
    cscReportReceived: o.reports.some((r) => r.agencyKind === 'childrens_social_care'),
    reportsWaiting: o.reports.filter((r) => !r.sharedWithFamilyOn && !r.withheldFromFamily && !r.isPolice).length,
  };
}

const RAG_TAGS = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  'due-soon': { text: 'Due soon', classes: 'govuk-tag--yellow' },
  'on-track': { text: 'On track', classes: 'govuk-tag--green' },
} as const;

/** The page's part about its changes, its cancellation and how each invitation went. */
function lifecyclePageView(o: ConferenceOverview, life: ConferenceLifecycle, actor: Actor) {
  const planned = o.conference.status === 'planned';
  const editor = hasAnyRole(actor, RECORD_EDITOR_ROLES);
  const byInvitee = new Map(life.sending.map((s) => [s.inviteeId, s]));
  const changedOn = (d: Date) => formatLongDate(londonDateOf(d));
  return {
    canChange: planned && editor,
    canSend: editor && (planned || (o.conference.status === 'cancelled' && life.notices.length > 0)),
    cancellation: life.cancellation
      ? {
          on: changedOn(life.cancellation.changedAt),
          by: life.cancellation.changedBy.name,
          reason: life.cancellation.reason,
        }
      : null,
    stillNeeded: life.stillNeeded
      ? {
          text: stillNeededText(life.stillNeeded.deadline),
          explanation: life.stillNeeded.deadline.explanation,
          tag: RAG_TAGS[life.stillNeeded.status],
          title: o.typeLabel.toLowerCase(),
        }
      : null,
    recordedAfterwards: life.recordedAfterwards
      ? {
          on: changedOn(life.recordedAfterwards.changedAt),
          by: life.recordedAfterwards.changedBy.name,
          reason: life.recordedAfterwards.reason,
        }
      : null,
    changes: life.changes.map((c) => ({
      title: CHANGE_KIND_LABELS[c.kind],
      when: changedOn(c.changedAt),
      by: c.changedBy.name,
      lines: c.changes.map((x) => `${x.label}: was ${x.from}, now ${x.to}`),
      reason: c.reason,
      lateAgreedBy: c.lateAgreedBy,
    })),
    /** The invitation list's "sent" column, with how the service sent it (email status, posted, cancellation notice). */
    withSending<T extends { id: string; sentText: string }>(invitees: T[]): T[] {
      return invitees.map((i) => {
        const s = byInvitee.get(i.id);
        if (!s) return i;
        const parts = [i.sentText];
        if (['queued', 'sent', 'failed', 'to-post', 'posted'].includes(s.state)) parts.push(s.label);
        if (s.changedSinceIssued && !s.notice) parts.push('changed since it was sent');
        if (s.notice) parts.push(`cancellation notice: ${s.notice.label.toLowerCase()}`);
        return { ...i, sentText: parts.join('; ') };
      });
    },
  };
}
