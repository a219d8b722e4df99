/** What the conference pages share: how an invitee, an agency and a report read, and due dates in a sentence. */
import type { InviteeView, ReportView } from '../../../app/conferences/convening-service.ts';
import { DOCUMENT_FORMAT_LABELS } from '../../../app/blobs/document-format.ts';
import type { Deadline } from '../../../domain/calendar/index.ts';
import { describeReportSharing } from '../../../domain/conferences/invitations.ts';
import { interpreterNote } from '../../../domain/conferences/invitees.ts';
import { AGENCY_KIND_LABELS, type AgencyKind, RELATIONSHIP_LABELS } from '../../../domain/people/index.ts';
import { deadlineText } from './convening-forms.ts';

/** "by Friday 20 March 2026, counted from …" for a sentence. */
export function stillNeededText(d: Deadline): string {
  const t = deadlineText(d);
  return t.charAt(0).toLowerCase() + t.slice(1);
}

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

/** For the few values that go into `html` (line breaks between escaped parts). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
