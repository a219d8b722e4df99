/**
 * How far each issued document has gone (T-6, T-7): for the latest issue of each draft, how many of its
 * recipients have been sent their copy, and who is still missing. Read in the caller's transaction; the written
 * record page and business support's dashboard both count it this way.
 */
import { type SendingProgress, hasGone, sendingProgress } from '../../domain/documents/sending.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { IssuedRecipient, SendingRecord } from './sending-ports.ts';

export interface DocumentSendingProgress extends SendingProgress {
  conferenceId: string;
  draftId: string;
  kind: IssuedRecipient['kind'];
  subjectInviteeId: string | null;
}

/** Whether a sending counts as gone: posted, or an email the mail service has not refused for good (its link not cancelled). */
export const sendingHasGone = (s: SendingRecord) =>
  hasGone({
    method: s.method,
    sentAt: s.sentAt,
    postedOn: s.postedOn,
    email: s.method !== 'post' ? (s.outboxState === 'rejected' ? 'undeliverable' : 'waiting') : null,
    openedAt: s.openedAt,
    downloadedAt: s.downloadedAt,
    cancelled: Boolean(s.link?.revokedAt),
  });

/** The progress of every issued document of the conferences, by draft id. */
export async function sendingProgressFor(
  repos: Repositories,
  conferenceIds: readonly string[],
): Promise<Map<string, DocumentSendingProgress>> {
  const [recipients, sendings] = await Promise.all([
    repos.documentSendings.latestIssueRecipients(conferenceIds),
    repos.documentSendings.listForConferences(conferenceIds),
  ]);
  const gone = new Set(
    sendings.filter(sendingHasGone).map((s) => `${s.draftId}:${s.issueNumber}:${s.recipientInviteeId}`),
  );
  const byDraft = new Map<string, IssuedRecipient[]>();
  for (const r of recipients) byDraft.set(r.draftId, [...(byDraft.get(r.draftId) ?? []), r]);
  const out = new Map<string, DocumentSendingProgress>();
  for (const [draftId, rs] of byDraft) {
    const first = rs[0]!;
    const progress = sendingProgress(
      rs.map((r) => ({
        name: r.recipientName,
        sendings: gone.has(`${r.draftId}:${r.issueNumber}:${r.recipientInviteeId}`)
          ? [{ method: 'post', sentAt: new Date(0), postedOn: null, email: null, openedAt: null, downloadedAt: null }]
          : [],
      })),
    );
    out.set(draftId, {
      ...progress,
      conferenceId: first.conferenceId,
      draftId,
      kind: first.kind,
      subjectInviteeId: first.subjectInviteeId,
    });
  }
  return out;
}

/** One conference's progress by draft id. */
export async function sendingProgressOf(
  repos: Repositories,
  conferenceId: string,
): Promise<Map<string, SendingProgress>> {
  const all = await sendingProgressFor(repos, [conferenceId]);
  return new Map([...all].map(([id, p]) => [id, { sent: p.sent, total: p.total, missing: p.missing }]));
}

/** A document's progress (found by its conference, kind and subject, as the dashboard names documents), or null. */
export function sendingFor(
  progress: ReadonlyMap<string, DocumentSendingProgress>,
  doc: { conferenceId: string; kind: IssuedRecipient['kind']; subjectInviteeId: string | null },
): SendingProgress | null {
  for (const p of progress.values())
    if (p.conferenceId === doc.conferenceId && p.kind === doc.kind && p.subjectInviteeId === doc.subjectInviteeId)
      return { sent: p.sent, total: p.total, missing: p.missing };
  return null;
}
