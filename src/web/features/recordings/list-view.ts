/**
 * Labels and view models for the pages about a conference's recordings: the list, the upload
 * journey, the evidence page and exports. Kept apart from the routes so each page shows a recording
 * the same way.
 */
import type { RecordingSummary } from '../../../app/recordings/recording-service.ts';
import type {
  FixityResult,
  FixityTrigger,
  RecordingAuditEvent,
  RecordingRecord,
} from '../../../app/recordings/ports.ts';
import { englandDateTimeSeconds, formatLongDate, londonDateOf } from '../../../domain/calendar/index.ts';
import { formatBytes } from '../../../domain/shared/bytes.ts';
import {
  RECORDING_KIND_LABELS,
  RECORDING_SOURCE_LABELS,
  RECORDING_STATUS_LABELS,
  type RecordingKind,
  type RecordingSource,
  type RecordingStatus,
  formatDuration,
} from '../../../domain/recordings/index.ts';

/** Short names for the list (R-6: the meeting itself, or the chair's dictation afterwards). */
export const KIND_SHORT_LABELS: Record<RecordingKind, string> = {
  meeting: 'Recording of the conference',
  dictation: 'Chair’s dictation',
};

export const UPLOAD_SOURCES = ['teams', 'dictaphone', 'other'] as const satisfies readonly RecordingSource[];

const STATUS_TAG_CLASSES: Record<RecordingStatus, string> = {
  receiving: 'govuk-tag--blue',
  processing: 'govuk-tag--yellow',
  stored: 'govuk-tag--green',
  rejected: 'govuk-tag--red',
  audio_missing: 'govuk-tag--red',
};

export interface StatusTag {
  text: string;
  classes: string;
}

export function statusTag(status: RecordingStatus, liveState: RecordingSummary['liveState'] = null): StatusTag {
  if (status === 'receiving' && liveState === 'paused') return { text: 'Paused', classes: 'govuk-tag--yellow' };
  return { text: RECORDING_STATUS_LABELS[status], classes: STATUS_TAG_CLASSES[status] };
}

/** What a recording that is not stored yet is waiting for, in words. */
export function notStoredYet(
  r: Pick<RecordingRecord, 'status' | 'source' | 'receivedBytes' | 'playable'>,
): string | null {
  if (r.status === 'stored' && r.playable === 'preparing') return 'Stored safely: being prepared for playback';
  if (r.status === 'stored' && r.playable === 'undecodable') return 'Stored safely, but it cannot be played';
  if (r.status === 'receiving') {
    if (r.source === 'browser') return 'Not stored yet: audio is still being recorded';
    return 'Not stored yet: the file has not been sent';
  }
  if (r.status === 'processing') return 'Not stored yet: the audio is being checked, encrypted and stored';
  if (r.status === 'audio_missing') return 'Not stored yet: the audio is missing and must be uploaded again';
  return null;
}

/** "2,048,000 bytes (2 MB)": exact for evidence, readable too. */
export function exactBytes(bytes: number | null): string {
  if (bytes === null) return 'Not known';
  const exact = `${bytes.toLocaleString('en-GB')} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return bytes >= 1024 ? `${exact} (${formatBytes(bytes)})` : exact;
}

export function listRow(r: RecordingSummary) {
  return {
    id: r.id,
    href: `/recordings/${r.id}`,
    name: r.name,
    uploadHref:
      (r.status === 'receiving' && r.source !== 'browser') || r.status === 'audio_missing'
        ? `/recordings/${r.id}/upload`
        : null,
    audioMissing: r.status === 'audio_missing',
    // a live recording that needs attention is dealt with from its own page (banner, stop or discard), not the recorder.
    needsAttention: r.needsAttention,
    liveHref:
      r.status === 'receiving' && r.source === 'browser' && !r.needsAttention ? `/recordings/${r.id}/live` : null,
    attentionHref: r.needsAttention ? `/recordings/${r.id}` : null,
    kind: KIND_SHORT_LABELS[r.kind],
    part: r.partLabel ?? 'Not linked to a part',
    source: RECORDING_SOURCE_LABELS[r.source],
    started: formatLongDate(londonDateOf(r.startedAt)),
    tag: statusTag(r.status, r.liveState),
    waiting: notStoredYet(r),
    rejectionReason: r.status === 'rejected' ? (r.rejectionReason ?? 'No reason was recorded') : null,
    duration: r.status === 'stored' && r.durationMs !== null ? formatDuration(r.durationMs) : null,
    statementConfirmed: r.statementConfirmed,
  };
}

export function recordingFacts(r: RecordingRecord, partLabel: string | null) {
  return {
    kind: RECORDING_KIND_LABELS[r.kind],
    source: RECORDING_SOURCE_LABELS[r.source],
    part: partLabel ?? 'Not linked to a part',
    started: formatLongDate(londonDateOf(r.startedAt)),
    tag: statusTag(r.status),
    duration: r.durationMs !== null ? formatDuration(r.durationMs) : null,
  };
}

export const FIXITY_TRIGGER_LABELS: Record<FixityTrigger, string> = {
  ingest: 'When it was stored',
  scheduled: 'Scheduled check',
  'on-demand': 'Checked on request',
  export: 'Before an export',
};

export const FIXITY_RESULT_TAGS: Record<FixityResult, StatusTag> = {
  ok: { text: 'Unchanged', classes: 'govuk-tag--green' },
  mismatch: { text: 'Changed', classes: 'govuk-tag--red' },
  missing: { text: 'Missing', classes: 'govuk-tag--red' },
  unreadable: { text: 'Unreadable', classes: 'govuk-tag--red' },
};

const AUDIT_LABELS: Record<string, string> = {
  'recording.started': 'Recording started in the browser',
  'recording.paused': 'Recording paused for a break',
  'recording.resumed': 'Recording resumed',
  'recording.stopped': 'Recording stopped',
  'recording.upload_started': 'Upload described',
  'recording.client_sha256': 'Sender’s SHA-256 recorded',
  'recording.uploaded': 'File received',
  'recording.upload_cancelled': 'Upload cancelled',
  'recording.stored': 'Original stored',
  'recording.rejected': 'Not stored',
  'recording.view': 'Recording page viewed',
  'recording.evidence_viewed': 'Evidence viewed',
  'recording.statement_confirmed': 'Explanatory statement confirmed',
  'recording.bookmark_added': 'Bookmark added',
  'recording.bookmark_removed': 'Bookmark removed',
  'recording.withheld_added': 'Part marked as withheld',
  'recording.withheld_removed': 'Withheld part removed',
  'recording.labelled': 'Label changed',
  'recording.played': 'Played',
  'recording.play_granted': 'Player opened',
  'recording.exported': 'Original exported',
  'recording.fixity_checked': 'Integrity checked',
};

const OUTCOME_LABELS: Record<string, string> = { success: 'Done', failure: 'Failed', denied: 'Refused' };

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/** One audit entry as a row of the evidence page: the reason is shown for plays and exports. */
export function auditRow(e: RecordingAuditEvent) {
  const d = e.details ?? {};
  const notes: string[] = [];
  const reason = text(d['reason']);
  if (reason) notes.push(e.action === 'recording.rejected' ? reason : `Reason: ${reason}`);
  if (e.action === 'recording.stored' && text(d['sha256'])) notes.push(`SHA-256 ${String(d['sha256'])}`);
  if (e.action === 'recording.client_sha256' && text(d['sha256'])) notes.push(`SHA-256 ${String(d['sha256'])}`);
  if (e.action === 'recording.uploaded' && typeof d['size'] === 'number') notes.push(exactBytes(d['size']));
  if (e.action === 'recording.labelled')
    notes.push(text(d['label']) ? `Label: ${String(d['label'])}` : 'Label taken away');
  if (e.action === 'recording.fixity_checked') {
    const trigger = text(d['trigger']);
    if (trigger && trigger in FIXITY_TRIGGER_LABELS) notes.push(FIXITY_TRIGGER_LABELS[trigger as FixityTrigger]);
    const results = Array.isArray(d['results']) ? (d['results'] as Array<{ result?: unknown }>) : [];
    if (results.length)
      notes.push(results.every((r) => r.result === 'ok') ? 'Every file unchanged' : 'A file has changed or is missing');
  }
  return {
    at: englandDateTimeSeconds(e.at),
    what: AUDIT_LABELS[e.action] ?? e.action,
    who: e.actorLabel,
    outcome: OUTCOME_LABELS[e.outcome] ?? e.outcome,
    notes: notes.join('. '),
  };
}
