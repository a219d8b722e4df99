import type { AuditLog } from '../audit/audit-log.ts';

/** One message as a transport sends it. `reference` is the outbox message's id (never personal data). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  reference: string;
}

/** SMTP (nodemailer) or GOV.UK Notify. */
export interface MailTransport {
  readonly name: 'smtp' | 'notify';
  send(message: OutgoingMail): Promise<{ providerId: string }>;
  close?(): Promise<void>;
}

/**
 * A transport's failure, reduced to what may be stored and logged: a provider error code or status
 * (`smtp:ECONNECTION`, `smtp:550`, `notify:400 ValidationError`), never the provider's message, which may
 * quote the address. `permanent` when the mail service refused this message for good (an address it
 * will not deliver to): retrying would not help.
 */
export class MailSendError extends Error {
  readonly code: string;
  readonly permanent: boolean;
  constructor(code: string, permanent: boolean) {
    super(`The message could not be sent (${code})`);
    this.name = 'MailSendError';
    this.code = code;
    this.permanent = permanent;
  }
}

/** How messages leave: kept in the outbox for administrators to read (the embedded default), or sent. */
export type MailDelivery = { kind: 'keep' } | { kind: 'send'; transport: MailTransport };

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'kept', 'failed', 'rejected'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxMessage {
  id: string;
  templateKey: string;
  templateVersion: number;
  to: string;
  subject: string;
  body: string;
  subjectType: string;
  subjectId: string;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  transport: string | null;
  providerId: string | null;
  createdAt: Date;
  completedAt: Date | null;
  /** The subject and body were stored with a download link or code masked (secrets.ts). */
  secretsMasked: boolean;
  /**
   * The usable subject and body, only while a message with secrets waits to be handed to SMTP or
   * Notify; removed once it has been (never stored with the outbox transport). Never shown to anyone.
   */
  sealed: SealedMail | null;
}

export interface SealedMail {
  subject: string;
  body: string;
}

/** A message as administrators see it: never the sealed text. */
export type OutboxMessageView = Omit<OutboxMessage, 'sealed'>;

export type OutboxSummary = Omit<OutboxMessage, 'body' | 'sealed'>;

export interface NewOutboxMessage {
  templateKey: string;
  templateVersion: number;
  to: string;
  subject: string;
  body: string;
  subjectType: string;
  subjectId: string;
  createdAt: Date;
  secretsMasked: boolean;
  sealed: SealedMail | null;
}

export interface OutboxRepository {
  insert(message: NewOutboxMessage): Promise<OutboxMessage>;
  /**
   * Marks a message `sending` and counts the attempt, if it may be sent now: queued, failed, or left
   * `sending` since before `staleBefore` (a worker that died). Null when it is sent, kept, rejected or
   * being sent by another worker: delivery is then a no-op.
   */
  claim(id: string, at: Date, staleBefore: Date): Promise<OutboxMessage | null>;
  /** Also removes the sealed text: the message has been handed to the transport. */
  markSent(id: string, result: { transport: string; providerId: string; at: Date }): Promise<void>;
  markKept(id: string, at: Date): Promise<void>;
  /** Keeps the sealed text: nothing reached the recipient, and an administrator may send it again. */
  markFailed(id: string, result: { transport: string; error: string; permanent: boolean }): Promise<void>;
  /** A failed or rejected message back to queued; false when it is in any other state. */
  requeue(id: string): Promise<boolean>;
  get(id: string): Promise<OutboxMessage | null>;
  list(opts: {
    state?: OutboxState | undefined;
    limit: number;
    offset: number;
  }): Promise<{ messages: OutboxSummary[]; total: number }>;
  countByState(): Promise<Record<OutboxState, number>>;
  /** Messages a delivery job may have been lost for, oldest first. */
  due(opts: { queuedBefore: Date; failedBefore: Date; sendingBefore: Date; limit: number }): Promise<string[]>;
}

export interface StoredTemplate {
  key: string;
  subject: string;
  body: string;
  updatedBy: string | null;
  updatedByName: string | null;
  updatedAt: Date;
  version: number;
}

export interface MessageTemplateRepository {
  list(): Promise<StoredTemplate[]>;
  get(key: string): Promise<StoredTemplate | null>;
  /** Seeds the default wording; false when the key already has a row. */
  insertIfAbsent(template: { key: string; subject: string; body: string; at: Date }): Promise<boolean>;
  /** Saves new wording if the row is still at `expectedVersion`; null when someone else saved first. */
  update(
    key: string,
    change: { subject: string; body: string; updatedBy: string | null; at: Date; expectedVersion: number },
  ): Promise<StoredTemplate | null>;
}

/**
 * What mail needs inside a transaction. The project's `Repositories` gains `messageTemplates` and
 * `outbox`, so a use case passes its own `repos` and the message commits with its step.
 */
export interface MailRepositories {
  messageTemplates: MessageTemplateRepository;
  outbox: OutboxRepository;
  audit: AuditLog;
}

export interface MailUnitOfWork {
  run<T>(fn: (repos: MailRepositories) => Promise<T>): Promise<T>;
}

/** Queues a delivery job (pg-boss `mail-deliver` in production). */
export interface DeliveryQueue {
  enqueueDelivery(messageId: string): Promise<void>;
}

/** The part of pino mail uses. Only ids, template keys, states and error codes are ever logged. */
export interface MailLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}
