/**
 * 002 §3.9, T-4: transfer out. The move to another authority is recorded with the date it was told; the receiving
 * authority is sent the transfer pack (the current plan, the latest conference record if issued, and how to ask for
 * the recording as another local authority); its conference is due within the working days set from the notice. The
 * plan here stays active until that conference is held and confirmed in writing; then it ends, and every agency
 * invited is told.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { type IsoDate, formatLongDate, londonDateOf } from '../../domain/calendar/index.ts';
import { CATEGORY_LABELS, CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import {
  ENDING_REASON_LABELS,
  type TransferInput,
  receivingConferenceDeadline,
  transferComplete,
  validateTransfer,
  validateTransferProgress,
} from '../../domain/plan-endings/index.ts';
import { ConflictError, DomainError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { CurrentOutcome } from '../conferences/meeting-ports.ts';
import { PLAN_TRANSFER_PACK_TEMPLATE } from '../mail/plan-ending-templates.ts';
import { recordCaseNote } from '../people/people-service.ts';
import type { Repositories } from '../unit-of-work.ts';
import { auditPlanEnding } from './access.ts';
import { activePlan, endPlan, withChildPlanAndMail } from './endings.ts';
import { childNameForAgencies } from './notices.ts';
import type { ChildPlanView, PlanEndingDeps, TransferProgressRequest } from './use-cases.ts';
import { currentPlan } from './views.ts';

export const PLAN_TRANSFER_NOTE_KIND = 'plan-transfer';

/** The current plan in words, for the receiving authority. */
export function planText(outcome: CurrentOutcome): string {
  const p = outcome.plan;
  const lines = [
    `Made or last reviewed at the ${CONFERENCE_TYPE_LABELS[outcome.conferenceType].toLowerCase()} on ${formatLongDate(outcome.conferenceDate)}.`,
  ];
  if (outcome.decision.category) lines.push(`Category: ${CATEGORY_LABELS[outcome.decision.category]}.`);
  if (!p) return [...lines, 'The plan’s details have not been recorded.'].join('\n');
  lines.push(`Lead social worker: ${p.leadSocialWorkerName ?? 'not appointed yet'}.`);
  for (const a of p.actions)
    lines.push(`- ${a.action} (${a.who}${a.byWhen ? `, by ${formatLongDate(a.byWhen)}` : ''})`);
  if (p.contingencyPlan) lines.push(`Contingency plan: ${p.contingencyPlan}`);
  if (p.nextReviewDate) lines.push(`Next review was due by ${formatLongDate(p.nextReviewDate)}.`);
  return lines.join('\n');
}

async function recordText(repos: Repositories, outcome: CurrentOutcome): Promise<string> {
  const issued = (await repos.documents.listIssued(outcome.conferenceId))
    .filter((d) => d.kind === 'conference-record')
    .sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime())
    .at(-1);
  const conf = `the ${CONFERENCE_TYPE_LABELS[outcome.conferenceType].toLowerCase()} on ${formatLongDate(outcome.conferenceDate)}`;
  if (!issued) return `The record of ${conf} has not been issued yet. It will be sent to you securely when it is.`;
  return `The record of ${conf} was issued on ${formatLongDate(londonDateOf(issued.issuedAt))} (issue ${issued.issueNumber}). A copy will be sent to you securely.`;
}

const RECORDING_TEXT =
  'Where the conference was recorded, you may ask for a copy of the recording for your transfer-in conference. ' +
  'Reply to this email with your authority’s name, your reference and what you need it for: it is dealt with as a request from another local authority, and sent securely within one calendar month.';

export async function recordTransfer(
  deps: PlanEndingDeps,
  actor: Actor,
  childId: string,
  input: TransferInput,
  ctx: RequestContext,
): Promise<ChildPlanView> {
  return withChildPlanAndMail(deps, actor, childId, 'plan-ending.transfer', ctx, async (repos, child) => {
    const outcome = await activePlan(repos, child.id, 'to transfer');
    if (await repos.planEndings.findTransfer(child.id, outcome.conferenceId))
      throw new ConflictError('The move to another authority has already been recorded');
    const checked = validateTransfer(input, {
      today: londonDateOf(deps.clock.now()),
      planConferenceDate: outcome.conferenceDate,
    });
    const due = receivingConferenceDeadline(checked.noticeOn, deps.calendar, deps.timescales);
    const values = {
      authority_name: checked.authorityName,
      child_name: childNameForAgencies(child),
      notice_on: formatLongDate(checked.noticeOn),
      conference_due: formatLongDate(due.due),
      plan: planText(outcome),
      record: await recordText(repos, outcome),
      recording: RECORDING_TEXT,
    };
    const now = deps.clock.now();
    const id = await repos.planEndings.insertTransfer({
      childId: child.id,
      planConferenceId: outcome.conferenceId,
      authorityName: checked.authorityName,
      contactEmail: checked.contactEmail,
      noticeOn: checked.noticeOn,
      conferenceDue: due.due,
      packText: [values.plan, '', values.record, '', values.recording].join('\n'),
      packMessageId: null,
      receivingConferenceOn: null,
      confirmationReceivedOn: null,
      recordedByUserId: actor.id,
      recordedAt: now,
    });
    if (!id) throw new ConflictError('The move to another authority has already been recorded');
    const { messageId } = await deps.mail.queueWithin(repos, {
      template: PLAN_TRANSFER_PACK_TEMPLATE,
      to: checked.contactEmail,
      values,
      about: { subjectType: 'plan-transfer', subjectId: id, ctx },
    });
    await repos.planEndings.setPackMessage(id, messageId);
    await recordCaseNote(
      repos,
      deps.clock,
      {
        childId: child.id,
        kind: PLAN_TRANSFER_NOTE_KIND,
        text: `The family moved permanently to ${checked.authorityName}, told on ${formatLongDate(checked.noticeOn)}. The transfer pack was sent; their conference is due by ${formatLongDate(due.due)}. The plan stays in place here until it is held and confirmed in writing.`,
      },
      ctx,
    );
    await auditPlanEnding(repos, ctx, 'plan-ending.transfer', child.id, {
      transferId: id,
      messageId,
      conferenceDue: due.due,
    });
    return [messageId];
  });
}

/** The receiving conference held and its written confirmation: once both are recorded, the plan here ends. */
export async function recordTransferProgress(
  deps: PlanEndingDeps,
  actor: Actor,
  childId: string,
  input: TransferProgressRequest,
  ctx: RequestContext,
): Promise<ChildPlanView> {
  return withChildPlanAndMail(deps, actor, childId, 'plan-ending.transfer-progress', ctx, async (repos, child) => {
    const { outcome, state } = await currentPlan(repos, child.id);
    const transfer = outcome
      ? await repos.planEndings.findTransfer(child.id, outcome.conferenceId, { lock: true })
      : null;
    if (!outcome || !transfer) throw new DomainError('NO_TRANSFER', 'No move to another authority is recorded');
    if (state !== 'active') throw new ConflictError('The plan has already ended');
    if (!Number.isSafeInteger(input.version) || input.version !== transfer.version) throw new StaleRecordError();
    const checked = validateTransferProgress(
      {
        receivingConferenceOn: input.receivingConferenceOn ?? transfer.receivingConferenceOn,
        confirmationReceivedOn: input.confirmationReceivedOn ?? transfer.confirmationReceivedOn,
      },
      { today: londonDateOf(deps.clock.now()), noticeOn: transfer.noticeOn },
    );
    const updated = await repos.planEndings.updateTransfer(transfer.id, transfer.version, {
      ...checked,
      at: deps.clock.now(),
    });
    if (!updated) throw new StaleRecordError();
    await auditPlanEnding(repos, ctx, 'plan-ending.transfer-progress', child.id, {
      transferId: transfer.id,
      conferenceHeld: checked.receivingConferenceOn !== null,
      confirmed: checked.confirmationReceivedOn !== null,
    });
    if (!transferComplete(updated)) return [];
    const held = updated.receivingConferenceOn as IsoDate;
    const confirmed = updated.confirmationReceivedOn as IsoDate;
    return endPlan(
      deps,
      repos,
      actor,
      child,
      outcome,
      {
        reason: 'moved-to-another-authority',
        endedOn: confirmed,
        details: `${updated.authorityName} held its conference on ${formatLongDate(held)} and confirmed it in writing on ${formatLongDate(confirmed)}.`,
        transferId: transfer.id,
      },
      {
        ending: `${ENDING_REASON_LABELS['moved-to-another-authority']}: the family moved permanently to ${updated.authorityName}, which held its conference on ${formatLongDate(held)} and confirmed it in writing on ${formatLongDate(confirmed)}. The plan ended on ${formatLongDate(confirmed)}.`,
        nextSteps: `${updated.authorityName} is now responsible for the child’s plan.`,
      },
      ctx,
    );
  });
}
