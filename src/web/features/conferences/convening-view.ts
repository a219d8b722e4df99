import type { ConferenceOverview, InviteeView, ReportView } from '../../../app/conferences/convening-service.ts';
import { DOCUMENT_FORMAT_LABELS } from '../../../app/blobs/document-format.ts';
import { RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../../domain/access/roles.ts';
import { compareIsoDates, formatLongDate, londonDateOf, weekdayName } from '../../../domain/calendar/index.ts';
import {
  describeInvitationMethod,
  describeReportSharing,
  formatClockTime,
  formatDuration,
  VENUE_KIND_LABELS,
} from '../../../domain/conferences/invitations.ts';
import {
  INVITEE_KIND_LABELS,
  interpreterNote,
  isSupporterKind,
  mayUseInterpreter,
} from '../../../domain/conferences/invitees.ts';
import { type ConferenceLink, describeLink } from '../../../domain/conferences/reconvening.ts';
import { AGENCY_KIND_LABELS, type AgencyKind, RELATIONSHIP_LABELS } from '../../../domain/people/index.ts';
import { deadlineText } from './convening-forms.ts';

const RAG_CLASSES: Record<string, string> = {
  green: 'govuk-tag--green',
  amber: 'govuk-tag--yellow',
  red: 'govuk-tag--red',
  grey: 'govuk-tag--grey',
};
const RAG_TEXT: Record<string, string> = {
  'shared-in-time': 'In time',
  'shared-late': 'Late',
  'police-not-shared': 'Police: not shared',
  withheld: 'Withheld',
};

/** "Luton Police (Police)"; the kind is left out when the name already says it ("Children’s social care"). */
export function agencyText(name: string, kind: AgencyKind | null): string {
  return kind && AGENCY_KIND_LABELS[kind].toLowerCase() !== name.toLowerCase()
    ? `${name} (${AGENCY_KIND_LABELS[kind]})`
    : name;
}

export function inviteeDescription(i: InviteeView): string[] {
  const need = interpreterNote(i.kind, i.interpreterLanguage);
  if (i.kind === 'professional' || i.kind === 'interpreter') {
    const lines = [[i.roleTitle, i.agencyName && agencyText(i.agencyName, i.agencyKind)].filter(Boolean).join(', ')];
    // Q-1 counts children's social care whatever its contact; other agencies only with direct contact.
    if (i.kind === 'professional' && i.agencyKind !== 'childrens_social_care')
      lines.push(
        i.directContact
          ? 'Direct contact with the child and family: yes'
          : 'Direct contact with the child and family: no',
      );
    if (i.agencyKind === 'childrens_social_care') lines.push('Counts as children’s social care for quoracy');
    if (need) lines.push(need);
    return lines;
  }
  const lines =
    i.kind === 'child'
      ? ['The child']
      : i.links.map(
          (l) =>
            `${RELATIONSHIP_LABELS[l.relationship]} of ${l.childGivenNames}: ${l.parentalResponsibility ? 'has parental responsibility' : 'no parental responsibility'}`,
        );
  return need ? [...lines, need] : lines;
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

export function reportView(r: ReportView) {
  return {
    ...r,
    formatLabel: r.format ? DOCUMENT_FORMAT_LABELS[r.format] : 'Unknown',
    sizeText:
      r.sizeBytes === null
        ? ''
        : r.sizeBytes < 1024 * 1024
          ? `${Math.max(1, Math.round(r.sizeBytes / 1024))} KB`
          : `${(r.sizeBytes / (1024 * 1024)).toFixed(1)} MB`,
    tag: {
      text:
        RAG_TEXT[r.sharing.state] ??
        (r.sharing.rag === 'red' ? 'Overdue' : r.sharing.rag === 'amber' ? 'Due soon' : 'Not shared yet'),
      classes: RAG_CLASSES[r.sharing.rag],
    },
    sharingText: describeReportSharing(r.sharing),
    canShare: !r.sharedWithFamilyOn && !r.withheldFromFamily,
  };
}

/** The conference page's view model: every due date names its rule and the date it runs from. */
export function conferencePageView(o: ConferenceOverview, actor: Actor) {
  const c = o.conference;
  const canEdit = o.open && hasAnyRole(actor, RECORD_EDITOR_ROLES);
  const storedDueDiffers = c.dueDate !== (o.deadline.latest ?? o.deadline.due);
  return {
    o,
    c,
    canEdit,
    canHold: actor.roles.includes('chair') && o.open,
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
    })),
    reports: o.reports.map(reportView),
    reconvenes: linkView(c.reconvenes),
    reconvenedAs: linkView(c.reconvenedAs),
    reconvene: o.reconvene,
    // The social worker's report is the children's social care report (T-5 applies to it as to any other).
    cscReportReceived: o.reports.some((r) => r.agencyKind === 'childrens_social_care'),
    reportsWaiting: o.reports.filter((r) => !r.sharedWithFamilyOn && !r.withheldFromFamily && !r.isPolice).length,
  };
}

/** For the few values that go into `html` (line breaks between escaped parts). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
