import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../../domain/access/roles.ts';
import { documentDrafts } from '../../../infra/db/documents-schema.ts';
import { auditEvents } from '../../../infra/db/schema.ts';
import type { DocumentKind } from '../../../domain/documents/model.ts';
import { countingServices, d, DashboardFixtures } from '../../../../test/support/dashboard-fixtures.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { emailOf, staff } from '../../../../test/support/people.ts';

/** The item keys on the page, section by section (rows carry `data-item="section:id"`). */
function pageItems(html: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of html.matchAll(/data-item="([a-z-]+):([^"]+)"/g)) (out[m[1]!] ??= []).push(`${m[1]}:${m[2]}`);
  return out;
}

/** The conferences listed anywhere on the page. */
function pageConferences(html: string): string[] {
  return [...new Set([...html.matchAll(/data-conference="([^"]+)"/g)].map((m) => m[1]!))].sort();
}

/** The row of a table on the page for an item, with tags stripped and spaces collapsed. */
function rowText(html: string, key: string): string {
  const start = html.indexOf(`data-item="${key}"`);
  if (start < 0) throw new Error(`no row ${key}`);
  const end = html.indexOf('</tr>', start);
  return html
    .slice(start, end)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ');
}

describe.each(testDatabases())('dashboards (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let fx: DashboardFixtures;
  let support: Actor;
  let chairA: Actor;
  let chairB: Actor;
  let sam: Actor;
  let olu: Actor;
  let auditor: Actor;
  const clients = new Map<string, WebClient>();
  const c: Record<string, string> = {};
  const kids: Record<string, string> = {};

  const clientFor = async (actor: Actor) => {
    const existing = clients.get(actor.id);
    if (existing) return existing;
    const { client } = await signedInClient(ctx, app, {
      email: emailOf(actor),
      name: actor.name,
      roles: [...actor.roles],
    });
    clients.set(actor.id, client);
    return client;
  };
  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;
  const api = (url: string, token: string | null) =>
    app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    ctx.clock.current = new Date('2026-03-02T09:00:00Z'); // Monday 2 March 2026
    app = await testApp(ctx);
    fx = new DashboardFixtures(ctx.services);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    chairA = await staff(ctx, 'Cal Chair', ['chair']);
    chairB = await staff(ctx, 'Dee Chair', ['chair']);
    sam = await staff(ctx, 'Sam Worker', ['social_worker']);
    olu = await staff(ctx, 'Olu Worker', ['social_worker']);
    auditor = await staff(ctx, 'Aud Itor', ['auditor']);

    kids['ava'] = await fx.child({ givenNames: 'Ava', familyName: 'Stone', allocatedSocialWorkerId: sam.id });
    kids['ben'] = await fx.child({ givenNames: 'Ben', familyName: 'Stone', allocatedSocialWorkerId: olu.id });
    kids['cara'] = await fx.child({ givenNames: 'Cara', familyName: 'Late', allocatedSocialWorkerId: sam.id });
    kids['dan'] = await fx.child({
      givenNames: 'Dan',
      familyName: 'Hidden',
      allocatedSocialWorkerId: olu.id,
      restricted: true,
    });
    kids['eve'] = await fx.child({ givenNames: 'Eve', familyName: 'Review', allocatedSocialWorkerId: sam.id });
    kids['fin'] = await fx.child({ givenNames: 'Fin', familyName: 'Reports', allocatedSocialWorkerId: sam.id });
    kids['gus'] = await fx.child({ givenNames: 'Gus', familyName: 'Ended', allocatedSocialWorkerId: olu.id });
    kids['hal'] = await fx.child({ givenNames: 'Hal', familyName: 'Dissent', allocatedSocialWorkerId: olu.id });

    // T-1: strategy discussion 2 February, due 23 February, planned for 4 March: overdue, no agreement.
    c['late'] = await fx.conference({
      scheduledDate: '2026-03-04',
      strategyDiscussionDate: '2026-02-02',
      chairUserId: chairA.id,
      childIds: [kids['cara']!],
    });
    // A sibling group: Ben is not Sam's.
    c['siblings'] = await fx.conference({
      scheduledDate: '2026-03-10',
      strategyDiscussionDate: '2026-02-23',
      chairUserId: chairB.id,
      childIds: [kids['ava']!, kids['ben']!],
    });
    // A restricted child: seen by Olu (allocated) only.
    c['restricted'] = await fx.conference({
      scheduledDate: '2026-03-12',
      strategyDiscussionDate: '2026-02-25',
      chairUserId: chairA.id,
      childIds: [kids['dan']!],
    });
    // T-3: an initial conference on 8 December 2025 with a plan due for review on 5 March.
    c['icpc'] = await fx.conference({
      status: 'held',
      scheduledDate: '2025-12-08',
      strategyDiscussionDate: '2025-11-20',
      chairUserId: chairB.id,
      childIds: [kids['eve']!],
    });
    await fx.decision(c['icpc'], kids['eve']!, 'plan-needed');
    await fx.plan(c['icpc'], kids['eve']!, { nextReviewDate: '2026-03-05' });
    // Its written record was issued long ago (T-6, T-7), so it is not among the records due.
    await fx.issueAll(c['icpc'], [
      'decision-letter',
      'plan-and-core-group-letter',
      'chairs-summary',
      'conference-record',
    ]);
    // T-5: reports for a conference on 10 March (share by 5 March).
    c['reports'] = await fx.conference({
      type: 'transfer-in',
      scheduledDate: '2026-03-10',
      startTime: '14:00',
      noticeOfMoveDate: '2026-02-24',
      chairUserId: chairA.id,
      childIds: [kids['fin']!],
    });
    const school = await fx.agency('Hillside Primary', 'school');
    const police = await fx.agency('County Police', 'police');
    const gp = await fx.agency('Market Street Surgery', 'gp');
    const interpreting = await fx.agency('Language Line', 'other');
    for (const a of [school, police, gp]) await fx.invite(c['reports'], a);
    await fx.invite(c['reports'], interpreting, 'interpreter');
    await fx.report(c['reports'], school);
    await fx.report(c['reports'], police);
    // T-9: a review on 20 February ended Gus's plan.
    const prior = await fx.conference({
      status: 'held',
      scheduledDate: '2025-08-20',
      strategyDiscussionDate: '2025-08-01',
      chairUserId: chairB.id,
      childIds: [kids['gus']!],
    });
    await fx.issueAll(prior, ['decision-letter', 'chairs-summary', 'conference-record']);
    c['ended'] = await fx.conference({
      type: 'review',
      status: 'held',
      scheduledDate: '2026-02-20',
      previousConferenceId: prior,
      chairUserId: chairB.id,
      childIds: [kids['gus']!],
    });
    await fx.decision(c['ended'], kids['gus']!, 'plan-ends');
    // D-1: two agencies dissented on 16 February; referred, not yet reviewed.
    c['dissent'] = await fx.conference({
      status: 'held',
      scheduledDate: '2026-02-16',
      strategyDiscussionDate: '2026-01-28',
      chairUserId: chairA.id,
      childIds: [kids['hal']!],
    });
    const decision = await fx.decision(c['dissent'], kids['hal']!, 'plan-needed', { referral: true });
    await fx.referral(decision, { referredOn: '2026-02-17' });
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('business support see every section, with each due date’s rule and start date, and nothing about a restricted child', async () => {
    const client = await clientFor(support);
    const res = await client.get('/dashboard');
    expect(res.statusCode).toBe(200);
    const items = pageItems(res.body);
    expect(items['upcoming']).toEqual([
      `upcoming:${c['late']}`,
      `upcoming:${c['siblings']}`,
      `upcoming:${c['reports']}`,
    ]);
    expect(items['overdue']).toEqual([`overdue:${c['late']}`]);
    expect(items['reviews-due']).toEqual([`reviews-due:${c['icpc']}`]);
    expect(items['missing-reports']).toEqual([`missing-reports:${c['reports']}`]);
    expect(items['plan-ended']).toEqual([`plan-ended:${c['ended']}`]);
    expect(items['dissent']?.length).toBe(1);
    expect(items['records-due']).toEqual([`records-due:${c['dissent']}`, `records-due:${c['ended']}`]);
    expect(res.body).not.toContain('Dan');

    const overdue = rowText(res.body, `overdue:${c['late']}`);
    expect(overdue).toContain('Overdue');
    expect(overdue).toContain('Due 23 February 2026 — 15 working days from the strategy discussion on 2 February 2026');
    expect(overdue).toContain('No late agreement recorded');
    expect(rowText(res.body, `reviews-due:${c['icpc']}`)).toContain(
      'Due 6 March 2026 — 90 days from the initial conference on 8 December 2025',
    );
    const reports = rowText(res.body, `missing-reports:${c['reports']}`);
    expect(reports).toMatch(/No report from: Market Street Surgery/);
    expect(reports).toMatch(/Not shared with the family in time: Hillside Primary .* \(not shared yet\)/);
    expect(reports).not.toContain('County Police'); // police reports are not checked for sharing
    expect(reports).not.toContain('Language Line'); // an interpreter writes no report
    expect(reports).toContain('Due 5 March 2026 — 3 working days before the conference on 10 March 2026');
    expect(rowText(res.body, `plan-ended:${c['ended']}`)).toContain(
      '10 working days from the end of the plan at the conference on 20 February 2026',
    );
    expect(res.body).toContain('Awaiting review');
    // T-6: nothing written yet for the review on 20 February: its decision letter was due on 23 February.
    expect(rowText(res.body, `records-due:${c['ended']}`)).toContain(
      'Decision letter Not started Overdue Due 23 February 2026 — by the next working day after the conference on 20 February 2026',
    );
  });

  it('child names are shown but never put in a URL', async () => {
    const client = await clientFor(support);
    const res = await client.get('/dashboard');
    const hrefs = [...res.body.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(10);
    for (const name of ['Ava', 'Stone', 'Cara', 'Eve', 'Fin', 'Gus', 'Hal']) {
      expect(res.body).toContain(name);
      expect(hrefs.filter((h) => h.includes(name))).toEqual([]);
    }
    expect(hrefs).toContain(`/children/${kids['eve']}`);
  });

  it('a social worker sees only conferences for their allocated children; a sibling group with one child they cannot see is left out', async () => {
    const samConferences = pageConferences((await (await clientFor(sam)).get('/dashboard')).body);
    expect(samConferences).toEqual([c['late'], c['icpc'], c['reports']].sort());

    const oluConferences = new Set(pageConferences((await (await clientFor(olu)).get('/dashboard')).body));
    // Olu sees the restricted child allocated to them, but not the sibling group with Sam's Ava.
    expect(oluConferences.has(c['restricted']!)).toBe(true);
    expect(oluConferences.has(c['siblings']!)).toBe(false);
    expect(oluConferences.has(c['ended']!)).toBe(true);
  });

  it('a chair sees the conferences they chair by default, and can switch to the whole list', async () => {
    const client = await clientFor(chairA);
    const mine = await client.get('/dashboard');
    expect(pageConferences(mine.body)).toEqual([c['late'], c['reports'], c['dissent']].sort());
    // The heading once, not again as a link; the link goes to the other view.
    const main = mine.body.slice(mine.body.indexOf('<main'));
    expect(main.match(/Conferences you chair/g)).toHaveLength(1);
    expect(main).toContain('<h1 class="govuk-heading-l">Conferences you chair</h1>');
    expect(main).toContain('<a class="govuk-link" href="/dashboard?chair=all">Show all conferences</a>');

    const all = await client.get('/dashboard?chair=all');
    expect(all.body).toContain('<h1 class="govuk-heading-l">All conferences</h1>');
    expect(all.body.slice(all.body.indexOf('<main')).match(/All conferences/g)).toHaveLength(1);
    expect(all.body).toContain('<a class="govuk-link" href="/dashboard">Show only the conferences you chair</a>');
    const allIds = new Set(pageConferences(all.body));
    expect(allIds.has(c['siblings']!)).toBe(true);
    expect(allIds.has(c['restricted']!)).toBe(false); // chairs see restricted records only when named

    const other = await client.get(`/dashboard?chair=${chairB.id}`);
    expect(other.body).toContain('Conferences chaired by Dee Chair');
    expect(pageConferences(other.body)).toEqual([c['siblings'], c['icpc'], c['ended']].sort());
  });

  it('filters by section, status and type through the query string, and keeps them in the form', async () => {
    const client = await clientFor(support);
    const overdue = await client.get('/dashboard?section=overdue');
    expect(Object.keys(pageItems(overdue.body))).toEqual(['overdue']);
    expect(overdue.body).toContain('<option value="overdue" selected>');
    expect(overdue.body).toContain('Show every section');

    const red = pageItems((await client.get('/dashboard?status=overdue')).body);
    expect(red['overdue']).toEqual([`overdue:${c['late']}`]);
    expect(red['upcoming']).toEqual([`upcoming:${c['late']}`]);
    expect(red['dissent']).toBeUndefined(); // awaiting review has no RAG status

    const reviews = pageItems((await client.get('/dashboard?type=review')).body);
    expect(Object.values(reviews).flat().sort()).toEqual(
      [`plan-ended:${c['ended']}`, `records-due:${c['ended']}`, `reviews-due:${c['icpc']}`].sort(),
    );

    const transfer = pageItems((await client.get('/dashboard?type=transfer-in&section=missing-reports')).body);
    expect(transfer).toEqual({ 'missing-reports': [`missing-reports:${c['reports']}`] });
  });

  it('links each row to its conference, named for screen readers by its date and children', async () => {
    const html = (await (await clientFor(support)).get('/dashboard')).body;
    for (const m of html.matchAll(
      /<tr class="govuk-table__row" data-item="[^"]+" data-conference="([^"]+)">([\s\S]*?)<\/tr>/g,
    )) {
      expect(m[2]).toContain(`<a class="govuk-link" href="/conferences/${m[1]}">`);
    }
    expect(rowText(html, `overdue:${c['late']}`)).toContain(
      'Initial child protection conference on 4 March 2026 for Cara Late',
    );
    expect(html).toContain(
      `href="/conferences/${c['late']}">Initial child protection conference<span class="govuk-visually-hidden"> on 4 March 2026 for Cara Late</span></a>`,
    );
  });

  it('a filter that is not one of the choices is a 400 with the problem shown against its field', async () => {
    const client = await clientFor(support);
    const res = await client.get('/dashboard?section=everything&status=purple');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>Error: ');
    expect(res.body).toContain('href="#section">Select a section from the list');
    expect(res.body).toContain('href="#status">Select overdue, due soon or on track');
    expect(pageItems(res.body)).toEqual({});
    expect((await client.get('/dashboard?chair=00000000-0000-4000-8000-000000000000')).statusCode).toBe(400);
  });

  it('a page number that is not a whole number is a 400 whose error links to what is on the page, not to a missing field', async () => {
    const client = await clientFor(support);
    const res = await client.get('/dashboard?page=two');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>Error: ');
    expect(res.body).toContain('href="#page-problem">Page must be a whole number, 1 or more');
    // Every link in the error summary goes to an element that is on the page.
    const summary = res.body.match(/class="govuk-error-summary[\s\S]*?<\/ul>/)?.[0] ?? '';
    const targets = [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(targets).toEqual(['page-problem']);
    for (const id of targets) expect(res.body).toContain(`id="${id}"`);
    expect(res.body).not.toContain('href="#page"');
    expect(res.body).toContain('<a class="govuk-link" href="/dashboard">Go to the first page of the dashboard</a>');
    // A filter problem keeps pointing at its field, and the paragraph is not shown for it.
    const filter = await client.get('/dashboard?section=everything');
    expect(filter.body).not.toContain('id="page-problem"');
  });

  it('roles without children’s records get 403; every view is audited with the ids of the children listed', async () => {
    const client = await clientFor(auditor);
    expect((await client.get('/dashboard')).statusCode).toBe(403);

    await (await clientFor(sam)).get('/dashboard?section=upcoming');
    const rows = await ctx.services.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'dashboard.view'));
    const last = rows.filter((r) => r.actorUserId === sam.id).at(-1)!;
    expect(last.outcome).toBe('success');
    expect(last.details).toMatchObject({
      filters: { section: 'upcoming', chair: 'all', status: null, type: null },
      childIds: [kids['cara'], kids['fin']].sort(),
    });
    expect(JSON.stringify(last.details)).not.toContain('Cara');
  });

  it('takes “today” from the service clock, as a date in England', async () => {
    const token = await tokenFor(support);
    const reviewOf = async () => {
      const body = (await api('/api/v1/dashboard?section=reviews-due', token)).json();
      return { today: body.today, item: body.sections[0].items[0] };
    };
    try {
      ctx.clock.current = new Date('2026-03-05T10:00:00Z');
      const thursday = await reviewOf();
      expect(thursday.today).toBe('2026-03-05');
      expect(thursday.item.due).toMatchObject({ due: '2026-03-06', status: 'due-soon', workingDaysLeft: 1 });
      ctx.clock.current = new Date('2026-03-09T09:00:00Z');
      expect((await reviewOf()).item.due).toMatchObject({ status: 'overdue', workingDaysLeft: -1 });
      // 23:30 UTC on 31 March 2026 is already 1 April in British Summer Time.
      ctx.clock.current = new Date('2026-03-31T23:30:00Z');
      expect((await reviewOf()).today).toBe('2026-04-01');
    } finally {
      ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    }
  });

  describe('JSON API', () => {
    let supportToken: string;
    let chairToken: string;
    beforeAll(async () => {
      supportToken = await tokenFor(support);
      chairToken = await tokenFor(chairA);
    });

    it('lists the same items as the page, section by section (API parity)', async () => {
      for (const [actor, token, query] of [
        [support, supportToken, ''],
        [chairA, chairToken, ''],
        [chairA, chairToken, '?chair=all&status=overdue'],
        [support, supportToken, '?type=review'],
      ] as const) {
        const page = pageItems((await (await clientFor(actor)).get(`/dashboard${query}`)).body);
        const res = await api(`/api/v1/dashboard${query}`, token);
        expect(res.statusCode).toBe(200);
        const body = res.json() as { sections: Array<{ key: string; items: Array<{ key: string }> }> };
        const fromApi = Object.fromEntries(
          body.sections.filter((s) => s.items.length).map((s) => [s.key, s.items.map((i) => i.key)]),
        );
        expect(fromApi, `${actor.name} ${query}`).toEqual(page);
      }
    });

    it('lists the chairs the dashboard can be filtered by, as the page’s chair filter does', async () => {
      const res = await api('/api/v1/dashboard/chairs', supportToken);
      expect(res.statusCode).toBe(200);
      const chairs: Array<{ id: string; name: string }> = res.json().chairs;
      expect(chairs).toContainEqual({ id: chairA.id, name: 'Cal Chair' });
      const page = (await (await clientFor(support)).get('/dashboard')).body;
      for (const c of chairs) expect(page).toContain(`value="${c.id}"`);
    });

    it('gives every due date with its rule, start date and status, and the chair scope', async () => {
      const res = await api(`/api/v1/dashboard?section=overdue`, chairToken);
      const body = res.json();
      expect(body.scope).toEqual({ chair: { id: chairA.id, name: 'Cal Chair' }, mine: true });
      expect(body.today).toBe('2026-03-02');
      expect(body.sections).toHaveLength(1);
      const [item] = body.sections[0].items;
      expect(item).toMatchObject({
        section: 'overdue',
        pastDue: true,
        lateAgreement: null,
        status: 'overdue',
        conference: {
          id: c['late'],
          type: 'initial',
          status: 'planned',
          chair: { id: chairA.id, name: 'Cal Chair' },
          children: [{ id: kids['cara'], givenNames: 'Cara', familyName: 'Late' }],
        },
        due: {
          rule: 'initial-conference',
          ruleId: 'T-1',
          due: '2026-02-23',
          from: '2026-02-02',
          status: 'overdue',
          workingDaysLeft: -5,
        },
      });
      // One section asked for: only it is classified and counted.
      expect(body.counts.upcoming).toBeNull();
      expect(body.counts.overdue).toBe(body.sections[0].total);
      expect((await api('/api/v1/dashboard', chairToken)).json().counts.upcoming).toBe(2);
    });

    it('checks its filters (400 for a bad value, 422 for an unknown chair) and its callers (401, 403)', async () => {
      expect((await api('/api/v1/dashboard?section=everything', supportToken)).statusCode).toBe(400);
      expect((await api('/api/v1/dashboard?status=purple', supportToken)).statusCode).toBe(400);
      const unknown = await api('/api/v1/dashboard?chair=00000000-0000-4000-8000-000000000000', supportToken);
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json()).toMatchObject({ error: 'invalid_details', field: 'chair' });
      expect((await api('/api/v1/dashboard', null)).statusCode).toBe(401);
      expect((await api('/api/v1/dashboard', await tokenFor(auditor))).statusCode).toBe(403);
    });
  });

  it('T-1, T-2: a cancelled conference not yet replaced is listed as needing a new one, to those who may see every child, until a replacement is convened', async () => {
    const pat = await staff(ctx, 'Pat Worker', ['social_worker']);
    const ivy = await fx.child({ givenNames: 'Ivy', familyName: 'Cancel', allocatedSocialWorkerId: pat.id });
    const kit = await fx.child({ givenNames: 'Kit', familyName: 'Cancel', allocatedSocialWorkerId: olu.id });
    const lia = await fx.child({ givenNames: 'Lia', familyName: 'Unborn', allocatedSocialWorkerId: pat.id });
    // T-1 from 16 February: due 9 March 2026.
    const ivys = await fx.conference({
      status: 'cancelled',
      scheduledDate: '2026-03-03',
      strategyDiscussionDate: '2026-02-16',
      chairUserId: chairA.id,
      childIds: [ivy],
    });
    // The same, for Ivy and Kit together: Pat may not see Kit.
    const siblings = await fx.conference({
      status: 'cancelled',
      scheduledDate: '2026-03-04',
      strategyDiscussionDate: '2026-02-16',
      childIds: [ivy, kit],
    });
    // T-2: cancelled, then replaced by a pre-birth conference held (as always) before the expected date of delivery.
    const prebirth = await fx.conference({
      type: 'pre-birth',
      status: 'cancelled',
      scheduledDate: '2026-03-05',
      expectedDeliveryDate: '2026-06-01',
      childIds: [lia],
    });
    await fx.conference({
      type: 'pre-birth',
      scheduledDate: '2026-03-12',
      expectedDeliveryDate: '2026-06-01',
      childIds: [lia],
    });
    // A cancelled review is under reviews falling due, not here.
    const review = await fx.conference({
      type: 'review',
      status: 'cancelled',
      scheduledDate: '2026-03-06',
      previousConferenceId: c['icpc']!,
      childIds: [kids['eve']!],
    });

    const page = (await (await clientFor(support)).get('/dashboard')).body;
    expect(pageItems(page)['cancelled']).toEqual([`cancelled:${ivys}`, `cancelled:${siblings}`]);
    expect(page).toContain('Conference cancelled: a new one is needed');
    const row = rowText(page, `cancelled:${ivys}`);
    expect(row).toContain('Due soon');
    expect(row).toContain('Due 9 March 2026 — 15 working days from the strategy discussion on 16 February 2026');
    expect(row).toContain('No new conference planned yet');
    expect(page).toContain(
      `href="/conferences/${ivys}">Initial child protection conference<span class="govuk-visually-hidden"> on 3 March 2026 for Ivy Cancel</span></a>`,
    );
    expect(page).not.toContain(`cancelled:${prebirth}`);
    expect(page).not.toContain(`cancelled:${review}`);

    // Access: Pat sees Ivy's own conference only; Sam sees neither.
    expect(pageItems((await (await clientFor(pat)).get('/dashboard?section=cancelled')).body)).toEqual({
      cancelled: [`cancelled:${ivys}`],
    });
    expect(pageItems((await (await clientFor(sam)).get('/dashboard?section=cancelled')).body)).toEqual({});
    // The status filter applies the same red / amber / green.
    expect(
      pageItems((await (await clientFor(support)).get('/dashboard?section=cancelled&status=due-soon')).body)[
        'cancelled'
      ],
    ).toHaveLength(2);
    expect(
      pageItems((await (await clientFor(support)).get('/dashboard?section=cancelled&status=on-track')).body),
    ).toEqual({});

    // A new initial conference for Ivy replaces her own, not the one with Kit.
    await fx.conference({ scheduledDate: '2026-03-06', strategyDiscussionDate: '2026-02-16', childIds: [ivy] });
    expect(pageItems((await (await clientFor(support)).get('/dashboard?section=cancelled')).body)).toEqual({
      cancelled: [`cancelled:${siblings}`],
    });
  });
});

describe.each(testDatabases())('the written record on business support’s dashboard (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let fx: DashboardFixtures;
  let support: Actor;
  let olu: Actor;
  let client: WebClient;
  let token: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    ctx.clock.current = new Date('2026-03-02T09:00:00Z'); // Monday 2 March 2026
    app = await testApp(ctx);
    fx = new DashboardFixtures(ctx.services);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    olu = await staff(ctx, 'Olu Worker', ['social_worker']);
    ({ client } = await signedInClient(ctx, app, {
      email: emailOf(support),
      name: support.name,
      roles: [...support.roles],
    }));
    token = (
      await ctx.services.accounts.createApiToken(support.id, 'test', null, {
        actor: { id: support.id, label: 'test' },
      })
    ).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });
  const api = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it('T-6 / T-7: each document with its state and its own due date; an overdue record stays until issued, then the conference leaves', async () => {
    const ida = await fx.child({ givenNames: 'Ida', familyName: 'Record' });
    // Held on 5 January 2026: the record was due on 26 January (T-7), five weeks ago.
    const old = await fx.conference({
      status: 'held',
      scheduledDate: '2026-01-05',
      strategyDiscussionDate: '2025-12-15',
      childIds: [ida],
    });
    await fx.decision(old, ida, 'plan-needed');
    const jo = await fx.familyMember(old, { givenNames: 'Jo', familyName: 'Record' }, { excluded: 'partial' });
    await fx.issueAll(old, ['decision-letter', 'plan-and-core-group-letter', 'chairs-summary']);
    const record = await fx.documentDraft(old, 'conference-record', 'approved');

    const res = await client.get('/dashboard?section=records-due');
    expect(pageItems(res.body)['records-due']).toEqual([`records-due:${old}`]);
    const row = rowText(res.body, `records-due:${old}`);
    expect(row).toContain(
      'Decision letter Issued Due 6 January 2026 — by the next working day after the conference on 5 January 2026',
    );
    expect(row).toContain('Child protection plan and core group letter Issued');
    expect(row).toContain(
      'Conference record Approved Overdue Due 26 January 2026 — 15 working days after the conference on 5 January 2026 25 working days overdue',
    );
    expect(row).toContain('Reasons for exclusion from the conference: Jo Record Not started No timescale');
    expect(res.body).toContain(`href="/conferences/${old}/documents">Documents`);

    const body = await api('/api/v1/dashboard?section=records-due');
    const item = body.sections[0].items.find((i: { key: string }) => i.key === `records-due:${old}`);
    expect(item).toMatchObject({
      status: 'overdue',
      decisionsRecorded: true,
      due: { ruleId: 'T-7', due: '2026-01-26' },
    });
    expect(
      item.documents.map((x: { kind: string; state: string; status: string | null }) => [x.kind, x.state, x.status]),
    ).toEqual([
      ['decision-letter', 'issued', 'met'],
      ['plan-and-core-group-letter', 'issued', 'met'],
      ['chairs-summary', 'issued', 'met'],
      ['conference-record', 'approved', 'overdue'],
      ['exclusion-letter', 'not-started', null],
    ]);
    expect(item.documents[4]).toMatchObject({
      subjectInviteeId: jo,
      label: 'Reasons for exclusion from the conference: Jo Record',
      due: null,
    });

    // The record is issued: the exclusion letter still keeps the conference listed, with no timescale of its own.
    await ctx.services.database.db
      .update(documentDrafts)
      .set({ status: 'issued' })
      .where(eq(documentDrafts.id, record));
    const still = await client.get('/dashboard?section=records-due');
    expect(pageItems(still.body)['records-due']).toEqual([`records-due:${old}`]);
    expect(rowText(still.body, `records-due:${old}`)).toContain('Conference record Issued');
    // Everything issued: it leaves the dashboard.
    await fx.documentDraft(old, 'exclusion-letter', 'issued', jo);
    expect(pageItems((await client.get('/dashboard?section=records-due')).body)['records-due']).toBeUndefined();
  });

  it('T-6 / T-7: the repository loads a conference held long ago only while a document it needs is not issued', async () => {
    const held = async (outcome: 'plan-needed' | 'no-plan', issued: readonly DocumentKind[]) => {
      const kid = await fx.child({ givenNames: 'Old', familyName: 'Record' });
      const id = await fx.conference({
        status: 'held',
        scheduledDate: '2025-06-02',
        strategyDiscussionDate: '2025-05-12',
        childIds: [kid],
      });
      await fx.decision(id, kid, outcome, { version: 1 });
      await fx.issueAll(id, issued);
      return id;
    };
    const threeIssued = ['decision-letter', 'chairs-summary', 'conference-record'] as const;
    const noPlanDone = await held('no-plan', threeIssued);
    const planLetterOwed = await held('plan-needed', threeIssued);
    const planDone = await held('plan-needed', [...threeIssued, 'plan-and-core-group-letter']);
    const recordOwed = await held('no-plan', ['decision-letter', 'chairs-summary']);
    const loaded = await ctx.services.uow.run(({ dashboard }) =>
      dashboard.recordsDueFacts({
        today: d('2026-03-02'),
        heldSince: d('2026-02-02'),
        writtenRecordFrom: null,
        conferenceIds: [],
      }),
    );
    const ids = new Set(loaded.conferences.map((x) => x.id));
    expect([noPlanDone, planLetterOwed, planDone, recordOwed].map((id) => ids.has(id))).toEqual([
      false,
      true,
      false,
      true,
    ]);
    // WRITTEN_RECORD_FROM after them: their records were sent outside the service, so none is loaded for it.
    const fromLater = await ctx.services.uow.run(({ dashboard }) =>
      dashboard.recordsDueFacts({
        today: d('2026-03-02'),
        heldSince: d('2026-02-02'),
        writtenRecordFrom: d('2025-06-03'),
        conferenceIds: [],
      }),
    );
    const idsFromLater = new Set(fromLater.conferences.map((x) => x.id));
    expect([planLetterOwed, recordOwed].some((id) => idsFromLater.has(id))).toBe(false);
    expect(loaded.decisionOutcomes.filter((o) => o.conferenceId === planLetterOwed).map((o) => o.outcome)).toEqual([
      'plan-needed',
    ]);
  });

  it('T-7: an inquorate conference adjourned lists its notes until they are issued', async () => {
    const kit = await fx.child({ givenNames: 'Kit', familyName: 'Inquorate' });
    const adjourned = await fx.conference({
      status: 'adjourned-inquorate',
      scheduledDate: '2026-02-26',
      strategyDiscussionDate: '2026-02-05',
      childIds: [kit],
    });
    const res = await client.get('/dashboard?section=records-due');
    expect(rowText(res.body, `records-due:${adjourned}`)).toContain(
      'Notes of an inquorate conference Not started On track Due 19 March 2026 — 15 working days after the conference on 26 February 2026',
    );
    await fx.documentDraft(adjourned, 'inquorate-notes', 'issued');
    expect(pageConferences((await client.get('/dashboard?section=records-due')).body)).not.toContain(adjourned);
  });

  it('W-4: an arrangement for a recipient stays on the dashboard until done, linked to the conference’s documents page with no name in the address', async () => {
    const lu = await fx.child({ givenNames: 'Lu', familyName: 'Task' });
    const conf = await fx.conference({
      status: 'held',
      scheduledDate: '2025-11-03',
      strategyDiscussionDate: '2025-10-13',
      childIds: [lu],
    });
    await fx.issueAll(conf, ['decision-letter', 'chairs-summary']);
    const record = await fx.documentDraft(conf, 'conference-record', 'issued');
    const mia = await fx.familyMember(conf, { givenNames: 'Mia', familyName: 'Taskwell' });
    const task = (arrangement: 'translation' | 'large-print', doneAt: Date | null, language: string | null) =>
      fx.arrangementTask(record, {
        conferenceId: conf,
        kind: 'conference-record',
        inviteeId: mia,
        recipientName: 'Mia Taskwell',
        arrangement,
        language,
        doneAt,
      });
    const open = await task('translation', null, 'Polish');
    await task('large-print', new Date('2026-02-25T10:00:00Z'), null);
    // A restricted child's conference: its task is shown only to those who may see the child.
    const hidden = await fx.child({
      givenNames: 'Nia',
      familyName: 'Hidden',
      restricted: true,
      allocatedSocialWorkerId: olu.id,
    });
    const restricted = await fx.conference({
      status: 'held',
      scheduledDate: '2025-11-03',
      strategyDiscussionDate: '2025-10-13',
      childIds: [hidden],
    });
    await fx.issueAll(restricted, ['decision-letter', 'chairs-summary']);
    const restrictedRecord = await fx.documentDraft(restricted, 'conference-record', 'issued');
    const nan = await fx.familyMember(restricted, { givenNames: 'Nan', familyName: 'Hidden' });
    const secret = await fx.arrangementTask(restrictedRecord, {
      conferenceId: restricted,
      kind: 'conference-record',
      inviteeId: nan,
      recipientName: 'Nan Hidden',
      arrangement: 'large-print',
    });

    const res = await client.get('/dashboard');
    const items = pageItems(res.body);
    expect(items['document-tasks']).toEqual([`document-tasks:${open}`]);
    expect(items['records-due'] ?? []).not.toContain(`records-due:${conf}`); // every document issued
    const row = rowText(res.body, `document-tasks:${open}`);
    expect(row).toContain('Mia Taskwell Conference record A translation requested Language: Polish');
    expect(res.body).toContain(
      `href="/conferences/${conf}/documents">Mark as done<span class="govuk-visually-hidden">: a translation requested for Mia Taskwell</span></a>`,
    );
    expect(res.body).not.toContain('Nan Hidden');
    const hrefs = [...res.body.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.filter((h) => /Mia|Taskwell|Polish/.test(h))).toEqual([]);

    // The allocated social worker may see the restricted child, so sees its task.
    const { client: oluClient } = await signedInClient(ctx, app, {
      email: emailOf(olu),
      name: olu.name,
      roles: [...olu.roles],
    });
    expect(pageItems((await oluClient.get('/dashboard?section=document-tasks')).body)['document-tasks']).toEqual([
      `document-tasks:${secret}`,
    ]);

    const body = await api('/api/v1/dashboard?section=document-tasks');
    expect(body.sections[0].items).toHaveLength(1);
    expect(body.sections[0].items[0]).toMatchObject({
      key: `document-tasks:${open}`,
      section: 'document-tasks',
      status: null,
      due: null,
      conference: { id: conf },
      task: {
        id: open,
        documentKind: 'conference-record',
        documentLabel: 'Conference record',
        recipientName: 'Mia Taskwell',
        arrangement: 'translation',
        arrangementLabel: 'A translation requested',
        language: 'Polish',
        detail: null,
      },
    });
    expect(Object.keys(body.sections[0].items[0].task).sort()).toEqual([
      'arrangement',
      'arrangementLabel',
      'createdAt',
      'detail',
      'documentKind',
      'documentLabel',
      'id',
      'language',
      'recipientName',
    ]);

    // Every view is audited with the tasks whose recipients were shown, and never their names.
    const rows = await ctx.services.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'dashboard.view'));
    const last = rows.filter((r) => r.actorUserId === support.id).at(-1)!;
    expect(last.details).toMatchObject({ arrangementTaskIds: [open] });
    expect(JSON.stringify(last.details)).not.toContain('Mia');

    // Marked done: it leaves the dashboard.
    await ctx.services.uow.run(({ documents }) =>
      documents.completeTask(conf, open, { userId: support.id, at: new Date('2026-03-02T09:00:00Z'), note: null }),
    );
    expect(pageItems((await client.get('/dashboard')).body)['document-tasks']).toBeUndefined();
  });
});

describe('dashboard queries do not grow with the number of conferences (no N+1)', () => {
  it('runs at most 29 statements for 10 conferences and for 500', async () => {
    const run = await countingServices();
    try {
      const { services, counter } = run;
      const make = async (name: string, roles: Role[]) => {
        const u = await services.accounts.createUser(
          {
            email: `${name.replace(/\W+/g, '.')}@example.gov.uk`,
            name,
            roles,
            password: 'correct horse battery staple',
          },
          { actor: { id: null, label: 'test' } },
        );
        return { id: u.id, name: u.name, roles: u.roles };
      };
      const chairs = [await make('Chair One', ['chair']), await make('Chair Two', ['chair'])];
      const socialWorkers = [await make('Worker One', ['social_worker']), await make('Worker Two', ['social_worker'])];
      const support = await make('Support One', ['business_support']);
      const fx = new DashboardFixtures(services);
      const today = services.dashboards.today();
      const statements = async (request: Record<string, string> = {}) => {
        counter.reset();
        const view = await services.dashboards.view(support, request, {
          actor: { id: support.id, label: support.name },
        });
        const at = view.sections.findIndex((x) => x.key === 'records-due');
        return {
          statements: counter.count,
          items: view.paging.total,
          recordsDueShown: view.sections[at]!.items.length > 0,
          // The page where records due's first row lands, after every row of the sections before it.
          recordsDuePage: Math.floor(view.sections.slice(0, at).reduce((n, x) => n + x.total, 0) / 50) + 1,
        };
      };

      await fx.bulk(10, today, { chairs, socialWorkers });
      const small = await statements();
      await fx.bulk(490, today, { chairs, socialWorkers });
      const large = await statements();
      const largeRecordsDue = await statements({ page: String(large.recordsDuePage) });
      expect(large.items).toBeGreaterThan(small.items * 10);
      // The small council's one page holds records-due rows; the large council's first does not, a later one does.
      expect([small.recordsDueShown, large.recordsDueShown, largeRecordsDue.recordsDueShown]).toEqual([
        true,
        false,
        true,
      ]);
      // A fixed ceiling whatever the size: users, the open arrangements (W-4), the amendment requests waiting for
      // the chair (W-5), at most 11 reads for the
      // dashboard (a read with nothing to look up is skipped), the documents' states (T-6, T-7), how far their
      // copies have gone (the conferences with unsent copies, the latest issues' recipients and their sendings,
      // W-4), the count of requests to record a meeting waiting for the person's decision (T-11), the plans in force
      // for core groups due and lead social workers to appoint, the planned conferences' interpreter needs (002 §3.7,
      // §3.2: one query each, whatever the number of children), and the audit entry (lock, chain head, insert).
      // T-6 / T-7: a page holding records-due rows loads those rows by name (their conferences, children, reports,
      // documents' states and sendings), a fixed few statements more whatever the number of rows.
      // A page of the same composition runs no more at 10 conferences than at 500 (a read with nothing to look up
      // is skipped), and the large council's counts are exact: a statement per row would move them.
      expect(small.statements).toBeLessThanOrEqual(largeRecordsDue.statements);
      expect(large.statements).toBe(22);
      expect(largeRecordsDue.statements).toBe(29);
    } finally {
      await run.dispose();
    }
  }, 120_000);
});
