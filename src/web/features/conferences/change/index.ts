/**
 * Changing the date, time or venue of a planned conference, cancelling it (each with check your
 * answers before it is confirmed), sending everyone's invitations by email or recording them as
 * posted, and recording a conference held without being booked. Every page checks access to the
 * conference in its use case; every form carries the CSRF token.
 */
import type { FastifyInstance } from 'fastify';
import { afterwardsPage } from './afterwards.ts';
import { cancelPages } from './cancel.ts';
import { rearrangePages } from './rearrange.ts';
import { sendPages } from './send.ts';
import type { ChangeServices } from './shared.ts';

export type { ChangeServices };

export async function changePages(app: FastifyInstance, services: ChangeServices): Promise<void> {
  afterwardsPage(app, services);
  rearrangePages(app, services);
  cancelPages(app, services);
  sendPages(app, services);
}
