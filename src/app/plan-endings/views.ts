/** What the plan-ending pages and API show of a child's plan: its state, ending, agencies told and transfer. */
import type { Actor } from '../../domain/access/roles.ts';
import { type IsoDate, formatLongDate, londonDateOf } from '../../domain/calendar/index.ts';
import { outcomeHasPlan } from '../../domain/conferences/decisions.ts';
import {
  ENDING_REASON_LABELS,
  LOOKED_AFTER_CRITERION_LABELS,
  STEP_DOWN_LABELS,
  birthdayReviewWarning,
  receivingConferenceDeadline,
  receivingConferenceOverdue,
  transferComplete,
} from '../../domain/plan-endings/index.ts';
import type { CurrentOutcome } from '../conferences/meeting-ports.ts';
import type { ChildRecord } from '../people/ports.ts';
import type { Repositories } from '../unit-of-work.ts';
import { SENIOR_MANAGER_ROLES, planEndingDenial } from './access.ts';
import type { EndingRecord, StepDownRecord, TransferRecord } from './ports.ts';
import type { ChildPlanView, EndingView, PlanEndingDeps, PlanState, StepDownView, TransferView } from './use-cases.ts';

export function stepDownView(s: StepDownRecord): StepDownView {
  return {
    id: s.id,
    version: s.version,
    kind: s.kind,
    kindLabel: STEP_DOWN_LABELS[s.kind],
    leadProfessional: s.leadProfessional,
    services: s.services,
    firstMeetingDate: s.firstMeetingDate,
    recordedAt: s.recordedAt,
  };
}

export async function latestStepDown(repos: Repositories, conferenceId: string, childId: string) {
  return (await repos.planEndings.listStepDowns(conferenceId)).filter((s) => s.childId === childId).at(-1) ?? null;
}

/** The child's plan as their latest held conference left it, and its ending if recorded. */
export async function currentPlan(
  repos: Repositories,
  childId: string,
): Promise<{ outcome: CurrentOutcome | null; ending: EndingRecord | null; state: PlanState }> {
  const [outcome] = await repos.meeting.currentOutcomes([childId]);
  if (!outcome || outcome.decision.outcome === 'no-plan')
    return { outcome: outcome ?? null, ending: null, state: 'none' };
  const ending = await repos.planEndings.findEnding(childId, outcome.conferenceId);
  if (ending) return { outcome, ending, state: 'ended' };
  return { outcome, ending: null, state: outcomeHasPlan(outcome.decision.outcome) ? 'active' : 'ended-at-conference' };
}

async function endingView(repos: Repositories, e: EndingRecord): Promise<EndingView> {
  const notices = await repos.planEndings.listNotices(e.id);
  return {
    id: e.id,
    reason: e.reason,
    reasonLabel: ENDING_REASON_LABELS[e.reason],
    endedOn: e.endedOn,
    details: e.details,
    lookedAfterCriterion: e.lookedAfterCriterion,
    lookedAfterCriterionLabel: e.lookedAfterCriterion ? LOOKED_AFTER_CRITERION_LABELS[e.lookedAfterCriterion] : null,
    modToldOn: e.modToldOn,
    modResourcesConfirmed: e.modResourcesConfirmed,
    authorisedByName: e.authorisedByName,
    authorisedOn: e.authorisedOn,
    recordedAt: e.recordedAt,
    notices: notices.map((n) => ({
      id: n.id,
      recipientName: n.recipientName,
      recipientRole: n.recipientRole,
      agencyName: n.agencyName,
      method: n.method,
      outboxMessageId: n.outboxMessageId,
      letterText: n.letterText,
      createdAt: n.createdAt,
      postedAt: n.postedAt,
    })),
  };
}

function transferView(deps: PlanEndingDeps, t: TransferRecord, today: IsoDate): TransferView {
  return {
    id: t.id,
    version: t.version,
    authorityName: t.authorityName,
    contactEmail: t.contactEmail,
    noticeOn: t.noticeOn,
    conferenceDue: t.conferenceDue,
    dueExplanation: receivingConferenceDeadline(t.noticeOn, deps.calendar, deps.timescales).explanation,
    receivingConferenceOn: t.receivingConferenceOn,
    confirmationReceivedOn: t.confirmationReceivedOn,
    packText: t.packText,
    packMessageId: t.packMessageId,
    overdue: receivingConferenceOverdue(t, today),
    complete: transferComplete(t),
  };
}

/**
 * 002 §3.9: what needs doing about the child's plan, as warnings: a review after the child's 18th birthday, the
 * receiving authority's conference overdue, an ending made at a conference not yet recorded, letters still to post.
 */
export function planWarnings(f: {
  state: PlanState;
  dateOfBirth: IsoDate | null;
  nextReviewDate: IsoDate | null;
  transfer: Pick<TransferRecord, 'authorityName' | 'conferenceDue' | 'receivingConferenceOn'> | null;
  lettersToPost: number;
  today: IsoDate;
}): string[] {
  const warnings: string[] = [];
  if (f.state === 'active') {
    const w = birthdayReviewWarning({ dateOfBirth: f.dateOfBirth, today: f.today, nextReviewDate: f.nextReviewDate });
    if (w) warnings.push(w);
  }
  if (f.transfer && receivingConferenceOverdue(f.transfer, f.today) && f.state === 'active')
    warnings.push(
      `The receiving authority’s conference was due by ${formatLongDate(f.transfer.conferenceDue)} and has not been recorded as held: contact ${f.transfer.authorityName}.`,
    );
  if (f.state === 'ended-at-conference')
    warnings.push('The conference ended the plan: record the ending so that every agency invited is told.');
  if (f.lettersToPost)
    warnings.push(
      `${f.lettersToPost === 1 ? 'One letter' : `${f.lettersToPost} letters`} telling agencies the plan ended still to post.`,
    );
  return warnings;
}

export async function childPlanView(
  deps: PlanEndingDeps,
  repos: Repositories,
  actor: Actor,
  child: ChildRecord,
): Promise<ChildPlanView> {
  const today = londonDateOf(deps.clock.now());
  const { outcome, ending, state } = await currentPlan(repos, child.id);
  const transfer = outcome ? await repos.planEndings.findTransfer(child.id, outcome.conferenceId) : null;
  const stepDown = outcome ? await latestStepDown(repos, outcome.conferenceId, child.id) : null;
  const dateOfBirth = (child.dateOfBirth ?? null) as IsoDate | null;
  const tv = transfer ? transferView(deps, transfer, today) : null;
  const ev = ending ? await endingView(repos, ending) : null;
  const warnings = planWarnings({
    state,
    dateOfBirth,
    nextReviewDate: outcome?.plan?.nextReviewDate ?? null,
    transfer,
    lettersToPost: ev?.notices.filter((n) => n.method === 'letter' && !n.postedAt).length ?? 0,
    today,
  });
  // Only the senior managers (the ending's authoriser is one of them), not every account.
  const users = await repos.accounts.listUsersWithAnyRole(SENIOR_MANAGER_ROLES);
  return {
    child: { id: child.id, givenNames: child.givenNames, familyName: child.familyName, dateOfBirth },
    state,
    plan: outcome
      ? {
          conferenceId: outcome.conferenceId,
          conferenceType: outcome.conferenceType,
          conferenceDate: outcome.conferenceDate,
          outcome: outcome.decision.outcome,
          leadSocialWorkerName: outcome.plan?.leadSocialWorkerName ?? null,
          nextReviewDate: outcome.plan?.nextReviewDate ?? null,
          familyMeetingDate: outcome.plan?.planEndedMeetingDate ?? null,
        }
      : null,
    stepDown: stepDown ? stepDownView(stepDown) : null,
    ending: ev,
    transfer: tv,
    warnings,
    seniorManagers: users
      .filter((u) => !u.disabledAt && u.roles.some((r) => SENIOR_MANAGER_ROLES.includes(r)))
      .map((u) => ({ id: u.id, name: u.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB')),
    mayRecord: planEndingDenial(actor, await repos.people.childAccessFacts(child.id), 'record') === null,
    copyRequestHref: outcome ? `/conferences/${outcome.conferenceId}/requests/new` : null,
  };
}
