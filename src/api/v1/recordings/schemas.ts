/**
 * The recordings API's contract: who may call it, the path parameters, what each operation answers,
 * and the errors. Responses are allow-lists: blob keys never leave the server; hashes do.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import type { Role } from '../../../domain/access/roles.ts';
import { CONFERENCE_STATUSES } from '../../../domain/conferences/lifecycle.ts';
import {
  BOOKMARK_KINDS,
  RECORDING_KINDS,
  RECORDING_SOURCES,
  RECORDING_STATUSES,
  WITHHOLDING_REASONS,
} from '../../../domain/recordings/index.ts';
import { errorResponse, withRules } from '../schemas.ts';
import { RECORDING_PLAYABLE } from '../../../app/recordings/ports.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

/** Who may see recordings at all; the service then requires access to every child in the conference. */
export const VIEW = { access: CHILD_RECORD_ROLES };
/** The chair records; business support uploads and looks after recordings. */
export const MANAGE = { access: ['chair', 'business_support'] as readonly Role[] };
export const TAGS = ['recordings'];

export const FIXITY_TRIGGERS = ['ingest', 'scheduled', 'on-demand', 'export'] as const;
export const FIXITY_RESULTS = ['ok', 'mismatch', 'missing', 'unreadable'] as const;
export const LIVE_STATES = ['recording', 'paused', 'stopped'] as const;

/**
 * Answered 409: the request is sound but the recording (or its conference) is not in a state that
 * allows it, for example a withheld part on a recording that is not stored yet.
 */
export const STATE_CODES = new Set([
  'NOT_STORED',
  'NOT_RECEIVING',
  'RECORDING_STATE',
  'CONFERENCE_CANCELLED',
  'NOT_HELD',
  'CONFLICT',
]);

export const withRecordingRules = <T>(reply: FastifyReply, run: () => Promise<T>): Promise<T | FastifyReply> =>
  withRules(reply, run, STATE_CODES);

// ------------------------------------------------------------------ parameters

export const conferenceParams = z.object({ id: idSchema.describe('The conference’s id') });
export const childParams = z.object({ id: idSchema.describe('The child’s id') });
export const params = z.object({ id: idSchema.describe('The recording’s id') });
export const bookmarkParams = params.extend({ bookmarkId: idSchema.describe('A bookmark on the recording') });
export const segmentParams = params.extend({ segmentId: idSchema.describe('A withheld part of the recording') });

// ------------------------------------------------------------------ responses

export const iso = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
export const sha256 = (description: string) =>
  z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe(`${description} (SHA-256, lower-case hex)`);
export const staffRef = z.object({ id: z.uuid(), name: z.string() });

export const recordingSchema = z.object({
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
  playable: z
    .enum(RECORDING_PLAYABLE)
    .nullable()
    .describe(
      'R-3: once stored, whether it can be played. `preparing`: stored safely (encrypted, flushed, SHA-256 recorded) and being prepared for playback; `ready`; `undecodable`: stored safely, but its audio does not decode, so it cannot be played (see `playableProblem`); its encrypted original is kept. Null until stored',
    ),
  playableProblem: z
    .string()
    .nullable()
    .describe('Why a stored recording cannot be played, when `playable` is `undecodable`'),
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
export const summarySchema = recordingSchema.extend({
  partLabel: z.string().nullable(),
  liveState: z
    .enum(LIVE_STATES)
    .nullable()
    .describe('A live recording still receiving audio: recording or paused (a break, R-2)'),
  statementConfirmed: z.boolean().describe('R-2: the chair has confirmed the explanatory statement'),
});
export const breakSchema = z.object({
  ordinal: z.number().int(),
  atMs: z.number().int().describe('Where in the recording the break is'),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  reason: z.string(),
  participantChanges: z.string().nullable().describe('R-2: any change of who was present after the break'),
});
export const statementContent = z.object({
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
export const statementSchema = z.object({
  version: z.number().int(),
  content: statementContent,
  changeReason: z.string().nullable().describe('Why this version replaced the one before'),
  confirmedBy: staffRef,
  confirmedAt: z.iso.datetime(),
});
export const bookmarkSchema = z.object({
  id: z.uuid(),
  atMs: z.number().int(),
  kind: z.enum(BOOKMARK_KINDS),
  label: z.string(),
  createdBy: staffRef,
  createdAt: z.iso.datetime(),
});
export const withheldFromSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('all-family') }),
    z.object({ kind: z.literal('named'), personIds: z.array(z.uuid()) }),
  ])
  .describe('Who must not hear it: every family member and child, or only the people named');
export const withheldSchema = z.object({
  id: z.uuid(),
  startMs: z.number().int(),
  endMs: z.number().int(),
  reason: z.enum(WITHHOLDING_REASONS),
  explanation: z.string(),
  withheldFrom: withheldFromSchema,
  createdBy: staffRef,
  createdAt: z.iso.datetime(),
});
export const fixitySchema = z.object({
  id: z.number().int(),
  derivativeId: z.uuid().nullable().describe('null: the original; otherwise the derived copy checked'),
  trigger: z.enum(FIXITY_TRIGGERS),
  result: z.enum(FIXITY_RESULTS),
  detail: z.string().nullable(),
  checkedAt: z.iso.datetime(),
});
export const derivativeSchema = z.object({
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
export const playbackSchema = derivativeSchema
  .omit({ kind: true })
  .describe('The browser-playable copy derived from the original');

export const detailSchema = z.object({
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
export const evidenceSchema = z.object({
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
export const fixityRunSchema = z.object({
  result: z
    .enum(FIXITY_RESULTS)
    .describe('`ok` only when the original and every copy decrypted and hashed to what was recorded'),
  checks: z.array(fixitySchema).describe('The events this check recorded: the original first'),
});

/** Reads: a malformed id (400), no token (401), no access to every child (403), nothing there (404). */
export const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
/** Changes also: the recording's state does not allow it (409), a rule problem on a field (422, `issues`). */
export const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };
