import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../domain/shared/errors.ts';
import type { AuditEntry, RequestContext } from '../audit/audit-log.ts';
import type { Clock } from '../unit-of-work.ts';
import {
  MailSendError,
  type DeliveryQueue,
  type MailDelivery,
  type MailLogger,
  type MailRepositories,
  type MailUnitOfWork,
  type OutboxMessageView,
  type OutboxState,
  type OutboxSummary,
  type StoredTemplate,
} from './ports.ts';
import {
  InvalidTemplateError,
  MailError,
  TEMPLATE_DEFINITIONS,
  type RenderedMessage,
  type TemplateDefinition,
  type TemplateText,
  exampleValues,
  normaliseTemplateText,
  renderMessage,
  templateDefinition,
  validateTemplateText,
} from './templates.ts';
import { maskedValues } from './secrets.ts';

export interface MailSettings {
  councilName: string;
  /** A message left `sending` this long is taken to belong to a worker that died, and is sent again. */
  sendingLeaseMs?: number;
  /** A queued message whose delivery job was not queued (a crash after commit) is picked up after this. */
  dispatchQueuedAfterMs?: number;
  /**
   * A failed message is queued again this long after its last attempt, after pg-boss's own retries (eight
   * with back-off from 30 seconds: about two hours) have run out. Mail is never given up on while the
   * mail server is down.
   */
  retryFailedAfterMs?: number;
}

export interface MailServiceDeps {
  uow: MailUnitOfWork;
  clock: Clock;
  delivery: MailDelivery;
  queue: DeliveryQueue;
  logger: MailLogger;
  settings: MailSettings;
}

/** What the message is about: the record a request step belongs to, never personal data. */
export interface MailAbout {
  subjectType: string;
  subjectId: string;
  /** Who caused it, for the audit entry (the system when absent). */
  ctx?: RequestContext | undefined;
}

/** One email for `queueWithin`: the template, the address, every placeholder's value, and what it is about. */
export interface EmailToQueue {
  template: string;
  to: string;
  values: Readonly<Record<string, string>>;
  about: MailAbout;
}

export type DeliveryOutcome = 'sent' | 'kept' | 'rejected' | 'failed' | 'skipped';

/** Thrown by `deliver` after a transient failure has been recorded, so the job is retried. */
export class MailDeliveryRetry extends Error {
  readonly code: string;
  constructor(messageId: string, code: string) {
    super(`Message ${messageId} was not sent (${code}); it stays in the outbox and will be tried again`);
    this.name = 'MailDeliveryRetry';
    this.code = code;
  }
}

export interface TemplateListItem {
  definition: TemplateDefinition;
  subject: string;
  customised: boolean;
  updatedAt: Date | null;
  updatedByName: string | null;
}

export interface TemplateForEditing extends TemplateListItem {
  body: string;
  version: number;
}

export type TemplatePreview = { ok: true; preview: RenderedMessage } | { ok: false; problems: TemplateProblem[] };
export type TemplateProblem = { field: string; message: string };

export const OUTBOX_PAGE_SIZE = 50;

const SYSTEM: RequestContext = { actor: { id: null, label: 'system' } };
const emailAddress = z.email();

/**
 * Composes, stores and delivers email. `queue` stores the rendered message in the caller's transaction
 * (so a step and its email commit together); `deliver` sends one message through the transport and
 * records the result; `sweep` queues again anything whose delivery job was lost. Logs carry ids, template
 * keys, states and provider error codes only, never an address, a subject or a body.
 */
export class MailService {
  private readonly deps: MailServiceDeps;
  private readonly leaseMs: number;
  private readonly dispatchAfterMs: number;
  private readonly retryAfterMs: number;

  constructor(deps: MailServiceDeps) {
    this.deps = deps;
    this.leaseMs = deps.settings.sendingLeaseMs ?? 15 * 60_000;
    this.dispatchAfterMs = deps.settings.dispatchQueuedAfterMs ?? 60_000;
    this.retryAfterMs = deps.settings.retryFailedAfterMs ?? 3 * 3_600_000;
  }

  /** Where messages go: 'outbox' keeps them for administrators to read. */
  get transportName(): 'outbox' | 'smtp' | 'notify' {
    return this.deps.delivery.kind === 'keep' ? 'outbox' : this.deps.delivery.transport.name;
  }

  private serviceValues(): Record<string, string> {
    return { council_name: this.deps.settings.councilName };
  }

  /**
   * Renders `templateKey` with `values` (every placeholder the template may use, except the council's
   * name which the service fills in) and stores it in the outbox. Pass the use case's `repos` to store it
   * in the same transaction as the step that caused it; then call `dispatch(messageId)` after the
   * transaction commits (if that is missed, `sweep` queues it within a couple of minutes).
   */
  async queue(
    templateKey: string,
    to: string,
    values: Readonly<Record<string, string>>,
    about: MailAbout,
    repos?: MailRepositories,
  ): Promise<{ messageId: string }> {
    const def = templateDefinition(templateKey);
    if (!def) throw new MailError('UNKNOWN_TEMPLATE', `There is no email called ${templateKey}`);
    const address = to.trim();
    if (!emailAddress.safeParse(address).success)
      throw new MailError('INVALID_ADDRESS', 'The email address is not in the correct format', 'to');
    const service = this.serviceValues();
    const passedServiceValue = Object.keys(values).filter((k) => k in service);
    if (passedServiceValue.length > 0)
      throw new MailError(
        'UNEXPECTED_VALUES',
        `((${passedServiceValue.join(')), ((')})) is filled in by the service, not by the caller`,
      );
    const work = async (r: MailRepositories) => {
      const stored = await r.messageTemplates.get(def.key);
      const wording = stored ?? { subject: def.defaultSubject, body: def.defaultBody };
      const rendered = renderMessage(def, wording, { ...values, ...service });
      // a download link or code is stored masked; the usable text only until a transport takes it.
      const masked = maskedValues(values);
      const shown = masked.masked ? renderMessage(def, wording, { ...masked.values, ...service }) : rendered;
      const message = await r.outbox.insert({
        templateKey: def.key,
        templateVersion: stored?.version ?? 0,
        to: address,
        subject: shown.subject,
        body: shown.text,
        subjectType: about.subjectType,
        subjectId: about.subjectId,
        createdAt: this.deps.clock.now(),
        secretsMasked: masked.masked,
        sealed:
          masked.masked && this.deps.delivery.kind === 'send'
            ? { subject: rendered.subject, body: rendered.text }
            : null,
      });
      await this.audit(r, about.ctx ?? SYSTEM, 'mail.queued', message.id, {
        template: def.key,
        about: { type: about.subjectType, id: about.subjectId },
      });
      return { messageId: message.id };
    };
    return repos ? work(repos) : this.deps.uow.run(work);
  }

  /**
   * Stores an email in the caller's transaction, so the step and its email commit (or roll back)
   * together. Inside `uow.run(async (repos) => …)`:
   *
   *   const { messageId } = await mail.queueWithin(repos, { template: 'copy-ready', to, values, about });
   *
   * and after `uow.run` returns, `await mail.dispatch(messageId)` to send it now (if that is missed, the
   * sweep sends it within a couple of minutes). Throws MailError for an unknown template, an address
   * that is not an email address, or a missing or unexpected value: the caller's transaction then rolls back.
   */
  async queueWithin(repos: MailRepositories, email: EmailToQueue): Promise<{ messageId: string }> {
    return this.queue(email.template, email.to, email.values, email.about, repos);
  }

  /** Queues delivery jobs for messages whose transaction has committed. A failure here loses nothing: the sweep finds them. */
  async dispatch(...messageIds: string[]): Promise<void> {
    for (const id of messageIds) {
      try {
        await this.deps.queue.enqueueDelivery(id);
      } catch (err) {
        this.deps.logger.warn(
          { messageId: id, error: err instanceof Error ? err.name : 'unknown' },
          'could not queue an email for delivery yet; the outbox sweep will',
        );
      }
    }
  }

  /** `queue` in its own transaction, then `dispatch`: for messages that belong to no other change. */
  async send(
    templateKey: string,
    to: string,
    values: Readonly<Record<string, string>>,
    about: MailAbout,
  ): Promise<{ messageId: string }> {
    const r = await this.queue(templateKey, to, values, about);
    await this.dispatch(r.messageId);
    return r;
  }

  /**
   * Delivers one message: the pg-boss `mail-deliver` worker's body. Idempotent: a message already sent,
   * kept or being sent is left alone. A transient failure is recorded (attempts, provider code) and then
   * thrown as `MailDeliveryRetry` so the job is retried; a permanent refusal is recorded as rejected.
   */
  async deliver(messageId: string): Promise<DeliveryOutcome> {
    const now = this.deps.clock.now();
    const message = await this.deps.uow.run((r) =>
      r.outbox.claim(messageId, now, new Date(now.getTime() - this.leaseMs)),
    );
    if (!message) return 'skipped';
    const log = { messageId, template: message.templateKey, attempt: message.attempts };
    const { delivery } = this.deps;
    if (delivery.kind === 'keep') {
      await this.deps.uow.run(async (r) => {
        await r.outbox.markKept(messageId, this.deps.clock.now());
        await this.audit(r, SYSTEM, 'mail.kept', messageId, { template: message.templateKey });
      });
      this.deps.logger.info(log, 'email kept in the outbox (MAIL_TRANSPORT=outbox)');
      return 'kept';
    }
    const transport = delivery.transport;
    if (message.secretsMasked && !message.sealed) {
      // Its link or code was removed when it was first handed over: sending the masked text would help nobody.
      await this.deps.uow.run(async (r) => {
        await r.outbox.markFailed(messageId, { transport: transport.name, error: 'secrets-removed', permanent: true });
        await this.audit(
          r,
          SYSTEM,
          'mail.failed',
          messageId,
          { template: message.templateKey, attempt: message.attempts, error: 'secrets-removed', permanent: true },
          'failure',
        );
      });
      return 'rejected';
    }
    const content = message.sealed ?? { subject: message.subject, body: message.body };
    let providerId: string;
    try {
      ({ providerId } = await transport.send({
        to: message.to,
        subject: content.subject,
        text: content.body,
        reference: message.id,
      }));
    } catch (err) {
      const failure = err instanceof MailSendError ? err : new MailSendError(`${transport.name}:unexpected`, false);
      await this.deps.uow.run(async (r) => {
        await r.outbox.markFailed(messageId, {
          transport: transport.name,
          error: failure.code,
          permanent: failure.permanent,
        });
        await this.audit(
          r,
          SYSTEM,
          'mail.failed',
          messageId,
          {
            template: message.templateKey,
            attempt: message.attempts,
            error: failure.code,
            permanent: failure.permanent,
          },
          'failure',
        );
      });
      this.deps.logger.warn(
        { ...log, error: failure.code, permanent: failure.permanent },
        failure.permanent ? 'email refused by the mail service' : 'email not sent; it will be tried again',
      );
      if (failure.permanent) return 'rejected';
      throw new MailDeliveryRetry(messageId, failure.code);
    }
    await this.deps.uow.run(async (r) => {
      await r.outbox.markSent(messageId, { transport: transport.name, providerId, at: this.deps.clock.now() });
      await this.audit(r, SYSTEM, 'mail.sent', messageId, {
        template: message.templateKey,
        attempt: message.attempts,
        transport: transport.name,
      });
    });
    this.deps.logger.info({ ...log, transport: transport.name }, 'email sent');
    return 'sent';
  }

  /** Queues delivery again for messages whose job was lost or whose retries ran out. Run every minute. */
  async sweep(limit = 200): Promise<number> {
    const now = this.deps.clock.now().getTime();
    const ids = await this.deps.uow.run((r) =>
      r.outbox.due({
        queuedBefore: new Date(now - this.dispatchAfterMs),
        failedBefore: new Date(now - this.retryAfterMs),
        sendingBefore: new Date(now - this.leaseMs),
        limit,
      }),
    );
    await this.dispatch(...ids);
    return ids.length;
  }

  /** Closes the transport's connections (at shutdown). */
  async close(): Promise<void> {
    if (this.deps.delivery.kind === 'send') await this.deps.delivery.transport.close?.();
  }

  /** Seeds the default wording for every template without a row. Run at start-up. */
  async seedTemplates(): Promise<number> {
    return this.deps.uow.run(async (r) => {
      let n = 0;
      for (const def of TEMPLATE_DEFINITIONS) {
        if (
          await r.messageTemplates.insertIfAbsent({
            key: def.key,
            subject: def.defaultSubject,
            body: def.defaultBody,
            at: this.deps.clock.now(),
          })
        )
          n++;
      }
      return n;
    });
  }

  // Administrators: the outbox

  async listMessages(opts: { state?: OutboxState | undefined; page?: number }): Promise<{
    messages: OutboxSummary[];
    total: number;
    page: number;
    pages: number;
    counts: Record<OutboxState, number>;
  }> {
    const page = Math.max(1, Math.floor(opts.page ?? 1));
    return this.deps.uow.run(async (r) => {
      const { messages, total } = await r.outbox.list({
        state: opts.state,
        limit: OUTBOX_PAGE_SIZE,
        offset: (page - 1) * OUTBOX_PAGE_SIZE,
      });
      return {
        messages,
        total,
        page,
        pages: Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE)),
        counts: await r.outbox.countByState(),
      };
    });
  }

  /**
   * One message with its text: audited, because it may name the people a request is about. A download
   * link or code in it is masked (secrets.ts): the sealed text is never returned.
   */
  async viewMessage(id: string, ctx: RequestContext): Promise<OutboxMessageView> {
    return this.deps.uow.run(async (r) => {
      const message = await r.outbox.get(id);
      if (!message) throw new NotFoundError('The message');
      await this.audit(r, ctx, 'mail.viewed', id, { template: message.templateKey });
      const { sealed: _sealed, ...view } = message;
      return view;
    });
  }

  /** Sends a failed or refused message again now (after the address or the mail server is put right). */
  async retryMessage(id: string, ctx: RequestContext): Promise<void> {
    await this.deps.uow.run(async (r) => {
      const message = await r.outbox.get(id);
      if (!message) throw new NotFoundError('The message');
      if (message.secretsMasked && !message.sealed && (message.state === 'failed' || message.state === 'rejected')) {
        throw new MailError(
          'NOT_RETRYABLE',
          'This email’s download link or code is no longer held, so it cannot be sent again. Send the requester a new link from their request',
        );
      }
      if (!(await r.outbox.requeue(id)))
        throw new MailError('NOT_RETRYABLE', 'Only a message that has not been sent can be tried again');
      await this.audit(r, ctx, 'mail.retried', id, { template: message.templateKey, previousState: message.state });
    });
    await this.dispatch(id);
  }

  // Administrators: the wording

  async listTemplates(): Promise<TemplateListItem[]> {
    const stored = new Map((await this.deps.uow.run((r) => r.messageTemplates.list())).map((t) => [t.key, t]));
    return TEMPLATE_DEFINITIONS.map((def) => this.describe(def, stored.get(def.key) ?? null));
  }

  async templateForEditing(key: string): Promise<TemplateForEditing> {
    const def = this.definition(key);
    const stored = await this.deps.uow.run((r) => r.messageTemplates.get(key));
    return { ...this.describe(def, stored), body: stored?.body ?? def.defaultBody, version: stored?.version ?? 0 };
  }

  /** The wording as an email, with example values (and the council's own name), or the problems that stop it being saved. */
  previewTemplate(key: string, input: TemplateText): TemplatePreview {
    const def = this.definition(key);
    const problems = validateTemplateText(def, input);
    if (problems.length > 0) return { ok: false, problems };
    return {
      ok: true,
      preview: renderMessage(def, normaliseTemplateText(input), { ...exampleValues(def), ...this.serviceValues() }),
    };
  }

  /** Saves new wording. `version` is the one the administrator started from (0: the default wording). */
  async saveTemplate(key: string, input: TemplateText & { version: number }, ctx: RequestContext): Promise<void> {
    const def = this.definition(key);
    const problems = validateTemplateText(def, input);
    if (problems.length > 0) throw new InvalidTemplateError(problems);
    await this.write(def, normaliseTemplateText(input), input.version, ctx, 'mail.template.changed');
  }

  /** Puts the service's default wording back. */
  async resetTemplate(key: string, version: number, ctx: RequestContext): Promise<void> {
    const def = this.definition(key);
    await this.write(def, { subject: def.defaultSubject, body: def.defaultBody }, version, ctx, 'mail.template.reset');
  }

  private async write(
    def: TemplateDefinition,
    text: TemplateText,
    version: number,
    ctx: RequestContext,
    action: string,
  ): Promise<void> {
    await this.deps.uow.run(async (r) => {
      const at = this.deps.clock.now();
      // A key never saved has no row yet: seed it so the version check below has something to compare.
      if (version === 0)
        await r.messageTemplates.insertIfAbsent({
          key: def.key,
          subject: def.defaultSubject,
          body: def.defaultBody,
          at,
        });
      const saved = await r.messageTemplates.update(def.key, {
        ...text,
        updatedBy: ctx.actor.id,
        at,
        expectedVersion: Math.max(version, 1),
      });
      if (!saved)
        throw new ConflictError(
          'Someone else changed this email while you were editing it. Your changes have not been saved: look at the current wording and make them again',
          'body',
        );
      await r.audit.record({
        action,
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'message_template', id: def.key },
        outcome: 'success',
        details: { version: saved.version },
      });
    });
  }

  private definition(key: string): TemplateDefinition {
    const def = templateDefinition(key);
    if (!def) throw new NotFoundError('The email template');
    return def;
  }

  private describe(def: TemplateDefinition, stored: StoredTemplate | null): TemplateListItem {
    const subject = stored?.subject ?? def.defaultSubject;
    const body = stored?.body ?? def.defaultBody;
    return {
      definition: def,
      subject,
      customised: subject !== def.defaultSubject || body !== def.defaultBody,
      updatedAt: stored?.updatedBy ? stored.updatedAt : null,
      updatedByName: stored?.updatedBy ? stored.updatedByName : null,
    };
  }

  private async audit(
    r: MailRepositories,
    ctx: RequestContext,
    action: string,
    messageId: string,
    details: Record<string, unknown>,
    outcome: AuditEntry['outcome'] = 'success',
  ): Promise<void> {
    await r.audit.record({
      action,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'outbox_message', id: messageId },
      outcome,
      details,
    });
  }
}
