/**
 * Resumable uploads of recordings made elsewhere with the tus protocol (tus.io, v1.0.0):
 * `POST /uploads/recordings` creates an upload for a recording (its id in the upload's metadata),
 * `PATCH /uploads/recordings/<upload id>` appends bytes, `HEAD` says how many arrived, so a
 * multi-hour file sent over a poor connection picks up where it stopped. Every request is checked
 * against the session (the route's roles, then `assertCanUpload`: access to every child in the
 * conference, and the recording still waiting for a file) and carries the CSRF token as a header.
 * When the last byte arrives the file is handed to the service (`completeUpload`), which checks it
 * by content, stores it and derives the playback copy. Nothing a person named reaches a path or the
 * stored metadata: only the recording id and the SHA-256 the browser computed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Metadata, Server, type Upload } from '@tus/server';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { RecordingService } from '../../app/recordings/recording-service.ts';
import type { RequestContext } from '../../app/audit/audit-log.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { formatBytes } from '../../domain/shared/bytes.ts';
import { AccessDeniedError, DomainError, NotFoundError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import { parseId } from '../../domain/shared/ids.ts';
import { assertRoomFor, DISK_FULL_MESSAGE, type DiskSpace, isNoSpace } from '../../app/recordings/disk-space.ts';
import { type StreamedFile, TUS_UPLOAD_ID, prepareUploadDirs, streamToTempFile } from './upload-files.ts';
import { type TusBackend, diskTusBackend } from './upload-tus-stores.ts';

const TUS_VERSION = '1.0.0';

interface TusCall {
  actor: Actor;
  ctx: RequestContext;
  recordingId: string;
}

/** What a tus response says went wrong: a status and one plain-English sentence for the page. */
interface TusFailure {
  status_code: number;
  body: string;
}

const isTusFailure = (e: unknown): e is TusFailure =>
  typeof e === 'object' &&
  e !== null &&
  typeof (e as TusFailure).status_code === 'number' &&
  typeof (e as TusFailure).body === 'string';

/** The service's errors as tus responses; anything else is not ours to explain and is rethrown. */
export function tusFailureOf(err: unknown): TusFailure {
  if (isTusFailure(err)) return err;
  // 507 Insufficient Storage: clients are told plainly and do not retry it for ever as a 500.
  if (isNoSpace(err) || (err instanceof DomainError && err.code === 'DISK_FULL'))
    return { status_code: 507, body: DISK_FULL_MESSAGE };
  if (err instanceof AccessDeniedError) return { status_code: 403, body: 'You do not have access to this recording' };
  if (err instanceof NotFoundError) return { status_code: 404, body: 'This recording was not found' };
  if (err instanceof InvalidDetailsError)
    return { status_code: 400, body: err.problems.map((p) => p.message).join('. ') };
  if (err instanceof DomainError) {
    // 410: the recording no longer takes a file (sent already, or cancelled); 409 is tus's own
    // "resume from the right offset", which clients retry, so it is never used for these.
    const status = err.code === 'TOO_LARGE' ? 413 : err.code === 'NOT_RECEIVING' ? 410 : 422;
    return { status_code: status, body: err.message };
  }
  throw err;
}

export { PrivateFileStore } from './upload-tus-stores.ts';

export interface TusUploads {
  /** Hands a tus request (any method) to the tus server once the session may send bytes for it. */
  handle(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export interface TusOptions {
  maxBytes: number;
  recordings: RecordingService;
  logger: FastifyBaseLogger;
  /** The endpoint: the pages' (session and CSRF header) or the JSON API's (bearer token, no CSRF). */
  path: string;
  /** Who is asking and in which request, as the calling layer reads it from its own request. */
  contextOf: (request: FastifyRequest) => RequestContext;
}

/**
 * A tus server at `path`: the pages' endpoint (`/uploads/recordings`) or the JSON API's
 * (`/api/v1/uploads/recordings`). The same checks apply to both.
 */
export function tusUploads(opts: TusOptions & { backend: TusBackend; disk: DiskSpace }): TusUploads {
  const { recordings, maxBytes, disk, backend } = opts;
  const calls = new AsyncLocalStorage<TusCall>();
  const current = (): TusCall => {
    const call = calls.getStore();
    if (!call) throw new Error('A tus request outside an authorised call');
    return call;
  };

  const server = new Server({
    path: opts.path,
    datastore: backend.datastore,
    maxSize: maxBytes,
    relativeLocation: true,
    // The URL names the upload without the shared staging's key prefix, which is added back to find it.
    generateUrl: (_req, { path: base, id }) => `${base}/${backend.urlId(id)}`,
    getFileIdFromRequest: (_req, lastPath) =>
      lastPath && TUS_UPLOAD_ID.test(lastPath) ? backend.storeId(lastPath) : undefined,
    // Same origin only: no Access-Control-Allow-Origin header at all.
    allowedOrigins: [],
    // The file's name on disk: the recording it belongs to and a random part, never anything sent.
    namingFunction: () => backend.storeId(`${current().recordingId}-${randomBytes(16).toString('hex')}`),
    async onUploadCreate(_req, upload: Upload) {
      const { actor, ctx, recordingId } = current();
      if (upload.sizeIsDeferred || upload.size === undefined)
        throw { status_code: 400, body: 'The upload must say how large the file is' } satisfies TusFailure;
      if (upload.size === 0) throw { status_code: 400, body: 'The selected file is empty' } satisfies TusFailure;
      const sha256 = upload.metadata?.['sha256'] ?? null;
      if (sha256) {
        try {
          await recordings.declareClientSha256(actor, ctx, recordingId, sha256);
        } catch (err) {
          throw tusFailureOf(err);
        }
      }
      // Only what the service needs is kept in the upload's description: never a file name.
      return { metadata: { recordingId, ...(sha256 ? { sha256: sha256.toLowerCase() } : {}) } };
    },
    async onUploadFinish(_req, upload: Upload) {
      const { actor, ctx, recordingId } = current();
      try {
        await recordings.completeUpload(actor, ctx, recordingId, backend.sourceOf(upload.id));
      } catch (err) {
        const failure = tusFailureOf(err);
        // The upload can never be completed now: nothing of it is kept.
        await backend.removeAll(upload.id);
        throw failure;
      }
      await backend.removeDescription(upload.id);
      return {};
    },
    onResponseError(_req, err) {
      if (isTusFailure(err)) return undefined;
      if (isNoSpace(err)) {
        opts.logger.error({ code: 'ENOSPC' }, 'tus upload refused: the disk is full');
        return tusFailureOf(err);
      }
      opts.logger.error({ err }, 'tus upload failed');
      return { status_code: 500, body: 'Something went wrong on the server; the upload will try again' };
    },
  });

  const refuse = (res: ServerResponse, failure: TusFailure) => {
    res.statusCode = failure.status_code;
    res.setHeader('Tus-Resumable', TUS_VERSION);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`${failure.body}\n`);
  };

  /**
   * A HEAD or PATCH for an upload whose last byte had arrived when the service stopped (a crash) before it
   * finished handing the file over: either the file was moved into staging and the change was not committed
   * (the tus file is gone but its description is kept), or every byte is in the tus file and the hand-over
   * never ran. The hand-over is finished now (idempotently: a recording already being stored counts as
   * finished), and the answer is the upload's full length, so the sender's client reports it complete
   * instead of starting again. Null when the request is for an upload still being sent.
   */
  const finishInterruptedHandOver = async (
    uploadId: string,
    call: TusCall,
    method: string,
  ): Promise<{ size: number } | TusFailure | null> => {
    if (!TUS_UPLOAD_ID.test(uploadId)) return null;
    const id = backend.storeId(uploadId);
    const declared = await backend.declaredSize(id);
    if (declared === null) return null;
    if (declared === 'gone') {
      if (method !== 'HEAD') return null;
      // Handed over and its description removed, but the answer was lost: a HEAD asked again is told the
      // upload is complete while the recording is being stored (or stored).
      try {
        const done = await recordings.resumeHandOver(call.actor, call.ctx, call.recordingId, null);
        return done === null ? null : { size: done };
      } catch (e) {
        return tusFailureOf(e);
      }
    }
    const size = declared;
    const onDisk = await backend.finishedSize(id);
    try {
      if (onDisk === null) {
        if ((await recordings.resumeHandOver(call.actor, call.ctx, call.recordingId, size)) === null) return null;
      } else if (onDisk === size) {
        try {
          await recordings.completeUpload(call.actor, call.ctx, call.recordingId, backend.sourceOf(id));
        } catch (err) {
          // Handed over by a request that raced this one: the recording is already being stored.
          if (!(err instanceof DomainError && err.code === 'NOT_RECEIVING')) throw err;
          if ((await recordings.resumeHandOver(call.actor, call.ctx, call.recordingId, size)) === null) throw err;
        }
      } else return null;
    } catch (err) {
      return tusFailureOf(err);
    }
    await backend.removeDescription(id);
    opts.logger.info({ recordingId: call.recordingId }, 'finished an upload interrupted while it was handed over');
    return { size };
  };

  /** The recording a request is for: the metadata of a new upload, or the upload's own id. */
  const recordingOf = (request: FastifyRequest): string | TusFailure => {
    if (request.method === 'POST') {
      let meta: Record<string, string | null>;
      try {
        meta = Metadata.parse(String(request.headers['upload-metadata'] ?? ''));
      } catch {
        return { status_code: 400, body: 'The upload does not say which recording it is for' };
      }
      const id = parseId(meta['recordingId']);
      return id ?? { status_code: 400, body: 'The upload does not say which recording it is for' };
    }
    const uploadId = (request.params as Record<string, string | undefined>)['uploadId'] ?? '';
    const m = TUS_UPLOAD_ID.exec(uploadId);
    return m ? m[1]! : { status_code: 404, body: 'This upload was not found' };
  };

  return {
    async handle(request, reply) {
      reply.hijack();
      const res = reply.raw;
      // The security headers already set for this request, which a hijacked reply would otherwise lose.
      for (const [name, value] of Object.entries(reply.getHeaders()))
        if (value !== undefined) res.setHeader(name, value);
      res.setHeader('Cache-Control', 'no-store');
      const actor = request.actor!;
      const ctx = opts.contextOf(request);
      const recordingId = recordingOf(request);
      if (typeof recordingId !== 'string') return refuse(res, recordingId);
      if (request.method === 'POST') {
        const length = Number(request.headers['upload-length']);
        if (Number.isFinite(length) && length > maxBytes)
          return refuse(res, {
            status_code: 413,
            body: `The selected file must be smaller than ${formatBytes(maxBytes)}`,
          });
      }
      const uploadId = (request.params as Record<string, string | undefined>)['uploadId'];
      if ((request.method === 'HEAD' || request.method === 'PATCH') && uploadId) {
        let finished: Awaited<ReturnType<typeof finishInterruptedHandOver>>;
        try {
          finished = await finishInterruptedHandOver(uploadId, { actor, ctx, recordingId }, request.method);
        } catch (err) {
          return refuse(res, tusFailureOf(err));
        }
        if (finished && 'status_code' in finished) return refuse(res, finished);
        if (finished) {
          res.statusCode = request.method === 'HEAD' ? 200 : 204;
          res.setHeader('Tus-Resumable', TUS_VERSION);
          res.setHeader('Upload-Offset', String(finished.size));
          res.setHeader('Upload-Length', String(finished.size));
          res.end();
          return;
        }
      }
      try {
        await recordings.assertCanUpload(actor, ctx, recordingId);
      } catch (err) {
        return refuse(res, tusFailureOf(err));
      }
      // The disk must hold the whole file (POST) or this part of it (PATCH) and still keep the reserve free.
      if (request.method === 'POST' || request.method === 'PATCH') {
        const needed = Number(request.headers[request.method === 'POST' ? 'upload-length' : 'content-length']);
        try {
          await assertRoomFor(disk, Number.isFinite(needed) ? needed : 0);
        } catch (err) {
          opts.logger.warn({ recordingId, method: request.method }, 'upload refused: not enough disk space');
          return refuse(res, tusFailureOf(err));
        }
      }
      try {
        await calls.run({ actor, ctx, recordingId }, () => server.handle(request.raw, res));
      } catch (err) {
        opts.logger.error({ err }, 'tus upload failed');
        if (!res.headersSent) refuse(res, { status_code: 500, body: 'Something went wrong on the server' });
        else res.destroy();
      }
    },
  };
}

/**
 * Recording uploads under the data folder, as the composition root hands them to the pages and the API:
 * the folders prepared, a multipart file streamed to a temporary file, and tus servers.
 */
export interface RecordingUploads {
  /** Free space under the data folder and the reserve kept free there (DISK_RESERVE_MB). */
  disk: DiskSpace;
  /** Creates the upload folders (owner only) if they are missing. */
  prepare(): Promise<void>;
  /** Streams a file to a temporary file; null when it is larger than `limitBytes`. */
  streamToTempFile(source: AsyncIterable<Buffer>, limitBytes: number): Promise<StreamedFile | null>;
  tus(opts: TusOptions): TusUploads;
}

/** `backend`: where tus uploads wait (this node's disk by default, or the shared staging). */
export function recordingUploads(
  dataDir: string,
  disk: DiskSpace,
  backend: TusBackend = diskTusBackend(dataDir),
): RecordingUploads {
  return {
    disk,
    prepare: () => prepareUploadDirs(dataDir),
    streamToTempFile: (source, limitBytes) => streamToTempFile(dataDir, source, limitBytes),
    // The probe is read at every request (not captured), so a test can replace it on `disk`.
    tus: (opts) => tusUploads({ ...opts, backend, disk }),
  };
}
