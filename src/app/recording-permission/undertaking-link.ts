/**
 * P-1, P-7: the requester confirms the undertaking not to publish or share the recording through the secure link
 * emailed to them, without an account. The page sends a one-time code to the address on the record (the rules of
 * the copies' secure delivery: six random digits, ten minutes, five wrong entries void it); with the code, the
 * undertaking ticked and their name typed, the undertaking is signed and the request waits for a decision. Only
 * SHA-256 digests of the token and the code are kept, compared in constant time; every step is audited with ids.
 */
import { englandTimeOnDate } from '../../domain/calendar/england-time.ts';
import { formatLongDate, type IsoDate } from '../../domain/calendar/iso-date.ts';
import { MEETING_KIND_LABELS, NAME_MAX, UNDERTAKING_TERMS } from '../../domain/recording-permission/requests.ts';
import {
  DEFAULT_DELIVERY_SETTINGS,
  afterWrongCode,
  codeExpiry,
  normaliseCode,
} from '../../domain/requests/delivery.ts';
import { type FieldProblem, InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { MailService } from '../mail/mail-service.ts';
import { RECORDING_PERMISSION_CODE_TEMPLATE } from '../mail/recording-permission-templates.ts';
import type { DeliverySecrets } from '../requests/delivery-ports.ts';
import { CODE_HASH_PREFIX, keyedCodeHash } from '../requests/delivery-service.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { PermissionLinkRecord, PermissionRequestRecord } from './ports.ts';

/** Codes one link may send, in all: after that the social worker sends a new link. */
export const MAX_CODES_PER_LINK = 5;

export type LinkStatus = 'unknown' | 'expired' | 'revoked' | 'confirmed' | 'active';

export interface LinkPage {
  status: LinkStatus;
  /** Only for an active link: what they are confirming. */
  requesterName: string | null;
  meeting: string | null;
  terms: readonly string[];
  codeSent: boolean;
}

export interface UndertakingLinkDeps {
  uow: UnitOfWork;
  clock: Clock;
  mail: MailService;
  secrets: DeliverySecrets;
  /** The server's secret one-time codes are hashed with (HMAC-SHA-256, P-1): DELIVERY_CODE_KEY_FILE, outside the database. */
  codeKey: Uint8Array;
}

/** The requester, acting through their link: no account, so no user id. */
const REQUESTER = 'the requester, through their secure link';

export class UndertakingLinkService {
  private readonly deps: UndertakingLinkDeps;

  constructor(deps: UndertakingLinkDeps) {
    this.deps = deps;
  }

  private ctx(ctx: RequestContext): RequestContext {
    return { actor: { id: null, label: REQUESTER }, correlationId: ctx.correlationId };
  }

  private statusOf(link: PermissionLinkRecord | null, r: PermissionRequestRecord | null): LinkStatus {
    if (!link || !r) return 'unknown';
    if (link.confirmedAt) return 'confirmed';
    if (link.revokedAt || r.status !== 'awaiting-undertaking') return 'revoked';
    if (link.expiresAt.getTime() <= this.deps.clock.now().getTime()) return 'expired';
    return 'active';
  }

  private async find(repos: Repositories, token: string, lock = false) {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { link: null, request: null };
    const link = await repos.recordingPermission.findLinkByToken(this.deps.secrets.hash(token), { lock });
    const request = link ? await repos.recordingPermission.find(link.requestId, { lock }) : null;
    return { link, request };
  }

  private async meetingWords(repos: Repositories, r: PermissionRequestRecord): Promise<string> {
    if (r.conferenceId) {
      const c = await repos.meeting.findConference(r.conferenceId);
      return c
        ? `the child protection conference on ${formatLongDate(c.scheduledDate)} at ${c.startTime}`
        : 'the meeting';
    }
    return `the ${MEETING_KIND_LABELS[r.meetingKind].toLowerCase()} on ${formatLongDate(r.meetingDate as IsoDate)} at ${r.meetingTime}`;
  }

  private async audit(repos: Repositories, ctx: RequestContext, action: string, requestId: string, details: object) {
    await repos.audit.record({
      action,
      actor: this.ctx(ctx).actor,
      correlationId: ctx.correlationId,
      subject: { type: 'recording-permission-request', id: requestId },
      outcome: 'success',
      details: details as Record<string, unknown>,
    });
  }

  /** The page the link opens: whether it works, and what is being confirmed. */
  async open(token: string, ctx: RequestContext): Promise<LinkPage> {
    return this.deps.uow.run(async (repos) => {
      const { link, request } = await this.find(repos, token);
      const status = this.statusOf(link, request);
      if (link && request) await this.audit(repos, ctx, 'recording-permission.link.open', request.id, { status });
      return {
        status,
        requesterName: status === 'active' ? request!.requesterName : null,
        meeting: status === 'active' ? await this.meetingWords(repos, request!) : null,
        terms: UNDERTAKING_TERMS,
        codeSent: status === 'active' && link!.codeHash !== null && link!.codeUsedAt === null,
      };
    });
  }

  /** Sends a one-time code to the requester's address; `too-many` once the link has sent its codes. */
  async sendCode(token: string, ctx: RequestContext): Promise<{ status: LinkStatus | 'too-many' }> {
    const messages: string[] = [];
    const result = await this.deps.uow.run(async (repos) => {
      const { link, request } = await this.find(repos, token, true);
      const status = this.statusOf(link, request);
      if (status !== 'active') return { status };
      if (link!.codesIssued >= MAX_CODES_PER_LINK) return { status: 'too-many' as const };
      const person = request!.requesterPersonId ? await repos.people.findPerson(request!.requesterPersonId) : null;
      if (!person?.email) return { status: 'revoked' as const };
      const now = this.deps.clock.now();
      const code = this.deps.secrets.newCode();
      const expiresAt = codeExpiry(now, DEFAULT_DELIVERY_SETTINGS);
      await repos.recordingPermission.updateLink(link!.id, {
        codeHash: keyedCodeHash(this.deps.codeKey, link!.id, code),
        codeIssuedAt: now,
        codeExpiresAt: expiresAt,
        codeAttempts: 0,
        codesIssued: link!.codesIssued + 1,
        codeUsedAt: null,
      });
      const { messageId } = await this.deps.mail.queueWithin(repos, {
        template: RECORDING_PERMISSION_CODE_TEMPLATE,
        to: person.email,
        values: { code, expires_at: englandTimeOnDate(expiresAt) },
        about: { subjectType: 'recording-permission-request', subjectId: request!.id, ctx: this.ctx(ctx) },
      });
      messages.push(messageId);
      await this.audit(repos, ctx, 'recording-permission.link.code', request!.id, { linkId: link!.id });
      return { status };
    });
    await this.deps.mail.dispatch(...messages);
    return result;
  }

  /**
   * The requester confirms: the undertaking ticked, their name and the code. Every problem is answered at once
   * (InvalidDetailsError); a wrong code counts against it, and five wrong entries void it.
   */
  async confirm(
    token: string,
    input: { code: string; name: string; agreed: boolean },
    ctx: RequestContext,
  ): Promise<{ status: LinkStatus }> {
    const outcome = await this.deps.uow.run(async (repos) => {
      const { link, request } = await this.find(repos, token, true);
      const status = this.statusOf(link, request);
      if (status !== 'active') return { status, problems: [] as FieldProblem[] };
      const problems: FieldProblem[] = [];
      if (!input.agreed)
        problems.push({
          field: 'agreed',
          message: 'Tick the box to say you agree not to publish or share the recording',
        });
      const name = input.name.trim();
      if (!name) problems.push({ field: 'name', message: 'Enter your full name' });
      else if (name.length > NAME_MAX)
        problems.push({ field: 'name', message: `Your name must be ${NAME_MAX} characters or fewer` });
      const code = normaliseCode(input.code);
      const now = this.deps.clock.now();
      const l = link!;
      if (!code) problems.push({ field: 'code', message: 'Enter the 6-digit code from the email' });
      else if (!l.codeHash || l.codeUsedAt)
        problems.push({ field: 'code', message: 'Ask for a code first: use the button to send one' });
      else if (
        l.codeAttempts >= DEFAULT_DELIVERY_SETTINGS.maxWrongCodes ||
        l.codeExpiresAt!.getTime() <= now.getTime() ||
        // A code sent before codes were keyed (a plain digest a stolen database could reverse) is never accepted.
        !l.codeHash.startsWith(CODE_HASH_PREFIX)
      )
        problems.push({ field: 'code', message: 'This code no longer works. Ask for a new code' });
      else if (!this.deps.secrets.equal(keyedCodeHash(this.deps.codeKey, l.id, code), l.codeHash)) {
        const wrong = afterWrongCode(l.codeAttempts, DEFAULT_DELIVERY_SETTINGS);
        await repos.recordingPermission.updateLink(l.id, { codeAttempts: wrong.wrongAttempts });
        await this.audit(repos, ctx, 'recording-permission.link.wrong-code', request!.id, { linkId: l.id });
        problems.push({
          field: 'code',
          message: wrong.void
            ? 'The code is wrong, and it no longer works. Ask for a new code'
            : `The code is wrong. You can try ${wrong.remaining} more ${wrong.remaining === 1 ? 'time' : 'times'}`,
        });
      }
      // A wrong code is counted (committed) before the problems are answered.
      if (problems.length) return { status, problems };
      await repos.recordingPermission.updateLink(l.id, { codeUsedAt: now, confirmedAt: now, confirmedName: name });
      const updated = await repos.recordingPermission.update(request!.id, request!.version, {
        status: 'awaiting-decision',
        undertakingSigned: { at: now, via: 'online' },
        at: now,
      });
      if (!updated) throw new Error('The request changed while the undertaking was confirmed');
      await this.audit(repos, ctx, 'recording-permission.undertaking.confirm', request!.id, { linkId: l.id });
      return { status: 'confirmed' as const, problems };
    });
    if (outcome.problems.length) throw new InvalidDetailsError(outcome.problems);
    return { status: outcome.status };
  }
}
