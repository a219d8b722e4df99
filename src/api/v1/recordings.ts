/**
 * The audio record for integrations (R-1 … R-6): a conference's recordings, uploads of files made
 * elsewhere, each recording's facts, hashes, explanatory statement, breaks, bookmarks and
 * withheld parts, its evidence, and fixity checks that prove the original is unchanged. The same
 * use cases, access rules (every child in the conference) and audit trail as the pages.
 *
 * Responses are allow-lists: blob keys (where the encrypted files are kept) never leave the server;
 * hashes do, so anyone holding a copy can prove it is the original.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type {
  BookmarkRecord,
  BreakRecord,
  DerivativeRecord,
  FixityEventRecord,
  RecordingAuditEvent,
  RecordingRecord,
  StatementRecord,
  WithheldRecord,
} from '../../app/recordings/ports.ts';
import type { RecordingSummary } from '../../app/recordings/recording-service.ts';
import { CHILD_RECORD_ROLES } from '../../domain/access/child-access.ts';
import type { Role } from '../../domain/access/roles.ts';
import { CONFERENCE_STATUSES } from '../../domain/conferences/lifecycle.ts';
import {
  BOOKMARK_KINDS,
  RECORDING_KINDS,
  RECORDING_SOURCES,
  RECORDING_STATUSES,
  WITHHOLDING_REASONS,
} from '../../domain/recordings/index.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';
import { idSchema } from '../../domain/shared/ids.ts';

/** Who may see recordings at all; the service then requires access to every child in the conference. */
const VIEW = { access: CHILD_RECORD_ROLES };
/** The chair records; business support uploads and looks after recordings. */
const MANAGE = { access: ['chair', 'business_support'] as readonly Role[] };
const TAGS = ['recordings'];

/**
 * Where an API client sends the bytes of an upload, by the tus resumable upload protocol (tus.io,
 * 1.0.0), with its bearer token: the same tus server, checks and SHA-256 verification as the pages'
 * endpoint, under this API (so no CSRF token and no cookie).
 */
export const TUS_ENDPOINT = '/api/v1/uploads/recordings';
/** The tus routes, relative to this plugin's /api/v1 prefix. */
const TUS_ROUTE = '/uploads/recordings';

const FIXITY_TRIGGERS = ['ingest', 'scheduled', 'on-demand', 'export'] as const;
const FIXITY_RESULTS = ['ok', 'mismatch', 'missing', 'unreadable'] as const;
const LIVE_STATES = ['recording', 'paused', 'stopped'] as const;

/**
 * Answered 409: the request is sound but the recording (or its conference) is not in a state that
 * allows it, for example a withheld part on a recording that is not stored yet.
 */
const STATE_CODES = new Set([
  'NOT_STORED',
  'NOT_RECEIVING',
  'RECORDING_STATE',
  'CONFERENCE_CANCELLED',
  'NOT_HELD',
  'CONFLICT',
]);

const withRecordingRules = <T>(reply: FastifyReply, run: () => Promise<T>): Promise<T | FastifyReply> =>
  withRules(reply, run, STATE_CODES);

// ------------------------------------------------------------------ parameters

const conferenceParams = z.object({ id: idSchema.describe('The conference’s id') });
const params = z.object({ id: idSchema.describe('The recording’s id') });
const bookmarkParams = params.extend({ bookmarkId: idSchema.describe('A bookmark on the recording') });
const segmentParams = params.extend({ segmentId: idSchema.describe('A withheld part of the recording') });

// ------------------------------------------------------------------ responses

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
const sha256 = (description: string) =>
  z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe(`${description} (SHA-256, lower-case hex)`);
const staffRef = z.object({ id: z.uuid(), name: z.string() });

const recordingSchema = z.object({
  id: z.uuid(),
  conferenceId: z.uuid(),
  partId: z.uuid().nullable().describe('The part of the conference it records (and so who was present), when known'),
  kind: z
    .enum(RECORDING_KINDS)
    .describe(
      '`meeting`, or `dictation`: the chair’s dictation of decisions, recommendations and summary afterwards (R-6)',
    ),
  source: z
    .enum(RECORDING_SOURCES)
    .describe('R-5: recorded in this service (`browser`) or a file from MS Teams, a dictaphone or another device'),
  status: z
    .enum(RECORDING_STATUSES)
    .describe(
      '`receiving`: bytes are arriving; `processing`: being checked, encrypted and stored; `stored`: the original is durably stored and hashed; `rejected`: nothing usable was kept (see `rejectionReason`)',
    ),
  rejectionReason: z.string().nullable(),
  clientSha256: sha256('The hash the sender gave for the file, checked against what arrived').nullable(),
  receivedBytes: z.number().int(),
  original: z
    .object({
      sha256: sha256('The original exactly as received (R-3)'),
      size: z.number().int().describe('Bytes'),
      encryptedSha256: sha256('The stored age-encrypted file'),
      encryptedSize: z.number().int(),
      container: z.string().nullable().describe('As found by probing the content, e.g. `mp4`, `webm`, `wav`'),
      codec: z.string().nullable(),
      durationMs: z.number().int().nullable(),
      sampleRate: z.number().int().nullable(),
      channels: z.number().int().nullable(),
      endsAbruptly: z
        .boolean()
        .describe('A live recording whose sender stopped part-way through its last block: what came before is kept'),
    })
    .nullable()
    .describe('Facts about the stored original; null until it is stored'),
  startedAt: z.iso.datetime(),
  liveStoppedAt: z.iso.datetime().nullable(),
  storedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
const summarySchema = recordingSchema.extend({
  partLabel: z.string().nullable(),
  liveState: z
    .enum(LIVE_STATES)
    .nullable()
    .describe('A live recording still receiving audio: recording or paused (a break, R-2)'),
  statementConfirmed: z.boolean().describe('R-2: the chair has confirmed the explanatory statement'),
});
const breakSchema = z.object({
  ordinal: z.number().int(),
  atMs: z.number().int().describe('Where in the recording the break is'),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  reason: z.string(),
  participantChanges: z.string().nullable().describe('R-2: any change of who was present after the break'),
});
const statementContent = z.object({
  location: z.string(),
  recordedOn: z.iso.date(),
  startedAt: z.string().describe('Time of day the meeting started, HH:MM'),
  endedAt: z.string(),
  context: z.string(),
  speakers: z.array(z.object({ name: z.string(), role: z.string() })),
  breaks: z.array(
    z.object({ startedAt: z.string(), endedAt: z.string(), reason: z.string(), participantChanges: z.string() }),
  ),
});
const statementSchema = z.object({
  version: z.number().int(),
  content: statementContent,
  changeReason: z.string().nullable().describe('Why this version replaced the one before'),
  confirmedBy: staffRef,
  confirmedAt: z.iso.datetime(),
});
const bookmarkSchema = z.object({
  id: z.uuid(),
  atMs: z.number().int(),
  kind: z.enum(BOOKMARK_KINDS),
  label: z.string(),
  createdBy: staffRef,
  createdAt: z.iso.datetime(),
});
const withheldFromSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('all-family') }),
    z.object({ kind: z.literal('named'), personIds: z.array(z.uuid()) }),
  ])
  .describe('Who must not hear it: every family member and child, or only the people named');
const withheldSchema = z.object({
  id: z.uuid(),
  startMs: z.number().int(),
  endMs: z.number().int(),
  reason: z.enum(WITHHOLDING_REASONS),
  explanation: z.string(),
  withheldFrom: withheldFromSchema,
  createdBy: staffRef,
  createdAt: z.iso.datetime(),
});
const fixitySchema = z.object({
  id: z.number().int(),
  derivativeId: z.uuid().nullable().describe('null: the original; otherwise the derived copy checked'),
  trigger: z.enum(FIXITY_TRIGGERS),
  result: z.enum(FIXITY_RESULTS),
  detail: z.string().nullable(),
  checkedAt: z.iso.datetime(),
});
const derivativeSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['playback', 'disclosure']),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: sha256('This derived file'),
  encryptedSha256: sha256('The stored age-encrypted file'),
  originalSha256: sha256('The original it was derived from (R-3: derived files name their original)'),
  durationMs: z.number().int(),
  createdAt: z.iso.datetime(),
});
const playbackSchema = derivativeSchema
  .omit({ kind: true })
  .describe('The browser-playable copy derived from the original');

const detailSchema = z.object({
  recording: summarySchema,
  conference: z.object({
    id: z.uuid(),
    title: z.string(),
    status: z.enum(CONFERENCE_STATUSES),
    scheduledDate: z.iso.date(),
    childNames: z.array(z.string()),
  }),
  breaks: z.array(breakSchema),
  playback: playbackSchema.nullable(),
  statement: statementSchema
    .nullable()
    .describe('R-2: the confirmed explanatory statement in force (the latest version); null until confirmed'),
  statementHistory: z.array(statementSchema).describe('Every confirmed version, oldest first: nothing is overwritten'),
  bookmarks: z.array(bookmarkSchema),
  withheld: z.array(withheldSchema),
  fixity: z.array(fixitySchema).describe('Every fixity check of the original and its copies, oldest first'),
  people: z
    .array(z.object({ id: z.uuid(), name: z.string() }))
    .describe('The children, family and network of the conference: who may be named in `withheld[].withheldFrom`'),
  can: z.object({ manage: z.boolean(), export: z.boolean() }).describe('What the token’s account may do with it'),
});
const evidenceSchema = z.object({
  recording: recordingSchema,
  derivatives: z.array(derivativeSchema),
  fixity: z.array(fixitySchema),
  events: z
    .array(
      z.object({
        seq: z.number().int().describe('Position in the audit trail'),
        at: z.iso.datetime(),
        action: z.string(),
        actor: z.string(),
        outcome: z.string(),
        details: z.record(z.string(), z.unknown()),
      }),
    )
    .describe(
      'Every audit-trail entry about the recording: started, uploaded, stored, viewed, played (with the reason), exported, checked',
    ),
});
const fixityRunSchema = z.object({
  result: z
    .enum(FIXITY_RESULTS)
    .describe('`ok` only when the original and every copy decrypted and hashed to what was recorded'),
  checks: z.array(fixitySchema).describe('The events this check recorded: the original first'),
});

/** Reads: a malformed id (400), no token (401), no access to every child (403), nothing there (404). */
const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
/** Changes also: the recording's state does not allow it (409), a rule problem on a field (422, `issues`). */
const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };

// ------------------------------------------------------------------ requests

const shortText = z.string().max(2_000);
const offset = z
  .union([z.string().max(20), z.number().int().min(0)])
  .describe('A time in the recording: `1:02:05`, `2:05` or seconds as text, or milliseconds as a number')
  .meta({ examples: ['0:12:30', 750000] });

const createBody = z.object({
  kind: z.enum(RECORDING_KINDS).describe('`meeting`, or the chair’s `dictation` afterwards (R-6)'),
  source: z
    .enum(RECORDING_SOURCES.filter((s) => s !== 'browser') as ['teams', 'dictaphone', 'other'])
    .describe('Where the file was made (R-5)'),
  partId: idSchema.nullish().describe('The part of the conference it records'),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'A SHA-256 is 64 hexadecimal characters')
    .nullish()
    .describe('The file’s SHA-256, when the sender knows it: a file that arrives different is rejected'),
});

const statementBody = z.object({
  location: z.string().max(1_000),
  recordedOn: z.string().max(20).describe('YYYY-MM-DD'),
  startedAt: z.string().max(20).describe('HH:MM'),
  endedAt: z.string().max(20).describe('HH:MM'),
  context: z.string().max(10_000),
  speakers: z
    .array(z.object({ name: shortText.nullish(), role: shortText.nullish() }))
    .max(100)
    .default([]),
  breaks: z
    .array(
      z.object({
        startedAt: z.string().max(20).nullish(),
        endedAt: z.string().max(20).nullish(),
        reason: shortText.nullish(),
        participantChanges: shortText.nullish(),
      }),
    )
    .max(100)
    .default([]),
  changeReason: shortText.nullish().describe('Required once a version has been confirmed'),
});

const bookmarkBody = z.object({ at: offset, kind: z.enum(BOOKMARK_KINDS), label: shortText });

const withheldBody = z.object({
  start: offset,
  end: offset,
  reason: z
    .enum(WITHHOLDING_REASONS)
    .describe('Another child, police or MARAC information, information confidential to one parent …'),
  explanation: z.string().max(10_000).describe('What is said in this part and why it must be withheld'),
  audience: z
    .enum(['all-family', 'named'])
    .describe('Withheld from every family member and child, or only from the people named'),
  personIds: z.array(idSchema).max(100).optional().describe('With `named`: people from the detail’s `people`'),
});

// ------------------------------------------------------------------ mapping

function recordingOut(r: RecordingRecord) {
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
const summaryOut = (s: Pick<RecordingSummary, 'partLabel' | 'liveState' | 'statementConfirmed'> & RecordingRecord) => ({
  ...recordingOut(s),
  partLabel: s.partLabel,
  liveState: s.liveState,
  statementConfirmed: s.statementConfirmed,
});
const breakOut = (b: BreakRecord) => ({
  ordinal: b.ordinal,
  atMs: b.atMs,
  startedAt: iso(b.startedAt),
  endedAt: isoOrNull(b.endedAt),
  reason: b.reason,
  participantChanges: b.participantChanges,
});
const statementOut = (s: StatementRecord) => ({
  version: s.version,
  content: {
    location: s.content.location,
    recordedOn: s.content.recordedOn,
    startedAt: s.content.startedAt,
    endedAt: s.content.endedAt,
    context: s.content.context,
    speakers: s.content.speakers.map((sp) => ({ name: sp.name, role: sp.role })),
    breaks: s.content.breaks.map((b) => ({
      startedAt: b.startedAt,
      endedAt: b.endedAt,
      reason: b.reason,
      participantChanges: b.participantChanges,
    })),
  },
  changeReason: s.changeReason,
  confirmedBy: { id: s.confirmedBy, name: s.confirmedByName },
  confirmedAt: iso(s.confirmedAt),
});
const bookmarkOut = (b: BookmarkRecord) => ({
  id: b.id,
  atMs: b.atMs,
  kind: b.kind,
  label: b.label,
  createdBy: { id: b.createdBy, name: b.createdByName },
  createdAt: iso(b.createdAt),
});
const withheldOut = (w: WithheldRecord) => ({
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
const fixityOut = (f: FixityEventRecord) => ({
  id: f.id,
  derivativeId: f.derivativeId,
  trigger: f.trigger,
  result: f.result,
  detail: f.detail,
  checkedAt: iso(f.checkedAt),
});
const derivativeOut = (d: DerivativeRecord) => ({
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
const playbackOut = (d: DerivativeRecord) => {
  const { kind: _kind, ...rest } = derivativeOut(d);
  return rest;
};
const eventOut = (e: RecordingAuditEvent) => ({
  seq: e.seq,
  at: iso(e.at),
  action: e.action,
  actor: e.actorLabel,
  outcome: e.outcome,
  details: e.details,
});

// ------------------------------------------------------------------ routes

export async function recordingsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { recordings } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;

  api.get(
    '/conferences/:id/recordings',
    {
      config: VIEW,
      schema: {
        operationId: 'RecordingService.listForConference',
        summary: 'A conference’s recordings',
        description:
          'Every recording of the conference, its parts and the chair’s dictation (R-6), in any state. Only for someone who may see every child in the conference; audited.',
        tags: TAGS,
        params: conferenceParams,
        response: { 200: z.object({ recordings: z.array(summarySchema) }), ...readErrors },
      },
    },
    async (request) => ({
      recordings: (
        await recordings.listForConference(actorOf(request), requestContext(request), request.params.id)
      ).map(summaryOut),
    }),
  );

  api.post(
    '/conferences/:id/recordings',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.createUpload',
        summary: 'Start an upload of a recording made elsewhere (R-5)',
        description: [
          'Chair or business support. Creates the recording in `receiving`; then send the file’s bytes with the tus resumable upload protocol (tus.io, version 1.0.0) to `upload.endpoint` (`POST /api/v1/uploads/recordings`, then `PATCH` and `HEAD` at the `Location` it answers), with the same bearer token, naming this recording in the `Upload-Metadata` header as `recordingId` (and, if you can, the file’s SHA-256 as `sha256`).',
          'The file is checked by its content (decodable audio, or video with an audio track), hashed, compared with `sha256` when given, encrypted and stored; only then is the recording `stored`. Poll `GET /recordings/{id}` for the outcome.',
        ].join('\n\n'),
        tags: TAGS,
        params: conferenceParams,
        body: createBody,
        response: {
          201: z.object({
            recording: recordingSchema,
            upload: z.object({
              protocol: z.literal('tus').describe('tus.io resumable uploads, version 1.0.0'),
              endpoint: z
                .literal(TUS_ENDPOINT)
                .describe('Path (on this service) to create the tus upload at, with your bearer token'),
              metadata: z.object({ recordingId: z.uuid() }).describe('What to send in `Upload-Metadata`'),
            }),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => {
        const b = request.body;
        const r = await recordings.createUpload(actorOf(request), requestContext(request), request.params.id, {
          kind: b.kind,
          source: b.source,
          partId: b.partId ?? null,
          clientSha256: b.sha256 ?? null,
        });
        return reply.code(201).send({
          recording: recordingOut(r),
          upload: { protocol: 'tus' as const, endpoint: TUS_ENDPOINT, metadata: { recordingId: r.id } },
        });
      }),
  );

  api.get(
    '/recordings/:id',
    {
      config: VIEW,
      schema: {
        operationId: 'RecordingService.detail',
        summary: 'A recording: facts, hashes, explanatory statement, breaks, bookmarks, withheld parts, fixity',
        description:
          'Only for someone who may see every child in its conference; audited. The audio itself is played on the recording’s page, after giving a reason.',
        tags: TAGS,
        params,
        response: { 200: detailSchema, ...readErrors },
      },
    },
    async (request) => {
      const d = await recordings.detail(actorOf(request), requestContext(request), request.params.id);
      const r = d.recording;
      return {
        recording: {
          ...recordingOut(r),
          partLabel: d.partLabel,
          liveState: d.liveState,
          statementConfirmed: d.statements.length > 0,
        },
        conference: {
          id: d.conference.id,
          title: d.conference.title,
          status: d.conference.status as (typeof CONFERENCE_STATUSES)[number],
          scheduledDate: d.conference.scheduledDate,
          childNames: d.conference.childNames,
        },
        breaks: d.breaks.map(breakOut),
        playback: d.playback ? playbackOut(d.playback) : null,
        statement: d.statements.length ? statementOut(d.statements.at(-1)!) : null,
        statementHistory: d.statements.map(statementOut),
        bookmarks: d.bookmarks.map(bookmarkOut),
        withheld: d.withheld.map(withheldOut),
        fixity: d.fixity.map(fixityOut),
        people: d.people,
        can: d.can,
      };
    },
  );

  api.put(
    '/recordings/:id/statement',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.confirmStatement',
        summary: 'Confirm the explanatory statement (R-2)',
        description:
          'Where and when it was made, start and end times, the context, the main speakers with their role or title, and each break with its reason and any change of participants. Every problem is reported on its field (`speakers[0].name`, `breaks[1].reason` …). A confirmed statement is never changed: confirming again makes a new version and needs `changeReason`.',
        tags: TAGS,
        params,
        body: statementBody,
        response: { 200: z.object({ version: z.number().int() }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => ({
        version: await recordings.confirmStatement(
          actorOf(request),
          requestContext(request),
          request.params.id,
          request.body,
        ),
      })),
  );

  api.post(
    '/recordings/:id/bookmarks',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.addBookmark',
        summary: 'Add a bookmark (agenda item, decision, break, person joined or left, exclusion …)',
        description:
          'Within the recording once it is stored; while it is still being recorded, anywhere. Never changes the original (R-3).',
        tags: TAGS,
        params,
        body: bookmarkBody,
        response: { 201: z.object({ id: z.uuid() }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () =>
        reply.code(201).send({
          id: await recordings.addBookmark(actorOf(request), requestContext(request), request.params.id, request.body),
        }),
      ),
  );

  api.delete(
    '/recordings/:id/bookmarks/:bookmarkId',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.removeBookmark',
        summary: 'Remove a bookmark',
        description: 'Audited; the audit trail keeps what it was.',
        tags: TAGS,
        params: bookmarkParams,
        response: { 200: z.object({ removed: z.literal(true) }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => {
        await recordings.removeBookmark(
          actorOf(request),
          requestContext(request),
          request.params.id,
          request.params.bookmarkId,
        );
        return { removed: true as const };
      }),
  );

  api.post(
    '/recordings/:id/withheld',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.addWithheld',
        summary: 'Mark a part that some people must not hear',
        description:
          'A stored recording only (409 otherwise). Information about another child, police or MARAC information, information confidential to one parent: withheld from every family member, or from the people named. The original is never changed (R-3); a copy for someone is derived from it with these parts silenced.',
        tags: TAGS,
        params,
        body: withheldBody,
        response: { 201: z.object({ id: z.uuid() }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () =>
        reply.code(201).send({
          id: await recordings.addWithheld(actorOf(request), requestContext(request), request.params.id, request.body),
        }),
      ),
  );

  api.delete(
    '/recordings/:id/withheld/:segmentId',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.removeWithheld',
        summary: 'Remove a withheld part marked in error',
        description: 'Audited.',
        tags: TAGS,
        params: segmentParams,
        response: { 200: z.object({ removed: z.literal(true) }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => {
        await recordings.removeWithheld(
          actorOf(request),
          requestContext(request),
          request.params.id,
          request.params.segmentId,
        );
        return { removed: true as const };
      }),
  );

  api.get(
    '/recordings/:id/evidence',
    {
      config: VIEW,
      schema: {
        operationId: 'RecordingService.evidence',
        summary: 'Evidence that the recording is complete and unedited (R-3)',
        description:
          'The hashes of the original and every derived copy, every fixity check, and every audit-trail entry about the recording. Audited.',
        tags: TAGS,
        params,
        response: { 200: evidenceSchema, ...readErrors },
      },
    },
    async (request) => {
      const e = await recordings.evidence(actorOf(request), requestContext(request), request.params.id);
      return {
        recording: recordingOut(e.recording),
        derivatives: e.derivatives.map(derivativeOut),
        fixity: e.fixity.map(fixityOut),
        events: e.events.map(eventOut),
      };
    },
  );

  api.post(
    '/recordings/:id/fixity-checks',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.checkFixityNow',
        summary: 'Check now that the stored original and its copies are unchanged (R-3)',
        description:
          'Chair or business support. Decrypts every stored file (each chunk authenticated) and compares its SHA-256 with the one recorded when it was stored. A failed check is still a 200 with `result` `mismatch`, `missing` or `unreadable`; it is recorded and raises an alert. A recording not stored yet is 409.',
        tags: TAGS,
        params,
        response: { 200: fixityRunSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => {
        const r = await recordings.checkFixityNow(actorOf(request), requestContext(request), request.params.id);
        return { result: r.result, checks: r.events.map(fixityOut) };
      }),
  );
  // ---------------------------------------------------------------- resumable uploads (tus)

  await services.uploads.prepare();
  const tus = services.uploads.tus({
    maxBytes: services.config.recordingMaxBytes,
    recordings,
    logger: app.log,
    path: TUS_ENDPOINT,
    contextOf: requestContext,
  });
  // PATCH bodies are read by the tus server itself, straight from the request (this plugin only).
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
  const tusHandler = async (request: FastifyRequest, reply: FastifyReply) => tus.handle(request, reply);
  const tusText = (what: string) => z.string().describe(`${what} (text/plain: one sentence saying what went wrong)`);
  const noBody = (what: string) => z.null().describe(what);
  const uploadParams = z.object({
    uploadId: z.string().describe('The upload’s id: the last part of the `Location` answered when it was created'),
  });
  const tusRefusals = {
    401: errorResponse,
    403: z
      .union([errorResponse, z.string()])
      .describe(
        'The token’s roles do not allow uploads (JSON), or no access to the recording, which needs every child in its conference (text/plain)',
      ),
    404: tusText('No such recording or upload'),
    410: tusText('The recording no longer takes a file: it was sent already, or cancelled'),
  };
  const tusRoute = (
    method: 'POST' | 'PATCH' | 'HEAD' | 'DELETE',
    url: string,
    summary: string,
    description: string,
    response: Record<number, z.ZodType>,
  ) =>
    app.route({
      method,
      url,
      config: MANAGE,
      schema: {
        // The tus protocol's own operations (the server in src/infra calls RecordingService for each).
        operationId: `tus.${method.toLowerCase()}`,
        summary,
        description,
        tags: TAGS,
        ...(url.includes(':') ? { params: uploadParams } : {}),
        response,
      },
      handler: tusHandler,
    });

  tusRoute(
    'POST',
    TUS_ROUTE,
    'Create a resumable (tus) upload for a recording',
    [
      'tus 1.0.0 creation, with `Tus-Resumable: 1.0.0`, `Upload-Length` (the file’s size in bytes; required, at most the configured limit) and `Upload-Metadata` naming the recording as `recordingId` (base64, as tus requires) and, when you can compute it, the file’s SHA-256 as `sha256`. The recording comes from `POST /conferences/{id}/recordings`.',
      'Answers 201 with `Location: /api/v1/uploads/recordings/{uploadId}`. A file name or anything else in the metadata is dropped. A `sha256` different from one already given is refused (422) before any byte is sent; the server always hashes what arrives and rejects a file whose SHA-256 differs.',
    ].join('\n\n'),
    {
      201: noBody('Created: send the bytes with PATCH to the `Location` header'),
      400: tusText('No `recordingId` in `Upload-Metadata`, no `Upload-Length`, or an empty file'),
      413: tusText('`Upload-Length` is over the limit'),
      422: tusText('The `sha256` differs from the one given for this recording'),
      ...tusRefusals,
    },
  );
  tusRoute(
    'PATCH',
    `${TUS_ROUTE}/:uploadId`,
    'Send bytes of a resumable upload',
    [
      'tus 1.0.0: `Content-Type: application/offset+octet-stream`, `Upload-Offset` (how many bytes the server has, from `HEAD`) and the next bytes as the body. Answers 204 with the new `Upload-Offset`. If the connection drops, ask `HEAD` for the offset and send the rest from there: bytes that arrived are kept, also across a restart of the service.',
      'When the last byte arrives the file is handed to ingest (checked by content, hashed, encrypted and stored); poll `GET /recordings/{id}` for `stored` or `rejected` with its reason.',
    ].join('\n\n'),
    {
      204: noBody('The bytes were written; `Upload-Offset` says how many the server has'),
      409: tusText('`Upload-Offset` is not the number of bytes the server has: ask `HEAD`'),
      415: tusText('Not `application/offset+octet-stream`'),
      422: tusText('The finished file could not be accepted'),
      ...tusRefusals,
    },
  );
  tusRoute(
    'HEAD',
    `${TUS_ROUTE}/:uploadId`,
    'How many bytes of a resumable upload have arrived',
    'tus 1.0.0: answers 200 with `Upload-Offset` (bytes the server has) and `Upload-Length`, to resume after an interruption.',
    { 200: noBody('`Upload-Offset` and `Upload-Length` headers'), ...tusRefusals },
  );
  tusRoute(
    'DELETE',
    `${TUS_ROUTE}/:uploadId`,
    'Abandon a resumable upload',
    'tus 1.0.0 termination: the bytes sent so far are deleted. The recording still waits for a file: start another upload, or cancel the recording.',
    { 204: noBody('The upload’s bytes were deleted'), ...tusRefusals },
  );
}
