// The seed generator kept from rotting: a small council seeded through the real services, then its counts,
// its audit chain (verified and checkpointed), and the pages a seeded chair and social worker see.
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonDateOf } from '../../domain/calendar/index.ts';
import * as core from '../../infra/db/schema.ts';
import { copyRequests } from '../../infra/db/requests-schema.ts';
import { recordings } from '../../infra/db/recordings-schema.ts';
import { createTestServices, type TestContext, testDatabases } from '../../../test/support/services.ts';
import { signInWithSecondFactor, TEST_PASSWORD, testApp, WebClient } from '../../../test/support/web.ts';
import { planAgencies, planConferences, planStaff } from './council.ts';
import { SeededRandom } from './random.ts';
import { DatabaseNotEmpty, seedCouncil, type SeedSummary } from './seed-council.ts';

const SMALL = { years: 2, conferencesPerYear: 60, auditEntries: 2500, seed: 7 };

describe('the seeded council plan', () => {
  it('is the same for the same seed, and conferences follow the review cadence (T-3, T-4)', async () => {
    const ctx = await createTestServices('pglite');
    try {
      const make = (seed: number) => {
        const rng = new SeededRandom(seed);
        const staff = planStaff(rng);
        return planConferences({
          rng,
          today: londonDateOf(ctx.clock.now()),
          years: 3,
          conferencesPerYear: 200,
          staff,
          agencies: planAgencies(rng),
          calendar: ctx.services.calendar,
          timescales: ctx.services.timescales,
        });
      };
      const a = make(42);
      expect(make(42)).toEqual(a);
      expect(make(43).map((c) => c.id)).not.toEqual(a.map((c) => c.id));
      const types = new Set(a.map((c) => c.type));
      expect([...types].sort()).toEqual(['initial', 'pre-birth', 'review', 'transfer-in']);
      // Three years at 200 a year: within a fifth of what was asked. The earlier conferences of cases whose
      // reviews fall inside the three years come on top.
      const firstDay = new Date(Date.parse(londonDateOf(ctx.clock.now())) - Math.round(3 * 365.25) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const inPeriod = a.filter((c) => c.scheduledDate >= firstDay);
      expect(inPeriod.length).toBeGreaterThan(480);
      expect(inPeriod.length).toBeLessThan(720);
      expect(a.length - inPeriod.length).toBeLessThan(inPeriod.length / 2);
      const byId = new Map(a.map((c) => [c.id, c]));
      // T-3: every review runs from the conference before it, so that conference is seeded too, even when it was
      // held before the seeded years began (the review's page computes its timescale from it).
      const reviews = a.filter((c) => c.type === 'review');
      expect(reviews.length).toBeGreaterThan(100);
      for (const review of reviews) {
        const previous = byId.get(review.previousId ?? '');
        if (!previous) throw new Error(`review ${review.id} has no previous conference seeded`);
        expect(review.dueRule).toBe(previous.type === 'review' ? 'next-review' : 'first-review');
        expect(review.scheduledDate > previous.scheduledDate).toBe(true);
      }
      expect(a.some((c) => c.family.children.length > 1)).toBe(true);
    } finally {
      await ctx.dispose();
    }
  }, 60_000);
});

describe.each(testDatabases())('seeding a council (%s)', (kind) => {
  let ctx: TestContext;
  let summary: SeedSummary;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    summary = await seedCouncil(ctx.services, { ...SMALL, password: TEST_PASSWORD });
    app = await testApp(ctx);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.dispose();
  });

  it('writes every kind of record in the sizes asked for', async () => {
    const db = ctx.services.database.db;
    const n = async (q: Promise<Array<{ n: number }>>) => (await q)[0]!.n;
    const total = sql<number>`count(*)::int`;
    expect(await n(db.select({ n: total }).from(core.conferences))).toBe(summary.conferences);
    expect(summary.conferences).toBeGreaterThan(90);
    expect(await n(db.select({ n: total }).from(core.children))).toBe(summary.children);
    expect(await n(db.select({ n: total }).from(recordings))).toBe(summary.recordings);
    expect(await n(db.select({ n: total }).from(copyRequests))).toBe(summary.copyRequests);
    expect(await n(db.select({ n: total }).from(core.auditEvents))).toBe(SMALL.auditEntries + 1);
    const roles = await db.select({ roles: core.users.roles }).from(core.users);
    expect(new Set(roles.flatMap((r) => r.roles)).size).toBe(9);
    for (const table of [
      core.conferenceInvitees,
      core.invitationIssues,
      core.attendance,
      core.childDecisions,
      core.childPlans,
    ])
      expect(await n(db.select({ n: total }).from(table))).toBeGreaterThan(0);
    const planned = await n(
      db.select({ n: total }).from(core.conferences).where(eq(core.conferences.status, 'planned')),
    );
    expect(planned).toBeGreaterThan(0);
  });

  it('issues the letters and record of most held conferences, so few are still owed (T-6, T-7)', async () => {
    const { rows } = await ctx.services.database.execute(
      `select count(*)::int as held,
              count(*) filter (where exists (select 1 from document_drafts d where d.conference_id = c.id
                and d.kind = 'conference-record' and d.status = 'issued'))::int as recorded
         from conferences c where c.status = 'held' and c.scheduled_date < $1::date - 40`,
      [londonDateOf(ctx.clock.now())],
    );
    const { held, recorded } = rows[0] as { held: number; recorded: number };
    expect(held).toBeGreaterThan(20);
    expect(recorded / held).toBeGreaterThan(0.85);
    const drafts = await ctx.services.database.execute(`select count(*)::int as n from document_drafts`);
    expect((drafts.rows[0] as { n: number }).n).toBe(summary.documents);
  });

  it('leaves an audit trail that verifies, with a checkpoint covering it', async () => {
    const r = await ctx.services.auditTrail.verify();
    expect(r.problem ?? null).toBeNull();
    expect(r.ok).toBe(true);
    expect(r.entries).toBe(SMALL.auditEntries + 1);
    expect(r.checkpoint?.size).toBe(SMALL.auditEntries + 1);
  });

  it('stores each recording so that its fixity check passes (R-3)', async () => {
    const [first] = await ctx.services.database.db.select({ id: recordings.id }).from(recordings).limit(1);
    expect(await ctx.services.recordings.checkFixity(first!.id, 'on-demand')).toBe('ok');
  });

  it('refuses to seed a database that already holds records', async () => {
    await expect(seedCouncil(ctx.services, SMALL)).rejects.toBeInstanceOf(DatabaseNotEmpty);
  });

  it('shows a seeded chair their dashboard and a child of theirs', async () => {
    const db = ctx.services.database.db;
    const [row] = await db
      .select({ chairId: core.conferences.chairUserId, childId: core.conferenceChildren.childId })
      .from(core.conferences)
      .innerJoin(core.conferenceChildren, eq(core.conferenceChildren.conferenceId, core.conferences.id))
      .innerJoin(core.children, eq(core.children.id, core.conferenceChildren.childId))
      .where(and(eq(core.conferences.status, 'planned'), eq(core.children.restricted, false)))
      .limit(1);
    const chair = await ctx.services.accounts.getUser(row!.chairId!);
    const client = new WebClient(app);
    const signedIn = await signInWithSecondFactor(ctx, client, { id: chair.id, email: chair.email });
    expect(signedIn.statusCode).toBe(303);
    const dashboard = await client.get('/dashboard');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('Conferences');
    const child = await client.get(`/children/${row!.childId}`);
    expect(child.statusCode).toBe(200);
    const [kid] = await db.select().from(core.children).where(eq(core.children.id, row!.childId));
    expect(child.body).toContain(kid!.familyName);
  });
});
