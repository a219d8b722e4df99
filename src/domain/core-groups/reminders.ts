/**
 * 002 §3.7: when the lead social worker (or, while none is appointed, the team manager) is reminded that a child's
 * next core group meeting is due: within a few working days of its due date (or past it) with no meeting booked. One
 * reminder per due date: a meeting recorded moves the due date on, and the next one is reminded in its turn. Pure.
 */
import type { IsoDate, StatutoryCalendar, TimescaleSettings } from '../calendar/index.ts';
import { type CoreGroupDue, type CoreGroupDueFacts, coreGroupDue } from './core-groups.ts';

/** Reminded when the next core group is due within this many working days and none is booked. */
export const CORE_GROUP_REMINDER_WORKING_DAYS = 3;

/** The core group due date to remind about today, or null when no reminder is needed. */
export function coreGroupReminderDue(
  f: CoreGroupDueFacts,
  today: IsoDate,
  calendar: StatutoryCalendar,
  settings: TimescaleSettings,
): CoreGroupDue | null {
  if (f.nextScheduled !== null) return null;
  const d = coreGroupDue(f, today, calendar, settings);
  return d.workingDaysLeft <= CORE_GROUP_REMINDER_WORKING_DAYS ? d : null;
}

/** Who is reminded: the lead social worker named at the conference or appointed since, else the team manager. */
export function coreGroupReminderRecipient(p: {
  leadSocialWorkerUserId: string | null;
  appointedUserId: string | null;
  teamManagerUserId: string | null;
}): { userId: string; as: 'lead-social-worker' | 'team-manager' } | null {
  const lead = p.appointedUserId ?? p.leadSocialWorkerUserId;
  if (lead) return { userId: lead, as: 'lead-social-worker' };
  return p.teamManagerUserId ? { userId: p.teamManagerUserId, as: 'team-manager' } : null;
}
