/**
 * The dashboards for integrations (a council's reporting, a chair's own tools): the same sections,
 * filters, access rule and audit as the page at /dashboard. Filters are non-personal query parameters.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CHILD_RECORD_ROLES } from '../../domain/access/child-access.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';
import { dashboardSchema, querystring } from './dashboards/schemas.ts';
import { dashboardOut } from './dashboards/mapping.ts';

export async function dashboardsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/dashboard',
    {
      config: { access: CHILD_RECORD_ROLES },
      schema: {
        operationId: 'DashboardService.view',
        summary: 'The timescales dashboard',
        description:
          'Upcoming conferences, overdue ones, reviews falling due (T-3), reports missing or not shared (T-5), each document a held or adjourned conference needs with its state against its own due date (T-6, T-7; listed until every one is issued), ' +
          'arrangements for recipients still to make (W-4), D-1 referrals and ended plans needing the T-9 meeting, core group meetings due soon or overdue (002 §3.7), lead social workers to appoint (team managers only), planned conferences with an interpreter need and no interpreter invited (chairs and business support only) and planned conferences in the next 10 working days whose chair has not recorded meeting the child and family beforehand (chairs only, 002 §4.1; `visibleSections` says which the caller sees). Only conferences where the caller may see every child are listed. ' +
          'Every due date names its rule and start date. Rows come in pages of at most 50 over every section shown (`page`; `paging` gives the total and the next and previous pages). Each call is audited with its filters, the number of rows and the ids of the conferences and children on the page. An unknown chair id is 422.',
        tags: ['dashboards'],
        querystring,
        response: {
          200: dashboardSchema,
          400: errorResponse,
          401: errorResponse,
          403: errorResponse,
          422: errorResponse,
        },
      },
    },
    async (request, reply) => {
      return withRules(reply, async () =>
        dashboardOut(await services.dashboards.view(request.actor!, request.query, requestContext(request))),
      );
    },
  );

  api.get(
    '/dashboard/chairs',
    {
      config: { access: CHILD_RECORD_ROLES },
      schema: {
        operationId: 'DashboardService.chairs',
        summary: 'The chairs the dashboard can be filtered by',
        description: 'Active accounts holding the chair role: each `id` is a value for the dashboard’s `chair` filter.',
        tags: ['dashboards'],
        response: {
          200: z.object({ chairs: z.array(z.object({ id: z.uuid(), name: z.string() })) }),
          401: errorResponse,
          403: errorResponse,
        },
      },
    },
    async () => ({ chairs: (await services.dashboards.chairs()).map((c) => ({ id: c.id, name: c.name })) }),
  );
}
