import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import type { Actor } from '../../domain/access/roles.ts';
import { hasAnyRole, type Role } from '../../domain/access/roles.ts';
import {
  CODE_LENGTH,
  type DeliverySettings,
  type DeliveryState,
  DeliveryError,
  afterWrongCode,
  codeExpiry,
  codeIssueAllowed,
  codeState,
  downloadsLeft,
  linkExpiry,
  minutesText,
  normaliseCode,
  revocationReason,
} from '../../domain/requests/delivery.ts';
import { canIssue } from '../../domain/documents/drafting.ts';
import { REQUEST_STEP_ROLES, REQUEST_VIEW_ROLES, type CopyRequest } from '../../domain/requests/index.ts';
import { AccessDeniedError, DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { AuditOutcome, RequestContext } from '../audit/audit-log.ts';
import { auditConferenceDenial, withConferenceAccess } from '../conferences/conference-access.ts';
import { isUuid } from '../conferences/service-deps.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type {
  ByteRange,
  CopyFileInfo,
  CopyFiles,
  DeliveryAbout,
  DocumentCopyFiles,
  DeliveryEventKind,
  DeliveryFile,
  DeliveryOpened,
  DeliveryRecord,
  DeliverySecrets,
  DeliverySummary,
  DownloadWindowSigner,
} from './delivery-ports.ts';
import type { CopyRequestRecord } from './ports.ts';
import { deliveryLiveWithin, deliveryStateOf, withRequestAccess } from './request-access.ts';
import { conferenceEmailValues } from './request-email-values.ts';

/** node:crypto: 256-bit tokens, uniformly random six-digit codes, SHA-256 digests compared in constant time. */
export const nodeDeliverySecrets: DeliverySecrets = {
  newToken: () => randomBytes(32).toString('base64url'),
  newCode: () => String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, '0'),
  hash: (value) => createHash('sha256').update(value, 'utf8').digest('hex'),
  equal: (a, b) => {
    const x = Buffer.from(a, 'utf8');
    const y = Buffer.from(b, 'utf8');
    return x.length === y.length && timingSafeEqual(x, y);
  },
};

/** How a one-time code's keyed digest is stored: the scheme first, so an older plain SHA-256 digest is told apart. */
export const CODE_HASH_PREFIX = 'hmac-sha256:';

/**
 * A one-time code's digest, keyed with the server's secret (DELIVERY_CODE_KEY_FILE, never in the database): six digits
 * hashed with only the delivery's id could be found offline from a stolen database within the code's 10 minutes.
 */
export function keyedCodeHash(key: Uint8Array, deliveryId: string, code: string): string {
  return CODE_HASH_PREFIX + createHmac('sha256', key).update(`${deliveryId}:${code}`, 'utf8').digest('hex');
}

export interface DeliveryServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  mail: MailService;
  files: CopyFiles;
  /** The files of an issued document's sending (W-4, W-6): needed only to make and serve a document's links. */
  documentFiles?: DocumentCopyFiles;
  secrets: DeliverySecrets;
  /** Signs and checks download windows (src/infra/crypto/download-grants.ts), keyed from `codeKey`. */
  windows: DownloadWindowSigner;
  /** The server's secret one-time codes are hashed with (HMAC-SHA-256): from DELIVERY_CODE_KEY_FILE, outside the database. */
  codeKey: Uint8Array;
  settings: DeliverySettings;
  /** The service's public address (PUBLIC_BASE_URL), for the link in the email. */
  publicBaseUrl: string;
  /** How the requester reaches conference business support (REQUESTS_REPLY_TO). */
  replyTo: string;
}

/** Staff who may make (and cancel) the secure delivery: whoever may record the copy as sent. */
const CREATE_ROLES: readonly Role[] = REQUEST_STEP_ROLES.send;
/** Cancelling a link also falls to the chair and the access-to-records team (a wrong address, a change of mind). */
/** Who may cancel a download link: those who send copies, the chair and access to records. */
export const REVOKE_ROLES: readonly Role[] = [
  ...new Set<Role>([...REQUEST_STEP_ROLES.send, 'chair', 'access_to_records']),
];

/** The requester has no account: the audit trail names them by their role, never by the address. */
const REQUESTER = { id: null, label: 'requester (download link)' } as const;

export const DELIVERY_PATH = '/copy/';

const EVENT_LABELS: Record<DeliveryEventKind, string> = {
  created: 'Link emailed to the requester',
  viewed: 'Download page opened',
  'code-sent': 'One-time code sent',
  'code-refused': 'Code not sent: too many asked for in an hour',
  'code-wrong': 'Wrong code entered',
  'code-locked': 'Code cancelled after too many wrong entries',
  'code-expired': 'Expired code entered',
  'code-accepted': 'Correct code entered',
  'download-started': 'Download started',
  downloaded: 'File downloaded',
  'download-interrupted': 'Download stopped before the end (not counted)',
  'download-refused': 'Download refused: limit reached',
  'expired-hit': 'Expired link opened',
  'revoked-hit': 'Cancelled link opened',
  'used-up-hit': 'Used-up link opened',
  revoked: 'Link cancelled',
};

export type SendCodeResult =
  | { status: 'sent'; expiresIn: string }
  | { status: 'too-many'; retryAt: Date }
  | { status: Exclude<DeliveryState, 'active'> | 'unknown' };

export type CheckCodeResult =
  | { status: 'ok'; grant: string; grantExpiresAt: Date }
  | { status: 'wrong'; remaining: number }
  | { status: 'locked' }
  | { status: 'code-expired' }
  | { status: 'no-code' }
  | { status: 'invalid-format' }
  | { status: Exclude<DeliveryState, 'active'> | 'unknown' };

export type DownloadResult =
  | {
      status: 'ok';
      stream: Readable;
      size: number;
      fileName: string;
      contentType: string;
      /**
       * To be called once the response has ended: `completed` when every byte was written out (the download is then
       * counted), otherwise it is recorded as interrupted and not counted. `bytes`: how many were written.
       */
      finish(how: { completed: boolean; bytes: number }): Promise<void>;
    }
  | { status: 'no-grant' }
  | { status: 'limit' }
  /** Downloads under way of this file already reach the limit: one must finish (or fail) first. */
  | { status: 'busy' }
  | { status: 'no-file' }
  /** The stored copy failed its check against its SHA-256 (or would not decrypt): nothing is released. */
  | { status: 'damaged' }
  | { status: Exclude<DeliveryState, 'active'> | 'unknown' };

/** Pressing Download: a window to fetch the file in (the signed value goes in the fetch's address), or why not. */
export type GrantDownloadResult =
  | { status: 'ok'; window: string; fileName: string; expiresAt: Date }
  | { status: 'no-grant' }
  | { status: 'limit' }
  /** Windows open (not yet counted) for this file already reach the limit: one must finish or expire first. */
  | { status: 'busy' }
  | { status: 'no-file' }
  | { status: Exclude<DeliveryState, 'active'> | 'unknown' };

export type OpenedDownload = { status: 'ok'; stream: Readable; contentType: string } | { status: 'damaged' };

/** One fetch within a download window, or why not. */
export type FetchDownloadResult =
  | {
      status: 'ok';
      /** The whole file's size and SHA-256 (its strong ETag), and its download name. */
      size: number;
      sha256: string;
      fileName: string;
      /** When the window ends. */
      expiresAt: Date;
      /** The whole file (null) or one range of it. */
      open(range: ByteRange | null): Promise<OpenedDownload>;
      /**
       * To be called once the response has ended: `completed` when every byte of it was written out, `end` the last
       * byte it held. A completed response that held the file's last byte completes the window (counted once).
       */
      finish(how: { completed: boolean; end: number }): Promise<void>;
    }
  /** Not a window this server signed for this link (forged, altered, or another link's). */
  | { status: 'no-window' }
  | { status: 'window-expired' }
  /** The file is no longer the version the window was opened for: a new window is needed. */
  | { status: 'changed' }
  | { status: 'no-file' }
  | { status: 'expired' | 'revoked' | 'unknown' };

/** Passes on only the bytes of `range` of a stream that holds the whole file. */
function slice(range: ByteRange): Transform {
  let at = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const from = Math.max(0, range.start - at);
      const to = Math.min(chunk.length, range.end + 1 - at);
      at += chunk.length;
      done(null, to > from ? chunk.subarray(from, to) : undefined);
    },
  });
}

/** A document's link made before its delivery is stored: the token is in `url` only, never stored or logged. */
export interface PreparedLink {
  token: string;
  url: string;
  createdAt: Date;
  expiresAt: Date;
}

/** What a delivery releases: a copy request's disclosure copy, or one sending of an issued document. */
type Source = { kind: 'copy'; copyId: string } | { kind: 'document'; sendingId: string };

function sourceOf(d: DeliveryRecord): Source {
  if (d.documentSendingId) return { kind: 'document', sendingId: d.documentSendingId };
  if (d.copyId) return { kind: 'copy', copyId: d.copyId };
  throw new Error('A delivery releases neither a copy nor a document');
}

/** Long date and time in England, GOV.UK style: "10:15am on 16 March 2026". */
export function londonDateTime(d: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase().replace(/\s|\./g, '')} on ${get('day')} ${get('month')} ${get('year')}`;
}

function requestReference(number: number, r: CopyRequest): string {
  return `CR-${r.receivedOn.slice(0, 4)}-${String(number).padStart(4, '0')}`;
}

/**
 * A-6, built in: the copy is released through a download page rather than secure email. Staff `create`
 * a delivery for an approved copy (the requester is emailed a link holding a 256-bit token stored only
 * as its SHA-256), `revoke` it, and see its `summary`. The requester (no account) `open`s the link,
 * asks for a one-time code (`sendCode`, emailed to the verified address), enters it (`checkCode`,
 * at most five wrong entries per code and five codes an hour) for a short-lived download grant, and
 * `download`s each file a limited number of times. Everything is audited; neither the token nor a code
 * is ever written to the audit trail, the events or a log.
 */
export class DeliveryService {
  private readonly deps: DeliveryServiceDeps;

  constructor(deps: DeliveryServiceDeps) {
    this.deps = deps;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  // ---------------------------------------------------------------- staff

  /**
   * Makes the delivery for the request's approved copy and, in the same transaction, queues the
   * copy-ready email with the link to the requester's verified address. `email`, when given,
   * must be that address. Refused while another link for the request still works. Staff send a copy
   * with RequestService.sendCopy, which makes the delivery and records the request as sent together.
   */
  async create(
    actor: Actor,
    input: { requestId: string; copyId: string; email?: string | null },
    ctx: RequestContext,
  ): Promise<{ deliveryId: string }> {
    await this.requireRole(actor, CREATE_ROLES, 'delivery.created', input.requestId, ctx);
    const { deliveryId, messageId } = await withRequestAccess(
      this.deps.uow,
      actor,
      input.requestId,
      'delivery.created',
      ctx,
      (repos, { record }) => this.createWithin(repos, actor, record, input, ctx),
      { lock: true },
    );
    await this.deps.mail.dispatch(messageId);
    return { deliveryId };
  }

  /**
   * The inside of `create`, in the caller's transaction: `locked` is the request, read with its row
   * locked, whose access the caller has checked. Returns the queued email's id for the caller to
   * dispatch once the transaction has committed.
   */
  async createWithin(
    repos: Repositories,
    actor: Actor,
    locked: CopyRequestRecord,
    input: { copyId: string; email?: string | null },
    ctx: RequestContext,
  ): Promise<{ deliveryId: string; messageId: string }> {
    const r = locked.request;
    if (r.state !== 'copy-approved' || !r.copy || !r.approval) {
      throw new DeliveryError(
        'DELIVERY_NOT_ALLOWED',
        'A copy can be sent only once it has been prepared and approved by a second person',
      );
    }
    if (r.copy.copyId !== input.copyId)
      throw new DeliveryError('DELIVERY_NOT_ALLOWED', 'This is not the copy approved for this request', 'copyId');
    const email = r.referral?.email?.trim();
    if (!email || !r.verification.verifiedAt)
      throw new DeliveryError('DELIVERY_NOT_ALLOWED', 'The requester’s email address has not been confirmed', 'email');
    if (input.email && input.email.trim().toLowerCase() !== email.toLowerCase()) {
      throw new DeliveryError(
        'DELIVERY_NOT_ALLOWED',
        'The copy can be sent only to the email address the requester confirmed',
        'email',
      );
    }
    return this.issueLink(repos, actor, locked, { copyId: input.copyId, email, replaces: null }, ctx);
  }

  /**
   * a new link in place of `previousDeliveryId`, the request's latest link, which expired or was cancelled before
   * anything was downloaded (the request's step checks that, and records the new link, in the caller's transaction).
   * The same as the first link: the approved copy, to the address the requester confirmed, with the same expiry
   * and download allowance, a one-time code needed to open it, and the copy-ready email queued. Returns the queued
   * email's id for the caller to dispatch once the transaction has committed.
   */
  async createReplacementWithin(
    repos: Repositories,
    actor: Actor,
    locked: CopyRequestRecord,
    previousDeliveryId: string,
    ctx: RequestContext,
  ): Promise<{ deliveryId: string; messageId: string }> {
    if (!hasAnyRole(actor, CREATE_ROLES)) throw new AccessDeniedError('Your roles do not allow this');
    const r = locked.request;
    const email = r.referral?.email?.trim();
    if (!r.copy || !r.approval || !email || !r.verification.verifiedAt)
      throw new DeliveryError('DELIVERY_NOT_ALLOWED', 'This request has no approved copy sent to a confirmed address');
    return this.issueLink(repos, actor, locked, { copyId: r.copy.copyId, email, replaces: previousDeliveryId }, ctx);
  }

  /** What the previous link of a request is now, for its step: null when no such link of this request. */
  async previousLinkWithin(
    repos: Repositories,
    deliveryId: string,
    requestId: string,
  ): Promise<{ deliveryId: string; state: DeliveryState; downloads: number } | null> {
    if (!isUuid(deliveryId)) return null;
    const d = await repos.deliveries.find(deliveryId.toLowerCase(), { lock: true });
    if (!d || d.requestId !== requestId) return null;
    const counts = await repos.deliveries.downloadCounts(d.id);
    const downloads = [...counts.values()].reduce((n, c) => n + c, 0);
    return { deliveryId: d.id, state: deliveryStateOf(d, counts, this.now()), downloads };
  }

  /** How long a new link works and how many downloads of each file it allows, for the pages that make one. */
  linkTerms(): { linkLifetimeDays: number; downloadsPerFile: number } {
    const { linkLifetimeDays, downloadsPerFile } = this.deps.settings;
    return { linkLifetimeDays, downloadsPerFile };
  }

  /** Makes a link for the request's copy and queues its email, once the caller has checked who and what. */
  private async issueLink(
    repos: Repositories,
    actor: Actor,
    locked: CopyRequestRecord,
    input: { copyId: string; email: string; replaces: string | null },
    ctx: RequestContext,
  ): Promise<{ deliveryId: string; messageId: string }> {
    const r = locked.request;
    const email = input.email;
    const listed = isUuid(input.copyId) ? await this.deps.files.list(input.copyId, repos) : [];
    if (listed.length === 0)
      throw new DeliveryError('DELIVERY_NOT_ALLOWED', 'The copy has no files ready to send', 'copyId');
    const at = this.now();
    for (const existing of await repos.deliveries.listForRequest(locked.id)) {
      if (deliveryStateOf(existing, new Map(), at) === 'active') {
        throw new DeliveryError(
          'DELIVERY_NOT_ALLOWED',
          'A link for this request still works: cancel it before sending a new one',
        );
      }
    }
    const token = this.deps.secrets.newToken();
    const files: DeliveryFile[] = listed.map((f) => ({
      fileId: f.fileId,
      fileName: f.fileName,
      sizeBytes: f.sizeBytes,
    }));
    const delivery = await repos.deliveries.insert({
      requestId: locked.id,
      copyId: input.copyId,
      documentSendingId: null,
      tokenHash: this.deps.secrets.hash(token),
      email,
      files,
      downloadLimit: this.deps.settings.downloadsPerFile,
      createdBy: actor.id,
      createdAt: at,
      expiresAt: linkExpiry(at, this.deps.settings),
    });
    await this.event(repos, delivery.id, 'created', at, {
      actorId: actor.id,
      details: {
        files: files.length,
        downloadLimit: delivery.downloadLimit,
        ...(input.replaces ? { replaces: input.replaces } : {}),
      },
    });
    await this.audit(repos, ctx, 'delivery.created', delivery.id, 'success', {
      requestId: locked.id,
      copyId: input.copyId,
      files: files.length,
      expiresAt: delivery.expiresAt.toISOString(),
      ...(input.replaces ? { replaces: input.replaces } : {}),
    });
    const { messageId } = await this.deps.mail.queueWithin(repos, {
      template: 'copy-ready',
      to: email,
      values: {
        requester_name: await this.requesterName(repos, r),
        request_reference: requestReference(locked.number, r),
        download_link: `${this.deps.publicBaseUrl}${DELIVERY_PATH}${token}`,
        expires_on: londonDateTime(delivery.expiresAt),
        ...(await conferenceEmailValues(repos, r)),
        reply_to: this.deps.replyTo,
      },
      about: { subjectType: 'delivery', subjectId: delivery.id, ctx },
    });
    return { deliveryId: delivery.id, messageId };
  }

  /** Cancels a link at once: the page then says so and releases nothing. */
  async revoke(actor: Actor, deliveryId: string, reasonInput: string, ctx: RequestContext): Promise<void> {
    const reason = revocationReason(reasonInput);
    const delivery = isUuid(deliveryId)
      ? await this.deps.uow.run((repos) => repos.deliveries.find(deliveryId.toLowerCase()))
      : null;
    if (!delivery) throw new NotFoundError('The delivery');
    if (delivery.documentSendingId) {
      // A document's link (W-4, W-6): whoever may send the conference's documents, with access to every child.
      const sendingId = delivery.documentSendingId;
      const sending = await this.deps.uow.run((repos) => repos.documentSendings.find(sendingId));
      if (!sending) throw new NotFoundError('The delivery');
      if (!canIssue(actor)) {
        await auditConferenceDenial(
          this.deps.uow,
          ctx,
          'delivery.revoked',
          sending.conferenceId,
          'not business support or a chair',
        );
        throw new AccessDeniedError('Only business support or a chair can cancel a link to a document');
      }
      await withConferenceAccess(this.deps.uow, actor, sending.conferenceId, 'edit', 'delivery.revoked', ctx, (repos) =>
        this.revokeWithin(repos, actor, delivery.id, reason, ctx),
      );
      return;
    }
    const requestId = delivery.requestId!;
    await this.requireRole(actor, REVOKE_ROLES, 'delivery.revoked', requestId, ctx);
    await withRequestAccess(this.deps.uow, actor, requestId, 'delivery.revoked', ctx, (repos) =>
      this.revokeWithin(repos, actor, delivery.id, reason, ctx),
    );
  }

  /**
   * The inside of `revoke`, in the caller's transaction once it has checked who may cancel the link: the reason
   * is required (DeliveryError INVALID_REVOCATION without one), the link stops working at once, and the
   * cancellation is an event and an audit entry (ids only, never the reason or the address).
   */
  async revokeWithin(
    repos: Repositories,
    actor: Actor,
    deliveryId: string,
    reasonInput: string,
    ctx: RequestContext,
  ): Promise<void> {
    const reason = revocationReason(reasonInput);
    const delivery = await repos.deliveries.find(deliveryId, { lock: true });
    if (!delivery) throw new NotFoundError('The delivery');
    const at = this.now();
    if (!(await repos.deliveries.revoke(delivery.id, { at, by: actor.id, reason }))) {
      throw new DeliveryError('INVALID_REVOCATION', 'This link has already been cancelled');
    }
    await this.event(repos, delivery.id, 'revoked', at, { actorId: actor.id });
    await this.audit(
      repos,
      ctx,
      'delivery.revoked',
      delivery.id,
      'success',
      delivery.documentSendingId
        ? { documentSendingId: delivery.documentSendingId }
        : { requestId: delivery.requestId },
    );
  }

  /**
   * W-4, W-6, A-5, A-6: makes the secure link for one sending of an issued document, in the caller's transaction
   * (the sending's use case checks access, writes the sending and queues its own email with the link). The link
   * releases the recipient's PDFs of that issue, listed now with their sizes; the address is the one confirmed as
   * theirs and is kept only with the delivery. The token is returned once, for the email, and stored as its digest.
   */
  async createForDocumentWithin(
    repos: Repositories,
    actor: Actor,
    input: { sendingId: string; email: string; link: PreparedLink },
    ctx: RequestContext,
  ): Promise<{ deliveryId: string }> {
    const listed: CopyFileInfo[] = this.deps.documentFiles
      ? await this.deps.documentFiles.list(input.sendingId, repos)
      : [];
    if (listed.length === 0)
      throw new DeliveryError('DELIVERY_NOT_ALLOWED', 'There is no issued copy for this recipient to send');
    const at = input.link.createdAt;
    const files: DeliveryFile[] = listed.map((f) => ({
      fileId: f.fileId,
      fileName: f.fileName,
      sizeBytes: f.sizeBytes,
    }));
    const delivery = await repos.deliveries.insert({
      requestId: null,
      copyId: null,
      documentSendingId: input.sendingId,
      tokenHash: this.deps.secrets.hash(input.link.token),
      email: input.email.trim(),
      files,
      downloadLimit: this.deps.settings.downloadsPerFile,
      createdBy: actor.id,
      createdAt: at,
      expiresAt: input.link.expiresAt,
    });
    await this.event(repos, delivery.id, 'created', at, {
      actorId: actor.id,
      details: { files: files.length, downloadLimit: delivery.downloadLimit },
    });
    await this.audit(repos, ctx, 'delivery.created', delivery.id, 'success', {
      documentSendingId: input.sendingId,
      files: files.length,
      expiresAt: delivery.expiresAt.toISOString(),
    });
    return { deliveryId: delivery.id };
  }

  /**
   * A new link for a document's delivery, before anything is written: its token (returned once, for the email),
   * the address to put in the email and when it stops working. `createForDocumentWithin` stores its digest.
   */
  prepareDocumentLink(): PreparedLink {
    const createdAt = this.now();
    const token = this.deps.secrets.newToken();
    return {
      token,
      url: `${this.deps.publicBaseUrl}${DELIVERY_PATH}${token}`,
      createdAt,
      expiresAt: linkExpiry(createdAt, this.deps.settings),
    };
  }

  /** Every delivery made for a request, newest first: state, expiry, downloads per file and the latest events. */
  async summary(actor: Actor, requestId: string, ctx: RequestContext): Promise<DeliverySummary[]> {
    await this.requireRole(actor, REQUEST_VIEW_ROLES, 'delivery.summary', requestId, ctx);
    return withRequestAccess(this.deps.uow, actor, requestId, 'delivery.summary', ctx, (repos) =>
      this.summaryWithin(repos, requestId, ctx),
    );
  }

  /**
   * The inside of `summary`, in the caller's transaction (access already checked, the viewer has a
   * request role): every delivery of the request, newest first, and the audit entry of the view.
   */
  async summaryWithin(repos: Repositories, requestId: string, ctx: RequestContext): Promise<DeliverySummary[]> {
    const out = await this.listWithin(repos, requestId);
    await repos.audit.record({
      action: 'delivery.summary',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'copy_request', id: requestId },
      outcome: 'success',
      details: { deliveries: out.length },
    });
    return out;
  }

  /**
   * Every delivery of the request, newest first, in the caller's transaction, without an audit entry:
   * for a read model whose own entry records the view (the request page's `copy-request.view`).
   */
  async listWithin(repos: Repositories, requestId: string): Promise<DeliverySummary[]> {
    return this.summariesOf(repos, await repos.deliveries.listForRequest(requestId));
  }

  /**
   * The summaries of these deliveries (a document sending's links: W-4), in the caller's transaction, which has
   * checked access and audits the view: state, expiry, downloads per file and the latest events.
   */
  async summariesWithin(repos: Repositories, deliveryIds: readonly string[]): Promise<DeliverySummary[]> {
    const found: DeliveryRecord[] = [];
    for (const id of deliveryIds) {
      const d = await repos.deliveries.find(id);
      if (d) found.push(d);
    }
    return this.summariesOf(repos, found);
  }

  private async summariesOf(repos: Repositories, list: readonly DeliveryRecord[]): Promise<DeliverySummary[]> {
    const at = this.now();
    const names = new Map<string, string>();
    const nameOf = async (id: string) => {
      if (!names.has(id)) names.set(id, (await repos.accounts.findUserById(id))?.name ?? 'Unknown user');
      return { id, name: names.get(id)! };
    };
    const out: DeliverySummary[] = [];
    for (const d of list) {
      const counts = await repos.deliveries.downloadCounts(d.id);
      const fileName = new Map(d.files.map((f) => [f.fileId, f.fileName]));
      out.push({
        deliveryId: d.id,
        copyId: d.copyId ?? '',
        state: deliveryStateOf(d, counts, at),
        createdAt: d.createdAt,
        createdBy: await nameOf(d.createdBy),
        expiresAt: d.expiresAt,
        downloadLimit: d.downloadLimit,
        files: d.files.map((f) => ({
          fileId: f.fileId,
          fileName: f.fileName,
          downloads: counts.get(f.fileId) ?? 0,
          left: downloadsLeft(counts.get(f.fileId) ?? 0, d.downloadLimit),
        })),
        revoked:
          d.revokedAt && d.revokedBy && d.revokeReason
            ? { at: d.revokedAt, by: await nameOf(d.revokedBy), reason: d.revokeReason }
            : null,
        events: (await repos.deliveries.listEvents(d.id, 20)).map((e) => ({
          kind: e.kind,
          label: EVENT_LABELS[e.kind],
          at: e.at,
          fileName: e.fileId ? (fileName.get(e.fileId) ?? null) : null,
        })),
      });
    }
    return out;
  }

  /** The delivery exists, belongs to the request and its link still works. */
  async deliveryReady(deliveryId: string, requestId: string): Promise<boolean> {
    return this.deps.uow.run((repos) => deliveryLiveWithin(repos, deliveryId, requestId, this.now()));
  }

  // ---------------------------------------------------------------- the requester (no account)

  /**
   * The download page's first question: does the link work? An unknown token and a malformed one get
   * the same answer after the same work (a digest and one indexed look-up). Audited every time.
   */
  async open(token: string, ctx: RequestContext): Promise<DeliveryOpened> {
    return this.deps.uow.run(async (repos) => {
      const found = await this.byToken(repos, token, ctx, false);
      if (!found) return { status: 'unknown' } as const;
      const { delivery: d, state, counts, at } = found;
      if (state !== 'active') {
        await this.stateHit(repos, d.id, state, at, ctx);
        return { status: state };
      }
      await this.event(repos, d.id, 'viewed', at);
      await this.audit(repos, this.requesterCtx(ctx), 'delivery.viewed', d.id, 'success');
      const source = sourceOf(d);
      let about: DeliveryAbout = { kind: 'recording-copy' };
      if (source.kind === 'document') {
        // W-4: the recipient opened their link; the distribution page and report show it.
        await repos.documentSendings.markOpened(source.sendingId, at);
        about = (await this.deps.documentFiles?.describe(source.sendingId, repos)) ?? {
          kind: 'document',
          title: 'Conference document',
          issueNumber: 1,
          conferenceDate: '',
        };
      }
      return {
        status: 'active',
        deliveryId: d.id,
        about,
        expiresAt: d.expiresAt,
        files: d.files.map((f) => ({
          fileId: f.fileId,
          fileName: f.fileName,
          sizeBytes: f.sizeBytes,
          left: downloadsLeft(counts.get(f.fileId) ?? 0, d.downloadLimit),
        })),
      };
    });
  }

  /** Sends a new one-time code to the verified address (older codes stop working). At most five an hour. */
  async sendCode(token: string, ctx: RequestContext): Promise<SendCodeResult> {
    const settings = this.deps.settings;
    const r = await this.deps.uow.run(async (repos): Promise<{ result: SendCodeResult; messageId?: string }> => {
      const found = await this.byToken(repos, token, ctx, true);
      if (!found) return { result: { status: 'unknown' } };
      const { delivery: d, state, at } = found;
      if (state !== 'active') {
        await this.stateHit(repos, d.id, state, at, ctx);
        return { result: { status: state } };
      }
      const recent = await repos.deliveries.codesIssuedSince(d.id, new Date(at.getTime() - settings.codeWindowMs));
      const allowed = codeIssueAllowed(recent, at, settings);
      if (!allowed.allowed) {
        await this.event(repos, d.id, 'code-refused', at, { details: { codesInWindow: recent.length } });
        await this.audit(repos, this.requesterCtx(ctx), 'delivery.code-refused', d.id, 'failure', {
          codesInWindow: recent.length,
        });
        return { result: { status: 'too-many', retryAt: allowed.retryAt } };
      }
      await repos.deliveries.voidOpenCodes(d.id, at);
      const code = this.deps.secrets.newCode();
      await repos.deliveries.insertCode({
        deliveryId: d.id,
        codeHash: this.codeHash(d.id, code),
        issuedAt: at,
        expiresAt: codeExpiry(at, settings),
      });
      await this.event(repos, d.id, 'code-sent', at);
      await this.audit(repos, this.requesterCtx(ctx), 'delivery.code-sent', d.id, 'success');
      const expiresIn = minutesText(settings.codeLifetimeMs);
      const { messageId } = await this.deps.mail.queueWithin(repos, {
        template: d.documentSendingId ? 'document-one-time-code' : 'one-time-code',
        to: d.email,
        values: { code, expires_in: expiresIn, reply_to: this.deps.replyTo },
        about: { subjectType: 'delivery', subjectId: d.id, ctx: this.requesterCtx(ctx) },
      });
      return { result: { status: 'sent', expiresIn }, messageId };
    });
    if (r.messageId) await this.deps.mail.dispatch(r.messageId);
    return r.result;
  }

  /**
   * Checks the code typed in against the newest code (constant-time comparison of digests). A wrong
   * entry is counted; the fifth voids the code. The right one is used up and gives a download grant:
   * a 256-bit secret the browser keeps (the database holds its digest) for `grantLifetimeMs`.
   */
  async checkCode(token: string, typed: string, ctx: RequestContext): Promise<CheckCodeResult> {
    const code = normaliseCode(typed);
    return this.deps.uow.run(async (repos): Promise<CheckCodeResult> => {
      const found = await this.byToken(repos, token, ctx, true);
      if (!found) return { status: 'unknown' };
      const { delivery: d, state, at } = found;
      if (state !== 'active') {
        await this.stateHit(repos, d.id, state, at, ctx);
        return { status: state };
      }
      if (code === null) return { status: 'invalid-format' };
      const latest = await repos.deliveries.latestCode(d.id);
      const cs = latest ? codeState(latest, at) : null;
      // A code issued before codes were keyed (a plain SHA-256 digest) is never accepted: the requester asks again.
      if (!latest || cs === 'used' || cs === 'void' || !latest.codeHash.startsWith(CODE_HASH_PREFIX))
        return { status: 'no-code' };
      if (cs === 'expired') {
        await this.event(repos, d.id, 'code-expired', at);
        await this.audit(repos, this.requesterCtx(ctx), 'delivery.code-expired', d.id, 'failure');
        return { status: 'code-expired' };
      }
      if (!this.deps.secrets.equal(this.codeHash(d.id, code), latest.codeHash)) {
        const after = afterWrongCode(latest.wrongAttempts, this.deps.settings);
        await repos.deliveries.recordWrongCode(latest.id, after.wrongAttempts, after.void ? at : null);
        await this.event(repos, d.id, 'code-wrong', at, { details: { attempt: after.wrongAttempts } });
        await this.audit(repos, this.requesterCtx(ctx), 'delivery.code-wrong', d.id, 'failure', {
          attempt: after.wrongAttempts,
        });
        if (after.void) {
          await this.event(repos, d.id, 'code-locked', at, { details: { attempts: after.wrongAttempts } });
          await this.audit(repos, this.requesterCtx(ctx), 'delivery.code-locked', d.id, 'failure', {
            attempts: after.wrongAttempts,
          });
          return { status: 'locked' };
        }
        return { status: 'wrong', remaining: after.remaining };
      }
      await repos.deliveries.markCodeUsed(latest.id, at);
      const grant = this.deps.secrets.newToken();
      const grantExpiresAt = new Date(at.getTime() + this.deps.settings.grantLifetimeMs);
      await repos.deliveries.insertGrant({
        deliveryId: d.id,
        grantHash: this.deps.secrets.hash(grant),
        createdAt: at,
        expiresAt: grantExpiresAt,
      });
      await this.event(repos, d.id, 'code-accepted', at);
      await this.audit(repos, this.requesterCtx(ctx), 'delivery.code-accepted', d.id, 'success');
      return { status: 'ok', grant, grantExpiresAt };
    });
  }

  /** What a link releases, for the wording of a page saying it no longer works (no audit: nothing is shown). */
  async linkKind(token: string): Promise<'document' | 'recording-copy' | null> {
    return this.deps.uow.run(async (repos) => {
      const d = await repos.deliveries.findByTokenHash(this.deps.secrets.hash(token));
      return d ? (d.documentSendingId ? 'document' : 'recording-copy') : null;
    });
  }

  /** Whether `grant` (from the browser's cookie) lets this link's holder download now. */
  async hasGrant(token: string, grant: string | null | undefined): Promise<boolean> {
    if (!grant) return false;
    return this.deps.uow.run(async (repos) => {
      const d = await repos.deliveries.findByTokenHash(this.deps.secrets.hash(token));
      return d ? this.grantValid(repos, d, grant) : false;
    });
  }

  /*
   * Downloading: the allowance and download windows.
   *
   * - Pressing Download, with a grant from a correct code, opens a download window for that file (`grantDownload`):
   *   a signed, short-lived permission (`downloadWindowMs`, 2 hours by default) for that one file of this link, at
   *   the version it had then (its SHA-256, which is also the download's strong ETag). Opening one is audited
   *   (`delivery.download-granted`) and recorded as a `download-started` event whose `attempt` is the window's id.
   * - Pressing Download again for the same file with the same code's grant opens no new window: the browser is given
   *   the same one again (audited again, as a press), so a requester whose download failed can simply try again.
   * - Within its window the file may be fetched any number of times, whole or as byte ranges (HTTP Range, to resume
   *   a download that broke off): none of these counts again or is audited piece by piece (`fetchDownload`). Every
   *   fetch still checks the link (revoked or expired: refused and audited) and that the file is still that version.
   * - A window counts once against the file's allowance (`downloadsPerFile`): when a response within it has written
   *   out the file's last byte in full (the whole file, or a resumed range that reaches the end). A window that never
   *   gets to the end is not counted; while it is open it holds its place against the limit (at most `downloadLimit`
   *   windows counted or open per file), and it stops holding it when it expires.
   * - Every refusal (no grant, the limit reached, a window that has expired, is another link's, is forged, or is for
   *   a version that is no longer the file) is audited once, by request.
   */

  /**
   * Opens (or gives again) a download window for one file to the holder of a valid grant: see the rules above. A
   * refusal releases nothing and opens nothing; the file is not opened here.
   */
  async grantDownload(
    token: string,
    grant: string | null | undefined,
    fileId: string,
    ctx: RequestContext,
  ): Promise<GrantDownloadResult> {
    return this.deps.uow.run(async (repos): Promise<GrantDownloadResult> => {
      const found = await this.byToken(repos, token, ctx, true);
      if (!found) return { status: 'unknown' };
      const { delivery: d, state, counts, at } = found;
      if (state !== 'active') {
        await this.stateHit(repos, d.id, state, at, ctx);
        return { status: state };
      }
      if (!grant || !(await this.grantValid(repos, d, grant))) {
        await this.audit(repos, this.requesterCtx(ctx), 'delivery.download-denied', d.id, 'denied', {
          reason: 'no-grant',
        });
        return { status: 'no-grant' };
      }
      const file = d.files.find((f) => f.fileId === fileId.toLowerCase());
      const current = file ? await this.currentFile(repos, d, file.fileId) : null;
      if (!file || !current) return { status: 'no-file' };
      const windowMs = this.deps.settings.downloadWindowMs;
      // One window per code's grant and file: its id is derived from the grant, which only the browser holds.
      const attempt = this.deps.secrets.hash(`download-window:${grant}:${file.fileId}`).slice(0, 16);
      const open = await repos.deliveries.downloadWindow(d.id, attempt);
      const downloads = counts.get(file.fileId) ?? 0;
      const again = !!open && open.openedAt.getTime() + windowMs > at.getTime();
      let openedAt = at;
      if (open && again) {
        openedAt = open.openedAt;
      } else {
        if (downloads >= d.downloadLimit) {
          await this.event(repos, d.id, 'download-refused', at, { fileId: file.fileId, details: { downloads } });
          await this.audit(repos, this.requesterCtx(ctx), 'delivery.download-refused', d.id, 'failure', {
            fileId: file.fileId,
            downloads,
          });
          return { status: 'limit' };
        }
        const since = new Date(at.getTime() - windowMs);
        const underWay = (await repos.deliveries.downloadsUnderWay(d.id, since)).get(file.fileId) ?? 0;
        if (downloads + underWay >= d.downloadLimit) {
          await this.event(repos, d.id, 'download-refused', at, {
            fileId: file.fileId,
            details: { downloads, underWay },
          });
          await this.audit(repos, this.requesterCtx(ctx), 'delivery.download-refused', d.id, 'failure', {
            fileId: file.fileId,
            downloads,
            underWay,
          });
          return { status: 'busy' };
        }
        await this.event(repos, d.id, 'download-started', at, {
          fileId: file.fileId,
          details: { attempt, completed: downloads, bytes: current.sizeBytes },
        });
      }
      // Whole seconds, as the signed window holds it.
      const expiresAt = new Date(Math.floor((openedAt.getTime() + windowMs) / 1000) * 1000);
      await this.audit(repos, this.requesterCtx(ctx), 'delivery.download-granted', d.id, 'success', {
        fileId: file.fileId,
        attempt,
        completed: downloads,
        bytes: current.sizeBytes,
        again,
        windowExpiresAt: expiresAt.toISOString(),
      });
      const window = this.deps.windows.sign({
        deliveryId: d.id,
        fileId: file.fileId,
        attempt,
        version: current.sha256.slice(0, 16),
        expiresAt: expiresAt.getTime(),
      });
      return { status: 'ok', window, fileName: file.fileName, expiresAt };
    });
  }

  /**
   * One fetch within a download window (the whole file, or a range of it to resume): checks the window and the link,
   * and says what the file is (size, SHA-256, name) so the caller can answer a Range / If-Range request, then `open`s
   * the bytes it chose. Refusals are audited; a fetch allowed is not (its window was, when it was granted).
   */
  async fetchDownload(token: string, window: string, ctx: RequestContext): Promise<FetchDownloadResult> {
    const checked = await this.deps.uow.run(async (repos) => {
      const found = await this.byToken(repos, token, ctx, false);
      if (!found) return { status: 'unknown' as const };
      const { delivery: d, state, at } = found;
      const deny = async (reason: string, more: Record<string, unknown> = {}) => {
        await this.audit(repos, this.requesterCtx(ctx), 'delivery.download-denied', d.id, 'denied', {
          reason,
          ...more,
        });
      };
      // Forged, altered, or another link's (another requester's: the delivery's id is signed): nothing is released.
      const claims = this.deps.windows.verify(window, d.id);
      if (!claims) {
        await deny('not-a-window');
        return { status: 'no-window' as const };
      }
      // Revoked or expired, the link stops every window at once; a link whose files are all used up still serves
      // the windows already open (each was counted, or holds its place, already).
      if (state === 'revoked' || state === 'expired') {
        await this.stateHit(repos, d.id, state, at, ctx);
        return { status: state };
      }
      if (at.getTime() >= claims.expiresAt) {
        await deny('window-expired', { fileId: claims.fileId, attempt: claims.attempt });
        return { status: 'window-expired' as const };
      }
      const file = d.files.find((f) => f.fileId === claims.fileId);
      const current = file ? await this.currentFile(repos, d, file.fileId) : null;
      if (!file || !current) {
        await deny('no-file', { fileId: claims.fileId });
        return { status: 'no-file' as const };
      }
      if (current.sha256.slice(0, 16) !== claims.version) {
        // The file is not the version the window was opened for: a resumed download never mixes two versions.
        await deny('changed', { fileId: file.fileId, attempt: claims.attempt });
        return { status: 'changed' as const };
      }
      return { status: 'ok' as const, d, file, current, claims };
    });
    if (checked.status !== 'ok') return { status: checked.status };
    const { d, file, current, claims } = checked;
    const size = current.sizeBytes;
    let finished = false;
    return {
      status: 'ok',
      size,
      sha256: current.sha256,
      fileName: file.fileName,
      expiresAt: new Date(claims.expiresAt),
      open: (range) => this.openWithin(d, file.fileId, size, range, ctx),
      finish: async (how) => {
        if (finished) return;
        finished = true;
        // Only a response that wrote out the file's last byte completes the window (counted once).
        if (!how.completed || how.end !== size - 1) return;
        await this.deps.uow.run((repos) => this.windowCompleted(repos, d, file.fileId, claims.attempt, size, ctx));
      },
    };
  }

  /**
   * The whole file in one go, for callers with no HTTP in between (the download page uses `grantDownload` and
   * `fetchDownload`): opens (or gives again) the window and fetches the file in full. Counted as its window is.
   */
  async download(
    token: string,
    grant: string | null | undefined,
    fileId: string,
    ctx: RequestContext,
  ): Promise<DownloadResult> {
    const granted = await this.grantDownload(token, grant, fileId, ctx);
    if (granted.status !== 'ok') return granted;
    const fetched = await this.fetchDownload(token, granted.window, ctx);
    if (fetched.status !== 'ok') {
      const s = fetched.status;
      return s === 'no-window' || s === 'window-expired' || s === 'changed' ? { status: 'no-grant' } : { status: s };
    }
    const opened = await fetched.open(null);
    if (opened.status !== 'ok') return opened;
    return {
      status: 'ok',
      stream: opened.stream,
      size: fetched.size,
      fileName: fetched.fileName,
      contentType: opened.contentType,
      finish: ({ completed, bytes }) =>
        fetched.finish({ completed: completed && bytes >= fetched.size, end: fetched.size - 1 }),
    };
  }

  /** The file as it is now (size, SHA-256), from what the link releases: null when it is no longer there. */
  private async currentFile(repos: Repositories, d: DeliveryRecord, fileId: string): Promise<CopyFileInfo | null> {
    const source = sourceOf(d);
    const listed =
      source.kind === 'copy'
        ? await this.deps.files.list(source.copyId, repos)
        : ((await this.deps.documentFiles?.list(source.sendingId, repos)) ?? []);
    return listed.find((f) => f.fileId === fileId) ?? null;
  }

  /** The bytes of a fetch: a range of a copy's file is decrypted on its own; a document's is cut from the whole. */
  private async openWithin(
    d: DeliveryRecord,
    fileId: string,
    size: number,
    range: ByteRange | null,
    ctx: RequestContext,
  ): Promise<OpenedDownload> {
    const source = sourceOf(d);
    if (source.kind === 'copy') {
      const f = await this.deps.files.open(source.copyId, fileId, range ?? undefined);
      return { status: 'ok', stream: f.stream, contentType: f.contentType };
    }
    try {
      if (!this.deps.documentFiles) throw new NotFoundError('The file');
      const f = await this.deps.documentFiles.open(source.sendingId, fileId);
      const stream = range && !(range.start === 0 && range.end === size - 1) ? f.stream.pipe(slice(range)) : f.stream;
      return { status: 'ok', stream, contentType: f.contentType };
    } catch (err) {
      // W-6: a stored copy that is not what was issued (or will not decrypt) releases nothing; audited.
      if (!(err instanceof DomainError) || err.code !== 'DOCUMENT_INTEGRITY') throw err;
      await this.deps.uow.run((repos) =>
        this.audit(repos, this.requesterCtx(ctx), 'delivery.download-damaged', d.id, 'failure', {
          fileId,
          documentSendingId: source.sendingId,
        }),
      );
      return { status: 'damaged' };
    }
  }

  /** A window's response wrote out the file's last byte: the window is counted, once. */
  private async windowCompleted(
    repos: Repositories,
    d: DeliveryRecord,
    fileId: string,
    attempt: string,
    size: number,
    ctx: RequestContext,
  ): Promise<void> {
    const at = this.now();
    await repos.deliveries.find(d.id, { lock: true });
    if ((await repos.deliveries.downloadWindow(d.id, attempt))?.counted) return;
    const download = ((await repos.deliveries.downloadCounts(d.id)).get(fileId) ?? 0) + 1;
    await this.event(repos, d.id, 'downloaded', at, { fileId, details: { attempt, download, bytes: size } });
    await this.audit(repos, this.requesterCtx(ctx), 'delivery.downloaded', d.id, 'success', {
      fileId,
      attempt,
      download,
      bytes: size,
    });
    // W-4: the holder of a document's link downloaded it, the proof it reached them.
    if (d.documentSendingId) await repos.documentSendings.markLinkDownloaded(d.documentSendingId, at);
  }

  // ---------------------------------------------------------------- helpers

  private codeHash(deliveryId: string, code: string): string {
    return keyedCodeHash(this.deps.codeKey, deliveryId, code);
  }

  private async byToken(repos: Repositories, token: string, ctx: RequestContext, lock: boolean) {
    // Always a digest and a look-up, whatever was presented: a malformed token costs the same as a wrong one.
    const d = await repos.deliveries.findByTokenHash(this.deps.secrets.hash(token), { lock });
    if (!d) {
      await repos.audit.record({
        action: 'delivery.unknown-link',
        actor: REQUESTER,
        correlationId: ctx.correlationId,
        outcome: 'failure',
      });
      return null;
    }
    const at = this.now();
    const counts = await repos.deliveries.downloadCounts(d.id);
    return { delivery: d, counts, at, state: deliveryStateOf(d, counts, at) };
  }

  private async grantValid(repos: Repositories, d: DeliveryRecord, grant: string | null | undefined): Promise<boolean> {
    if (!grant) return false;
    const g = await repos.deliveries.findGrant(this.deps.secrets.hash(grant));
    return !!g && g.deliveryId === d.id && this.now().getTime() < g.expiresAt.getTime();
  }

  private async stateHit(
    repos: Repositories,
    deliveryId: string,
    state: Exclude<DeliveryState, 'active'>,
    at: Date,
    ctx: RequestContext,
  ): Promise<void> {
    const kind = ({ expired: 'expired-hit', revoked: 'revoked-hit', 'used-up': 'used-up-hit' } as const)[state];
    await this.event(repos, deliveryId, kind, at);
    await this.audit(repos, this.requesterCtx(ctx), `delivery.${kind}`, deliveryId, 'failure');
  }

  private requesterCtx(ctx: RequestContext): RequestContext {
    return { actor: REQUESTER, correlationId: ctx.correlationId };
  }

  private async event(
    repos: Repositories,
    deliveryId: string,
    kind: DeliveryEventKind,
    at: Date,
    more: { fileId?: string; actorId?: string; details?: Record<string, unknown> } = {},
  ): Promise<void> {
    await repos.deliveries.appendEvent({
      deliveryId,
      kind,
      at,
      fileId: more.fileId ?? null,
      actorId: more.actorId ?? null,
      details: more.details ?? {},
    });
  }

  private async audit(
    repos: Repositories,
    ctx: RequestContext,
    action: string,
    deliveryId: string,
    outcome: AuditOutcome,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await repos.audit.record({
      action,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'delivery', id: deliveryId },
      outcome,
      ...(details ? { details } : {}),
    });
  }

  private async requireRole(
    actor: Actor,
    roles: readonly Role[],
    action: string,
    requestId: string,
    ctx: RequestContext,
  ): Promise<void> {
    if (hasAnyRole(actor, roles)) return;
    await this.deps.uow.run((repos) =>
      repos.audit.record({
        action,
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'copy_request', id: requestId },
        outcome: 'denied',
        details: { reason: 'role' },
      }),
    );
    throw new AccessDeniedError('Your roles do not allow this');
  }

  private async requesterName(repos: Repositories, r: CopyRequest): Promise<string> {
    const q = r.requester;
    switch (q.type) {
      case 'child': {
        const c = isUuid(q.childId) ? await repos.people.findChild(q.childId) : null;
        return c ? `${c.givenNames} ${c.familyName}` : 'Sir or Madam';
      }
      case 'pr-holder': {
        const p = isUuid(q.personId) ? await repos.people.findPerson(q.personId) : null;
        return p ? `${p.givenNames} ${p.familyName}` : 'Sir or Madam';
      }
      default:
        return q.contactName;
    }
  }
}
