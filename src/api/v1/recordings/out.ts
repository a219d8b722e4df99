/** Records as the recordings API answers them (allow-lists: blob keys never leave the server). */
import type {
  BookmarkRecord,
  BreakRecord,
  DerivativeRecord,
  FixityEventRecord,
  RecordingAuditEvent,
  RecordingRecord,
  StatementRecord,
  WithheldRecord,
} from '../../../app/recordings/ports.ts';
import type { RecordingSummary } from '../../../app/recordings/recording-service.ts';
import type { ExplanatoryStatement } from '../../../domain/recordings/index.ts';
import { iso, isoOrNull } from './schemas.ts';

// ------------------------------------------------------------------ mapping

export function recordingOut(r: RecordingRecord) {
  return {
    id: r.id,
    conferenceId: r.conferenceId,
    partId: r.conferencePartId,
    kind: r.kind,
    source: r.source,
    status: r.status,
    rejectionReason: r.rejectionReason,
    clientSha256: r.clientSha256,
    receivedBytes: r.receivedBytes,
    playable: r.playable,
    playableProblem: r.playableProblem,
    original:
      r.status === 'stored' &&
      r.originalSha256 &&
      r.originalSize !== null &&
      r.originalBlobSha256 &&
      r.originalBlobSize !== null
        ? {
            sha256: r.originalSha256,
            size: r.originalSize,
            encryptedSha256: r.originalBlobSha256,
            encryptedSize: r.originalBlobSize,
            container: r.container,
            codec: r.codec,
            durationMs: r.durationMs,
            sampleRate: r.sampleRate,
            channels: r.channels,
            endsAbruptly: r.endsAbruptly,
          }
        : null,
    startedAt: iso(r.startedAt),
    liveStoppedAt: isoOrNull(r.liveStoppedAt),
    storedAt: isoOrNull(r.storedAt),
    createdAt: iso(r.createdAt),
  };
}
export const summaryOut = (
  s: Pick<RecordingSummary, 'partLabel' | 'liveState' | 'statementConfirmed'> & RecordingRecord,
) => ({
  ...recordingOut(s),
  partLabel: s.partLabel,
  liveState: s.liveState,
  statementConfirmed: s.statementConfirmed,
});
export const breakOut = (b: BreakRecord) => ({
  ordinal: b.ordinal,
  atMs: b.atMs,
  startedAt: iso(b.startedAt),
  endedAt: isoOrNull(b.endedAt),
  reason: b.reason,
  participantChanges: b.participantChanges,
});
/** A statement's content, field by field. */
export const statementContentOut = (c: ExplanatoryStatement) => ({
  location: c.location,
  recordedOn: c.recordedOn,
  startedAt: c.startedAt,
  endedAt: c.endedAt,
  context: c.context,
  speakers: c.speakers.map((sp) => ({ name: sp.name, role: sp.role })),
  breaks: c.breaks.map((b) => ({
    startedAt: b.startedAt,
    endedAt: b.endedAt,
    reason: b.reason,
    participantChanges: b.participantChanges,
  })),
});
export const statementOut = (s: StatementRecord) => ({
  version: s.version,
  content: statementContentOut(s.content),
  changeReason: s.changeReason,
  confirmedBy: { id: s.confirmedBy, name: s.confirmedByName },
  confirmedAt: iso(s.confirmedAt),
});
export const bookmarkOut = (b: BookmarkRecord) => ({
  id: b.id,
  atMs: b.atMs,
  kind: b.kind,
  label: b.label,
  createdBy: { id: b.createdBy, name: b.createdByName },
  createdAt: iso(b.createdAt),
});
export const withheldOut = (w: WithheldRecord) => ({
  id: w.id,
  startMs: w.startMs,
  endMs: w.endMs,
  reason: w.reason,
  explanation: w.explanation,
  withheldFrom:
    w.withheldFrom.kind === 'named'
      ? { kind: 'named' as const, personIds: [...w.withheldFrom.personIds] }
      : { kind: 'all-family' as const },
  createdBy: { id: w.createdBy, name: w.createdByName },
  createdAt: iso(w.createdAt),
});
export const fixityOut = (f: FixityEventRecord) => ({
  id: f.id,
  derivativeId: f.derivativeId,
  trigger: f.trigger,
  result: f.result,
  detail: f.detail,
  checkedAt: iso(f.checkedAt),
});
export const derivativeOut = (d: DerivativeRecord) => ({
  id: d.id,
  kind: d.kind,
  mediaType: d.mediaType,
  size: d.size,
  sha256: d.sha256,
  encryptedSha256: d.blobSha256,
  originalSha256: d.originalSha256,
  durationMs: d.durationMs,
  createdAt: iso(d.createdAt),
});
export const playbackOut = (d: DerivativeRecord) => {
  const { kind: _kind, ...rest } = derivativeOut(d);
  return rest;
};
export const eventOut = (e: RecordingAuditEvent) => ({
  seq: e.seq,
  at: iso(e.at),
  action: e.action,
  actor: e.actorLabel,
  outcome: e.outcome,
  details: e.details,
});
