/**
 * Recordings and requests for copies of them, for held conferences. Each seeded recording is stored as a
 * tiny real file (a short placeholder, not audio) encrypted and written through the service's own cipher
 * and blob store, so the fixity cycle re-reads it and finds it intact; its duration and format are
 * those of a real meeting, its size and hashes those of the placeholder. Requests are opened and taken to
 * their state by the requests domain itself, so the stored record parses as any other.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Actor } from '../../domain/access/roles.ts';
import { addDays, type IsoDate, type StatutoryCalendar } from '../../domain/calendar/index.ts';
import { applyEvent, receiveRequest, requestDeadline, type CopyRequest } from '../../domain/requests/index.ts';
import type { BlobStore } from '../../app/blobs/blob-store.ts';
import type { RecordingCipher } from '../../app/recordings/ports.ts';
import { copyRequestToJson } from '../../infra/db/requests/copy-request-json.ts';
import type { copyRequests, copyRequestSteps } from '../../infra/db/requests-schema.ts';
import type { fixityEvents, recordings } from '../../infra/db/recordings-schema.ts';
import type { SeedConference, SeedStaff } from './council.ts';
import type { SeededRandom } from './random.ts';
import { at } from './rows.ts';

export interface RecordBatch {
  recordings: Array<typeof recordings.$inferInsert>;
  fixityEvents: Array<typeof fixityEvents.$inferInsert>;
  copyRequests: Array<typeof copyRequests.$inferInsert>;
  copyRequestSteps: Array<typeof copyRequestSteps.$inferInsert>;
}

export interface RecordContext {
  rng: SeededRandom;
  today: IsoDate;
  now: Date;
  staffById: Map<string, SeedStaff>;
  supportActors: Actor[];
  calendar: StatutoryCalendar;
  /** Encrypts and stores a recording's placeholder (concurrently with others). */
  files: { blobs: BlobStore; cipher: RecordingCipher } | null;
}

const actorOf = (s: SeedStaff): Actor => ({ id: s.id, name: s.name, roles: s.roles });

/** The placeholder stored for a seeded recording: it names itself, so no one mistakes it for audio. */
export function placeholderFor(recordingId: string): Buffer {
  return Buffer.from(`cp-conference-records seeded recording ${recordingId}: placeholder, not audio\n`, 'utf8');
}

/** A recording for most held conferences; the file is written now, the row returned for the batch. */
export async function recordingFor(
  c: SeedConference,
  ctx: RecordContext,
): Promise<{
  recording: typeof recordings.$inferInsert;
  fixity: typeof fixityEvents.$inferInsert;
} | null> {
  const { rng } = ctx;
  if (c.status !== 'held' || !ctx.files || !rng.chance(0.9)) return null;
  const id = rng.uuid();
  const started = at(c.scheduledDate, c.startTime);
  const durationMs = rng.int(55, 125) * 60_000 + rng.int(0, 59_999);
  const stored = new Date(started.getTime() + durationMs + rng.int(60, 600) * 1000);
  const plain = placeholderFor(id);
  const blob = await ctx.files.blobs.put(ctx.files.cipher.encrypt(Readable.from([plain]), `recording:${id}:original`));
  const source = rng.weighted([
    ['browser', 80],
    ['teams', 12],
    ['dictaphone', 8],
  ] as const);
  return {
    recording: {
      id,
      conferenceId: c.id,
      kind: 'meeting',
      source,
      status: 'stored',
      originalSize: plain.length,
      originalSha256: createHash('sha256').update(plain).digest('hex'),
      clientSha256: null,
      container: source === 'browser' ? 'webm' : source === 'teams' ? 'mp4' : 'wav',
      codec: source === 'browser' ? 'opus' : source === 'teams' ? 'aac' : 'pcm_s16le',
      durationMs,
      sampleRate: 48_000,
      channels: 1,
      originalBlobKey: blob.key,
      originalBlobSha256: blob.sha256,
      originalBlobSize: blob.size,
      startedAt: started,
      createdBy: c.chairId,
      createdAt: started,
      processingStartedAt: new Date(started.getTime() + durationMs),
      storedAt: stored,
      liveStoppedAt: source === 'browser' ? new Date(started.getTime() + durationMs) : null,
    },
    fixity: { recordingId: id, derivativeId: null, trigger: 'ingest', result: 'ok', checkedAt: stored },
  };
}

/**
 * About one recorded conference in twenty-five gets a request for a copy: from a court (the route that needs no
 * family links), received within a month of the conference. Recent ones are open; older ones were refused or
 * withdrawn, as the domain's own steps record them.
 */
export function copyRequestFor(c: SeedConference, recordingId: string, ctx: RecordContext, out: RecordBatch): void {
  const { rng } = ctx;
  if (!rng.chance(0.04)) return;
  const receivedOn = addDays(c.scheduledDate, rng.int(3, 30));
  if (receivedOn > ctx.today) return;
  const support = rng.pick(ctx.supportActors);
  const receivedAt = at(receivedOn, '11:00');
  let applied = receiveRequest(
    {
      conferenceId: c.id,
      conferenceDate: c.scheduledDate,
      chairId: c.chairId,
      receivedOn,
      requester: {
        type: 'court',
        contactName: 'Court listing officer',
        courtName: 'Family Court at Northtown',
        courtReference: `NT${rng.int(10, 99)}C${rng.int(10_000, 99_999)}`,
      },
      conferenceChildren: c.family.children.map((k) => ({ id: k.id, dateOfBirth: k.dateOfBirth })),
    },
    { actor: support, at: receivedAt },
  );
  const chair = actorOf(ctx.staffById.get(c.chairId)!);
  const recent = receivedOn >= addDays(ctx.today, -40);
  if (!recent) {
    const refuse = rng.chance(0.3);
    const when = at(addDays(receivedOn, rng.int(2, 20)), '15:00');
    applied = applyEvent(
      applied.request,
      refuse
        ? { type: 'refuse', reason: 'The court withdrew its order for the recording' }
        : { type: 'withdraw', reason: 'The court no longer needs the copy' },
      { actor: refuse ? chair : support, at: when < ctx.now ? when : ctx.now, rules: { calendar: ctx.calendar } },
    );
  }
  const request: CopyRequest = applied.request;
  const id = rng.uuid();
  const last = request.history[request.history.length - 1]!;
  out.copyRequests.push({
    id,
    conferenceId: c.id,
    chairId: request.chairId,
    state: request.state,
    requesterType: request.requester.type,
    receivedOn: request.receivedOn,
    dueOn: requestDeadline(request, { calendar: ctx.calendar }).due,
    extended: false,
    data: copyRequestToJson(request),
    createdAt: receivedAt,
    updatedAt: last.at,
  });
  let from: CopyRequest['state'] | null = null;
  for (const step of request.history) {
    out.copyRequestSteps.push({
      requestId: id,
      action: step.action,
      fromState: from,
      toState: step.state,
      at: step.at,
      actorId: step.actorId,
      details: step.action === 'receive' ? { recordingId } : {},
    });
    from = step.state;
  }
}
