import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditLog } from '../../app/audit/audit-log.ts';
import type { Services } from '../../composition.ts';
import { accountsApi } from './accounts.ts';
import { childrenApi } from './children.ts';
import { conferenceChangesApi } from './conference-changes.ts';
import { conferenceMeetingApi } from './conference-meeting.ts';
import { conferencesApi } from './conferences.ts';
import { dashboardsApi } from './dashboards.ts';
import { deadlinesApi } from './deadlines.ts';
import { documentsApi } from './documents.ts';
import { amendmentsRoutes } from './documents/amendments.ts';
import { complaintsApi } from './complaints.ts';
import { recordingIncidentsApi } from './recording-incidents/index.ts';
import { recordingPermissionApi } from './recording-permission/index.ts';
import { participationApi } from './participation/index.ts';
import { planEndingsApi } from './plan-endings/index.ts';
import { conferenceRequestsApi } from './conference-requests/index.ts';
import { chairingApi } from './chairing/index.ts';
import { requestAdviceApi } from './requests/advice.ts';
import { coreGroupsApi } from './core-groups/index.ts';
import { recordingConsentApi } from './recording-consent/index.ts';
import { recordingsApi } from './recordings.ts';
import { requestsApi } from './requests.ts';
import { settingsApi } from './settings.ts';
import { retentionApi } from './retention/retention.ts';
import { errorResponse } from './schemas.ts';

export interface ApiOptions {
  services: Services;
  audit: AuditLog;
}

/** JSON API: bearer tokens only, every route with request and per-status response schemas. */
export async function apiV1(app: FastifyInstance, opts: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // The response schema is the allow-list of what may leave the server and the OpenAPI contract:
  // a JSON route without one fails at start-up.
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { response?: unknown; hide?: boolean } | undefined;
    if (!schema?.hide && !schema?.response)
      throw new Error(`API route ${route.method} ${route.url} declares no response schema`);
  });

  api.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  api.get(
    '/me',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'currentAccount',
        summary: 'The account the token belongs to',
        tags: ['accounts'],
        response: {
          200: z.object({ id: z.uuid(), name: z.string(), roles: z.array(z.string()) }),
          401: errorResponse,
        },
      },
    },
    async (request) => ({ id: request.actor!.id, name: request.actor!.name, roles: [...request.actor!.roles] }),
  );
  // Sub-plugins get { services, audit }, not opts: opts carries this plugin's own prefix.
  const sub = { services: opts.services, audit: opts.audit };
  await app.register(accountsApi, sub);
  await app.register(childrenApi, sub);
  await app.register(deadlinesApi, sub);
  await app.register(conferencesApi, sub);
  await app.register(conferenceChangesApi, sub);
  await app.register(conferenceMeetingApi, sub);
  await app.register(dashboardsApi, sub);
  await app.register(documentsApi, sub);
  await app.register(amendmentsRoutes, sub);
  await app.register(complaintsApi, sub);
  await app.register(recordingIncidentsApi, sub);
  await app.register(recordingPermissionApi, sub);
  await app.register(planEndingsApi, sub);
  await app.register(coreGroupsApi, sub);
  await app.register(conferenceRequestsApi, sub);
  await app.register(chairingApi, sub);
  await app.register(requestAdviceApi, sub);
  await app.register(recordingConsentApi, sub);
  await app.register(participationApi, sub);
  await app.register(recordingsApi, sub);
  await app.register(requestsApi, sub);
  await app.register(settingsApi, sub);
  await app.register(retentionApi, sub);
}
