/**
 * The facts of how the family took part (002 §3.2, §3.4), for the written record: a child's decision on attending and
 * how their views reached the conference, the reports received by who sent them (never their content), and when an
 * excluded person was told the reasons. Every label in plain English.
 */
import { type IsoDate, compareIsoDates, isIsoDate, londonDateOf } from '../../domain/calendar/index.ts';
import type { ChildAttendanceFacts, ReportReceivedFacts, TellingFacts } from '../../domain/documents/facts.ts';
import { CHILD_WISH_LABELS, VIEWS_ROUTE_LABELS } from '../../domain/participation/child-attendance.ts';
import type { ChildAttendanceRecord } from '../participation/ports.ts';
import type { Repositories } from '../unit-of-work.ts';

export function tellingOf(t: { on: string; by: string } | null): TellingFacts | null {
  return t && isIsoDate(t.on) && t.by.trim() ? { on: t.on as IsoDate, by: t.by.trim() } : null;
}

/** 002 §3.2: the decision about a child attending, and how their views reached the conference, in words. */
export function childAttendanceFacts(r: ChildAttendanceRecord | undefined): ChildAttendanceFacts | null {
  if (!r) return null;
  const ways = [...r.viewsRoutes.map((v) => VIEWS_ROUTE_LABELS[v]), r.viewsNote?.trim()].filter(Boolean);
  return {
    decision: CHILD_WISH_LABELS[r.decision],
    partArrangements: r.partArrangements?.trim() || null,
    viewsConveyed: ways.length > 0 ? ways.join('. ') : null,
  };
}

/** 002 §3.2, §3.4: agencies' reports and the parents' own, by who sent them and when, oldest first. */
export async function reportsReceived(
  repos: Repositories,
  conferenceId: string,
  names: ReadonlyMap<string, string>,
): Promise<ReportReceivedFacts[]> {
  const agencies = (await repos.convening.listReports(conferenceId)).map((r) => ({
    from: r.agencyName,
    receivedOn: londonDateOf(r.receivedAt),
  }));
  const parents = (await repos.participation.listParentReports(conferenceId)).flatMap((r) => {
    const name = names.get(r.inviteeId);
    return name && isIsoDate(r.receivedOn)
      ? [{ from: `${name} (their own report)`, receivedOn: r.receivedOn as IsoDate }]
      : [];
  });
  return [...agencies, ...parents].sort((a, b) => compareIsoDates(a.receivedOn, b.receivedOn));
}
