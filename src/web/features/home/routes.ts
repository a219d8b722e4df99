import type { FastifyInstance } from 'fastify';

/** The start page and the accessibility statement: no service needed. */
export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', { config: { access: 'signed-in' } }, async (_request, reply) =>
    reply.view('home/home.njk', { title: 'Home' }),
  );
  app.get('/accessibility', { config: { access: 'public' } }, async (_request, reply) =>
    reply.view('home/accessibility.njk', { title: 'Accessibility statement' }),
  );
}
