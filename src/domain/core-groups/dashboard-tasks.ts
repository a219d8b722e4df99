/**
 * The core group tasks a dashboard lists (002 §3.7, §3.2): core groups due soon or overdue, lead social workers still
 * to appoint (due by the first core group), and planned conferences where someone needs an interpreter and none is
 * invited. Pure: the dashboard loads the facts in one query per kind and decides here which conferences it needs.
 */
import {
  deadlineStatus,
  type DeadlineRag,
  type IsoDate,
  type StatutoryCalendar,
  type TimescaleSettings,
} from '../calendar/index.ts';
import { interpretersNotBooked } from '../conferences/interpreters.ts';
import { type CoreGroupDue, coreGroupDue, leadSocialWorkerOutstanding } from './core-groups.ts';

export interface CoreGroupPlanFacts {
  conferenceId: string;
  childId: string;
  conferenceDate: IsoDate;
  firstCoreGroupDate: IsoDate | null;
  leadSocialWorkerUserId: string | null;
  appointedUserId: string | null;
  lastHeld: IsoDate | null;
  nextScheduled: IsoDate | null;
}

export interface InterpreterNeedFacts {
  conferenceId: string;
  kind: string;
  interpreterLanguage: string;
}

export interface CoreGroupTasks {
  /** Children whose next core group is due soon or overdue. */
  due: Array<{ conferenceId: string; childId: string; due: CoreGroupDue }>;
  /** Children with a plan in force and no lead social worker: due by the first core group date. */
  lead: Array<{ conferenceId: string; childId: string; deadline: IsoDate | null; status: DeadlineRag | null }>;
  /** Planned conferences with languages needed and no interpreter invited for them. */
  interpreters: Array<{ conferenceId: string; missing: Array<{ language: string; people: number }> }>;
}

export function coreGroupTasks(
  plans: readonly CoreGroupPlanFacts[],
  interpreterNeeds: readonly InterpreterNeedFacts[],
  today: IsoDate,
  rules: { calendar: StatutoryCalendar; settings: TimescaleSettings },
): CoreGroupTasks {
  const due: CoreGroupTasks['due'] = [];
  const lead: CoreGroupTasks['lead'] = [];
  for (const p of plans) {
    const d = coreGroupDue(p, today, rules.calendar, rules.settings);
    if (d.status !== 'on-track') due.push({ conferenceId: p.conferenceId, childId: p.childId, due: d });
    if (leadSocialWorkerOutstanding({ ...p, inForce: true })) {
      const deadline = p.firstCoreGroupDate;
      lead.push({
        conferenceId: p.conferenceId,
        childId: p.childId,
        deadline,
        status: deadline ? deadlineStatus(today, deadline, rules.calendar).status : null,
      });
    }
  }
  const byConference = new Map<string, InterpreterNeedFacts[]>();
  for (const n of interpreterNeeds) byConference.set(n.conferenceId, [...(byConference.get(n.conferenceId) ?? []), n]);
  const interpreters: CoreGroupTasks['interpreters'] = [];
  for (const [conferenceId, invitees] of byConference) {
    const missing = interpretersNotBooked(invitees);
    if (missing.length) interpreters.push({ conferenceId, missing });
  }
  return { due, lead, interpreters };
}

/** The conferences the tasks name, for the dashboard to load whatever their dates. */
export function coreGroupTaskConferences(
  t: CoreGroupTasks,
  sections: { lead: boolean; interpreters: boolean },
): string[] {
  return [
    ...t.due.map((x) => x.conferenceId),
    ...(sections.lead ? t.lead.map((x) => x.conferenceId) : []),
    ...(sections.interpreters ? t.interpreters.map((x) => x.conferenceId) : []),
  ];
}
