/**
 * Administrators' pages for email: the outbox (every message, its state and attempts; one message's
 * text, audited when opened) and the wording of each email and of letters, edited with a preview and checked
 * placeholders.
 */
import type { FastifyInstance } from 'fastify';
import type { LetterWordingService } from '../../../app/documents/letter-wording-service.ts';
import type { MailService } from '../../../app/mail/mail-service.ts';
import { letterPages } from './letters.ts';
import { messagePages } from './messages.ts';
import { templatePages } from './templates.ts';

export interface OutboxRoutesOptions {
  mail: MailService;
  letterWording: LetterWordingService;
}

export async function outboxRoutes(app: FastifyInstance, { mail, letterWording }: OutboxRoutesOptions): Promise<void> {
  messagePages(app, { mail });
  templatePages(app, { mail });
  letterPages(app, { letterWording });
}
