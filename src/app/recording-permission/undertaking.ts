/**
 * P-1: the signed undertaking not to publish or share the recording: an uploaded notice of intent, checked by content,
 * or the form confirmed by the requester through a secure link.
 */
import { type Actor } from '../../domain/access/roles.ts';
import { englandTimeOnDate } from '../../domain/calendar/england-time.ts';
import {
  ConflictError,
  type FieldProblem,
  InvalidDetailsError,
  NotFoundError,
  StaleRecordError,
} from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { RECORDING_PERMISSION_LINK_TEMPLATE } from '../mail/recording-permission-templates.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { PermissionRequestRecord, UndertakingFormat } from './ports.ts';
import {
  type RecordingPermissionDeps,
  type MeetingView,
  type PermissionRequestView,
  type PermissionRequestDetail,
} from './use-cases.ts';
import { auditRequest, withRequest, meetingWords } from './request-access.ts';
import { detailOf, requestView } from './request-views.ts';

/** A signed notice of intent: a scan or photo, at most 10 MB. */
export const MAX_UNDERTAKING_BYTES = 10 * 1024 * 1024;

export const UNDERTAKING_MEDIA_TYPES: Record<UndertakingFormat, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
};

/** What a signed notice of intent is, from its content (never its name or the browser's claim). */
export function detectUndertakingFormat(bytes: Uint8Array): UndertakingFormat | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  return null;
}

/** P-1: how long the requester's secure link to confirm the undertaking works. */
export const UNDERTAKING_LINK_DAYS = 7;
/** Where the requester confirms their undertaking, without an account. */
export const UNDERTAKING_LINK_PATH = '/record-a-meeting/';

export function checkUndertakingFile(problems: FieldProblem[], content: Uint8Array | null): UndertakingFormat | null {
  if (!content || content.length === 0) {
    problems.push({ field: 'file', message: 'Select the signed notice of intent' });
    return null;
  }
  if (content.length > MAX_UNDERTAKING_BYTES) {
    problems.push({ field: 'file', message: 'The selected file must be smaller than 10 MB' });
    return null;
  }
  const format = detectUndertakingFormat(content);
  if (!format) problems.push({ field: 'file', message: 'The selected file must be a PDF, a JPEG or a PNG' });
  return format;
}

export async function attachUndertaking(
  deps: RecordingPermissionDeps,
  actor: Actor,
  requestId: string,
  input: { content: Uint8Array | null; version: number },
  ctx: RequestContext,
): Promise<PermissionRequestView> {
  const problems: FieldProblem[] = [];
  const format = checkUndertakingFile(problems, input.content);
  const state: { stored: string | null } = { stored: null };
  try {
    return await withRequest(
      deps,
      actor,
      requestId,
      'edit',
      'recording-permission.undertaking.attach',
      ctx,
      async (scope, r) => {
        if (r.status !== 'awaiting-undertaking')
          throw new ConflictError('The undertaking is already signed, or the request is decided');
        if (!Number.isSafeInteger(input.version) || r.version !== input.version) throw new StaleRecordError();
        if (problems.length || !format || !input.content) throw new InvalidDetailsError(problems);
        const stored = await deps.blobs.put(input.content, { maxBytes: MAX_UNDERTAKING_BYTES });
        state.stored = stored.key;
        const now = deps.clock.now();
        const updated = await scope.repos.recordingPermission.update(r.id, r.version, {
          status: 'awaiting-decision',
          undertakingFile: { blobKey: stored.key, sha256: stored.sha256, size: stored.size, format },
          undertakingSigned: { at: now, via: 'upload' },
          at: now,
        });
        if (!updated) throw new StaleRecordError();
        await auditRequest(
          scope.repos,
          ctx,
          'recording-permission.undertaking.attach',
          {
            type: 'recording-permission-request',
            id: r.id,
          },
          { format, size: stored.size },
        );
        return requestView(deps, updated, scope.meeting);
      },
      { lock: true },
    );
  } catch (err) {
    if (state.stored) await deps.blobs.delete(state.stored).catch(() => undefined);
    throw err;
  }
}

export async function undertakingFile(
  deps: RecordingPermissionDeps,
  actor: Actor,
  requestId: string,
  ctx: RequestContext,
) {
  const file = await withRequest(
    deps,
    actor,
    requestId,
    'view',
    'recording-permission.undertaking.view',
    ctx,
    async (scope, r) => {
      if (!r.undertakingFile) throw new NotFoundError('The signed notice');
      await auditRequest(scope.repos, ctx, 'recording-permission.undertaking.view', {
        type: 'recording-permission-request',
        id: r.id,
      });
      return r.undertakingFile;
    },
  );
  return {
    stream: await deps.blobs.get(file.blobKey),
    mediaType: UNDERTAKING_MEDIA_TYPES[file.format],
    size: file.size,
    format: file.format,
  };
}

/**
 * P-1: emails the requester (a parent with an email address on the record) a secure link to read and confirm the
 * undertaking not to publish or share the recording, with no account: the page sends a one-time code to the same
 * address. Only the SHA-256 of the link's token is kept; an earlier link still working is cancelled.
 */
export async function sendUndertakingLink(
  deps: RecordingPermissionDeps,
  actor: Actor,
  requestId: string,
  ctx: RequestContext,
): Promise<PermissionRequestDetail> {
  const messages: string[] = [];
  const detail = await withRequest(
    deps,
    actor,
    requestId,
    'edit',
    'recording-permission.link.send',
    ctx,
    async (scope, r) => {
      if (r.status !== 'awaiting-undertaking')
        throw new ConflictError('The undertaking is already signed, or the request is decided');
      const person = r.requesterPersonId ? await scope.repos.people.findPerson(r.requesterPersonId) : null;
      if (!person?.email)
        throw new InvalidDetailsError([
          {
            field: 'link',
            message: 'A secure link can only be sent to a parent with an email address on the record',
          },
        ]);
      messages.push(await issueLink(deps, scope.repos, r, scope.meeting, person.email, actor, ctx));
      return detailOf(deps, actor, scope, r);
    },
    { lock: true },
  );
  await deps.mail.dispatch(...messages);
  return detail;
}

/** P-1: a new secure link for the requester (an earlier one still working is cancelled), emailed in `repos`' transaction. */
export async function issueLink(
  deps: RecordingPermissionDeps,
  repos: Repositories,
  r: PermissionRequestRecord,
  meeting: MeetingView,
  email: string,
  actor: Actor,
  ctx: RequestContext,
): Promise<string> {
  const now = deps.clock.now();
  const earlier = await repos.recordingPermission.latestLink(r.id);
  const replaced = earlier !== null && !earlier.confirmedAt && !earlier.revokedAt;
  if (earlier && replaced) await repos.recordingPermission.updateLink(earlier.id, { revokedAt: now });
  const token = deps.secrets.newToken();
  const expiresAt = new Date(now.getTime() + UNDERTAKING_LINK_DAYS * 86_400_000);
  const linkId = await repos.recordingPermission.insertLink({
    requestId: r.id,
    tokenHash: deps.secrets.hash(token),
    createdAt: now,
    expiresAt,
    byUserId: actor.id,
  });
  const { messageId } = await deps.mail.queueWithin(repos, {
    template: RECORDING_PERMISSION_LINK_TEMPLATE,
    to: email,
    values: {
      requester_name: r.requesterName,
      meeting: meetingWords(meeting),
      form_link: `${deps.publicBaseUrl.replace(/\/$/, '')}${UNDERTAKING_LINK_PATH}${token}`,
      expires_at: englandTimeOnDate(expiresAt),
    },
    about: { subjectType: 'recording-permission-request', subjectId: r.id, ctx },
  });
  await auditRequest(
    repos,
    ctx,
    'recording-permission.link.send',
    { type: 'recording-permission-request', id: r.id },
    { linkId, replaced },
  );
  return messageId;
}
