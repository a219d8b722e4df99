/**
 * A conference's recordings and how files made elsewhere get in: the list, describing an
 * upload, sending the file (resumable tus uploads with JavaScript, a plain file input without), the
 * evidence page (hashes, fixity checks, every audited event) and exports of the original.
 * Every form works without JavaScript; the service checks access to every child and audits.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RecordingDetail } from '../../../app/recordings/recording-service.ts';
import type { FixityResult } from '../../../app/recordings/ports.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import { type Role, hasAnyRole } from '../../../domain/access/roles.ts';
import { formatLongDate } from '../../plugins/format.ts';
import { RECORDING_KIND_LABELS, RECORDING_KINDS, RECORDING_SOURCE_LABELS } from '../../../domain/recordings/index.ts';
import { DomainError, InvalidDetailsError } from '../../../domain/shared/errors.ts';
import { bodyOf, problemsAsErrors, readingContext, requestContext, fieldIds } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import {
  FIXITY_RESULT_TAGS,
  FIXITY_TRIGGER_LABELS,
  UPLOAD_SOURCES,
  auditRow,
  evidenceTime,
  exactBytes,
  exportFileName,
  exportMediaType,
  listRow,
  recordingFacts,
} from './list-view.ts';
import { formatBytes } from '../../../domain/shared/bytes.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const tusClientDist = path.resolve(here, '../../../../node_modules/tus-js-client/dist');

const MANAGE_ROLES: readonly Role[] = ['chair', 'business_support'];
const EXPORT_ROLES: readonly Role[] = ['chair', 'business_support', 'access_to_records', 'qa_manager'];
const VIEW = { access: CHILD_RECORD_ROLES };
const MANAGE = { access: MANAGE_ROLES };
const EXPORT = { access: EXPORT_ROLES };

const SEND_ROUTE = '/recordings/:rid/upload';
/** Files larger than this are not hashed in the browser (it reads the whole file into memory). */
export const BROWSER_HASH_LIMIT = 300 * 1024 * 1024;
const EXPORT_REASON_MAX = 500;

const conferenceParam = z.object({ id: idSchema });
const recordingParam = z.object({ rid: idSchema });

const PART_NONE = 'none';
const SHA256 = /^[0-9a-fA-F]{64}$/;

type Values = Record<string, string>;

const str = (v: unknown): string =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';

/** "Ava and Ben Okafor" for one family; full names otherwise. */
function childrenNames(names: readonly string[]): string {
  const split = names.map((n) => {
    const parts = n.split(' ');
    return { given: parts.slice(0, -1).join(' ') || n, family: parts.length > 1 ? parts.at(-1)! : '' };
  });
  const families = new Set(split.map((s) => s.family));
  const join = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}` : (xs[0] ?? ''));
  if (families.size === 1 && split[0]?.family) return `${join(split.map((s) => s.given))} ${split[0].family}`;
  return join([...names]);
}

function heading(conference: RecordingDetail['conference']) {
  return {
    caption: `${conference.title} – ${formatLongDate(conference.scheduledDate)} – ${childrenNames(conference.childNames)}`,
    conferenceHref: `/conferences/${conference.id}`,
    recordingsHref: `/conferences/${conference.id}/recordings`,
  };
}

const DONE: Record<string, string> = {
  cancelled: 'The upload was cancelled. Nothing was stored.',
};

const CHECKED: Record<FixityResult, { type: 'success' | null; text: string }> = {
  ok: {
    type: 'success',
    text: 'The integrity check passed: the original and its playback copy are exactly as they were stored.',
  },
  mismatch: {
    type: null,
    text: 'The integrity check failed: a stored file has changed. This has been reported; do not rely on this recording until it has been looked into.',
  },
  missing: { type: null, text: 'The integrity check failed: a stored file is missing. This has been reported.' },
  unreadable: { type: null, text: 'The integrity check could not read a stored file. This has been reported.' },
};

/** The pages' tus endpoint (the JSON API has its own under /api/v1). */
const TUS_PATH = '/uploads/recordings';

export async function uploadRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { recordings, config, uploads } = opts.services;
  const maxBytes = config.recordingMaxBytes;
  const maxText = formatBytes(maxBytes);
  await uploads.prepare();
  const tus = uploads.tus({ maxBytes, recordings, logger: app.log, path: TUS_PATH, contextOf: requestContext });

  // The tus client for the send-the-file page, served from node_modules (one file).
  await app.register(fastifyStatic, {
    root: tusClientDist,
    prefix: '/static/vendor/tus-js-client/',
    decorateReply: false,
    allowedPath: (p) => p === '/tus.min.js',
  });

  // A plain form upload is streamed to disk as it arrives, up to the configured limit (plus nothing:
  // busboy marks the part truncated when more arrives, and the file is refused).
  await app.register(multipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 200, parts: 6, headerPairs: 50 },
    throwFileSizeLimit: false,
  });
  // tus PATCH bodies are read by the tus server itself, straight from the request.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));

  // The CSRF check runs before a multipart body is read, so the plain upload form sends its token in
  // the query string (as the reports form does); it is the same session-bound token.
  app.addHook('onRequest', async (request) => {
    if (request.method !== 'POST' || request.routeOptions.url !== SEND_ROUTE) return;
    const token = (request.query as Record<string, unknown>)['_csrf'];
    if (typeof token === 'string' && !request.headers['x-csrf-token']) request.headers['x-csrf-token'] = token;
  });

  // ---------------------------------------------------------------- the list

  app.get('/conferences/:id/recordings', { config: VIEW }, async (request, reply) => {
    const { id } = conferenceParam.parse(request.params);
    const view = await recordings.conferenceRecordings(request.actor!, requestContext(request), id);
    const done = DONE[str((request.query as Record<string, unknown>)['done'])] ?? null;
    return reply.view('recordings/list-recordings.njk', {
      title: 'Recordings',
      ...heading(view.conference),
      conferenceId: id,
      cancelled: view.conference.status === 'cancelled',
      rows: view.recordings.map(listRow),
      can: view.can,
      done,
    });
  });

  // ---------------------------------------------------------------- describe the file

  const renderDescribe = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Values,
    errors: FormError[] = [],
  ) => {
    const { id } = conferenceParam.parse(request.params);
    const view = await recordings.conferenceRecordings(request.actor!, readingContext(request), id);
    if (errors.length) reply.code(400);
    return reply.view('recordings/upload-describe.njk', {
      title: 'Upload a recording',
      ...heading(view.conference),
      conferenceId: id,
      cancelled: view.conference.status === 'cancelled',
      values,
      errors,
      kindItems: RECORDING_KINDS.map((k) => ({
        value: k,
        text: RECORDING_KIND_LABELS[k],
        checked: values['kind'] === k,
      })),
      sourceItems: UPLOAD_SOURCES.map((s) => ({
        value: s,
        text: RECORDING_SOURCE_LABELS[s],
        checked: values['source'] === s,
      })),
      partItems:
        view.parts.length > 1
          ? [
              ...view.parts.map((p) => ({ value: p.id, text: p.label, checked: values['partId'] === p.id })),
              { divider: 'or' },
              {
                value: PART_NONE,
                text: 'It is not one part (for example, the chair’s dictation afterwards)',
                checked: values['partId'] === PART_NONE,
              },
            ]
          : null,
      onlyPart: view.parts.length === 1 ? view.parts[0] : null,
    });
  };

  app.get('/conferences/:id/recordings/upload', { config: MANAGE }, async (request, reply) =>
    renderDescribe(request, reply, {}),
  );

  app.post('/conferences/:id/recordings/upload', { config: MANAGE }, async (request, reply) => {
    const { id } = conferenceParam.parse(request.params);
    const body = bodyOf(request);
    const values: Values = {
      kind: str(body['kind']),
      source: str(body['source']),
      partId: str(body['partId']),
      clientSha256: str(body['clientSha256']).trim(),
    };
    const view = await recordings.conferenceRecordings(request.actor!, readingContext(request), id);
    // Every problem at once, in the order of the form; the service checks the same again.
    const errors: FormError[] = [];
    if (!(RECORDING_KINDS as readonly string[]).includes(values['kind']!))
      errors.push({ text: 'Select what the recording is of', href: '#kind' });
    if (!(UPLOAD_SOURCES as readonly string[]).includes(values['source']!))
      errors.push({ text: 'Select where the recording was made', href: '#source' });
    let partId: string | null = view.parts.length === 1 ? view.parts[0]!.id : null;
    if (view.parts.length > 1) {
      if (view.parts.some((p) => p.id === values['partId'])) partId = values['partId']!;
      else if (values['partId'] !== PART_NONE)
        errors.push({ text: 'Select which part of the conference it records', href: '#partId' });
    }
    if (values['clientSha256'] && !SHA256.test(values['clientSha256'])) {
      errors.push({
        text: 'The file’s SHA-256 must be 64 letters a to f and digits, like the one your recording software or sha256sum shows',
        href: '#clientSha256',
      });
    }
    if (errors.length) return renderDescribe(request, reply, values, errors);
    let recordingId: string;
    try {
      const recording = await recordings.createUpload(request.actor!, requestContext(request), id, {
        kind: values['kind']!,
        source: values['source']!,
        partId,
        clientSha256: values['clientSha256'] || null,
      });
      recordingId = recording.id;
    } catch (err) {
      const problems =
        err instanceof InvalidDetailsError
          ? err.problems.map((p) => ({ text: p.message, href: `#${p.field || 'kind'}` }))
          : problemsAsErrors(err, fieldIds({ renames: { '': 'kind' } }));
      return renderDescribe(request, reply, values, problems);
    }
    return reply.redirect(`/recordings/${recordingId}/upload`, 303);
  });

  // ---------------------------------------------------------------- send the file

  const renderSend = async (request: FastifyRequest, reply: FastifyReply, errors: FormError[] = [], status = 400) => {
    const { rid } = recordingParam.parse(request.params);
    const detail = await recordings.detail(request.actor!, requestContext(request), rid);
    const r = detail.recording;
    if (r.status !== 'receiving' || r.source === 'browser') return reply.redirect(`/recordings/${rid}`, 303);
    if (errors.length) reply.code(status);
    return reply.view('recordings/upload-send.njk', {
      title: 'Send the recording file',
      ...heading(detail.conference),
      recordingId: rid,
      facts: recordingFacts(r, detail.partLabel),
      clientSha256: r.clientSha256,
      maxBytes,
      maxText,
      hashLimit: BROWSER_HASH_LIMIT,
      hashLimitText: formatBytes(BROWSER_HASH_LIMIT),
      tusEndpoint: TUS_PATH,
      errors,
    });
  };

  app.get(SEND_ROUTE, { config: MANAGE }, async (request, reply) => renderSend(request, reply));

  app.post(SEND_ROUTE, { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParam.parse(request.params);
    const actor = request.actor!;
    const ctx = requestContext(request);
    if (!request.isMultipart())
      return renderSend(request, reply, [{ text: 'Select the recording file', href: '#file' }]);
    // Who may send bytes, and whether the recording still waits for them, before any are accepted.
    try {
      await recordings.assertCanUpload(actor, ctx, rid);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'NOT_RECEIVING') return reply.redirect(`/recordings/${rid}`, 303);
      throw err;
    }
    const part = await request.file();
    if (!part || part.fieldname !== 'file') {
      part?.file.resume();
      return renderSend(request, reply, [{ text: 'Select the recording file', href: '#file' }]);
    }
    // The browser's file name and type are never used: the content decides what the file is.
    const chosen = part.filename !== '';
    const saved = await uploads.streamToTempFile(part.file, maxBytes);
    if (part.file.truncated || saved === null) {
      if (saved) await rm(saved.path, { force: true });
      return renderSend(
        request,
        reply,
        [{ text: `The selected file must be smaller than ${maxText}`, href: '#file' }],
        413,
      );
    }
    if (saved.size === 0) {
      await rm(saved.path, { force: true });
      return renderSend(request, reply, [
        { text: chosen ? 'The selected file is empty' : 'Select the recording file', href: '#file' },
      ]);
    }
    try {
      await recordings.completeUpload(actor, ctx, rid, saved.path);
    } catch (err) {
      await rm(saved.path, { force: true });
      if (err instanceof DomainError && err.code === 'NOT_RECEIVING') return reply.redirect(`/recordings/${rid}`, 303);
      if (err instanceof DomainError && err.code === 'TOO_LARGE') {
        return renderSend(
          request,
          reply,
          [{ text: `The selected file must be smaller than ${maxText}`, href: '#file' }],
          413,
        );
      }
      throw err;
    }
    return reply.redirect(`/recordings/${rid}`, 303);
  });

  app.post('/recordings/:rid/upload/cancel', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParam.parse(request.params);
    const detail = await recordings.detail(request.actor!, readingContext(request), rid);
    try {
      await recordings.cancelUpload(request.actor!, requestContext(request), rid);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'NOT_RECEIVING') return reply.redirect(`/recordings/${rid}`, 303);
      throw err;
    }
    return reply.redirect(`/conferences/${detail.conference.id}/recordings?done=cancelled`, 303);
  });

  // ---------------------------------------------------------------- tus (resumable uploads)

  const tusHandler = async (request: FastifyRequest, reply: FastifyReply) => tus.handle(request, reply);
  app.route({ method: ['POST', 'OPTIONS'], url: TUS_PATH, config: MANAGE, handler: tusHandler });
  app.route({
    method: ['PATCH', 'HEAD', 'DELETE', 'OPTIONS'],
    url: `${TUS_PATH}/:uploadId`,
    config: MANAGE,
    handler: tusHandler,
  });

  // ---------------------------------------------------------------- evidence

  const renderEvidence = async (request: FastifyRequest, reply: FastifyReply, errors: FormError[] = []) => {
    const { rid } = recordingParam.parse(request.params);
    const {
      recording: r,
      name,
      derivatives,
      fixity,
      events,
    } = await recordings.evidence(request.actor!, requestContext(request), rid);
    const checked = str((request.query as Record<string, unknown>)['checked']);
    if (errors.length) reply.code(409);
    const fileLabel = (derivativeId: string | null) => {
      if (derivativeId === null) return 'Original';
      const d = derivatives.find((x) => x.id === derivativeId);
      return d?.kind === 'playback' ? 'Playback copy' : 'Disclosure copy';
    };
    return reply.view('recordings/evidence-recording.njk', {
      title: 'Evidence for the recording',
      recordingId: rid,
      recordingHref: `/recordings/${rid}`,
      r,
      name,
      facts: recordingFacts(r, null),
      stored: r.status === 'stored',
      storedAt: r.storedAt ? evidenceTime(r.storedAt) : null,
      originalSize: exactBytes(r.originalSize),
      encryptedSize: exactBytes(r.originalBlobSize),
      clientCheck:
        r.clientSha256 === null
          ? 'No SHA-256 was given by the sender; the service computed its own when the file arrived'
          : r.originalSha256 === null
            ? `Given by the sender: ${r.clientSha256}`
            : r.clientSha256 === r.originalSha256
              ? 'Matches the SHA-256 the sender gave'
              : `Does not match the SHA-256 the sender gave (${r.clientSha256})`,
      derivatives: derivatives.map((d) => ({
        kind: d.kind === 'playback' ? 'Playback copy' : 'Disclosure copy',
        mediaType: d.mediaType,
        size: exactBytes(d.size),
        sha256: d.sha256,
        encryptedSha256: d.blobSha256,
        encryptedSize: exactBytes(d.blobSize),
        originalSha256: d.originalSha256,
        namesOriginal: d.originalSha256 === r.originalSha256,
        createdAt: evidenceTime(d.createdAt),
      })),
      fixity: [...fixity].reverse().map((f) => ({
        at: evidenceTime(f.checkedAt),
        file: fileLabel(f.derivativeId),
        trigger: FIXITY_TRIGGER_LABELS[f.trigger],
        tag: FIXITY_RESULT_TAGS[f.result],
        detail: f.detail ?? '',
      })),
      events: [...events].reverse().map(auditRow),
      canCheck: hasAnyRole(request.actor!, MANAGE_ROLES) && r.status === 'stored',
      canExport: hasAnyRole(request.actor!, EXPORT_ROLES) && r.status === 'stored',
      checked: checked in CHECKED ? CHECKED[checked as FixityResult] : null,
      errors,
    });
  };

  app.get('/recordings/:rid/evidence', { config: VIEW }, async (request, reply) => renderEvidence(request, reply));

  app.post('/recordings/:rid/evidence/check', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParam.parse(request.params);
    let result: FixityResult;
    try {
      ({ result } = await recordings.checkFixityNow(request.actor!, requestContext(request), rid));
    } catch (err) {
      if (err instanceof DomainError && err.code === 'NOT_STORED')
        return renderEvidence(request, reply, [{ text: err.message, href: '#check' }]);
      throw err;
    }
    return reply.redirect(`/recordings/${rid}/evidence?checked=${result}`, 303);
  });

  // ---------------------------------------------------------------- export the original (R-3)

  const renderExport = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Values,
    errors: FormError[] = [],
    status = 400,
  ) => {
    const { rid } = recordingParam.parse(request.params);
    const detail = await recordings.detail(request.actor!, requestContext(request), rid);
    const r = detail.recording;
    if (errors.length) reply.code(status);
    else if (r.status !== 'stored') reply.code(409);
    return reply.view('recordings/export-original.njk', {
      title: 'Export the original recording',
      ...heading(detail.conference),
      recordingId: rid,
      recordingHref: `/recordings/${rid}`,
      facts: recordingFacts(r, detail.partLabel),
      stored: r.status === 'stored',
      sha256: r.originalSha256,
      size: exactBytes(r.originalSize),
      fileName: r.status === 'stored' ? exportFileName(rid, r.startedAt, r.container) : null,
      reasonMax: EXPORT_REASON_MAX,
      values,
      errors,
    });
  };

  app.get('/recordings/:rid/original', { config: EXPORT }, async (request, reply) => renderExport(request, reply, {}));

  app.post('/recordings/:rid/original', { config: EXPORT }, async (request, reply) => {
    const { rid } = recordingParam.parse(request.params);
    const values: Values = { reason: str(bodyOf(request)['reason']) };
    let exported;
    try {
      exported = await recordings.exportOriginal(request.actor!, requestContext(request), rid, values['reason'] ?? '');
    } catch (err) {
      if (err instanceof DomainError && err.code === 'FIXITY_FAILED') {
        reply.code(500);
        return reply.view('recordings/export-failed.njk', {
          title: 'No copy was made: the recording failed its integrity check',
          recordingId: rid,
          message: err.message,
        });
      }
      if (err instanceof InvalidDetailsError)
        return renderExport(
          request,
          reply,
          values,
          err.problems.map((p) => ({ text: p.message, href: `#${p.field}` })),
        );
      if (err instanceof DomainError && err.code === 'NOT_STORED')
        return renderExport(request, reply, values, [{ text: err.message, href: '#reason' }], 409);
      throw err;
    }
    reply.header('Content-Type', exportMediaType(exported.container));
    reply.header(
      'Content-Disposition',
      `attachment; filename="${exportFileName(rid, exported.startedAt, exported.container)}"`,
    );
    reply.header('Content-Length', String(exported.size));
    // RFC 9530: the SHA-256 of the file as sent, so whoever receives it can check it.
    reply.header('Repr-Digest', `sha-256=:${Buffer.from(exported.sha256, 'hex').toString('base64')}:`);
    reply.header('Cache-Control', 'no-store');
    return reply.send(exported.stream);
  });
}
