import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, createTestServices } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

describe('OpenAPI document', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const routes: Array<{ method: string; url: string }> = [];
  beforeAll(async () => {
    ctx = await createTestServices('pglite');
    app = await testApp(ctx, (r) => {
      for (const method of [r.method].flat())
        if (r.url.startsWith('/api/v1/') && method !== 'HEAD') routes.push({ method, url: r.url });
    });
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('is public and lists every API route with its responses', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const documented = routes.filter((r) => r.url !== '/api/v1/openapi.json');
    expect(documented.length).toBeGreaterThan(10);
    for (const r of documented) {
      const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${path} missing from the OpenAPI document`).toBeDefined();
      expect(Object.keys(op?.responses ?? {})).toContain('401');
    }
  });

  it('documents the JSON API only: every path starts with /api/v1, and no page is listed', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !p.startsWith('/api/v1/'))).toEqual([]);
    // Pages with the same words as API routes (and the service's own) are not documented.
    for (const page of [
      '/sign-in',
      '/health',
      '/conferences/{id}/recordings',
      '/uploads/recordings',
      '/recordings/{rid}/audio',
    ])
      expect(doc.paths[page], page).toBeUndefined();
  });
});
