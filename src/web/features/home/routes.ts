import type { FastifyInstance } from 'fastify';
import type { FeatureOptions } from '../index.ts';

export async function homeRoutes(app: FastifyInstance, _opts: FeatureOptions): Promise<void> {
  app.get('/', { config: { access: 'signed-in' } }, async (_request, reply) =>
    reply.view('home/home.njk', { title: 'Home' }),
  );
  app.get('/accessibility', { config: { access: 'public' } }, async (_request, reply) =>
    reply.view('home/accessibility.njk', { title: 'Accessibility statement' }),
  );
}
