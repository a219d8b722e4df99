/** The dashboard API's answers, built from the dashboard view. */
import type { z } from 'zod';
import type { DashboardView } from '../../../app/conferences/dashboard-service.ts';
import type { DashboardChild, DashboardItem, DueDate, StaffName } from '../../../domain/conferences/dashboard.ts';
import { CONFERENCE_TYPE_LABELS } from '../../../domain/conferences/decisions.ts';
import { STATUS_LABELS } from '../../../domain/conferences/lifecycle.ts';
import { ARRANGEMENT_LABELS } from '../../../domain/documents/arrangements.ts';
import type { dashboardSchema } from './schemas.ts';

const child = (c: DashboardChild) => ({ id: c.id, givenNames: c.givenNames, familyName: c.familyName });
const staff = (s: StaffName | null) => (s ? { id: s.id, name: s.name } : null);
const due = (d: DueDate) => ({
  rule: d.rule,
  ruleId: d.ruleId,
  title: d.title,
  due: d.due,
  from: d.from,
  basis: d.basis,
  text: d.text,
  status: d.status,
  workingDaysLeft: d.workingDaysLeft,
});

export function itemOut(item: DashboardItem) {
  const c = item.conference;
  const base = {
    key: item.key,
    conference: {
      id: c.id,
      type: c.type,
      typeLabel: CONFERENCE_TYPE_LABELS[c.type],
      status: c.status,
      statusLabel: STATUS_LABELS[c.status],
      scheduledDate: c.scheduledDate,
      startTime: c.startTime,
      chair: staff(c.chair),
      children: c.children.map(child),
    },
    concerning: item.concerning.map(child),
    status: item.status,
    due: item.due ? due(item.due) : null,
  };
  switch (item.section) {
    case 'upcoming':
      return { ...base, section: item.section, due: due(item.due), scheduledAfterDue: item.scheduledAfterDue };
    case 'overdue':
      return {
        ...base,
        section: item.section,
        due: due(item.due),
        pastDue: item.pastDue,
        scheduledAfterDue: item.scheduledAfterDue,
        plannedDatePassed: item.plannedDatePassed,
        lateAgreement: item.lateAgreement,
      };
    case 'cancelled':
      return { ...base, section: item.section, due: due(item.due) };
    case 'reviews-due':
      return {
        ...base,
        section: item.section,
        due: due(item.due),
        reviewDates: item.reviewDates.map((r) => ({ childId: r.child.id, nextReviewDate: r.nextReviewDate })),
        reviewDateAfterDue: item.reviewDateAfterDue,
      };
    case 'missing-reports':
      return { ...base, section: item.section, due: due(item.due), missing: item.missing, notShared: item.notShared };
    case 'records-due':
      return {
        ...base,
        section: item.section,
        decisionsRecorded: item.decisionsRecorded,
        deadlines: item.deadlines.map(due),
        documents: item.documents.map((doc) => ({
          kind: doc.kind,
          label: doc.label,
          subjectInviteeId: doc.subjectInviteeId,
          state: doc.state,
          stateLabel: doc.stateLabel,
          due: doc.due ? due(doc.due) : null,
          status: doc.status,
        })),
      };
    case 'document-tasks':
      return {
        ...base,
        section: item.section,
        status: null,
        due: null,
        task: {
          id: item.task.id,
          documentKind: item.task.kind,
          documentLabel: item.documentLabel,
          recipientName: item.task.recipientName,
          arrangement: item.task.arrangement,
          arrangementLabel: ARRANGEMENT_LABELS[item.task.arrangement],
          language: item.task.language,
          detail: item.task.detail,
          createdAt: item.task.createdAt.toISOString(),
        },
      };
    case 'amendments':
      return {
        ...base,
        section: item.section,
        due: due(item.due),
        request: {
          id: item.request.id,
          documentKind: item.request.kind,
          documentLabel: item.documentLabel,
          issueNumber: item.request.issueNumber,
          receivedOn: item.request.receivedOn,
          recordReceivedOn: item.request.recordReceivedOn,
          dueOn: item.request.dueOn,
          late: item.request.late,
          points: item.request.points,
        },
      };
    case 'dissent':
      return { ...base, section: item.section, state: item.state, referral: item.referral };
    case 'plan-ended':
      return { ...base, section: item.section, due: due(item.due) };
    case 'core-groups':
      return {
        ...base,
        section: item.section,
        due: null,
        coreGroup: {
          which: item.coreGroup.which,
          due: item.coreGroup.due,
          basis: item.coreGroup.basis,
          status: item.coreGroup.status,
          workingDaysLeft: item.coreGroup.workingDaysLeft,
          firstDateAfterLimit: item.coreGroup.firstDateAfterLimit,
          scheduledInTime: item.coreGroup.scheduledInTime,
          nextScheduled: item.coreGroup.nextScheduled,
        },
      };
    case 'lead-social-worker':
      return { ...base, section: item.section, due: null, deadline: item.deadline };
    case 'family-meetings':
      return { ...base, section: item.section, due: null, workingDaysLeft: item.workingDaysLeft };
    case 'interpreters':
      return {
        ...base,
        section: item.section,
        due: null,
        missing: item.missing.map((m) => ({ language: m.language, people: m.people })),
      };
  }
}

/** The address of another page of the same view, for the API's next and previous links. */
function pageHref(view: DashboardView, page: number): string {
  const params = new URLSearchParams();
  const { section, chair, status, type } = view.filter;
  if (section) params.set('section', section);
  params.set('chair', chair);
  if (status) params.set('status', status);
  if (type) params.set('type', type);
  params.set('page', String(page));
  return `/api/v1/dashboard?${params.toString()}`;
}

export function dashboardOut(view: DashboardView): z.infer<typeof dashboardSchema> {
  const { page, pageCount, pageSize, total } = view.paging;
  return {
    today: view.today,
    horizon: view.horizon,
    scope: { chair: staff(view.scope.chair), mine: view.scope.mine },
    filter: view.filter,
    counts: view.counts,
    visibleSections: view.visibleSections,
    sections: view.sections.map((s) => ({
      key: s.key,
      title: s.title,
      description: s.description,
      total: s.total,
      items: s.items.map(itemOut),
    })) as z.infer<typeof dashboardSchema>['sections'],
    paging: {
      page,
      pageCount,
      pageSize,
      total,
      next: page < pageCount ? pageHref(view, page + 1) : null,
      prev: page > 1 ? pageHref(view, page - 1) : null,
    },
    covertIncidents: view.covertIncidents.map((i) => ({
      id: i.id,
      conferenceId: i.conference.id,
      conferenceType: i.conference.type,
      scheduledDate: i.conference.scheduledDate,
      foundOn: i.foundOn,
      actionCount: i.actionCount,
    })),
    recordingRequests: {
      waiting: view.recordingRequests.waiting,
      shortNotice: view.recordingRequests.shortNotice,
      soonestStartsAt: view.recordingRequests.soonestStartsAt?.toISOString() ?? null,
      timeLeft: view.recordingRequests.timeLeft,
      unconfirmed: view.recordingRequests.unconfirmed,
    },
  };
}
