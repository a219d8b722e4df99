/**
 * 002 §3.9: every agency invited to the child's conferences (the core group is chosen from them) is told when the
 * plan ends: by email through the outbox where the professional has an address, otherwise a letter in the same
 * wording, listed to post. Who was told, how and when is recorded with the ending.
 */
import { type IsoDate, formatLongDate, londonDateOf } from '../../domain/calendar/index.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { PLAN_ENDED_TEMPLATE } from '../mail/plan-ending-templates.ts';
import { renderMessage, templateDefinition } from '../mail/templates.ts';
import type { ChildRecord } from '../people/ports.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { StepDownRecord } from './ports.ts';
import type { PlanEndingDeps } from './use-cases.ts';
import { STEP_DOWN_LABELS } from '../../domain/plan-endings/index.ts';

export function childNameForAgencies(child: ChildRecord): string {
  const born = child.dateOfBirth
    ? `born ${formatLongDate(child.dateOfBirth as IsoDate)}`
    : `unborn, expected ${formatLongDate(child.expectedDeliveryDate as IsoDate)}`;
  return `${child.givenNames} ${child.familyName} (${born})`;
}

/** The plan the child steps down to and the meeting with the family (T-9), in words, when recorded. */
export function nextStepsText(stepDown: StepDownRecord | null, familyMeetingDate: IsoDate | null): string {
  const lines: string[] = [];
  if (stepDown) {
    lines.push(`${STEP_DOWN_LABELS[stepDown.kind]}. Lead professional: ${stepDown.leadProfessional}.`);
    lines.push(`Services that continue: ${stepDown.services}`);
    if (stepDown.firstMeetingDate)
      lines.push(`The team around the child first meets the family on ${formatLongDate(stepDown.firstMeetingDate)}.`);
  }
  if (familyMeetingDate)
    lines.push(`The lead social worker meets the child and family on ${formatLongDate(familyMeetingDate)}.`);
  return lines.length ? lines.join('\n') : 'The child’s social worker will tell you of any services that continue.';
}

/** Tells every agency invited; returns the outbox messages to dispatch once the transaction commits. */
export async function tellAgencies(
  deps: PlanEndingDeps,
  repos: Repositories,
  child: ChildRecord,
  endingId: string,
  words: { ending: string; nextSteps: string },
  ctx: RequestContext,
): Promise<{ messageIds: string[]; emails: number; letters: number }> {
  const agencies = await repos.planEndings.invitedAgencies(child.id);
  const def = templateDefinition(PLAN_ENDED_TEMPLATE)!;
  const stored = await repos.messageTemplates.get(PLAN_ENDED_TEMPLATE);
  const wording = stored ?? { subject: def.defaultSubject, body: def.defaultBody };
  const messageIds: string[] = [];
  let letters = 0;
  const now = deps.clock.now();
  for (const a of agencies) {
    const values = {
      recipient_name: a.name,
      child_name: childNameForAgencies(child),
      ending: words.ending,
      next_steps: words.nextSteps,
    };
    const base = {
      endingId,
      professionalId: a.professionalId,
      recipientName: a.name,
      recipientRole: a.roleTitle,
      agencyName: a.agencyName,
      createdAt: now,
    };
    if (a.email) {
      const { messageId } = await deps.mail.queueWithin(repos, {
        template: PLAN_ENDED_TEMPLATE,
        to: a.email,
        values,
        about: { subjectType: 'plan-ending', subjectId: endingId, ctx },
      });
      messageIds.push(messageId);
      await repos.planEndings.insertNotice({ ...base, method: 'email', outboxMessageId: messageId, letterText: null });
    } else {
      const letter = renderMessage(def, wording, { ...values, council_name: deps.councilName });
      const address = [a.name, a.roleTitle, a.agencyName].join('\n');
      await repos.planEndings.insertNotice({
        ...base,
        method: 'letter',
        outboxMessageId: null,
        letterText: `${address}\n\n${formatLongDate(londonDateOf(now))}\n\n${letter.subject}\n\n${letter.text}`,
      });
      letters++;
    }
  }
  return { messageIds, emails: messageIds.length, letters };
}
