/**
 * Sending the file of a described recording: resumably with tus when the page has JavaScript,
 * or streamed to disk from a plain file input without it; and cancelling the upload.
 */
import { rm } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../../domain/shared/errors.ts';
import { formatBytes } from '../../../../domain/shared/bytes.ts';
import { readingContext, requestContext, type FormError } from '../../../forms/index.ts';
import { conferenceHeading, MANAGE, recordingParams, type RecordingPagesOptions } from '../common.ts';
import { recordingFacts } from '../list-view.ts';
import { assertRoomFor, DISK_FULL_MESSAGE, DiskFullError, isNoSpace } from '../../../../app/recordings/disk-space.ts';

export const SEND_ROUTE = '/recordings/:rid/upload';
/** The pages' tus endpoint (the JSON API has its own under /api/v1). */
export const TUS_PATH = '/uploads/recordings';
/** Files larger than this are not hashed in the browser (it reads the whole file into memory). */
export const BROWSER_HASH_LIMIT = 300 * 1024 * 1024;

/** The recording no longer waits for a file (stored, rejected or cancelled): its own page says what happened. */
const notReceiving = (err: unknown) => err instanceof DomainError && err.code === 'NOT_RECEIVING';

export function sendRoutes(
  app: FastifyInstance,
  {
    recordings,
    uploads,
    recordingMaxBytes: maxBytes,
  }: Pick<RecordingPagesOptions, 'recordings' | 'uploads' | 'recordingMaxBytes'>,
) {
  const maxText = formatBytes(maxBytes);
  const tooLarge: FormError[] = [{ text: `The selected file must be smaller than ${maxText}`, href: '#file' }];
  const noFile: FormError[] = [{ text: 'Select the recording file', href: '#file' }];

  const sendPage = async (request: FastifyRequest, reply: FastifyReply, errors: FormError[] = [], status = 400) => {
    const { rid } = recordingParams.parse(request.params);
    const detail = await recordings.detail(request.actor!, requestContext(request), rid);
    const r = detail.recording;
    const again = r.status === 'audio_missing';
    if (!again && (r.status !== 'receiving' || r.source === 'browser'))
      return reply.redirect(`/recordings/${rid}`, 303);
    if (errors.length) reply.code(status);
    return reply.view('recordings/upload-send.njk', {
      title: again ? 'Upload the missing audio again' : 'Send the recording file',
      again,
      ...conferenceHeading(detail.conference),
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

  app.get(SEND_ROUTE, { config: MANAGE }, async (request, reply) => sendPage(request, reply));

  app.post(SEND_ROUTE, { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const actor = request.actor!;
    const ctx = requestContext(request);
    if (!request.isMultipart()) return sendPage(request, reply, noFile);
    // Who may send bytes, and whether the recording still waits for them, before any are accepted.
    try {
      await recordings.assertCanUpload(actor, ctx, rid);
    } catch (err) {
      if (notReceiving(err)) return reply.redirect(`/recordings/${rid}`, 303);
      throw err;
    }
    const diskFull: FormError[] = [{ text: DISK_FULL_MESSAGE, href: '#file' }];
    try {
      await assertRoomFor(uploads.disk, Number(request.headers['content-length']) || 0);
    } catch (err) {
      if (!(err instanceof DiskFullError)) throw err;
      return sendPage(request, reply, diskFull, 507);
    }
    const part = await request.file();
    if (!part || part.fieldname !== 'file') {
      part?.file.resume();
      return sendPage(request, reply, noFile);
    }
    // The browser's file name and type are never used: the content decides what the file is.
    const chosen = part.filename !== '';
    let saved;
    try {
      saved = await uploads.streamToTempFile(part.file, maxBytes);
    } catch (err) {
      if (!isNoSpace(err)) throw err;
      part.file.resume();
      return sendPage(request, reply, diskFull, 507);
    }
    if (part.file.truncated || saved === null) {
      if (saved) await rm(saved.path, { force: true });
      return sendPage(request, reply, tooLarge, 413);
    }
    if (saved.size === 0) {
      await rm(saved.path, { force: true });
      return sendPage(request, reply, chosen ? [{ text: 'The selected file is empty', href: '#file' }] : noFile);
    }
    try {
      await recordings.completeUpload(actor, ctx, rid, saved.path);
    } catch (err) {
      await rm(saved.path, { force: true });
      if (notReceiving(err)) return reply.redirect(`/recordings/${rid}`, 303);
      if (err instanceof DomainError && err.code === 'TOO_LARGE') return sendPage(request, reply, tooLarge, 413);
      throw err;
    }
    return reply.redirect(`/recordings/${rid}`, 303);
  });

  app.post('/recordings/:rid/upload/cancel', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const detail = await recordings.detail(request.actor!, readingContext(request), rid);
    try {
      await recordings.cancelUpload(request.actor!, requestContext(request), rid);
    } catch (err) {
      if (notReceiving(err)) return reply.redirect(`/recordings/${rid}`, 303);
      throw err;
    }
    return reply.redirect(`/conferences/${detail.conference.id}/recordings?done=cancelled`, 303);
  });
}
