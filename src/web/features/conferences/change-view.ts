import type { ConferenceOverview } from '../../../app/conferences/convening-service.ts';
import type { ConferenceLifecycle } from '../../../app/conferences/rearrangement-service.ts';
import { RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../../domain/access/roles.ts';
import { type Deadline, formatLongDate, londonDateOf } from '../../../domain/calendar/index.ts';
import { CHANGE_KIND_LABELS } from '../../../domain/conferences/rearrangement.ts';
import { deadlineText } from './convening-forms.ts';

/** "by Friday 20 March 2026, counted from …" for a sentence. */
export function stillNeededText(d: Deadline): string {
  const t = deadlineText(d);
  return t.charAt(0).toLowerCase() + t.slice(1);
}

const RAG_TAGS = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  'due-soon': { text: 'Due soon', classes: 'govuk-tag--yellow' },
  'on-track': { text: 'On track', classes: 'govuk-tag--green' },
} as const;

/** The conference page's part about its changes, its cancellation and how each invitation went. */
export function lifecyclePageView(o: ConferenceOverview, life: ConferenceLifecycle, actor: Actor) {
  const planned = o.conference.status === 'planned';
  const editor = hasAnyRole(actor, RECORD_EDITOR_ROLES);
  const byInvitee = new Map(life.sending.map((s) => [s.inviteeId, s]));
  const changedOn = (d: Date) => formatLongDate(londonDateOf(d));
  return {
    canChange: planned && editor,
    canSend: editor && (planned || (o.conference.status === 'cancelled' && life.notices.length > 0)),
    cancellation: life.cancellation
      ? {
          on: changedOn(life.cancellation.changedAt),
          by: life.cancellation.changedBy.name,
          reason: life.cancellation.reason,
        }
      : null,
    stillNeeded: life.stillNeeded
      ? {
          text: stillNeededText(life.stillNeeded.deadline),
          explanation: life.stillNeeded.deadline.explanation,
          tag: RAG_TAGS[life.stillNeeded.status],
          title: o.typeLabel.toLowerCase(),
        }
      : null,
    recordedAfterwards: life.recordedAfterwards
      ? {
          on: changedOn(life.recordedAfterwards.changedAt),
          by: life.recordedAfterwards.changedBy.name,
          reason: life.recordedAfterwards.reason,
        }
      : null,
    changes: life.changes.map((c) => ({
      title: CHANGE_KIND_LABELS[c.kind],
      when: changedOn(c.changedAt),
      by: c.changedBy.name,
      lines: c.changes.map((x) => `${x.label}: was ${x.from}, now ${x.to}`),
      reason: c.reason,
      lateAgreedBy: c.lateAgreedBy,
    })),
    /** The invitation list's "sent" column, with how the service sent it (email status, posted, cancellation notice). */
    withSending<T extends { id: string; sentText: string }>(invitees: T[]): T[] {
      return invitees.map((i) => {
        const s = byInvitee.get(i.id);
        if (!s) return i;
        const parts = [i.sentText];
        if (['queued', 'sent', 'failed', 'to-post', 'posted'].includes(s.state)) parts.push(s.label);
        if (s.changedSinceIssued && !s.notice) parts.push('changed since it was sent');
        if (s.notice) parts.push(`cancellation notice: ${s.notice.label.toLowerCase()}`);
        return { ...i, sentText: parts.join('; ') };
      });
    },
  };
}
