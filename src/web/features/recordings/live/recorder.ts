/**
 * The recorder page: what is being recorded, what has been saved so far, the breaks and the
 * Pause, Resume and Stop forms; once a recording was not stored, why.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RecordingDetail, RecordingService } from '../../../../app/recordings/recording-service.ts';
import { englandClockTime, formatLongDate, type IsoDate } from '../../../../domain/calendar/index.ts';
import { RECORDING_REMINDER } from '../../../../domain/conferences/meeting.ts';
import {
  BREAK_REASON_MAX,
  LIVE_CHUNK_MS,
  RECORDING_KIND_LABELS,
  formatDuration,
} from '../../../../domain/recordings/recording.ts';
import { formatLongDate as formatMoment } from '../../../plugins/format.ts';
import { requestContext, text, type FormError } from '../../../forms/index.ts';
import { MANAGE, recordingParams, type RecordingPagesOptions } from '../common.ts';
import { notStoredWhy } from '../recording-view.ts';

const CONTROL_MESSAGES = {
  pause: 'The recording is paused.',
  resume: 'The recording has resumed.',
} as const;

export function listNames(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function recorderModel(d: RecordingDetail) {
  const r = d.recording;
  const state = d.liveState ?? 'stopped';
  const lastBreak = d.breaks.at(-1) ?? null;
  const kindTitle = r.kind === 'dictation' ? 'Record the chair’s dictation' : 'Record the conference';
  return {
    title: kindTitle,
    caption: `${d.conference.title} – ${formatLongDate(d.conference.scheduledDate as IsoDate)} – ${listNames(d.conference.childNames)}`,
    rid: r.id,
    conferenceId: d.conference.id,
    kind: r.kind,
    kindLabel: RECORDING_KIND_LABELS[r.kind],
    partLabel: d.partLabel,
    state,
    status: r.status,
    rejectionReason: r.rejectionReason,
    startedText: formatMoment(r.startedAt),
    savedText:
      r.receivedBytes > 0
        ? `${sizeText(r.receivedBytes)} in ${r.nextChunk} ${r.nextChunk === 1 ? 'part' : 'parts'}`
        : 'None yet',
    nextChunk: r.nextChunk,
    receivedBytes: r.receivedBytes,
    // Without JavaScript nothing is being recorded, so a break noted here is placed where the last one was (or at 0:00).
    atMs: lastBreak?.atMs ?? 0,
    openBreak:
      state === 'paused' && lastBreak
        ? { reason: lastBreak.reason, since: englandClockTime(lastBreak.startedAt) }
        : null,
    breaks: d.breaks.map((b) => ({
      at: formatDuration(b.atMs),
      from: englandClockTime(b.startedAt),
      to: b.endedAt ? englandClockTime(b.endedAt) : 'Still paused',
      reason: b.reason,
      changes: b.participantChanges ?? 'None recorded',
    })),
    reminder: RECORDING_REMINDER,
    // R-1 is ticked once, when the conference is started: the recorder then only says when it was given.
    reminderGiven: d.conference.reminderGivenAt ? englandClockTime(d.conference.reminderGivenAt) : null,
    chunkMs: LIVE_CHUNK_MS,
    reasonMax: BREAK_REASON_MAX,
    uploadHref: `/conferences/${d.conference.id}/recordings/upload`,
    recordingsHref: `/conferences/${d.conference.id}/recordings`,
    recordingHref: `/recordings/${r.id}`,
    startHref: `/conferences/${d.conference.id}/recordings/live`,
  };
}

export interface RecorderExtra {
  errors?: FormError[];
  values?: Record<string, string>;
  status?: number;
  done?: string | null;
}

/** The recorder page (or the recording's own page once it is no longer live), with a control's errors. */
export async function recorderPage(
  recordings: RecordingService,
  request: FastifyRequest,
  reply: FastifyReply,
  rid: string,
  extra: RecorderExtra = {},
) {
  const detail = await recordings.detail(request.actor!, requestContext(request), rid);
  const r = detail.recording;
  if (r.source !== 'browser' || (r.status !== 'receiving' && r.status !== 'rejected'))
    return reply.redirect(`/recordings/${rid}`, 303);
  const model = recorderModel(detail);
  if (extra.status) reply.code(extra.status);
  else if (extra.errors?.length) reply.code(400);
  if (r.status === 'rejected')
    return reply.view('recordings/live-finished.njk', {
      ...model,
      title: 'The recording was not stored',
      notStoredWhy: notStoredWhy(r),
      errors: extra.errors ?? [],
    });
  return reply.view('recordings/live-recorder.njk', {
    ...model,
    done: extra.done ?? null,
    values: extra.values ?? {},
    errors: extra.errors ?? [],
  });
}

export function recorderRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  app.get('/recordings/:rid/live', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const done = text((request.query ?? {}) as Record<string, unknown>, 'done', 20);
    return recorderPage(recordings, request, reply, rid, {
      done: done in CONTROL_MESSAGES ? CONTROL_MESSAGES[done as keyof typeof CONTROL_MESSAGES] : null,
    });
  });
}
