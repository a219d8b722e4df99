/** Dashboard sections: their order, titles, who sees each, and the words for red / amber / green. */
import type { DeadlineRag } from '../calendar/index.ts';
import type { Role } from '../access/roles.ts';
import { CONFERENCE_TYPES, type ConferenceType } from './decisions.ts';

// ---------------------------------------------------------------------------------------------
// Sections

export const DASHBOARD_SECTIONS = [
  'upcoming',
  'overdue',
  'cancelled',
  'reviews-due',
  'missing-reports',
  'records-due',
  'document-tasks',
  'amendments',
  'dissent',
  'plan-ended',
  'core-groups',
  'lead-social-worker',
  'interpreters',
  'family-meetings',
] as const;
export type DashboardSection = (typeof DASHBOARD_SECTIONS)[number];

/** 002 §4.1: how far ahead the chair's dashboard lists planned conferences whose meeting with the family is not recorded. */
export const FAMILY_MEETING_WORKING_DAYS = 10;

/** "The next 30 days": upcoming conferences, reports and reviews falling due. */
export const DASHBOARD_HORIZON_DAYS = 30;

export const DASHBOARD_SECTION_INFO: Readonly<Record<DashboardSection, { title: string; description: string }>> = {
  upcoming: {
    title: 'Upcoming conferences',
    description: `Conferences planned for today or the next ${DASHBOARD_HORIZON_DAYS} days.`,
  },
  overdue: {
    title: 'Overdue or planned late',
    description: 'Conferences not yet held after their statutory due date, or planned for a date after it.',
  },
  cancelled: {
    title: 'Conference cancelled: a new one is needed',
    description:
      'Initial, pre-birth and transfer-in conferences that were cancelled, with no other conference of the same type planned or held for the children since. ' +
      'The timescale still runs from the original start date. Cancelled reviews are under reviews falling due.',
  },
  'reviews-due': {
    title: 'Reviews falling due',
    description: `Children whose plan is due for review within ${DASHBOARD_HORIZON_DAYS} days, with no later conference planned for them.`,
  },
  'missing-reports': {
    title: 'Reports missing or not shared',
    description:
      `Conferences in the next ${DASHBOARD_HORIZON_DAYS} days where an invited agency has not sent a report, or a report has not been shared with the family 3 working days before. ` +
      'Police reports are never shared with the family automatically, so they are not checked for sharing.',
  },
  'records-due': {
    title: 'Decisions, letters and records due',
    description:
      'Conferences awaiting decisions, and each letter, summary, record or note a conference needs, with its state and the date it is due. ' +
      'A conference stays here, however late, until every one of its documents has been issued.',
  },
  'document-tasks': {
    title: 'Arrangements for people receiving documents',
    description:
      'Large print, an interpreter to go through a document, a translation or another arrangement made for someone with a sensory disability or whose first language is not English. ' +
      'Each stays here until it is marked done on the conference’s documents page.',
  },
  amendments: {
    title: 'Amendment requests waiting for the chair',
    description:
      'Requests to amend an issued document, each due to the chair 10 working days after the person received it. ' +
      'A request received later is still listed, flagged. Each stays here until the chair has decided every point.',
  },
  dissent: {
    title: 'Dissent referrals',
    description:
      'Referrals to a senior manager because more than one agency dissented, awaiting the review; and reviews that decided to reconvene, until a conference is convened as the reconvened one.',
  },
  'plan-ended': {
    title: 'Plans ended: meeting with the family',
    description:
      'Children whose child protection plan ended at a conference, with no meeting with the family recorded yet.',
  },
  'core-groups': {
    title: 'Core group meetings due',
    description:
      'Children with a child protection plan whose next core group meeting is due within 5 working days or overdue: the first on the date the conference set, then at most 6 weeks after the last one recorded.',
  },
  'lead-social-worker': {
    title: 'Lead social workers to appoint',
    description:
      'Children whose plan was made without a lead social worker. A team manager must appoint one by the first core group.',
  },
  interpreters: {
    title: 'Interpreters not booked',
    description:
      'Planned conferences where someone invited needs an interpreter and no interpreter is invited for that language.',
  },
  'family-meetings': {
    title: 'Meet the child and family before the conference',
    description: `Planned conferences in the next ${FAMILY_MEETING_WORKING_DAYS} working days where the chair has not yet recorded meeting the child and family beforehand, or why they could not.`,
  },
};

/**
 * Sections only some people see: lead social workers are appointed by team managers (002 §3.7); interpreters are
 * booked by chairs and business support (002 §3.2). Every other section is for everyone with a dashboard.
 */
export const DASHBOARD_SECTION_ROLES: Readonly<Partial<Record<DashboardSection, readonly Role[]>>> = {
  'lead-social-worker': ['team_manager'],
  interpreters: ['chair', 'business_support'],
  'family-meetings': ['chair'],
};

/** The sections a person with these roles sees, in the dashboard's order. */
export function dashboardSectionsFor(roles: readonly Role[]): DashboardSection[] {
  return DASHBOARD_SECTIONS.filter((s) => {
    const only = DASHBOARD_SECTION_ROLES[s];
    return !only || only.some((r) => roles.includes(r));
  });
}

export function isDashboardSection(v: unknown): v is DashboardSection {
  return typeof v === 'string' && (DASHBOARD_SECTIONS as readonly string[]).includes(v);
}

export const RAG_STATUSES = ['overdue', 'due-soon', 'on-track'] as const satisfies readonly DeadlineRag[];

export function isRagStatus(v: unknown): v is DeadlineRag {
  return typeof v === 'string' && (RAG_STATUSES as readonly string[]).includes(v);
}

export function isConferenceType(v: unknown): v is ConferenceType {
  return typeof v === 'string' && (CONFERENCE_TYPES as readonly string[]).includes(v);
}

/** Words on the tag (never colour alone). */
export const RAG_LABELS: Readonly<Record<DeadlineRag, string>> = {
  overdue: 'Overdue',
  'due-soon': 'Due soon',
  'on-track': 'On track',
};

/** How much time is left, in working days, as a person would say it. */
export function timeLeftText(status: DeadlineRag, workingDaysLeft: number): string {
  const days = (n: number) => (n === 1 ? '1 working day' : `${n} working days`);
  if (status === 'overdue') return workingDaysLeft < 0 ? `${days(-workingDaysLeft)} overdue` : 'Past the due date';
  if (workingDaysLeft === 0) return 'Due today';
  return `${days(workingDaysLeft)} left`;
}
