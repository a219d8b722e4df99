/**
 * The recording page and what hangs off it: the explanatory statement, bookmarks,
 * withheld parts, and listening: a reason first (audited), then a player that streams the playback
 * copy with HTTP Range requests. Every form works without JavaScript; the service checks who may see
 * or change each recording (access to every child in the conference) and audits it.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RecordingDetail } from '../../../app/recordings/recording-service.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import type { Role } from '../../../domain/access/roles.ts';
import {
  MAX_BREAKS,
  MAX_SPEAKERS,
  type ExplanatoryStatement,
  type StatementInput,
  validateStatement,
} from '../../../domain/recordings/index.ts';
import { RECORDING_LABEL_MAX } from '../../../domain/recordings/naming.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { formatLongDate } from '../../plugins/format.ts';
import {
  bodyOf,
  dedupe,
  fieldIds,
  problemsAsErrors,
  requestContext,
  text,
  ticked,
  type FormValues,
  dateValues,
  parseDateInput,
} from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import { answerRange, pieces } from './recording-range.ts';
import {
  BOOKMARK_KIND_ITEMS,
  WITHHOLDING_REASON_ITEMS,
  playerData,
  recordingBase,
  recordingModel,
  storingStatus,
  timeline,
} from './recording-view.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const wavesurferDist = path.resolve(here, '../../../../node_modules/wavesurfer.js/dist');

/** Who manages recordings (the service checks the same roles): the chair and business support. */
const MANAGER_ROLES: readonly Role[] = ['chair', 'business_support'];
const READ = { access: CHILD_RECORD_ROLES };
const MANAGE = { access: MANAGER_ROLES };

/** Spare blank rows on the statement form (blank rows are ignored), so no JavaScript is needed. */
const SPARE_SPEAKER_ROWS = 2;
const SPARE_BREAK_ROWS = 1;

const params = z.object({ rid: idSchema });
const bookmarkParams = z.object({ rid: idSchema, bid: idSchema });
const withheldParams = z.object({ rid: idSchema, sid: idSchema });

const DONE_MESSAGES: Record<string, string> = {
  label: 'The recording’s label is saved.',
  statement: 'The explanatory statement is confirmed.',
  'bookmark-added': 'The bookmark is added.',
  'bookmark-removed': 'The bookmark is removed.',
  'withheld-added': 'The withheld part is marked.',
  'withheld-removed': 'The withheld part is removed.',
};

/** The id of the input a rule's field names: `speakers[0].name` is `speakers-0-name`, a date its day box. */
const recordingFieldIds = fieldIds({
  renames: { speakers: 'speakers-0-name', breaks: 'breaks-0-startedAt' },
  dates: ['recordedOn'],
  rows: true,
});
export const fieldId = recordingFieldIds;

/** A rule's problems as error summary items; access and not-found errors go on to the error pages. */
const ruleErrors = (err: unknown): FormError[] => problemsAsErrors(err, recordingFieldIds);

const rowCount = (body: Record<string, unknown>, key: string, min: number, max: number) => {
  const n = Number.parseInt(text(body, key), 10);
  return Math.min(max, Math.max(min, Number.isFinite(n) ? n : min));
};

// ------------------------------------------------------------------ statement form values

function statementValues(s: ExplanatoryStatement): FormValues {
  const v: FormValues = {
    location: s.location,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    context: s.context,
    ...dateValues('recordedOn', s.recordedOn),
    changeReason: '',
  };
  s.speakers.forEach((sp, i) => {
    v[`speakers-${i}-name`] = sp.name;
    v[`speakers-${i}-role`] = sp.role;
  });
  s.breaks.forEach((b, i) => {
    v[`breaks-${i}-startedAt`] = b.startedAt;
    v[`breaks-${i}-endedAt`] = b.endedAt;
    v[`breaks-${i}-reason`] = b.reason;
    v[`breaks-${i}-participantChanges`] = b.participantChanges;
  });
  return v;
}

const SPEAKER_FIELDS = ['name', 'role'] as const;
const BREAK_FIELDS = ['startedAt', 'endedAt', 'reason', 'participantChanges'] as const;

function readStatementForm(body: Record<string, unknown>, speakerRows: number, breakRows: number): FormValues {
  const v: FormValues = {};
  for (const k of [
    'location',
    'startedAt',
    'endedAt',
    'context',
    'changeReason',
    'recordedOn-day',
    'recordedOn-month',
    'recordedOn-year',
  ])
    v[k] = text(body, k);
  for (let i = 0; i < speakerRows; i++)
    for (const f of SPEAKER_FIELDS) v[`speakers-${i}-${f}`] = text(body, `speakers-${i}-${f}`);
  for (let i = 0; i < breakRows; i++)
    for (const f of BREAK_FIELDS) v[`breaks-${i}-${f}`] = text(body, `breaks-${i}-${f}`);
  return v;
}

function statementInput(v: FormValues, recordedOn: string, speakerRows: number, breakRows: number): StatementInput {
  const s = (k: string) => (v[k] as string | undefined) ?? '';
  return {
    location: s('location'),
    recordedOn,
    startedAt: s('startedAt'),
    endedAt: s('endedAt'),
    context: s('context'),
    speakers: Array.from({ length: speakerRows }, (_, i) => ({
      name: s(`speakers-${i}-name`),
      role: s(`speakers-${i}-role`),
    })),
    breaks: Array.from({ length: breakRows }, (_, i) => ({
      startedAt: s(`breaks-${i}-startedAt`),
      endedAt: s(`breaks-${i}-endedAt`),
      reason: s(`breaks-${i}-reason`),
      participantChanges: s(`breaks-${i}-participantChanges`),
    })),
  };
}

// ------------------------------------------------------------------ the plugin

export async function recordingRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { recordings } = opts.services;

  // wavesurfer.js for the player, straight from its package (ES modules only). Under /static/ so it
  // is public and cacheable like the service's own scripts.
  await app.register(fastifyStatic, {
    root: wavesurferDist,
    prefix: '/static/vendor/wavesurfer/',
    decorateReply: false,
    index: false,
    list: false,
    allowedPath: (p) => /^\/(?:plugins\/)?[a-z-]+\.esm\.js$/.test(p),
  });

  const ctxOf = requestContext;
  const load = (request: FastifyRequest, rid: string) => recordings.detail(request.actor!, ctxOf(request), rid);
  const page = (
    reply: FastifyReply,
    template: string,
    detail: RecordingDetail,
    title: string,
    extra: Record<string, unknown> = {},
    errors: FormError[] = [],
  ) => {
    if (errors.length) reply.code(400);
    return reply.view(`recordings/${template}`, { ...recordingModel(detail), title, errors, ...extra });
  };
  const done = (reply: FastifyReply, rid: string, what: keyof typeof DONE_MESSAGES, anchor: string) =>
    reply.redirect(`${recordingBase(rid)}?done=${what}#${anchor}`, 303);

  // ---------------------------------------------------------------- the recording page

  app.get('/recordings/:rid', { config: READ }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    const detail = await load(request, rid);
    const doneKey = text((request.query ?? {}) as Record<string, unknown>, 'done');
    return page(reply, 'recording-page.njk', detail, recordingModel(detail).kindLabel, {
      done: Object.hasOwn(DONE_MESSAGES, doneKey) ? DONE_MESSAGES[doneKey] : null,
    });
  });

  /**
   * What the "checking and storing" page's script polls: the state of ingest only, as JSON. The same
   * access check as the recording page (a denial is audited); a successful poll is not audited, as
   * it shows nothing personal and nothing the audited view of the page did not already show.
   */
  app.get('/recordings/:rid/status', { config: READ }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    const { status, rejectionReason } = await recordings.status(request.actor!, ctxOf(request), rid);
    reply.header('Cache-Control', 'no-store');
    return reply.send(storingStatus(rid, status, rejectionReason));
  });

  // ---------------------------------------------------------------- the chair's short label, part of the name

  const labelPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    values: FormValues | null,
    errors: FormError[] = [],
  ) => {
    const detail = await load(request, rid);
    return page(
      reply,
      'label-form.njk',
      detail,
      'Label the recording',
      { values: values ?? { label: detail.recording.label ?? '' }, labelMax: RECORDING_LABEL_MAX },
      errors,
    );
  };

  app.get('/recordings/:rid/label', { config: MANAGE }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    return labelPage(request, reply, rid, null);
  });

  app.post('/recordings/:rid/label', { config: MANAGE }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    const values: FormValues = { label: text(bodyOf(request), 'label') };
    try {
      await recordings.setLabel(request.actor!, ctxOf(request), rid, values['label'] as string);
    } catch (err) {
      return labelPage(request, reply, rid, values, ruleErrors(err));
    }
    return reply.redirect(`${recordingBase(rid)}?done=label`, 303);
  });

  // ---------------------------------------------------------------- the explanatory statement

  const statementPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    values: FormValues | null,
    rows: { speakers: number; breaks: number } | null,
    errors: FormError[] = [],
  ) => {
    const [detail, { draft, confirmed }] = await Promise.all([
      load(request, rid),
      recordings.draftStatement(request.actor!, ctxOf(request), rid),
    ]);
    const v = values ?? statementValues(draft);
    const speakerRows =
      rows?.speakers ?? Math.min(MAX_SPEAKERS, Math.max(3, draft.speakers.length + SPARE_SPEAKER_ROWS));
    const breakRows = rows?.breaks ?? Math.min(MAX_BREAKS, draft.breaks.length + SPARE_BREAK_ROWS);
    return page(
      reply,
      'statement-form.njk',
      detail,
      confirmed ? 'Change the explanatory statement' : 'Confirm the explanatory statement',
      {
        values: v,
        confirmed,
        confirmedText: confirmed
          ? `Version ${confirmed.version} was confirmed by ${confirmed.confirmedByName} on ${formatLongDate(confirmed.confirmedAt)}.`
          : null,
        speakerRows: Array.from({ length: speakerRows }, (_, i) => i),
        breakRows: Array.from({ length: breakRows }, (_, i) => i),
        canAddSpeaker: speakerRows < MAX_SPEAKERS,
        canAddBreak: breakRows < MAX_BREAKS,
      },
      errors,
    );
  };

  app.get('/recordings/:rid/statement', { config: MANAGE }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    return statementPage(request, reply, rid, null, null);
  });

  app.post('/recordings/:rid/statement', { config: MANAGE }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    const body = bodyOf(request);
    let speakers = rowCount(body, 'speakerRows', 1, MAX_SPEAKERS);
    let breaks = rowCount(body, 'breakRows', 0, MAX_BREAKS);
    const values = readStatementForm(body, speakers, breaks);
    // "Add another row" without JavaScript: the same form again, one row longer, nothing checked yet.
    const add = text(body, 'add');
    if (add === 'speaker' || add === 'break') {
      if (add === 'speaker') speakers = Math.min(MAX_SPEAKERS, speakers + 1);
      else breaks = Math.min(MAX_BREAKS, breaks + 1);
      return statementPage(request, reply, rid, values, { speakers, breaks });
    }
    let errors: FormError[] = [];
    const date = parseDateInput(values, 'recordedOn', 'The date of the recording');
    const input = statementInput(values, date.iso ?? (date.error ? 'not a date' : ''), speakers, breaks);
    try {
      validateStatement(input);
    } catch (err) {
      errors.push(...ruleErrors(err));
    }
    // A half-filled date box gets the GOV.UK date pattern's message rather than the rule's.
    if (date.error) errors = errors.map((e) => (e.href === '#recordedOn-day' ? { ...e, text: date.error! } : e));
    const { confirmed } = await recordings.draftStatement(request.actor!, ctxOf(request), rid);
    const changeReason = (values['changeReason'] as string).trim();
    if (confirmed && !changeReason)
      errors.push({ text: 'Give the reason for changing the confirmed statement', href: '#changeReason' });
    if (!errors.length) {
      try {
        await recordings.confirmStatement(request.actor!, ctxOf(request), rid, {
          ...input,
          changeReason: changeReason || null,
        });
        return done(reply, rid, 'statement', 'statement');
      } catch (err) {
        errors.push(...ruleErrors(err));
      }
    }
    return statementPage(request, reply, rid, values, { speakers, breaks }, dedupe(errors));
  });

  // ---------------------------------------------------------------- bookmarks

  type ReturnTo = 'recording' | 'listen';
  const returnToOf = (body: Record<string, unknown>): ReturnTo =>
    text(body, 'returnTo') === 'listen' ? 'listen' : 'recording';

  const bookmarkPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    values: FormValues,
    errors: FormError[] = [],
  ) =>
    page(
      reply,
      'bookmark-form.njk',
      await load(request, rid),
      'Add a bookmark',
      { values, kindItems: BOOKMARK_KIND_ITEMS },
      errors,
    );

  app.get('/recordings/:rid/bookmarks', { config: READ }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    return reply.redirect(`${recordingBase(rid)}#bookmarks`, 303);
  });

  app.get('/recordings/:rid/bookmarks/new', { config: MANAGE }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    return bookmarkPage(request, reply, rid, { at: '', kind: '', label: '', returnTo: 'recording' });
  });

  app.post('/recordings/:rid/bookmarks', { config: MANAGE }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      at: text(body, 'at'),
      kind: text(body, 'kind'),
      label: text(body, 'label'),
      returnTo: returnToOf(body),
    };
    try {
      await recordings.addBookmark(request.actor!, ctxOf(request), rid, {
        at: values['at'] as string,
        kind: values['kind'] as string,
        label: values['label'] as string,
      });
    } catch (err) {
      return bookmarkPage(request, reply, rid, values, ruleErrors(err));
    }
    if (values['returnTo'] === 'listen')
      return reply.redirect(`${recordingBase(rid)}/listen?done=bookmark-added#timeline`, 303);
    return done(reply, rid, 'bookmark-added', 'bookmarks');
  });

  app.post('/recordings/:rid/bookmarks/:bid/remove', { config: MANAGE }, async (request, reply) => {
    const { rid, bid } = bookmarkParams.parse(request.params);
    await recordings.removeBookmark(request.actor!, ctxOf(request), rid, bid);
    return done(reply, rid, 'bookmark-removed', 'bookmarks');
  });

  // ---------------------------------------------------------------- withheld parts

  const withheldPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const detail = await load(request, rid);
    return page(
      reply,
      'withheld-form.njk',
      detail,
      'Mark a part as withheld',
      { values, reasonItems: WITHHOLDING_REASON_ITEMS },
      errors,
    );
  };

  app.get('/recordings/:rid/withheld', { config: READ }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    return reply.redirect(`${recordingBase(rid)}#withheld`, 303);
  });

  app.get('/recordings/:rid/withheld/new', { config: MANAGE }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    return withheldPage(request, reply, rid, {
      start: '',
      end: '',
      reason: '',
      explanation: '',
      audience: '',
      personIds: [],
    });
  });

  app.post('/recordings/:rid/withheld', { config: MANAGE }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      start: text(body, 'start'),
      end: text(body, 'end'),
      reason: text(body, 'reason'),
      explanation: text(body, 'explanation'),
      audience: text(body, 'audience'),
      personIds: ticked(body, 'personIds'),
    };
    try {
      await recordings.addWithheld(request.actor!, ctxOf(request), rid, {
        start: values['start'] as string,
        end: values['end'] as string,
        reason: values['reason'] as string,
        explanation: values['explanation'] as string,
        audience: values['audience'] as string,
        personIds: values['audience'] === 'named' ? (values['personIds'] as string[]) : [],
      });
    } catch (err) {
      return withheldPage(request, reply, rid, values, ruleErrors(err));
    }
    return done(reply, rid, 'withheld-added', 'withheld');
  });

  app.post('/recordings/:rid/withheld/:sid/remove', { config: MANAGE }, async (request, reply) => {
    const { rid, sid } = withheldParams.parse(request.params);
    await recordings.removeWithheld(request.actor!, ctxOf(request), rid, sid);
    return done(reply, rid, 'withheld-removed', 'withheld');
  });

  // ---------------------------------------------------------------- listening

  const reasonPage = (reply: FastifyReply, detail: RecordingDetail, values: FormValues, errors: FormError[] = []) =>
    page(reply, 'listen-reason.njk', detail, 'Why do you need to listen to this recording?', { values }, errors);

  app.get('/recordings/:rid/listen', { config: READ }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    const detail = await load(request, rid);
    if (detail.recording.status !== 'stored' || !detail.playback)
      return page(reply, 'listen-unavailable.njk', detail, 'This recording cannot be played yet');
    const until = await recordings.listeningUntil(request.actor!, ctxOf(request), rid);
    if (!until) return reasonPage(reply, detail, { reason: '' });
    const query = (request.query ?? {}) as Record<string, unknown>;
    const cspNonce = (reply as FastifyReply & { cspNonce?: { style?: string } }).cspNonce;
    return page(reply, 'player-page.njk', detail, 'Listen to the recording', {
      done: text(query, 'done') === 'bookmark-added' ? DONE_MESSAGES['bookmark-added'] : null,
      untilText: formatLongDate(until),
      timeline: timeline(detail),
      playerData: playerData(detail),
      styleNonce: cspNonce?.style ?? '',
      kindItems: BOOKMARK_KIND_ITEMS,
      values: { at: '', kind: '', label: '' },
    });
  });

  app.post('/recordings/:rid/listen', { config: READ }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    const values: FormValues = { reason: text(bodyOf(request), 'reason') };
    try {
      await recordings.startListening(request.actor!, ctxOf(request), rid, values['reason'] as string);
    } catch (err) {
      const errors = ruleErrors(err);
      return reasonPage(reply, await load(request, rid), values, errors);
    }
    return reply.redirect(`${recordingBase(rid)}/listen`, 303);
  });

  /**
   * The playback copy, decrypted a range at a time (see recording-range.ts for the Range rules).
   * Refused (403) until the person has given a reason to listen, so every play is audited.
   */
  app.get('/recordings/:rid/audio', { config: READ }, async (request, reply) => {
    const { rid } = params.parse(request.params);
    let player: Awaited<ReturnType<typeof recordings.playback>>;
    try {
      player = await recordings.playback(request.actor!, ctxOf(request), rid);
    } catch (err) {
      if (err instanceof DomainError && (err.code === 'REASON_NEEDED' || err.code === 'NOT_STORED')) {
        const reasonNeeded = err.code === 'REASON_NEEDED';
        reply.code(reasonNeeded ? 403 : 409);
        return reply.view('recordings/listen-blocked.njk', {
          title: reasonNeeded ? 'Give your reason before listening' : 'This recording cannot be played yet',
          message: err.message,
          linkHref: reasonNeeded ? `${recordingBase(rid)}/listen` : recordingBase(rid),
          linkText: reasonNeeded ? 'Say why you need to listen' : 'Go to the recording’s page',
        });
      }
      throw err;
    }
    reply.header('Accept-Ranges', 'bytes');
    reply.header('Cache-Control', 'no-store');
    const ifRange = request.headers['if-range'];
    const answer = answerRange(request.headers.range, player.size, Array.isArray(ifRange) ? ifRange[0] : ifRange);
    if (answer.kind === 'unsatisfiable') {
      return reply.code(416).header('Content-Range', `bytes */${player.size}`).send();
    }
    const [start, end] = answer.kind === 'partial' ? [answer.start, answer.end] : [0, player.size - 1];
    reply.type(player.mediaType);
    reply.header('Content-Length', String(Math.max(0, end - start + 1)));
    if (answer.kind === 'partial') reply.code(206).header('Content-Range', `bytes ${start}-${end}/${player.size}`);
    if (end < start) return reply.send(Buffer.alloc(0));
    const read = player.read;
    async function* body(): AsyncGenerator<Buffer> {
      for (const [a, b] of pieces(start, end)) yield await read(a, b);
    }
    return reply.send(Readable.from(body(), { objectMode: false }));
  });
}
