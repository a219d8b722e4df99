/**
 * Seeds a realistic council into the configured database: staff of every role, agencies and their
 * professionals, families and their children, ten years of conferences with their invitations, attendance,
 * decisions and plans, recordings, requests for copies, and an audit trail of millions of entries whose hash
 * chain verifies. Deterministic from the seed (the same seed and sizes make the same records); written in
 * batches of multi-row inserts, with progress told as it goes.
 */
import type { Services } from '../../composition.ts';
import { addDays, londonDateOf } from '../../domain/calendar/index.ts';
import { loadOrCreateIdentityFile } from '../../infra/crypto/age/index.ts';
import { scryptPasswordHasher } from '../../infra/crypto/password.ts';
import { ageRecordingCipher } from '../../infra/recordings/adapters.ts';
import * as core from '../../infra/db/schema.ts';
import { copyRequests, copyRequestSteps } from '../../infra/db/requests-schema.ts';
import { fixityEvents, recordings } from '../../infra/db/recordings-schema.ts';
import { documentDrafts } from '../../infra/db/documents-schema.ts';
import { auditHead } from '../../infra/audit/audit-repository.ts';
import { syncAuditSequence, writeAuditEntries } from './audit.ts';
import { planAgencies, planConferences, planStaff, type SeedConference, type SeedFamily } from './council.ts';
import { SeededRandom } from './random.ts';
import { addConference, type BatchContext, emptyBatch } from './rows.ts';
import { type DocumentContext, documentsFor } from './documents.ts';
import { copyRequestFor, recordingFor, type RecordBatch, type RecordContext } from './records.ts';
import { insertAll } from './insert.ts';

export interface SeedOptions {
  years: number;
  conferencesPerYear: number;
  auditEntries: number;
  seed: number;
  /** Every seeded account gets this password (none by default: they cannot sign in until one is set). */
  password?: string | null;
  /** Seed even though the database holds records already (added beside them). */
  force?: boolean;
  progress?: (line: string) => void;
}

export const FULL_SIZE = { years: 10, conferencesPerYear: 5000, auditEntries: 5_000_000 } as const;
export const SMALL_SIZE = { years: 1, conferencesPerYear: 120, auditEntries: 3000 } as const;

export interface SeedSummary {
  staff: number;
  children: number;
  conferences: number;
  recordings: number;
  copyRequests: number;
  /** Drafts of held conferences' documents (T-6, T-7), most of them issued. */
  documents: number;
  auditEntries: number;
  /** The address domain of the seeded staff's email (`chair.1@…`). */
  emailDomain: string;
  ms: number;
}

export class DatabaseNotEmpty extends Error {
  constructor(what: string) {
    super(`The database already holds ${what}. Seed an empty database, or add --force to seed beside what is there.`);
    this.name = 'DatabaseNotEmpty';
  }
}

async function existing(services: Services): Promise<{ users: number; children: number; conferences: number }> {
  const { rows } = await services.database.execute(
    `select (select count(*) from users)::int as users, (select count(*) from children)::int as children,
            (select count(*) from conferences)::int as conferences`,
  );
  return rows[0] as { users: number; children: number; conferences: number };
}

const CHUNK = 500;

export async function seedCouncil(services: Services, opts: SeedOptions): Promise<SeedSummary> {
  const t0 = performance.now();
  const say = opts.progress ?? (() => undefined);
  const db = services.database.db;
  const before = await existing(services);
  const holds = Object.entries(before).filter(([, n]) => n > 0);
  if (holds.length && !opts.force) throw new DatabaseNotEmpty(holds.map(([k, n]) => `${n} ${k}`).join(', '));
  // Beside existing records, addresses and references carry a tag so they never collide with earlier ones.
  const head = holds.length ? (await auditHead(db)).seq : 0;
  const tag = holds.length ? `r${head}` : '';
  const emailDomain = `${tag ? `${tag}.` : ''}council.example`;
  // Beside earlier records the ids must differ too: the trail's length then joins the seed.
  const rng = new SeededRandom(holds.length ? (opts.seed + head * 7919) % 2 ** 32 : opts.seed);
  const now = services.clock.now();
  const today = londonDateOf(now);

  const staff = planStaff(rng, emailDomain);
  const passwordHash = opts.password ? await scryptPasswordHasher.hash(opts.password) : null;
  await insertAll(
    db,
    core.users,
    staff.map((s) => ({ id: s.id, email: s.email, name: s.name, roles: s.roles, passwordHash })),
  );
  const agencies = planAgencies(rng);
  await insertAll(
    db,
    core.agencies,
    agencies.map((a) => ({ id: a.id, name: tag ? `${a.name} (${tag})` : a.name, kind: a.kind })),
  );
  await insertAll(
    db,
    core.professionals,
    agencies.flatMap((a) =>
      a.professionalIds.map((id, i) => ({
        id,
        name: `${rng.pick(['Sam', 'Alex', 'Jo', 'Chris', 'Pat', 'Robin'])} ${rng.pick(['Reed', 'Lane', 'Fox', 'Hart'])}`,
        roleTitle:
          a.kind === 'police'
            ? 'Detective Constable'
            : a.kind === 'school'
              ? 'Designated safeguarding lead'
              : 'Practitioner',
        agencyId: a.id,
        email: `practitioner.${i + 1}@${a.kind}.example`,
      })),
    ),
  );
  say(`Staff: ${staff.length} accounts of every role; ${agencies.length} agencies.`);

  const plan = planConferences({
    rng,
    today,
    years: opts.years,
    conferencesPerYear: opts.conferencesPerYear,
    staff,
    agencies,
    calendar: services.calendar,
    timescales: services.timescales,
  });
  say(`Planned ${plan.length} conferences over ${opts.years} year(s).`);

  const staffById = new Map(staff.map((s) => [s.id, s]));
  let reference = 0;
  const batchCtx: BatchContext = {
    rng,
    today,
    staffById,
    agencyById: new Map(agencies.map((a) => [a.id, a])),
    councilName: services.config.councilName,
    written: new Set<SeedFamily>(),
    nextReference: () => `NT${tag ? `-${tag}-` : ''}${String(++reference).padStart(7, '0')}`,
  };
  const keys = await loadOrCreateIdentityFile(services.config.recordingIdentityFile);
  const recordCtx: RecordContext = {
    rng,
    today,
    now,
    staffById,
    supportActors: staff.filter((s) => s.roles.includes('business_support')).map((s) => ({ ...s })),
    calendar: services.calendar,
    files: {
      blobs: services.blobs,
      cipher: ageRecordingCipher({
        identities: keys.identities,
        recipients: [
          ...keys.recipients,
          ...(services.config.recordingRecoveryRecipient ? [services.config.recordingRecoveryRecipient] : []),
        ],
      }),
    },
  };
  // T-6, T-7: most held conferences have had their letters and record issued.
  const documentCtx: DocumentContext = { rng, today, calendar: services.calendar, timescales: services.timescales };
  let documents = 0;
  const childIds: string[] = [];
  const conferenceIds: string[] = [];
  const recordingIds: string[] = [];
  let requests = 0;
  for (let i = 0; i < plan.length; i += CHUNK) {
    const chunk = plan.slice(i, i + CHUNK);
    const batch = emptyBatch();
    for (const c of chunk) addConference(batch, c, batchCtx);
    const records = await recordsFor(chunk, recordCtx);
    const drafts = chunk.flatMap((c) => documentsFor(c, documentCtx));
    await db.transaction(async (tx) => {
      await insertAll(tx, core.children, batch.children);
      await insertAll(tx, core.people, batch.people);
      await insertAll(tx, core.childRelationships, batch.childRelationships);
      await insertAll(tx, core.conferences, batch.conferences);
      await insertAll(tx, core.conferenceChildren, batch.conferenceChildren);
      await insertAll(tx, core.conferenceParts, batch.conferenceParts);
      await insertAll(tx, core.conferenceInvitees, batch.conferenceInvitees);
      await insertAll(tx, core.invitationIssues, batch.invitationIssues);
      await insertAll(tx, core.attendance, batch.attendance);
      await insertAll(tx, core.childDecisions, batch.childDecisions);
      await insertAll(tx, core.childPlans, batch.childPlans);
      await insertAll(tx, core.planActions, batch.planActions);
      await insertAll(tx, recordings, records.recordings);
      await insertAll(tx, fixityEvents, records.fixityEvents);
      await insertAll(tx, copyRequests, records.copyRequests);
      await insertAll(tx, copyRequestSteps, records.copyRequestSteps);
      await insertAll(tx, documentDrafts, drafts);
    });
    documents += drafts.length;
    childIds.push(...batch.children.map((c) => c.id!));
    conferenceIds.push(...batch.conferences.map((c) => c.id!));
    recordingIds.push(...records.recordings.map((r) => r.id!));
    requests += records.copyRequests.length;
    say(
      `Conferences ${Math.min(i + CHUNK, plan.length)}/${plan.length} (to ${chunk[chunk.length - 1]!.scheduledDate}): ` +
        `${childIds.length} children, ${recordingIds.length} recordings, ${requests} requests for copies, ` +
        `${documents} documents.`,
    );
  }

  const from = new Date(`${addDays(today, -Math.round(opts.years * 365.25))}T08:00:00Z`);
  let lastTold = 0;
  const audited = await writeAuditEntries(db, {
    rng,
    count: opts.auditEntries,
    from,
    until: now,
    staff,
    subjects: { childIds, conferenceIds, recordingIds },
    onProgress: (n) => {
      if (n - lastTold >= 250_000 || n === opts.auditEntries) {
        lastTold = n;
        say(`Audit entries ${n}/${opts.auditEntries}.`);
      }
    },
  });
  await syncAuditSequence((sql) => services.database.execute(sql));
  // The trail says it was seeded, then a signed checkpoint covers everything written.
  await services.audit.record({
    action: 'council.seeded',
    actor: { id: null, label: 'cli: seed' },
    outcome: 'success',
    details: {
      seed: opts.seed,
      years: opts.years,
      conferences: conferenceIds.length,
      auditEntries: audited,
    },
  });
  await services.auditTrail.checkpoint();
  return {
    staff: staff.length,
    children: childIds.length,
    conferences: conferenceIds.length,
    recordings: recordingIds.length,
    copyRequests: requests,
    documents,
    auditEntries: audited,
    emailDomain,
    ms: performance.now() - t0,
  };
}

/** Recordings (their files written several at a time) and requests for a chunk, in the chunk's order. */
async function recordsFor(chunk: SeedConference[], ctx: RecordContext): Promise<RecordBatch> {
  const out: RecordBatch = { recordings: [], fixityEvents: [], copyRequests: [], copyRequestSteps: [] };
  // Choices are drawn in order; only the file writes overlap, so the result does not depend on their timing.
  const pending: Array<Promise<Awaited<ReturnType<typeof recordingFor>>>> = [];
  for (const c of chunk) pending.push(recordingFor(c, ctx));
  const made = await Promise.all(pending);
  made.forEach((m, k) => {
    if (!m) return;
    out.recordings.push(m.recording);
    out.fixityEvents.push(m.fixity);
    copyRequestFor(chunk[k]!, m.recording.id!, ctx, out);
  });
  return out;
}
