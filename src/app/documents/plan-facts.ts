/**
 * The facts of each child's plan for the written record (002 §3.7, §3.8, §3.9): the plan with its lead social worker
 * (named by the conference or, when it could not, appointed afterwards by a team manager), the outline child in need
 * or team around the child plan a child steps down to, and why the conference was held where the procedure asks
 * (002 §1.3, §2.2). The chair's independence reason (002 §4.1) is kept with the conference for the service's own use
 * and is never part of the written record.
 */
import {
  PRE_BIRTH_GROUNDS,
  PRE_BIRTH_GROUND_LABELS,
  describeBroughtForward,
} from '../../domain/conferences/convening-grounds.ts';
import type { AttendeeFacts, ConferenceFacts, PlanFacts, StepDownFacts } from '../../domain/documents/facts.ts';
import { STEP_DOWN_LABELS } from '../../domain/plan-endings/index.ts';
import type { PlanRecord } from '../conferences/meeting-ports.ts';
import type { Repositories } from '../unit-of-work.ts';

/** The latest version per key, from a list ordered oldest first. */
export function latestBy<T extends { version: number }>(rows: readonly T[], key: (row: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const row of rows) {
    const seen = out.get(key(row));
    if (!seen || row.version >= seen.version) out.set(key(row), row);
  }
  return out;
}

export async function planFacts(
  repos: Repositories,
  p: PlanRecord,
  attendees: readonly AttendeeFacts[],
): Promise<PlanFacts> {
  let lead: PlanFacts['leadSocialWorker'] = null;
  if (p.leadSocialWorkerUserId) {
    const user = await repos.accounts.findUserById(p.leadSocialWorkerUserId);
    lead = { name: p.leadSocialWorkerName ?? user?.name ?? 'Not recorded', contact: user?.email ?? null };
  } else if (p.leadSocialWorkerName) {
    lead = { name: p.leadSocialWorkerName, contact: null };
  } else {
    // 002 §3.7: the conference could not name one; a team manager appointed one afterwards (the latest counts).
    const appointed = await repos.coreGroups.latestAppointment(p.conferenceId, p.childId);
    if (appointed) {
      const user = await repos.accounts.findUserById(appointed.userId);
      lead = { name: appointed.name ?? user?.name ?? 'Not recorded', contact: user?.email ?? null };
    }
  }
  const byId = new Map(attendees.map((a) => [a.inviteeId, a]));
  return {
    childId: p.childId,
    leadSocialWorker: lead,
    firstCoreGroupDate: p.firstCoreGroupDate,
    contingencyPlan: p.contingencyPlan,
    nextReviewDate: p.nextReviewDate,
    actions: [...p.actions]
      .sort((a, b) => a.ordinal - b.ordinal)
      .map((a) => ({ action: a.action, who: a.who, byWhen: a.byWhen })),
    coreGroup: p.coreGroupInviteeIds.flatMap((id) => {
      const a = byId.get(id);
      return a ? [{ inviteeId: a.inviteeId, name: a.name, role: a.role, agencyName: a.agencyName }] : [];
    }),
    familyMeetingDate: p.planEndedMeetingDate,
  };
}

/** 002 §3.8, §3.9: the latest outline child in need or team around the child plan per child, in words. */
export async function stepDownFacts(repos: Repositories, conferenceId: string): Promise<StepDownFacts[]> {
  const latest = latestBy(await repos.planEndings.listStepDowns(conferenceId), (s) => s.childId);
  return [...latest.values()].map((s) => ({
    childId: s.childId,
    kindLabel: STEP_DOWN_LABELS[s.kind],
    leadProfessional: s.leadProfessional,
    services: s.services,
    firstMeetingDate: s.firstMeetingDate,
  }));
}

/** 002 §1.3, §2.2: a pre-birth conference's grounds (in the procedure's order) and why a review was brought forward. */
export async function conveningGroundsFacts(
  repos: Repositories,
  conferenceId: string,
): Promise<Pick<ConferenceFacts, 'preBirthGrounds' | 'broughtForwardReason'>> {
  const grounds = await repos.conferenceRequests.findConveningGrounds(conferenceId);
  return {
    preBirthGrounds: PRE_BIRTH_GROUNDS.filter((g) => grounds?.preBirthGrounds.includes(g)).map(
      (g) => PRE_BIRTH_GROUND_LABELS[g],
    ),
    broughtForwardReason: grounds?.broughtForwardReason
      ? describeBroughtForward({ reason: grounds.broughtForwardReason, otherReason: grounds.broughtForwardOther })
      : null,
  };
}
