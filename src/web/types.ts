import type { Actor, Role } from '../domain/access/roles.ts';

/** Who may use a route. Every route must declare one: there is no default but deny. */
export type RouteAccess = 'public' | 'signed-in' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** What a page's refusal by `access` says instead of the generic words: who may use it (no rule IDs). */
    deniedMessage?: string;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The raw session token from the cookie (never logged), when signed in with a session. */
    sessionToken: string | null;
    authMethod: 'session' | 'token' | null;
  }
  interface FastifyReply {
    view(template: string, context?: Record<string, unknown>): Promise<string>;
  }
}

export interface FormError {
  text: string;
  href: string;
}
