/**
 * The chair's referral form (A-3) as a read model: the request, the conference's children and parts,
 * every stored recording with its withheld parts (those the requester must not hear pre-ticked), who
 * attended, and the answers to start from (the referral being changed, or what the record suggests).
 */
import { type IsoDate } from '../../domain/calendar/index.ts';
import { ATTENDANCE_LABELS } from '../../domain/conferences/attendance.ts';
import { formatDuration, WITHHOLDING_REASON_LABELS } from '../../domain/recordings/index.ts';
import { prefillWithheld, type ReferralInput, type ReferralRecording } from '../../domain/requests/index.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { CopyRequestRecord } from './ports.ts';
import type { conferenceRef } from './request-support.ts';
import { fullName, recordingsFor, summaryRow, type RequestRules } from './request-support.ts';
import type { ReferralFormView } from './request-views.ts';

/** The referral form's facts, read in the caller's transaction (access checked, the view audited by the caller). */
export async function referralFormWithin(
  repos: Repositories,
  record: CopyRequestRecord,
  today: IsoDate,
  rules: RequestRules,
): Promise<ReferralFormView> {
  const r = record.request;
  const caches = { users: new Map<string, string>(), conferences: new Map() };
  const row = await summaryRow(repos, record, today, caches, rules);
  const conf = caches.conferences.get(record.conferenceId)! as Awaited<ReturnType<typeof conferenceRef>>;
  const { recordings, labels, parts } = await recordingsFor(repos, record.conferenceId);
  const prefilled = new Set(prefillWithheld(r.requester, recordings));
  const partLabel = new Map(parts.map((p) => [p.id, p.label]));
  const personNames = new Map<string, string>();
  const withheldFromLabel = async (w: ReferralRecording['segments'][number]['withheldFrom']) => {
    if (w.kind === 'all-family') return 'Everyone in the family';
    const names: string[] = [];
    for (const id of w.personIds) {
      if (!personNames.has(id))
        personNames.set(
          id,
          await repos.people.findPerson(id).then((p) => (p ? fullName(p) : 'a person no longer on record')),
        );
      names.push(personNames.get(id)!);
    }
    return names.join(', ');
  };
  const recordingViews: ReferralFormView['recordings'] = [];
  for (const rec of recordings) {
    const segments = [];
    for (const s of rec.segments) {
      segments.push({
        id: s.id,
        startMs: s.startMs,
        endMs: s.endMs,
        reasonLabel: WITHHOLDING_REASON_LABELS[s.reason],
        explanation: s.explanation,
        withheldFromLabel: await withheldFromLabel(s.withheldFrom),
        prefilled: prefilled.has(s.id),
      });
    }
    recordingViews.push({
      id: rec.id,
      label: labels.get(rec.id)!,
      partId: rec.partId,
      partLabel: rec.partId ? (partLabel.get(rec.partId) ?? null) : null,
      durationMs: rec.durationMs,
      segments,
    });
  }
  const invitees = new Map((await repos.meeting.listInvitees(record.conferenceId)).map((i) => [i.id, i]));
  const attendance = (await repos.meeting.listAttendance(record.conferenceId))
    .filter((a) => a.status !== 'invited')
    .map((a) => {
      const who = invitees.get(a.inviteeId);
      const part = parts.length > 1 ? partLabel.get(a.partId) : null;
      return {
        name: who?.name ?? 'Someone no longer invited',
        roleLabel: who ? (who.roleTitle ?? (who.agencyName ? who.agencyName : who.kind.replace(/-/g, ' '))) : '',
        statusLabel: `${ATTENDANCE_LABELS[a.status]}${part ? ` (${part})` : ''}`,
        exclusion:
          a.status === 'excluded'
            ? `${a.exclusionExtent === 'partial' ? 'Excluded from part of the conference' : 'Excluded from the conference'}${a.exclusionReason ? `: ${a.exclusionReason}` : ''}`
            : null,
      };
    });
  const existing = r.referral;
  const prefill: ReferralInput = existing
    ? {
        childIds: existing.childIds,
        email: existing.email,
        emailVerified: false,
        withheldSegmentIds: existing.withheldSegmentIds,
        withheldAdded: existing.withheldAdded.map((w) => ({
          recordingId: w.recordingId,
          start: formatDuration(w.startMs),
          end: formatDuration(w.endMs),
          reason: w.reason,
          explanation: w.explanation,
        })),
        nothingWithheld: existing.nothingWithheld,
        recordingIds: existing.recordingIds,
        partIds: existing.partIds,
        jointConsideration: existing.jointConsideration
          ? {
              on: existing.jointConsideration.on,
              faceToFace: existing.jointConsideration.faceToFace,
              notes: existing.jointConsideration.notes,
              childTookPart: true,
              socialWorkerTookPart: true,
              chairTookPart: true,
            }
          : null,
        adjustment: existing.adjustment,
        reasons: existing.reasons,
        advice: existing.advice,
      }
    : {
        childIds: r.childrenCovered,
        // A-3: a family member's email address on their record; the chair still confirms it with them.
        ...(r.requester.type === 'pr-holder'
          ? { email: (await repos.people.findPerson(r.requester.personId))?.email ?? undefined }
          : {}),
        withheldSegmentIds: [...prefilled],
        recordingIds: recordings.length === 1 ? [recordings[0]!.id] : [],
        partIds: [],
      };
  const { children, ...ref } = conf;
  return {
    request: { ...row, version: record.version, requesterType: r.requester.type },
    conference: {
      ...ref,
      children: children.map((c) => ({
        id: c.id,
        name: c.name,
        covered: r.childrenCovered.includes(c.id),
        withoutPr: r.childrenWithoutPr.includes(c.id),
      })),
      parts,
      split: parts.length > 1,
    },
    recordings: recordingViews,
    attendance,
    needsJointConsideration: r.requester.type === 'child',
    prefill,
    amending: existing !== null,
  };
}
