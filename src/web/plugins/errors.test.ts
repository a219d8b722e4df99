import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConflictError, DomainError } from '../../domain/shared/errors.ts';
import { createTestServices, type TestContext } from '../../../test/support/services.ts';
import { buildApp } from '../app.ts';
import { recordPathOf } from './errors.ts';

const CONFERENCE = '0b6f3d2e-4a51-4c8e-9f0a-3e2d1c4b5a69';

// A rule no page caught: people get a page saying what it was and the way back; the API keeps its JSON shape.
describe('a domain rule that reaches the error handler', () => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestServices('pglite');
    app = await buildApp(ctx.services, { logger: false });
    const closed = () => {
      throw new DomainError(
        'CONFERENCE_CLOSED',
        'This conference is held: its invitations and reports can no longer be changed',
      );
    };
    app.get('/conferences/:id/rule-check', { config: { access: 'public' } }, closed);
    app.get('/conferences/:id/conflict-check', { config: { access: 'public' } }, () => {
      throw new ConflictError('This report was already recorded as shared on 2 March 2026', 'sharedOn');
    });
    app.get('/api/v1/rule-check', { config: { access: 'public' } }, closed);
    const numbered = { schema: { querystring: z.object({ n: z.coerce.number().int() }) } };
    app.get('/conferences/:id/schema-check', { config: { access: 'public' }, ...numbered }, () => 'ok');
    app.get('/api/v1/schema-check', { config: { access: 'public' }, ...numbered }, () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('answers a page with an HTML page naming the rule and linking back to the record, never JSON', async () => {
    const res = await app.inject({ method: 'GET', url: `/conferences/${CONFERENCE}/rule-check` });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<h1 class="govuk-heading-l">This cannot be done</h1>');
    expect(res.body).toContain('This conference is held: its invitations and reports can no longer be changed');
    expect(res.body).toContain(`href="/conferences/${CONFERENCE}">Go back to the record</a>`);
    expect(res.body).not.toContain('"error"');

    const conflict = await app.inject({ method: 'GET', url: `/conferences/${CONFERENCE}/conflict-check` });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers['content-type']).toMatch(/^text\/html/);
    expect(conflict.body).toContain('This report was already recorded as shared on 2 March 2026');
  });

  it('keeps the JSON error shape for the API', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/rule-check' });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({
      error: 'conference_closed',
      message: 'This conference is held: its invitations and reports can no longer be changed',
    });
  });

  it('answers a request a page’s schema refuses with a page, and the API with its JSON', async () => {
    const page = await app.inject({ method: 'GET', url: `/conferences/${CONFERENCE}/schema-check?n=x` });
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).not.toContain('invalid_request');
    const api = await app.inject({ method: 'GET', url: '/api/v1/schema-check?n=x' });
    expect(api.statusCode).toBe(400);
    expect(api.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('links back to the record a path is about, else the start', () => {
    expect(recordPathOf(`/conferences/${CONFERENCE.toUpperCase()}/reports`)).toBe(`/conferences/${CONFERENCE}`);
    expect(recordPathOf(`/conferences/${CONFERENCE}/reports/new`)).toBe(`/conferences/${CONFERENCE}`);
    expect(recordPathOf(`/children/${CONFERENCE}?tab=x`)).toBe(`/children/${CONFERENCE}`);
    expect(recordPathOf(`/conferences/${CONFERENCE}x/reports`)).toBe('/');
    expect(recordPathOf('/conferences/new/check')).toBe('/');
  });
});
