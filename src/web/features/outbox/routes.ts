/**
 * Administrators' pages for email: the outbox (every message, its state and attempts; one message's
 * text, audited when opened) and the wording of each email, edited with a preview and checked placeholders.
 */
import type { FastifyInstance } from 'fastify';
import type { MailService } from '../../../app/mail/mail-service.ts';
import { messagePages } from './messages.ts';
import { templatePages } from './templates.ts';

export interface OutboxRoutesOptions {
  mail: MailService;
}

export async function outboxRoutes(app: FastifyInstance, { mail }: OutboxRoutesOptions): Promise<void> {
  messagePages(app, { mail });
  templatePages(app, { mail });
}
