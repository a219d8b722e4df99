/**
 * Rows for dashboard tests and the benchmark, written straight through drizzle: the convening and
 * meeting use cases that will normally write them are built separately, and the dashboards must not
 * wait for them. Shapes follow the schema's "Conferences" section; due dates are worked out with the
 * real timescale rules unless a test gives one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { fromPglite } from 'pg-boss';
import pino from 'pino';
import { buildServices, type Services } from '../../src/composition.ts';
import type { Actor } from '../../src/domain/access/roles.ts';
import {
  addDays,
  computeDeadline,
  type IsoDate,
  parseIsoDate,
  type RuleName,
  type StatutoryCalendar,
  type TimescaleSettings,
} from '../../src/domain/calendar/index.ts';
import type { ConferenceType, Outcome } from '../../src/domain/conferences/decisions.ts';
import type { ArrangementKind } from '../../src/domain/documents/arrangements.ts';
import type { DraftStatus } from '../../src/domain/documents/drafting.ts';
import type { DocumentKind } from '../../src/domain/documents/model.ts';
import type { ConferenceStatus } from '../../src/domain/conferences/lifecycle.ts';
import type { AgencyKind } from '../../src/domain/people/index.ts';
import { loadConfig } from '../../src/infra/config.ts';
import { type Database, type Db, migrationsFolder } from '../../src/infra/db/client.ts';
import { documentDrafts, documentTasks } from '../../src/infra/db/documents-schema.ts';
import * as schema from '../../src/infra/db/schema.ts';
import { migratedPgliteTemplate } from './pglite-template.ts';
import { migratedPostgresTemplate } from './postgres-template.ts';

const {
  agencies,
  attendance,
  childAccessGrants,
  childDecisions,
  childPlans,
  children,
  conferenceChildren,
  conferenceInvitees,
  conferenceParts,
  conferenceReports,
  conferences,
  dissentReferrals,
  people,
  professionals,
} = schema;

export const d = (s: string): IsoDate => parseIsoDate(s);

export interface ChildSeed {
  givenNames?: string;
  familyName?: string;
  allocatedSocialWorkerId?: string | null;
  restricted?: boolean;
  namedStaffIds?: string[];
}

export interface ConferenceSeed {
  type?: ConferenceType;
  status?: ConferenceStatus;
  scheduledDate: IsoDate | string;
  startTime?: string;
  chairUserId?: string | null;
  childIds: string[];
  strategyDiscussionDate?: IsoDate | string | null;
  expectedDeliveryDate?: IsoDate | string | null;
  previousConferenceId?: string | null;
  noticeOfMoveDate?: IsoDate | string | null;
  /** Worked out from the type's start date when left out. */
  dueRule?: RuleName;
  dueDate?: IsoDate | string;
  lateAgreedBy?: string | null;
  lateReason?: string | null;
}

let sequence = 0;
const nextRef = () => `DASH-${process.pid}-${++sequence}`;

/** Writes dashboard rows for a test, with the service's calendar and timescales for due dates. */
export class DashboardFixtures {
  readonly db: Db;
  readonly calendar: StatutoryCalendar;
  readonly settings: TimescaleSettings;

  constructor(services: { database: { db: Db }; calendar: StatutoryCalendar; timescales: TimescaleSettings }) {
    this.db = services.database.db;
    this.calendar = services.calendar;
    this.settings = services.timescales;
  }

  async child(seed: ChildSeed = {}): Promise<string> {
    const [row] = await this.db
      .insert(children)
      .values({
        givenNames: seed.givenNames ?? 'Ava',
        familyName: seed.familyName ?? 'Example',
        dateOfBirth: '2018-04-01',
        address: '1 Test Street, Testtown',
        localReference: nextRef(),
        allocatedSocialWorkerId: seed.allocatedSocialWorkerId ?? null,
        restricted: seed.restricted ?? false,
      })
      .returning({ id: children.id });
    const id = row!.id;
    if (seed.namedStaffIds?.length)
      await this.db.insert(childAccessGrants).values(seed.namedStaffIds.map((userId) => ({ childId: id, userId })));
    return id;
  }

  async agency(name: string, kind: AgencyKind): Promise<string> {
    const [row] = await this.db
      .insert(agencies)
      .values({ name: `${name} ${nextRef()}`, kind })
      .returning({ id: agencies.id });
    return row!.id;
  }

  /** The due rule and date convening would store: the type's timescale from its start date. */
  async dueFor(seed: ConferenceSeed): Promise<{ dueRule: RuleName; dueDate: string }> {
    if (seed.dueRule && seed.dueDate) return { dueRule: seed.dueRule, dueDate: seed.dueDate };
    const type = seed.type ?? 'initial';
    let rule: RuleName;
    let from: string | null | undefined;
    if (type === 'initial') [rule, from] = ['initial-conference', seed.strategyDiscussionDate];
    else if (type === 'pre-birth') [rule, from] = ['pre-birth-conference', seed.expectedDeliveryDate];
    else if (type === 'transfer-in') [rule, from] = ['transfer-in-conference', seed.noticeOfMoveDate];
    else {
      const [prev] = seed.previousConferenceId
        ? await this.db
            .select({ date: conferences.scheduledDate, type: conferences.type })
            .from(conferences)
            .where(eq(conferences.id, seed.previousConferenceId))
        : [];
      if (!prev) throw new Error('A review fixture needs previousConferenceId, or dueRule and dueDate');
      [rule, from] = [prev.type === 'review' ? 'next-review' : 'first-review', prev.date];
    }
    if (!from) throw new Error(`A ${type} fixture needs its start date, or dueRule and dueDate`);
    const deadline = computeDeadline(seed.dueRule ?? rule, d(from), this.calendar, this.settings);
    return { dueRule: deadline.rule, dueDate: seed.dueDate ?? deadline.due };
  }

  async conference(seed: ConferenceSeed): Promise<string> {
    const { dueRule, dueDate } = await this.dueFor(seed);
    const [row] = await this.db
      .insert(conferences)
      .values({
        type: seed.type ?? 'initial',
        status: seed.status ?? 'planned',
        scheduledDate: seed.scheduledDate,
        startTime: seed.startTime ?? '10:00',
        durationMinutes: 90,
        venueKind: 'in-person',
        venueDetails: 'Civic Centre, Room 2',
        chairUserId: seed.chairUserId ?? null,
        strategyDiscussionDate: seed.strategyDiscussionDate ?? null,
        expectedDeliveryDate: seed.expectedDeliveryDate ?? null,
        previousConferenceId: seed.previousConferenceId ?? null,
        noticeOfMoveDate: seed.noticeOfMoveDate ?? null,
        dueRule,
        dueDate,
        lateAgreedBy: seed.lateAgreedBy ?? null,
        lateReason: seed.lateReason ?? null,
      })
      .returning({ id: conferences.id });
    const id = row!.id;
    await this.db.insert(conferenceChildren).values(seed.childIds.map((childId) => ({ conferenceId: id, childId })));
    return id;
  }

  /** A professional from the agency invited to the conference. */
  async invite(
    conferenceId: string,
    agencyId: string,
    kind: 'professional' | 'interpreter' = 'professional',
  ): Promise<void> {
    const [prof] = await this.db
      .insert(professionals)
      .values({ name: 'Pat Professional', roleTitle: 'Practitioner', agencyId })
      .returning({ id: professionals.id });
    await this.db
      .insert(conferenceInvitees)
      .values({ conferenceId, kind, professionalId: prof!.id, agencyId, directContact: true });
  }

  async report(
    conferenceId: string,
    agencyId: string,
    opts: { sharedWithFamilyOn?: string | null; withheld?: boolean } = {},
  ): Promise<void> {
    await this.db.insert(conferenceReports).values({
      conferenceId,
      agencyId,
      receivedAt: new Date('2026-02-20T12:00:00Z'),
      sharedWithFamilyOn: opts.sharedWithFamilyOn ?? null,
      withheldFromFamily: opts.withheld ?? false,
      withheldReason: opts.withheld ? 'Risk of harm if shared' : null,
    });
  }

  async decision(
    conferenceId: string,
    childId: string,
    outcome: Outcome,
    opts: { version?: number; referral?: boolean } = {},
  ): Promise<string> {
    const [row] = await this.db
      .insert(childDecisions)
      .values({
        conferenceId,
        childId,
        version: opts.version ?? 1,
        outcome,
        category: outcome === 'plan-needed' || outcome === 'plan-continues' ? 'neglect' : null,
        reasons: 'Reasons recorded at the conference',
        seniorManagerReferralRequired: opts.referral ?? false,
        recordedAt: new Date('2026-01-01T12:00:00Z'),
      })
      .returning({ id: childDecisions.id });
    return row!.id;
  }

  async plan(
    conferenceId: string,
    childId: string,
    opts: { nextReviewDate?: string | null; planEndedMeetingDate?: string | null; version?: number } = {},
  ): Promise<void> {
    await this.db.insert(childPlans).values({
      conferenceId,
      childId,
      version: opts.version ?? 1,
      nextReviewDate: opts.nextReviewDate ?? null,
      planEndedMeetingDate: opts.planEndedMeetingDate ?? null,
      recordedAt: new Date('2026-01-01T12:00:00Z'),
    });
  }

  async referral(
    decisionId: string,
    opts: { referredTo?: string; referredOn: string; reviewedOn?: string | null; reconveneDue?: string | null },
  ): Promise<string> {
    const [row] = await this.db
      .insert(dissentReferrals)
      .values({
        decisionId,
        referredTo: opts.referredTo ?? 'Head of Safeguarding',
        referredOn: opts.referredOn,
        reviewedOn: opts.reviewedOn ?? null,
        outcome: opts.reviewedOn ? 'reconvene' : null,
        reconveneDue: opts.reconveneDue ?? null,
      })
      .returning({ id: dissentReferrals.id });
    return row!.id;
  }

  /** A family member invited to the conference; with `excluded`, excluded from its one part (002 §3.2). */
  async familyMember(
    conferenceId: string,
    name: { givenNames: string; familyName: string },
    opts: { excluded?: 'full' | 'partial' } = {},
  ): Promise<string> {
    const [person] = await this.db.insert(people).values(name).returning({ id: people.id });
    const [invitee] = await this.db
      .insert(conferenceInvitees)
      .values({ conferenceId, kind: 'family-member', personId: person!.id })
      .returning({ id: conferenceInvitees.id });
    if (opts.excluded) {
      const [part] = await this.db
        .insert(conferenceParts)
        .values({ conferenceId, ordinal: 1, label: 'Whole conference', durationMinutes: 90 })
        .onConflictDoNothing()
        .returning({ id: conferenceParts.id });
      const partId =
        part?.id ??
        (
          await this.db
            .select({ id: conferenceParts.id })
            .from(conferenceParts)
            .where(eq(conferenceParts.conferenceId, conferenceId))
        )[0]!.id;
      await this.db.insert(attendance).values({
        partId,
        inviteeId: invitee!.id,
        status: opts.excluded === 'full' ? 'excluded' : 'attended',
        exclusionExtent: opts.excluded,
        exclusionReason: 'Risk of violence in the meeting',
        howViewsHeard: 'Met the chair beforehand',
      });
    }
    return invitee!.id;
  }

  /** A draft of one of the conference's documents in the given state (T-6, T-7). */
  async documentDraft(
    conferenceId: string,
    kind: DocumentKind,
    status: DraftStatus,
    subjectInviteeId: string | null = null,
  ): Promise<string> {
    const at = new Date('2026-02-20T12:00:00Z');
    const approved = status === 'approved' || status === 'issued';
    const [row] = await this.db
      .insert(documentDrafts)
      .values({
        conferenceId,
        kind,
        subjectInviteeId,
        status,
        createdAt: at,
        updatedAt: at,
        approvedAt: approved ? at : null,
        approvedDocument: approved
          ? {
              title: kind,
              metadata: {
                conferenceId,
                conferenceDate: d('2026-02-16'),
                children: [{ id: conferenceId, name: 'A child' }],
                kind,
                version: 1,
              },
              blocks: [{ type: 'paragraph', text: 'As approved.' }],
            }
          : null,
      })
      .returning({ id: documentDrafts.id });
    return row!.id;
  }

  /** Issued drafts of each kind given, so a conference's written record is complete (or nearly). */
  async issueAll(conferenceId: string, kinds: readonly DocumentKind[]): Promise<void> {
    for (const kind of kinds) await this.documentDraft(conferenceId, kind, 'issued');
  }

  /** W-4: an arrangement task for a recipient of the draft, open unless `doneAt` is given. */
  async arrangementTask(
    draftId: string,
    seed: {
      conferenceId: string;
      kind: DocumentKind;
      inviteeId: string;
      recipientName: string;
      arrangement: ArrangementKind;
      language?: string | null;
      createdAt?: Date;
      doneAt?: Date | null;
    },
  ): Promise<string> {
    const [row] = await this.db
      .insert(documentTasks)
      .values({
        draftId,
        conferenceId: seed.conferenceId,
        kind: seed.kind,
        inviteeId: seed.inviteeId,
        recipientName: seed.recipientName,
        arrangement: seed.arrangement,
        language: seed.language ?? null,
        detail: null,
        createdAt: seed.createdAt ?? new Date('2026-02-21T12:00:00Z'),
        doneAt: seed.doneAt ?? null,
      })
      .returning({ id: documentTasks.id });
    return row!.id;
  }

  /**
   * A council-sized load for the benchmark and the N+1 guard: `count` conferences from 60 days ago to
   * 60 days ahead, a third of them sibling groups of two, with chairs and social workers in rotation;
   * past ones held with decisions, plans (some ended, some with D-1 referrals); future ones with three
   * invited agencies and some reports. Batched inserts, so seeding stays quick.
   */
  async bulk(
    count: number,
    today: IsoDate,
    staff: { chairs: Actor[]; socialWorkers: Actor[] },
  ): Promise<{ conferenceIds: string[]; childIds: string[] }> {
    const agencyIds = [
      await this.agency('Children’s social care', 'childrens_social_care'),
      await this.agency('Police', 'police'),
      await this.agency('School', 'school'),
      await this.agency('Health visiting', 'health_visitor'),
    ];
    const childRows: Array<typeof children.$inferInsert> = [];
    const groups: number[][] = [];
    for (let i = 0; i < count; i++) {
      const size = i % 3 === 0 ? 2 : 1;
      const group: number[] = [];
      for (let k = 0; k < size; k++) {
        group.push(childRows.length);
        childRows.push({
          givenNames: `Child${childRows.length}`,
          familyName: `Family${i}`,
          dateOfBirth: '2017-06-01',
          address: `${i} Bench Road`,
          localReference: nextRef(),
          allocatedSocialWorkerId: staff.socialWorkers[i % staff.socialWorkers.length]!.id,
          restricted: i % 50 === 7,
        });
      }
      groups.push(group);
    }
    const childIds: string[] = [];
    for (let i = 0; i < childRows.length; i += 500) {
      const rows = await this.db
        .insert(children)
        .values(childRows.slice(i, i + 500))
        .returning({ id: children.id });
      childIds.push(...rows.map((r) => r.id));
    }

    const types: ConferenceType[] = ['initial', 'review', 'transfer-in', 'pre-birth'];
    const confRows: Array<typeof conferences.$inferInsert> = [];
    for (let i = 0; i < count; i++) {
      const offset = Math.round(-60 + (120 * i) / Math.max(1, count - 1));
      const date = addDays(today, offset);
      const type = types[i % types.length]!;
      const start = addDays(date, -20);
      const [rule, fromField] =
        type === 'initial'
          ? (['initial-conference', 'strategyDiscussionDate'] as const)
          : type === 'transfer-in'
            ? (['transfer-in-conference', 'noticeOfMoveDate'] as const)
            : type === 'pre-birth'
              ? (['pre-birth-conference', 'expectedDeliveryDate'] as const)
              : (['first-review', null] as const);
      const from = type === 'pre-birth' ? addDays(date, 120) : type === 'review' ? addDays(date, -85) : start;
      const due = computeDeadline(rule, from, this.calendar, this.settings).due;
      confRows.push({
        type,
        status: offset < 0 ? 'held' : 'planned',
        scheduledDate: date,
        startTime: `${String(9 + (i % 7)).padStart(2, '0')}:00`,
        durationMinutes: 90,
        venueKind: 'in-person',
        chairUserId: staff.chairs[i % staff.chairs.length]!.id,
        ...(fromField ? { [fromField]: from } : {}),
        dueRule: rule,
        dueDate: due,
        lateAgreedBy: i % 11 === 0 ? 'Head of Service' : null,
        lateReason: i % 11 === 0 ? 'Police checks outstanding' : null,
      });
    }
    const conferenceIds: string[] = [];
    for (let i = 0; i < confRows.length; i += 500) {
      const rows = await this.db
        .insert(conferences)
        .values(confRows.slice(i, i + 500))
        .returning({ id: conferences.id });
      conferenceIds.push(...rows.map((r) => r.id));
    }

    const links: Array<typeof conferenceChildren.$inferInsert> = [];
    const invitees: Array<typeof conferenceInvitees.$inferInsert> = [];
    const reports: Array<typeof conferenceReports.$inferInsert> = [];
    const decisions: Array<typeof childDecisions.$inferInsert> = [];
    conferenceIds.forEach((conferenceId, i) => {
      const row = confRows[i]!;
      for (const c of groups[i]!) links.push({ conferenceId, childId: childIds[c]! });
      if (row.status === 'planned') {
        for (const [k, agencyId] of agencyIds.slice(0, 3).entries()) {
          invitees.push({ conferenceId, kind: 'professional', agencyId, directContact: true });
          if ((i + k) % 2 === 0)
            reports.push({
              conferenceId,
              agencyId,
              receivedAt: new Date(),
              sharedWithFamilyOn: k === 1 ? null : i % 4 === 0 ? row.scheduledDate : null,
            });
        }
      } else {
        for (const c of groups[i]!) {
          decisions.push({
            conferenceId,
            childId: childIds[c]!,
            version: 1,
            outcome: i % 9 === 0 ? 'plan-ends' : 'plan-needed',
            category: i % 9 === 0 ? null : 'neglect',
            reasons: 'Bench',
            seniorManagerReferralRequired: i % 13 === 0,
            recordedAt: new Date(),
          });
        }
      }
    });
    const chunks = async <T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) => {
      for (let i = 0; i < rows.length; i += 500) await insert(rows.slice(i, i + 500));
    };
    await chunks(links, (b) => this.db.insert(conferenceChildren).values(b));
    await chunks(invitees, (b) => this.db.insert(conferenceInvitees).values(b));
    await chunks(reports, (b) => this.db.insert(conferenceReports).values(b));
    const decisionIds: Array<{
      id: string;
      conferenceId: string;
      childId: string;
      outcome: string;
      seniorManagerReferralRequired: boolean;
    }> = [];
    await chunks(decisions, async (b) => {
      decisionIds.push(
        ...(await this.db.insert(childDecisions).values(b).returning({
          id: childDecisions.id,
          conferenceId: childDecisions.conferenceId,
          childId: childDecisions.childId,
          outcome: childDecisions.outcome,
          seniorManagerReferralRequired: childDecisions.seniorManagerReferralRequired,
        })),
      );
    });
    const plans: Array<typeof childPlans.$inferInsert> = [];
    const referrals: Array<typeof dissentReferrals.$inferInsert> = [];
    const dateOf = new Map(conferenceIds.map((id, i) => [id, confRows[i]!.scheduledDate as IsoDate]));
    for (const dec of decisionIds) {
      const held = dateOf.get(dec.conferenceId)!;
      plans.push({
        conferenceId: dec.conferenceId,
        childId: dec.childId,
        version: 1,
        nextReviewDate: dec.outcome === 'plan-ends' ? null : addDays(held, 80),
        recordedAt: new Date(),
      });
      if (dec.seniorManagerReferralRequired) {
        referrals.push({
          decisionId: dec.id,
          referredTo: 'Head of Safeguarding',
          referredOn: addDays(held, 1),
          reviewedOn: dec.childId.endsWith('a') ? addDays(held, 5) : null,
          reconveneDue: dec.childId.endsWith('a') ? addDays(held, 33) : null,
        });
      }
    }
    await chunks(plans, (b) => this.db.insert(childPlans).values(b));
    await chunks(referrals, (b) => this.db.insert(dissentReferrals).values(b));
    return { conferenceIds, childIds };
  }
}

// ---------------------------------------------------------------------------------------------
// Counting queries

export interface QueryCounter {
  count: number;
  reset(): void;
}

/**
 * An in-memory PGlite database, loaded from the migrated template (see pglite-template.ts), whose drizzle client
 * counts every statement, for checking that the dashboard's number of queries does not grow with the number of
 * conferences.
 */
export async function countingDatabase(): Promise<{ database: Database; counter: QueryCounter }> {
  const client = new PGlite({ loadDataDir: await migratedPgliteTemplate() });
  await client.waitReady;
  const counter: QueryCounter = {
    count: 0,
    reset() {
      this.count = 0;
    },
  };
  const db = drizzle({ client, schema, logger: { logQuery: () => void (counter.count += 1) } });
  const database: Database = {
    db: db as unknown as Db,
    kind: 'pglite',
    execute: async (text, values) => ({ rows: (await client.query(text, values as unknown[])).rows }),
    queueConnection: { db: fromPglite(client) },
    migrate: () => migrate(db, { migrationsFolder }),
    close: () => client.close(),
  };
  return { database, counter };
}

/** Services over a counting database, with a settable clock: for the N+1 guard and the benchmark. */
export async function countingServices(opts: { database?: Database; counter?: QueryCounter } = {}): Promise<{
  services: Services;
  counter: QueryCounter;
  clock: { current: Date; now(): Date };
  dispose(): Promise<void>;
}> {
  const counting =
    opts.database && opts.counter ? { database: opts.database, counter: opts.counter } : await countingDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-dash-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'd'.repeat(40),
  });
  const clock = {
    current: new Date('2026-03-02T09:00:00Z'),
    now() {
      return new Date(this.current);
    },
  };
  const services = await buildServices(config, pino({ level: 'silent' }), { database: counting.database, clock });
  return {
    services,
    counter: counting.counter,
    clock,
    async dispose() {
      await services.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A new PostgreSQL database (dropped by `dispose`), copied from the migrated template (see postgres-template.ts),
 * whose drizzle client counts statements.
 */
export async function countingPostgresDatabase(
  baseUrl: string,
): Promise<{ database: Database; counter: QueryCounter; dispose(): Promise<void> }> {
  const name = `cpcr_dash_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const template = await migratedPostgresTemplate(baseUrl);
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
  const counter: QueryCounter = {
    count: 0,
    reset() {
      this.count = 0;
    },
  };
  const db = drizzleNodePg({ client: pool, schema, logger: { logQuery: () => void (counter.count += 1) } });
  const database: Database = {
    db: db as unknown as Db,
    kind: 'postgres',
    execute: async (text, values) => ({ rows: (await pool.query(text, values as unknown[])).rows }),
    queueConnection: { connectionString: url.toString() },
    migrate: () => migrateNodePg(drizzleNodePg({ client: pool, schema }), { migrationsFolder }),
    close: () => pool.end(),
  };
  return {
    database,
    counter,
    async dispose() {
      const a = new pg.Client({ connectionString: baseUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
