/** The person part-way through signing in: password given, second factor not yet. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safePath } from '../../plugins/auth.ts';

export interface Pending {
  userId: string;
  sessionToken: string;
}

/** The waiting session, or a redirect: home if already signed in, the sign-in page if nothing is waiting. */
export function pendingOf(request: FastifyRequest, reply: FastifyReply): Pending | FastifyReply {
  if (request.actor) return reply.redirect('/', 303);
  if (!request.secondFactorUserId || !request.sessionToken) return reply.redirect('/sign-in', 303);
  return { userId: request.secondFactorUserId, sessionToken: request.sessionToken };
}

export function isPending(p: Pending | FastifyReply): p is Pending {
  return typeof (p as Pending).userId === 'string';
}

/** The page asked for before signing in, carried through the second factor's pages (same-site paths only). */
export function returnToOf(request: FastifyRequest): string {
  const q = request.query as { returnTo?: unknown };
  const b = request.body as { returnTo?: unknown } | undefined;
  const v = typeof b?.returnTo === 'string' ? b.returnTo : typeof q.returnTo === 'string' ? q.returnTo : undefined;
  return safePath(v);
}

/** Who is asking, for the audit trail, while there is no actor yet. */
export function pendingContext(request: FastifyRequest, userId: string) {
  return { actor: { id: userId, label: 'signing in' }, correlationId: request.id };
}

/** The browser's passkey answer, posted as JSON text in a form field; null when it is not JSON. */
export function parseJsonField(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
