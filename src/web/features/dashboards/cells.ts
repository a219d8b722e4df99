/**
 * One dashboard row's cells, for each kind of item: plain parts (text, a link, a tag), so the template escapes
 * everything and no HTML is built here. Links carry ids only, never names.
 */
import { type DashboardItem, timeLeftText } from '../../../domain/conferences/dashboard.ts';
import { CONFERENCE_TYPE_LABELS } from '../../../domain/conferences/decisions.ts';
import { ARRANGEMENT_LABELS } from '../../../domain/documents/arrangements.ts';
import { STATUS_LABELS } from '../../../domain/conferences/lifecycle.ts';
import { coreGroupDueText } from '../../../domain/core-groups/core-groups.ts';
import {
  type Cell,
  type Part,
  text,
  longDate,
  dayDate,
  STATE_TAG_CLASSES,
  documentsHref,
  chairCell,
  tag,
  dueParts,
  childLinks,
  conferenceWords,
  conferenceLink,
  conferenceParts,
} from './cell-parts.ts';

export type { Cell, Part } from './cell-parts.ts';

export function cellsFor(item: DashboardItem): Cell[] {
  switch (item.section) {
    case 'upcoming':
      return [
        [text(dayDate(item.conference.scheduledDate)), text(item.conference.startTime, { secondary: true })],
        [conferenceLink(item, CONFERENCE_TYPE_LABELS[item.conference.type])],
        childLinks(item.conference.children),
        chairCell(item),
        [text(STATUS_LABELS[item.conference.status])],
        [
          ...dueParts(item.due),
          ...(item.scheduledAfterDue ? [text('Planned for after the due date', { bold: true })] : []),
        ],
      ];
    case 'overdue': {
      const problems: Part[] = [];
      if (item.pastDue) problems.push(text('Not held by the due date'));
      if (item.scheduledAfterDue)
        problems.push(text(`Planned for after the due date, on ${longDate(item.conference.scheduledDate)}`));
      if (item.plannedDatePassed)
        problems.push(text('The planned date has passed but the conference was not opened', { secondary: true }));
      return [
        conferenceParts(item),
        childLinks(item.conference.children),
        chairCell(item),
        problems,
        item.lateAgreement
          ? [
              text(`Agreed by ${item.lateAgreement.agreedBy}`),
              text(`Reason: ${item.lateAgreement.reason}`, { secondary: true }),
            ]
          : [text('No late agreement recorded', { bold: true })],
        dueParts(item.due),
      ];
    }
    case 'cancelled':
      return [
        [
          conferenceLink(item, CONFERENCE_TYPE_LABELS[item.conference.type]),
          text(`Was planned for ${dayDate(item.conference.scheduledDate)}`, { secondary: true }),
        ],
        childLinks(item.conference.children),
        chairCell(item),
        [...dueParts(item.due), text('No new conference planned yet', { bold: true })],
      ];
    case 'reviews-due':
      return [
        childLinks(item.concerning),
        conferenceParts(item),
        item.reviewDates
          .map((r) =>
            text(`${r.child.givenNames}: ${r.nextReviewDate ? longDate(r.nextReviewDate) : 'not set in the plan'}`),
          )
          .concat(
            item.reviewDateAfterDue
              ? [text('A review date in the plan is after the statutory due date', { bold: true })]
              : [],
          ),
        chairCell(item),
        dueParts(item.due),
      ];
    case 'missing-reports':
      return [
        conferenceParts(item),
        childLinks(item.conference.children),
        chairCell(item),
        [
          ...(item.missing.length
            ? [text('No report from:', { bold: true }), ...item.missing.map((a) => text(a.name))]
            : []),
          ...(item.notShared.length
            ? [
                text('Not shared with the family in time:', { bold: true }),
                ...item.notShared.map((r) =>
                  text(
                    r.sharedOn
                      ? `${r.agency.name} (shared ${longDate(r.sharedOn)}, late)`
                      : `${r.agency.name} (not shared yet)`,
                  ),
                ),
              ]
            : []),
        ],
        dueParts(item.due),
      ];
    case 'records-due':
      return [
        conferenceParts(item),
        childLinks(item.conference.children),
        chairCell(item),
        item.decisionsRecorded
          ? [
              ...item.documents.flatMap((doc): Part[] => [
                text(doc.label, { bold: true }),
                { kind: 'tag', text: doc.stateLabel, classes: STATE_TAG_CLASSES[doc.state] },
                // T-6 / T-7: which recipients' copies have not gone yet.
                ...(doc.sending && doc.sending.missing.length
                  ? [text(`Not yet sent to ${doc.sending.missing.join(', ')}`, { secondary: true })]
                  : []),
                ...(doc.due === null
                  ? [text('No timescale: send it as soon as it is approved', { secondary: true })]
                  : doc.status === 'met'
                    ? [text(doc.due.text, { secondary: true })]
                    : dueParts(doc.due)),
              ]),
              {
                kind: 'link',
                text: 'Documents',
                href: documentsHref(item.conference.id),
                hidden: ` for the ${CONFERENCE_TYPE_LABELS[item.conference.type].toLowerCase()}${conferenceWords(item)}`,
              },
            ]
          : [
              text('Decisions not recorded: the conference is still open', { bold: true }),
              ...item.deadlines.flatMap((d) => [text(d.title, { bold: true }), ...dueParts(d, 'Date passed')]),
            ],
      ];
    case 'document-tasks':
      return [
        [text(item.task.recipientName)],
        [text(item.documentLabel)],
        [
          text(ARRANGEMENT_LABELS[item.task.arrangement]),
          ...(item.task.language ? [text(`Language: ${item.task.language}`, { secondary: true })] : []),
          ...(item.task.detail ? [text(item.task.detail, { secondary: true })] : []),
        ],
        conferenceParts(item),
        [
          {
            kind: 'link',
            text: 'Mark as done',
            href: documentsHref(item.conference.id),
            hidden: `: ${ARRANGEMENT_LABELS[item.task.arrangement].toLowerCase()} for ${item.task.recipientName}`,
          },
        ],
      ];
    case 'amendments':
      return [
        conferenceParts(item),
        [
          text(item.documentLabel),
          text(`${item.request.points} ${item.request.points === 1 ? 'point' : 'points'}`, { secondary: true }),
          ...(item.request.late ? [text('Received after the 10 working days', { bold: true })] : []),
        ],
        dueParts(item.due),
        [
          {
            kind: 'link',
            text: 'Open the request',
            href: `/conferences/${item.conference.id}/amendments/${item.request.id}`,
            hidden: ` about the ${item.documentLabel.toLowerCase()}${conferenceWords(item)}`,
          },
        ],
      ];
    case 'dissent':
      return [
        conferenceParts(item),
        childLinks(item.concerning),
        [
          text(`Referred to ${item.referral.referredTo} on ${longDate(item.referral.referredOn)}`),
          ...(item.referral.reviewedOn
            ? [text(`Reviewed on ${longDate(item.referral.reviewedOn)}: the conference is to be reconvened`)]
            : []),
        ],
        item.due
          ? [...dueParts(item.due), text('No reconvened conference planned yet', { bold: true })]
          : [
              { kind: 'tag', text: 'Awaiting review', classes: 'govuk-tag--grey' },
              text(
                'The procedure sets no timescale for the senior manager’s review itself; D-1 times the reconvened conference from the review date.',
                { secondary: true },
              ),
            ],
      ];
    case 'plan-ended':
      return [childLinks(item.concerning), conferenceParts(item), chairCell(item), dueParts(item.due)];
    case 'core-groups': {
      const child = item.concerning[0]!;
      const g = item.coreGroup;
      return [
        childLinks(item.concerning),
        conferenceParts(item),
        [
          tag(g.status),
          text(coreGroupDueText(g)),
          text(timeLeftText(g.status, g.workingDaysLeft), { secondary: true }),
          ...(g.nextScheduled
            ? [text(`Next meeting booked: ${dayDate(g.nextScheduled)}`, { secondary: !g.scheduledInTime, bold: false })]
            : [text('No meeting booked', { bold: true })]),
        ],
        [
          {
            kind: 'link',
            text: 'Core group',
            href: `/children/${child.id}/core-groups`,
            hidden: ` of ${child.givenNames} ${child.familyName}`,
          },
        ],
      ];
    }
    case 'lead-social-worker': {
      const child = item.concerning[0]!;
      return [
        childLinks(item.concerning),
        conferenceParts(item),
        item.deadline && item.status
          ? [tag(item.status), text(`Appoint by the first core group on ${dayDate(item.deadline)}`)]
          : [text('No first core group date is set: appoint one now', { bold: true })],
        [
          {
            kind: 'link',
            text: 'Appoint a lead social worker',
            href: `/children/${child.id}/lead-social-worker`,
            hidden: ` for ${child.givenNames} ${child.familyName}`,
          },
        ],
      ];
    }
    case 'family-meetings':
      // 002 §4.1: the chair meets the child and family before the conference.
      return [
        [
          text(dayDate(item.conference.scheduledDate)),
          ...(item.status
            ? [tag(item.status), text(timeLeftText(item.status, item.workingDaysLeft), { secondary: true })]
            : []),
        ],
        conferenceParts(item),
        childLinks(item.concerning),
        chairCell(item),
        [
          {
            kind: 'link',
            text: 'Record meeting the family',
            href: `/conferences/${item.conference.id}/chair/family-meeting`,
            hidden: conferenceWords(item),
          },
        ],
      ];
    case 'interpreters':
      return [
        conferenceParts(item),
        childLinks(item.concerning),
        chairCell(item),
        item.missing.map((m) =>
          text(`${m.language}: ${m.people} ${m.people === 1 ? 'person needs' : 'people need'} an interpreter`),
        ),
        [
          {
            kind: 'link',
            text: 'Invite an interpreter',
            href: `/conferences/${item.conference.id}/invitations/interpreter`,
            hidden: conferenceWords(item),
          },
        ],
      ];
  }
}
