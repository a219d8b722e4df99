/**
 * Watching timescales: which conferences, reviews, reports, letters, referrals and ended plans need
 * attention, and how urgently (red / amber / green by the rule that applies). Pure: the caller loads
 * the facts, checks who may see them, and passes "today" from its clock.
 *
 * Every due date carries the rule that made it and the date it counts from, so a person can check it
 * by hand ("Due 6 May 2025 — T-1, 15 working days from the strategy discussion on 10 April 2025").
 */
import { addDays, addWorkingDays, compareIsoDates, deadlineStatus, type IsoDate } from '../calendar/index.ts';
import {
  DOCUMENT_DEADLINES,
  DOCUMENT_STATE_LABELS,
  type DocumentState,
  neededDocuments,
} from '../documents/drafting.ts';
import { DOCUMENT_KIND_LABELS, type DocumentKind } from '../documents/model.ts';
import { documentDelivered, issuedLabel } from '../documents/sending.ts';
import { outcomeHasPlan } from './decisions.ts';
import { cancelledConferenceReplaced, replacementFrom } from './rearrangement.ts';
import { type DashboardSection, FAMILY_MEETING_WORKING_DAYS, DASHBOARD_HORIZON_DAYS } from './dashboard-sections.ts';
import type { DashboardConference, AgencyRef, DashboardFacts } from './dashboard-facts.ts';
import { conferenceDueStart, type DashboardRules, dueDescriber, TYPE_IN_TEXT } from './dashboard-dues.ts';
import type {
  ReviewDueItem,
  RecordDocument,
  AmendmentItem,
  PlanEndedItem,
  DashboardItem,
  DashboardSections,
} from './dashboard-items.ts';

export * from './dashboard-sections.ts';
export * from './dashboard-facts.ts';
export * from './dashboard-dues.ts';
export * from './dashboard-items.ts';
export * from './dashboard-filter.ts';

const POLICE = 'police';

const documentKey = (conferenceId: string, kind: DocumentKind, subjectInviteeId: string | null) =>
  `${conferenceId}:${kind}:${subjectInviteeId ?? ''}`;

function byDueThenDate(a: DashboardItem, b: DashboardItem): number {
  const da = a.due?.due;
  const db = b.due?.due;
  if (da !== db) {
    if (!da) return 1;
    if (!db) return -1;
    return compareIsoDates(da, db);
  }
  return compareIsoDates(a.conference.scheduledDate, b.conference.scheduledDate) || a.key.localeCompare(b.key);
}

function byConferenceDate(a: DashboardItem, b: DashboardItem): number {
  return (
    compareIsoDates(a.conference.scheduledDate, b.conference.scheduledDate) ||
    a.conference.startTime.localeCompare(b.conference.startTime) ||
    a.key.localeCompare(b.key)
  );
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const within = (d: IsoDate, from: IsoDate, to: IsoDate) => compareIsoDates(d, from) >= 0 && compareIsoDates(d, to) <= 0;

/**
 * Sorts the facts into the dashboard's sections. Only conferences in `facts.conferences` are listed,
 * so the caller removes those the person may not see (every child in them) before calling.
 */
export function classifyDashboard(
  facts: DashboardFacts,
  today: IsoDate,
  rules: DashboardRules,
  only: ReadonlySet<DashboardSection> | null = null,
): DashboardSections {
  // A view of one section classifies only that section (the others stay empty).
  const want = (s: DashboardSection) => only === null || only.has(s);
  const horizon = addDays(today, DASHBOARD_HORIZON_DAYS);
  const dues = dueDescriber(today, rules);
  const byId = new Map(facts.conferences.map((c) => [c.id, c]));
  const reportsOf = groupBy(facts.reports, (r) => r.conferenceId);
  const invitedOf = groupBy(facts.invitedAgencies, (i) => i.conferenceId);
  const childOf = (c: DashboardConference, childId: string) => c.children.find((ch) => ch.id === childId);
  // "No later conference planned": a conference for the child after the given date that is not cancelled or adjourned.
  const laterConferencePlanned = (childId: string, after: IsoDate) => {
    const latest = facts.latestConferenceDate.get(childId);
    return latest !== undefined && compareIsoDates(latest, after) > 0;
  };

  const othersOf = groupBy(
    facts.otherConferences.flatMap((o) => o.childIds.map((k) => ({ k, o }))),
    (x) => x.k,
  );
  const out: DashboardSections = {
    upcoming: [],
    overdue: [],
    cancelled: [],
    'reviews-due': [],
    'missing-reports': [],
    'records-due': [],
    'document-tasks': [],
    amendments: [],
    dissent: [],
    'plan-ended': [],
    'core-groups': [],
    'lead-social-worker': [],
    interpreters: [],
    'family-meetings': [],
  };
  // 002 §4.1: the last day the chair's meeting with the family is listed for.
  const familyMeetingHorizon = addWorkingDays(today, FAMILY_MEETING_WORKING_DAYS, rules.calendar);
  const outcomesOf = groupBy(facts.decisionOutcomes, (o) => o.conferenceId);
  const exclusionsOf = groupBy(facts.exclusions, (x) => x.conferenceId);
  const draftStates = new Map(
    facts.documents.map((doc) => [documentKey(doc.conferenceId, doc.kind, doc.subjectInviteeId), doc.status]),
  );
  const sendingOf = new Map(
    facts.documents.map((doc) => [documentKey(doc.conferenceId, doc.kind, doc.subjectInviteeId), doc.sending ?? null]),
  );

  for (const c of facts.conferences) {
    const base = { conference: c, concerning: c.children, filterType: c.type };
    const notYetHeld = c.status === 'planned';
    const inWindow = within(c.scheduledDate, today, horizon);

    if (want('upcoming') && (c.status === 'planned' || c.status === 'in-progress') && inWindow) {
      const due = dues.conference(c);
      out.upcoming.push({
        ...base,
        section: 'upcoming',
        key: `upcoming:${c.id}`,
        due,
        status: due.status,
        scheduledAfterDue: compareIsoDates(c.scheduledDate, c.dueDate) > 0,
      });
    }

    // 002 §4.1: the chair meets the child and family before the conference; a to-do until it is recorded.
    if (
      want('family-meetings') &&
      notYetHeld &&
      c.familyMeetingRecorded === false &&
      within(c.scheduledDate, today, familyMeetingHorizon)
    ) {
      const s = deadlineStatus(today, c.scheduledDate, rules.calendar, rules.amberWorkingDays ?? 5);
      out['family-meetings'].push({
        ...base,
        section: 'family-meetings',
        key: `family-meetings:${c.id}`,
        status: s.status,
        due: null,
        workingDaysLeft: s.workingDaysLeft,
      });
    }

    // T-1 … T-4 (and D-1): not held by the due date, or planned for after it.
    if (want('overdue') && notYetHeld) {
      const pastDue = compareIsoDates(today, c.dueDate) > 0;
      const scheduledAfterDue = compareIsoDates(c.scheduledDate, c.dueDate) > 0;
      if (pastDue || scheduledAfterDue) {
        const due = dues.conference(c);
        out.overdue.push({
          ...base,
          section: 'overdue',
          key: `overdue:${c.id}`,
          due,
          status: due.status,
          pastDue,
          scheduledAfterDue,
          plannedDatePassed: compareIsoDates(c.scheduledDate, today) < 0,
          lateAgreement:
            c.lateAgreedBy?.trim() && c.lateReason?.trim()
              ? { agreedBy: c.lateAgreedBy.trim(), reason: c.lateReason.trim() }
              : null,
        });
      }
    }

    // T-1, T-2, T-4 after a cancellation: the children still need the conference until it is replaced (the
    // conference page's rule). A cancelled review is under reviews falling due; a cancelled reconvened one under dissent.
    if (
      want('cancelled') &&
      c.status === 'cancelled' &&
      c.type !== 'review' &&
      c.dueRule !== 'reconvene-after-dissent'
    ) {
      const childIds = c.children.map((k) => k.id);
      const others = [...new Set(childIds.flatMap((k) => (othersOf.get(k) ?? []).map((x) => x.o)))];
      const from = conferenceDueStart(c).from;
      const since = from ? replacementFrom(c.type, from, rules.settings) : c.scheduledDate;
      if (
        !cancelledConferenceReplaced(
          { id: c.id, type: c.type, status: c.status, scheduledDate: c.scheduledDate, childIds },
          since,
          others,
        )
      ) {
        const due = dues.conference(c);
        out.cancelled.push({ ...base, section: 'cancelled', key: `cancelled:${c.id}`, due, status: due.status });
      }
    }

    // T-5: every invited agency's report, shared with the family in time (police reports excepted).
    if (want('missing-reports') && notYetHeld && inWindow) {
      const due = dues.computed('reports-to-family', c.scheduledDate);
      const reports = reportsOf.get(c.id) ?? [];
      const reported = new Set(reports.map((r) => r.agency.id));
      const missing = new Map<string, AgencyRef>();
      for (const inv of invitedOf.get(c.id) ?? []) {
        if (!reported.has(inv.agency.id)) missing.set(inv.agency.id, inv.agency);
      }
      const notShared = reports
        .filter((r) => r.agency.kind !== POLICE && !r.withheldFromFamily)
        .filter((r) => r.sharedWithFamilyOn === null || compareIsoDates(r.sharedWithFamilyOn, due.due) > 0)
        .map((r) => ({ agency: r.agency, sharedOn: r.sharedWithFamilyOn }));
      if (missing.size || notShared.length) {
        out['missing-reports'].push({
          ...base,
          section: 'missing-reports',
          key: `missing-reports:${c.id}`,
          due,
          status: due.status,
          missing: [...missing.values()].sort((a, b) => a.name.localeCompare(b.name)),
          notShared,
        });
      }
    }

    // T-6 / T-7: each document the conference needs, against its own due date. Decisions not yet recorded keep
    // it listed; once they are, it stays listed, however late, until every document it needs has been issued.
    const awaitingDecisions = c.status === 'in-progress' && compareIsoDates(c.scheduledDate, today) < 0;
    if (want('records-due') && (c.status === 'held' || c.status === 'adjourned-inquorate' || awaitingDecisions)) {
      const deadlines = (['decision-letter', 'chair-summary', 'record-distribution'] as const).map((r) =>
        dues.computed(r, c.scheduledDate),
      );
      const item = { ...base, section: 'records-due' as const, key: `records-due:${c.id}`, deadlines };
      if (awaitingDecisions) {
        const next = deadlines.find((d) => d.status !== 'overdue');
        const due = next ?? deadlines[deadlines.length - 1]!;
        out['records-due'].push({
          ...item,
          due,
          status: next ? next.status : 'overdue',
          decisionsRecorded: false,
          documents: [],
        });
      } else {
        const excluded = exclusionsOf.get(c.id) ?? [];
        const names = new Map(excluded.map((x) => [x.inviteeId, x.name]));
        const documents = neededDocuments({
          status: c.status,
          outcomes: (outcomesOf.get(c.id) ?? []).map((o) => o.outcome),
          excludedInviteeIds: [...names.keys()],
        }).map((needed): RecordDocument => {
          const state: DocumentState =
            draftStates.get(documentKey(c.id, needed.kind, needed.subjectInviteeId)) ?? 'not-started';
          const rule = DOCUMENT_DEADLINES[needed.kind];
          const due = rule ? dues.computed(rule, c.scheduledDate) : null;
          const name = needed.subjectInviteeId ? names.get(needed.subjectInviteeId) : undefined;
          const sending =
            state === 'issued'
              ? (sendingOf.get(documentKey(c.id, needed.kind, needed.subjectInviteeId)) ?? null)
              : null;
          return {
            kind: needed.kind,
            label: name ? `${DOCUMENT_KIND_LABELS[needed.kind]}: ${name}` : DOCUMENT_KIND_LABELS[needed.kind],
            subjectInviteeId: needed.subjectInviteeId,
            state,
            stateLabel: state === 'issued' ? issuedLabel(sending) : DOCUMENT_STATE_LABELS[state],
            due,
            status: documentDelivered(state === 'issued', sending) ? 'met' : (due?.status ?? null),
            sending,
          };
        });
        // T-6 / T-7: a document is done once issued and every recipient's copy has gone.
        const outstanding = documents.filter((doc) => doc.status !== 'met');
        const from = facts.writtenRecordFrom ?? null;
        const keptElsewhere =
          from !== null &&
          compareIsoDates(c.scheduledDate, from) < 0 &&
          deadlines.every((d) => compareIsoDates(today, d.due) > 0);
        if (outstanding.length && !keptElsewhere) {
          // The worst of the documents not yet issued: the earliest due date sets the item's status.
          const due =
            outstanding.flatMap((doc) => (doc.due ? [doc.due] : [])).sort((a, b) => compareIsoDates(a.due, b.due))[0] ??
            null;
          out['records-due'].push({
            ...item,
            due,
            status: due?.status ?? null,
            decisionsRecorded: true,
            documents,
          });
        }
      }
    }
  }

  // W-4: arrangements for recipients, open until done, under the conference they belong to.
  for (const task of want('document-tasks') ? facts.arrangementTasks : []) {
    const c = byId.get(task.conferenceId);
    if (!c) continue;
    out['document-tasks'].push({
      section: 'document-tasks',
      key: `document-tasks:${task.id}`,
      conference: c,
      concerning: c.children,
      filterType: c.type,
      status: null,
      due: null,
      task,
      documentLabel: DOCUMENT_KIND_LABELS[task.kind],
    });
  }

  // W-5, T-8: amendment requests waiting for the chair, by their due date.
  for (const request of want('amendments') ? (facts.amendmentRequests ?? []) : []) {
    const c = byId.get(request.conferenceId);
    if (!c) continue;
    const due = dues.describe('record-amendments', request.dueOn, request.recordReceivedOn);
    const item: AmendmentItem = {
      section: 'amendments',
      key: `amendments:${request.id}`,
      conference: c,
      concerning: c.children,
      filterType: c.type,
      status: due.status,
      due,
      request,
      documentLabel: `${DOCUMENT_KIND_LABELS[request.kind]}, version ${request.issueNumber}`,
    };
    out.amendments.push(item);
  }

  // T-3: reviews falling due for children whose latest plan is still in force.
  const reviewGroups = new Map<string, ReviewDueItem>();
  for (const p of want('reviews-due') ? facts.latestPlans : []) {
    const c = byId.get(p.conferenceId);
    const child = c && childOf(c, p.childId);
    if (!c || !child) continue;
    if (p.decisionOutcome !== null && !outcomeHasPlan(p.decisionOutcome)) continue;
    if (laterConferencePlanned(p.childId, c.scheduledDate)) continue;
    const due = dues.computed(
      c.type === 'review' ? 'next-review' : 'first-review',
      c.scheduledDate,
      `the ${TYPE_IN_TEXT[c.type]}`,
    );
    const fallsDue =
      compareIsoDates(due.due, horizon) <= 0 ||
      (p.nextReviewDate !== null && compareIsoDates(p.nextReviewDate, horizon) <= 0);
    if (!fallsDue) continue;
    const item =
      reviewGroups.get(c.id) ??
      ({
        section: 'reviews-due',
        key: `reviews-due:${c.id}`,
        conference: c,
        concerning: [],
        filterType: 'review',
        due,
        status: due.status,
        reviewDates: [],
        reviewDateAfterDue: false,
      } satisfies ReviewDueItem);
    item.concerning.push(child);
    item.reviewDates.push({ child, nextReviewDate: p.nextReviewDate });
    if (p.nextReviewDate !== null && compareIsoDates(p.nextReviewDate, due.due) > 0) item.reviewDateAfterDue = true;
    reviewGroups.set(c.id, item);
  }
  out['reviews-due'].push(...reviewGroups.values());

  // T-9: plans that ended at a held conference, with no meeting with the family recorded.
  const endedGroups = new Map<string, PlanEndedItem>();
  for (const e of want('plan-ended') ? facts.endedPlans : []) {
    const c = byId.get(e.conferenceId);
    const child = c && childOf(c, e.childId);
    if (!c || !child || c.status !== 'held' || e.planEndedMeetingDate !== null) continue;
    const item =
      endedGroups.get(c.id) ??
      (() => {
        const due = dues.computed('plan-ended-meeting', c.scheduledDate, 'the end of the plan at the conference');
        return {
          section: 'plan-ended',
          key: `plan-ended:${c.id}`,
          conference: c,
          concerning: [],
          filterType: c.type,
          due,
          status: due.status,
        } satisfies PlanEndedItem;
      })();
    item.concerning.push(child);
    endedGroups.set(c.id, item);
  }
  out['plan-ended'].push(...endedGroups.values());

  // D-1: referrals awaiting the senior manager's review, then reconvened conferences not yet convened: outstanding
  // until a conference is linked as the reconvened one (another conference for the child does not count).
  for (const r of want('dissent') ? facts.referrals : []) {
    const c = byId.get(r.conferenceId);
    const child = c && childOf(c, r.childId);
    if (!c || !child) continue;
    const referral = {
      id: r.id,
      referredTo: r.referredTo,
      referredOn: r.referredOn,
      reviewedOn: r.reviewedOn,
      reconveneDue: r.reconveneDue,
    };
    const base = {
      section: 'dissent' as const,
      key: `dissent:${r.id}`,
      conference: c,
      concerning: [child],
      filterType: c.type,
      referral,
    };
    if (r.reviewedOn === null) {
      // The procedure sets no timescale for the review itself; D-1 counts from it.
      out.dissent.push({ ...base, state: 'awaiting-review', status: null, due: null });
    } else if (r.reconveneDue !== null && r.reconvenedBy === null) {
      const due = dues.describe('reconvene-after-dissent', r.reconveneDue, r.reviewedOn);
      out.dissent.push({ ...base, state: 'reconvene-due', status: due.status, due });
    }
  }

  // 002 §3.7, §3.2: core groups due, lead social workers to appoint, interpreters not booked.
  const tasks = facts.coreGroupTasks;
  for (const t of want('core-groups') ? (tasks?.due ?? []) : []) {
    const c = byId.get(t.conferenceId);
    const child = c && childOf(c, t.childId);
    if (!c || !child) continue;
    out['core-groups'].push({
      section: 'core-groups',
      key: `core-groups:${c.id}:${child.id}`,
      conference: c,
      concerning: [child],
      filterType: c.type,
      status: t.due.status,
      due: null,
      coreGroup: t.due,
    });
  }
  for (const t of want('lead-social-worker') ? (tasks?.lead ?? []) : []) {
    const c = byId.get(t.conferenceId);
    const child = c && childOf(c, t.childId);
    if (!c || !child) continue;
    out['lead-social-worker'].push({
      section: 'lead-social-worker',
      key: `lead-social-worker:${c.id}:${child.id}`,
      conference: c,
      concerning: [child],
      filterType: c.type,
      status: t.status,
      due: null,
      deadline: t.deadline,
    });
  }
  for (const t of want('interpreters') ? (tasks?.interpreters ?? []) : []) {
    const c = byId.get(t.conferenceId);
    if (!c || c.status !== 'planned') continue;
    out.interpreters.push({
      section: 'interpreters',
      key: `interpreters:${c.id}`,
      conference: c,
      concerning: c.children,
      filterType: c.type,
      status: null,
      due: null,
      missing: t.missing,
    });
  }

  out.upcoming.sort(byConferenceDate);
  out.overdue.sort(byDueThenDate);
  out.cancelled.sort(byDueThenDate);
  out['reviews-due'].sort(byDueThenDate);
  out['missing-reports'].sort(byConferenceDate);
  out['records-due'].sort(byDueThenDate);
  out['document-tasks'].sort(
    (a, b) => a.task.createdAt.getTime() - b.task.createdAt.getTime() || a.key.localeCompare(b.key),
  );
  out.amendments.sort(byDueThenDate);
  out.dissent.sort((a, b) => compareIsoDates(a.referral.referredOn, b.referral.referredOn) || byDueThenDate(a, b));
  out['plan-ended'].sort(byDueThenDate);
  out['core-groups'].sort((a, b) => compareIsoDates(a.coreGroup.due, b.coreGroup.due) || a.key.localeCompare(b.key));
  out['lead-social-worker'].sort(
    (a, b) =>
      (a.deadline && b.deadline ? compareIsoDates(a.deadline, b.deadline) : a.deadline ? -1 : b.deadline ? 1 : 0) ||
      a.key.localeCompare(b.key),
  );
  out.interpreters.sort(byConferenceDate);
  out['family-meetings'].sort(byConferenceDate);
  return out;
}
