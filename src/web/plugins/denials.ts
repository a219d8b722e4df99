import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditLog } from '../../app/audit/audit-log.ts';
import { parseId } from '../../domain/shared/ids.ts';

/** `/children/:id/family/:personId` → 'child': the record the route's first id names. */
export function subjectTypeOf(route: string, param: string): string {
  const parts = route.split('/');
  const i = parts.indexOf(`:${param}`);
  const segment = i > 0 ? parts[i - 1]! : 'record';
  if (segment === 'children') return 'child';
  if (segment === 'family') return 'person';
  return segment.endsWith('s') ? segment.slice(0, -1) : segment;
}

/**
 * Every "not found" answered to a signed-in person on a route that names records is audited as a
 * denial: a record id that does not belong to the record around it (a family member of another
 * child, a part of another conference) is answered 404 so nothing is disclosed, and is as much a
 * refused attempt as a 403. Routes throw NotFoundError, call the not-found handler or render the
 * not-found page themselves; all three end in a 404 answer, so the audit is taken there, before the
 * answer is sent. The entry names the ids only (never anything typed).
 */
export const denialsPlugin = fp(async (app: FastifyInstance, opts: { audit: AuditLog }) => {
  app.decorateRequest('routeIds', null);
  app.addHook('preHandler', async (request) => {
    const route = request.routeOptions.url;
    if (!route || !route.includes(':')) return;
    const ids: Array<[string, string]> = [];
    for (const [k, v] of Object.entries((request.params ?? {}) as Record<string, unknown>)) {
      const id = parseId(v);
      if (id) ids.push([k, id]);
    }
    if (ids.length) request.routeIds = { route: `${request.method} ${route}`, pattern: route, ids };
  });
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    if (reply.statusCode !== 404 || !request.actor || !request.routeIds) return payload;
    const { route, pattern, ids } = request.routeIds;
    const [param, id] = ids[0]!;
    await opts.audit.record({
      action: 'record.not_found',
      actor: { id: request.actor.id, label: request.actor.name },
      correlationId: request.id,
      subject: { type: subjectTypeOf(pattern, param), id },
      outcome: 'denied',
      details: {
        route,
        ids: Object.fromEntries(ids),
        reason: ids.length > 1 ? 'not found, or not part of the record around it' : 'not found',
      },
    });
    request.routeIds = null;
    return payload;
  });
});

declare module 'fastify' {
  interface FastifyRequest {
    /** The route and the record ids in its path, kept for auditing a 404 answer. */
    routeIds: { route: string; pattern: string; ids: Array<[string, string]> } | null;
  }
}
