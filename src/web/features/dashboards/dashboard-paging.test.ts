/**
 * Dashboards at a council's size: a view loads and classifies only the sections it shows, lists at most 50 rows a
 * page, runs the same number of statements at 10 conferences and at 500, and its audit entry holds the filters, the
 * number of rows and the ids on the page only. The page's pagination is plain links (no JavaScript needed).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../../composition.ts';
import type { Actor, Role } from '../../../domain/access/roles.ts';
import { dashboardSectionsFor } from '../../../domain/conferences/dashboard.ts';
import { auditEvents } from '../../../infra/db/schema.ts';
import { countingServices, DashboardFixtures, type QueryCounter } from '../../../../test/support/dashboard-fixtures.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp } from '../../../../test/support/web.ts';

async function make(services: Services, name: string, roles: Role[]): Promise<Actor> {
  const u = await services.accounts.createUser(
    { email: `${name.replace(/\W+/g, '.')}@example.gov.uk`, name, roles, password: 'correct horse battery staple' },
    { actor: { id: null, label: 'test' } },
  );
  return { id: u.id, name: u.name, roles: u.roles };
}

const VIEWS: Array<[string, Record<string, string>, 'support' | 'chair']> = [
  ['every section', {}, 'support'],
  ['every section, page 2', { page: '2' }, 'support'],
  ['overdue only', { section: 'overdue' }, 'support'],
  ['upcoming, on track', { section: 'upcoming', status: 'on-track' }, 'support'],
  ['a chair’s own', {}, 'chair'],
  // Each section on its own, as business support sees them.
  ...dashboardSectionsFor(['business_support']).map((section): [string, Record<string, string>, 'support'] => [
    `${section} only`,
    { section },
    'support',
  ]),
];

describe('dashboard pages stay flat as conferences grow', () => {
  let run: Awaited<ReturnType<typeof countingServices>>;
  let services: Services;
  let counter: QueryCounter;
  let support: Actor;
  let chair: Actor;

  beforeAll(async () => {
    run = await countingServices();
    ({ services, counter } = run);
  }, 180_000);
  afterAll(async () => {
    await run.dispose();
  });

  interface Measured {
    statements: number;
    shown: number;
    total: number;
    page: number;
    /** T-6 / T-7: records-due rows on the page are loaded in full by name, a fixed few statements more. */
    recordsDueShown: boolean;
  }
  const once = async (
    actor: Actor,
    request: Record<string, string>,
  ): Promise<Measured & { recordsDuePage: number }> => {
    counter.reset();
    const view = await services.dashboards.view(actor, request, { actor: { id: actor.id, label: actor.name } });
    return {
      statements: counter.count,
      shown: view.sections.reduce((n, s) => n + s.items.length, 0),
      total: view.paging.total,
      page: view.paging.page,
      recordsDueShown: view.sections.some((s) => s.key === 'records-due' && s.items.length > 0),
      // The page where records due's first row lands, after every row of the sections before it.
      recordsDuePage: (() => {
        const at = view.sections.findIndex((x) => x.key === 'records-due');
        if (at < 0 || view.sections[at]!.total === 0) return view.paging.page;
        return Math.floor(view.sections.slice(0, at).reduce((n, x) => n + x.total, 0) / 50) + 1;
      })(),
    };
  };
  // Each view's first page, and the page where its records-due rows begin (past the first on a large council's).
  const measure = async () => {
    const out: Record<string, { first: Measured; recordsDue: Measured }> = {};
    for (const [label, request, who] of VIEWS) {
      const actor = who === 'chair' ? chair : support;
      const { recordsDuePage, ...first } = await once(actor, request);
      const { recordsDuePage: _, ...recordsDue } =
        recordsDuePage !== first.page
          ? await once(actor, { ...request, page: String(recordsDuePage) })
          : { ...first, recordsDuePage };
      out[label] = { first, recordsDue };
    }
    return out;
  };
  /** The page of a view with the same composition (records-due rows shown or not) as the page given. */
  const alike = (pages: { first: Measured; recordsDue: Measured }, like: Measured) =>
    [pages.first, pages.recordsDue].find((p) => p.recordsDueShown === like.recordsDueShown);

  it('runs the same statements per page for 10 conferences and for 500, with at most 50 rows a page', async () => {
    const chairs = [await make(services, 'Chair One', ['chair']), await make(services, 'Chair Two', ['chair'])];
    const socialWorkers = [
      await make(services, 'Worker One', ['social_worker']),
      await make(services, 'Worker Two', ['social_worker']),
    ];
    support = await make(services, 'Support One', ['business_support']);
    chair = chairs[0]!;
    const fx = new DashboardFixtures(services);
    const today = services.dashboards.today();

    await fx.bulk(10, today, { chairs, socialWorkers });
    const small = await measure();
    await fx.bulk(240, today, { chairs, socialWorkers });
    const middle = await measure();
    await fx.bulk(250, today, { chairs, socialWorkers });
    const large = await measure();

    // The whole dashboard's ceiling, measured on a page that holds records-due rows (29: the rows a page shows of
    // records due are loaded by name, T-6 / T-7), and one more for a chair's view (the chair filter's list of chairs).
    const CEILING = 30;
    for (const [label] of VIEWS) {
      for (const which of ['first', 'recordsDue'] as const) {
        // No statement per conference, per row or per page: the count does not move as the rows grow.
        expect(large[label]![which].statements, `${label}, ${which} page`).toBe(middle[label]![which].statements);
        expect(large[label]![which].statements, label).toBeLessThanOrEqual(CEILING);
        expect(large[label]![which].shown, label).toBeLessThanOrEqual(50);
      }
      // A small council's page runs no more statements than a large council's page of the same composition (a small
      // dashboard may skip a read with nothing to look up).
      const peer = alike(large[label]!, small[label]!.first);
      expect(peer, `${label}: a large council's page like the small one's`).toBeDefined();
      expect(small[label]!.first.statements, label).toBeLessThanOrEqual(peer!.statements);
    }
    const every = large['every section']!;
    expect(every.first.total).toBeGreaterThan(small['every section']!.first.total * 10);
    expect(every.first.shown).toBe(50);
    expect(every.recordsDue.recordsDueShown).toBe(true);
    expect(every.recordsDue.page).toBeGreaterThan(1);
    expect(large['every section, page 2']!.first.page).toBe(2);
    // A view of one section runs fewer statements than the whole dashboard (only what it classifies is loaded).
    expect(large['overdue only']!.first.statements).toBeLessThan(every.first.statements);
    for (const section of dashboardSectionsFor(['business_support'])) {
      const one = large[`${section} only`]!.first;
      expect(one.statements, section).toBeLessThanOrEqual(alike(every, one)!.statements);
    }
  }, 360_000);

  it('audits the filters, the number of rows and the ids shown on the page, not every id', async () => {
    const ctx = { actor: { id: support.id, label: support.name } };
    const view = await services.dashboards.view(support, { page: '2' }, ctx);
    const [row] = (
      await services.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'dashboard.view'))
    ).slice(-1);
    const details = row!.details as Record<string, unknown>;
    const shown = view.sections.flatMap((s) => s.items);
    expect(details['filters']).toEqual({ section: null, chair: 'all', status: null, type: null, page: 2 });
    expect(details['total']).toBe(view.paging.total);
    expect(details['itemCount']).toBe(shown.length);
    expect(details['conferenceIds']).toEqual([...new Set(shown.map((i) => i.conference.id))].sort());
    expect(details['childIds']).toEqual(
      [...new Set(shown.flatMap((i) => i.conference.children.map((c) => c.id)))].sort(),
    );
    expect((details['conferenceIds'] as string[]).length).toBeLessThanOrEqual(50);
    expect(view.paging.total).toBeGreaterThan(200);
    // Small whatever the number of conferences: tens of ids, not hundreds.
    expect(JSON.stringify(details).length).toBeLessThan(8_000);
  });

  it('the next page starts where this one ends; a page after the last shows the last', async () => {
    const ctx = { actor: { id: support.id, label: support.name } };
    const keys = async (page: string) =>
      (await services.dashboards.view(support, { section: 'upcoming', page }, ctx)).sections[0]!.items.map(
        (i) => i.key,
      );
    const first = await keys('1');
    const second = await keys('2');
    expect(first).toHaveLength(50);
    expect(second.some((k) => first.includes(k))).toBe(false);
    const { paging } = await services.dashboards.view(support, { section: 'upcoming', page: '9999' }, ctx);
    expect(paging.page).toBe(paging.pageCount);
    await expect(services.dashboards.view(support, { page: 'two' }, ctx)).rejects.toThrow();
  });
});

describe.each(testDatabases())('dashboard pagination on the page and in the API (%s)', (kind) => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
  });
  afterAll(async () => {
    await ctx.services.close();
  });

  it('pages of 50 rows linked with GOV.UK pagination, and the API gives the total and next and previous pages', async () => {
    const { services } = ctx;
    const chairs = [await make(services, 'Paging Chair', ['chair'])];
    const socialWorkers = [await make(services, 'Paging Worker', ['social_worker'])];
    await new DashboardFixtures(services).bulk(120, services.dashboards.today(), { chairs, socialWorkers });
    const app = await testApp(ctx);
    try {
      const { client, userId } = await signedInClient(ctx, app, {
        email: 'paging.support@example.gov.uk',
        name: 'Paging Support',
        roles: ['business_support'],
      });
      // Every section: 50 rows a page over all of them, and links to the other pages that need no script.
      const first = await client.get('/dashboard');
      expect(first.statusCode).toBe(200);
      expect((first.body.match(/<tr class="govuk-table__row" data-item=/g) ?? []).length).toBe(50);
      expect(first.body).toContain('class="govuk-pagination');
      expect(first.body).toContain('href="/dashboard?page=2"');
      const second = await client.get('/dashboard?page=2');
      expect(second.body).toContain('Showing rows 51 to');
      expect(second.body).toContain('href="/dashboard"');

      const token = (
        await services.accounts.createApiToken(userId, 'test', null, { actor: { id: userId, label: 't' } })
      ).token;
      const api = async (url: string) =>
        (await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).json();
      type Body = {
        sections: Array<{ total: number; items: Array<{ key: string }> }>;
        paging: Record<string, unknown>;
      };
      const keysOf = (b: Body) => b.sections.flatMap((s) => s.items.map((i) => i.key));
      const body: Body = await api('/api/v1/dashboard');
      expect(keysOf(body)).toHaveLength(50);
      expect(body.paging).toMatchObject({ page: 1, pageSize: 50, prev: null });
      expect(body.paging['total']).toBe(body.sections.reduce((n, s) => n + s.total, 0));
      expect(body.paging['next']).toBe('/api/v1/dashboard?chair=all&page=2');
      const next: Body = await api(String(body.paging['next']));
      expect(next.paging['prev']).toBe('/api/v1/dashboard?chair=all&page=1');
      expect(keysOf(next).some((k) => keysOf(body).includes(k))).toBe(false);
    } finally {
      await app.close();
    }
  }, 120_000);
});
