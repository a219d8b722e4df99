/**
 * T-6 / T-7: records due is counted and ordered from a light statement the database narrows, and only a page's rows
 * are loaded in full. For random councils (conferences in every state, documents in every state, children restricted
 * or allocated), what each page shows, and each count, equals classifying every conference of the council with
 * classifyDashboard: the section view, the page after it, the status filter and the all-sections view, for business
 * support and for a social worker, on each database.
 */
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canViewChild } from '../../domain/access/child-access.ts';
import type { Actor, Role } from '../../domain/access/roles.ts';
import { addDays, type DeadlineRag, type IsoDate } from '../../domain/calendar/index.ts';
import {
  classifyDashboard,
  type DashboardFilter,
  filterDashboard,
  type RecordsDueItem,
} from '../../domain/conferences/dashboard.ts';
import type { Outcome } from '../../domain/conferences/decisions.ts';
import type { ConferenceStatus } from '../../domain/conferences/lifecycle.ts';
import type { DraftStatus } from '../../domain/documents/drafting.ts';
import type { DocumentKind } from '../../domain/documents/model.ts';
import { conferences } from '../../infra/db/schema.ts';
import { DashboardFixtures } from '../../../test/support/dashboard-fixtures.ts';
import { createTestServices, type TestContext, testDatabases } from '../../../test/support/services.ts';
import { DASHBOARD_PAGE_SIZE } from './dashboard-service.ts';
import { sendingFor, sendingProgressFor } from '../documents/sending-progress.ts';

const KINDS: DocumentKind[] = [
  'decision-letter',
  'plan-and-core-group-letter',
  'chairs-summary',
  'conference-record',
  'inquorate-notes',
];

const childArb = fc.record({
  restricted: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  allocated: fc.boolean(),
});
const conferenceArb = fc.record({
  status: fc.constantFrom<ConferenceStatus>('held', 'held', 'held', 'adjourned-inquorate', 'in-progress', 'planned'),
  /** Days before today (negative: ahead). */
  daysAgo: fc.integer({ min: -5, max: 120 }),
  startTime: fc.constantFrom('09:30', '10:00', '14:00'),
  children: fc.array(childArb, { minLength: 1, maxLength: 2 }),
  outcome: fc.constantFrom<Outcome | null>('plan-needed', 'no-plan', 'plan-continues', 'plan-ends', null),
  drafts: fc.array(fc.constantFrom<DraftStatus | null>('issued', 'issued', 'issued', 'drafting', 'approved', null), {
    minLength: KINDS.length,
    maxLength: KINDS.length,
  }),
});
const councilArb = fc.record({
  conferences: fc.array(conferenceArb, { maxLength: 60 }),
  status: fc.constantFrom<DeadlineRag | null>(null, 'overdue', 'due-soon', 'on-track'),
});

let made = 0;
async function account(ctx: TestContext, roles: Role[]): Promise<Actor> {
  const n = ++made;
  const u = await ctx.services.accounts.createUser(
    { email: `records.${n}@example.gov.uk`, name: `Account ${n}`, roles, password: 'correct horse battery staple' },
    { actor: { id: null, label: 'test' } },
  );
  return { id: u.id, name: u.name, roles: u.roles };
}

describe.each(testDatabases())('records due from the narrowed statement (%s)', (kind) => {
  let ctx: TestContext;
  let support: Actor;

  beforeAll(async () => {
    // Conferences held before this date had their written record sent another way (they leave once past T-7).
    ctx = await createTestServices(kind, { WRITTEN_RECORD_FROM: '2026-01-15' });
    support = await account(ctx, ['business_support']);
  }, 120_000);
  afterAll(async () => {
    await ctx?.dispose();
  });

  /** Every conference of the chair classified with classifyDashboard: the rows records due lists, in order. */
  const classifyEverything = async (actor: Actor, chairId: string, status: DeadlineRag | null) => {
    // Read before the unit of work: PGlite has one connection, which the unit of work holds.
    const rows = await ctx.services.database.db
      .select({ id: conferences.id })
      .from(conferences)
      .where(eq(conferences.chairUserId, chairId));
    const ids = rows.map((r) => r.id);
    return ctx.services.uow.run(async (repos) => {
      const today = ctx.services.dashboards.today();
      if (!ids.length) return [];
      const snapshot = await repos.dashboard.loadSnapshot({
        today,
        horizon: addDays(today, 30),
        heldSince: today,
        writtenRecordFrom: null,
        conferenceIds: ids,
        sections: ['records-due'],
        namedOnly: true,
      });
      const visible = snapshot.conferences.filter(
        (c) =>
          c.children.length > 0 &&
          c.children.every((ch) => {
            const facts = snapshot.childAccess.get(ch.id);
            return facts !== undefined && canViewChild(actor, facts).allowed;
          }),
      );
      const held = visible.filter((c) => c.status === 'held' || c.status === 'adjourned-inquorate').map((c) => c.id);
      const states = held.length ? await repos.documents.documentStates(held) : [];
      const progress = held.length ? await sendingProgressFor(repos, held) : new Map();
      const classified = classifyDashboard(
        {
          ...snapshot,
          writtenRecordFrom: '2026-01-15' as IsoDate,
          conferences: visible,
          documents: states.map((d) => ({ ...d, sending: sendingFor(progress, d) })),
          arrangementTasks: [],
        },
        today,
        { calendar: ctx.services.calendar, settings: ctx.services.timescales },
        new Set(['records-due']),
      );
      const filter: DashboardFilter = { chairId, status, type: null };
      return filterDashboard(classified, filter)['records-due'];
    });
  };

  it('lists and counts what classifying every conference lists (T-6, T-7)', async () => {
    const fx = new DashboardFixtures(ctx.services);
    const today = ctx.services.dashboards.today();
    await fc.assert(
      fc.asyncProperty(councilArb, async (council) => {
        // Each council is its own chair's: the views below are under that chair, so earlier councils do not count.
        const chair = await account(ctx, ['chair']);
        const worker = await account(ctx, ['social_worker']);
        for (const c of council.conferences) {
          const childIds = [];
          for (const k of c.children)
            childIds.push(
              await fx.child({ restricted: k.restricted, allocatedSocialWorkerId: k.allocated ? worker.id : null }),
            );
          const date = addDays(today, -c.daysAgo);
          const id = await fx.conference({
            status: c.status,
            scheduledDate: date,
            startTime: c.startTime,
            chairUserId: chair.id,
            childIds,
            dueRule: 'initial-conference',
            dueDate: date,
          });
          if (c.status === 'held' && c.outcome)
            for (const childId of childIds) await fx.decision(id, childId, c.outcome);
          if (c.status === 'held' || c.status === 'adjourned-inquorate')
            for (const [i, state] of c.drafts.entries()) if (state) await fx.documentDraft(id, KINDS[i]!, state);
        }

        for (const actor of [support, worker]) {
          const expected = await classifyEverything(actor, chair.id, council.status);
          const auditCtx = { actor: { id: actor.id, label: actor.name } };
          const pages = Math.max(1, Math.ceil(expected.length / DASHBOARD_PAGE_SIZE));
          for (let page = 1; page <= pages; page++) {
            const view = await ctx.services.dashboards.view(
              actor,
              { section: 'records-due', chair: chair.id, status: council.status, page: String(page) },
              auditCtx,
            );
            expect(view.counts['records-due']).toBe(expected.length);
            const shown = view.sections[0]!.items as RecordsDueItem[];
            expect(shown).toEqual(expected.slice((page - 1) * DASHBOARD_PAGE_SIZE, page * DASHBOARD_PAGE_SIZE));
          }
          // The all-sections view counts records due the same way.
          if (actor === support) {
            const all = await ctx.services.dashboards.view(
              actor,
              { chair: chair.id, status: council.status },
              auditCtx,
            );
            expect(all.counts['records-due']).toBe(expected.length);
            const records = all.sections.find((s) => s.key === 'records-due')!;
            expect(records.items).toEqual(expected.slice(records.offset, records.offset + records.items.length));
          }
        }
      }),
      { numRuns: 8, endOnFailure: true },
    );
  }, 600_000);
});
