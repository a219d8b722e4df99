/** Inviting people, recording how and when the invitation went, and the letter and email to send. */
import type { FastifyInstance } from 'fastify';
import { copyPages } from './copies.ts';
import { interpreterNeedPage } from './interpreter-need.ts';
import { interpreterPage } from './interpreter.ts';
import { invitePage } from './invite.ts';
import { sentPage } from './sent.ts';
import type { InvitationServices } from './shared.ts';

export async function invitationPages(app: FastifyInstance, services: InvitationServices): Promise<void> {
  invitePage(app, services);
  interpreterPage(app, services);
  sentPage(app, services);
  interpreterNeedPage(app, services);
  copyPages(app, services);
}
