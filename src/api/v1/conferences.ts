/**
 * Conferences for integrations: convening, reading, invitations and their letters, and agencies'
 * reports, with the same use cases, access rules (every child in the conference) and audit trail as
 * the pages. Each area is in its own file under conferences/.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from './index.ts';
import { choicesApi } from './conferences/choices.ts';
import { conveningApi } from './conferences/convening.ts';
import { invitationsApi } from './conferences/invitations.ts';
import { reportsApi } from './conferences/reports.ts';

export async function conferencesApi(app: FastifyInstance, opts: ApiOptions): Promise<void> {
  await conveningApi(app, opts);
  await choicesApi(app, opts);
  await invitationsApi(app, opts);
  await reportsApi(app, opts);
}
