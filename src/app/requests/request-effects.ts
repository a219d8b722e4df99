/**
 * What a step of a request for a copy causes, carried out in the step's transaction:
 * staff and requester emails queued in the outbox, A-7 case notes on each child's record, warnings for
 * anything that could not be done, and the step's timeline and audit entries.
 */
import { canViewChild, type ChildAccessFacts } from '../../domain/access/child-access.ts';
import { type Role } from '../../domain/access/roles.ts';
import { formatLongDate, londonDateOf } from '../../domain/calendar/index.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import {
  NOTIFIED_PARTIES,
  NOTIFIED_PARTY_LABELS,
  requestDeadline,
  RequestError,
  type Applied,
  type CopyRequest,
  type NotifiedParty,
  type RequestEffect,
} from '../../domain/requests/index.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { recordCaseNote } from '../people/people-service.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { CopyRequestRecord, NewCopyRequestStep } from './ports.ts';
import {
  fullName,
  requesterName,
  userName,
  COPY_SENT_CASE_NOTE_KIND,
  requestReference,
  auditRequest,
  type RequestRules,
  type RequestServiceDeps,
} from './request-support.ts';
import { conferenceEmailValues } from './request-email-values.ts';

type StaffTarget = Extract<RequestEffect, { kind: 'notify-staff' }>['to'];

const STAFF_TARGET_LABELS: Record<StaffTarget, string> = {
  'business-support': 'conference business support',
  'social-worker': 'the social worker',
  'qa-manager': 'the quality assurance service manager',
  chair: 'the chair',
};

/** The email each staff notification uses. */
function staffTemplate(
  to: StaffTarget,
  about: Extract<RequestEffect, { kind: 'notify-staff' }>['about'],
): string | null {
  switch (about) {
    case 'referred':
      return 'request-referred';
    case 'verification-failed':
      return 'confirmation-failed';
    case 'copy-sent':
      return to === 'chair'
        ? 'copy-sent-chair'
        : to === 'social-worker'
          ? 'copy-sent-social-worker'
          : to === 'qa-manager'
            ? 'copy-sent-qa-manager'
            : null;
    case 'refused':
    case 'withdrawn':
      return 'request-ended';
    default:
      return null;
  }
}

/** who was emailed, in words, for the case note. */
function toldText(parties: readonly NotifiedParty[]): string {
  const names = NOTIFIED_PARTIES.filter((p) => parties.includes(p)).map((p) => NOTIFIED_PARTY_LABELS[p].toLowerCase());
  if (names.length === 0) return 'Nobody could be emailed about it from the service.';
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]!;
  return `The ${list} ${names.length > 1 ? 'have' : 'has'} been emailed.`;
}

const PARTY_OF_TARGET: Partial<Record<StaffTarget, NotifiedParty>> = {
  chair: 'chair',
  'social-worker': 'social-worker',
  'qa-manager': 'qa-manager',
};

/** Carries out a step's effects for the requests service. */
export class StepEffects {
  private readonly deps: RequestServiceDeps;
  private readonly rules: RequestRules;

  constructor(deps: RequestServiceDeps, rules: RequestRules) {
    this.deps = deps;
    this.rules = rules;
  }

  private link(id: string): string {
    return `${this.deps.settings.publicBaseUrl}/requests/${id}`;
  }

  /** Carries out the step's effects in its transaction: emails queued in the outbox, case notes written. */
  async carryOut(
    repos: Repositories,
    ctx: RequestContext,
    record: CopyRequestRecord,
    applied: Applied,
    messageIds: string[],
  ): Promise<{ warnings: string[]; details: Record<string, unknown> }> {
    const r = applied.request;
    const warnings: string[] = [];
    const notifiedParties: NotifiedParty[] = [];
    const caseNoteChildIds: string[] = [];
    const reference = requestReference(record);
    const about = { subjectType: 'copy-request', subjectId: record.id, ctx };
    const conference = await repos.meeting.findConference(record.conferenceId);
    const conferenceChildren = await repos.meeting.listChildren(record.conferenceId);
    const childIds = r.referral?.childIds ?? r.childrenCovered;
    const queue = async (template: string, to: string, values: Record<string, string>) => {
      const { messageId } = await this.deps.mail.queueWithin(repos, { template, to, values, about });
      messageIds.push(messageId);
    };
    for (const effect of applied.effects) {
      switch (effect.kind) {
        case 'notify-staff': {
          const template = staffTemplate(effect.to, effect.about);
          if (!template) {
            // There is no email for a request that has ended: say so on the request, once, so someone tells them.
            const warning = `Nobody was emailed that the request was ${effect.about}: tell conference business support, the social worker and the quality assurance service manager another way.`;
            if (!warnings.includes(warning)) warnings.push(warning);
            continue;
          }
          const recipients = await this.staffRecipients(
            repos,
            r,
            effect.to,
            conferenceChildren.filter((c) => childIds.includes(c.childId)).map((c) => c.allocatedSocialWorkerId),
          );
          if (recipients.length === 0) {
            warnings.push(
              `Nobody was emailed as ${STAFF_TARGET_LABELS[effect.to]}: ${effect.to === 'social-worker' ? 'no child in the request has an allocated social worker with an account' : effect.to === 'chair' ? 'the request has no chair' : 'nobody with that role can see every child in the request'}. Tell them another way.`,
            );
            continue;
          }
          const values = await this.staffValues(repos, template, record, r, reference);
          for (const u of recipients) await queue(template, u.email, values);
          const party = PARTY_OF_TARGET[effect.to];
          if (party && effect.about === 'copy-sent') notifiedParties.push(party);
          break;
        }
        case 'email-requester': {
          // The copy-ready email with the download link is sent by the secure delivery service when it
          // creates the delivery (only it knows the link); here only the A-5 request for details.
          if (effect.template !== 'confirm-details') continue;
          if (!r.referral)
            throw new RequestError(
              'INVALID_REQUEST',
              'The request has no referral, so there is no email address to write to',
            );
          await queue('email-confirmation', r.referral.email, {
            requester_name: await requesterName(
              repos,
              r,
              new Map(conferenceChildren.map((c) => [c.childId, fullName(c)])),
            ),
            request_reference: reference,
            ...(await conferenceEmailValues(repos, r)),
            reply_to: this.deps.settings.replyTo,
          });
          break;
        }
        case 'case-note': {
          const on = r.delivery
            ? formatLongDate(londonDateOf(r.delivery.sentAt))
            : formatLongDate(londonDateOf(this.deps.clock.now()));
          const confText = conference
            ? `the ${CONFERENCE_TYPE_LABELS[conference.type].toLowerCase()} on ${formatLongDate(conference.scheduledDate)}`
            : 'a conference';
          await recordCaseNote(
            repos,
            this.deps.clock,
            {
              childId: effect.childId,
              kind: COPY_SENT_CASE_NOTE_KIND,
              text: `A copy of the audio recording of ${confText} was sent securely on ${on} to the person who asked for it (request ${reference}), with the parts they must not hear withheld. ${toldText(notifiedParties)}`,
            },
            ctx,
          );
          caseNoteChildIds.push(effect.childId);
          break;
        }
      }
    }
    const details: Record<string, unknown> = {};
    if (applied.effects.some((e) => e.kind === 'case-note' || (e.kind === 'notify-staff' && e.about === 'copy-sent'))) {
      details['notifiedParties'] = notifiedParties;
      details['caseNoteChildIds'] = caseNoteChildIds;
    }
    return { warnings, details };
  }

  /** Who to email for a staff notification: active users in that role who may see every child of the conference. */
  private async staffRecipients(
    repos: Repositories,
    r: CopyRequest,
    to: StaffTarget,
    socialWorkerIds: Array<string | null>,
  ): Promise<Array<{ id: string; email: string }>> {
    const childIds = (await repos.convening.conferenceChildIds(r.conferenceId)) ?? [];
    const facts: ChildAccessFacts[] = [];
    for (const id of childIds) {
      const f = await repos.people.childAccessFacts(id);
      if (f) facts.push(f);
    }
    const canSeeAll = (u: { id: string; name: string; roles: Role[] }) =>
      facts.length === childIds.length &&
      facts.every((f) => canViewChild({ id: u.id, name: u.name, roles: u.roles }, f).allowed);
    let candidates: Array<{ id: string; name: string; email: string; roles: Role[]; disabledAt: Date | null }> = [];
    if (to === 'business-support') candidates = await repos.accounts.listUsersWithRole('business_support');
    else if (to === 'qa-manager') candidates = await repos.accounts.listUsersWithRole('qa_manager');
    else {
      const ids = to === 'chair' ? [r.chairId] : [...new Set(socialWorkerIds)];
      for (const id of ids) {
        if (!id) continue;
        const u = await repos.accounts.findUserById(id);
        if (u) candidates.push(u);
      }
    }
    // A social worker allocated to only some of the children is still told about their child's request.
    return candidates
      .filter((u) => u.disabledAt === null && (to === 'social-worker' || canSeeAll(u)))
      .map((u) => ({ id: u.id, email: u.email }));
  }

  private async staffValues(
    repos: Repositories,
    template: string,
    record: CopyRequestRecord,
    r: CopyRequest,
    reference: string,
  ): Promise<Record<string, string>> {
    const link = this.link(record.id);
    if (template === 'request-referred') {
      return {
        request_reference: reference,
        received_on: formatLongDate(r.receivedOn),
        due_on: formatLongDate(requestDeadline(r, this.rules).due),
        referred_by: (await userName(repos, r.chairId))?.name ?? 'The chair',
        request_link: link,
      };
    }
    if (template === 'confirmation-failed') return { request_reference: reference, request_link: link };
    if (template === 'request-ended')
      return {
        request_reference: reference,
        ended_as: r.state === 'withdrawn' ? 'withdrawn' : 'refused',
        request_link: link,
      };
    return {
      request_reference: reference,
      sent_on: formatLongDate(londonDateOf(r.delivery?.sentAt ?? this.deps.clock.now())),
      request_link: link,
    };
  }
}

/** Appends the steps and audit entries for what `applied` did to the request. */
export async function recordSteps(
  repos: Repositories,
  ctx: RequestContext,
  requestId: string,
  before: Pick<CopyRequestRecord, 'request'>,
  applied: Applied,
  extraDetails: Record<string, unknown> = {},
): Promise<void> {
  const newHistory = applied.request.history.slice(before.request.history.length);
  const steps: NewCopyRequestStep[] = applied.events.map((e, i) => ({
    action: newHistory[i]?.action ?? 'receive',
    fromState: e.from,
    toState: e.to,
    at: e.at,
    actorId: e.actorId,
    details: { ...e.details, ...(i === applied.events.length - 1 ? extraDetails : {}) },
  }));
  await repos.copyRequests.appendSteps(requestId, steps);
  for (const e of applied.events) {
    await auditRequest(repos, ctx, e.action, requestId, { from: e.from, to: e.to, ...e.details, ...extraDetails });
  }
}
