/**
 * Recording a conference live in the browser (R-1 … R-6): choosing what is recorded, the recorder page,
 * the chunks it sends while recording, and the break (pause with its reason, resume with any change of
 * who is present, R-2) and stop controls.
 *
 * The recorder page works without JavaScript as far as it can: it says that recording in the browser
 * needs JavaScript and offers the upload instead, and Pause, Resume and Stop are plain forms. With
 * JavaScript (/static/recording-live.js) the same forms drive the MediaRecorder and are sent with
 * `Accept: application/json`, so the script gets JSON and a person without it gets pages.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, ZodError } from 'zod';
import { ChunkGapError, type RecordingDetail } from '../../../app/recordings/recording-service.ts';
import type { Role } from '../../../domain/access/roles.ts';
import { type IsoDate, formatLongDate } from '../../../domain/calendar/index.ts';
import { CONFERENCE_TYPE_LABELS } from '../../../domain/conferences/decisions.ts';
import { RECORDING_REMINDER } from '../../../domain/conferences/meeting.ts';
import {
  BREAK_REASON_MAX,
  LIVE_CHUNK_MS,
  MAX_CHUNK_BYTES,
  RECORDING_KIND_LABELS,
  RECORDING_KINDS,
  formatDuration,
} from '../../../domain/recordings/recording.ts';
import { DomainError, InvalidDetailsError } from '../../../domain/shared/errors.ts';
import { formatLongDate as formatMoment } from '../../plugins/format.ts';
import { bodyOf, fieldIds as pageFieldIds, problemsAsErrors, requestContext, text } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import { notStoredWhy } from './recording-view.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

/** Who records: the chair, and business support (who may run the recorder for the chair). */
const RECORDERS: readonly Role[] = ['chair', 'business_support'];

const conferenceParams = z.object({ id: idSchema });
const recordingParams = z.object({ rid: idSchema });
const SEQ = /^\d{1,9}$/;
const SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Chunks arrive every LIVE_CHUNK_MS (5 s) while recording; after the connection comes back the
 * browser sends what it held back as fast as the server answers. This allows a backlog of 20 minutes
 * of audio to be caught up in about a minute, while stopping a runaway client.
 */
const CHUNK_RATE = { max: 240, timeWindow: '1 minute' };

const CONTROL_MESSAGES = {
  pause: 'The recording is paused.',
  resume: 'The recording has resumed.',
} as const;

// ------------------------------------------------------------------ errors as JSON

interface JsonProblem {
  status: number;
  body: {
    code: string;
    message: string;
    field?: string;
    expected?: number;
    problems?: Array<{ field: string; message: string }>;
  };
}

const CONFLICT_CODES = new Set([
  'CHUNK_GAP',
  'CHUNK_CONFLICT',
  'NOT_RECEIVING',
  'RECORDING_STATE',
  'CONFLICT',
  'CONFERENCE_CANCELLED',
  'NOT_HELD',
]);
const BAD_REQUEST_CODES = new Set(['CHUNK_CORRUPT', 'BAD_CHUNK', 'INVALID_DETAILS']);

/** One error shape for the recorder's script: `{ code, message }`, plus `expected` for a gap and `field` for a form. */
export function jsonProblem(error: unknown): JsonProblem {
  if (error instanceof ZodError)
    return { status: 404, body: { code: 'NOT_FOUND', message: 'The recording was not found' } };
  if (error instanceof DomainError) {
    const body: JsonProblem['body'] = {
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
    };
    if (error instanceof ChunkGapError) body.expected = error.expected;
    if (error instanceof InvalidDetailsError)
      body.problems = error.problems.map((p) => ({ field: p.field, message: p.message }));
    if (error.code === 'NOT_FOUND') return { status: 404, body };
    if (error.code === 'ACCESS_DENIED') return { status: 403, body };
    if (error.code === 'TOO_LARGE') return { status: 413, body };
    if (CONFLICT_CODES.has(error.code)) return { status: 409, body };
    if (BAD_REQUEST_CODES.has(error.code)) return { status: 400, body };
    return { status: 422, body };
  }
  const e = error as Partial<FastifyError>;
  if (e.code === 'FST_CSRF_INVALID_TOKEN' || e.code === 'FST_CSRF_MISSING_SECRET') {
    return { status: 403, body: { code: 'CSRF', message: 'The page’s security token has expired: reload the page' } };
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return {
      status: 413,
      body: { code: 'TOO_LARGE', message: `A chunk may be at most ${MAX_CHUNK_BYTES / (1024 * 1024)} MB` },
    };
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415) {
    return {
      status: 415,
      body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the chunk as application/octet-stream' },
    };
  }
  if (e.statusCode === 429)
    return {
      status: 429,
      body: { code: 'RATE_LIMITED', message: 'Too many requests: the chunk will be sent again shortly' },
    };
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
    return { status: e.statusCode, body: { code: 'BAD_REQUEST', message: e.message ?? 'The request is not valid' } };
  return {
    status: 500,
    body: { code: 'INTERNAL_ERROR', message: 'Something went wrong: the chunk will be sent again' },
  };
}

function wantsJson(request: FastifyRequest): boolean {
  return /\bapplication\/json\b/.test(String(request.headers.accept ?? ''));
}

/** For the chunk route every error is JSON; for the controls only when the script asked for JSON. */
function jsonErrorHandler(always: boolean) {
  return function handler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    if (!always && !wantsJson(request)) throw error; // the errors plugin renders a page
    const problem = jsonProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'live recording request failed');
    else if (problem.body.code === 'CSRF') request.log.warn({ code: 'csrf' }, 'csrf check failed');
    return reply.code(problem.status).send(problem.body);
  };
}

// ------------------------------------------------------------------ page models

function listNames(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "10:04" in England. */
function clock(d: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Europe/London',
  }).format(d);
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
    openBreak: state === 'paused' && lastBreak ? { reason: lastBreak.reason, since: clock(lastBreak.startedAt) } : null,
    breaks: d.breaks.map((b) => ({
      at: formatDuration(b.atMs),
      from: clock(b.startedAt),
      to: b.endedAt ? clock(b.endedAt) : 'Still paused',
      reason: b.reason,
      changes: b.participantChanges ?? 'None recorded',
    })),
    reminder: RECORDING_REMINDER,
    // R-1 is ticked once, when the conference is started: the recorder then only says when it was given.
    reminderGiven: d.conference.reminderGivenAt ? clock(d.conference.reminderGivenAt) : null,
    chunkMs: LIVE_CHUNK_MS,
    reasonMax: BREAK_REASON_MAX,
    uploadHref: `/conferences/${d.conference.id}/recordings/upload`,
    recordingsHref: `/conferences/${d.conference.id}/recordings`,
    recordingHref: `/recordings/${r.id}`,
    startHref: `/conferences/${d.conference.id}/recordings/live`,
  };
}

// ------------------------------------------------------------------ routes

export async function liveRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { recordings, meeting } = opts.services;

  // Chunks are raw audio. This parser exists only inside this plugin, so no other route accepts octet-streams.
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: MAX_CHUNK_BYTES },
    (_request, body, done) => done(null, body),
  );

  // ---------------------------------------------------------------- start: what is recorded (R-6), which part

  type StartValues = { kind: string; partId: string };

  const startPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: StartValues,
    errors: FormError[] = [],
  ) => {
    const ctx = requestContext(request);
    const view = await meeting.getMeeting(request.actor!, id, ctx);
    const open = (await recordings.listForConference(request.actor!, ctx, id)).filter(
      (r) => r.source === 'browser' && r.status === 'receiving',
    );
    const c = view.conference;
    const children = view.children.map((ch) => `${ch.givenNames} ${ch.familyName}`.trim());
    if (errors.length) reply.code(400);
    return reply.view('recordings/live-start.njk', {
      title: 'Record in the browser',
      caption: `${CONFERENCE_TYPE_LABELS[c.type]} – ${formatLongDate(c.scheduledDate)} – ${listNames(children)}`,
      conferenceId: id,
      recordingsHref: `/conferences/${id}/recordings`,
      uploadHref: `/conferences/${id}/recordings/upload`,
      kinds: RECORDING_KINDS.map((k) => ({ value: k, text: RECORDING_KIND_LABELS[k], checked: values.kind === k })),
      parts: view.parts.map((p) => ({
        value: p.id,
        text: `${p.label} (${p.startsAt} to ${p.endsAt})`,
        checked: values.partId === p.id,
      })),
      split: view.parts.length > 1,
      reminder: RECORDING_REMINDER,
      reminderGiven: c.reminderGivenAt ? clock(c.reminderGivenAt) : null,
      cancelled: c.status === 'cancelled',
      open: open.map((r) => ({
        href: `/recordings/${r.id}/live`,
        text: `${RECORDING_KIND_LABELS[r.kind]}${r.partLabel ? ` – ${r.partLabel}` : ''}, started ${formatMoment(r.startedAt)}`,
      })),
      values,
      errors,
    });
  };

  app.get('/conferences/:id/recordings/live', { config: { access: RECORDERS } }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    return startPage(request, reply, id, { kind: 'meeting', partId: '' });
  });

  app.post('/conferences/:id/recordings/live', { config: { access: RECORDERS } }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const values: StartValues = { kind: text(body, 'kind', 40), partId: text(body, 'partId', 40) };
    const errors: FormError[] = [];
    if (!(RECORDING_KINDS as readonly string[]).includes(values.kind))
      errors.push({ text: 'Select what you are recording', href: '#kind' });
    // A split conference's parts are separate meetings: the recording of one belongs to that part.
    const ctx = requestContext(request);
    const view = await meeting.getMeeting(request.actor!, id, ctx);
    let partId: string | null = null;
    if (values.kind === 'meeting') {
      if (view.parts.length === 1) partId = view.parts[0]!.id;
      else if (view.parts.length > 1) {
        if (!view.parts.some((p) => p.id === values.partId))
          errors.push({ text: 'Select the part of the conference you are recording', href: '#partId' });
        else partId = values.partId;
      }
    }
    if (errors.length) return startPage(request, reply, id, values, errors);
    try {
      const recording = await recordings.startLive(request.actor!, ctx, id, { kind: values.kind, partId });
      return reply.redirect(`/recordings/${recording.id}/live`, 303);
    } catch (err) {
      return startPage(request, reply, id, values, problemsAsErrors(err, pageFieldIds({ renames: { '': 'kind' } })));
    }
  });

  // ---------------------------------------------------------------- the recorder page

  const recorderPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    extra: { errors?: FormError[]; values?: Record<string, string>; status?: number; done?: string | null } = {},
  ) => {
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
  };

  app.get('/recordings/:rid/live', { config: { access: RECORDERS } }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const done = text((request.query ?? {}) as Record<string, unknown>, 'done', 20);
    return recorderPage(request, reply, rid, {
      done: done in CONTROL_MESSAGES ? CONTROL_MESSAGES[done as keyof typeof CONTROL_MESSAGES] : null,
    });
  });

  // ---------------------------------------------------------------- chunks

  app.post(
    '/recordings/:rid/chunks/:seq',
    {
      config: {
        access: RECORDERS,
        rateLimit: { ...CHUNK_RATE, keyGenerator: (request: FastifyRequest) => request.actor?.id ?? request.ip },
      },
      bodyLimit: MAX_CHUNK_BYTES,
      errorHandler: jsonErrorHandler(true),
    },
    async (request, reply) => {
      const { rid } = recordingParams.parse({ rid: (request.params as { rid?: string }).rid });
      const seqText = (request.params as { seq?: string }).seq ?? '';
      if (!SEQ.test(seqText))
        return reply.code(400).send({ code: 'BAD_CHUNK', message: 'The chunk number is not valid' });
      if (!Buffer.isBuffer(request.body))
        return reply
          .code(415)
          .send({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the chunk as application/octet-stream' });
      const header = request.headers['x-chunk-sha256'];
      const sha256 = typeof header === 'string' && header ? header : null;
      if (sha256 !== null && !SHA256.test(sha256))
        return reply.code(400).send({ code: 'BAD_CHUNK', message: 'x-chunk-sha256 must be 64 hexadecimal characters' });
      const result = await recordings.appendChunk(request.actor!, requestContext(request), rid, {
        seq: Number(seqText),
        bytes: request.body,
        sha256,
      });
      return reply.send(result);
    },
  );

  // ---------------------------------------------------------------- pause, resume, stop

  const control = { config: { access: RECORDERS }, errorHandler: jsonErrorHandler(false) };

  /** Runs a control; JSON for the script, a redirect or the page with its errors for a form. */
  const runControl = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    values: Record<string, string>,
    action: () => Promise<{ next: string; state: string }>,
    fieldIds: Record<string, string>,
  ) => {
    try {
      const { next, state } = await action();
      if (wantsJson(request)) return reply.send({ state, next });
      return reply.redirect(next, 303);
    } catch (err) {
      if (wantsJson(request)) {
        const problem = jsonProblem(err);
        if (problem.status >= 500) throw err;
        return reply.code(problem.status).send(problem.body);
      }
      const errors = problemsAsErrors(err, pageFieldIds({ renames: fieldIds }));
      const conflict = err instanceof DomainError && CONFLICT_CODES.has(err.code);
      return recorderPage(request, reply, rid, { errors, values, status: conflict ? 409 : 400 });
    }
  };

  app.post('/recordings/:rid/pause', control, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const body = bodyOf(request);
    const reason = text(body, 'reason', BREAK_REASON_MAX * 2);
    const atText = text(body, 'atMs', 20).trim();
    const atMs = /^\d{1,12}$/.test(atText) ? Number(atText) : NaN;
    return runControl(
      request,
      reply,
      rid,
      { reason },
      async () => {
        if (Number.isNaN(atMs))
          throw new InvalidDetailsError([
            { field: 'atMs', message: 'The time of the break in the recording is missing' },
          ]);
        await recordings.pause(request.actor!, requestContext(request), rid, { atMs, reason });
        return { state: 'paused', next: `/recordings/${rid}/live?done=pause` };
      },
      { reason: 'reason', atMs: 'reason' },
    );
  });

  app.post('/recordings/:rid/resume', control, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const participantChanges = text(bodyOf(request), 'participantChanges', BREAK_REASON_MAX * 2);
    return runControl(
      request,
      reply,
      rid,
      { participantChanges },
      async () => {
        await recordings.resume(request.actor!, requestContext(request), rid, {
          participantChanges: participantChanges || null,
        });
        return { state: 'recording', next: `/recordings/${rid}/live?done=resume` };
      },
      { participantChanges: 'participantChanges' },
    );
  });

  app.post('/recordings/:rid/stop', control, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    return runControl(
      request,
      reply,
      rid,
      {},
      async () => {
        const ctx = requestContext(request);
        await recordings.stop(request.actor!, ctx, rid);
        const after = await recordings.detail(request.actor!, ctx, rid);
        // Nothing arrived: the recorder page says so. Otherwise the recording's own page shows it being stored.
        if (after.recording.status === 'rejected') return { state: 'rejected', next: `/recordings/${rid}/live` };
        return { state: after.recording.status, next: `/recordings/${rid}` };
      },
      {},
    );
  });
}
