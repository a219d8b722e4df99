/**
 * What the recording pages show, worked out from the service's RecordingDetail: labels, times in
 * the recording, the explanatory statement (R-2) and the player's timeline of bookmarks, breaks and
 * withheld parts. No I/O here.
 */
import type { BreakRecord, RecordingRecord, WithheldRecord } from '../../../app/recordings/ports.ts';
import type { RecordingDetail } from '../../../app/recordings/recording-service.ts';
import {
  BOOKMARK_KIND_LABELS,
  BOOKMARK_KINDS,
  type ExplanatoryStatement,
  formatDuration,
  RECORDING_KIND_LABELS,
  RECORDING_SOURCE_LABELS,
  RECORDING_STATUS_LABELS,
  type RecordingStatus,
  WITHHOLDING_REASON_LABELS,
  WITHHOLDING_REASONS,
} from '../../../domain/recordings/index.ts';
import { englandClockTime } from '../../../domain/calendar/index.ts';
import { formatBytes } from '../../../domain/shared/bytes.ts';
import { formatLongDate } from '../../plugins/format.ts';

/** The list of recordings that need someone to act (R-4). */
export const ATTENTION_PATH = '/recordings/attention';

export const recordingBase = (rid: string) => `/recordings/${rid}`;

const STATUS_TAG_CLASSES: Record<RecordingStatus, string> = {
  receiving: 'govuk-tag--blue',
  processing: 'govuk-tag--yellow',
  stored: 'govuk-tag--green',
  rejected: 'govuk-tag--red',
  audio_missing: 'govuk-tag--red',
};

export const BOOKMARK_KIND_ITEMS = BOOKMARK_KINDS.map((k) => ({ value: k, text: BOOKMARK_KIND_LABELS[k] }));
export const WITHHOLDING_REASON_ITEMS = WITHHOLDING_REASONS.map((r) => ({
  value: r,
  text: WITHHOLDING_REASON_LABELS[r],
}));

function names(list: readonly string[]): string {
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : (list[0] ?? '');
}

/** Who a withheld part is kept from, in words. */
export function audienceText(w: Pick<WithheldRecord, 'withheldFrom'>, people: RecordingDetail['people']): string {
  if (w.withheldFrom.kind === 'all-family') return 'All family members and the children';
  const byId = new Map(people.map((p) => [p.id, p.name]));
  return names(w.withheldFrom.personIds.map((id) => byId.get(id) ?? 'Someone no longer linked to this conference'));
}

function breakText(b: BreakRecord): string {
  const when = `paused at ${englandClockTime(b.startedAt)}${b.endedAt ? `, resumed at ${englandClockTime(b.endedAt)}` : ''}`;
  return `${b.reason} (${when})${b.participantChanges ? `. Change of participants: ${b.participantChanges}` : ''}`;
}

/** The facts at the top of the recording page and in every recording page's heading. */
export function recordingModel(d: RecordingDetail) {
  const r = d.recording;
  const base = recordingBase(r.id);
  const statement = d.statements.at(-1) ?? null;
  const technical = [
    r.codec?.toUpperCase(),
    r.container ? `in ${r.container.toUpperCase()}` : null,
    r.sampleRate ? `${(r.sampleRate / 1000).toLocaleString('en-GB')} kHz` : null,
    r.channels ? (r.channels === 1 ? 'mono' : r.channels === 2 ? 'stereo' : `${r.channels} channels`) : null,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    d,
    r,
    name: d.name,
    base,
    recordingsHref: `/conferences/${d.conference.id}/recordings`,
    conferenceHref: `/conferences/${d.conference.id}`,
    caption: `${d.conference.title} – ${formatLongDate(d.conference.scheduledDate)} – ${names(d.conference.childNames)}`,
    kindLabel: RECORDING_KIND_LABELS[r.kind],
    sourceLabel: RECORDING_SOURCE_LABELS[r.source],
    statusTag: { text: RECORDING_STATUS_LABELS[r.status], classes: STATUS_TAG_CLASSES[r.status] },
    stored: r.status === 'stored',
    storing: storingStatus(r.id, r),
    /** Stored safely, and still being made playable: the page waits for it as for storing. */
    preparing: r.status === 'stored' && r.playable === 'preparing',
    undecodable: r.status === 'stored' && r.playable === 'undecodable',
    canPlay: r.status === 'stored' && r.playable === 'ready',
    notStoredWhy: r.status === 'rejected' ? notStoredWhy(r) : null,
    uploadHref: `/conferences/${d.conference.id}/recordings/upload`,
    durationText: r.durationMs !== null ? formatDuration(r.durationMs) : null,
    technical: technical || null,
    sizeText: r.originalSize !== null ? `${r.originalSize.toLocaleString('en-GB')} bytes` : null,
    storedText: r.storedAt ? formatLongDate(r.storedAt) : null,
    attention: d.needsAttention
      ? { beganText: formatLongDate(r.startedAt), receivedText: formatBytes(r.receivedBytes), listHref: ATTENTION_PATH }
      : null,
    missingSinceText:
      r.status === 'audio_missing' && r.audioMissingAt ? `found on ${formatLongDate(r.audioMissingAt)}` : null,
    statement: statement ? statementModel(statement.content) : null,
    statementRecord: statement,
    statementConfirmedText: statement
      ? `Version ${statement.version}, confirmed by ${statement.confirmedByName} on ${formatLongDate(statement.confirmedAt)}`
      : null,
    breaks: d.breaks.map((b) => ({
      ...b,
      atText: formatDuration(b.atMs),
      startedText: englandClockTime(b.startedAt),
      endedText: b.endedAt ? englandClockTime(b.endedAt) : 'Not resumed',
    })),
    bookmarks: [...d.bookmarks]
      .sort((a, b) => a.atMs - b.atMs)
      .map((b) => ({ ...b, atText: formatDuration(b.atMs), kindLabel: BOOKMARK_KIND_LABELS[b.kind] })),
    withheld: [...d.withheld]
      .sort((a, b) => a.startMs - b.startMs)
      .map((w) => ({
        ...w,
        startText: formatDuration(w.startMs),
        endText: formatDuration(w.endMs),
        reasonLabel: WITHHOLDING_REASON_LABELS[w.reason],
        audience: audienceText(w, d.people),
      })),
  };
}

/**
 * What the page waiting for a recording to be checked and stored (and then prepared for playback) says, the same
 * with and without JavaScript: the page renders it, and the script puts what the status route answers into the same
 * live region. `done` is true once there is nothing more to wait for.
 */
export function storingStatus(
  rid: string,
  r: Pick<RecordingRecord, 'status' | 'rejectionReason' | 'playable' | 'playableProblem'>,
): {
  status: RecordingStatus;
  playable: RecordingRecord['playable'];
  done: boolean;
  text: string;
  linkText: string;
  href: string;
} {
  const { status, rejectionReason, playable } = r;
  const href = recordingBase(rid);
  if (status === 'stored' && playable === 'preparing')
    return {
      status,
      playable,
      done: false,
      text: 'The recording is stored safely: encrypted, written to disk and its SHA-256 recorded. It is being prepared for playback, which can take a few minutes for a long recording.',
      linkText: 'Refresh to see whether it can be played',
      href,
    };
  if (status === 'stored' && playable === 'undecodable')
    return {
      status,
      playable,
      done: true,
      text: `The recording is stored safely, but it cannot be played: ${r.playableProblem ?? 'its audio could not be decoded'}`,
      linkText: 'Show what to do',
      href,
    };
  if (status === 'stored')
    return {
      status,
      playable,
      done: true,
      text: 'The recording is stored.',
      linkText: 'Show the stored recording',
      href,
    };
  if (status === 'rejected')
    return {
      status,
      playable,
      done: true,
      text: `The recording was not stored: ${rejectionReason ?? 'no reason was recorded'}.`,
      linkText: 'Show why and what to do',
      href,
    };
  if (status === 'processing') {
    return {
      status,
      playable,
      done: false,
      text: 'The recording is being checked, encrypted and stored. It is shown as stored only once its SHA-256 is recorded. This can take a few minutes for a long recording.',
      linkText: 'Refresh to see whether it is stored',
      href,
    };
  }
  if (status === 'audio_missing')
    return {
      status,
      playable,
      done: true,
      text: 'The recording’s audio is missing: it was received, but was not on the server when it came to be stored. Upload the audio again.',
      linkText: 'Show what to do',
      href,
    };
  return { status, playable, done: false, text: 'Nothing has been received to store yet.', linkText: 'Refresh', href };
}

/** Why a recording was not stored, in words that say what happened to the audio and what can be done. */
export function notStoredWhy(r: Pick<RecordingRecord, 'source' | 'receivedBytes' | 'rejectionReason'>): string {
  if (r.source === 'browser' && r.receivedBytes === 0) {
    return 'No audio reached the service from the browser, so there was nothing to store. This happens when the recording is stopped before the microphone started, or when the browser could not record.';
  }
  if (r.receivedBytes === 0 || r.rejectionReason === 'Cancelled before any audio was stored') {
    return 'The file did not arrive in full before the upload was cancelled, so nothing from it was kept.';
  }
  return 'The audio arrived but could not be stored as a recording: it is checked by decoding it when it arrives, and it failed that check. Nothing from it is kept as part of the conference’s record. Any copy of the file on the device it came from is unchanged.';
}

export function statementModel(s: ExplanatoryStatement) {
  return {
    ...s,
    recordedOnText: formatLongDate(s.recordedOn),
    breaksText: s.breaks.map(
      (b) =>
        `${b.startedAt} to ${b.endedAt}: ${b.reason}${b.participantChanges ? `. Change of participants: ${b.participantChanges}` : ''}`,
    ),
  };
}

export interface TimelineItem {
  atMs: number;
  seconds: number;
  time: string;
  kind: 'bookmark' | 'break' | 'withheld';
  text: string;
}

/** Bookmarks, breaks and withheld parts in the order they come in the recording. */
export function timeline(d: RecordingDetail): TimelineItem[] {
  const order = { break: 0, withheld: 1, bookmark: 2 } as const;
  const item = (atMs: number, kind: TimelineItem['kind'], text: string): TimelineItem => ({
    atMs,
    seconds: atMs / 1000,
    time: formatDuration(atMs),
    kind,
    text,
  });
  return [
    ...d.bookmarks.map((b) => item(b.atMs, 'bookmark', `${BOOKMARK_KIND_LABELS[b.kind]}: ${b.label}`)),
    ...d.breaks.map((b) => item(b.atMs, 'break', `Break: ${breakText(b)}`)),
    ...d.withheld.map((w) =>
      item(
        w.startMs,
        'withheld',
        `Withheld part until ${formatDuration(w.endMs)}: ${WITHHOLDING_REASON_LABELS[w.reason]}. Not to be heard by: ${audienceText(w, d.people)}`,
      ),
    ),
  ].sort((a, b) => a.atMs - b.atMs || order[a.kind] - order[b.kind]);
}

/** At most `max` peaks (the largest in each stretch), rounded: the waveform needs no more than a screen's width. */
export function downsamplePeaks(values: readonly number[], max = 4000): number[] {
  const round = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;
  if (values.length <= max) return values.map(round);
  const out: number[] = [];
  const step = values.length / max;
  for (let i = 0; i < max; i++) {
    let peak = 0;
    for (let j = Math.floor(i * step); j < Math.min(values.length, Math.floor((i + 1) * step)); j++)
      peak = Math.max(peak, values[j]!);
    out.push(round(peak));
  }
  return out;
}

/** What the player's script needs, as JSON safe to put inside a <script type="application/json">. */
export function playerData(d: RecordingDetail): string {
  const p = d.playback;
  const data = {
    durationSeconds: (p?.durationMs ?? d.recording.durationMs ?? 0) / 1000,
    peaks: p?.peaks ? downsamplePeaks(p.peaks.values) : [],
    withheld: d.withheld.map((w) => ({ start: w.startMs / 1000, end: w.endMs / 1000 })),
    bookmarks: d.bookmarks.map((b) => ({ at: b.atMs / 1000 })),
  };
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
